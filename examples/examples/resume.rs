//! A web sign-in over two HTTP requests: the pending challenge waits in a server-side
//! store between them and comes back typed.
//!
//! `POST /login` (username, password) starts USER_SRP_AUTH. If the pool asks for a
//! code, the handler stores the pending challenge (`Pending<SmsMfa>` or
//! `Pending<SoftwareTokenMfa>`, serialised) under a random id, sets that id as a
//! cookie and asks for the code. `POST /login/code` takes the stored challenge out of
//! the store (so it is answered at most once), reads it back as the type it was
//! stored as, and answers it with that type's code.
//!
//! The example runs the emulator and this web app on 127.0.0.1, and plays the browser.
//!
//! ```text
//! cargo run -p examples --example resume
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use cognito_typestate::challenges::{
    AfterMfa, AfterPassword, SmsMfa, SmsMfaCode, SoftwareTokenMfa, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::{Client, Detached, Error, Pending, Tokens};
use cognito_typestate_emulator::{
    AppClientConfig, Emulator, Mfa, MfaMethod, PoolConfig, UserConfig,
};
use serde::{Deserialize, Serialize};

#[path = "web/cookies.rs"]
mod cookies;
use cookies::{cookie, random_id};

/// A challenge waiting for the user's next request, as stored. Each variant keeps its
/// challenge type, so what comes back out can only be answered with the right code.
#[derive(Serialize, Deserialize)]
enum Waiting {
    Sms(Detached<SmsMfa>),
    Totp(Detached<SoftwareTokenMfa>),
}

/// The web app's state: the Cognito client and the waiting challenges by cookie id.
/// A real app would use its session store (Redis, a database); the stored value holds
/// the Cognito session, so it must stay on the server or be encrypted.
#[derive(Clone)]
struct App {
    client: Client,
    waiting: Arc<Mutex<HashMap<String, String>>>,
}

const COOKIE: &str = "signin";

#[derive(Deserialize)]
struct Login {
    username: String,
    password: String,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

/// `POST /login`: starts the sign-in; stores the challenge if one follows.
async fn login(State(app): State<App>, Form(login): Form<Login>) -> Response {
    let started = app
        .client
        .initiate(UserSrpAuth::new(login.username, login.password))
        .await;
    let waiting = match started {
        Ok(AfterPassword::Authenticated(tokens)) => return signed_in(&tokens),
        Ok(AfterPassword::SmsMfa(p)) => Waiting::Sms(p.detach()),
        Ok(AfterPassword::SoftwareTokenMfa(p)) => Waiting::Totp(p.detach()),
        Ok(other) => return failed(format!("this app does not handle {other:?} yet")),
        Err(e) => return refused(&e),
    };
    let prompt = match &waiting {
        Waiting::Sms(p) => format!(
            "enter the code texted to {}",
            p.challenge().destination.as_deref().unwrap_or("your phone")
        ),
        Waiting::Totp(_) => "enter the code of your authenticator app".to_owned(),
    };
    let id = random_id();
    let stored = serde_json::to_string(&waiting).expect("a pending challenge serialises");
    app.waiting.lock().unwrap().insert(id.clone(), stored);
    (
        StatusCode::OK,
        [(
            header::SET_COOKIE,
            format!("{COOKIE}={id}; HttpOnly; Secure; SameSite=Strict; Path=/login"),
        )],
        prompt,
    )
        .into_response()
}

/// `POST /login/code`: takes the stored challenge out and answers it, typed.
async fn code(State(app): State<App>, headers: HeaderMap, Form(form): Form<Code>) -> Response {
    let Some(id) = cookie(&headers, COOKIE) else {
        return failed("no sign-in in progress".into());
    };
    // Taken out, not read: a second request with the same cookie finds nothing.
    let Some(stored) = app.waiting.lock().unwrap().remove(&id) else {
        return failed("no sign-in in progress (or it was already answered)".into());
    };
    let waiting: Waiting = match serde_json::from_str(&stored) {
        Ok(w) => w,
        Err(e) => return failed(format!("stored sign-in unreadable: {e}")),
    };
    let answered = match waiting {
        Waiting::Sms(stored) => match stored.attach(&app.client) {
            Ok(pending) => answer_sms(pending, form.code).await,
            Err(e) => Err(e),
        },
        Waiting::Totp(stored) => match stored.attach(&app.client) {
            Ok(pending) => pending
                .respond(SoftwareTokenMfaCode::new(form.code))
                .await
                .map_err(Error::from),
            Err(e) => Err(e),
        },
    };
    match answered {
        Ok(AfterMfa::Authenticated(tokens)) => signed_in(&tokens),
        Ok(AfterMfa::DeviceSrpAuth(_)) => failed("device sign-in is not set up here".into()),
        Err(e) => refused(&e),
    }
}

/// The typed answer: a `Pending<SmsMfa>` takes an `SmsMfaCode` and nothing else.
async fn answer_sms(pending: Pending<SmsMfa>, code: String) -> Result<AfterMfa, Error> {
    Ok(pending.respond(SmsMfaCode::new(code)).await?)
}

fn signed_in(tokens: &Tokens) -> Response {
    // A real app would now start its own session; the tokens stay on the server.
    (
        StatusCode::OK,
        format!("signed in as {}", tokens.username()),
    )
        .into_response()
}

fn refused(e: &Error) -> Response {
    (StatusCode::UNAUTHORIZED, format!("sign-in refused: {e}")).into_response()
}

fn failed(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The user pool: SMS codes as second factor.
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig {
        mfa: Mfa::On,
        mfa_methods: vec![MfaMethod::Sms],
        ..PoolConfig::default()
    })?;
    let web = pool.create_client(AppClientConfig::new("web"))?;
    pool.create_user(
        UserConfig::new("alice")
            .password("Corr3ct-horse!")
            .attribute("phone_number", "+15555550123")
            .mfa(MfaMethod::Sms),
    )?;

    // The web app on 127.0.0.1.
    let app = App {
        client: Client::builder(&web.id)
            .endpoint(emulator.endpoint())
            .user_pool_id(pool.id())
            .build()?,
        waiting: Arc::default(),
    };
    let router = axum::Router::new()
        .route("/login", post(login))
        .route("/login/code", post(code))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let site = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    println!(
        "web app    {site}, Cognito emulator {}",
        emulator.endpoint()
    );

    // The browser: request 1.
    let browser = reqwest::Client::new();
    let first = browser
        .post(format!("{site}/login"))
        .form(&[("username", "alice"), ("password", "Corr3ct-horse!")])
        .send()
        .await?;
    let set_cookie = first
        .headers()
        .get(header::SET_COOKIE)
        .ok_or("no cookie")?
        .to_str()?
        .to_owned();
    let cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
    println!(
        "request 1  POST /login -> {} {}",
        first.status(),
        first.text().await?
    );
    println!(
        "           stored between requests: {} pending challenge(s)",
        app.waiting.lock().unwrap().len()
    );

    // The user reads the text message (the emulator's outbox).
    let code = pool.last_code("alice").ok_or("no code sent")?;

    // Request 2: the stored challenge is resumed, typed, and answered.
    let second = browser
        .post(format!("{site}/login/code"))
        .header(header::COOKIE, &cookie)
        .form(&[("code", code.as_str())])
        .send()
        .await?;
    let (status, body) = (second.status(), second.text().await?);
    println!("request 2  POST /login/code -> {status} {body}");
    if !status.is_success() {
        return Err(format!("sign-in failed: {body}").into());
    }

    // Replaying request 2 finds nothing: the challenge was answered once.
    let replay = browser
        .post(format!("{site}/login/code"))
        .header(header::COOKIE, &cookie)
        .form(&[("code", code.as_str())])
        .send()
        .await?;
    let replay_status = replay.status();
    println!(
        "replay     POST /login/code -> {replay_status} {}",
        replay.text().await?
    );
    if replay_status != StatusCode::BAD_REQUEST {
        return Err("a replayed code request was not refused".into());
    }
    Ok(())
}
