//! The quickstart: no AWS account, nothing but cargo.
//!
//! Starts a Cognito user pool emulator on 127.0.0.1, creates a user with a temporary
//! password in a pool that requires an authenticator app, and signs in with the typed
//! API: USER_SRP_AUTH → NEW_PASSWORD_REQUIRED → MFA_SETUP (associate, show the
//! otpauth URI, verify) → tokens. Every step is printed.
//!
//! ```text
//! cargo run -p examples --example quickstart
//! ```

use cognito_typestate::challenges::{AfterMfaSetup, AfterNewPassword, AfterPassword, NewPassword};
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::{Client, Rejected};
use cognito_typestate_emulator::{
    AppClientConfig, Emulator, Mfa, MfaMethod, PoolConfig, UserConfig,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A user pool on 127.0.0.1: MFA required, by authenticator app.
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig {
        mfa: Mfa::On,
        mfa_methods: vec![MfaMethod::SoftwareToken],
        ..PoolConfig::default()
    })?;
    let app = pool.create_client(AppClientConfig::new("quickstart"))?;
    pool.create_user(
        UserConfig::new("alice")
            .temporary_password("Temp0rary-pass!")
            .attribute("email", "alice@example.com"),
    )?;
    println!(
        "emulator   {} pool {} client {}",
        emulator.endpoint(),
        pool.id(),
        app.id
    );

    // 2. The typed client, pointed at the emulator instead of AWS.
    let client = Client::builder(&app.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()?;

    // 3. Sign in with SRP: the password never leaves this process.
    println!("sign in    USER_SRP_AUTH as alice with the temporary password");
    let pending = match client
        .initiate(UserSrpAuth::new("alice", "Temp0rary-pass!"))
        .await?
    {
        AfterPassword::NewPasswordRequired(pending) => pending,
        other => return Err(format!("expected NEW_PASSWORD_REQUIRED, got {other:?}").into()),
    };

    // 4. The temporary password must be replaced. `respond` takes the pending state by
    //    value: this session cannot be answered twice.
    println!("challenge  NEW_PASSWORD_REQUIRED -> choosing a new password");
    let setup = match pending.respond(NewPassword::new("N3w-and-secret!")).await? {
        AfterNewPassword::MfaSetup(setup) => setup,
        other => return Err(format!("expected MFA_SETUP, got {other:?}").into()),
    };

    // 5. The pool requires MFA and alice has none: set up an authenticator app.
    let offered: Vec<String> = setup
        .challenge()
        .can_set_up()
        .iter()
        .map(ToString::to_string)
        .collect();
    println!("challenge  MFA_SETUP offers {}", offered.join(", "));
    let totp = setup.associate_software_token().await?;
    println!("associate  scan this in an authenticator app:");
    println!(
        "           {}",
        totp.otpauth_uri("cognito-typestate quickstart").expose()
    );
    let code = authenticator_app(totp.secret_code().expose())?;
    println!("verify     the app shows {code}");
    let tokens = match totp.verify(code, Some("quickstart phone")).await {
        Ok(AfterMfaSetup::Authenticated(tokens)) => tokens,
        Ok(other) => return Err(format!("expected tokens, got {other:?}").into()),
        Err(Rejected::Retry { error, .. }) => {
            return Err(format!("the code was refused: {error}").into());
        }
        Err(e) => return Err(e.into()),
    };

    // 6. Signed in.
    let expiry = tokens.expires_in().map_or_else(
        || "no expiry given".to_owned(),
        |d| format!("expires in {} s", d.as_secs()),
    );
    println!(
        "signed in  {} access token, {expiry}",
        tokens.token_type().unwrap_or("Bearer"),
    );
    let claims = tokens.id_token_claims().unwrap_or_default();
    println!("id token   {}", serde_json::to_string_pretty(&claims)?);
    let access = tokens.access_token_claims().unwrap_or_default();
    println!(
        "access     token_use={} username={} client_id={}",
        access["token_use"], access["username"], access["client_id"]
    );
    Ok(())
}

/// What the user's authenticator app would show for `secret` right now.
fn authenticator_app(secret: &str) -> Result<String, Box<dyn std::error::Error>> {
    let key = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| format!("not base32: {e:?}"))?;
    Ok(totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key).generate_current()?)
}
