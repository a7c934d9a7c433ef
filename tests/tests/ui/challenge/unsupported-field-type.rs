// A list parameter is JSON-in-string: the derive says to add `json`.
use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Quiz {
    #[param("choices")]
    choices: Vec<String>,
    #[param("hint")]
    hint: &'static str,
}

fn main() {}
