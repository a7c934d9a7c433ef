use cognito_typestate::{Outcome, Tokens};

#[derive(Outcome)]
struct AfterLogin {
    tokens: Tokens,
}

fn main() {}
