//! Handler-driven sign-up confirmation and password reset: the handler is asked for the
//! code (and the new password) until the service accepts them.

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

/// Runs a sign-up to a confirmed account, asking `handler` for the code (again after a
/// wrong one; after an expired one a new code is sent first).
pub async fn confirm_sign_up<H: Handle<SignUpCode>>(
    outcome: SignUpOutcome,
    handler: &mut H,
) -> Result<ConfirmedAccount, SignInError<H::Error>> {
    let mut pending = match outcome {
        SignUpOutcome::Confirmed(account) => return Ok(account),
        SignUpOutcome::ConfirmationRequired(pending) => pending,
    };
    for _ in 0..MAX_STEPS {
        let code = ask::<SignUpCode, H>(handler, &pending).await?;
        match pending.confirm(code).await {
            Ok(account) => return Ok(account),
            Err(Rejected::Retry {
                pending: again,
                error,
            }) => {
                pending = again;
                if error.kind() == ServiceErrorKind::ExpiredCode {
                    pending.resend_code().await?;
                }
            }
            Err(Rejected::Failed(e)) => return Err(e.into()),
        }
    }
    Err(Error::from(ProtocolError::StepBudget { steps: MAX_STEPS }).into())
}

/// Runs a password reset to its end, asking `handler` for the code and the new password
/// (again after a refusal; after an expired code a new one is sent first).
pub async fn reset_password<H: Handle<ResetCode>>(
    mut pending: PendingReset,
    handler: &mut H,
) -> Result<(), SignInError<H::Error>> {
    for _ in 0..MAX_STEPS {
        let answer = ask::<ResetCode, H>(handler, &pending).await?;
        match pending.confirm(answer.code, answer.new_password).await {
            Ok(()) => return Ok(()),
            Err(Rejected::Retry {
                pending: again,
                error,
            }) => {
                pending = again;
                if error.kind() == ServiceErrorKind::ExpiredCode {
                    pending.resend_code().await?;
                }
            }
            Err(Rejected::Failed(e)) => return Err(e.into()),
        }
    }
    Err(Error::from(ProtocolError::StepBudget { steps: MAX_STEPS }).into())
}
