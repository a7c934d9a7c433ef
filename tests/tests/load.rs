//! Load: 500 concurrent full SRP sign-ins across 50 users against the emulator on
//! loopback. Checks that no session is lost or crossed: every sign-in ends with tokens,
//! and the tokens are the signing-in user's. The throughput it prints is a debug-build
//! figure; `cargo run --release -p cognito-typestate-bench --bin signin-load` measures it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_typestate::Client;
use cognito_typestate::challenges::AfterPassword;
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate_emulator::{AppClientConfig, Emulator, PoolConfig, UserConfig};

const USERS: usize = 50;
const SIGN_INS: usize = 500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_srp_sign_ins_across_fifty_users() {
    let emulator = Emulator::start().await.unwrap();
    let pool = emulator.create_pool(PoolConfig::default()).unwrap();
    let app = pool
        .create_client(AppClientConfig::new("load").with_secret())
        .unwrap();
    for user in 0..USERS {
        pool.create_user(
            UserConfig::new(format!("user{user}")).password(format!("Passw0rd-{user}!")),
        )
        .unwrap();
    }
    let subs: Vec<String> = (0..USERS)
        .map(|user| pool.user(&format!("user{user}")).unwrap().attributes["sub"].clone())
        .collect();
    let client = Arc::new(
        Client::builder(&app.id)
            .endpoint(emulator.endpoint())
            .user_pool_id(pool.id())
            .client_secret(app.secret.clone().unwrap())
            .build()
            .unwrap(),
    );

    let started = Instant::now();
    let tasks: Vec<_> = (0..SIGN_INS)
        .map(|i| {
            let client = client.clone();
            let user = i % USERS;
            tokio::spawn(async move {
                let flow = UserSrpAuth::new(format!("user{user}"), format!("Passw0rd-{user}!"));
                (user, client.initiate(flow).await)
            })
        })
        .collect();
    let mut access_tokens = HashSet::new();
    for task in tasks {
        let (user, outcome) = tokio::time::timeout(Duration::from_secs(120), task)
            .await
            .expect("the load did not finish in 120 s")
            .unwrap();
        let tokens = match outcome {
            Ok(AfterPassword::Authenticated(tokens)) => tokens,
            other => panic!("sign-in of user{user} lost: {other:?}"),
        };
        let claims = tokens.access_token_claims().unwrap();
        assert_eq!(
            claims["username"],
            format!("user{user}").as_str(),
            "crossed sign-in"
        );
        assert_eq!(claims["sub"], subs[user].as_str(), "crossed sign-in");
        let id = tokens.id_token_claims().unwrap();
        assert_eq!(
            id["cognito:username"],
            format!("user{user}").as_str(),
            "crossed sign-in"
        );
        assert!(
            access_tokens.insert(tokens.access_token().expose().to_owned()),
            "a token was issued twice"
        );
    }
    let elapsed = started.elapsed();
    assert_eq!(access_tokens.len(), SIGN_INS);
    println!(
        "{SIGN_INS} SRP sign-ins over {USERS} users in {elapsed:.2?}: {:.0}/s (debug build)",
        f64::from(SIGN_INS as u32) / elapsed.as_secs_f64()
    );
}
