//! InitiateAuth: the flows, the decoy for unknown users, USER_AUTH's first factors.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::config::FirstFactor;
use crate::error::{ApiError, Result};
use crate::request::{opt_text, required, string_map, text};
use crate::state::{AppClient, Shared, State, later};

use super::account::auto_sign_in;
use super::client_secret::check_secret_hash;
use super::codes::send_code_challenge;
use super::custom::{SRP_A, custom_next, step_result};
use super::devices::known_device;
use super::flow::AuthFlow;
use super::policy::{check_lockout, check_password, check_status};
use super::progress::advance;
use super::session::{AuthSession, Phase, Step, store_challenge};
use super::srp::{Proof, SrpStart, start_password_srp};
use super::tokens::refresh_token_auth;
use super::webauthn;
use super::{CodeChallenge, Next, unix};

pub(super) fn initiate_auth(shared: &Shared, state: &mut State, body: &Value) -> Result<Next> {
    let flow = text(body, "AuthFlow")?;
    let client_id = text(body, "ClientId")?;
    let params = string_map(body, "AuthParameters")?;
    let client_metadata = string_map(body, "ClientMetadata")?;
    let (pool, client) = state.pool_of_client(client_id)?;
    let flow: AuthFlow = flow.parse()?;
    if !client.allows(flow) {
        return Err(ApiError::invalid_parameter(format!(
            "{} flow not enabled for this client",
            flow.as_str()
        )));
    }
    if flow == AuthFlow::RefreshToken {
        return refresh_token_auth(shared, state, client_id, &params);
    }
    let typed = required(&params, "USERNAME")?;
    check_secret_hash(client, typed, params.get("SECRET_HASH"))?;
    if flow == AuthFlow::User
        && let Some(key) = opt_text(body, "Session")
    {
        return auto_sign_in(shared, state, client_id, typed, key);
    }
    let now = state.now();
    let Some(username) = pool.resolve(typed).map(str::to_owned) else {
        return unknown_user(state, client_id, flow, typed, &params);
    };
    let user = &pool.users[&username];
    check_lockout(user, now)?;
    let device_key = known_device(pool, user, params.get("DEVICE_KEY"))?;
    let mut session = AuthSession::new(
        pool.id.clone(),
        client_id.to_owned(),
        username,
        session_expiry(client, now),
        unix(now),
    );
    session.device_key = device_key;
    session.client_metadata = client_metadata;
    match flow {
        AuthFlow::UserPassword => {
            first_factor(shared, state, session, FirstFactor::Password, &params)
        }
        AuthFlow::UserSrp => {
            let srp_a = required(&params, "SRP_A")?;
            start_password_srp(state, session, srp_a, Proof::PasswordWithoutSession)
        }
        AuthFlow::Custom => custom_auth(state, session, &params),
        // REFRESH_TOKEN_AUTH was answered above.
        AuthFlow::User | AuthFlow::RefreshToken => user_auth(shared, state, session, &params),
    }
}

fn session_expiry(client: &AppClient, now: SystemTime) -> SystemTime {
    later(
        now,
        Duration::from_secs(client.config.session_validity_seconds),
    )
}

/// CUSTOM_AUTH: the triggers decide, knowing whether the client sent SRP_A to prove
/// the password first.
fn custom_auth(
    state: &mut State,
    mut session: AuthSession,
    params: &BTreeMap<String, String>,
) -> Result<Next> {
    let history = match params.get("CHALLENGE_NAME").map(String::as_str) {
        Some(SRP_A) => vec![step_result(SRP_A, true, None)],
        _ => Vec::new(),
    };
    session.phase = Phase::Custom(history);
    custom_next(state, session, params.get("SRP_A").cloned())
}

