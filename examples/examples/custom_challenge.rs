//! An application-defined `CUSTOM_CHALLENGE`: the emulator's triggers (Rust closures
//! standing in for the Define/Create/Verify Lambdas) ask an arithmetic question with
//! typed parameters, and the application declares those parameters, its answer and the
//! states that may follow with the library's own derives.
//!
//! ```text
//! cargo run -p examples --example custom_challenge
//! ```

use cognito_typestate::flows::CustomAuth as CustomAuthFlow;
use cognito_typestate::{Challenge, ChallengeResponse, Client, Outcome, Pending, Tokens};
use cognito_typestate_emulator::{
    AppClientConfig, CreatedChallenge, CustomAuth, Decision, Emulator, PoolConfig, UserConfig,
};

/// The question, as the Create trigger publishes it.
#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = Sum, next = AfterQuestion)]
struct Question {
    #[param("left")]
    left: u32,
    #[param("right")]
    right: u32,
    /// Tries left, counted down by the Define trigger.
    #[param("triesLeft")]
    tries_left: u8,
}

/// The answer: the only type `Pending<Question>` accepts.
#[derive(ChallengeResponse)]
struct Sum {
    #[param("ANSWER")]
    value: u32,
}

/// What may follow an answer: tokens, or the next question.
#[derive(Debug, Outcome)]
enum AfterQuestion {
    Authenticated(Tokens),
    Question(Pending<Question>),
}

const TRIES: usize = 3;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig::default())?;
    let app = pool.create_client(AppClientConfig::new("custom"))?;
    pool.create_user(UserConfig::new("bob"))?;
    pool.set_custom_auth(CustomAuth::new(
        |event| match event.session.last() {
            Some(last) if last.challenge_result => Decision::IssueTokens,
            _ if event.session.len() < TRIES => Decision::Challenge("CUSTOM_CHALLENGE".into()),
            _ => Decision::Fail,
        },
        |event| {
            let (left, right) = (17 + event.session.len(), 25);
            CreatedChallenge::new()
                .public("left", left.to_string())
                .public("right", right.to_string())
                .public("triesLeft", (TRIES - event.session.len()).to_string())
                .private("sum", (left + right).to_string())
        },
        |event| event.private.get("sum").map(String::as_str) == Some(event.answer),
    ));
    let client = Client::builder(&app.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()?;

    let mut step = client
        .initiate(CustomAuthFlow::<AfterQuestion>::new("bob"))
        .await?;
    let mut first = true;
    loop {
        step = match step {
            AfterQuestion::Authenticated(tokens) => {
                println!("signed in as {}", tokens.username());
                return Ok(());
            }
            AfterQuestion::Question(pending) => {
                let q = pending.challenge();
                // Answer wrong once, to show the trigger asking again.
                let value = if first {
                    q.left + q.right + 1
                } else {
                    q.left + q.right
                };
                println!(
                    "{} + {} = ? ({} tries left) -> {value}",
                    q.left, q.right, q.tries_left
                );
                first = false;
                pending.respond(Sum { value }).await?
            }
        };
    }
}
