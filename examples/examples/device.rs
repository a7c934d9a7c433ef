//! Remember a device, then sign in skipping MFA: the first sign-in answers the TOTP
//! challenge and registers the device (ConfirmDevice with a generated verifier); the
//! stored credentials (plain JSON) make the next sign-in prove the device with device
//! SRP instead of asking for a code.
//!
//! ```text
//! cargo run -p examples --example device
//! ```

use cognito_typestate::challenges::{AfterMfa, AfterPassword, SoftwareTokenMfaCode};
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::{Client, DeviceCredentials};
use cognito_typestate_emulator::{
    AppClientConfig, DeviceTracking, Emulator, Mfa, PoolConfig, UserConfig,
};

const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig {
        mfa: Mfa::Optional,
        device_tracking: DeviceTracking::Always,
        ..PoolConfig::default()
    })?;
    let app = pool.create_client(AppClientConfig::new("device"))?;
    pool.create_user(
        UserConfig::new("dana")
            .password("Corr3ct-horse!")
            .totp_secret(TOTP_SECRET),
    )?;
    let client = Client::builder(&app.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()?;

    // 1. A new device: password, then the authenticator code.
    let AfterPassword::SoftwareTokenMfa(mfa) = client
        .initiate(UserSrpAuth::new("dana", "Corr3ct-horse!"))
        .await?
    else {
        return Err("expected SOFTWARE_TOKEN_MFA on a new device".into());
    };
    println!("new device: the pool asks for a TOTP code");
    let AfterMfa::Authenticated(tokens) = mfa
        .respond(SoftwareTokenMfaCode::new(authenticator_app()?))
        .await?
    else {
        return Err("expected tokens".into());
    };

    // 2. Remember it: the device password never leaves this process.
    let device = client.confirm_device(&tokens, "dana's laptop").await?;
    let stored = serde_json::to_string(device.credentials())?;
    println!(
        "device {} remembered (store its credentials with the user's other secrets)",
        device.credentials().device_key
    );

    // 3. Next time: the stored device proves itself, and MFA is skipped.
    let credentials: DeviceCredentials = serde_json::from_str(&stored)?;
    match client
        .initiate(UserSrpAuth::new("dana", "Corr3ct-horse!").device(credentials))
        .await?
    {
        AfterPassword::Authenticated(tokens) => {
            println!(
                "signed in without a code; device_key claim: {}",
                tokens.access_token_claims().unwrap_or_default()["device_key"]
            );
            Ok(())
        }
        other => Err(format!("expected tokens without MFA, got {other:?}").into()),
    }
}

fn authenticator_app() -> Result<String, Box<dyn std::error::Error>> {
    let key = totp_rs::Secret::Encoded(TOTP_SECRET.into())
        .to_bytes()
        .map_err(|e| format!("{e:?}"))?;
    Ok(totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key).generate_current()?)
}
