//! InitiateAuth, RespondToAuthChallenge and the calls that belong to a sign-in, as
//! Cognito documents them (PROTOCOL.md §3–§6).
//!
//! Handlers run on a blocking thread. They hold the state lock only to read and write
//! state: the SRP exponentiations run unlocked (see [`Next`]), so sign-ins proceed in
//! parallel.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_typestate::Secret;
use cognito_typestate::srp::server::{Claim, ServerEphemeral, Verifier, parse_timestamp};
use cognito_typestate::srp::timestamp;
use serde_json::{Map, Value, json};

use crate::config::{DeviceTracking, FirstFactor, Mfa, MfaMethod};
use crate::error::ApiError;
use crate::state::{
    AppClient, AuthSession, Device, Grant, Pool, RefreshGrant, SetupStage, Shared, SrpStep, State,
    Step, User, UserStatus, new_session_id,
};
use crate::triggers::{ChallengeResult, CreateEvent, Decision, DefineEvent, VerifyEvent};
use crate::{Message, random_bytes, random_token, uuid};

type Result<T, E = ApiError> = std::result::Result<T, E>;

/// Cognito's default refresh-token lifetime: 30 days.
const REFRESH_TOKEN_VALIDITY: Duration = Duration::from_secs(30 * 86_400);

/// A handler's result: an answer, or SRP work to do without the lock.
pub(crate) enum Next {
    Done(Value),
    /// Make `B` for `srp_a` and issue PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER).
    StartSrp {
        session: AuthSession,
        verifier: Arc<Verifier>,
        srp_a: String,
        /// USER_SRP_AUTH: no Session; the SECRET_BLOCK finds the sign-in again.
        session_less: bool,
        device_key: Option<String>,
    },
    /// Check a password claim, then go on.
    CheckClaim {
        session: AuthSession,
        srp: SrpStep,
        pool_name: String,
        user_id: String,
        timestamp: String,
        signature: String,
        /// DEVICE_PASSWORD_VERIFIER rather than PASSWORD_VERIFIER.
        device: bool,
    },
}

/// Runs an operation to its answer.
pub(crate) fn dispatch(shared: &Shared, operation: &str, body: &Value) -> Result<Value> {
    let mut next = {
        let mut state = shared.lock();
        match operation {
            "InitiateAuth" => initiate_auth(shared, &mut state, body)?,
            "RespondToAuthChallenge" => respond_to_auth_challenge(shared, &mut state, body)?,
            "AssociateSoftwareToken" => Next::Done(associate_software_token(&mut state, body)?),
            "VerifySoftwareToken" => Next::Done(verify_software_token(&mut state, body)?),
            "GetTokensFromRefreshToken" => {
                Next::Done(get_tokens_from_refresh_token(shared, &mut state, body)?)
            }
            "ConfirmDevice" => Next::Done(confirm_device(&mut state, body)?),
            "UpdateDeviceStatus" => Next::Done(update_device_status(&mut state, body)?),
            "ForgetDevice" | "AdminForgetDevice" => Next::Done(forget_device(&mut state, body)?),
            "SetUserMFAPreference" | "AdminSetUserMFAPreference" => {
                Next::Done(set_mfa_preference(&mut state, body)?)
            }
            "AdminCreateUser" => Next::Done(crate::admin::create_user(&mut state, body)?),
            "AdminSetUserPassword" => Next::Done(crate::admin::set_password(&mut state, body)?),
            "AdminGetUser" => Next::Done(crate::admin::get_user(&state, body)?),
            "CreateUserPool" => Next::Done(crate::admin::create_pool(&mut state, body)?),
            "CreateUserPoolClient" => Next::Done(crate::admin::create_client(&mut state, body)?),
            "SetUserPoolMfaConfig" => Next::Done(crate::admin::set_pool_mfa(&mut state, body)?),
            other => {
                return Err(ApiError::new(
                    "UnknownOperationException",
                    format!("{other} is not an operation this emulator knows"),
                ));
            }
        }
    };
    loop {
        next = match next {
            Next::Done(answer) => return Ok(answer),
            Next::StartSrp {
                session,
                verifier,
                srp_a,
                session_less,
                device_key,
            } => {
                let server = ServerEphemeral::generate(&verifier)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let srp = SrpStep {
                    srp_a,
                    server: Arc::new(server),
                    verifier,
                    secret_block: random_bytes(64)?,
                };
                let mut state = shared.lock();
                Next::Done(issue_verifier(
                    &mut state,
                    session,
                    srp,
                    session_less,
                    device_key,
                ))
            }
            Next::CheckClaim {
                session,
                srp,
                pool_name,
                user_id,
                timestamp,
                signature,
                device,
            } => {
                let valid = srp
                    .server
                    .verify(
                        &srp.verifier,
                        &Claim {
                            pool_name: &pool_name,
                            user_id: &user_id,
                            srp_a_hex: &srp.srp_a,
                            secret_block: &srp.secret_block,
                            timestamp: &timestamp,
                            signature: &signature,
                        },
                    )
                    // A hostile SRP_A fails the sign-in like a wrong password.
                    .unwrap_or(false);
                let mut state = shared.lock();
                after_claim(shared, &mut state, session, valid, device)?
            }
        };
    }
}

