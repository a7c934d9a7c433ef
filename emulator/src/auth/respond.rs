//! RespondToAuthChallenge: one answer per challenge step.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::config::MfaMethod;
use crate::error::ApiError;
use crate::request::{opt_text, string_map, text};
use crate::state::{AuthSession, SetupStage, Shared, State, Step, UserStatus};
use crate::triggers::{ChallengeResult, VerifyEvent};

use super::caller::pool_user;
use super::client_secret::check_secret_hash;
use super::custom::{custom_next, no_custom_auth};
use super::devices::known_device;
use super::initiate::first_factor;
use super::mfa::{mfa_challenge, send_code_challenge, totp_matches};
use super::policy::check_policy;
use super::progress::advance;
use super::srp::read_claim;
use super::{ChallengeName, CodeChallenge, Next};

type Result<T, E = ApiError> = std::result::Result<T, E>;

pub(super) fn respond_to_auth_challenge(
    shared: &Shared,
    state: &mut State,
    body: &Value,
) -> Result<Next> {
    let client_id = text(body, "ClientId")?;
    let name = text(body, "ChallengeName")?;
    let responses = string_map(body, "ChallengeResponses")?;
    let (_, client) = state.pool_of_client(client_id)?;
    let named = name.parse::<ChallengeName>().ok();
    let key = match (
        opt_text(body, "Session"),
        responses.get("PASSWORD_CLAIM_SECRET_BLOCK"),
    ) {
        (Some(session), _) => session.to_owned(),
        (None, Some(block)) if named == Some(ChallengeName::PasswordVerifier) => {
            format!("block:{block}")
        }
        (None, _) => return Err(ApiError::missing("Session")),
    };
    let typed = responses
        .get("USERNAME")
        .ok_or_else(|| ApiError::missing("USERNAME"))?;
    check_secret_hash(client, typed, responses.get("SECRET_HASH"))?;
    let now = state.now();
    let session = match state.sessions.remove(&key) {
        Some(session) if session.client == client_id => session,
        Some(session) => {
            state.sessions.insert(key, session);
            return Err(ApiError::invalid_session());
        }
        // A SECRET_BLOCK that is not ours: tampered or replayed.
        None if key.starts_with("block:") => return Err(ApiError::wrong_password()),
        None => return Err(ApiError::invalid_session()),
    };
    if now > session.expires {
        return Err(ApiError::expired_session());
    }
    let expected = session.step.challenge();
    if named != Some(expected) {
        let expected = expected.as_str();
        state.sessions.insert(key, session);
        return Err(ApiError::invalid_parameter(format!(
            "Invalid challenge name {name}: the session is waiting for {expected}"
        )));
    }
    let pool = &state.pools[&session.pool];
    if !matches!(session.step, Step::Decoy)
        && pool.resolve(typed) != Some(session.username.as_str())
    {
        return Err(ApiError::not_authorized("Incorrect username or password."));
    }
    let mut session = session;
    if session.device_key.is_none() && !matches!(session.step, Step::Decoy | Step::DeviceSrpAuth) {
        // Clients may name the device only in the answers (amazon-cognito-identity-js
        // does, from PASSWORD_VERIFIER on), and Cognito takes it there too.
        let user = &pool.users[&session.username];
        session.device_key = known_device(pool, user, responses.get("DEVICE_KEY"))?;
    }
    answer_step(shared, state, key, session, &responses)
}

