// Response fields are redacted in `Debug` unless marked `public`: `secret` is gone.
use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER", secret)]
    answer: String,
}

fn main() {}
