use cognito_typestate::{Outcome, Tokens};

#[derive(Outcome)]
enum AfterLogin {
    Authenticated(Tokens),
    Challenge(String),
}

fn main() {}
