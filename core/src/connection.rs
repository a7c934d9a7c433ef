//! [`Connection`]: one app client of one user pool, and how one operation is sent.
//!
//! This layer turns an operation into bytes and back: it adds the plumbing keys
//! (`USERNAME`, `SECRET_HASH`, `DEVICE_KEY`), retries what is safe to retry, and reads
//! the service's error codes. It sends exactly one operation per call and knows no
//! flows, challenges or devices: what the answer means is decided by the layers above.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tracing::Instrument as _;
use tracing::field::Empty;
use zeroize::Zeroizing;

use crate::error::{Error, ProtocolError, ServiceError, TransportError, TransportErrorKind};
use crate::resend::{MAX_ATTEMPTS, delay, may_resend};
use crate::secret::Secret;
use crate::secret_hash::secret_hash;
use crate::transport::{HttpRequest, HttpResponse, Transport};
use crate::wire::{self, AuthResponse, Operation, Resend, SecretMap, keys};

/// Where the time comes from (the system clock, or a test's).
pub(crate) type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// What a [`Client`](crate::Client) sends through: its app client and transport. Cheap
/// to clone; clones share the transport. Public only so that the sealed
/// [`Flow`](crate::flows::Flow) trait can name it; it has no public methods.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Settings>,
}

/// What a [`Connection`] is built from (checked by `ClientBuilder::build`).
pub(crate) struct Settings {
    pub(crate) transport: Arc<dyn Transport>,
    /// Shared with every pending state read through this connection.
    pub(crate) client_id: Arc<str>,
    pub(crate) client_secret: Option<Secret>,
    pub(crate) user_pool_id: Option<String>,
    pub(crate) session_validity: Duration,
    pub(crate) max_attempts: u32,
    pub(crate) clock: Clock,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("client_id", &self.inner.client_id)
            .field("user_pool_id", &self.inner.user_pool_id)
            .field("client_secret", &self.inner.client_secret)
            .field("session_validity", &self.inner.session_validity)
            .finish_non_exhaustive()
    }
}

/// What a sign-in carries from one step to the next besides the `Session`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FlowContext {
    /// The username for `USERNAME` and `SECRET_HASH`: what the user typed until the
    /// service names the user, then the canonical name (`USER_ID_FOR_SRP`).
    pub(crate) username: String,
    /// `DEVICE_KEY` of a remembered device, sent with every step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) device_key: Option<String>,
    /// The remembered device's credentials, to answer `DEVICE_SRP_AUTH`. Never
    /// serialised: a detached pending state does not carry the device password.
    #[serde(skip)]
    pub(crate) device: Option<DeviceCredentials>,
    /// `ClientMetadata` for the Lambda triggers, sent with every step.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) client_metadata: BTreeMap<String, String>,
}

impl FlowContext {
    /// Adopts the canonical username once the service names the user.
    ///
    /// Cognito sends `USERNAME` and `USER_ID_FOR_SRP` with the same canonical value.
    /// moto sends the user's `sub` as `USER_ID_FOR_SRP` and looks the answer up by
    /// `USERNAME`, so `USERNAME` comes first; SRP itself always uses `USER_ID_FOR_SRP`.
    pub(crate) fn follow(&mut self, parameters: &BTreeMap<String, String>) {
        if let Some(name) = parameters
            .get(keys::USERNAME)
            .filter(|n| !n.is_empty())
            .or_else(|| parameters.get(keys::USER_ID_FOR_SRP))
            .filter(|n| !n.is_empty())
        {
            // Usually the name the user typed already: no copy then.
            if self.username != *name {
                self.username.clone_from(name);
            }
        }
    }
}

/// What a remembered device needs to sign in: store it (it serialises to JSON) and pass
/// it to the next sign-in's flow with `.device(credentials)`.
///
/// The device password is a secret: it is redacted in `Debug`, wiped on drop, and written
/// in plain text only when serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCredentials {
    /// `DeviceKey`, sent as `DEVICE_KEY`.
    pub device_key: String,
    /// `DeviceGroupKey`: SRP's "pool name" for the device.
    pub device_group_key: String,
    /// The device password the verifier was made from.
    pub device_password: Secret,
}

/// Whether `InitiateAuth` sends the context's username as `USERNAME`, or only hashes it
/// into `SECRET_HASH` (refresh sends no `USERNAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SendUsername {
    Yes,
    HashOnly,
}

