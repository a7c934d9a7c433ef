use std::collections::BTreeMap;

use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER", prefix = "userAttributes.")]
    answer: BTreeMap<String, String>,
}

fn main() {}
