use cognito_typestate::challenges::ChallengeName;
use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Captcha {
    #[param("AvailableChallenges", available_challenges)]
    offered: Vec<ChallengeName>,
}

fn main() {}