/// Unknown user: `UserNotFoundException`, or with PreventUserExistenceErrors a wrong
/// password (and for SRP a decoy challenge, so timing and shape give nothing away).
fn unknown_user(
    state: &mut State,
    client_id: &str,
    flow: AuthFlow,
    typed: &str,
    params: &BTreeMap<String, String>,
) -> Result<Next> {
    let now = state.now();
    let (pool, client) = state.pool_of_client(client_id)?;
    if !client.config.prevent_user_existence_errors {
        return Err(ApiError::user_not_found());
    }
    if flow != AuthFlow::UserSrp {
        return Err(ApiError::wrong_password());
    }
    let session = AuthSession::new(
        pool.id.clone(),
        client_id.to_owned(),
        typed.to_owned(),
        session_expiry(client, now),
        unix(now),
    );
    let verifier = state.decoy_verifier(&session.pool, typed)?;
    // From here on the decoy takes the real users' path: B made unlocked, the same way,
    // and the PASSWORD_VERIFIER stored under its SECRET_BLOCK.
    Ok(Next::StartSrp(SrpStart {
        session,
        verifier,
        srp_a: required(params, "SRP_A")?.clone(),
        proof: Proof::Decoy,
    }))
}

/// USER_AUTH: the preferred first factor, or SELECT_CHALLENGE with what this user can do.
fn user_auth(
    shared: &Shared,
    state: &mut State,
    session: AuthSession,
    params: &BTreeMap<String, String>,
) -> Result<Next> {
    let available = available_factors(state, &session);
    if params.get("PREFERRED_CHALLENGE").map(String::as_str)
        == Some(FirstFactor::WebAuthn.challenge_name())
    {
        webauthn::check_preferred(&state.pools[&session.pool])?;
    }
    let preferred = params
        .get("PREFERRED_CHALLENGE")
        .and_then(|name| factor_named(&available, name));
    if let Some(factor) = preferred {
        return first_factor(shared, state, session, factor, params);
    }
    let names: Vec<&'static str> = available.iter().map(|f| f.challenge_name()).collect();
    let mut answer = store_challenge(state, session, Step::SelectChallenge(available), json!({}))?;
    answer["AvailableChallenges"] = json!(names);
    Ok(Next::Done(answer))
}

fn available_factors(state: &State, session: &AuthSession) -> Vec<FirstFactor> {
    let pool = &state.pools[&session.pool];
    let user = &pool.users[&session.username];
    pool.config
        .first_factors
        .iter()
        .copied()
        .filter(|factor| match factor {
            FirstFactor::Password | FirstFactor::PasswordSrp => user.verifier.is_some(),
            FirstFactor::EmailOtp => user.attributes.contains_key("email"),
            FirstFactor::SmsOtp => user.attributes.contains_key("phone_number"),
            FirstFactor::WebAuthn => webauthn::offered(pool, user),
        })
        .collect()
}

/// The factor of `available` whose challenge name was given.
pub(super) fn factor_named(available: &[FirstFactor], name: &str) -> Option<FirstFactor> {
    available
        .iter()
        .copied()
        .find(|factor| factor.challenge_name() == name)
}

/// Starts a first factor (USER_PASSWORD_AUTH's, or USER_AUTH's choice).
pub(super) fn first_factor(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
    factor: FirstFactor,
    inputs: &BTreeMap<String, String>,
) -> Result<Next> {
    let code = match factor {
        FirstFactor::Password => {
            check_password(state, &session, required(inputs, "PASSWORD")?)?;
            return advance(shared, state, session);
        }
        FirstFactor::PasswordSrp => {
            let srp_a = required(inputs, "SRP_A")?;
            return start_password_srp(state, session, srp_a, Proof::Password);
        }
        FirstFactor::EmailOtp => CodeChallenge::EmailOtp,
        FirstFactor::SmsOtp => CodeChallenge::SmsOtp,
        FirstFactor::WebAuthn => return webauthn::web_authn_challenge(state, session),
    };
    // The code would be the whole proof: refuse before sending it.
    check_status(&state.pools[&session.pool].users[&session.username])?;
    // A passwordless first factor is the whole sign-in: no MFA after it.
    session.phase = Phase::Passwordless;
    send_code_challenge(state, session, code, 8, false).map(Next::Done)
}
