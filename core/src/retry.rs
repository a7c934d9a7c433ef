//! Answers the service refuses but lets the user correct: [`Rejected`], and the table
//! of which refusals keep a challenge open.
//!
//! A mistyped code does not end a sign-in: Cognito answers `CodeMismatchException` and
//! keeps the `Session` for another answer, within a limit of attempts per session. A
//! refusal that ends the session (wrong password, expired or used session, attempts
//! exhausted) carries no state to answer again, so the types say which is which.

use std::fmt;

use crate::error::{Error, ServiceError, ServiceErrorKind};

/// Which refusals of an answer to `challenge` keep the challenge open: `Some(limit)`
/// when the service lets the same session answer again, with the number of answers it
/// takes in all when that is known (`None`: no limit is documented), and `None` when
/// the refusal ends the sign-in.
///
/// | challenge | refusal that keeps it open | evidence |
/// |---|---|---|
/// | `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SMS_OTP` | `CodeMismatchException` | Amplify JS v6, Swift and Android resend the same session after it; a test against the service saw six wrong `EMAIL_OTP` codes on one session, each `CodeMismatchException` |
/// | `MFA_SETUP` (`VerifySoftwareToken`) | `EnableSoftwareTokenMFAException`, `CodeMismatchException` | Amplify JS keeps the session and updates it only after a verified code; Amplify Flutter retries after it |
/// | `NEW_PASSWORD_REQUIRED` | `InvalidPasswordException`, `PasswordHistoryPolicyViolationException`, `InvalidParameterException` (a required attribute missing) | the Amplify SDKs resend the same session; moto refuses before it drops the session |
/// | `ConfirmSignUp` (an operation, not a challenge) | `CodeMismatchException`, `ExpiredCodeException`, `TooManyFailedAttemptsException` (for the last two: send a new code, then confirm) | the user stays unconfirmed until a code is accepted; amplify-android PR #3136 keeps the sign-up session after a wrong code |
/// | `ConfirmForgotPassword` | `CodeMismatchException`, `ExpiredCodeException`, `TooManyFailedAttemptsException`, `InvalidPasswordException`, `PasswordHistoryPolicyViolationException` | the reset stays open until a code and an acceptable password arrive together |
///
/// No per-session limit of wrong codes is documented (the documented limit is the
/// user's lockout after five failed MFA codes), so a session the service has spent
/// shows up on the next answer, as `NotAuthorizedException`. Every other refusal ends
/// the sign-in: `NotAuthorizedException` (wrong password, expired or reused session),
/// `ExpiredCodeException`, throttling, and any refusal of a challenge not listed here
/// (`CUSTOM_CHALLENGE` retries are the triggers' business: they answer with a new
/// challenge, not an error).
pub fn keeps_challenge(challenge: &str, kind: ServiceErrorKind) -> Option<Option<u32>> {
    use ServiceErrorKind as K;
    match (challenge, kind) {
        ("SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SMS_OTP", K::CodeMismatch)
        | ("MFA_SETUP", K::CodeMismatch | K::EnableSoftwareTokenMfa)
        | (
            "NEW_PASSWORD_REQUIRED",
            K::InvalidPassword | K::PasswordHistoryPolicyViolation | K::InvalidParameter,
        )
        | ("ConfirmSignUp", K::CodeMismatch | K::ExpiredCode | K::TooManyFailedAttempts)
        | (
            "ConfirmForgotPassword",
            K::CodeMismatch
            | K::ExpiredCode
            | K::TooManyFailedAttempts
            | K::InvalidPassword
            | K::PasswordHistoryPolicyViolation,
        ) => Some(None),
        _ => None,
    }
}

/// Whether some refusal of an answer to `challenge` keeps it open (the retry edges of
/// the flow diagrams).
pub fn can_retry(challenge: &str) -> bool {
    [
        ServiceErrorKind::CodeMismatch,
        ServiceErrorKind::InvalidPassword,
    ]
    .into_iter()
    .any(|kind| keeps_challenge(challenge, kind).is_some())
}

