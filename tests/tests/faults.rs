//! Servers that misbehave on purpose, on 127.0.0.1: every fault ends in a typed error,
//! after a bounded number of sends, in bounded time, without a panic.
//!
//! A raw-socket server plays the HTTP faults (hangs, resets, redirects, oversized and
//! drip-fed bodies, broken JSON); a scripted transport plays the protocol faults (a
//! device proof asked for ever, a challenge answered with itself).

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognito_typestate::challenges::{
    AfterPassword, SmsMfa, SmsMfaCode, SoftwareTokenMfa, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::{UserPasswordAuth, UserSrpAuth};
use cognito_typestate::handler::{Handle, Handler, SignInError};
use cognito_typestate::{
    BoxFuture, Client, DeviceCredentials, Error, HttpRequest, HttpResponse, Pending, ProtocolError,
    Tokens, Transport, TransportError, TransportErrorKind,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the raw server does with one request.
#[derive(Clone)]
enum Fault {
    /// Reads the request and never answers.
    Hang,
    /// Promises a body and closes the connection halfway through it.
    ResetMidBody,
    /// Answers with this status, these extra headers and this body.
    Answer(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Sends the headers, then the body one byte every 200 ms.
    Drip(Vec<u8>),
    /// Streams this many bytes of body without a `Content-Length`.
    Endless(usize),
}

/// A server on 127.0.0.1 that answers request `n` with `faults[n]` (the last one
/// again after that) and counts the requests.
struct FaultServer {
    url: String,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    async fn start(faults: Vec<Fault>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let faults = faults.clone();
                let counter = Arc::clone(&counter);
                tokio::spawn(serve(socket, faults, counter));
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn client(&self) -> Client {
        Client::builder("fault-client")
            .user_pool_id("eu-west-1_Faults")
            .endpoint(&self.url)
            .timeout(Duration::from_millis(600))
            .max_attempts(3)
            .build()
            .unwrap()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves the requests of one keep-alive connection.
async fn serve(mut socket: TcpStream, faults: Vec<Fault>, counter: Arc<AtomicUsize>) {
    while read_request(&mut socket).await.is_some() {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let fault = faults[n.min(faults.len() - 1)].clone();
        if !play(&mut socket, fault).await {
            return;
        }
    }
}

/// Reads one request (headers and a `Content-Length` body); `None` at the end.
async fn read_request(socket: &mut TcpStream) -> Option<()> {
    let mut buffer = Vec::new();
    let mut byte = [0u8; 1];
    while !buffer.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        buffer.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buffer).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    socket.read_exact(&mut body).await.ok()?;
    Some(())
}

/// Plays one fault; `false` when the connection is done.
async fn play(socket: &mut TcpStream, fault: Fault) -> bool {
    match fault {
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            false
        }
        Fault::ResetMidBody => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 1000\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(br#"{"ChallengeName":"SMS_"#).await;
            false
        }
        Fault::Answer(status, headers, body) => {
            let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
            if !headers.iter().any(|(name, _)| *name == "content-type") {
                head.push_str("content-type: application/x-amz-json-1.1\r\n");
            }
            for (name, value) in headers {
                let _ = write!(head, "{name}: {value}\r\n");
            }
            head.push_str("\r\n");
            socket.write_all(head.as_bytes()).await.is_ok() && socket.write_all(&body).await.is_ok()
        }
        Fault::Drip(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            for byte in body {
                if socket.write_all(&[byte]).await.is_err() {
                    return false;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            false
        }
        Fault::Endless(bytes) => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ntransfer-encoding: chunked\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < bytes {
                let frame = format!("{:x}\r\n", chunk.len());
                if socket.write_all(frame.as_bytes()).await.is_err()
                    || socket.write_all(&chunk).await.is_err()
                    || socket.write_all(b"\r\n").await.is_err()
                {
                    return false;
                }
                sent += chunk.len();
            }
            false
        }
    }
}

fn json_answer(status: u16, body: &Value) -> Fault {
    Fault::Answer(status, Vec::new(), body.to_string().into_bytes())
}

fn tokens() -> Value {
    json!({"AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600}})
}

/// The transport error kind of a failed call, or a panic naming what came instead.
fn transport_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> TransportErrorKind {
    match result {
        Err(Error::Transport(e)) => e.kind,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// Runs `call` and checks it ended within `limit`.
async fn within<T>(limit: Duration, call: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let result = tokio::time::timeout(limit, call)
        .await
        .expect("the call did not end in time");
    assert!(started.elapsed() <= limit);
    result
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_resent_only_where_safe() {
    let server = FaultServer::start(vec![Fault::Hang]).await;
    resent_only_for_srp(
        &server,
        Duration::from_secs(10),
        TransportErrorKind::Timeout,
    )
    .await;
}

/// After a failure that may hide a processed call: starting SRP twice does nothing the
/// first start did not, so it is sent three times; a password sign-in may have sent an
/// SMS code, so it is sent once.
async fn resent_only_for_srp(server: &FaultServer, srp_limit: Duration, kind: TransportErrorKind) {
    let srp = within(
        srp_limit,
        server.client().initiate(UserSrpAuth::new("u", "p")),
    )
    .await;
    assert_eq!(transport_kind(srp), kind);
    assert_eq!(server.requests(), 3);
    let password = within(
        Duration::from_secs(5),
        server.client().initiate(UserPasswordAuth::new("u", "p")),
    )
    .await;
    assert_eq!(transport_kind(password), kind);
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_interrupted() {
    let server = FaultServer::start(vec![Fault::ResetMidBody]).await;
    let result = within(
        Duration::from_secs(5),
        server.client().initiate(UserPasswordAuth::new("u", "p")),
    )
    .await;
    assert_eq!(transport_kind(result), TransportErrorKind::Interrupted);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn proxy_statuses_are_typed_and_retried_where_safe() {
    let html = |status| {
        Fault::Answer(
            status,
            vec![("content-type", "text/html".into())],
            b"<html><body>Bad gateway</body></html>".to_vec(),
        )
    };
    // 502: the gateway may have passed the call on; only an SRP start is sent again.
    let server = FaultServer::start(vec![html(502)]).await;
    resent_only_for_srp(&server, Duration::from_secs(5), TransportErrorKind::Gateway).await;
    // 503 and 429: not processed, so any sign-in start is sent again, and succeeds.
    for status in [503, 429] {
        let server = FaultServer::start(vec![html(status), json_answer(200, &tokens())]).await;
        let signed_in = within(
            Duration::from_secs(5),
            server.client().initiate(UserPasswordAuth::new("u", "p")),
        )
        .await;
        assert!(
            matches!(signed_in, Ok(AfterPassword::Authenticated(_))),
            "{status}: {signed_in:?}"
        );
        assert_eq!(server.requests(), 2);
    }
    // 500 with an HTML page is no Cognito answer: a protocol error, not resent.
    let server = FaultServer::start(vec![html(500)]).await;
    let result = within(
        Duration::from_secs(5),
        server.client().initiate(UserSrpAuth::new("u", "p")),
    )
    .await;
    assert!(
        matches!(result, Err(Error::Protocol(ProtocolError::NotJson { .. }))),
        "{result:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let throttled = Fault::Answer(
        429,
        vec![("retry-after", "1".into())],
        br#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#.to_vec(),
    );
    let server = FaultServer::start(vec![throttled, json_answer(200, &tokens())]).await;
    let started = Instant::now();
    let signed_in = within(
        Duration::from_secs(5),
        server.client().initiate(UserPasswordAuth::new("u", "p")),
    )
    .await;
    assert!(matches!(signed_in, Ok(AfterPassword::Authenticated(_))));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn redirects_are_never_followed() {
    for (status, to) in [(307, "http://127.0.0.1:9/"), (308, "https://example.com/")] {
        let redirect = Fault::Answer(status, vec![("location", to.into())], Vec::new());
        let server = FaultServer::start(vec![redirect]).await;
        let result = within(
            Duration::from_secs(5),
            server.client().initiate(UserPasswordAuth::new("u", "p")),
        )
        .await;
        assert_eq!(transport_kind(result), TransportErrorKind::Redirect);
        assert_eq!(server.requests(), 1, "{status}: the body went nowhere else");
    }
}

#[tokio::test]
async fn oversized_and_drip_fed_bodies_stop_early() {
    // 16 MiB announced: refused before it is read.
    let big = Fault::Answer(200, Vec::new(), vec![b' '; 16 << 20]);
    let server = FaultServer::start(vec![big]).await;
    let result = within(
        Duration::from_secs(10),
        server.client().initiate(UserPasswordAuth::new("u", "p")),
    )
    .await;
    assert_eq!(transport_kind(result), TransportErrorKind::TooLarge);
    // 16 MiB without a length: cut at the cap.
    let server = FaultServer::start(vec![Fault::Endless(16 << 20)]).await;
    let result = within(
        Duration::from_secs(10),
        server.client().initiate(UserPasswordAuth::new("u", "p")),
    )
    .await;
    assert_eq!(transport_kind(result), TransportErrorKind::TooLarge);
    // One byte every 200 ms: the request's time runs out.
    let server = FaultServer::start(vec![Fault::Drip(tokens().to_string().into_bytes())]).await;
    let result = within(
        Duration::from_secs(5),
        server.client().initiate(UserPasswordAuth::new("u", "p")),
    )
    .await;
    assert!(matches!(
        transport_kind(result),
        TransportErrorKind::Timeout | TransportErrorKind::Interrupted
    ));
}

#[tokio::test]
async fn broken_json_is_a_protocol_error() {
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    for body in [
        vec![0xff, 0xfe, 0x7b, 0x80],
        br#"{"ChallengeName":"SMS_"#.to_vec(),
        deep.into_bytes(),
        br#"{"ChallengeName": 42}"#.to_vec(),
    ] {
        let server = FaultServer::start(vec![Fault::Answer(200, Vec::new(), body)]).await;
        let result = within(
            Duration::from_secs(5),
            server.client().initiate(UserPasswordAuth::new("u", "p")),
        )
        .await;
        assert!(matches!(result, Err(Error::Protocol(_))), "{result:?}");
        assert_eq!(server.requests(), 1);
    }
}

/// Answers each operation from a queue, counting what was sent.
#[derive(Clone, Default)]
struct Scripted {
    answers: Arc<Mutex<VecDeque<Value>>>,
    repeat: Arc<Mutex<Option<Value>>>,
    sent: Arc<AtomicUsize>,
}

impl Scripted {
    fn then(self, answer: Value) -> Self {
        self.answers.lock().unwrap().push_back(answer);
        self
    }

    fn forever(self, answer: Value) -> Self {
        *self.repeat.lock().unwrap() = Some(answer);
        self
    }

    fn client(&self) -> Client {
        Client::builder("fault-client")
            .user_pool_id("eu-west-1_Faults")
            .transport(self.clone())
            .build()
            .unwrap()
    }
}

impl Transport for Scripted {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let next = self.answers.lock().unwrap().pop_front();
        let answer = next.or_else(|| self.repeat.lock().unwrap().clone());
        Box::pin(async move {
            let answer = answer.expect("a scripted answer");
            let status = answer.get("__type").map_or(200, |_| 400);
            Ok(HttpResponse {
                status,
                content_type: Some("application/x-amz-json-1.1".into()),
                error_type: None,
                retry_after: None,
                body: answer.to_string().into_bytes(),
            })
        })
    }
}

fn challenge(name: &str, parameters: &Value) -> Value {
    json!({"ChallengeName": name, "Session": "S", "ChallengeParameters": parameters})
}

#[tokio::test]
async fn a_device_proof_asked_for_ever_ends_after_one_proof() {
    let verifier = challenge(
        "DEVICE_PASSWORD_VERIFIER",
        &json!({"SALT": "7c", "SRP_B": "02", "SECRET_BLOCK": "c2VjcmV0"}),
    );
    let script = || {
        Scripted::default()
            .then(challenge("DEVICE_SRP_AUTH", &json!({})))
            .then(verifier.clone())
            .forever(challenge("DEVICE_SRP_AUTH", &json!({})))
    };
    let device = DeviceCredentials {
        device_key: "eu-west-1_device".into(),
        device_group_key: "group".into(),
        device_password: "device-password".into(),
    };
    let manual = script();
    let result = within(
        Duration::from_secs(5),
        manual
            .client()
            .initiate(UserPasswordAuth::new("u", "p").device(device.clone())),
    )
    .await;
    // One proof; the service asking again reaches the application as a pending
    // challenge, never as another round of proofs.
    assert!(
        matches!(result, Ok(AfterPassword::DeviceSrpAuth(_))),
        "{result:?}"
    );
    assert_eq!(manual.sent.load(Ordering::SeqCst), 3);
    // Under the handler driver it is a typed protocol error.
    let driven = within(
        Duration::from_secs(5),
        script()
            .client()
            .sign_in(UserPasswordAuth::new("u", "p").device(device), &mut Codes),
    )
    .await;
    assert!(
        matches!(
            driven,
            Err(SignInError::Cognito(Error::Protocol(
                ProtocolError::DeviceProofRepeated
            )))
        ),
        "{driven:?}"
    );
}

/// Answers every code challenge with the same code.
struct Codes;

impl Handler for Codes {
    type Error = std::convert::Infallible;
}

macro_rules! answer_codes {
    ($($challenge:ty => $answer:ident),*) => {$(
        impl Handle<$challenge> for Codes {
            async fn answer(&mut self, _: &Pending<$challenge>) -> Result<$answer, Self::Error> {
                Ok($answer::new("123456"))
            }
        }
    )*};
}

answer_codes!(SmsMfa => SmsMfaCode, SoftwareTokenMfa => SoftwareTokenMfaCode);

/// The handlers a password sign-in can reach that `Codes` does not answer: refused.
mod others {
    use cognito_typestate::challenges::*;
    use cognito_typestate::handler::{
        Handle, MfaSetupChoice, SoftwareTokenSetup, TotpVerification,
    };

    use super::{Codes, Pending};

    macro_rules! never {
        ($($prompt:ty => $input:ty => $answer:ty),*) => {$(
            impl Handle<$prompt> for Codes {
                async fn answer(&mut self, _: &$input) -> Result<$answer, Self::Error> {
                    unreachable!("not asked in these tests")
                }
            }
        )*};
    }

    never!(
        NewPasswordRequired => Pending<NewPasswordRequired> => NewPassword,
        EmailOtp => Pending<EmailOtp> => EmailOtpCode,
        SelectMfaType => Pending<SelectMfaType> => MfaSelection,
        MfaSetup => Pending<MfaSetup> => MfaSetupChoice,
        SoftwareTokenSetup => TotpSetup => TotpVerification
    );
}

#[tokio::test]
async fn a_code_refused_for_ever_ends_the_driven_sign_in_after_a_bounded_number_of_answers() {
    let script = Scripted::default()
        .then(challenge("SMS_MFA", &json!({})))
        .forever(json!({"__type": "CodeMismatchException", "message": "Invalid code"}));
    let driven = within(
        Duration::from_secs(10),
        script
            .client()
            .sign_in(UserPasswordAuth::new("u", "p"), &mut Codes),
    )
    .await;
    assert!(
        matches!(
            driven,
            Err(SignInError::Cognito(Error::Protocol(
                ProtocolError::StepBudget { .. }
            )))
        ),
        "{driven:?}"
    );
    let sent = script.sent.load(Ordering::SeqCst);
    assert_eq!(sent, 1 + cognito_typestate::handler::MAX_STEPS);
}

#[tokio::test]
async fn an_mfa_ping_pong_is_refused_by_the_outcome_types() {
    // SMS_MFA answered with SMS_MFA: not a state that may follow a code.
    let script = Scripted::default()
        .then(challenge("SMS_MFA", &json!({})))
        .forever(challenge("SMS_MFA", &json!({})));
    let driven: Result<Tokens, _> = within(
        Duration::from_secs(5),
        script
            .client()
            .sign_in(UserPasswordAuth::new("u", "p"), &mut Codes),
    )
    .await;
    assert!(
        matches!(
            driven,
            Err(SignInError::Cognito(Error::UnexpectedChallenge(_)))
        ),
        "{driven:?}"
    );
    assert_eq!(script.sent.load(Ordering::SeqCst), 2);
}
