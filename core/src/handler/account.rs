//! Handler-driven sign-up confirmation and password reset: the handler is asked for the
//! code (and the new password) until the service accepts them.

use std::future::Future;

use super::{Handle, MAX_STEPS, Prompt, SignInError, ask};
use crate::account::{ConfirmedAccount, PendingConfirmation, PendingReset, SignUpOutcome};
use crate::error::{Error, ProtocolError, ServiceErrorKind};
use crate::retry::Rejected;
use crate::secret::Secret;

/// The code that confirms a sign-up: the handler is shown the [`PendingConfirmation`]
/// (where the code went, why the previous one was refused) and answers the code.
#[derive(Debug, Clone, Copy)]
pub enum SignUpCode {}

impl Prompt for SignUpCode {
    type Input = PendingConfirmation;
    type Answer = Secret;
}

/// A password reset: the handler is shown the [`PendingReset`] and answers the code and
/// the new password.
#[derive(Debug, Clone, Copy)]
pub enum ResetCode {}

impl Prompt for ResetCode {
    type Input = PendingReset;
    type Answer = ResetAnswer;
}

/// The code of a password reset and the new password.
#[derive(Debug, Clone)]
pub struct ResetAnswer {
    code: Secret,
    new_password: Secret,
}

impl ResetAnswer {
    /// The code the user received and the password they chose.
    pub fn new(code: impl Into<Secret>, new_password: impl Into<Secret>) -> Self {
        Self {
            code: code.into(),
            new_password: new_password.into(),
        }
    }
}

/// An account state answered until the service accepts the answer: a sign-up's
/// confirmation, a password reset.
trait Answered: Sized + Send {
    type Prompt: Prompt<Input = Self>;
    type Done;

    fn answer(
        self,
        answer: <Self::Prompt as Prompt>::Answer,
    ) -> impl Future<Output = Result<Self::Done, Rejected<Self>>> + Send;

    fn resend_code(&mut self) -> impl Future<Output = Result<(), Error>> + Send;
}

impl Answered for PendingConfirmation {
    type Prompt = SignUpCode;
    type Done = ConfirmedAccount;

    async fn answer(self, code: Secret) -> Result<ConfirmedAccount, Rejected<Self>> {
        self.confirm(code).await
    }

    async fn resend_code(&mut self) -> Result<(), Error> {
        PendingConfirmation::resend_code(self).await.map(drop)
    }
}

impl Answered for PendingReset {
    type Prompt = ResetCode;
    type Done = ();

    async fn answer(self, answer: ResetAnswer) -> Result<(), Rejected<Self>> {
        self.confirm(answer.code, answer.new_password).await
    }

    async fn resend_code(&mut self) -> Result<(), Error> {
        PendingReset::resend_code(self).await.map(drop)
    }
}

/// Asks `handler` until the service accepts an answer (a new code is sent first after
/// an expired or spent one), within [`MAX_STEPS`].
async fn answer_until_accepted<S, H>(
    mut state: S,
    handler: &mut H,
) -> Result<S::Done, SignInError<H::Error>>
where
    S: Answered,
    H: Handle<S::Prompt>,
{
    for _ in 0..MAX_STEPS {
        let answer = ask::<S::Prompt, H>(handler, &state).await?;
        match state.answer(answer).await {
            Ok(done) => return Ok(done),
            Err(Rejected::Retry { pending, error }) => {
                state = pending;
                // The code is spent: a new one is needed before any answer can pass.
                if matches!(
                    error.kind(),
                    ServiceErrorKind::ExpiredCode | ServiceErrorKind::TooManyFailedAttempts
                ) {
                    state.resend_code().await?;
                }
            }
            Err(Rejected::Failed(e)) => return Err(e.into()),
        }
    }
    Err(Error::from(ProtocolError::StepBudget { steps: MAX_STEPS }).into())
}

/// Runs a sign-up to a confirmed account, asking `handler` for the code (again after a
/// wrong one; after an expired one a new code is sent first).
pub async fn confirm_sign_up<H: Handle<SignUpCode>>(
    outcome: SignUpOutcome,
    handler: &mut H,
) -> Result<ConfirmedAccount, SignInError<H::Error>> {
    match outcome {
        SignUpOutcome::Confirmed(account) => Ok(account),
        SignUpOutcome::ConfirmationRequired(pending) => {
            answer_until_accepted(pending, handler).await
        }
    }
}

/// Runs a password reset to its end, asking `handler` for the code and the new password
/// (again after a refusal; after an expired code a new one is sent first).
pub async fn reset_password<H: Handle<ResetCode>>(
    pending: PendingReset,
    handler: &mut H,
) -> Result<(), SignInError<H::Error>> {
    answer_until_accepted(pending, handler).await
}
