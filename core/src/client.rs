//! [`Client`]: one app client of one user pool, and how operations are sent.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use crate::Secret;
use crate::challenge::{FlowContext, ResponseMap, Step};
use crate::error::{Error, ProtocolError, ServiceError};
use crate::flows::Flow;
use crate::secret_hash::secret_hash;
use crate::transport::{HttpRequest, HttpResponse, Transport};
use crate::wire::{self, Operation};

/// The shortest and longest `AuthSessionValidity` an app client can have.
const SESSION_VALIDITY_RANGE: (Duration, Duration) =
    (Duration::from_secs(3 * 60), Duration::from_secs(15 * 60));

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// A client for one app client of one user pool. Cheap to clone; clones share the
/// transport.
///
/// ```no_run
/// use cognito_typestate::{Client, challenges::AfterPassword, flows::UserPasswordAuth};
///
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder("1example23456789")
///     .user_pool_id("eu-west-1_AbCdEf123") // the region comes from the pool id
///     .build()?;
/// match client.initiate(UserPasswordAuth::new("alice", "correct horse")).await? {
///     AfterPassword::Authenticated(tokens) => println!("signed in, token expires in {:?}", tokens.expires_in()),
///     other => println!("the service wants more: {other:?}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Arc<dyn Transport>,
    client_id: String,
    client_secret: Option<Secret>,
    user_pool_id: Option<String>,
    session_validity: Duration,
    max_attempts: u32,
    clock: Clock,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("client_id", &self.inner.client_id)
            .field("user_pool_id", &self.inner.user_pool_id)
            .field("client_secret", &self.inner.client_secret)
            .field("session_validity", &self.inner.session_validity)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client for the app client `client_id`.
    pub fn builder(client_id: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            client_id: client_id.into(),
            client_secret: None,
            user_pool_id: None,
            region: None,
            endpoint: None,
            timeout: Duration::from_secs(30),
            session_validity: SESSION_VALIDITY_RANGE.0,
            max_attempts: 3,
            transport: None,
            clock: None,
        }
    }

    /// Starts a sign-in flow and returns its first typed outcome.
    pub async fn initiate<F: Flow>(&self, flow: F) -> Result<F::Outcome, Error> {
        flow.start(self).await
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The user pool id, if configured (SRP needs it).
    pub fn user_pool_id(&self) -> Option<&str> {
        self.inner.user_pool_id.as_deref()
    }

    /// How long a challenge `Session` stays valid.
    pub fn session_validity(&self) -> Duration {
        self.inner.session_validity
    }

    /// The current time, from the configured clock.
    pub fn now(&self) -> SystemTime {
        (self.inner.clock)()
    }

    /// `SECRET_HASH` for `username`, when the app client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<Secret> {
        let secret = self.inner.client_secret.as_ref()?;
        Some(secret_hash(secret, username, &self.inner.client_id))
    }

    pub(crate) fn client_secret(&self) -> Option<&Secret> {
        self.inner.client_secret.as_ref()
    }

    pub(crate) fn has_secret(&self) -> bool {
        self.inner.client_secret.is_some()
    }

    /// Sends one operation and decodes its answer, retrying throttles and service faults
    /// for operations that are safe to resend.
    pub async fn call<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        let body = Zeroizing::new(serde_json::to_vec(operation).map_err(|source| {
            ProtocolError::Shape {
                operation: O::NAME,
                source,
            }
        })?);
        let attempts = if O::RETRY_SAFE {
            self.inner.max_attempts.max(1)
        } else {
            1
        };
        let mut attempt = 1;
        loop {
            let request = HttpRequest {
                operation: O::NAME,
                body: body.clone(),
            };
            let result = match self.inner.transport.send(request).await {
                Ok(response) => decode::<O::Output>(O::NAME, &response),
                Err(e) => Err(Error::Transport(e)),
            };
            let retryable = match &result {
                Err(Error::Service(e)) => e.kind().is_retryable(),
                Err(Error::Transport(e)) => e.kind.is_retryable(),
                _ => false,
            };
            if !retryable || attempt >= attempts {
                return result;
            }
            tracing::debug!(
                operation = O::NAME,
                attempt,
                "retrying after a retryable error"
            );
            self.inner
                .transport
                .backoff(Duration::from_millis(100 * (1 << attempt.min(6))))
                .await;
            attempt += 1;
        }
    }

    /// `InitiateAuth` with the plumbing keys added; the answer becomes a [`Step`].
    pub(crate) async fn initiate_auth(
        &self,
        auth_flow: &str,
        mut parameters: ResponseMap,
        context: FlowContext,
    ) -> Result<Step, Error> {
        self.add_plumbing(&mut parameters, &context, false);
        let response = self
            .call(&wire::InitiateAuth {
                auth_flow: auth_flow.to_owned(),
                client_id: self.inner.client_id.clone(),
                auth_parameters: parameters.into_inner(),
                client_metadata: context.client_metadata.clone(),
            })
            .await?;
        crate::device::follow(Step::new(self.clone(), response, context)).await
    }

    /// `RespondToAuthChallenge` with `USERNAME`, `SECRET_HASH` and `DEVICE_KEY` added.
    pub(crate) async fn respond_to_challenge(
        &self,
        challenge_name: &str,
        session: Option<Secret>,
        mut responses: ResponseMap,
        context: FlowContext,
    ) -> Result<Step, Error> {
        self.add_plumbing(&mut responses, &context, true);
        let response = self
            .call(&wire::RespondToAuthChallenge {
                client_id: self.inner.client_id.clone(),
                challenge_name: challenge_name.to_owned(),
                session,
                challenge_responses: responses.into_inner(),
                client_metadata: context.client_metadata.clone(),
            })
            .await?;
        crate::device::follow(Step::new(self.clone(), response, context)).await
    }

    fn add_plumbing(&self, map: &mut ResponseMap, context: &FlowContext, with_username: bool) {
        if !context.username.is_empty() {
            if with_username {
                map.insert("USERNAME", context.username.as_str());
            }
            if let Some(hash) = self.secret_hash(&context.username) {
                map.insert("SECRET_HASH", hash);
            }
        }
        if let Some(device_key) = &context.device_key {
            map.insert("DEVICE_KEY", device_key.as_str());
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
        None if !is_json_object => Err(not_json().into()),
        None => Err(ProtocolError::NoErrorCode {
            operation,
            status: response.status,
        }
        .into()),
    }
}

