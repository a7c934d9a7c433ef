//! Sending one operation over HTTP: the [`Transport`] trait and its reqwest default.
//!
//! A transport only moves bytes: it posts [`HttpRequest::body`] with
//! [`HttpRequest::headers`] and returns status, the two headers that matter and the body.
//! Reading error codes, JSON and challenges happens once, in the client, for every
//! transport alike.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::TransportError;

/// A boxed future, as [`Transport::send`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one Cognito operation and returns the raw answer.
///
/// Implement this to run the client over another HTTP stack, to record and replay
/// traffic, or to add tracing. Retries, error decoding and JSON live in the client.
///
/// ```
/// use cognito_typestate::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
///
/// /// Answers every call with a throttling error, e.g. to test an application's retry UI.
/// struct AlwaysThrottled;
///
/// impl Transport for AlwaysThrottled {
///     fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
///         Box::pin(async move {
///             Ok(HttpResponse {
///                 status: 400,
///                 content_type: Some("application/x-amz-json-1.1".into()),
///                 error_type: None,
///                 body: br#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#.to_vec(),
///             })
///         })
///     }
/// }
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Posts the request to the endpoint and returns the answer, whatever its status.
    /// Return `Err` only when no HTTP answer was received.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Waits before a retry. The default does not wait, so a transport that runs on
    /// another executor never touches tokio's timer.
    fn backoff(&self, delay: Duration) -> BoxFuture<'_, ()> {
        let _ = delay;
        Box::pin(async {})
    }
}

/// One operation to post to `/` of the endpoint.
#[derive(Debug)]
pub struct HttpRequest {
    /// The operation name, e.g. `InitiateAuth`.
    pub operation: &'static str,
    /// The JSON body. It may hold passwords and codes: it is wiped when dropped.
    pub body: Zeroizing<Vec<u8>>,
}

impl HttpRequest {
    /// The headers every Cognito request carries:
    /// `Content-Type`, `X-Amz-Target` and `Cache-Control`.
    pub fn headers(&self) -> [(&'static str, String); 3] {
        [
            ("content-type", "application/x-amz-json-1.1".to_owned()),
            (
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{}", self.operation),
            ),
            ("cache-control", "no-store".to_owned()),
        ]
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `x-amzn-ErrorType` header.
    pub error_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// The default transport: reqwest with rustls, posting to one endpoint URL.
#[cfg(feature = "reqwest")]
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    endpoint: String,
}

#[cfg(feature = "reqwest")]
impl ReqwestTransport {
    /// A transport posting to `endpoint` (e.g. `https://cognito-idp.eu-west-1.amazonaws.com/`),
    /// giving up on a request after `timeout`.
    pub fn new(endpoint: impl Into<String>, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("cognito-typestate/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            endpoint: endpoint.into(),
        })
    }

    /// The endpoint URL requests are posted to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

#[cfg(feature = "reqwest")]
impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        use crate::error::TransportErrorKind;

        Box::pin(async move {
            let operation = request.operation;
            let classify = |e: reqwest::Error| {
                let kind = if e.is_timeout() {
                    TransportErrorKind::Timeout
                } else if e.is_connect() {
                    TransportErrorKind::Connect
                } else {
                    TransportErrorKind::Other
                };
                TransportError::new(kind, operation, e)
            };
            let mut builder = self.http.post(&self.endpoint);
            for (name, value) in request.headers() {
                builder = builder.header(name, value);
            }
            let response = builder
                .body(request.body.to_vec())
                .send()
                .await
                .map_err(classify)?;
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let status = response.status().as_u16();
            let content_type = header("content-type");
            let error_type = header("x-amzn-errortype");
            let body = response.bytes().await.map_err(classify)?.to_vec();
            Ok(HttpResponse {
                status,
                content_type,
                error_type,
                body,
            })
        })
    }

    fn backoff(&self, delay: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(delay))
    }
}
