use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER")]
    answer: String,
    #[param("ANSWER")]
    again: String,
}

fn main() {}
