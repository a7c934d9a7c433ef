use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
#[response(crat = ::cognito_typestate)]
struct Answer {
    #[param("ANSWER")]
    answer: String,
}

fn main() {}
