//! Passkeys in a browser: a web page signs in with a password, registers a passkey,
//! signs out and signs in with the passkey. The library runs on the server; the page
//! speaks WebAuthn with the browser and JSON with its server, and never sees a token.
//!
//! The server keeps three things per browser, each under a random cookie id: the
//! signed-in user's tokens, a passkey registration waiting for the browser's new
//! credential (`PendingPasskeyRegistration`), and a passkey sign-in waiting for the
//! browser's assertion (`Detached<WebAuthn>`). The two waiting states are taken out of
//! the store when answered, so each is answered at most once.
//!
//! | request | server |
//! |---|---|
//! | `GET /` | the page (`passkeys/page.html`) |
//! | `GET /api/session` | who is signed in, the token expiry, the user's passkeys |
//! | `POST /api/sign-in/password` | `USER_AUTH` with the password |
//! | `POST /api/passkeys/registration` | `start_passkey_registration`: the creation options |
//! | `POST /api/passkeys/registration/complete` | the browser's `credential.toJSON()` completes it |
//! | `POST /api/sign-out` | drops the tokens (and revokes them) |
//! | `POST /api/sign-in/passkey` | `USER_AUTH` preferring `WEB_AUTHN`: the request options |
//! | `POST /api/sign-in/passkey/complete` | the browser's assertion answers `WEB_AUTHN` |
//!
//! The pool is the emulator, started in-process on 127.0.0.1 with passkeys for the
//! relying party `localhost`. Browse the page as `http://localhost:PORT`: `127.0.0.1` is
//! not a valid relying party id, and browsers treat `http://localhost` as secure.
//!
//! ```text
//! cargo run -p examples --example passkeys -- --serve 8080   # then open http://localhost:8080
//! cargo run -p examples --example passkeys                   # self-check: plays the browser
//! ```
//!
//! Without arguments it starts the app on a free port and plays the browser over HTTP,
//! with a software authenticator for `http://localhost:PORT`, and exits non-zero when a
//! step fails. `scripts/test-browser.sh` drives the page in headless Chromium instead.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, Html, IntoResponse, Response};
use axum::routing::{get, post};
use cognito_typestate::account::PendingPasskeyRegistration;
use cognito_typestate::challenges::{
    AfterMfa, FirstFactor, FirstFactorOutcome, WebAuthn, WebAuthnCredential,
};
use cognito_typestate::flows::UserAuth;
use cognito_typestate::webauthn::{
    AuthenticationResponse, CredentialCreationOptions, CredentialRequestOptions, Passkey,
    RegistrationResponse,
};
use cognito_typestate::{Client, Detached, Error, Tokens};
use cognito_typestate_emulator::{
    AppClientConfig, Emulator, FirstFactor as PoolFactor, PoolConfig, UserConfig, WebAuthnConfig,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[path = "../web/cookies.rs"]
mod cookies;
mod self_check;
use cookies::cookie;
use self_check::self_check;

/// The demo user.
const USERNAME: &str = "alice";
const PASSWORD: &str = "Corr3ct-horse!";

/// The page, with the demo password filled in.
fn page_html() -> String {
    include_str!("page.html").replace("{{DEMO_PASSWORD}}", PASSWORD)
}

/// The cookie naming the signed-in session (and a registration in progress).
const SESSION: &str = "session";
/// The cookie naming a passkey sign-in waiting for the browser's assertion.
const PASSKEY_SIGN_IN: &str = "passkey_sign_in";
const PASSKEY_SIGN_IN_PATH: &str = "/api/sign-in/passkey";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Password,
    Passkey,
}

/// A signed-in browser. The tokens never leave the server.
#[derive(Clone)]
struct Session {
    tokens: Tokens,
    method: Method,
    expires_at: Option<SystemTime>,
}

/// What waits on the server between requests, by cookie id. A real app would use its
/// session store (with expiry); what is stored holds tokens and Cognito sessions, so it
/// stays on the server.
#[derive(Default)]
struct Store {
    sessions: HashMap<String, Session>,
    /// Keyed by the session's id: one registration at a time per signed-in browser.
    registrations: HashMap<String, PendingPasskeyRegistration>,
    /// Keyed by the `passkey_sign_in` cookie. `Detached` serialises, for a shared store.
    passkey_sign_ins: HashMap<String, Detached<WebAuthn>>,
}

#[derive(Clone)]
struct App {
    client: Client,
    store: Arc<Mutex<Store>>,
}