// ----------------------------------------------------------------------------------
// InitiateAuth

fn initiate_auth(shared: &Shared, state: &mut State, body: &Value) -> Result<Next> {
    let flow = text(body, "AuthFlow")?;
    let client_id = text(body, "ClientId")?;
    let params = string_map(body, "AuthParameters")?;
    let client_metadata = string_map(body, "ClientMetadata")?;
    let (pool, client) = state.pool_of_client(client_id)?;
    let allowed = match flow {
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => "REFRESH_TOKEN_AUTH",
        "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "CUSTOM_AUTH" | "USER_AUTH" => flow,
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => {
            return Err(ApiError::invalid_parameter(
                "Initiate Auth method not supported.",
            ));
        }
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"
            )));
        }
    };
    if !client.allows(allowed) {
        return Err(ApiError::invalid_parameter(format!(
            "{allowed} flow not enabled for this client"
        )));
    }
    if allowed == "REFRESH_TOKEN_AUTH" {
        return refresh_token_auth(shared, state, client_id, &params).map(Next::Done);
    }
    let typed = params
        .get("USERNAME")
        .ok_or_else(|| ApiError::missing("USERNAME"))?;
    check_secret_hash(client, typed, params.get("SECRET_HASH"))?;
    let now = state.now();
    let pool_id = pool.id.clone();
    let Some(username) = pool.resolve(typed).map(str::to_owned) else {
        return unknown_user(state, client_id, flow, &params, now);
    };
    let user = &pool.users[&username];
    check_lockout(user, now)?;
    let device_key = known_device(pool, user, params.get("DEVICE_KEY"))?;
    let mut session = AuthSession::new(
        pool_id,
        client_id.to_owned(),
        username,
        Step::NewPasswordRequired, // replaced before the session is stored
        now + Duration::from_secs(client.config.session_validity_seconds),
        unix(now),
    );
    session.device_key = device_key;
    session.client_metadata = client_metadata;
    match flow {
        "USER_PASSWORD_AUTH" => {
            let password = params
                .get("PASSWORD")
                .ok_or_else(|| ApiError::missing("PASSWORD"))?;
            check_password(state, &session, password)?;
            advance(shared, state, session)
        }
        "USER_SRP_AUTH" => {
            let srp_a = params
                .get("SRP_A")
                .ok_or_else(|| ApiError::missing("SRP_A"))?;
            start_password_srp(state, session, srp_a, true)
        }
        "CUSTOM_AUTH" => {
            let mut session = session;
            let history = match params.get("CHALLENGE_NAME").map(String::as_str) {
                Some("SRP_A") => vec![ChallengeResult {
                    challenge_name: "SRP_A".into(),
                    challenge_result: true,
                    challenge_metadata: None,
                }],
                _ => Vec::new(),
            };
            session.custom = Some(history);
            custom_next(shared, state, session, params.get("SRP_A").cloned())
        }
        _ => user_auth(shared, state, session, &params),
    }
}

/// Unknown user: `UserNotFoundException`, or with PreventUserExistenceErrors a wrong
/// password (and for SRP a decoy challenge, so timing and shape give nothing away).
fn unknown_user(
    state: &mut State,
    client_id: &str,
    flow: &str,
    params: &BTreeMap<String, String>,
    now: SystemTime,
) -> Result<Next> {
    let (pool, client) = state.pool_of_client(client_id)?;
    if !client.config.prevent_user_existence_errors {
        return Err(ApiError::user_not_found());
    }
    if flow != "USER_SRP_AUTH" {
        return Err(ApiError::wrong_password());
    }
    let typed = &params["USERNAME"];
    let decoy = Verifier::for_password(
        pool.srp_name(),
        typed,
        &random_token(16),
        &random_bytes(16)?,
    )
    .map_err(|e| ApiError::internal(e.to_string()))?;
    let server =
        ServerEphemeral::generate(&decoy).map_err(|e| ApiError::internal(e.to_string()))?;
    let block = STANDARD.encode(random_bytes(64)?);
    let answer = json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": decoy.salt_hex(), "SRP_B": server.public_hex(), "SECRET_BLOCK": block,
            "USER_ID_FOR_SRP": typed, "USERNAME": typed,
        },
    });
    let session = AuthSession::new(
        pool.id.clone(),
        client_id.to_owned(),
        typed.clone(),
        Step::Decoy,
        now + Duration::from_secs(client.config.session_validity_seconds),
        unix(now),
    );
    state.sessions.insert(format!("block:{block}"), session);
    Ok(Next::Done(answer))
}

/// USER_AUTH: the preferred first factor, or SELECT_CHALLENGE with what this user can do.
fn user_auth(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
    params: &BTreeMap<String, String>,
) -> Result<Next> {
    let available = available_factors(state, &session);
    let preferred = params
        .get("PREFERRED_CHALLENGE")
        .and_then(|name| available.iter().find(|f| f.challenge_name() == name));
    if let Some(factor) = preferred {
        return first_factor(shared, state, session, *factor, params);
    }
    let names: Vec<&'static str> = available.iter().map(|f| f.challenge_name()).collect();
    session.step = Step::SelectChallenge(names.clone());
    let mut answer = store_challenge(state, session, json!({}));
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
        })
        .collect()
}

