//! CUSTOM_AUTH: the triggers decide each step. The trigger closures run without the
//! state lock (see [`TriggerCall`]): a trigger may call back into the pool.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{ApiError, Result};
use crate::state::{Shared, State};
use crate::triggers::{
    ChallengeResult, CreateEvent, CustomAuth, Decision, DefineEvent, VerifyEvent,
};

use super::progress::advance;
use super::session::{AuthSession, Phase, Step, store_challenge};
use super::srp::{Proof, start_password_srp};
use super::{ChallengeName, Next};

/// The pseudo-challenge of `CHALLENGE_NAME=SRP_A`: the password comes first, by SRP.
pub(crate) const SRP_A: &str = "SRP_A";

/// A trigger to run unlocked, with what it needs (the attributes as they were when
/// the call was made), and the sign-in to go on with after it.
pub(super) struct TriggerCall {
    session: AuthSession,
    triggers: CustomAuth,
    attributes: BTreeMap<String, String>,
    kind: TriggerKind,
}

enum TriggerKind {
    /// Define: what comes next. `SRP_A` if InitiateAuth sent one.
    Define(Option<String>),
    /// Create: the challenge Define chose.
    Create(String),
    /// Verify: the client's answer to a challenge Create made.
    Verify {
        private: BTreeMap<String, String>,
        metadata: Option<String>,
        answer: String,
    },
}

/// Custom auth: ask Define what comes next (once the lock is released).
pub(super) fn custom_next(
    state: &State,
    session: AuthSession,
    srp_a: Option<String>,
) -> Result<Next> {
    trigger(state, session, TriggerKind::Define(srp_a))
}

/// CUSTOM_CHALLENGE's answer: Verify judges it (unlocked), Define decides what follows.
pub(super) fn verify_answer(
    state: &State,
    session: AuthSession,
    private: BTreeMap<String, String>,
    metadata: Option<String>,
    answer: String,
) -> Result<Next> {
    let kind = TriggerKind::Verify {
        private,
        metadata,
        answer,
    };
    trigger(state, session, kind)
}

fn trigger(state: &State, session: AuthSession, kind: TriggerKind) -> Result<Next> {
    let pool = &state.pools[&session.pool];
    let triggers = pool.custom_auth.clone().ok_or_else(no_custom_auth)?;
    let attributes = pool.users[&session.username].attributes.clone();
    Ok(Next::Trigger(TriggerCall {
        session,
        triggers,
        attributes,
        kind,
    }))
}

/// Runs the trigger without the lock, then takes the lock to go on.
pub(super) fn run(shared: &Shared, call: TriggerCall) -> Result<Next> {
    let TriggerCall {
        mut session,
        triggers,
        attributes,
        kind,
    } = call;
    match kind {
        TriggerKind::Define(srp_a) => {
            let decision = (triggers.define)(&DefineEvent {
                username: &session.username,
                user_attributes: &attributes,
                session: history(&session),
                client_metadata: &session.client_metadata,
            });
            decided(shared, session, triggers, attributes, decision, srp_a)
        }
        TriggerKind::Create(name) => {
            let created = (triggers.create)(&CreateEvent {
                username: &session.username,
                user_attributes: &attributes,
                challenge_name: &name,
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
            let mut state = shared.lock();
            store_challenge(&mut state, session, step, Value::Object(parameters)).map(Next::Done)
        }
        TriggerKind::Verify {
            private,
            metadata,
            answer,
        } => {
            let passed = (triggers.verify)(&VerifyEvent {
                username: &session.username,
                private: &private,
                answer: &answer,
            });
            record(
                &mut session,
                ChallengeName::CustomChallenge.as_str(),
                passed,
                metadata,
            );
            custom_next(&shared.lock(), session, None)
        }
    }
}

/// Does what Define decided.
fn decided(
    shared: &Shared,
    mut session: AuthSession,
    triggers: CustomAuth,
    attributes: BTreeMap<String, String>,
    decision: Decision,
    srp_a: Option<String>,
) -> Result<Next> {
    match decision {
        Decision::IssueTokens => {
            // Custom auth decides the whole sign-in: no new password, no MFA after it.
            session.phase = Phase::Device;
            advance(shared, &mut shared.lock(), session)
        }
        Decision::Fail => Err(ApiError::wrong_password()),
        Decision::Challenge(name) => match name.parse() {
            Ok(ChallengeName::PasswordVerifier) => match srp_a {
                Some(srp_a) => start_password_srp(&shared.lock(), session, &srp_a, Proof::Password),
                None => Err(ApiError::new(
                    "InvalidLambdaResponseException",
                    "PASSWORD_VERIFIER needs SRP_A (CHALLENGE_NAME=SRP_A) on InitiateAuth",
                )),
            },
            Ok(ChallengeName::CustomChallenge) => Ok(Next::Trigger(TriggerCall {
                session,
                triggers,
                attributes,
                kind: TriggerKind::Create(name),
            })),
            _ => Err(ApiError::new(
                "InvalidLambdaResponseException",
                format!("Unrecognizable lambda output: challenge {name}"),
            )),
        },
    }
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
