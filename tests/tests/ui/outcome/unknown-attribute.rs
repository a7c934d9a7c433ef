use cognito_typestate::{Outcome, Tokens};

#[derive(Outcome)]
#[outcome(crat = ::cognito_typestate)]
enum AfterLogin {
    Authenticated(Tokens),
}

fn main() {}
