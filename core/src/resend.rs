//! When an operation is sent again after a failure, and how long to wait first.
//!
//! A resend is only safe when it cannot do twice what the first call did. So every
//! operation says how it may be resent ([`Resend`]), and every failure says what it
//! proves about the first call ([`Failure`]):
//!
//! | operation | resent after |
//! |---|---|
//! | `RespondToAuthChallenge`, `AssociateSoftwareToken`, `VerifySoftwareToken` | never: these are answers; a resent code may burn an attempt, a resent `PASSWORD_VERIFIER` carries a stale `TIMESTAMP`, and their session is spent once the service has them |
//! | `InitiateAuth` for `USER_SRP_AUTH` and `REFRESH_TOKEN_AUTH`; `UpdateDeviceStatus` | any retryable failure, even one after which the first call may have been processed: a second SRP start or refresh has no effect the first one lacks, and setting a status twice leaves the same status |
//! | `InitiateAuth` for every other flow (it may send a code or run a Lambda trigger), `GetTokensFromRefreshToken` (it may rotate the refresh token), `ConfirmDevice` | only failures that prove the first call was not processed |
//!
//! | failure | proves the call was not processed? |
//! |---|---|
//! | no connection (`TransportErrorKind::Connect`) | yes |
//! | throttled: `TooManyRequestsException`, or HTTP 429 / 503 without a Cognito body | yes |
//! | timeout, a connection broken while reading the answer, `InternalErrorException`, HTTP 502 / 504 | no |
//! | anything else | final: not retried |
//!
//! The wait before attempt `n + 1` is "full jitter" (a random time up to
//! `100 ms × 2ⁿ⁻¹`, at most 5 s), or the server's `Retry-After` when it sends one (at
//! most 20 s). The number of attempts is the client's `max_attempts` (3 by default, at
//! most 10). The policy follows Amplify JS v6's retry decider (PROTOCOL.md §1.4),
//! narrowed to the operations' side effects.

use std::time::Duration;

use crate::error::{Error, ServiceErrorKind, TransportErrorKind};
pub(crate) use crate::wire::Resend;

/// What a retryable failure proves about the call that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The service did not process the call (no connection, throttled).
    NotProcessed,
    /// The service may have processed the call (timeout, broken answer, server fault).
    Ambiguous,
}

/// The most attempts a client makes for one operation.
pub(crate) const MAX_ATTEMPTS: u32 = 10;

/// The longest wait the client honours from a `Retry-After` header.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(20);

/// The longest jittered wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What `error` proves about the call, if it is worth sending again at all.
pub(crate) fn failure(error: &Error) -> Option<Failure> {
    use TransportErrorKind as T;
    match error {
        Error::Service(e) => match e.kind() {
            ServiceErrorKind::TooManyRequests => Some(Failure::NotProcessed),
            ServiceErrorKind::InternalError => Some(Failure::Ambiguous),
            _ => None,
        },
        Error::Transport(e) => match e.kind {
            T::Connect | T::Throttled | T::Unavailable => Some(Failure::NotProcessed),
            T::Timeout | T::Interrupted | T::Gateway => Some(Failure::Ambiguous),
            _ => None,
        },
        _ => None,
    }
}

/// Whether an operation sent under `policy` may be sent again after `error`.
pub(crate) fn may_resend(policy: Resend, error: &Error) -> bool {
    matches!(
        (policy, failure(error)),
        (Resend::Always, Some(_)) | (Resend::IfNotProcessed, Some(Failure::NotProcessed))
    )
}

/// How long to wait before attempt `attempt + 1`: the server's `Retry-After` (whole
/// seconds) when it sent one, else full jitter over an exponential ceiling.
pub(crate) fn delay(attempt: u32, retry_after: Option<&str>) -> Duration {
    if let Some(seconds) = retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
        return Duration::from_secs(seconds).min(MAX_RETRY_AFTER);
    }
    let ceiling = Duration::from_millis(100)
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let mut bytes = [0u8; 4];
    // Without randomness the wait is the ceiling: slower, never wrong.
    let fraction = match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 1.0,
    };
    ceiling.mul_f64(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ServiceError, TransportError};

    fn transport(kind: TransportErrorKind) -> Error {
        Error::Transport(TransportError::new(kind, "InitiateAuth", "test"))
    }

    fn service(code: &str) -> Error {
        Error::Service(ServiceError::new(code, None, 400))
    }

    #[test]
    fn answers_are_never_resent_and_side_effects_only_when_not_processed() {
        use TransportErrorKind as T;
        for error in [transport(T::Connect), service("TooManyRequestsException")] {
            assert!(!may_resend(Resend::Never, &error));
            assert!(may_resend(Resend::IfNotProcessed, &error));
            assert!(may_resend(Resend::Always, &error));
        }
        for error in [
            transport(T::Timeout),
            transport(T::Interrupted),
            transport(T::Gateway),
            service("InternalErrorException"),
        ] {
            assert!(!may_resend(Resend::Never, &error));
            assert!(!may_resend(Resend::IfNotProcessed, &error));
            assert!(may_resend(Resend::Always, &error));
        }
        for error in [
            transport(T::Redirect),
            transport(T::TooLarge),
            service("NotAuthorizedException"),
            service("CodeMismatchException"),
        ] {
            assert!(!may_resend(Resend::Always, &error));
        }
    }

    #[test]
    fn waits_are_jittered_bounded_and_honour_retry_after() {
        for attempt in 1..40 {
            let wait = delay(attempt, None);
            assert!(wait <= MAX_BACKOFF, "{attempt}: {wait:?}");
            assert!(wait <= Duration::from_millis(100 << (attempt - 1).min(16)));
        }
        assert_eq!(delay(1, Some("2")), Duration::from_secs(2));
        assert_eq!(delay(1, Some(" 7 ")), Duration::from_secs(7));
        assert_eq!(delay(1, Some("99999")), MAX_RETRY_AFTER);
        assert!(delay(1, Some("soon")) <= Duration::from_millis(100));
        // Jitter: not always the same wait.
        let waits: std::collections::BTreeSet<_> = (0..20).map(|_| delay(6, None)).collect();
        assert!(waits.len() > 1);
    }
}
