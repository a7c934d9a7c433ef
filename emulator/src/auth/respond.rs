//! RespondToAuthChallenge: finding the sign-in the answer belongs to, then one
//! function per challenge step.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::config::MfaMethod;
use crate::error::{ApiError, Result};
use crate::request::{opt_text, required, string_map, text};
use crate::state::{Shared, State, UserStatus};

use super::caller::pool_user;
use super::client_secret::{check_secret_hash, constant_eq};
use super::codes::send_code_challenge;
use super::custom::verify_answer;
use super::devices::known_device;
use super::initiate::{factor_named, first_factor};
use super::mfa::{enroll, mfa_challenge};
use super::policy::check_policy;
use super::progress::advance;
use super::reserved_claim;
use super::session::{
    AuthSession, BLOCK_KEY_PREFIX, CodeStep, SetupStage, Step, Waiting, block_key, store_under,
};
use super::srp::{Proof, SrpStart, device_claim, user_claim};
use super::totp::totp_matches;
use super::webauthn::answer_web_authn;
use super::{ChallengeName, CodeChallenge, Next};

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
        (None, Some(block)) if named == Some(ChallengeName::PasswordVerifier) => block_key(block),
        (None, _) => return Err(ApiError::missing("Session")),
    };
    let typed = required(&responses, "USERNAME")?;
    check_secret_hash(client, typed, responses.get("SECRET_HASH"))?;
    let Waiting { mut session, step } = take_answered(state, &key, client_id, name, named)?;
    let pool = &state.pools[&session.pool];
    if !matches!(step, Step::Decoy) && pool.resolve(typed) != Some(session.username.as_str()) {
        return Err(ApiError::wrong_password());
    }
    if session.device_key.is_none() && !matches!(step, Step::Decoy | Step::DeviceSrpAuth) {
        // Clients may name the device only in the answers (amazon-cognito-identity-js
        // does, from PASSWORD_VERIFIER on), and Cognito takes it there too.
        let user = &pool.users[&session.username];
        session.device_key = known_device(pool, user, responses.get("DEVICE_KEY"))?;
    }
    answer(shared, state, key, session, step, &responses)
}

/// The sign-in stored under `key`, if it is this client's, still alive, and waiting
/// for the challenge answered. A mismatch leaves it in place.
fn take_answered(
    state: &mut State,
    key: &str,
    client_id: &str,
    name: &str,
    named: Option<ChallengeName>,
) -> Result<Waiting> {
    let now = state.now();
    let waiting = match state.sessions.remove(key) {
        Some(waiting) if waiting.session.client == client_id => waiting,
        Some(waiting) => {
            state.sessions.insert(key.to_owned(), waiting);
            return Err(ApiError::invalid_session());
        }
        // A SECRET_BLOCK that is not ours: tampered or replayed.
        None if key.starts_with(BLOCK_KEY_PREFIX) => return Err(ApiError::wrong_password()),
        None => return Err(ApiError::invalid_session()),
    };
    if now > waiting.session.expires {
        return Err(ApiError::expired_session());
    }
    let expected = waiting.step.challenge();
    if named != Some(expected) {
        state.sessions.insert(key.to_owned(), waiting);
        return Err(ApiError::invalid_parameter(format!(
            "Invalid challenge name {name}: the session is waiting for {}",
            expected.as_str()
        )));
    }
    Ok(waiting)
}

/// Answers the step the sign-in waits for.
fn answer(
    shared: &Shared,
    state: &mut State,
    key: String,
    session: AuthSession,
    step: Step,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    match step {
        Step::Decoy => Err(ApiError::wrong_password()),
        Step::PasswordVerifier(srp) => user_claim(state, session, srp, responses),
        Step::DevicePasswordVerifier { srp, device_key } => {
            device_claim(state, session, srp, device_key, responses)
        }
        Step::NewPasswordRequired => new_password_required(shared, state, key, session, responses),
        Step::Code(code) => code_challenge(shared, state, key, session, code, responses),
        Step::SelectMfaType(options) => select_mfa_type(state, key, session, options, responses),
        Step::MfaSetup(setup) => mfa_setup(shared, state, key, session, setup, responses),
        Step::SelectChallenge(available) => {
            let answer = required(responses, "ANSWER")?;
            match factor_named(&available, answer) {
                Some(factor) => first_factor(shared, state, session, factor, responses),
                None => Err(ApiError::invalid_parameter(format!(
                    "{answer} is not one of the available challenges"
                ))),
            }
        }
        Step::Custom { private, metadata } => {
            let answer = required(responses, "ANSWER")?.clone();
            verify_answer(state, session, private, metadata, answer)
        }
        Step::DeviceSrpAuth => device_srp_auth(state, session, responses),
        Step::WebAuthn(authentication) => {
            answer_web_authn(shared, state, session, *authentication, responses)
        }
    }
}

/// NEW_PASSWORD_REQUIRED: a weak password or a missing attribute may be corrected
/// with the same session.
fn new_password_required(
    shared: &Shared,
    state: &mut State,
    key: String,
    session: AuthSession,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    if let Err(e) = set_new_password(state, &session, responses) {
        store_under(state, key, session, Step::NewPasswordRequired);
        return Err(e);
    }
    advance(shared, state, session)
}

/// SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SMS_OTP: three tries per session, as
/// Cognito allows.
fn code_challenge(
    shared: &Shared,
    state: &mut State,
    key: String,
    mut session: AuthSession,
    step: CodeStep,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let given = required(responses, step.challenge.response_key())?;
    let user = &state.pools[&session.pool].users[&session.username];
    let valid = match &step.code {
        Some(code) => constant_eq(code.as_bytes(), given.as_bytes()),
        None => user
            .totp_secret
            .as_deref()
            .is_some_and(|s| totp_matches(s, given)),
    };
    if !valid {
        session.wrong_codes = session.wrong_codes.saturating_add(1);
        if session.wrong_codes < 3 {
            store_under(state, key, session, Step::Code(step));
        }
        return Err(ApiError::code_mismatch());
    }
    if step.enrolling {
        enroll(
            pool_user(state, &session.pool, &session.username)?,
            MfaMethod::Email,
        );
    }
    advance(shared, state, session)
}

/// SELECT_MFA_TYPE: an answer not offered may be corrected with the same session.
fn select_mfa_type(
    state: &mut State,
    key: String,
    session: AuthSession,
    options: Vec<MfaMethod>,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let answer = required(responses, "ANSWER")?;
    let Some(method) = options
        .iter()
        .copied()
        .find(|m| m.challenge_name() == answer)
    else {
        store_under(state, key, session, Step::SelectMfaType(options));
        return Err(ApiError::invalid_parameter(format!(
            "{answer} is not one of the MFA types offered"
        )));
    };
    mfa_challenge(state, session, method).map(Next::Done)
}

/// MFA_SETUP: a verified TOTP secret, or an e-mail address to send a code to.
fn mfa_setup(
    shared: &Shared,
    state: &mut State,
    key: String,
    session: AuthSession,
    setup: SetupStage,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    match setup {
        SetupStage::Verified(secret) => {
            let user = pool_user(state, &session.pool, &session.username)?;
            user.totp_secret = Some(secret);
            enroll(user, MfaMethod::SoftwareToken);
            advance(shared, state, session)
        }
        SetupStage::Offered(methods)
            if methods.contains(&MfaMethod::Email) && responses.contains_key("EMAIL") =>
        {
            let email = responses["EMAIL"].clone();
            pool_user(state, &session.pool, &session.username)?.set_attribute("email", email);
            let challenge = CodeChallenge::EmailOtp;
            send_code_challenge(state, session, challenge, 6, true).map(Next::Done)
        }
        setup => {
            store_under(state, key, session, Step::MfaSetup(setup));
            Err(ApiError::invalid_parameter(
                "Verify a software token with VerifySoftwareToken first, and answer MFA_SETUP with its Session",
            ))
        }
    }
}

/// DEVICE_SRP_AUTH: the device's `A`, to answer with DEVICE_PASSWORD_VERIFIER.
fn device_srp_auth(
    state: &State,
    session: AuthSession,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let device_key = required(responses, "DEVICE_KEY")?;
    let srp_a = required(responses, "SRP_A")?;
    // The device that proves itself must be the one whose remembered status skipped
    // MFA: another device of the same user proves nothing about this one.
    if session.device_key.as_ref() != Some(device_key) {
        return Err(ApiError::not_authorized(
            "The device proving itself is not the device of this sign-in",
        ));
    }
    let user = &state.pools[&session.pool].users[&session.username];
    let verifier = user
        .devices
        .get(device_key)
        .and_then(|device| device.verifier.clone())
        .ok_or_else(ApiError::device_not_found)?;
    Ok(Next::StartSrp(SrpStart {
        session,
        verifier,
        srp_a: srp_a.clone(),
        proof: Proof::Device(device_key.clone()),
    }))
}

/// NEW_PASSWORD_REQUIRED: the policy, the required attributes, then the change.
fn set_new_password(
    state: &mut State,
    session: &AuthSession,
    responses: &BTreeMap<String, String>,
) -> Result<()> {
    let new_password = required(responses, "NEW_PASSWORD")?;
    check_policy(new_password)?;
    let pool = state.pool_mut(&session.pool)?;
    let srp_name = pool.srp_name().to_owned();
    let required = pool.config.required_attributes.clone();
    let user = pool
        .users
        .get_mut(&session.username)
        .ok_or_else(ApiError::user_not_found)?;
    let given: Vec<(&str, &String)> = responses
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix("userAttributes.")?, value)))
        .filter(|(name, _)| !matches!(*name, "email_verified" | "phone_number_verified"))
        .collect();
    if let Some((name, _)) = given.iter().find(|(name, _)| reserved_claim(name)) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid user attribute name: {name} is set by the service"
        )));
    }
    let missing = required.iter().find(|name| {
        !user.attributes.contains_key(*name) && !given.iter().any(|(given, _)| given == name)
    });
    if let Some(missing) = missing {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid attributes given, {missing} is missing"
        )));
    }
    for (name, value) in given {
        user.set_attribute(name, value.clone());
    }
    user.set_password(&srp_name, new_password.clone())?;
    user.status = UserStatus::Confirmed;
    Ok(())
}