impl Connection {
    pub(crate) fn from_settings(settings: Settings) -> Self {
        Self {
            inner: Arc::new(settings),
        }
    }

    /// What the client was built with.
    pub(crate) fn settings(&self) -> &Settings {
        &self.inner
    }

    /// The pool name SRP hashes the password with: the part of the pool id after `_`.
    pub(crate) fn pool_name(&self) -> Option<&str> {
        self.inner
            .user_pool_id
            .as_deref()
            .and_then(|id| id.split_once('_'))
            .map(|(_, name)| name)
    }

    /// The current time, from the configured clock.
    pub(crate) fn time(&self) -> SystemTime {
        (self.inner.clock)()
    }

    /// `SECRET_HASH` for `username`, when the app client has a secret.
    pub(crate) fn hash_for(&self, username: &str) -> Option<Secret> {
        let secret = self.inner.client_secret.as_ref()?;
        Some(secret_hash(secret, username, &self.inner.client_id))
    }

    /// Sends one operation and decodes its answer. A failure is followed by another
    /// attempt (after a jittered wait, or the server's `Retry-After`) only where the
    /// operation's [`Resend`](crate::wire::Resend) policy allows it (see `resend`).
    pub(crate) async fn call<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        let span = tracing::debug_span!(
            "cognito.call",
            operation = operation.name(),
            attempt = Empty,
            outcome = Empty,
            duration_ms = Empty,
        );
        // Boxed: every flow and step awaits a call, and an unboxed loop would make each
        // of their futures (moved whole into an executor) kilobytes larger.
        let sent = Box::pin(self.send_with_resends(operation));
        let (result, attempts) = in_span(span.clone(), sent, |(result, _)| {
            result.as_ref().map_or_else(trace_label, |_| "ok")
        })
        .await;
        span.record("attempt", attempts);
        result
    }

    /// [`Self::call`]'s loop: the answer, and how many times the operation was sent.
    async fn send_with_resends<O: Operation>(
        &self,
        operation: &O,
    ) -> (Result<O::Output, Error>, u32) {
        let name = operation.name();
        let mut body = match serde_json::to_vec(operation) {
            Ok(body) => Zeroizing::new(body),
            Err(source) => {
                let shape = ProtocolError::Shape {
                    operation: name,
                    source,
                };
                return (Err(shape.into()), 0);
            }
        };
        let policy = operation.resend();
        let attempts = self.inner.max_attempts.clamp(1, MAX_ATTEMPTS);
        let mut attempt = 1;
        loop {
            // The body is copied only for an attempt that may be followed by another.
            let last = attempt >= attempts || policy == Resend::Never;
            let request = HttpRequest {
                operation: name,
                body: if last {
                    std::mem::take(&mut body)
                } else {
                    body.clone()
                },
            };
            let (result, retry_after) = match self.inner.transport.send(request).await {
                Ok(response) => (decode::<O::Output>(name, &response), response.retry_after),
                Err(e) => (Err(Error::Transport(e)), None),
            };
            match result {
                Err(error) if attempt < attempts && may_resend(policy, &error) => {
                    tracing::debug!(attempt, error = trace_label(&error), "sending again");
                    let wait = delay(attempt, retry_after.as_deref());
                    self.inner.transport.backoff(wait).await;
                    attempt += 1;
                }
                done => return (done, attempt),
            }
        }
    }

    /// `InitiateAuth` with the plumbing keys added.
    pub(crate) async fn initiate_auth(
        &self,
        auth_flow: &'static str,
        mut parameters: SecretMap,
        context: &FlowContext,
        username: SendUsername,
        session: Option<Secret>,
    ) -> Result<AuthResponse, Error> {
        self.add_plumbing(&mut parameters, context, username);
        let span = tracing::info_span!(
            "cognito.initiate",
            flow = auth_flow,
            outcome = Empty,
            duration_ms = Empty,
        );
        let operation = wire::InitiateAuth {
            auth_flow,
            client_id: self.inner.client_id.clone(),
            auth_parameters: parameters,
            client_metadata: context.client_metadata.clone(),
            session,
        };
        in_span(span, self.call(&operation), step_outcome).await
    }

    /// `RespondToAuthChallenge` with `USERNAME`, `SECRET_HASH` and `DEVICE_KEY` added.
    /// `attempt` counts the answers to this challenge, this one included.
    pub(crate) async fn respond_to_challenge(
        &self,
        challenge_name: &'static str,
        attempt: u32,
        session: Option<Secret>,
        mut responses: SecretMap,
        context: &FlowContext,
    ) -> Result<AuthResponse, Error> {
        self.add_plumbing(&mut responses, context, SendUsername::Yes);
        let span = tracing::info_span!(
            "cognito.respond",
            challenge = challenge_name,
            attempt,
            outcome = Empty,
            duration_ms = Empty,
        );
        let operation = wire::RespondToAuthChallenge {
            client_id: self.inner.client_id.clone(),
            challenge_name,
            session,
            challenge_responses: responses,
            client_metadata: context.client_metadata.clone(),
        };
        in_span(span, self.call(&operation), step_outcome).await
    }

    fn add_plumbing(&self, map: &mut SecretMap, context: &FlowContext, username: SendUsername) {
        if !context.username.is_empty() {
            if username == SendUsername::Yes {
                map.insert(keys::USERNAME.to_owned(), context.username.as_str().into());
            }
            if let Some(hash) = self.hash_for(&context.username) {
                map.insert(keys::SECRET_HASH.to_owned(), hash);
            }
        }
        if let Some(device_key) = &context.device_key {
            map.insert(keys::DEVICE_KEY.to_owned(), device_key.as_str().into());
        }
    }
}

