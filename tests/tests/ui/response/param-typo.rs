use cognito_typestate::{ChallengeResponse, Secret};

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER", pubilc)]
    answer: Secret,
}

fn main() {}
