//! A web sign-in over two HTTP requests: the pending challenge waits in a server-side
//! store between them and comes back typed.
//!
//! `POST /login` (username, password) starts USER_SRP_AUTH. If the pool asks for a
//! code, the handler stashes the pending challenge (`Pending<SmsMfa>` or
//! `Pending<SoftwareTokenMfa>`, detached) in a [`PendingStore`] under a random key, sets
//! that key as a cookie and asks for the code. `POST /login/code` takes the stored
//! challenge out of the store (so it is answered at most once), reads it back as the type
//! it was stored as, and answers it with that type's code.
//!
//! The example runs the emulator and the web app on 127.0.0.1, and plays the browser.
//! Without arguments there is one instance with a `MemoryStore`. With `--redis URL` there
//! are two instances, each with its own client and its own Redis connection, as behind a
//! load balancer: the sign-in starts on one and is answered on the other, a replay is
//! refused by the store (Redis's `GETDEL` is the atomic take), and of two concurrent
//! takes of one key only one gets the state.
//!
//! ```text
//! cargo run -p examples --example resume
//! cargo run -p examples --example resume -- --redis redis://127.0.0.1:6379   # scripts/test-redis.sh
//! ```

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use cognito_typestate::challenges::{
    AfterMfa, AfterPassword, SmsMfa, SmsMfaCode, SoftwareTokenMfa, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::store::{MemoryStore, PendingStore, stash, unstash};
use cognito_typestate::{Client, Detached, Error, Pending, Secret, Tokens};
use cognito_typestate_emulator::{
    AppClientConfig, Emulator, Mfa, MfaMethod, PoolConfig, PoolHandle, UserConfig,
};
use serde::{Deserialize, Serialize};

#[path = "web/cookies.rs"]
mod cookies;
use cookies::cookie;

/// A challenge waiting for the user's next request, as stored. Each variant keeps its
/// challenge type, so what comes back out can only be answered with the right code.
#[derive(Serialize, Deserialize)]
enum Waiting {
    Sms(Detached<SmsMfa>),
    Totp(Detached<SoftwareTokenMfa>),
}

/// The web app's state: the Cognito client and where waiting challenges are kept. The
/// stored value holds the Cognito session, so it stays on the server.
struct App<S> {
    client: Client,
    store: Arc<S>,
}

impl<S> Clone for App<S> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            store: Arc::clone(&self.store),
        }
    }
}

/// How long a waiting challenge is kept: Cognito's sessions last 3 minutes by default.
const WAIT: Duration = Duration::from_secs(180);

/// A [`PendingStore`] on Redis, shared by every instance: `SET key value PX ttl`, and
/// `GETDEL key` as the atomic take.
#[derive(Clone)]
struct RedisStore {
    connection: redis::aio::MultiplexedConnection,
}

impl RedisStore {
    async fn connect(url: &str) -> redis::RedisResult<Self> {
        let client = redis::Client::open(url)?;
        Ok(Self {
            connection: client.get_multiplexed_async_connection().await?,
        })
    }

    fn key(key: &str) -> String {
        format!("cognito-signin:{key}")
    }
}

impl PendingStore for RedisStore {
    type Error = redis::RedisError;

    async fn put(&self, key: &str, value: Secret, ttl: Duration) -> Result<(), redis::RedisError> {
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        redis::cmd("SET")
            .arg(Self::key(key))
            .arg(value.expose())
            .arg("PX")
            .arg(ms)
            .exec_async(&mut self.connection.clone())
            .await
    }

