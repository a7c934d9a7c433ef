// A field type that cannot be parsed from the parameter string.
use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

struct Difficulty(u8);

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Quiz {
    #[param("difficulty")]
    difficulty: Difficulty,
}

fn main() {}
