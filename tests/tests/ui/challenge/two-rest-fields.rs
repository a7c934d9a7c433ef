use std::collections::BTreeMap;

use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Captcha {
    #[param(rest)]
    others: BTreeMap<String, String>,
    #[param(rest)]
    more: BTreeMap<String, String>,
}

fn main() {}
