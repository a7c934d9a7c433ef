//! The public API of [`Client`], in one place: configuring it, starting a flow, the
//! handler-driven sign-in, and the calls made with a signed-in user's tokens.
//!
//! The facade only composes the layers below (ARCHITECTURE.md): the struct and how it
//! sends an operation are in `connection`, flows in `flows`, devices in `device`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::challenge::Challenge;
use crate::connection::{Clock, Connection, Settings};
use crate::device::{self, RememberedDevice};
use crate::error::Error;
use crate::flows::Flow;
use crate::handler::{HandledBy, Handler, SignInError, drive};
use crate::pending::{Detached, Pending};
use crate::secret::Secret;
use crate::tokens::Tokens;
use crate::transport::{BoxFuture, Transport};

/// The shortest and longest `AuthSessionValidity` an app client can have.
const SESSION_VALIDITY_RANGE: (Duration, Duration) =
    (Duration::from_secs(3 * 60), Duration::from_secs(15 * 60));

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
    connection: Connection,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.connection.fmt(f)
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

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.connection.settings().client_id
    }

    /// The user pool id, if configured (SRP needs it).
    pub fn user_pool_id(&self) -> Option<&str> {
        self.connection.settings().user_pool_id.as_deref()
    }

    /// How long a challenge `Session` stays valid.
    pub fn session_validity(&self) -> Duration {
        self.connection.settings().session_validity
    }

    /// The current time, from the configured clock.
    pub fn now(&self) -> SystemTime {
        self.connection.time()
    }

    /// `SECRET_HASH` for `username`, when the app client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<Secret> {
        self.connection.hash_for(username)
    }

    /// Starts a sign-in flow and returns its first typed outcome.
    pub async fn initiate<F: Flow>(&self, flow: F) -> Result<F::Outcome, Error> {
        flow.start(&self.connection).await
    }

    /// Runs `flow` to tokens, asking `handler` to answer each challenge.
    ///
    /// `handler` must implement [`Handle<C>`](crate::handler::Handle) for every challenge `C` the flow can
    /// reach, or this does not compile; see [`crate::handler`].
    pub fn sign_in<'a, F, H>(
        &'a self,
        flow: F,
        handler: &'a mut H,
    ) -> BoxFuture<'a, Result<Tokens, SignInError<H::Error>>>
    where
        F: Flow + 'a,
        F::Outcome: HandledBy<H>,
        H: Handler,
    {
        // A named future type (not `impl Future`) keeps a missing handler to one error.
        Box::pin(async move {
            let first = self.initiate(flow).await?;
            drive(first, handler).await
        })
    }

    /// Registers the device the service started tracking with this sign-in
    /// (`NewDeviceMetadata`): makes a device password, salt and verifier and calls
    /// `ConfirmDevice`. Fails with [`Error::NotOffered`] when the tokens carry no new
    /// device (the pool does not track devices, or the sign-in used one).
    pub async fn confirm_device(
        &self,
        tokens: &Tokens,
        device_name: impl Into<String>,
    ) -> Result<RememberedDevice, Error> {
        device::confirm(&self.connection, tokens, device_name.into()).await
    }

    /// Marks a device remembered (it then skips MFA) or not (`UpdateDeviceStatus`).
    /// Needed after [`confirm_device`](Self::confirm_device) when
    /// [`RememberedDevice::user_confirmation_necessary`] is true: the pool remembers
    /// devices only when the user says so.
    pub async fn set_device_remembered(
        &self,
        tokens: &Tokens,
        device_key: &str,
        remembered: bool,
    ) -> Result<(), Error> {
        device::set_remembered(&self.connection, tokens, device_key, remembered).await
    }
}

impl<C: Challenge> Detached<C> {
    /// Attaches the stored challenge to a client again. The client must be for the same
    /// app client (`ClientId`) the sign-in started with.
    pub fn attach(self, client: &Client) -> Result<Pending<C>, Error> {
        self.attach_to(&client.connection)
    }
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
        let connection = Connection::from_settings(Settings {
            transport,
            client_id: self.client_id,
            client_secret: self.client_secret,
            user_pool_id: self.user_pool_id,
            session_validity: self.session_validity,
            max_attempts: self.max_attempts,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
        });
        Ok(Client { connection })
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
