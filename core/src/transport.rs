//! Sending one operation over HTTP: the [`Transport`] trait and its reqwest default.
//!
//! A transport only moves bytes: it posts [`HttpRequest::body`] with
//! [`HttpRequest::headers`] and returns status, the two headers that matter and the body.
//! Reading error codes, JSON and challenges happens once, in the client, for every
//! transport alike.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Poll, Waker};
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::TransportError;
#[cfg(feature = "reqwest")]
use crate::error::TransportErrorKind;

/// A boxed future, as [`Transport::send`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one Cognito operation and returns the raw answer.
///
/// Implement this to run the client over another HTTP stack, to record and replay
/// traffic, or to add tracing. Retries, error decoding and JSON live in the client.
///
/// An implementation must not follow redirects (the body holds passwords, codes and
/// sessions: return the 3xx answer, which the client turns into a typed error), should
/// stop reading a body past [`MAX_BODY`] (return a [`TooLarge` error](crate::TransportErrorKind::TooLarge)), and
/// should bound each request's time (the default transport does all three).
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
///                 retry_after: Some("1".into()),
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

    /// Waits before a retry. The default waits on a timer thread of its own, so it
    /// works on any executor; the reqwest transport uses tokio's timer.
    fn backoff(&self, delay: Duration) -> BoxFuture<'_, ()> {
        Box::pin(sleep(delay))
    }
}

/// One operation to post to `/` of the endpoint.
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

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// The most bytes of an answer the client reads: Cognito's answers are a few KiB.
pub const MAX_BODY: usize = 1 << 20;

/// What came back.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `x-amzn-ErrorType` header.
    pub error_type: Option<String>,
    /// The `Retry-After` header, honoured (in whole seconds) before a retry.
    pub retry_after: Option<String>,
    /// The body. It may hold tokens and sessions: `Debug` shows only its length.
    pub body: Vec<u8>,
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("error_type", &self.error_type)
            .field("retry_after", &self.retry_after)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// Waits for `delay` on a timer thread, waking the task on any executor.
pub(crate) fn sleep(delay: Duration) -> impl Future<Output = ()> + Send {
    let state = Arc::new(Mutex::new((false, None::<Waker>)));
    let timer = Arc::clone(&state);
    let spawned = std::thread::Builder::new()
        .name("cognito-typestate-backoff".into())
        .spawn(move || {
            std::thread::sleep(delay);
            let mut state = timer.lock().unwrap_or_else(PoisonError::into_inner);
            state.0 = true;
            if let Some(waker) = state.1.take() {
                waker.wake();
            }
        });
    // No thread (the process is out of them): retry at once rather than never.
    let done_already = spawned.is_err();
    std::future::poll_fn(move |cx| {
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        if done_already || state.0 {
            return Poll::Ready(());
        }
        state.1 = Some(cx.waker().clone());
        Poll::Pending
    })
}

/// The default transport: reqwest, posting to one endpoint URL over the TLS the crate
/// features chose (`native-tls`, the default, or `rustls`).
#[cfg(feature = "reqwest")]
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    endpoint: String,
}

#[cfg(feature = "reqwest")]
impl ReqwestTransport {
    /// A transport posting to `endpoint` (e.g. `https://cognito-idp.eu-west-1.amazonaws.com/`),
    /// giving up on a request after `timeout` (connecting included) and never following
    /// a redirect.
    pub fn new(endpoint: impl Into<String>, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder();
        // Asked for by name: with both TLS features on, reqwest would pick native-tls.
        #[cfg(feature = "rustls")]
        let http = http.tls_backend_rustls();
        #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
        let http = match shared_native_tls() {
            Some(tls) => http.use_preconfigured_tls(tls),
            // reqwest makes its own, and reports why that fails too.
            None => http,
        };
        let http = http
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
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

/// The platform TLS connector every [`ReqwestTransport`] of the process shares, made on
/// first use; `None` when the platform's TLS library cannot make one.
///
/// Made once because making one loads and parses the platform's root certificates:
/// 60 to 100 ms with OpenSSL 3 on Linux, which every `Client` would otherwise pay (a test
/// suite builds one per test). The connector is immutable settings; connections and
/// their pools stay per `ReqwestTransport`.
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
fn shared_native_tls() -> Option<native_tls::TlsConnector> {
    static CONNECTOR: std::sync::OnceLock<Option<native_tls::TlsConnector>> =
        std::sync::OnceLock::new();
    CONNECTOR
        .get_or_init(|| {
            native_tls::TlsConnector::builder()
                // Cognito's endpoints speak TLS 1.2 and 1.3 only.
                .min_protocol_version(Some(native_tls::Protocol::Tlsv12))
                .build()
                .ok()
        })
        .clone()
}

#[cfg(feature = "reqwest")]
impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let operation = request.operation;
            let classify = |e: reqwest::Error| {
                let kind = if e.is_timeout() {
                    TransportErrorKind::Timeout
                } else if e.is_connect() {
                    TransportErrorKind::Connect
                } else if e.is_body() || e.is_decode() || e.is_request() {
                    TransportErrorKind::Interrupted
                } else {
                    TransportErrorKind::Other
                };
                TransportError::new(kind, operation, e)
            };
            let mut builder = self.http.post(&self.endpoint);
            for (name, value) in request.headers() {
                builder = builder.header(name, value);
            }
            let mut response = builder
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
            let retry_after = header("retry-after");
            let too_large = || {
                TransportError::new(
                    TransportErrorKind::TooLarge,
                    operation,
                    format!("the answer is larger than {MAX_BODY} bytes"),
                )
            };
            if response
                .content_length()
                .is_some_and(|n| n > MAX_BODY as u64)
            {
                return Err(too_large());
            }
            // Read in chunks so an endless or oversized body stops at the cap.
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                content_type,
                error_type,
                retry_after,
                body,
            })
        })
    }

    fn backoff(&self, delay: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(delay))
    }
}