#[allow(clippy::too_many_lines)] // one arm per challenge, each short
pub(super) fn answer_step(
    shared: &Shared,
    state: &mut State,
    key: String,
    mut session: AuthSession,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let response = |name: &str| responses.get(name).ok_or_else(|| ApiError::missing(name));
    match std::mem::replace(&mut session.step, Step::NewPasswordRequired) {
        Step::Decoy => Err(ApiError::wrong_password()),
        Step::PasswordVerifier(srp) => {
            let pool = &state.pools[&session.pool];
            let claim = read_claim(&srp, responses)?;
            Ok(Next::CheckClaim {
                pool_name: pool.srp_name().to_owned(),
                user_id: session.username.clone(),
                timestamp: claim.0,
                signature: claim.1,
                session,
                srp,
                device: false,
            })
        }
        Step::DevicePasswordVerifier { srp, device_key } => {
            let pool = &state.pools[&session.pool];
            let device = pool.users[&session.username]
                .devices
                .get(&device_key)
                .ok_or_else(ApiError::device_not_found)?;
            let claim = read_claim(&srp, responses)?;
            Ok(Next::CheckClaim {
                pool_name: device.group_key.clone(),
                user_id: device_key.clone(),
                timestamp: claim.0,
                signature: claim.1,
                session,
                srp,
                device: true,
            })
        }
        Step::NewPasswordRequired => match set_new_password(state, &session, responses) {
            Ok(()) => {
                session.new_password_done = true;
                advance(shared, state, session)
            }
            Err(e) => {
                // A weak password or a missing attribute may be corrected with the
                // same session.
                session.step = Step::NewPasswordRequired;
                state.sessions.insert(key, session);
                Err(e)
            }
        },
        Step::Code {
            challenge,
            code,
            enrolling,
        } => {
            let given = response(challenge.response_key())?;
            let user = &state.pools[&session.pool].users[&session.username];
            let valid = match &code {
                Some(code) => code == given,
                None => user
                    .totp_secret
                    .as_deref()
                    .is_some_and(|s| totp_matches(s, given)),
            };
            if !valid {
                session.wrong_codes += 1;
                session.step = Step::Code {
                    challenge,
                    code,
                    enrolling,
                };
                // Three tries per session, as Cognito allows.
                if session.wrong_codes < 3 {
                    state.sessions.insert(key, session);
                }
                return Err(ApiError::code_mismatch());
            }
            if enrolling {
                let user = pool_user(state, &session.pool, &session.username)?;
                user.mfa_enabled.insert(MfaMethod::Email);
                user.mfa_preferred.get_or_insert(MfaMethod::Email);
            }
            advance(shared, state, session)
        }
        Step::SelectMfaType(options) => {
            let answer = response("ANSWER")?;
            let Some(method) = options
                .iter()
                .copied()
                .find(|m| m.challenge_name() == answer)
            else {
                session.step = Step::SelectMfaType(options);
                state.sessions.insert(key, session);
                return Err(ApiError::invalid_parameter(format!(
                    "{answer} is not one of the MFA types offered"
                )));
            };
            Ok(Next::Done(mfa_challenge(state, session, method)))
        }
        Step::MfaSetup(SetupStage::Verified(secret)) => {
            let user = pool_user(state, &session.pool, &session.username)?;
            user.totp_secret = Some(secret);
            user.mfa_enabled.insert(MfaMethod::SoftwareToken);
            user.mfa_preferred.get_or_insert(MfaMethod::SoftwareToken);
            advance(shared, state, session)
        }
        Step::MfaSetup(SetupStage::Offered(methods))
            if methods.contains(&MfaMethod::Email) && responses.contains_key("EMAIL") =>
        {
            let email = responses["EMAIL"].clone();
            pool_user(state, &session.pool, &session.username)?
                .attributes
                .insert("email".into(), email);
            Ok(Next::Done(send_code_challenge(
                state,
                session,
                CodeChallenge::EmailOtp,
                6,
                true,
            )))
        }
        Step::MfaSetup(setup_stage) => {
            session.step = Step::MfaSetup(setup_stage);
            state.sessions.insert(key, session);
            Err(ApiError::invalid_parameter(
                "Verify a software token with VerifySoftwareToken first, and answer MFA_SETUP with its Session",
            ))
        }
        Step::SelectChallenge(available) => {
            let answer = response("ANSWER")?;
            let factor = available
                .iter()
                .copied()
                .find(|f| f.challenge_name() == answer);
            match factor {
                Some(factor) => first_factor(shared, state, session, factor, responses),
                None => Err(ApiError::invalid_parameter(format!(
                    "{answer} is not one of the available challenges"
                ))),
            }
        }
        Step::Custom { private, metadata } => {
            let answer = response("ANSWER")?;
            let pool = &state.pools[&session.pool];
            let triggers = pool.custom_auth.clone().ok_or_else(no_custom_auth)?;
            let result = (triggers.verify)(&VerifyEvent {
                username: &session.username,
                private: &private,
                answer,
            });
            session
                .custom
                .get_or_insert_with(Vec::new)
                .push(ChallengeResult {
                    challenge_name: ChallengeName::CustomChallenge.as_str().into(),
                    challenge_result: result,
                    challenge_metadata: metadata,
                });
            custom_next(shared, state, session, None)
        }
        Step::DeviceSrpAuth => {
            let device_key = response("DEVICE_KEY")?;
            let srp_a = response("SRP_A")?;
            let user = &state.pools[&session.pool].users[&session.username];
            let verifier = user
                .devices
                .get(device_key)
                .and_then(|device| device.verifier.clone())
                .ok_or_else(ApiError::device_not_found)?;
            Ok(Next::StartSrp {
                session,
                verifier,
                srp_a: srp_a.clone(),
                session_less: false,
                device_key: Some(device_key.clone()),
            })
        }
    }
}

/// NEW_PASSWORD_REQUIRED: the policy, the required attributes, then the change.
pub(super) fn set_new_password(
    state: &mut State,
    session: &AuthSession,
    responses: &BTreeMap<String, String>,
) -> Result<()> {
    let new_password = responses
        .get("NEW_PASSWORD")
        .ok_or_else(|| ApiError::missing("NEW_PASSWORD"))?;
    check_policy(new_password)?;
    let pool = state.pool_mut(&session.pool)?;
    let srp_name = pool.srp_name().to_owned();
    let required = pool.config.required_attributes.clone();
    let user = pool
        .users
        .get_mut(&session.username)
        .ok_or_else(ApiError::user_not_found)?;
    let mut attributes = user.attributes.clone();
    for (name, value) in responses {
        if let Some(attribute) = name.strip_prefix("userAttributes.")
            && !matches!(
                attribute,
                "sub" | "email_verified" | "phone_number_verified"
            )
        {
            attributes.insert(attribute.to_owned(), value.clone());
        }
    }
    if let Some(missing) = required.iter().find(|name| !attributes.contains_key(*name)) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid attributes given, {missing} is missing"
        )));
    }
    user.attributes = attributes;
    user.set_password(&srp_name, new_password.clone())?;
    user.status = UserStatus::Confirmed;
    Ok(())
}
