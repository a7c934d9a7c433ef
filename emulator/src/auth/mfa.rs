//! MFA: which second factor, the code challenges, MFA_SETUP and signed-in TOTP enrolment.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::config::{Mfa, MfaMethod};
use crate::error::ApiError;
use crate::request::{opt_text, text};
use crate::state::{AuthSession, Pool, SetupStage, State, Step, User, new_session_id};
use crate::{Message, random_bytes};

use super::CodeChallenge;
use super::caller::{access_grant, addressed_user, pool_user};
use super::session::{session_validity, store_challenge, take_session};
use super::unix;

type Result<T, E = ApiError> = std::result::Result<T, E>;

pub(super) enum MfaDecision {
    None,
    Challenge(MfaMethod),
    Select(Vec<MfaMethod>),
    Setup(Vec<MfaMethod>),
}

pub(super) fn mfa_decision(pool: &Pool, user: &User) -> MfaDecision {
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

pub(super) fn mfa_challenge(
    state: &mut State,
    mut session: AuthSession,
    method: MfaMethod,
) -> Value {
    match method {
        MfaMethod::SoftwareToken => {
            session.step = Step::Code {
                challenge: CodeChallenge::SoftwareTokenMfa,
                code: None,
                enrolling: false,
            };
            let parameters = json!({"USER_ID_FOR_SRP": session.username});
            store_challenge(state, session, parameters)
        }
        MfaMethod::Sms | MfaMethod::Email => {
            send_code_challenge(state, session, CodeChallenge::of_mfa(method), 6, false)
        }
    }
}

/// Sends a code to the outbox and asks for it.
pub(super) fn send_code_challenge(
    state: &mut State,
    mut session: AuthSession,
    challenge: CodeChallenge,
    digits: usize,
    enrolling: bool,
) -> Value {
    let (medium, attribute) = if challenge.texted() {
        ("SMS", "phone_number")
    } else {
        ("EMAIL", "email")
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
        challenge: challenge.as_str().to_owned(),
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

pub(super) fn associate_software_token(state: &mut State, body: &Value) -> Result<Value> {
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

pub(super) fn verify_software_token(state: &mut State, body: &Value) -> Result<Value> {
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

pub(super) fn totp_mismatch() -> ApiError {
    ApiError::new(
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA",
    )
}

pub(super) fn set_mfa_preference(state: &mut State, body: &Value) -> Result<Value> {
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
pub(super) fn totp_secret() -> Result<String> {
    Ok(totp_rs::Secret::Raw(random_bytes(32)?)
        .to_encoded()
        .to_string())
}

pub(super) fn numeric_code(digits: usize) -> String {
    let bytes = random_bytes(digits).unwrap_or_else(|_| vec![0; digits]);
    bytes.iter().map(|b| char::from(b'0' + b % 10)).collect()
}

/// `+*******1234` and `a***@e***`, as Cognito masks destinations.
pub(super) fn mask(destination: &str, medium: &str) -> String {
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
