//! An account's life against the emulator: sign up, confirm with the code from the
//! emulator's outbox (a mistyped code first), sign in automatically with the sign-up's
//! session, change the password, reset it after "forgetting" it, and sign out
//! everywhere. Every step is printed.
//!
//! ```text
//! cargo run -p examples --example lifecycle
//! ```

use cognito_typestate::account::{SignUp, SignUpOutcome};
use cognito_typestate::challenges::FirstFactorOutcome;
use cognito_typestate::flows::{AutoSignIn, RefreshTokenAuth, UserSrpAuth};
use cognito_typestate::{Client, Rejected, Tokens};
use cognito_typestate_emulator::{AppClientConfig, Emulator, PoolConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A pool that lets users sign up and verifies their e-mail address with a code.
    let emulator = Emulator::start().await?;
    let pool = emulator.create_pool(PoolConfig::default())?;
    let app = pool.create_client(AppClientConfig::new("lifecycle"))?;
    let client = Client::builder(&app.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()?;

    // 1. Sign up: the pool sends a code to the e-mail address.
    println!("sign up    ada");
    let sign_up = SignUp::new("ada")
        .password("Corr3ct-horse!")
        .attribute("email", "ada@example.com");
    let pending = match client.sign_up(sign_up).await? {
        SignUpOutcome::ConfirmationRequired(pending) => pending,
        SignUpOutcome::Confirmed(_) => return Err("the pool confirmed at once".into()),
    };
    let to = pending.delivery().and_then(|d| d.destination.clone());
    println!("code       sent to {}", to.as_deref().unwrap_or("?"));

    // 2. A mistyped code hands the same confirmation back; the right one confirms.
    let code = pool.last_code("ada").ok_or("no code in the outbox")?;
    let pending = match pending.confirm("000000").await {
        Err(Rejected::Retry { pending, error }) => {
            println!("confirm    000000 refused ({}); again", error.code());
            pending
        }
        Ok(_) => return Err("a wrong code was accepted".into()),
        Err(Rejected::Failed(e)) => return Err(e.into()),
    };
    let account = pending.confirm(code).await?;
    println!("confirmed  {}", account.username());

    // 3. The confirmation counts as the first factor: sign in without the password.
    let auto = AutoSignIn::after(account).ok_or("no sign-up session for the auto sign-in")?;
    let tokens = match client.initiate(auto).await? {
        FirstFactorOutcome::Authenticated(tokens) => tokens,
        other => return Err(format!("expected tokens, got {other:?}").into()),
    };
    println!("signed in  {} (auto sign-in)", tokens.username());

    // 4. Change the password with the tokens, then sign in with the new one.
    client
        .change_password(&tokens, "Corr3ct-horse!", "N3w-and-secret!")
        .await?;
    let tokens = sign_in(&client, "N3w-and-secret!").await?;
    println!("changed    the password; signed in with the new one");

    // 5. Forgotten: a reset code, then a new password.
    let reset = client.forgot_password("ada").await?;
    let code = pool.last_code("ada").ok_or("no reset code")?;
    reset.confirm(code, "An0ther-secret!").await?;
    println!("reset      the password");
    drop(tokens);
    let tokens = sign_in(&client, "An0ther-secret!").await?;

    // 6. Sign out everywhere: the tokens are taken, and the refresh token stops working.
    let refresh = RefreshTokenAuth::from_tokens(&tokens).ok_or("no refresh token")?;
    client.sign_out_everywhere(tokens).await?;
    let refused = client
        .initiate(refresh)
        .await
        .err()
        .ok_or("refresh still works")?;
    println!("signed out everywhere; refresh refused: {refused}");
    Ok(())
}

async fn sign_in(client: &Client, password: &str) -> Result<Tokens, Box<dyn std::error::Error>> {
    match client.initiate(UserSrpAuth::new("ada", password)).await? {
        cognito_typestate::challenges::AfterPassword::Authenticated(tokens) => Ok(tokens),
        other => Err(format!("expected tokens, got {other:?}").into()),
    }
}
