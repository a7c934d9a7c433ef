//! TOTP: AssociateSoftwareToken and VerifySoftwareToken, inside MFA_SETUP (with a
//! Session) or for a signed-in user (with an AccessToken), and RFC 6238 itself.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::error::{ApiError, Result};
use crate::random::random_bytes;
use crate::request::{opt_text, text};
use crate::state::State;

use super::caller::{access_grant, pool_user};
use super::session::{SetupStage, Step, Waiting, renew, take_session};
use super::unix;

pub(super) fn associate_software_token(state: &mut State, body: &Value) -> Result<Value> {
    let secret = totp_secret()?;
    if let Some(key) = opt_text(body, "Session") {
        let Waiting { session, step } = take_session(state, key)?;
        match step {
            Step::MfaSetup(SetupStage::Offered(_) | SetupStage::Associated(_)) => {}
            _ => return Err(ApiError::invalid_session()),
        }
        let step = Step::MfaSetup(SetupStage::Associated(secret.clone()));
        let id = renew(state, session, step)?;
        return Ok(json!({"SecretCode": secret, "Session": id}));
    }
    let grant = access_grant(state, body)?;
    pool_user(state, &grant.pool, &grant.username)?.pending_totp = Some(secret.clone());
    Ok(json!({"SecretCode": secret}))
}

pub(super) fn verify_software_token(state: &mut State, body: &Value) -> Result<Value> {
    let code = text(body, "UserCode")?;
    if let Some(key) = opt_text(body, "Session") {
        let waiting = take_session(state, key)?;
        let Step::MfaSetup(SetupStage::Associated(secret)) = &waiting.step else {
            return Err(ApiError::invalid_session());
        };
        if !totp_matches(secret, code) {
            // The same session may try again.
            state.sessions.insert(key.to_owned(), waiting);
            return Err(totp_mismatch());
        }
        let step = Step::MfaSetup(SetupStage::Verified(secret.clone()));
        let id = renew(state, waiting.session, step)?;
        return Ok(json!({"Status": "SUCCESS", "Session": id}));
    }
    let grant = access_grant(state, body)?;
    let user = pool_user(state, &grant.pool, &grant.username)?;
    let secret = user
        .pending_totp
        .clone()
        .ok_or_else(|| ApiError::invalid_parameter("Call AssociateSoftwareToken first"))?;
    if !totp_matches(&secret, code) {
        return Err(totp_mismatch());
    }
    user.totp_secret = Some(secret);
    user.pending_totp = None;
    Ok(json!({"Status": "SUCCESS"}))
}

fn totp_mismatch() -> ApiError {
    ApiError::new(
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA",
    )
}

/// RFC 6238 with one step either side. Against the wall clock, not the emulator's
/// advanced clock: the authenticator app a test stands in for reads the real time.
pub(super) fn totp_matches(secret: &str, code: &str) -> bool {
    let now = SystemTime::now();
    let Ok(bytes) = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes() else {
        return false;
    };
    let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes);
    totp.check(code, unix(now))
}

/// A new TOTP secret: 32 random bytes in base32 (52 characters, like Cognito's).
fn totp_secret() -> Result<String> {
    Ok(totp_rs::Secret::Raw(random_bytes(32)?)
        .to_encoded()
        .to_string())
}
