//! What a test suite pays for its Cognito fixture: one full sign-in, then 100 in a row
//! (one at a time, as a test does), against a server at `--endpoint`, or against the
//! emulator started in this process (`--in-process`, which also times its start; with
//! `--published-key`, signing with the key published in the emulator's source). A
//! sign-in is SRP (`--flow srp`), the password (`password`), or the password and then
//! the `SOFTWARE_TOKEN_MFA` challenge answered with a TOTP code of `--totp-secret`
//! (`password-totp`; in process, the user is created with a secret of its own).
//! Prints one JSON object: `start_ms` and `next_start_ms` (in process only: the first
//! emulator's start with a pool and a user, and a second emulator's start), `client_ms`
//! (in process only: building the `Client`), `first_ms`, `hundred_ms`.
//! `scripts/bench-fixtures.py` runs it against every fixture.
//!
//! ```text
//! fixture-signins --in-process [--published-key] --flow srp|password|password-totp
//! fixture-signins --endpoint URL --pool ID --client ID --user NAME --password P
//!                 --flow srp|password|password-totp [--totp-secret BASE32]
//! ```

use std::time::{Duration, Instant};

use cognito_typestate::challenges::{AfterMfa, AfterPassword, SoftwareTokenMfaCode};
use cognito_typestate::flows::{UserPasswordAuth, UserSrpAuth};
use cognito_typestate::{Client, Error};
use cognito_typestate_emulator::{
    AppClientConfig, Emulator, Mfa, MfaMethod, PoolConfig, UserConfig,
};

const PASSWORD: &str = "Corr3ct-horse!";
/// The in-process user's authenticator secret (base32).
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

type Failed = Box<dyn std::error::Error>;

/// How each sign-in goes.
enum SignIn {
    /// `USER_SRP_AUTH` to tokens.
    Srp,
    /// `USER_PASSWORD_AUTH` to tokens.
    Password,
    /// `USER_PASSWORD_AUTH`, then `SOFTWARE_TOKEN_MFA` answered with this secret's code.
    PasswordTotp(totp_rs::TOTP),
}

impl SignIn {
    /// `--flow` (and `--totp-secret` for `password-totp`, or `in_process_secret`).
    fn from_args(args: &[String], in_process_secret: Option<&str>) -> Result<Self, Failed> {
        match value(args, "--flow")? {
            "srp" => Ok(Self::Srp),
            "password" => Ok(Self::Password),
            "password-totp" => {
                let secret = match in_process_secret {
                    Some(secret) => secret,
                    None => value(args, "--totp-secret")?,
                };
                let key = totp_rs::Secret::Encoded(secret.to_uppercase())
                    .to_bytes()
                    .map_err(|e| format!("--totp-secret: {e:?}"))?;
                let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key);
                Ok(Self::PasswordTotp(totp))
            }
            other => Err(format!("--flow {other}: srp, password or password-totp").into()),
        }
    }

    /// Signs `user` in once; tokens are expected.
    async fn run(&self, client: &Client, user: &str, password: &str) -> Result<(), Failed> {
        let outcome: Result<AfterPassword, Error> = match self {
            Self::Srp => client.initiate(UserSrpAuth::new(user, password)).await,
            Self::Password | Self::PasswordTotp(_) => {
                client.initiate(UserPasswordAuth::new(user, password)).await
            }
        };
        match (outcome?, self) {
            (AfterPassword::Authenticated(_), Self::Srp | Self::Password) => Ok(()),
            (AfterPassword::SoftwareTokenMfa(pending), Self::PasswordTotp(totp)) => {
                let code = SoftwareTokenMfaCode::new(totp.generate_current()?);
                match pending.respond(code).await? {
                    AfterMfa::Authenticated(_) => Ok(()),
                    device @ AfterMfa::DeviceSrpAuth(_) => {
                        Err(format!("expected tokens, got {device:?}").into())
                    }
                }
            }
            (other, _) => Err(format!("unexpected {other:?}").into()),
        }
    }
}

/// One sign-in, then 100: how long each took.
async fn time_sign_ins(
    client: &Client,
    user: &str,
    password: &str,
    sign_in: &SignIn,
) -> Result<(Duration, Duration), Failed> {
    let started = Instant::now();
    sign_in.run(client, user, password).await?;
    let first = started.elapsed();
    let started = Instant::now();
    for _ in 0..100 {
        sign_in.run(client, user, password).await?;
    }
    Ok((first, started.elapsed()))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn in_process(sign_in: SignIn, published_key: bool) -> Result<String, Failed> {
    if published_key {
        cognito_typestate_emulator::use_published_signing_key()?;
    }
    let mut pool_config = PoolConfig::default();
    let mut user = UserConfig::new("alice").password(PASSWORD);
    if let SignIn::PasswordTotp(_) = sign_in {
        pool_config.mfa = Mfa::Optional;
        user = user
            .totp_secret(TOTP_SECRET)
            .mfa(MfaMethod::SoftwareToken)
            .preferred_mfa(MfaMethod::SoftwareToken);
    }
    let started = Instant::now();
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(pool_config)?;
    let app = pool.create_client(AppClientConfig::new("tests"))?;
    pool.create_user(user)?;
    let start = started.elapsed();
    let started = Instant::now();
    let client = Client::builder(&app.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()?;
    let client_built = started.elapsed();
    let (first, hundred) = time_sign_ins(&client, "alice", PASSWORD, &sign_in).await?;
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

async fn remote(args: &[String]) -> Result<String, Failed> {
    let value = |flag: &str| value(args, flag);
    let client = Client::builder(value("--client")?)
        .endpoint(value("--endpoint")?)
        .user_pool_id(value("--pool")?)
        .build()?;
    let sign_in = SignIn::from_args(args, None)?;
    let (first, hundred) =
        time_sign_ins(&client, value("--user")?, value("--password")?, &sign_in).await?;
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
            SignIn::from_args(&args, Some(TOTP_SECRET))?,
            args.iter().any(|a| a == "--published-key"),
        )
        .await?
    } else {
        remote(&args).await?
    };
    println!("{line}");
    Ok(())
}
