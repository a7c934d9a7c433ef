//! What comes after a factor: new password, MFA, device, tokens.

use serde_json::json;

use crate::error::ApiError;
use crate::state::{AuthSession, SetupStage, Shared, State, Step, UserStatus};

use super::Next;
use super::custom::custom_next;
use super::mfa::{MfaDecision, mfa_challenge, mfa_decision};
use super::session::store_challenge;
use super::tokens::issue_tokens;

type Result<T, E = ApiError> = std::result::Result<T, E>;

pub(super) fn advance(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
) -> Result<Next> {
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