impl App {
    /// The session the browser's cookie names, if signed in.
    fn session(&self, headers: &HeaderMap) -> Option<(String, Session)> {
        let id = cookie(headers, SESSION)?;
        let session = self.store.lock().unwrap().sessions.get(&id)?.clone();
        Some((id, session))
    }

    fn signed_in(&self, headers: &HeaderMap) -> Result<(String, Session), Refusal> {
        self.session(headers).ok_or_else(|| {
            Refusal(
                StatusCode::UNAUTHORIZED,
                "not signed in (or the session ended)".into(),
            )
        })
    }

    /// Starts a session for `tokens` under a new id (never the one the browser had) and
    /// returns the cookie naming it with the page's view of it.
    async fn start_session(
        &self,
        headers: &HeaderMap,
        tokens: Tokens,
        method: Method,
    ) -> Result<(String, View), Refusal> {
        let session = Session {
            expires_at: tokens.expires_in().map(|valid| SystemTime::now() + valid),
            tokens,
            method,
        };
        let view = view_of(&self.client, &session).await?;
        let id = random_id();
        let mut store = self.store.lock().unwrap();
        if let Some(old) = cookie(headers, SESSION) {
            store.sessions.remove(&old);
            store.registrations.remove(&old);
        }
        store.sessions.insert(id.clone(), session);
        Ok((set_cookie(SESSION, &id, "/"), view))
    }
}

/// What the page shows.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct View {
    signed_in: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at_ms: Option<u64>,
    #[serde(default)]
    passkeys: Vec<PasskeyView>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PasskeyView {
    credential_id: String,
    name: Option<String>,
    attachment: Option<String>,
    transports: Vec<String>,
    created_at_ms: Option<u64>,
}

impl From<Passkey> for PasskeyView {
    fn from(passkey: Passkey) -> Self {
        Self {
            credential_id: passkey.credential_id,
            name: passkey.friendly_credential_name,
            attachment: passkey.authenticator_attachment,
            transports: passkey.authenticator_transports,
            // Seconds with a fraction, as Cognito sends them.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            created_at_ms: passkey.created_at.map(|secs| (secs * 1000.0) as u64),
        }
    }
}

async fn view_of(client: &Client, session: &Session) -> Result<View, Refusal> {
    let passkeys = client
        .list_passkeys(&session.tokens)
        .await
        .map_err(|e| Refusal::from_error("listing your passkeys failed", &e))?;
    let username = session.tokens.username().to_owned();
    let how = match session.method {
        Method::Password => "a password",
        Method::Passkey => "a passkey",
    };
    Ok(View {
        signed_in: true,
        headline: Some(format!("Signed in with {how} as {username}")),
        username: Some(username),
        expires_at_ms: session.expires_at.map(unix_ms),
        passkeys: passkeys.into_iter().map(PasskeyView::from).collect(),
    })
}

/// A refused request: its status and a message for the page (never a token).
#[derive(Debug)]
struct Refusal(StatusCode, String);

impl Refusal {
    fn bad(message: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, message.into())
    }

    /// Cognito's refusal (401), or no usable answer from it (502).
    fn from_error(what: &str, e: &Error) -> Self {
        let status = if e.service().is_some() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_GATEWAY
        };
        Self(status, format!("{what}: {e}"))
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

#[derive(Deserialize)]
struct PasswordLogin {
    username: String,
    password: String,
}

#[derive(Deserialize)]
struct PasskeyLogin {
    username: String,
}

async fn page() -> Html<String> {
    Html(page_html())
}

/// `GET /api/session`.
async fn current(State(app): State<App>, headers: HeaderMap) -> Result<Json<View>, Refusal> {
    match app.session(&headers) {
        Some((_, session)) => Ok(Json(view_of(&app.client, &session).await?)),
        None => Ok(Json(View::default())),
    }
}

/// `POST /api/sign-in/password`: `USER_AUTH` with the password sent along.
async fn password_sign_in(
    State(app): State<App>,
    headers: HeaderMap,
    Json(login): Json<PasswordLogin>,
) -> Result<Response, Refusal> {
    let started = app
        .client
        .initiate(UserAuth::with_password(login.username, login.password))
        .await;
    let tokens = match started {
        Ok(FirstFactorOutcome::Authenticated(tokens)) => tokens,
        Ok(_) => {
            return Err(Refusal::bad(
                "the pool asked for another step after the password; this page handles none",
            ));
        }
        Err(e) => return Err(Refusal::from_error("sign-in refused", &e)),
    };
    let (session_cookie, view) = app
        .start_session(&headers, tokens, Method::Password)
        .await?;
    Ok((
        AppendHeaders([(header::SET_COOKIE, session_cookie)]),
        Json(view),
    )
        .into_response())
}

