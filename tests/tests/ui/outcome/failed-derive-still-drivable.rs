// A failed derive still emits `Outcome`, `Reach` and `Erase`, so a challenge that
// leads to it is still driven by its handler: one mistake, one error.
use std::convert::Infallible;

use cognito_typestate::handler::{self, Handle, Handler};
use cognito_typestate::{Challenge, ChallengeResponse, Outcome, Pending, Tokens};

#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = Answer, next = AfterQuiz)]
struct Quiz {
    #[param("question")]
    question: String,
}

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER")]
    answer: String,
}

#[derive(Debug, Outcome)]
enum AfterQuiz {
    Authenticated(Tokens),
    Quiz(Pending<Quiz>),
    Nothing,
}

struct Everyone;

impl Handler for Everyone {
    type Error = Infallible;
}

impl Handle<Quiz> for Everyone {
    async fn answer(&mut self, _: &Pending<Quiz>) -> Result<Answer, Infallible> {
        Ok(Answer { answer: "4".into() })
    }
}

async fn run(pending: Pending<Quiz>) {
    let _ = handler::drive(pending, &mut Everyone).await;
}

fn main() {}
