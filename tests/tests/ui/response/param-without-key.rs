use cognito_typestate::{ChallengeResponse, Secret};

#[derive(ChallengeResponse)]
struct Answer {
    #[param(secret)]
    answer: Secret,
}

fn main() {}
