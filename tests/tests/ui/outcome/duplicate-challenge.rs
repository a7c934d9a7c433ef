use cognito_typestate::challenges::SmsMfa;
use cognito_typestate::{Outcome, Pending, Tokens};

#[derive(Outcome)]
enum AfterLogin {
    Authenticated(Tokens),
    Sms(Pending<SmsMfa>),
    SmsAgain(Pending<SmsMfa>),
}

fn main() {}
