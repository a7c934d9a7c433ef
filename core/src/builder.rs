//! [`ClientBuilder`]: configuring a [`Client`], checked before anything is sent.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::client::Client;
use crate::connection::{Clock, Connection, Settings};
use crate::secret::Secret;
use crate::transport::Transport;

/// The shortest and longest `AuthSessionValidity` an app client can have.
pub(crate) const SESSION_VALIDITY_RANGE: (Duration, Duration) =
    (Duration::from_secs(3 * 60), Duration::from_secs(15 * 60));

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
    pub(crate) fn new(client_id: String) -> Self {
        Self {
            client_id,
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
    /// challenge older than this fails locally with [`Error::SessionExpired`](crate::Error::SessionExpired).
    pub fn session_validity(mut self, validity: Duration) -> Self {
        self.session_validity = validity;
        self
    }

    /// How often an operation is tried in all when a failure allows another attempt
    /// (default 3, at most 10). Challenge answers are never resent; an operation whose first
    /// call may have had an effect (a code sent, a token rotated) is sent again only
    /// after a failure that proves it was not processed (no connection, throttled).
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

    /// The region part of the user pool id, once the id is checked: `<region>_<name>`
    /// with a name of letters and digits, and the region the one given with `region`,
    /// if any.
    fn pool_region(&self) -> Result<Option<&str>, BuildError> {
        let Some(id) = &self.user_pool_id else {
            return Ok(None);
        };
        let (region, _) = id
            .split_once('_')
            .filter(|(region, name)| {
                is_region_like(region)
                    && !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric())
            })
            .ok_or_else(|| BuildError::UserPoolId(id.clone()))?;
        match &self.region {
            Some(given) if given != region => Err(BuildError::RegionMismatch {
                region: given.clone(),
                user_pool_id: id.clone(),
            }),
            _ => Ok(Some(region)),
        }
    }

    /// Where the default transport posts: the endpoint given, or the region's public
    /// endpoint. A region must look like one (`eu-west-1`), so configuration cannot
    /// choose another host.
    fn target(&self) -> Result<String, BuildError> {
        let pool_region = self.pool_region()?;
        if let Some(endpoint) = &self.endpoint {
            return Ok(endpoint.clone());
        }
        let region = self
            .region
            .as_deref()
            .or(pool_region)
            .ok_or(BuildError::NoEndpoint)?;
        if !is_aws_region(region) {
            return Err(BuildError::Region(region.to_owned()));
        }
        Ok(region_endpoint(region))
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let (min, max) = SESSION_VALIDITY_RANGE;
        if !(min..=max).contains(&self.session_validity) {
            return Err(BuildError::SessionValidity(self.session_validity));
        }
        let transport = match &self.transport {
            Some(transport) => {
                self.pool_region()?;
                Arc::clone(transport)
            }
            None => default_transport(self.target()?, self.timeout)?,
        };
        let connection = Connection::from_settings(Settings {
            transport,
            client_id: self.client_id.into(),
            client_secret: self.client_secret,
            user_pool_id: self.user_pool_id,
            session_validity: self.session_validity,
            max_attempts: self.max_attempts,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
        });
        Ok(Client::from_connection(connection))
    }
}

/// Whether `region` is an AWS region name: lower-case words joined by `-`, ending in a
/// number (`us-east-1`, `us-gov-west-1`, `cn-north-1`).
fn is_aws_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the part of a pool id before `_` can be a region: an AWS region, or the
/// name an emulator uses (`local`), of letters, digits and `-` only.
fn is_region_like(prefix: &str) -> bool {
    !prefix.is_empty()
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
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
    /// The region is not an AWS region name, so it cannot choose an endpoint.
    #[error("`{0}` is not an AWS region name (such as `eu-west-1`)")]
    Region(String),
    /// The region given and the user pool id's region differ.
    #[error("region `{region}` does not match the user pool id `{user_pool_id}`")]
    RegionMismatch {
        /// The region given with `region`.
        region: String,
        /// The user pool id.
        user_pool_id: String,
    },
    /// The default transport could not be built.
    #[error("the HTTP client could not be built: {0}")]
    Transport(String),
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn configuration_cannot_choose_the_host() {
        for region in [
            "evil.example/",
            "eu-west-1.evil",
            "x",
            "EU-WEST-1",
            "eu-west-",
        ] {
            assert_eq!(
                Client::builder("c").region(region).build().unwrap_err(),
                BuildError::Region(region.into()),
                "{region}"
            );
        }
        for id in ["evil.example/_x", "eu-west-1_a.b", "eu-west-1_", "_abc"] {
            assert_eq!(
                Client::builder("c").user_pool_id(id).build().unwrap_err(),
                BuildError::UserPoolId(id.into()),
                "{id}"
            );
        }
        assert_eq!(
            Client::builder("c")
                .region("us-east-1")
                .user_pool_id("eu-west-1_AbC123")
                .build()
                .unwrap_err(),
            BuildError::RegionMismatch {
                region: "us-east-1".into(),
                user_pool_id: "eu-west-1_AbC123".into()
            }
        );
        for region in ["us-east-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5"] {
            assert!(is_aws_region(region), "{region}");
        }
        // An emulator's pool id names no region; its endpoint is given.
        assert!(
            Client::builder("c")
                .user_pool_id("local_5fqmKQ6n")
                .endpoint("http://127.0.0.1:9229/")
                .build()
                .is_ok()
        );
    }
}
