use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Captcha {
    #[param(1)]
    url: String,
}

fn main() {}
