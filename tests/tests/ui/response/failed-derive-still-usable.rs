// A failed derive still emits its impls (`ChallengeResponse` and `Debug`), so the code
// that uses the type reports nothing more: one mistake, one error.
use cognito_typestate::challenges::AfterCustomChallenge;
use cognito_typestate::{Challenge, ChallengeResponse};

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER", json)]
    answer: String,
}

#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = Answer, next = AfterCustomChallenge)]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {
    println!("{:?}", Answer { answer: String::new() });
}
