// An application's own challenge plugs into the handler check like the built-in ones:
// CUSTOM_AUTH with this outcome reaches `Quiz`, and `Nobody` cannot answer it.
use cognito_typestate::flows::CustomAuth;
use cognito_typestate::handler::Handler;
use cognito_typestate::{Challenge, ChallengeResponse, Client, Outcome, Pending, Tokens};

#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = QuizAnswer, next = AfterQuiz)]
struct Quiz {
    #[param("question")]
    question: String,
}

#[derive(ChallengeResponse)]
struct QuizAnswer {
    #[param("ANSWER")]
    answer: String,
}

#[derive(Debug, Outcome)]
enum AfterQuiz {
    Authenticated(Tokens),
    Quiz(Pending<Quiz>),
}

struct Nobody;

impl Handler for Nobody {
    type Error = std::convert::Infallible;
}

async fn sign_in(client: &Client) {
    let _ = client
        .sign_in(CustomAuth::<AfterQuiz>::new("alice"), &mut Nobody)
        .await;
}

fn main() {}
