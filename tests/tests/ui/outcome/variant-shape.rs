use cognito_typestate::challenges::SmsMfa;
use cognito_typestate::{Outcome, Pending, Tokens};

#[derive(Outcome)]
enum AfterLogin {
    Authenticated(Tokens),
    Nothing,
    Both(Pending<SmsMfa>, Tokens),
}

fn main() {}