/// Reads an HTTP answer as `T`, or as the typed error it carries.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    response: &HttpResponse,
) -> Result<T, Error> {
    let body = response.body.trim_ascii_start();
    let not_json = || ProtocolError::NotJson {
        operation,
        status: response.status,
        content_type: response
            .content_type
            .clone()
            .unwrap_or_else(|| "none".into()),
        snippet: String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned(),
    };
    let is_json_object = body.first() == Some(&b'{');
    if (300..400).contains(&response.status) {
        return Err(status_error(TransportErrorKind::Redirect, operation, response).into());
    }
    if (200..300).contains(&response.status) {
        if !is_json_object {
            return Err(not_json().into());
        }
        return serde_json::from_slice(body)
            .map_err(|source| ProtocolError::Shape { operation, source }.into());
    }
    let error_body: wire::ErrorBody = if is_json_object {
        serde_json::from_slice(body).unwrap_or_default()
    } else {
        wire::ErrorBody::default()
    };
    let code = response
        .error_type
        .as_deref()
        .or(error_body.code.as_deref())
        .or(error_body.type_.as_deref())
        .map(normalise_error_code)
        .filter(|c| !c.is_empty());
    match code {
        Some(code) => Err(ServiceError::new(
            code,
            error_body.message.or(error_body.message_upper),
            response.status,
        )
        .with_reason_code(error_body.reason_code)
        .into()),
        None if !is_json_object => Err(match response.status {
            429 => status_error(TransportErrorKind::Throttled, operation, response).into(),
            503 => status_error(TransportErrorKind::Unavailable, operation, response).into(),
            502 | 504 => status_error(TransportErrorKind::Gateway, operation, response).into(),
            _ => not_json().into(),
        }),
        None => Err(ProtocolError::NoErrorCode {
            operation,
            status: response.status,
        }
        .into()),
    }
}

/// A transport error for an HTTP status that carries no Cognito answer.
fn status_error(
    kind: TransportErrorKind,
    operation: &'static str,
    response: &HttpResponse,
) -> TransportError {
    TransportError::new(
        kind,
        operation,
        format!("HTTP {} without a Cognito answer", response.status),
    )
}

/// `NotAuthorizedException:http://...` and `com.amazonaws...#NotAuthorizedException`
/// both become `NotAuthorizedException` (PROTOCOL.md §1.4).
fn normalise_error_code(raw: &str) -> &str {
    let cut = raw.split([',', ':']).next().unwrap_or(raw);
    cut.rsplit('#').next().unwrap_or(cut).trim()
}