/// Where an answer's refusal leaves the sign-in.
///
/// `P` is the state that was answered (a [`Pending<C>`](crate::Pending), or a
/// [`TotpSetup`](crate::challenges::TotpSetup)). It converts into [`Error`], so `?`
/// works for applications that do not retry:
///
/// ```no_run
/// # use cognito_typestate::{Error, Pending, Rejected, challenges::{AfterMfa, SmsMfa, SmsMfaCode}};
/// # fn read_code() -> String { String::new() }
/// async fn answer(mut pending: Pending<SmsMfa>) -> Result<AfterMfa, Error> {
///     loop {
///         match pending.respond(SmsMfaCode::new(read_code())).await {
///             Ok(next) => return Ok(next),
///             // A mistyped code: the same challenge, answered again.
///             Err(Rejected::Retry { pending: again, .. }) => pending = again,
///             Err(Rejected::Failed(e)) => return Err(e),
///         }
///     }
/// }
/// ```
pub enum Rejected<P> {
    /// The service refused the answer and keeps the challenge open: answer `pending`
    /// again. Its `attempt()` counts the answers so far and its `rejection()` is
    /// `error`.
    Retry {
        /// The same challenge, to answer again.
        pending: P,
        /// Why the answer was refused (`CodeMismatchException`, ...).
        error: ServiceError,
    },
    /// The sign-in cannot go on from this state.
    Failed(Error),
}

impl<P> Rejected<P> {
    /// The error, whether or not the challenge can be answered again.
    pub fn error(&self) -> Option<&ServiceError> {
        match self {
            Self::Retry { error, .. } => Some(error),
            Self::Failed(e) => e.service(),
        }
    }

    /// The kind of service error, if the service refused the answer.
    pub fn service_kind(&self) -> Option<ServiceErrorKind> {
        self.error().map(ServiceError::kind)
    }

    /// The state to answer again, if the challenge is still open.
    pub fn into_retry(self) -> Option<P> {
        match self {
            Self::Retry { pending, .. } => Some(pending),
            Self::Failed(_) => None,
        }
    }
}

impl<P> From<Error> for Rejected<P> {
    fn from(e: Error) -> Self {
        Self::Failed(e)
    }
}

impl<P> From<Rejected<P>> for Error {
    fn from(rejected: Rejected<P>) -> Self {
        match rejected {
            Rejected::Retry { error, .. } => Error::Service(error),
            Rejected::Failed(e) => e,
        }
    }
}

impl<P> fmt::Debug for Rejected<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Retry { error, .. } => f
                .debug_struct("Retry")
                .field("error", error)
                .finish_non_exhaustive(),
            Self::Failed(e) => f.debug_tuple("Failed").field(e).finish(),
        }
    }
}

impl<P> fmt::Display for Rejected<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Retry { error, .. } => write!(f, "{error} (the challenge can be answered again)"),
            Self::Failed(e) => e.fmt(f),
        }
    }
}

impl<P> std::error::Error for Rejected<P> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Retry { error, .. } => Some(error),
            Self::Failed(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_new_passwords_can_be_corrected_passwords_cannot() {
        use ServiceErrorKind as K;
        assert_eq!(keeps_challenge("SMS_MFA", K::CodeMismatch), Some(None));
        assert_eq!(keeps_challenge("EMAIL_OTP", K::CodeMismatch), Some(None));
        assert_eq!(
            keeps_challenge("MFA_SETUP", K::EnableSoftwareTokenMfa),
            Some(None)
        );
        assert!(can_retry("SMS_OTP") && can_retry("NEW_PASSWORD_REQUIRED"));
        assert!(!can_retry("PASSWORD") && !can_retry("CUSTOM_CHALLENGE"));
        assert_eq!(keeps_challenge("SMS_MFA", K::ExpiredCode), None);
        assert_eq!(keeps_challenge("SMS_MFA", K::NotAuthorized), None);
        assert_eq!(
            keeps_challenge("NEW_PASSWORD_REQUIRED", K::InvalidPassword),
            Some(None)
        );
        assert_eq!(keeps_challenge("PASSWORD", K::NotAuthorized), None);
        assert_eq!(keeps_challenge("PASSWORD_VERIFIER", K::NotAuthorized), None);
        assert_eq!(keeps_challenge("CUSTOM_CHALLENGE", K::CodeMismatch), None);
    }

    #[test]
    fn a_rejection_converts_into_the_service_error() {
        let error = ServiceError::new("CodeMismatchException", None, 400);
        let rejected = Rejected::Retry {
            pending: (),
            error: error.clone(),
        };
        assert_eq!(
            rejected.service_kind(),
            Some(ServiceErrorKind::CodeMismatch)
        );
        assert!(matches!(Error::from(rejected), Error::Service(e) if e == error));
    }
}
