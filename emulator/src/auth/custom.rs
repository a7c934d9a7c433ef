//! CUSTOM_AUTH: the triggers decide each step.

use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::state::{AuthSession, Shared, State, Step};
use crate::triggers::{CreateEvent, Decision, DefineEvent};

use super::progress::advance;
use super::session::store_challenge;
use super::srp::start_password_srp;
use super::{ChallengeName, Next};

type Result<T, E = ApiError> = std::result::Result<T, E>;

/// The pseudo-challenge of `CHALLENGE_NAME=SRP_A`: the password comes first, by SRP.
pub(super) const SRP_A: &str = "SRP_A";

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
        Decision::Challenge(name) if name.parse().ok() == Some(ChallengeName::PasswordVerifier) => {
            match srp_a {
                Some(srp_a) => start_password_srp(state, session, &srp_a, false),
                None => Err(ApiError::new(
                    "InvalidLambdaResponseException",
                    "PASSWORD_VERIFIER needs SRP_A (CHALLENGE_NAME=SRP_A) on InitiateAuth",
                )),
            }
        }
        Decision::Challenge(name) if name.parse().ok() == Some(ChallengeName::CustomChallenge) => {
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

pub(super) fn no_custom_auth() -> ApiError {
    ApiError::invalid_parameter("Custom auth lambda trigger is not configured for the user pool.")
}
