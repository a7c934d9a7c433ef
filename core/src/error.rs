//! The one error type of the crate, and what each case carries.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime};

use crate::Secret;

/// Everything that can go wrong while signing in.
///
/// Each case carries what the server (or the transport) said, so an application can
/// show it, log it, or decide what to do next. Match on [`ServiceError::kind`] for the
/// service's own error codes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error code (`NotAuthorizedException`, ...).
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The pending challenge's session outlived its validity; nothing was sent.
    /// Start the sign-in again.
    #[error(
        "the `{challenge}` session expired ({elapsed:?} after it was issued, valid for {validity:?}); start the sign-in again"
    )]
    SessionExpired {
        /// The challenge whose session expired.
        challenge: String,
        /// How long ago the session was issued.
        elapsed: Duration,
        /// How long sessions are valid (the app client's `AuthSessionValidity`).
        validity: Duration,
    },
    /// The service asked for a challenge this step's outcome type does not allow.
    #[error(transparent)]
    UnexpectedChallenge(#[from] Box<UnexpectedChallenge>),
    /// The service's answer does not follow the protocol.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// The request did not reach the service, or its answer did not come back.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The answer chose something the service did not offer.
    #[error("`{choice}` was not offered by the service (it offered: {offered})")]
    NotOffered {
        /// What the application chose.
        choice: String,
        /// What the service offered, comma-separated.
        offered: String,
    },
    /// The SRP answer could not be computed (a hostile or broken `SRP_B`, a bad salt).
    #[error(transparent)]
    Srp(#[from] crate::srp::SrpError),
    /// The call cannot be made as the application set it up (the wrong client for a
    /// stored state, missing credentials, ...): a mistake to fix in the application.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A bug in this crate: an invariant it keeps did not hold. Please report it.
    #[error("internal error in cognito-typestate: {0}")]
    Internal(&'static str),
}

/// A call the application set up in a way that cannot work. Each case says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A stored pending challenge was attached to a client for another app client.
    #[error("this pending `{challenge}` belongs to app client `{stored}`, not `{client}`")]
    WrongAppClient {
        /// The stored challenge's wire name.
        challenge: String,
        /// The app client the sign-in started with.
        stored: String,
        /// The app client it was attached to.
        client: String,
    },
    /// A stored pending challenge says it was issued later than now: it was edited, or
    /// written by a server whose clock is far ahead.
    #[error("this stored `{challenge}` was issued in the future; start the sign-in again")]
    IssuedInTheFuture {
        /// The stored challenge's wire name.
        challenge: String,
    },
    /// The service asked `DEVICE_SRP_AUTH` and the flow had a device key but no device
    /// credentials to answer with.
    #[error(
        "the service asked DEVICE_SRP_AUTH: give the flow the device's credentials with `.device(credentials)`, not only its key"
    )]
    MissingDeviceCredentials,
    /// Refreshing with a client secret needs the canonical username for `SECRET_HASH`.
    #[error(
        "refreshing with a client secret needs the canonical username for SECRET_HASH: use `RefreshTokenAuth::from_tokens` or `.username(...)`"
    )]
    RefreshWithoutUsername,
    /// The handler-driven sign-in met a challenge further from the start than its
    /// compile-time check follows (see [`crate::handler`]), so no handler was registered.
    #[error(
        "no handler registered for `{challenge}`: it is more steps from the start than the handler check follows"
    )]
    BeyondHandlerCheck {
        /// The challenge's wire name.
        challenge: &'static str,
    },
}

impl Error {
    /// Whether the service no longer knows the device this sign-in used
    /// (`ResourceNotFoundException: Device does not exist.`): delete the stored
    /// [`DeviceCredentials`](crate::DeviceCredentials) and sign in without them.
    pub fn is_unknown_device(&self) -> bool {
        self.service().is_some_and(ServiceError::is_unknown_device)
    }

    /// Whether sign-in failed because an administrator reset the password
    /// (`PasswordResetRequiredException`): continue with
    /// [`Client::reset_required`](crate::Client::reset_required).
    pub fn is_password_reset_required(&self) -> bool {
        self.service_kind() == Some(ServiceErrorKind::PasswordResetRequired)
    }

    /// Whether sign-in failed because the account is not confirmed yet
    /// (`UserNotConfirmedException`): continue with
    /// [`Client::pending_confirmation`](crate::Client::pending_confirmation).
    pub fn is_user_not_confirmed(&self) -> bool {
        self.service_kind() == Some(ServiceErrorKind::UserNotConfirmed)
    }

    /// The service error, if the service answered with one.
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The kind of service error, if the service answered with one.
    pub fn service_kind(&self) -> Option<ServiceErrorKind> {
        self.service().map(ServiceError::kind)
    }
}