/// `POST /api/passkeys/registration`: the creation options for the browser. The
/// registration waits on the server, under the session's id.
async fn start_registration(
    State(app): State<App>,
    headers: HeaderMap,
) -> Result<Json<CredentialCreationOptions>, Refusal> {
    let (id, session) = app.signed_in(&headers)?;
    let registration = app
        .client
        .start_passkey_registration(&session.tokens)
        .await
        .map_err(|e| Refusal::from_error("passkey registration refused", &e))?;
    let options = registration.options().clone();
    app.store
        .lock()
        .unwrap()
        .registrations
        .insert(id, registration);
    Ok(Json(options))
}

/// `POST /api/passkeys/registration/complete`: the browser's `credential.toJSON()`.
async fn complete_registration(
    State(app): State<App>,
    headers: HeaderMap,
    Json(credential): Json<Value>,
) -> Result<Json<View>, Refusal> {
    let (id, session) = app.signed_in(&headers)?;
    // Taken out, not read: a second request finds nothing.
    let registration = app
        .store
        .lock()
        .unwrap()
        .registrations
        .remove(&id)
        .ok_or_else(|| {
            Refusal::bad("no passkey registration in progress (or it was already completed)")
        })?;
    let credential: RegistrationResponse = serde_json::from_value(credential)
        .map_err(|e| Refusal::bad(format!("not a WebAuthn registration response: {e}")))?;
    registration
        .complete(credential)
        .await
        .map_err(|e| Refusal::from_error("passkey registration refused", &e))?;
    Ok(Json(view_of(&app.client, &session).await?))
}

/// `POST /api/sign-out`: the tokens are dropped here and revoked at Cognito.
async fn sign_out(State(app): State<App>, headers: HeaderMap) -> Response {
    let session = cookie(&headers, SESSION).and_then(|id| {
        let mut store = app.store.lock().unwrap();
        store.registrations.remove(&id);
        store.sessions.remove(&id)
    });
    if let Some(session) = session {
        // Signed out here whatever Cognito answers; the revocation ends the refresh token.
        if let Err(e) = app.client.revoke(session.tokens).await {
            eprintln!("revoking the refresh token failed: {e}");
        }
    }
    (
        AppendHeaders([(header::SET_COOKIE, clear_cookie(SESSION, "/"))]),
        Json(View::default()),
    )
        .into_response()
}

/// `POST /api/sign-in/passkey`: `USER_AUTH` preferring `WEB_AUTHN`; the request options
/// go to the browser, the pending challenge waits here.
async fn start_passkey_sign_in(
    State(app): State<App>,
    headers: HeaderMap,
    Json(login): Json<PasskeyLogin>,
) -> Result<Response, Refusal> {
    let started = app
        .client
        .initiate(UserAuth::new(login.username).prefer(FirstFactor::WebAuthn))
        .await;
    let pending = match started {
        Ok(FirstFactorOutcome::WebAuthn(pending)) => pending,
        Ok(FirstFactorOutcome::SelectChallenge(choice)) => {
            let offered: Vec<&str> = choice
                .challenge()
                .available()
                .iter()
                .map(FirstFactor::as_str)
                .collect();
            return Err(Refusal::bad(format!(
                "no passkey sign-in for this user: register a passkey first (offered: {})",
                offered.join(", ")
            )));
        }
        Ok(_) => {
            return Err(Refusal::bad(
                "the pool asked for another first factor than a passkey",
            ));
        }
        Err(e) => return Err(Refusal::from_error("passkey sign-in refused", &e)),
    };
    let options: CredentialRequestOptions = pending.challenge().request_options.clone();
    let id = random_id();
    let mut store = app.store.lock().unwrap();
    if let Some(old) = cookie(&headers, PASSKEY_SIGN_IN) {
        store.passkey_sign_ins.remove(&old);
    }
    store.passkey_sign_ins.insert(id.clone(), pending.detach());
    drop(store);
    Ok((
        AppendHeaders([(
            header::SET_COOKIE,
            set_cookie(PASSKEY_SIGN_IN, &id, PASSKEY_SIGN_IN_PATH),
        )]),
        Json(options),
    )
        .into_response())
}

