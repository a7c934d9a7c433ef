use cognito_typestate::{ChallengeResponse, Secret};

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER", secrte)]
    answer: Secret,
}

fn main() {}
