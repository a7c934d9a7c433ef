//! MFA: which second factor a sign-in owes and asking for it, and the methods a user
//! enables (SetUserMFAPreference, enrolment during MFA_SETUP).

use serde_json::{Value, json};

use crate::config::{Mfa, MfaMethod};
use crate::error::{ApiError, Result};
use crate::state::{State, User};

use super::CodeChallenge;
use super::caller::addressed_user;
use super::codes::send_code_challenge;
use super::session::{AuthSession, CodeStep, SetupStage, Step, store_challenge};

/// The MFA a sign-in owes.
pub(super) enum MfaDue {
    Challenge(MfaMethod),
    Select(Vec<MfaMethod>),
    Setup(Vec<MfaMethod>),
}

/// What MFA the sign-in owes: none with MFA off, for a remembered device, or for a
/// user without a usable method when MFA is optional.
pub(super) fn mfa_due(state: &State, session: &AuthSession) -> Option<MfaDue> {
    let pool = &state.pools[&session.pool];
    let user = &pool.users[&session.username];
    let remembered = session
        .device_key
        .as_ref()
        .and_then(|key| user.devices.get(key))
        .is_some_and(|device| device.remembered);
    if remembered || pool.config.mfa == Mfa::Off {
        return None;
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
        ([], _) if pool.config.mfa == Mfa::On => Some(MfaDue::Setup(
            [MfaMethod::SoftwareToken, MfaMethod::Email]
                .into_iter()
                .filter(|m| pool.config.mfa_methods.contains(m))
                .collect(),
        )),
        ([], _) => None,
        ([only], _) => Some(MfaDue::Challenge(*only)),
        (_, Some(preferred)) if usable.contains(&preferred) => Some(MfaDue::Challenge(preferred)),
        _ => Some(MfaDue::Select(usable)),
    }
}

/// Asks for the MFA owed: the method's challenge, SELECT_MFA_TYPE or MFA_SETUP.
pub(super) fn ask_mfa(state: &mut State, session: AuthSession, due: MfaDue) -> Result<Value> {
    match due {
        MfaDue::Challenge(method) => mfa_challenge(state, session, method),
        MfaDue::Select(options) => {
            let parameters = methods_parameter(&session, "MFAS_CAN_CHOOSE", &options);
            store_challenge(state, session, Step::SelectMfaType(options), parameters)
        }
        MfaDue::Setup(methods) => {
            let parameters = methods_parameter(&session, "MFAS_CAN_SETUP", &methods);
            let step = Step::MfaSetup(SetupStage::Offered(methods));
            store_challenge(state, session, step, parameters)
        }
    }
}

/// SELECT_MFA_TYPE's and MFA_SETUP's parameters: the methods as a JSON list in a string.
fn methods_parameter(session: &AuthSession, key: &str, methods: &[MfaMethod]) -> Value {
    let names: Vec<_> = methods.iter().map(|m| m.challenge_name()).collect();
    json!({"USER_ID_FOR_SRP": session.username, key: json!(names).to_string()})
}

/// The challenge of one method: TOTP is asked for, SMS and e-mail codes are sent.
pub(super) fn mfa_challenge(
    state: &mut State,
    session: AuthSession,
    method: MfaMethod,
) -> Result<Value> {
    match method {
        MfaMethod::SoftwareToken => {
            let step = Step::Code(CodeStep {
                challenge: CodeChallenge::SoftwareTokenMfa,
                code: None,
                enrolling: false,
            });
            let parameters = json!({"USER_ID_FOR_SRP": session.username});
            store_challenge(state, session, step, parameters)
        }
        MfaMethod::Sms | MfaMethod::Email => {
            send_code_challenge(state, session, CodeChallenge::of_mfa(method), 6, false)
        }
    }
}

/// A method set up during MFA_SETUP: enabled, and preferred unless another is.
pub(super) fn enroll(user: &mut User, method: MfaMethod) {
    user.mfa_enabled.insert(method);
    user.mfa_preferred.get_or_insert(method);
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
