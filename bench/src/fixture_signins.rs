//! What a test suite pays for its Cognito fixture: one full sign-in, then 100 in a row
//! (one at a time, as a test does), against a server at `--endpoint`, or against the
//! emulator started in this process (`--in-process`, which also times its start; with
//! `--published-key`, signing with the key published in the emulator's source).
//! Prints one JSON object: `start_ms` and `next_start_ms` (in process only: the first
//! emulator's start with a pool and a user, and a second emulator's start), `client_ms`
//! (in process only: building the `Client`), `first_ms`, `hundred_ms`.
//! `scripts/bench-fixtures.py` runs it against every fixture.
//!
//! ```text
//! fixture-signins --in-process [--published-key] --flow srp|password
//! fixture-signins --endpoint URL --pool ID --client ID --user NAME --password P --flow srp|password
//! ```

use std::time::{Duration, Instant};

use cognito_typestate::challenges::AfterPassword;
use cognito_typestate::flows::{UserPasswordAuth, UserSrpAuth};
use cognito_typestate::{Client, Error};
use cognito_typestate_emulator::{AppClientConfig, Emulator, PoolConfig, UserConfig};

const PASSWORD: &str = "Corr3ct-horse!";

type Failed = Box<dyn std::error::Error>;

/// Signs `user` in once with SRP or the password; tokens are expected.
async fn sign_in(client: &Client, user: &str, password: &str, srp: bool) -> Result<(), Failed> {
    let outcome: Result<AfterPassword, Error> = if srp {
        client.initiate(UserSrpAuth::new(user, password)).await
    } else {
        client.initiate(UserPasswordAuth::new(user, password)).await
    };
    match outcome? {
        AfterPassword::Authenticated(_) => Ok(()),
        other => Err(format!("expected tokens, got {other:?}").into()),
    }
}

/// One sign-in, then 100: how long each took.
async fn time_sign_ins(
    client: &Client,
    user: &str,
    password: &str,
    srp: bool,
) -> Result<(Duration, Duration), Failed> {
    let started = Instant::now();
    sign_in(client, user, password, srp).await?;
    let first = started.elapsed();
    let started = Instant::now();
    for _ in 0..100 {
        sign_in(client, user, password, srp).await?;
    }
    Ok((first, started.elapsed()))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn in_process(srp: bool, published_key: bool) -> Result<String, Failed> {
    if published_key {
        cognito_typestate_emulator::use_published_signing_key()?;
    }
    let started = Instant::now();
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig::default())?;
    let app = pool.create_client(AppClientConfig::new("tests"))?;
    pool.create_user(UserConfig::new("alice").password(PASSWORD))?;
    let start = started.elapsed();
    let started = Instant::now();
    let client = Client::builder(&app.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()?;
    let client_built = started.elapsed();
    let (first, hundred) = time_sign_ins(&client, "alice", PASSWORD, srp).await?;
    let started = Instant::now();
    let next = Emulator::start().await?;
    let next_start = started.elapsed();
    drop(next);
    Ok(format!(
        r#"{{"start_ms": {:.2}, "next_start_ms": {:.2}, "client_ms": {:.2}, "first_ms": {:.2}, "hundred_ms": {:.1}}}"#,
        ms(start),
        ms(next_start),
        ms(client_built),
        ms(first),
        ms(hundred)
    ))
}

/// The value after `flag` in `args`.
fn value<'a>(args: &'a [String], flag: &str) -> Result<&'a str, Failed> {
    let at = args
        .iter()
        .position(|a| a == flag)
        .ok_or(format!("{flag} is missing"))?;
    Ok(args.get(at + 1).ok_or(format!("{flag} needs a value"))?)
}

/// `--flow srp` or `--flow password`: whether the sign-ins use SRP.
fn srp_flow(args: &[String]) -> Result<bool, Failed> {
    match value(args, "--flow")? {
        "srp" => Ok(true),
        "password" => Ok(false),
        other => Err(format!("--flow {other}: srp or password").into()),
    }
}

async fn remote(args: &[String]) -> Result<String, Failed> {
    let value = |flag: &str| value(args, flag);
    let client = Client::builder(value("--client")?)
        .endpoint(value("--endpoint")?)
        .user_pool_id(value("--pool")?)
        .build()?;
    let srp = srp_flow(args)?;
    let (first, hundred) =
        time_sign_ins(&client, value("--user")?, value("--password")?, srp).await?;
    Ok(format!(
        r#"{{"first_ms": {:.2}, "hundred_ms": {:.1}}}"#,
        ms(first),
        ms(hundred)
    ))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failed> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let line = if args.first().map(String::as_str) == Some("--in-process") {
        in_process(
            srp_flow(&args)?,
            args.iter().any(|a| a == "--published-key"),
        )
        .await?
    } else {
        remote(&args).await?
    };
    println!("{line}");
    Ok(())
}
