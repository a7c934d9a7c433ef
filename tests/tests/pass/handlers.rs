// Handler sets are checked against what each flow can reach, and no more:
// - `Passwords` answers everything a password can lead to, and serves three flows;
// - it has no handler for CUSTOM_CHALLENGE or SELECT_CHALLENGE, which those flows
//   cannot reach;
// - `QuizOnly` answers only the application's own challenge, enough for CUSTOM_AUTH
//   with an outcome that allows nothing else;
// - refreshing reaches no challenge, so any handler set works;
// - a generic challenge and a handler generic over its error type are fine;
// - an application's `handler = manual` challenge takes its own `Prompt` and `Drive`
//   impls beside the library's blanket ones (`AskHandler`), and is driven without a
//   `Handle` impl;
// - the sign-in future is `Send` (it can run in `tokio::spawn` or an axum handler).
use std::convert::Infallible;

use cognito_typestate::challenges::{
    EmailOtp, EmailOtpCode, MfaSelection, MfaSetup, NewPassword, NewPasswordRequired,
    SelectMfaType, SmsMfa, SmsMfaCode, SoftwareTokenMfa, SoftwareTokenMfaCode, TotpSetup,
};
use cognito_typestate::flows::{
    CustomAuth, RefreshTokenAuth, UserAuthSrp, UserPasswordAuth, UserSrpAuth,
};
use cognito_typestate::handler::{
    self, Drive, Handle, Handler, MfaSetupChoice, Prompt, SignInError, SoftwareTokenSetup,
    TotpVerification,
};
use cognito_typestate::{
    BoxFuture, Challenge, ChallengeResponse, Client, Outcome, Pending, Tokens,
};

struct Passwords;

impl Handler for Passwords {
    type Error = String;
}

impl Handle<NewPasswordRequired> for Passwords {
    async fn answer(&mut self, _: &Pending<NewPasswordRequired>) -> Result<NewPassword, String> {
        Err("no new password today".into())
    }
}

impl Handle<SmsMfa> for Passwords {
    async fn answer(&mut self, p: &Pending<SmsMfa>) -> Result<SmsMfaCode, String> {
        let _destination: Option<&str> = p.challenge().destination.as_deref();
        Ok(SmsMfaCode::new("123456"))
    }
}

impl Handle<SoftwareTokenMfa> for Passwords {
    async fn answer(
        &mut self,
        _: &Pending<SoftwareTokenMfa>,
    ) -> Result<SoftwareTokenMfaCode, String> {
        Ok(SoftwareTokenMfaCode::new("123456"))
    }
}

impl Handle<EmailOtp> for Passwords {
    async fn answer(&mut self, _: &Pending<EmailOtp>) -> Result<EmailOtpCode, String> {
        Ok(EmailOtpCode::new("12345678"))
    }
}

impl Handle<SelectMfaType> for Passwords {
    async fn answer(&mut self, p: &Pending<SelectMfaType>) -> Result<MfaSelection, String> {
        let offered = p.challenge().offered().first().ok_or("nothing offered")?;
        p.challenge()
            .choose(offered)
            .ok_or_else(|| "not offered".into())
    }
}

impl Handle<MfaSetup> for Passwords {
    async fn answer(&mut self, _: &Pending<MfaSetup>) -> Result<MfaSetupChoice, String> {
        Ok(MfaSetupChoice::SoftwareToken)
    }
}

impl Handle<SoftwareTokenSetup> for Passwords {
    async fn answer(&mut self, setup: &TotpSetup) -> Result<TotpVerification, String> {
        let _uri = setup.otpauth_uri("Example");
        Ok(TotpVerification::new("123456"))
    }
}

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

/// Fails with whatever error type the application uses.
struct QuizOnly<E>(fn() -> E);

impl<E: Send> Handler for QuizOnly<E> {
    type Error = E;
}

impl<E: Send> Handle<Quiz> for QuizOnly<E> {
    async fn answer(&mut self, p: &Pending<Quiz>) -> Result<QuizAnswer, E> {
        if p.challenge().question.is_empty() {
            return Err((self.0)());
        }
        Ok(QuizAnswer {
            answer: "42".into(),
        })
    }
}

/// A challenge generic over its payload still derives its handler wiring.
#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = QuizAnswer, next = Tokens)]
struct Tagged<T: std::str::FromStr<Err = std::num::ParseIntError> + Send + Sync + 'static> {
    #[param("tag")]
    tag: T,
}

struct Tags;

impl Handler for Tags {
    type Error = Infallible;
}

impl Handle<Tagged<u32>> for Tags {
    async fn answer(&mut self, p: &Pending<Tagged<u32>>) -> Result<QuizAnswer, Infallible> {
        Ok(QuizAnswer {
            answer: p.challenge().tag.to_string(),
        })
    }
}

/// Answered by the application's own code, never by asking a handler.
#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = QuizAnswer, next = Tokens, handler = manual)]
struct Arithmetic {
    #[param("question")]
    question: String,
}

impl Prompt for Arithmetic {
    type Input = Pending<Arithmetic>;
    type Answer = QuizAnswer;
}

impl<H: Handler> Drive<H> for Arithmetic {
    type Then = Tokens;

    fn drive(
        pending: Pending<Self>,
        _: &mut H,
    ) -> BoxFuture<'_, Result<Tokens, SignInError<H::Error>>> {
        Box::pin(async move {
            let answer = QuizAnswer {
                answer: pending.challenge().question.len().to_string(),
            };
            Ok(pending.respond(answer).await?)
        })
    }
}

fn assert_send<T: Send>(t: T) -> T {
    t
}

async fn flows(client: &Client, tokens: &Tokens) -> Result<(), SignInError<String>> {
    let mut passwords = Passwords;
    assert_send(client.sign_in(UserSrpAuth::new("alice", "pw"), &mut passwords)).await?;
    client
        .sign_in(UserPasswordAuth::new("alice", "pw"), &mut passwords)
        .await?;
    client
        .sign_in(UserAuthSrp::new("alice", "pw"), &mut passwords)
        .await?;

    let mut quiz = QuizOnly(|| "cancelled".to_owned());
    client
        .sign_in(CustomAuth::<AfterQuiz>::new("alice"), &mut quiz)
        .await?;

    let refresh = RefreshTokenAuth::from_tokens(tokens).expect("a refresh token");
    client.sign_in(refresh, &mut quiz).await?;
    Ok(())
}

async fn resume(pending: Pending<Tagged<u32>>) -> Result<Tokens, SignInError<Infallible>> {
    handler::drive(pending, &mut Tags).await
}

async fn answer_arithmetic(
    pending: Pending<Arithmetic>,
) -> Result<Tokens, SignInError<Infallible>> {
    handler::drive(pending, &mut Tags).await
}

fn main() {
    let _ = flows;
    let _ = resume;
    let _ = answer_arithmetic;
}