/// `POST /api/sign-in/passkey/complete`: the browser's assertion (`credential.toJSON()`)
/// answers the stored `WEB_AUTHN` challenge.
async fn complete_passkey_sign_in(
    State(app): State<App>,
    headers: HeaderMap,
    assertion: String,
) -> Result<Response, Refusal> {
    // Taken out, not read: the challenge is answered at most once.
    let stored = cookie(&headers, PASSKEY_SIGN_IN)
        .and_then(|id| app.store.lock().unwrap().passkey_sign_ins.remove(&id))
        .ok_or_else(|| {
            Refusal::bad("no passkey sign-in in progress (or it was already answered)")
        })?;
    // Checked for shape, then sent as the browser wrote it.
    serde_json::from_str::<AuthenticationResponse>(&assertion)
        .map_err(|e| Refusal::bad(format!("not a WebAuthn assertion: {e}")))?;
    let pending = stored
        .attach(&app.client)
        .map_err(|e| Refusal::from_error("the stored sign-in cannot be resumed", &e))?;
    let answered = pending
        .respond(WebAuthnCredential::new(assertion))
        .await
        .map_err(Error::from);
    let tokens = match answered {
        Ok(AfterMfa::Authenticated(tokens)) => tokens,
        Ok(AfterMfa::DeviceSrpAuth(_)) => {
            return Err(Refusal::bad("device sign-in is not set up here"));
        }
        Err(e) => return Err(Refusal::from_error("passkey sign-in refused", &e)),
    };
    let (session_cookie, view) = app.start_session(&headers, tokens, Method::Passkey).await?;
    Ok((
        AppendHeaders([
            (header::SET_COOKIE, session_cookie),
            (
                header::SET_COOKIE,
                clear_cookie(PASSKEY_SIGN_IN, PASSKEY_SIGN_IN_PATH),
            ),
        ]),
        Json(view),
    )
        .into_response())
}

/// `HttpOnly`: no script reads it; `SameSite=Strict`: no other site's page sends it (and
/// the JSON endpoints take `application/json` only, which a cross-site form cannot send).
/// Served over https, add `Secure`.
fn set_cookie(name: &str, value: &str, path: &str) -> String {
    format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}")
}

fn clear_cookie(name: &str, path: &str) -> String {
    format!("{name}=; HttpOnly; SameSite=Strict; Path={path}; Max-Age=0")
}

/// Milliseconds since the epoch, as the page's `Date` takes them.
fn unix_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The emulator with a passkey pool and the demo user, and the web app's router.
fn demo(emulator: &Emulator) -> Result<(App, axum::Router), Failed> {
    let pool = emulator.create_pool(PoolConfig {
        first_factors: vec![
            PoolFactor::Password,
            PoolFactor::PasswordSrp,
            PoolFactor::WebAuthn,
        ],
        web_authn: Some(WebAuthnConfig::new("localhost")),
        ..PoolConfig::default()
    })?;
    let web = pool.create_client(AppClientConfig::new("web"))?;
    pool.create_user(UserConfig::new(USERNAME).password(PASSWORD))?;
    let app = App {
        client: Client::builder(&web.id)
            .endpoint(emulator.endpoint())
            .user_pool_id(pool.id())
            .build()?,
        store: Arc::default(),
    };
    let router = axum::Router::new()
        .route("/", get(page))
        .route("/api/session", get(current))
        .route("/api/sign-in/password", post(password_sign_in))
        .route("/api/passkeys/registration", post(start_registration))
        .route(
            "/api/passkeys/registration/complete",
            post(complete_registration),
        )
        .route("/api/sign-out", post(sign_out))
        .route("/api/sign-in/passkey", post(start_passkey_sign_in))
        .route(
            "/api/sign-in/passkey/complete",
            post(complete_passkey_sign_in),
        )
        .with_state(app.clone());
    Ok((app, router))
}

#[tokio::main]
async fn main() -> Result<(), Failed> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match args.as_slice() {
        [] => None,
        [flag, port] if flag == "--serve" => Some(
            port.parse::<u16>()
                .map_err(|e| format!("--serve {port}: {e}"))?,
        ),
        _ => {
            eprintln!("usage: passkeys [--serve PORT]");
            std::process::exit(2);
        }
    };
    let emulator = Emulator::start().await?;
    let (app, router) = demo(&emulator)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port.unwrap_or(0))).await?;
    let port = listener.local_addr()?.port();
    if args.is_empty() {
        tokio::spawn(async move { axum::serve(listener, router).await });
        return self_check(&app, port, emulator.endpoint()).await;
    }
    println!("listening on http://localhost:{port}");
    axum::serve(listener, router).await?;
    Ok(())
}

/// Any failure of the example.
type Failed = Box<dyn std::error::Error>;

/// A fresh cookie id: the only key to what the server keeps for the browser.
fn random_id() -> String {
    cognito_typestate::store::random_key().expect("the system's random source")
}