/// A short, fixed label for a span's `outcome` (see the crate's "Tracing" docs): the
/// service's code when it is a known one, otherwise what failed. Never a message nor
/// anything the server chose freely: those can carry user data.
pub(crate) fn trace_label(error: &Error) -> &'static str {
    match error {
        Error::Service(e) => e.kind().code().unwrap_or("other service error"),
        Error::SessionExpired { .. } => "session expired",
        Error::UnexpectedChallenge(_) => "unexpected challenge",
        Error::Protocol(_) => "protocol error",
        Error::Transport(_) => "transport error",
        Error::NotOffered { .. } => "not offered",
        Error::Srp(_) => "srp error",
        Error::Config(_) => "config error",
        Error::Internal(_) => "internal error",
    }
}

/// Runs `work` in `span`, then records on it the `outcome` label of what `work` gave and
/// `duration_ms` (only when a subscriber wants the span: otherwise the clock is not read).
pub(crate) async fn in_span<T>(
    span: tracing::Span,
    work: impl Future<Output = T>,
    outcome: impl FnOnce(&T) -> &str,
) -> T {
    let started = (!span.is_disabled()).then(Instant::now);
    let value = work.instrument(span.clone()).await;
    span.record("outcome", outcome(&value));
    if let Some(started) = started {
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
    }
    value
}

/// A sign-in step's `outcome`: the next challenge, `tokens`, or the error's label.
fn step_outcome(answer: &Result<AuthResponse, Error>) -> &str {
    match answer {
        Ok(response) => match (&response.authentication_result, &response.challenge_name) {
            (Some(_), _) => "tokens",
            (None, Some(name)) => traceable_challenge(name),
            (None, None) => "nothing",
        },
        Err(e) => trace_label(e),
    }
}

/// A challenge name as the server sent it, when it has the shape of one (a short upper-case
/// word: `SMS_MFA`); anything else is not logged, since a server chooses it freely.
fn traceable_challenge(name: &str) -> &str {
    let shaped = !name.is_empty()
        && name.len() <= 32
        && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    if shaped {
        name
    } else {
        "unrecognised challenge"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceErrorKind;

    fn response(
        status: u16,
        content_type: &str,
        error_type: Option<&str>,
        body: &str,
    ) -> HttpResponse {
        HttpResponse {
            status,
            content_type: Some(content_type.into()),
            error_type: error_type.map(Into::into),
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn error_code_comes_from_header_then_body_and_is_normalised() {
        let r = response(
            400,
            "application/x-amz-json-1.1",
            Some("NotAuthorizedException:http://internal.amazon.com/coral/"),
            r#"{"__type":"Ignored","message":"Incorrect username or password."}"#,
        );
        let e = decode::<AuthResponse>("InitiateAuth", &r).unwrap_err();
        let s = e.service().unwrap();
        assert_eq!(s.kind(), ServiceErrorKind::NotAuthorized);
        assert_eq!(s.message(), Some("Incorrect username or password."));

        let r = response(
            400,
            "application/json",
            None,
            r#"{"__type":"com.amazonaws.cognitoidentityprovider#TooManyRequestsException","Message":"slow down"}"#,
        );
        let e = decode::<AuthResponse>("InitiateAuth", &r).unwrap_err();
        assert_eq!(e.service_kind(), Some(ServiceErrorKind::TooManyRequests));
        assert_eq!(e.service().unwrap().message(), Some("slow down"));
    }

    #[test]
    fn unknown_codes_are_kept_verbatim() {
        let r = response(
            500,
            "application/json",
            None,
            r#"{"__type":"CognitoLocal#Unsupported","message":"x"}"#,
        );
        let e = decode::<AuthResponse>("InitiateAuth", &r).unwrap_err();
        let s = e.service().unwrap();
        assert_eq!(s.kind(), ServiceErrorKind::Unknown);
        assert_eq!(s.code(), "Unsupported");
        assert_eq!(s.status(), 500);
    }

    #[test]
    fn html_and_xml_bodies_are_protocol_errors_even_with_a_json_content_type() {
        for (status, body) in [
            (500, "<html><body>Internal Server Error</body></html>"),
            (200, "<?xml version=\"1.0\"?><ListAllMyBucketsResult/>"),
        ] {
            let r = response(status, "application/json", None, body);
            let e = decode::<AuthResponse>("InitiateAuth", &r).unwrap_err();
            assert!(
                matches!(e, Error::Protocol(ProtocolError::NotJson { .. })),
                "{e:?}"
            );
        }
    }
}