/// `NotAuthorizedException:http://...` and `com.amazonaws...#NotAuthorizedException`
/// both become `NotAuthorizedException` (PROTOCOL.md §1.4).
fn normalise_error_code(raw: &str) -> &str {
    let cut = raw.split([',', ':']).next().unwrap_or(raw);
    cut.rsplit('#').next().unwrap_or(cut).trim()
}

/// Configures a [`Client`]. Get one from [`Client::builder`].
#[must_use]
pub struct ClientBuilder {
    client_id: String,
    client_secret: Option<Secret>,
    user_pool_id: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    timeout: Duration,
    session_validity: Duration,
    max_attempts: u32,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("client_id", &self.client_id)
            .field("user_pool_id", &self.user_pool_id)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The app client's secret. `SECRET_HASH` is then sent with every request,
    /// computed with the right username at each step.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The user pool id, e.g. `eu-west-1_AbCdEf123`. Gives the region, and the pool
    /// name SRP needs.
    pub fn user_pool_id(mut self, id: impl Into<String>) -> Self {
        self.user_pool_id = Some(id.into());
        self
    }

    /// The AWS region, e.g. `eu-west-1`, when it is not taken from the user pool id.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// An explicit endpoint URL, e.g. an emulator's `http://127.0.0.1:9229/`.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// How long one HTTP request may take (default 30 s). Used by the default transport.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The app client's `AuthSessionValidity`: 3 to 15 minutes, 3 by default. A pending
    /// challenge older than this fails locally with [`Error::SessionExpired`].
    pub fn session_validity(mut self, validity: Duration) -> Self {
        self.session_validity = validity;
        self
    }