fn first_factor(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
    factor: FirstFactor,
    inputs: &BTreeMap<String, String>,
) -> Result<Next> {
    match factor {
        FirstFactor::Password => {
            let password = inputs
                .get("PASSWORD")
                .ok_or_else(|| ApiError::missing("PASSWORD"))?;
            check_password(state, &session, password)?;
            advance(shared, state, session)
        }
        FirstFactor::PasswordSrp => {
            let srp_a = inputs
                .get("SRP_A")
                .ok_or_else(|| ApiError::missing("SRP_A"))?;
            start_password_srp(state, session, srp_a, false)
        }
        FirstFactor::EmailOtp | FirstFactor::SmsOtp => {
            let (method, challenge) = if factor == FirstFactor::EmailOtp {
                (MfaMethod::Email, "EMAIL_OTP")
            } else {
                (MfaMethod::Sms, "SMS_OTP")
            };
            // A passwordless first factor is the whole sign-in: no MFA after it.
            session.mfa_done = true;
            Ok(Next::Done(send_code_challenge(
                state, session, method, challenge, 8, false,
            )))
        }
    }
}

fn start_password_srp(
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
fn issue_verifier(
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
        let answer =
            json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": parameters});
        state.sessions.insert(format!("block:{block}"), session);
        answer
    } else {
        store_challenge(state, session, parameters)
    }
}

// ----------------------------------------------------------------------------------
// RespondToAuthChallenge

