use cognito_typestate::{ChallengeResponse, Secret};

#[derive(ChallengeResponse)]
struct Answer {
    #[param(public)]
    answer: Secret,
}

fn main() {}
