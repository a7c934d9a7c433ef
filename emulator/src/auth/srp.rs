//! SRP: PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER, issued and checked.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_typestate::srp::server::parse_timestamp;
use cognito_typestate::srp::timestamp;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::{AuthSession, Shared, SrpStep, State, Step};
use crate::triggers::ChallengeResult;

use super::caller::pool_user;
use super::custom::custom_next;
use super::policy::{lockout_policy, record_failure};
use super::progress::advance;
use super::session::store_challenge;
use super::{ChallengeName, Next};

type Result<T, E = ApiError> = std::result::Result<T, E>;

pub(super) fn start_password_srp(
    state: &mut State,
    session: AuthSession,
    srp_a: &str,
    session_less: bool,
) -> Result<Next> {
    let user = &state.pools[&session.pool].users[&session.username];
    let verifier = user.verifier.clone().ok_or_else(ApiError::wrong_password)?;
    Ok(Next::StartSrp {
        session,
        verifier,
        srp_a: srp_a.to_owned(),
        session_less,
        device_key: None,
    })
}

/// Stores the sign-in and answers PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER).
pub(super) fn issue_verifier(
    state: &mut State,
    mut session: AuthSession,
    srp: SrpStep,
    session_less: bool,
    device_key: Option<String>,
) -> Value {
    let block = STANDARD.encode(&srp.secret_block);
    let mut parameters = json!({
        "SALT": srp.verifier.salt_hex(),
        "SRP_B": srp.server.public_hex(),
        "SECRET_BLOCK": block,
        "USERNAME": session.username,
    });
    session.step = if let Some(device_key) = device_key {
        Step::DevicePasswordVerifier { srp, device_key }
    } else {
        parameters["USER_ID_FOR_SRP"] = json!(session.username);
        Step::PasswordVerifier(srp)
    };
    if session_less {
        // Like AWS: USER_SRP_AUTH's PASSWORD_VERIFIER comes without a Session.
        let answer = json!({"ChallengeName": ChallengeName::PasswordVerifier.as_str(), "ChallengeParameters": parameters});
        state.sessions.insert(format!("block:{block}"), session);
        answer
    } else {
        store_challenge(state, session, parameters)
    }
}

/// `(canonical TIMESTAMP, signature)` from a verifier answer, checking the echoed
/// SECRET_BLOCK and the TIMESTAMP format.
pub(super) fn read_claim(
    srp: &SrpStep,
    responses: &BTreeMap<String, String>,
) -> Result<(String, String)> {
    let response = |name: &str| responses.get(name).ok_or_else(|| ApiError::missing(name));
    let block = response("PASSWORD_CLAIM_SECRET_BLOCK")?;
    if STANDARD.decode(block).ok().as_deref() != Some(srp.secret_block.as_slice()) {
        return Err(ApiError::wrong_password());
    }
    let sent = response("TIMESTAMP")?;
    let parsed = parse_timestamp(sent).ok_or_else(|| {
        ApiError::invalid_parameter(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        )
    })?;
    // Cognito signs its own rendering of the instant, not the text it was sent: a
    // zero-padded day or a wrong weekday fails the signature.
    Ok((
        timestamp(parsed),
        response("PASSWORD_CLAIM_SIGNATURE")?.clone(),
    ))
}

pub(super) fn after_claim(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
    valid: bool,
    device: bool,
) -> Result<Next> {
    let now = state.now();
    if device {
        if !valid {
            return Err(ApiError::not_authorized("Incorrect username or password."));
        }
        session.device_done = true;
        return advance(shared, state, session);
    }
    let lockout = lockout_policy(state, &session);
    let user = pool_user(state, &session.pool, &session.username)?;
    if !valid {
        record_failure(user, lockout, now);
        return Err(ApiError::wrong_password());
    }
    user.failed_attempts = 0;
    if let Some(history) = &mut session.custom {
        history.push(ChallengeResult {
            challenge_name: ChallengeName::PasswordVerifier.as_str().into(),
            challenge_result: true,
            challenge_metadata: None,
        });
        return custom_next(shared, state, session, None);
    }
    advance(shared, state, session)
}