/// An error code the service returned, with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    kind: ServiceErrorKind,
    code: String,
    message: Option<String>,
    reason_code: Option<String>,
    status: u16,
}

impl ServiceError {
    /// Builds a service error from the code as the service wrote it. The code and the
    /// message are kept to 200 characters each.
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16) -> Self {
        let code = quoted(&code.into(), QUOTE_LIMIT);
        Self {
            kind: ServiceErrorKind::from_code(&code),
            code,
            message: message.map(|m| quoted(&m, QUOTE_LIMIT)),
            reason_code: None,
            status,
        }
    }

    pub(crate) fn with_reason_code(mut self, reason_code: Option<String>) -> Self {
        self.reason_code = reason_code.map(|r| quoted(&r, QUOTE_LIMIT));
        self
    }

    /// The typed kind; [`ServiceErrorKind::Unknown`] for a code this crate does not know.
    pub fn kind(&self) -> ServiceErrorKind {
        self.kind
    }

    /// The code verbatim, e.g. `NotAuthorizedException`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The service's message, e.g. `Incorrect username or password.`.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `reasonCode` of an `InvalidParameterException`.
    pub fn reason_code(&self) -> Option<&str> {
        self.reason_code.as_deref()
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether this is the answer for a device the service no longer knows
    /// (`ResourceNotFoundException: Device does not exist.`).
    pub fn is_unknown_device(&self) -> bool {
        self.kind == ServiceErrorKind::ResourceNotFound
            && self
                .message()
                .is_some_and(|m| m.contains("Device does not exist"))
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{}: {m}", self.code),
            None => f.write_str(&self.code),
        }
    }
}

impl std::error::Error for ServiceError {}

macro_rules! service_error_kinds {
    ($($(#[$doc:meta])* $kind:ident = $code:literal,)*) => {
        /// The error codes Cognito's sign-in operations return (PROTOCOL.md §1.4).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ServiceErrorKind {
            $($(#[$doc])* #[doc = concat!("`", $code, "`")] $kind,)*
            /// A code this crate does not know; [`ServiceError::code`] has it verbatim.
            Unknown,
        }

        impl ServiceErrorKind {
            /// The kind for a code, already normalised (no namespace, no suffix).
            pub fn from_code(code: &str) -> Self {
                match code {
                    $($code => Self::$kind,)*
                    _ => Self::Unknown,
                }
            }

            /// The service's code for this kind; `None` for [`Self::Unknown`].
            pub fn code(self) -> Option<&'static str> {
                match self {
                    $(Self::$kind => Some($code),)*
                    Self::Unknown => None,
                }
            }
        }
    };
}

service_error_kinds! {
    /// Wrong password, bad or reused session, secret hash mismatch, disabled user.
    NotAuthorized = "NotAuthorizedException",
    UserNotFound = "UserNotFoundException",
    /// Sign-up not confirmed: call `ConfirmSignUp`.
    UserNotConfirmed = "UserNotConfirmedException",
    /// The administrator asked for a password reset: call `ForgotPassword`.
    PasswordResetRequired = "PasswordResetRequiredException",
    CodeMismatch = "CodeMismatchException",
    ExpiredCode = "ExpiredCodeException",
    InvalidPassword = "InvalidPasswordException",
    PasswordHistoryPolicyViolation = "PasswordHistoryPolicyViolationException",
    InvalidParameter = "InvalidParameterException",
    /// Throttled; retry later.
    TooManyRequests = "TooManyRequestsException",
    /// A fault on the service's side; retry later.
    InternalError = "InternalErrorException",
    ResourceNotFound = "ResourceNotFoundException",
    UnsupportedOperation = "UnsupportedOperationException",
    UnexpectedLambda = "UnexpectedLambdaException",
    UserLambdaValidation = "UserLambdaValidationException",
    InvalidLambdaResponse = "InvalidLambdaResponseException",
    InvalidUserPoolConfiguration = "InvalidUserPoolConfigurationException",
    InvalidSmsRoleAccessPolicy = "InvalidSmsRoleAccessPolicyException",
    InvalidSmsRoleTrustRelationship = "InvalidSmsRoleTrustRelationshipException",
    InvalidEmailRoleAccessPolicy = "InvalidEmailRoleAccessPolicyException",
    OperationNotEnabled = "OperationNotEnabledException",
    FeatureUnavailableInTier = "FeatureUnavailableInTierException",
    /// Blocked by AWS WAF.
    Forbidden = "ForbiddenException",
    MfaMethodNotFound = "MFAMethodNotFoundException",
    SoftwareTokenMfaNotFound = "SoftwareTokenMFANotFoundException",
    EnableSoftwareTokenMfa = "EnableSoftwareTokenMFAException",
    AliasExists = "AliasExistsException",
    ConcurrentModification = "ConcurrentModificationException",
    UsernameExists = "UsernameExistsException",
    DeviceKeyExists = "DeviceKeyExistsException",
    RefreshTokenReuse = "RefreshTokenReuseException",
    /// Too many codes or resets asked for: wait.
    LimitExceeded = "LimitExceededException",
    /// Too many wrong codes for this user.
    TooManyFailedAttempts = "TooManyFailedAttemptsException",
    /// The code could not be sent (SMS or e-mail delivery failed).
    CodeDeliveryFailure = "CodeDeliveryFailureException",
    /// The token cannot be revoked (revocation is off for the app client).
    UnsupportedTokenType = "UnsupportedTokenTypeException",
    /// The app client may not revoke this token.
    UnauthorizedClient = "UnauthorizedException",
    /// Passkeys are not enabled for the pool or app client.
    WebAuthnNotEnabled = "WebAuthnNotEnabledException",
    /// The registration's challenge is unknown or expired: start again.
    WebAuthnChallengeNotFound = "WebAuthnChallengeNotFoundException",
    /// The credential was made for another relying party.
    WebAuthnRelyingPartyMismatch = "WebAuthnRelyingPartyMismatchException",
    /// The credential's client data is not for this operation.
    WebAuthnClientMismatch = "WebAuthnClientMismatchException",
    /// The credential was made on an origin the pool does not allow.
    WebAuthnOriginNotAllowed = "WebAuthnOriginNotAllowedException",
    /// The authenticator's credential is of a kind the pool does not accept.
    WebAuthnCredentialNotSupported = "WebAuthnCredentialNotSupportedException",
    /// The pool has no relying party configured.
    WebAuthnConfigurationMissing = "WebAuthnConfigurationMissingException",
}

impl ServiceErrorKind {
    /// Whether the same request may be sent again: throttling and service faults only.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::TooManyRequests | Self::InternalError)
    }
}

/// The service asked for a challenge that the expected outcome does not list.
///
/// Everything the service sent is kept, so nothing is lost: an application with a wider
/// outcome type, or a newer version of this crate, can still act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnexpectedChallenge {
    /// `ChallengeName` as sent.
    pub name: String,
    /// `ChallengeParameters` as sent.
    pub parameters: BTreeMap<String, String>,
    /// `AvailableChallenges` as sent.
    pub available_challenges: Vec<String>,
    /// `Session` as sent.
    pub session: Option<Secret>,
    /// What the outcome type would have accepted.
    pub expected: Vec<&'static str>,
}

