use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER", json)]
    answer: String,
    #[param(rest)]
    others: String,
}

fn main() {}