fn respond_to_auth_challenge(shared: &Shared, state: &mut State, body: &Value) -> Result<Next> {
    let client_id = text(body, "ClientId")?;
    let name = text(body, "ChallengeName")?;
    let responses = string_map(body, "ChallengeResponses")?;
    let (_, client) = state.pool_of_client(client_id)?;
    let key = match (
        opt_text(body, "Session"),
        responses.get("PASSWORD_CLAIM_SECRET_BLOCK"),
    ) {
        (Some(session), _) => session.to_owned(),
        (None, Some(block)) if name == "PASSWORD_VERIFIER" => format!("block:{block}"),
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
    if session.step.challenge_name() != name {
        let expected = session.step.challenge_name();
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
fn answer_step(
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
            let field = match challenge {
                "SMS_MFA" => "SMS_MFA_CODE",
                "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA_CODE",
                "SMS_OTP" => "SMS_OTP_CODE",
                _ => "EMAIL_OTP_CODE",
            };
            let given = response(field)?;
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
                MfaMethod::Email,
                "EMAIL_OTP",
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
            let factor = [
                FirstFactor::Password,
                FirstFactor::PasswordSrp,
                FirstFactor::EmailOtp,
                FirstFactor::SmsOtp,
            ]
            .into_iter()
            .find(|f| f.challenge_name() == answer && available.contains(&f.challenge_name()));
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
                    challenge_name: "CUSTOM_CHALLENGE".into(),
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
fn set_new_password(
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

/// `(canonical TIMESTAMP, signature)` from a verifier answer, checking the echoed
/// SECRET_BLOCK and the TIMESTAMP format.
fn read_claim(srp: &SrpStep, responses: &BTreeMap<String, String>) -> Result<(String, String)> {
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

fn after_claim(
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
            challenge_name: "PASSWORD_VERIFIER".into(),
            challenge_result: true,
            challenge_metadata: None,
        });
        return custom_next(shared, state, session, None);
    }
    advance(shared, state, session)
}

// ----------------------------------------------------------------------------------
// What comes after a factor: new password, MFA, device, tokens.

fn advance(shared: &Shared, state: &mut State, mut session: AuthSession) -> Result<Next> {
    if session.custom.is_some() && !session.mfa_done {
        return custom_next(shared, state, session, None);
    }
    let pool = &state.pools[&session.pool];
    let user = &pool.users[&session.username];
    if !session.new_password_done {
        session.new_password_done = true;
        if user.status == UserStatus::ForceChangePassword {
            let mut current = user.attributes.clone();
            current.remove("sub");
            let required: Vec<String> = pool
                .config
                .required_attributes
                .iter()
                .filter(|name| !user.attributes.contains_key(*name))
                .map(|name| format!("userAttributes.{name}"))
                .collect();
            let parameters = json!({
                "USER_ID_FOR_SRP": session.username,
                "userAttributes": json!(current).to_string(),
                "requiredAttributes": json!(required).to_string(),
            });
            session.new_password_done = false;
            session.step = Step::NewPasswordRequired;
            return Ok(Next::Done(store_challenge(state, session, parameters)));
        }
    }
    if !session.mfa_done {
        session.mfa_done = true;
        let remembered = session
            .device_key
            .as_ref()
            .and_then(|key| user.devices.get(key))
            .is_some_and(|device| device.remembered);
        if !remembered {
            match mfa_decision(pool, user) {
                MfaDecision::None => {}
                MfaDecision::Challenge(method) => {
                    return Ok(Next::Done(mfa_challenge(state, session, method)));
                }
                MfaDecision::Select(options) => {
                    let names: Vec<_> = options.iter().map(|m| m.challenge_name()).collect();
                    let parameters = json!({
                        "USER_ID_FOR_SRP": session.username,
                        "MFAS_CAN_CHOOSE": json!(names).to_string(),
                    });
                    session.step = Step::SelectMfaType(options);
                    return Ok(Next::Done(store_challenge(state, session, parameters)));
                }
                MfaDecision::Setup(methods) => {
                    let names: Vec<_> = methods.iter().map(|m| m.challenge_name()).collect();
                    let parameters = json!({
                        "USER_ID_FOR_SRP": session.username,
                        "MFAS_CAN_SETUP": json!(names).to_string(),
                    });
                    session.step = Step::MfaSetup(SetupStage::Offered(methods));
                    return Ok(Next::Done(store_challenge(state, session, parameters)));
                }
            }
        }
    }
    if !session.device_done {
        session.device_done = true;
        if session.device_key.is_some() {
            session.step = Step::DeviceSrpAuth;
            let parameters = json!({"USERNAME": session.username});
            return Ok(Next::Done(store_challenge(state, session, parameters)));
        }
    }
    let result = issue_tokens(shared, state, &session)?;
    Ok(Next::Done(
        json!({"AuthenticationResult": result, "ChallengeParameters": {}}),
    ))
}

enum MfaDecision {
    None,
    Challenge(MfaMethod),
    Select(Vec<MfaMethod>),
    Setup(Vec<MfaMethod>),
}

fn mfa_decision(pool: &Pool, user: &User) -> MfaDecision {
    if pool.config.mfa == Mfa::Off {
        return MfaDecision::None;
    }
    let usable: Vec<MfaMethod> = user
        .mfa_enabled
        .iter()
        .copied()
        .filter(|method| pool.config.mfa_methods.contains(method))
        .filter(|method| match method {
            MfaMethod::Sms => user.attributes.contains_key("phone_number"),
            MfaMethod::Email => user.attributes.contains_key("email"),
            MfaMethod::SoftwareToken => user.totp_secret.is_some(),
        })
        .collect();
    match (usable.as_slice(), user.mfa_preferred) {
        ([], _) if pool.config.mfa == Mfa::On => MfaDecision::Setup(
            [MfaMethod::SoftwareToken, MfaMethod::Email]
                .into_iter()
                .filter(|m| pool.config.mfa_methods.contains(m))
                .collect(),
        ),
        ([], _) => MfaDecision::None,
        ([only], _) => MfaDecision::Challenge(*only),
        (_, Some(preferred)) if usable.contains(&preferred) => MfaDecision::Challenge(preferred),
        _ => MfaDecision::Select(usable),
    }
}

fn mfa_challenge(state: &mut State, mut session: AuthSession, method: MfaMethod) -> Value {
    match method {
        MfaMethod::SoftwareToken => {
            session.step = Step::Code {
                challenge: "SOFTWARE_TOKEN_MFA",
                code: None,
                enrolling: false,
            };
            let parameters = json!({"USER_ID_FOR_SRP": session.username});
            store_challenge(state, session, parameters)
        }
        MfaMethod::Sms => send_code_challenge(state, session, method, "SMS_MFA", 6, false),
        MfaMethod::Email => send_code_challenge(state, session, method, "EMAIL_OTP", 6, false),
    }
}

/// Sends a code to the outbox and asks for it.
fn send_code_challenge(
    state: &mut State,
    mut session: AuthSession,
    method: MfaMethod,
    challenge: &'static str,
    digits: usize,
    enrolling: bool,
) -> Value {
    let (medium, attribute) = match method {
        MfaMethod::Sms => ("SMS", "phone_number"),
        _ => ("EMAIL", "email"),
    };
    let user = &state.pools[&session.pool].users[&session.username];
    let destination = user.attributes.get(attribute).cloned().unwrap_or_default();
    let code = numeric_code(digits);
    state.outbox.push(Message {
        pool_id: session.pool.clone(),
        username: session.username.clone(),
        medium: medium.to_owned(),
        destination: destination.clone(),
        code: code.clone(),
        challenge: challenge.to_owned(),
    });
    let parameters = json!({
        "USER_ID_FOR_SRP": session.username,
        "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
        "CODE_DELIVERY_DESTINATION": mask(&destination, medium),
    });
    session.step = Step::Code {
        challenge,
        code: Some(code),
        enrolling,
    };
    store_challenge(state, session, parameters)
}

/// Custom auth: ask Define what comes next and do it.
fn custom_next(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
    srp_a: Option<String>,
) -> Result<Next> {
    let pool = &state.pools[&session.pool];
    let triggers = pool.custom_auth.clone().ok_or_else(no_custom_auth)?;
    let user = &pool.users[&session.username];
    let history = session.custom.clone().unwrap_or_default();
    let decision = (triggers.define)(&DefineEvent {
        username: &session.username,
        user_attributes: &user.attributes,
        session: &history,
        client_metadata: &session.client_metadata,
    });
    match decision {
        Decision::IssueTokens => {
            // Custom auth decides the whole sign-in: no MFA after it.
            session.mfa_done = true;
            session.new_password_done = true;
            advance(shared, state, session)
        }
        Decision::Fail => Err(ApiError::wrong_password()),
        Decision::Challenge(name) if name == "PASSWORD_VERIFIER" => match srp_a {
            Some(srp_a) => start_password_srp(state, session, &srp_a, false),
            None => Err(ApiError::new(
                "InvalidLambdaResponseException",
                "PASSWORD_VERIFIER needs SRP_A (CHALLENGE_NAME=SRP_A) on InitiateAuth",
            )),
        },
        Decision::Challenge(name) if name == "CUSTOM_CHALLENGE" => {
            let created = (triggers.create)(&CreateEvent {
                username: &session.username,
                user_attributes: &user.attributes,
                challenge_name: &name,
                session: &history,
            });
            let mut parameters: Map<String, Value> = created
                .public
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            parameters.insert("USERNAME".into(), json!(session.username));
            session.step = Step::Custom {
                private: created.private,
                metadata: created.metadata,
            };
            Ok(Next::Done(store_challenge(
                state,
                session,
                Value::Object(parameters),
            )))
        }
        Decision::Challenge(name) => Err(ApiError::new(
            "InvalidLambdaResponseException",
            format!("Unrecognizable lambda output: challenge {name}"),
        )),
    }
}

fn no_custom_auth() -> ApiError {
    ApiError::invalid_parameter("Custom auth lambda trigger is not configured for the user pool.")
}

/// Stores the session under a new id and answers the challenge.
fn store_challenge(state: &mut State, session: AuthSession, parameters: Value) -> Value {
    let id = new_session_id();
    let mut answer = json!({"ChallengeName": session.step.challenge_name(), "Session": id});
    answer["ChallengeParameters"] = parameters;
    state.sessions.insert(id, session);
    answer
}

// ----------------------------------------------------------------------------------
// Tokens

fn issue_tokens(shared: &Shared, state: &mut State, session: &AuthSession) -> Result<Value> {
    let now = state.now();
    let pool = state.pool_mut(&session.pool)?;
    let mut new_device = None;
    let mut device_key = session.device_key.clone();
    if pool.config.device_tracking != DeviceTracking::Off && device_key.is_none() {
        let key = format!("{}_{}", pool.region(), uuid());
        let group_key = format!("-{}", random_token(9));
        let user = pool
            .users
            .get_mut(&session.username)
            .ok_or_else(ApiError::user_not_found)?;
        user.devices.insert(
            key.clone(),
            Device {
                group_key: group_key.clone(),
                verifier: None,
                remembered: false,
                name: None,
            },
        );
        new_device = Some(json!({"DeviceKey": key, "DeviceGroupKey": group_key}));
        device_key = Some(key);
    }
    let grant = Grant {
        pool: session.pool.clone(),
        client: session.client.clone(),
        username: session.username.clone(),
        device_key,
        expires: now + REFRESH_TOKEN_VALIDITY,
    };
    let mut result = sign_tokens(shared, state, &grant, session.auth_time, now)?;
    let refresh = random_token(96);
    state.refresh_tokens.insert(
        refresh.clone(),
        RefreshGrant {
            grant,
            auth_time: session.auth_time,
            rotated_until: None,
        },
    );
    result["RefreshToken"] = json!(refresh);
    if let Some(metadata) = new_device {
        result["NewDeviceMetadata"] = metadata;
    }
    Ok(result)
}

/// Access and ID tokens with Cognito's claims, for the user, client and device of
/// `grant`; the access token is registered for the calls that take one.
fn sign_tokens(
    shared: &Shared,
    state: &mut State,
    grant: &Grant,
    auth_time: u64,
    now: SystemTime,
) -> Result<Value> {
    let pool = &state.pools[&grant.pool];
    let client = &pool.clients[&grant.client];
    let user = &pool.users[&grant.username];
    let validity = client.config.token_validity_seconds;
    let iat = unix(now);
    let issuer = format!("{}{}", shared.endpoint, pool.id);
    let origin_jti = uuid();
    let event_id = uuid();
    let mut access = json!({
        "sub": user.sub(), "iss": issuer, "client_id": client.id, "origin_jti": origin_jti,
        "event_id": event_id, "token_use": "access", "scope": "aws.cognito.signin.user.admin",
        "auth_time": auth_time, "exp": iat + validity, "iat": iat, "jti": uuid(),
        "username": user.username,
    });
    if let Some(key) = &grant.device_key {
        access["device_key"] = json!(key);
    }
    let mut id = json!({
        "sub": user.sub(), "iss": issuer, "cognito:username": user.username, "origin_jti": origin_jti,
        "aud": client.id, "event_id": event_id, "token_use": "id", "auth_time": auth_time,
        "exp": iat + validity, "iat": iat, "jti": uuid(),
    });
    for (name, value) in &user.attributes {
        if name != "sub" {
            id[name] = match (name.ends_with("_verified"), value.as_str()) {
                (true, "true") => json!(true),
                (true, "false") => json!(false),
                _ => json!(value),
            };
        }
    }
    let sign = |claims: &Value| {
        shared
            .signer
            .sign(claims)
            .map_err(|e| ApiError::internal(e.to_string()))
    };
    let access_token = sign(&access)?;
    let id_token = sign(&id)?;
    let access_grant = Grant {
        expires: now + Duration::from_secs(validity),
        ..grant.clone()
    };
    state
        .access_tokens
        .insert(access_token.clone(), access_grant);
    Ok(json!({
        "AccessToken": access_token, "ExpiresIn": validity, "TokenType": "Bearer", "IdToken": id_token,
    }))
}

fn refresh_token_auth(
    shared: &Shared,
    state: &mut State,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> Result<Value> {
    let token = params
        .get("REFRESH_TOKEN")
        .ok_or_else(|| ApiError::missing("REFRESH_TOKEN"))?;
    let grant = live_refresh_grant(state, token, client_id)?;
    let (_, client) = state.pool_of_client(client_id)?;
    // The canonical username, never the alias the user typed (PROTOCOL.md §4).
    check_secret_hash(client, &grant.username, params.get("SECRET_HASH"))?;
    if grant.device_key.is_some() && params.get("DEVICE_KEY") != grant.device_key.as_ref() {
        return Err(ApiError::not_authorized("Invalid Refresh Token"));
    }
    refreshed(shared, state, &grant, false, token)
        .map(|result| json!({"AuthenticationResult": result, "ChallengeParameters": {}}))
}

fn get_tokens_from_refresh_token(
    shared: &Shared,
    state: &mut State,
    body: &Value,
) -> Result<Value> {
    let token = text(body, "RefreshToken")?;
    let client_id = text(body, "ClientId")?;
    let grant = live_refresh_grant(state, token, client_id)?;
    let (_, client) = state.pool_of_client(client_id)?;
    if let Some(secret) = &client.secret {
        let given = opt_text(body, "ClientSecret").unwrap_or_default();
        if !constant_eq(secret.as_bytes(), given.as_bytes()) {
            return Err(ApiError::not_authorized(format!(
                "Client {client_id} is configured with secret and ClientSecret was not valid"
            )));
        }
    }
    if grant.device_key.is_some() && opt_text(body, "DeviceKey") != grant.device_key.as_deref() {
        return Err(ApiError::not_authorized("Invalid Refresh Token"));
    }
    let rotate = client.config.refresh_token_rotation;
    refreshed(shared, state, &grant, rotate, token)
        .map(|result| json!({"AuthenticationResult": result}))
}

fn live_refresh_grant(state: &State, token: &str, client_id: &str) -> Result<Grant> {
    let now = state.now();
    let refresh = state
        .refresh_tokens
        .get(token)
        .filter(|r| r.grant.client == client_id && r.grant.expires > now)
        .ok_or_else(|| ApiError::not_authorized("Invalid Refresh Token"))?;
    if refresh.rotated_until.is_some_and(|until| now > until) {
        return Err(ApiError::new(
            "RefreshTokenReuseException",
            "Refresh token has been rotated and can no longer be used",
        ));
    }
    Ok(refresh.grant.clone())
}

fn refreshed(
    shared: &Shared,
    state: &mut State,
    grant: &Grant,
    rotate: bool,
    old: &str,
) -> Result<Value> {
    let now = state.now();
    let auth_time = state.refresh_tokens.get(old).map_or(0, |r| r.auth_time);
    let mut result = sign_tokens(shared, state, grant, auth_time, now)?;
    if rotate {
        let grace = state.pools[&grant.pool].clients[&grant.client]
            .config
            .rotation_grace_seconds;
        if let Some(old) = state.refresh_tokens.get_mut(old)
            && old.rotated_until.is_none()
        {
            old.rotated_until = Some(now + Duration::from_secs(grace));
        }
        let fresh = random_token(96);
        state.refresh_tokens.insert(
            fresh.clone(),
            RefreshGrant {
                grant: Grant {
                    expires: now + REFRESH_TOKEN_VALIDITY,
                    ..grant.clone()
                },
                auth_time,
                rotated_until: None,
            },
        );
        result["RefreshToken"] = json!(fresh);
    }
    Ok(result)
}

// ----------------------------------------------------------------------------------
// MFA_SETUP and signed-in TOTP enrolment

fn associate_software_token(state: &mut State, body: &Value) -> Result<Value> {
    let secret = totp_secret()?;
    if let Some(key) = opt_text(body, "Session") {
        let mut session = take_session(state, key)?;
        match session.step {
            Step::MfaSetup(SetupStage::Offered(_) | SetupStage::Associated(_)) => {}
            _ => return Err(ApiError::invalid_session()),
        }
        session.step = Step::MfaSetup(SetupStage::Associated(secret.clone()));
        session.expires = state.now() + session_validity(state, &session);
        let id = new_session_id();
        state.sessions.insert(id.clone(), session);
        return Ok(json!({"SecretCode": secret, "Session": id}));
    }
    let grant = access_grant(state, body)?;
    pool_user(state, &grant.pool, &grant.username)?.pending_totp = Some(secret.clone());
    Ok(json!({"SecretCode": secret}))
}

fn verify_software_token(state: &mut State, body: &Value) -> Result<Value> {
    let code = text(body, "UserCode")?;
    let now = state.now();
    if let Some(key) = opt_text(body, "Session") {
        let mut session = take_session(state, key)?;
        let Step::MfaSetup(SetupStage::Associated(secret)) = &session.step else {
            return Err(ApiError::invalid_session());
        };
        if !totp_matches(secret, code) {
            // The same session may try again.
            state.sessions.insert(key.to_owned(), session);
            return Err(totp_mismatch());
        }
        session.step = Step::MfaSetup(SetupStage::Verified(secret.clone()));
        session.expires = now + session_validity(state, &session);
        let id = new_session_id();
        state.sessions.insert(id.clone(), session);
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

fn set_mfa_preference(state: &mut State, body: &Value) -> Result<Value> {
    let user = addressed_user(state, body)?;
    for (field, method) in [
        ("SoftwareTokenMfaSettings", MfaMethod::SoftwareToken),
        ("SMSMfaSettings", MfaMethod::Sms),
        ("EmailMfaSettings", MfaMethod::Email),
    ] {
        let Some(settings) = body.get(field) else {
            continue;
        };
        if method == MfaMethod::SoftwareToken && user.totp_secret.is_none() {
            return Err(ApiError::invalid_parameter(
                "User has not verified software token mfa",
            ));
        }
        match settings.get("Enabled").and_then(Value::as_bool) {
            Some(true) => {
                user.mfa_enabled.insert(method);
            }
            Some(false) => {
                user.mfa_enabled.remove(&method);
            }
            None => {}
        }
        if settings.get("PreferredMfa").and_then(Value::as_bool) == Some(true) {
            user.mfa_preferred = Some(method);
        }
    }
    Ok(json!({}))
}

// ----------------------------------------------------------------------------------
// Devices

fn confirm_device(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let key = text(body, "DeviceKey")?;
    let config = body
        .get("DeviceSecretVerifierConfig")
        .ok_or_else(|| ApiError::missing("DeviceSecretVerifierConfig"))?;
    let verifier =
        Verifier::from_device_config(text(config, "Salt")?, text(config, "PasswordVerifier")?)
            .map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
    let tracking = state.pools[&grant.pool].config.device_tracking;
    let name = opt_text(body, "DeviceName").map(str::to_owned);
    let device = pool_user(state, &grant.pool, &grant.username)?
        .devices
        .get_mut(key)
        .ok_or_else(ApiError::device_not_found)?;
    device.verifier = Some(Arc::new(verifier));
    device.name = name;
    device.remembered = tracking == DeviceTracking::Always;
    Ok(json!({"UserConfirmationNecessary": tracking == DeviceTracking::UserOptIn}))
}

fn update_device_status(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let key = text(body, "DeviceKey")?;
    let remembered = match opt_text(body, "DeviceRememberedStatus") {
        Some("remembered") => true,
        Some("not_remembered") | None => false,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "DeviceRememberedStatus must be remembered or not_remembered, not {other}"
            )));
        }
    };
    let device = pool_user(state, &grant.pool, &grant.username)?
        .devices
        .get_mut(key)
        .ok_or_else(ApiError::device_not_found)?;
    device.remembered = remembered;
    Ok(json!({}))
}

fn forget_device(state: &mut State, body: &Value) -> Result<Value> {
    let key = text(body, "DeviceKey")?;
    let user = addressed_user(state, body)?;
    user.devices
        .remove(key)
        .ok_or_else(ApiError::device_not_found)?;
    Ok(json!({}))
}

/// The device a sign-in names with DEVICE_KEY, if device tracking is on and the device
/// is confirmed; a key the user does not have is Cognito's "Device does not exist.".
fn known_device(pool: &Pool, user: &User, key: Option<&String>) -> Result<Option<String>> {
    let Some(key) = key else { return Ok(None) };
    if pool.config.device_tracking == DeviceTracking::Off {
        return Ok(None);
    }
    let device = user
        .devices
        .get(key)
        .ok_or_else(ApiError::device_not_found)?;
    Ok(device.verifier.is_some().then(|| key.clone()))
}

// ----------------------------------------------------------------------------------
// Helpers

fn take_session(state: &mut State, key: &str) -> Result<AuthSession> {
    let session = state
        .sessions
        .remove(key)
        .ok_or_else(ApiError::invalid_session)?;
    if state.now() > session.expires {
        return Err(ApiError::expired_session());
    }
    Ok(session)
}

fn session_validity(state: &State, session: &AuthSession) -> Duration {
    let seconds = state.pools[&session.pool].clients[&session.client]
        .config
        .session_validity_seconds;
    Duration::from_secs(seconds)
}

fn access_grant(state: &State, body: &Value) -> Result<Grant> {
    let token = text(body, "AccessToken")?;
    state
        .access_tokens
        .get(token)
        .filter(|grant| grant.expires > state.now())
        .cloned()
        .ok_or_else(|| ApiError::not_authorized("Invalid Access Token"))
}

/// The user a call is about: the access token's (user calls) or `UserPoolId` +
/// `Username`'s (admin calls).
fn addressed_user<'s>(state: &'s mut State, body: &Value) -> Result<&'s mut User> {
    if opt_text(body, "AccessToken").is_some() {
        let grant = access_grant(state, body)?;
        return pool_user(state, &grant.pool, &grant.username);
    }
    let username = text(body, "Username")?;
    let pool = state.pool_mut(text(body, "UserPoolId")?)?;
    let canonical = pool
        .resolve(username)
        .map(str::to_owned)
        .ok_or_else(ApiError::user_not_found)?;
    pool.users
        .get_mut(&canonical)
        .ok_or_else(ApiError::user_not_found)
}