    async fn take(&self, key: &str) -> Result<Option<Secret>, redis::RedisError> {
        let value: Option<String> = redis::cmd("GETDEL")
            .arg(Self::key(key))
            .query_async(&mut self.connection.clone())
            .await?;
        Ok(value.map(Secret::new))
    }
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
async fn login<S: PendingStore>(State(app): State<App<S>>, Form(login): Form<Login>) -> Response {
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
    let id = match stash(app.store.as_ref(), &waiting, WAIT).await {
        Ok(id) => id,
        Err(e) => return unavailable(&e),
    };
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
async fn code<S: PendingStore>(
    State(app): State<App<S>>,
    headers: HeaderMap,
    Form(form): Form<Code>,
) -> Response {
    let Some(id) = cookie(&headers, COOKIE) else {
        return failed("no sign-in in progress".into());
    };
    // Taken out, not read: a second request with the same cookie finds nothing, on this
    // instance or any other.
    let waiting: Waiting = match unstash(app.store.as_ref(), &id).await {
        Ok(Some(waiting)) => waiting,
        Ok(None) => return failed(NOTHING_WAITING.into()),
        Err(e) => return unavailable(&e),
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

/// What the store answers for a key it does not hold (never stashed, expired, taken).
const NOTHING_WAITING: &str = "no sign-in in progress (or it was already answered)";

fn unavailable(e: &dyn std::error::Error) -> Response {
    eprintln!("store: {e}");
    (StatusCode::SERVICE_UNAVAILABLE, "try again later").into_response()
}

type Failed = Box<dyn std::error::Error>;

/// The user pool (SMS codes as second factor) and alice.
fn pool(emulator: &Emulator) -> Result<(PoolHandle, Client), Failed> {
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
    let client = Client::builder(&web.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()?;
    Ok((pool, client))
}

/// One instance of the web app on 127.0.0.1 with its own client and store handle; its URL.
async fn instance<S: PendingStore + 'static>(client: Client, store: S) -> Result<String, Failed> {
    let app = App {
        client,
        store: Arc::new(store),
    };
    let router = axum::Router::new()
        .route("/login", post(login::<S>))
        .route("/login/code", post(code::<S>))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let site = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(site)
}

/// The browser: `POST /login` on `first`, the texted code to `POST /login/code` on
/// `second`, then the same request again on `first`, refused by the store.
async fn play(first: &str, second: &str, pool: &PoolHandle) -> Result<(), Failed> {
    let browser = reqwest::Client::new();
    let started = browser
        .post(format!("{first}/login"))
        .form(&[("username", "alice"), ("password", "Corr3ct-horse!")])
        .send()
        .await?;
    let set_cookie = started
        .headers()
        .get(header::SET_COOKIE)
        .ok_or("no cookie")?
        .to_str()?
        .to_owned();
    let cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
    println!(
        "request 1  POST {first}/login -> {} {}",
        started.status(),
        started.text().await?
    );

    // The user reads the text message (the emulator's outbox).
    let code = pool.last_code("alice").ok_or("no code sent")?;
    let answer = || {
        browser
            .post(format!("{second}/login/code"))
            .header(header::COOKIE, &cookie)
            .form(&[("code", code.as_str())])
    };
    // Request 2: the stored challenge is resumed, typed, and answered.
    let answered = answer().send().await?;
    let (status, body) = (answered.status(), answered.text().await?);
    println!("request 2  POST {second}/login/code -> {status} {body}");
    if !status.is_success() {
        return Err(format!("sign-in failed: {body}").into());
    }

    // Replaying request 2 (on the first instance) finds nothing: the store gave the
    // challenge out once, so the service is not even asked.
    let replay = browser
        .post(format!("{first}/login/code"))
        .header(header::COOKIE, &cookie)
        .form(&[("code", code.as_str())])
        .send()
        .await?;
    let (status, body) = (replay.status(), replay.text().await?);
    println!("replay     POST {first}/login/code -> {status} {body}");
    if status != StatusCode::BAD_REQUEST || body != NOTHING_WAITING {
        return Err("a replayed code request was not refused by the store".into());
    }
    Ok(())
}

/// Two takes of one key at once, through two connections: exactly one gets the state.
async fn racing_takes(a: &RedisStore, b: &RedisStore) -> Result<(), Failed> {
    for round in 0..50 {
        let key = stash(a, &round, WAIT).await?;
        let (x, y) = tokio::join!(unstash::<_, u32>(a, &key), unstash::<_, u32>(b, &key));
        let winners = [x?, y?].into_iter().flatten().collect::<Vec<_>>();
        if winners != [round] {
            return Err(format!("round {round}: {winners:?} took the state").into());
        }
    }
    println!("race       50 rounds of two concurrent takes: one winner each");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Failed> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let emulator = Emulator::start().await?;
    let (pool, client) = pool(&emulator)?;
    println!("Cognito emulator {}", emulator.endpoint());
    match args.as_slice() {
        [] => {
            let site = instance(client, MemoryStore::new()).await?;
            println!("web app    {site} (one instance, MemoryStore)");
            play(&site, &site, &pool).await
        }
        [flag, url] if flag == "--redis" => {
            // Two instances, as behind a load balancer: each its own client and connection.
            let (a, b) = (
                RedisStore::connect(url).await?,
                RedisStore::connect(url).await?,
            );
            let first = instance(client.clone(), a.clone()).await?;
            let second = instance(client, b.clone()).await?;
            println!("web apps   {first} and {second} (Redis at {url})");
            play(&first, &second, &pool).await?;
            racing_takes(&a, &b).await
        }
        _ => Err("usage: resume [--redis redis://127.0.0.1:PORT]".into()),
    }
}
