use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER")]
    answer: Vec<u8>,
}

fn main() {}