impl fmt::Display for UnexpectedChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the service asked for `{}`, which this step does not allow (expected one of: {})",
            quoted(&self.name, QUOTE_LIMIT),
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnexpectedChallenge {}

/// The service's answer breaks the protocol.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The body is not JSON (an HTML error page, a proxy, the wrong port).
    #[error(
        "`{operation}` answered HTTP {status} with a non-JSON body ({content_type}): {snippet:?}"
    )]
    NotJson {
        /// The operation called.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The `Content-Type` header, or `none`.
        content_type: String,
        /// The first bytes of the body.
        snippet: String,
    },
    /// The body is JSON but not the operation's output shape.
    #[error("`{operation}` answered with JSON that does not fit its output: {source}")]
    Shape {
        /// The operation called.
        operation: &'static str,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// An error status with no error code in the body or headers.
    #[error("`{operation}` answered HTTP {status} without an error code")]
    NoErrorCode {
        /// The operation called.
        operation: &'static str,
        /// HTTP status.
        status: u16,
    },
    /// Tokens and a challenge in the same answer.
    #[error("the answer carries both tokens and the challenge `{challenge}`")]
    TokensAndChallenge {
        /// The challenge name that came with the tokens.
        challenge: String,
    },
    /// Neither tokens nor a challenge.
    #[error("the answer carries neither tokens nor a challenge")]
    NeitherTokensNorChallenge,
    /// Tokens where this step's outcome allows only challenges.
    #[error("the service returned tokens where only these were expected: {}", expected.join(", "))]
    UnexpectedTokens {
        /// What the outcome type would have accepted.
        expected: Vec<&'static str>,
    },
    /// The tokens lack a member every sign-in returns.
    #[error("the authentication result has no `{0}`")]
    MissingToken(&'static str),
    /// A challenge parameter is missing or malformed.
    #[error("challenge `{challenge}`: {source}")]
    Parameter {
        /// The challenge being read.
        challenge: String,
        /// Which parameter, and what is wrong with it.
        #[source]
        source: ParameterError,
    },
    /// A step that must return a `Session` returned none.
    #[error("`{0}` returned no Session")]
    MissingSession(&'static str),
    /// A handler-driven sign-in answered this many challenges without reaching tokens.
    #[error("no tokens after {steps} answers: the service keeps asking")]
    StepBudget {
        /// The answers given.
        steps: usize,
    },
    /// The service asked the remembered device to prove itself again right after it did.
    #[error("the service asked DEVICE_SRP_AUTH again after the device's proof")]
    DeviceProofRepeated,
    /// A value that must be base32 (a TOTP secret) is not.
    #[error("`{0}` is not base32")]
    NotBase32(&'static str),
    /// A paged listing kept handing out next-page tokens past any real account's size.
    #[error("`{operation}` still had more pages after {pages}")]
    EndlessPages {
        /// The operation called.
        operation: &'static str,
        /// The pages read.
        pages: usize,
    },
    /// `VerifySoftwareToken` answered `Status: ERROR`.
    #[error("VerifySoftwareToken answered status `{0}`")]
    VerifyFailed(String),
}

/// A `ChallengeParameters` entry that is missing or cannot be read as its field's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParameterError {
    /// The key is absent.
    #[error("parameter `{key}` is missing")]
    Missing {
        /// The key.
        key: String,
    },
    /// The value does not parse.
    #[error("parameter `{key}` = {value:?} is invalid: {reason}")]
    Invalid {
        /// The key.
        key: String,
        /// The value as sent.
        value: String,
        /// Why it does not parse.
        reason: String,
    },
}

/// The request did not complete.
#[derive(Debug, thiserror::Error)]
#[error("{kind} error calling `{operation}`: {message}")]
pub struct TransportError {
    /// What went wrong.
    pub kind: TransportErrorKind,
    /// The operation being called.
    pub operation: &'static str,
    /// A description.
    pub message: String,
    /// The underlying error, if any.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error with an underlying cause.
    pub fn new(
        kind: TransportErrorKind,
        operation: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let source = source.into();
        Self {
            kind,
            operation,
            message: source.to_string(),
            source: Some(source),
        }
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: the request was not sent.
    Connect,
    /// No answer in time, possibly after the request was sent.
    Timeout,
    /// The connection broke while the answer was being read.
    Interrupted,
    /// The answer was a redirect (HTTP 3xx). Redirects are never followed: the request
    /// body holds passwords, codes and sessions.
    Redirect,
    /// The answer's body is larger than any Cognito answer (1 MiB); it was not read.
    TooLarge,
    /// HTTP 429 without a Cognito error body: a proxy or the service throttled the call
    /// before processing it.
    Throttled,
    /// HTTP 503 without a Cognito error body: the call was not processed.
    Unavailable,
    /// HTTP 502 or 504 without a Cognito error body: a gateway lost the call, which may
    /// or may not have been processed.
    Gateway,
    /// Anything else.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection",
            Self::Timeout => "timeout",
            Self::Interrupted => "interrupted",
            Self::Redirect => "redirect",
            Self::TooLarge => "oversized answer",
            Self::Throttled => "throttled",
            Self::Unavailable => "unavailable",
            Self::Gateway => "gateway",
            Self::Other => "transport",
        })
    }
}

