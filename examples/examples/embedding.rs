//! Bring your own transport: record a sign-in's traffic, then replay it with no
//! server at all.
//!
//! [`Transport`] is the one seam between the client and the network: it posts one
//! operation and returns the raw answer. Here a `Recorder` wraps the default reqwest
//! transport and keeps every exchange (a "cassette"); a `Replayer` answers from the
//! cassette and fails any request that differs from the recorded one. A test suite
//! records once against a real pool (or the emulator) and then runs offline, and a
//! changed request shows up as a failure instead of a silent difference.
//!
//! The same trait puts the client on another HTTP stack (hyper, an in-house client, a
//! WASM `fetch`), adds tracing, or injects faults.
//!
//! ```text
//! cargo run -p examples --example embedding
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cognito_typestate::challenges::{AfterMfa, AfterPassword, SmsMfaCode};
use cognito_typestate::flows::UserPasswordAuth;
use cognito_typestate::{
    BoxFuture, Client, HttpRequest, HttpResponse, ReqwestTransport, Tokens, Transport,
    TransportError, TransportErrorKind,
};
use cognito_typestate_emulator::{
    AppClientConfig, Emulator, Mfa, MfaMethod, PoolConfig, UserConfig,
};
use serde::{Deserialize, Serialize};

/// One request and its answer. Bodies hold passwords, codes and tokens: a cassette is
/// as secret as the credentials it was recorded with.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Exchange {
    operation: String,
    request: String,
    status: u16,
    content_type: Option<String>,
    error_type: Option<String>,
    response: String,
}

/// Sends through `inner` and keeps every exchange.
struct Recorder<T> {
    inner: T,
    cassette: Arc<Mutex<Vec<Exchange>>>,
}

impl<T: Transport> Transport for Recorder<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let operation = request.operation.to_owned();
            let body = String::from_utf8_lossy(&request.body).into_owned();
            let response = self.inner.send(request).await?;
            self.cassette.lock().unwrap().push(Exchange {
                operation,
                request: body,
                status: response.status,
                content_type: response.content_type.clone(),
                error_type: response.error_type.clone(),
                response: String::from_utf8_lossy(&response.body).into_owned(),
            });
            Ok(response)
        })
    }
}

/// Answers from a cassette, in order; a request that is not the recorded one fails.
struct Replayer {
    cassette: Mutex<VecDeque<Exchange>>,
}

impl Transport for Replayer {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let body = String::from_utf8_lossy(&request.body);
            let next = self.cassette.lock().unwrap().pop_front();
            match next {
                Some(e) if e.operation == request.operation && e.request == body => {
                    Ok(HttpResponse {
                        status: e.status,
                        content_type: e.content_type,
                        error_type: e.error_type,
                        retry_after: None,
                        body: e.response.into_bytes(),
                    })
                }
                // The bodies hold secrets: say what differs, not what they are.
                Some(e) => Err(TransportError::new(
                    TransportErrorKind::Other,
                    request.operation,
                    if e.operation == request.operation {
                        format!("the {} request differs from the recorded one", e.operation)
                    } else {
                        format!("expected {}, got {}", e.operation, request.operation)
                    },
                )),
                None => Err(TransportError::new(
                    TransportErrorKind::Other,
                    request.operation,
                    "the cassette has no more answers",
                )),
            }
        })
    }
}

/// The application's sign-in, written once, run over whichever transport the client
/// was built with. `read_code` stands for asking the user, once the code was texted.
async fn sign_in(
    client: &Client,
    read_code: impl FnOnce() -> Option<String>,
) -> Result<Tokens, Box<dyn std::error::Error>> {
    let AfterPassword::SmsMfa(pending) = client
        .initiate(UserPasswordAuth::new("alice", "Corr3ct-horse!"))
        .await?
    else {
        return Err("expected SMS_MFA".into());
    };
    let code = read_code().ok_or("no code")?;
    match pending.respond(SmsMfaCode::new(code)).await? {
        AfterMfa::Authenticated(tokens) => Ok(tokens),
        AfterMfa::DeviceSrpAuth(_) => Err("no device is remembered here".into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig {
        mfa: Mfa::On,
        mfa_methods: vec![MfaMethod::Sms],
        ..PoolConfig::default()
    })?;
    let app = pool.create_client(AppClientConfig::new("recorded"))?;
    pool.create_user(
        UserConfig::new("alice")
            .password("Corr3ct-horse!")
            .attribute("phone_number", "+15555550123")
            .mfa(MfaMethod::Sms),
    )?;

    // 1. Record: the real transport, wrapped.
    let cassette = Arc::new(Mutex::new(Vec::new()));
    let recording = Client::builder(&app.id)
        .user_pool_id(pool.id())
        .transport(Recorder {
            inner: ReqwestTransport::new(emulator.endpoint(), Duration::from_secs(10))?,
            cassette: cassette.clone(),
        })
        .build()?;
    let tokens = sign_in(&recording, || pool.last_code("alice")).await?;
    let code = pool.last_code("alice").ok_or("no code sent")?;
    let cassette = cassette.lock().unwrap().clone();
    println!(
        "recorded   {} exchanges: {}",
        cassette.len(),
        cassette
            .iter()
            .map(|e| format!("{} -> {}", e.operation, e.status))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("           signed in as {}", tokens.username());
    let saved = serde_json::to_string(&cassette)?;

    // 2. Replay: no server. Stop the emulator to prove it.
    emulator.stop();
    let replaying = Client::builder(&app.id)
        .user_pool_id(pool.id())
        .transport(Replayer {
            cassette: Mutex::new(serde_json::from_str(&saved)?),
        })
        .build()?;
    let replayed = sign_in(&replaying, || Some(code.clone())).await?;
    println!(
        "replayed   signed in as {} with the emulator stopped",
        replayed.username()
    );
    if replayed.access_token().expose() != tokens.access_token().expose() {
        return Err("the replay did not return the recorded tokens".into());
    }

    // 3. A different request is caught: another code than the recorded one.
    let replaying = Client::builder(&app.id)
        .user_pool_id(pool.id())
        .transport(Replayer {
            cassette: Mutex::new(serde_json::from_str(&saved)?),
        })
        .build()?;
    match sign_in(&replaying, || Some("000000".into())).await {
        Err(e) => println!("mismatch   {e}"),
        Ok(_) => return Err("a changed request was replayed".into()),
    }
    Ok(())
}
