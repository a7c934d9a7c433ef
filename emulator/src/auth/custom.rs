//! CUSTOM_AUTH: the triggers decide each step.

use serde_json::{Map, Value, json};

use crate::error::{ApiError, Result};
use crate::state::{Shared, State};
use crate::triggers::{ChallengeResult, CreateEvent, CustomAuth, Decision, DefineEvent};

use super::progress::advance;
use super::session::{AuthSession, Phase, Step, store_challenge};
use super::srp::{Proof, start_password_srp};
use super::{ChallengeName, Next};

/// The pseudo-challenge of `CHALLENGE_NAME=SRP_A`: the password comes first, by SRP.
pub(crate) const SRP_A: &str = "SRP_A";

/// Custom auth: ask Define what comes next and do it.
pub(super) fn custom_next(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
    srp_a: Option<String>,
) -> Result<Next> {
    let pool = &state.pools[&session.pool];
    let triggers = pool.custom_auth.clone().ok_or_else(no_custom_auth)?;
    let user = &pool.users[&session.username];
    let decision = (triggers.define)(&DefineEvent {
        username: &session.username,
        user_attributes: &user.attributes,
        session: history(&session),
        client_metadata: &session.client_metadata,
    });
    match decision {
        Decision::IssueTokens => {
            // Custom auth decides the whole sign-in: no new password, no MFA after it.
            session.phase = Phase::Device;
            advance(shared, state, session)
        }
        Decision::Fail => Err(ApiError::wrong_password()),
        Decision::Challenge(name) => match name.parse() {
            Ok(ChallengeName::PasswordVerifier) => match srp_a {
                Some(srp_a) => start_password_srp(state, session, &srp_a, Proof::Password),
                None => Err(ApiError::new(
                    "InvalidLambdaResponseException",
                    "PASSWORD_VERIFIER needs SRP_A (CHALLENGE_NAME=SRP_A) on InitiateAuth",
                )),
            },
            Ok(ChallengeName::CustomChallenge) => Ok(Next::Done(custom_challenge(
                state, session, &triggers, &name,
            ))),
            _ => Err(ApiError::new(
                "InvalidLambdaResponseException",
                format!("Unrecognizable lambda output: challenge {name}"),
            )),
        },
    }
}

/// Asks Create for the challenge and stores the sign-in waiting for its answer.
fn custom_challenge(
    state: &mut State,
    session: AuthSession,
    triggers: &CustomAuth,
    name: &str,
) -> Value {
    let user = &state.pools[&session.pool].users[&session.username];
    let created = (triggers.create)(&CreateEvent {
        username: &session.username,
        user_attributes: &user.attributes,
        challenge_name: name,
        session: history(&session),
    });
    let mut parameters: Map<String, Value> = created
        .public
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    parameters.insert("USERNAME".into(), json!(session.username));
    let step = Step::Custom {
        private: created.private,
        metadata: created.metadata,
    };
    store_challenge(state, session, step, Value::Object(parameters))
}

/// The trigger's view of the steps so far.
fn history(session: &AuthSession) -> &[ChallengeResult] {
    match &session.phase {
        Phase::Custom(history) => history,
        _ => &[],
    }
}

/// Records a step in the trigger's view of the sign-in; false outside custom auth.
pub(super) fn record(
    session: &mut AuthSession,
    name: &str,
    passed: bool,
    metadata: Option<String>,
) -> bool {
    let Phase::Custom(history) = &mut session.phase else {
        return false;
    };
    history.push(step_result(name, passed, metadata));
    true
}

/// One entry of the trigger's view.
pub(super) fn step_result(name: &str, passed: bool, metadata: Option<String>) -> ChallengeResult {
    ChallengeResult {
        challenge_name: name.into(),
        challenge_result: passed,
        challenge_metadata: metadata,
    }
}

pub(super) fn no_custom_auth() -> ApiError {
    ApiError::invalid_parameter("Custom auth lambda trigger is not configured for the user pool.")
}