/// At most `max` characters of `text` from a server, marked when cut: error values keep
/// what the server sent readable without letting it fill a log.
pub(crate) fn quoted(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

/// The longest server text an error value keeps.
pub(crate) const QUOTE_LIMIT: usize = 200;

pub(crate) fn elapsed_since(issued_at: SystemTime, now: SystemTime) -> Duration {
    now.duration_since(issued_at).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_code() {
        let kinds = [
            ServiceErrorKind::NotAuthorized,
            ServiceErrorKind::MfaMethodNotFound,
            ServiceErrorKind::RefreshTokenReuse,
            ServiceErrorKind::SoftwareTokenMfaNotFound,
        ];
        for kind in kinds {
            assert_eq!(ServiceErrorKind::from_code(kind.code().unwrap()), kind);
        }
        assert_eq!(
            ServiceErrorKind::from_code("BrandNewException"),
            ServiceErrorKind::Unknown
        );
    }

    #[test]
    fn unknown_device_is_recognised_by_kind_and_message() {
        let e = ServiceError::new(
            "ResourceNotFoundException",
            Some("Device does not exist.".into()),
            400,
        );
        assert!(e.is_unknown_device());
        let e = ServiceError::new(
            "ResourceNotFoundException",
            Some("User pool does not exist.".into()),
            400,
        );
        assert!(!e.is_unknown_device());
    }
}