fn pool_user<'s>(state: &'s mut State, pool: &str, username: &str) -> Result<&'s mut User> {
    state
        .pool_mut(pool)?
        .users
        .get_mut(username)
        .ok_or_else(ApiError::user_not_found)
}

/// `(attempts before lockout, lockout length)` of the session's pool.
fn lockout_policy(state: &State, session: &AuthSession) -> (u32, Duration) {
    let config = &state.pools[&session.pool].config;
    (
        config.lockout_after,
        Duration::from_secs(config.lockout_seconds),
    )
}

fn check_lockout(user: &User, now: SystemTime) -> Result<()> {
    if user.locked_until.is_some_and(|until| now < until) {
        return Err(ApiError::not_authorized("Password attempts exceeded"));
    }
    Ok(())
}

fn record_failure(user: &mut User, (after, length): (u32, Duration), now: SystemTime) {
    user.failed_attempts += 1;
    if after > 0 && user.failed_attempts >= after {
        user.locked_until = Some(now + length);
        user.failed_attempts = 0;
    }
}

fn check_password(state: &mut State, session: &AuthSession, password: &str) -> Result<()> {
    let lockout = lockout_policy(state, session);
    let now = state.now();
    let user = pool_user(state, &session.pool, &session.username)?;
    let matches = user
        .password
        .as_deref()
        .is_some_and(|stored| constant_eq(stored.as_bytes(), password.as_bytes()));
    if matches {
        user.failed_attempts = 0;
        Ok(())
    } else {
        record_failure(user, lockout, now);
        Err(ApiError::wrong_password())
    }
}

