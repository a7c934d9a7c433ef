use cognito_typestate::{Outcome, Tokens};

#[derive(Outcome)]
enum AfterLogin {
    #[outcome(crate = ::cognito_typestate)]
    Authenticated(Tokens),
}

fn main() {}
