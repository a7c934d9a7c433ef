use cognito_typestate::{Challenge, ChallengeResponse, Tokens};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = Answer, next = Tokens, handler = automatic)]
struct Quiz {
    #[param("question")]
    question: String,
}

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER")]
    answer: String,
}

fn main() {}