/// Cognito's default password policy: 8+ characters with upper, lower, digit and symbol.
fn check_policy(password: &str) -> Result<()> {
    let checks = [
        (password.chars().count() >= 8, "Password not long enough"),
        (
            password.chars().any(char::is_uppercase),
            "Password must have uppercase characters",
        ),
        (
            password.chars().any(char::is_lowercase),
            "Password must have lowercase characters",
        ),
        (
            password.chars().any(|c| c.is_ascii_digit()),
            "Password must have numeric characters",
        ),
        (
            password
                .chars()
                .any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
            "Password must have symbol characters",
        ),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, why)) => Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password does not conform to policy: {why}"),
        )),
        None => Ok(()),
    }
}

fn check_secret_hash(client: &AppClient, username: &str, given: Option<&String>) -> Result<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(given) = given else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    let expected =
        cognito_typestate::secret_hash(&Secret::new(secret.clone()), username, &client.id);
    if constant_eq(expected.expose().as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}

/// Equality that takes the same time wherever the inputs differ.
fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && openssl::memcmp::eq(a, b)
}

/// RFC 6238 with one step either side. Against the wall clock, not the emulator's
/// advanced clock: the authenticator app a test stands in for reads the real time.
fn totp_matches(secret: &str, code: &str) -> bool {
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

fn numeric_code(digits: usize) -> String {
    let bytes = random_bytes(digits).unwrap_or_else(|_| vec![0; digits]);
    bytes.iter().map(|b| char::from(b'0' + b % 10)).collect()
}

/// `+*******1234` and `a***@e***`, as Cognito masks destinations.
fn mask(destination: &str, medium: &str) -> String {
    if medium == "SMS" {
        let keep = destination.len().saturating_sub(4);
        format!(
            "+{}{}",
            "*".repeat(keep.saturating_sub(1)),
            &destination[keep..]
        )
    } else {
        let (local, domain) = destination.split_once('@').unwrap_or((destination, ""));
        let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        format!("{}***@{}***", first(local), first(domain))
    }
}

pub(crate) fn unix(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

pub(crate) fn text<'a>(body: &'a Value, key: &str) -> Result<&'a str> {
    opt_text(body, key).ok_or_else(|| ApiError::missing(key))
}

pub(crate) fn opt_text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

fn string_map(body: &Value, key: &str) -> Result<BTreeMap<String, String>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(ApiError::new(
                    "SerializationException",
                    format!("{key}.{k} must be a string"),
                )),
            })
            .collect(),
        Some(_) => Err(ApiError::new(
            "SerializationException",
            format!("{key} must be a map"),
        )),
    }
}
