//! What comes after a factor, in order: a new password, MFA, the device, the tokens.

use serde_json::{Value, json};

use crate::error::Result;
use crate::state::{Shared, State, UserStatus};

use super::Next;
use super::custom::custom_next;
use super::mfa::{ask_mfa, mfa_due};
use super::policy::check_status;
use super::session::{AuthSession, Phase, Step, store_challenge};
use super::tokens::issue_tokens;

/// Takes the sign-in through its remaining phases to the next challenge, or to the
/// tokens.
pub(super) fn advance(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
) -> Result<Next> {
    loop {
        match session.phase {
            Phase::Custom(_) => return custom_next(state, session, None),
            Phase::FirstFactor | Phase::Passwordless => {
                session.phase = if matches!(session.phase, Phase::FirstFactor) {
                    Phase::Mfa
                } else {
                    Phase::Device
                };
                let user = &state.pools[&session.pool].users[&session.username];
                check_status(user)?;
                if user.status == UserStatus::ForceChangePassword {
                    return new_password_required(state, session).map(Next::Done);
                }
            }
            Phase::Mfa => {
                session.phase = Phase::Device;
                if let Some(due) = mfa_due(state, &session) {
                    return ask_mfa(state, session, due).map(Next::Done);
                }
            }
            Phase::Device => {
                session.phase = Phase::Tokens;
                if session.device_key.is_some() {
                    let parameters = json!({"USERNAME": session.username});
                    let answer = store_challenge(state, session, Step::DeviceSrpAuth, parameters)?;
                    return Ok(Next::Done(answer));
                }
            }
            Phase::Tokens => return issue_tokens(shared, state, &session),
        }
    }
}

/// Asks for a new password, with the attributes the user has and those still required.
fn new_password_required(state: &mut State, session: AuthSession) -> Result<Value> {
    let pool = &state.pools[&session.pool];
    let user = &pool.users[&session.username];
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
    store_challenge(state, session, Step::NewPasswordRequired, parameters)
}
