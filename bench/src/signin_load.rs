//! Sign-in throughput on the emulator: 500 concurrent full SRP sign-ins (client and
//! emulator in one process, HTTP over loopback) across 50 users, against a baseline
//! measured in the same run: the same sign-ins' SRP maths alone (client answer plus
//! server check, no HTTP, no JSON, no tokens), spread over the same two cores.
//!
//! `cargo run --release -p cognito-typestate-bench --bin signin-load [rounds]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_typestate::challenges::AfterPassword;
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::srp::server::{Claim, ServerEphemeral, Verifier};
use cognito_typestate::srp::{self, SrpEphemeral, VerifierInputs};
use cognito_typestate::{Client, Secret};
use cognito_typestate_emulator::{AppClientConfig, Emulator, PoolConfig, UserConfig};

const USERS: usize = 50;
const SIGN_INS: usize = 500;
const WORKERS: usize = 2;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = std::env::args().nth(1).map_or(Ok(5), |n| n.parse())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .enable_all()
        .build()?;
    let (mut full, mut maths) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        full.push(runtime.block_on(sign_ins())?);
        maths.push(runtime.block_on(srp_maths())?);
    }
    let (full, maths) = (median(full), median(maths));
    let rate = |d: Duration| f64::from(SIGN_INS as u32) / d.as_secs_f64();
    println!(
        "{SIGN_INS} concurrent SRP sign-ins over {USERS} users, {WORKERS} worker threads, median of {rounds}:"
    );
    println!("| what | time | sign-ins/s | ratio to maths only |");
    println!("|---|---:|---:|---:|");
    println!(
        "| SRP maths only (baseline) | {maths:.2?} | {:.0} | 1.00 |",
        rate(maths)
    );
    println!(
        "| full sign-in over HTTP (emulator + client) | {full:.2?} | {:.0} | {:.2} |",
        rate(full),
        rate(full) / rate(maths)
    );
    Ok(())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Full sign-ins: a new emulator, users and client each round; checks every sign-in
/// ends with the right user's tokens.
async fn sign_ins() -> Result<Duration, Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig::default())?;
    let app = pool.create_client(AppClientConfig::new("load"))?;
    for user in 0..USERS {
        pool.create_user(
            UserConfig::new(format!("user{user}")).password(format!("Passw0rd-{user}!")),
        )?;
    }
    let client = Arc::new(
        Client::builder(&app.id)
            .endpoint(emulator.endpoint())
            .user_pool_id(pool.id())
            .build()?,
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..SIGN_INS)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let user = i % USERS;
                let flow = UserSrpAuth::new(format!("user{user}"), format!("Passw0rd-{user}!"));
                match client.initiate(flow).await {
                    Ok(AfterPassword::Authenticated(tokens))
                        if tokens.username() == format!("user{user}") =>
                    {
                        Ok(())
                    }
                    other => Err(format!("sign-in {i} of user{user}: {other:?}")),
                }
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    Ok(started.elapsed())
}

/// The baseline: each sign-in's SRP work without the protocol around it.
async fn srp_maths() -> Result<Duration, Box<dyn std::error::Error>> {
    let verifiers: Arc<Vec<Verifier>> = Arc::new(
        (0..USERS)
            .map(|user| {
                Verifier::for_password(
                    "load",
                    &format!("user{user}"),
                    &format!("Passw0rd-{user}!"),
                    &[0x3c; 16],
                )
            })
            .collect::<Result<_, _>>()?,
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..SIGN_INS)
        .map(|i| {
            let verifiers = verifiers.clone();
            tokio::task::spawn_blocking(move || -> Result<bool, srp::SrpError> {
                let user = i % USERS;
                let (name, password) = (format!("user{user}"), format!("Passw0rd-{user}!"));
                let client = SrpEphemeral::generate()?;
                let server = ServerEphemeral::generate(&verifiers[user])?;
                let claim = srp::password_claim(
                    &client,
                    &VerifierInputs {
                        pool_name: "load",
                        user_id: &name,
                        password: &password,
                        salt_hex: verifiers[user].salt_hex(),
                        srp_b_hex: server.public_hex(),
                        secret_block: "c2VjcmV0",
                        timestamp: "Sun Nov 22 10:00:00 UTC 2026",
                    },
                )?;
                let signature: &Secret = claim.signature();
                server.verify(
                    &verifiers[user],
                    &Claim {
                        pool_name: "load",
                        user_id: &name,
                        srp_a_hex: &client.public_hex(),
                        secret_block: b"secret",
                        timestamp: "Sun Nov 22 10:00:00 UTC 2026",
                        signature: signature.expose(),
                    },
                )
            })
        })
        .collect();
    for task in tasks {
        if !task.await?? {
            return Err("a baseline claim did not verify".into());
        }
    }
    Ok(started.elapsed())
}
