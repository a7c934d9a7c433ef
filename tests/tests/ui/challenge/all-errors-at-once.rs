// Every mistake of an item is reported in one compile.
use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Captcha {
    #[param("a")]
    first: String,
    #[param("a")]
    second: String,
    missing: String,
    #[param("list")]
    list: Vec<u8>,
}

fn main() {}