    /// How often a throttled or faulted `InitiateAuth` / refresh is tried (default 3).
    /// Challenge answers are never resent.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sends requests through `transport` instead of the default reqwest client.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Reads the time from `clock` instead of the system clock (for tests).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let (min, max) = SESSION_VALIDITY_RANGE;
        if !(min..=max).contains(&self.session_validity) {
            return Err(BuildError::SessionValidity(self.session_validity));
        }
        if let Some(id) = &self.user_pool_id {
            let valid = id
                .split_once('_')
                .is_some_and(|(region, name)| !region.is_empty() && !name.is_empty());
            if !valid {
                return Err(BuildError::UserPoolId(id.clone()));
            }
        }
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport(
                self.endpoint
                    .or_else(|| {
                        let region = self.region.as_deref().or_else(|| {
                            self.user_pool_id
                                .as_deref()
                                .and_then(|id| id.split_once('_'))
                                .map(|(r, _)| r)
                        })?;
                        Some(region_endpoint(region))
                    })
                    .ok_or(BuildError::NoEndpoint)?,
                self.timeout,
            )?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                client_id: self.client_id,
                client_secret: self.client_secret,
                user_pool_id: self.user_pool_id,
                session_validity: self.session_validity,
                max_attempts: self.max_attempts,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
            }),
        })
    }
}

/// The public endpoint of a region: `https://cognito-idp.<region>.amazonaws.com/`
/// (`amazonaws.com.cn` in the China regions).
pub fn region_endpoint(region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://cognito-idp.{region}.{suffix}/")
}

#[cfg(feature = "reqwest")]
fn default_transport(
    endpoint: String,
    timeout: Duration,
) -> Result<Arc<dyn Transport>, BuildError> {
    let transport = crate::transport::ReqwestTransport::new(endpoint, timeout)
        .map_err(|e| BuildError::Transport(e.to_string()))?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(
    _endpoint: String,
    _timeout: Duration,
) -> Result<Arc<dyn Transport>, BuildError> {
    Err(BuildError::Transport(
        "the `reqwest` feature is off: pass a transport with `ClientBuilder::transport`".into(),
    ))
}

/// Why a [`ClientBuilder`] could not build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Neither an endpoint, a region, a user pool id nor a transport was given.
    #[error("nowhere to send requests: set `region`, `user_pool_id`, `endpoint` or `transport`")]
    NoEndpoint,
    /// The session validity is outside the 3–15 minutes Cognito allows.
    #[error("session validity {0:?} is outside the 3 to 15 minutes an app client can have")]
    SessionValidity(Duration),
    /// The user pool id is not `<region>_<name>`.
    #[error("user pool id `{0}` is not of the form `<region>_<name>`")]
    UserPoolId(String),
    /// The default transport could not be built.
    #[error("the HTTP client could not be built: {0}")]
    Transport(String),
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let e = decode::<wire::AuthResponse>("InitiateAuth", &r).unwrap_err();
        let s = e.service().unwrap();
        assert_eq!(s.kind(), crate::ServiceErrorKind::NotAuthorized);
        assert_eq!(s.message(), Some("Incorrect username or password."));

        let r = response(
            400,
            "application/json",
            None,
            r#"{"__type":"com.amazonaws.cognitoidentityprovider#TooManyRequestsException","Message":"slow down"}"#,
        );
        let e = decode::<wire::AuthResponse>("InitiateAuth", &r).unwrap_err();
        assert_eq!(
            e.service_kind(),
            Some(crate::ServiceErrorKind::TooManyRequests)
        );
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
        let e = decode::<wire::AuthResponse>("InitiateAuth", &r).unwrap_err();
        let s = e.service().unwrap();
        assert_eq!(s.kind(), crate::ServiceErrorKind::Unknown);
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
            let e = decode::<wire::AuthResponse>("InitiateAuth", &r).unwrap_err();
            assert!(
                matches!(e, Error::Protocol(ProtocolError::NotJson { .. })),
                "{e:?}"
            );
        }
    }

    #[test]
    fn client_is_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Client>();
    }

    #[test]
    fn builder_checks_validity_and_pool_id() {
        assert_eq!(
            Client::builder("c")
                .region("eu-west-1")
                .session_validity(Duration::from_secs(60))
                .build()
                .unwrap_err(),
            BuildError::SessionValidity(Duration::from_secs(60))
        );
        assert_eq!(
            Client::builder("c")
                .user_pool_id("nounderscore")
                .build()
                .unwrap_err(),
            BuildError::UserPoolId("nounderscore".into())
        );
        assert_eq!(
            Client::builder("c").build().unwrap_err(),
            BuildError::NoEndpoint
        );
        assert_eq!(
            region_endpoint("cn-north-1"),
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/"
        );
    }
}
