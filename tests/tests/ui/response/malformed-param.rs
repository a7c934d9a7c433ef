use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param(ANSWER = 1)]
    answer: String,
    #[param("CODE")]
    #[param("OTHER")]
    code: String,
}

fn main() {}
