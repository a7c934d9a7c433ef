//! Sign-ins in progress: stored under their Session, taken back once.

use std::time::Duration;

use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::{AuthSession, State, new_session_id};

type Result<T, E = ApiError> = std::result::Result<T, E>;

/// Stores the session under a new id and answers the challenge.
pub(super) fn store_challenge(state: &mut State, session: AuthSession, parameters: Value) -> Value {
    let id = new_session_id();
    let mut answer = json!({"ChallengeName": session.step.challenge().as_str(), "Session": id});
    answer["ChallengeParameters"] = parameters;
    state.sessions.insert(id, session);
    answer
}

pub(super) fn take_session(state: &mut State, key: &str) -> Result<AuthSession> {
    let session = state
        .sessions
        .remove(key)
        .ok_or_else(ApiError::invalid_session)?;
    if state.now() > session.expires {
        return Err(ApiError::expired_session());
    }
    Ok(session)
}

pub(super) fn session_validity(state: &State, session: &AuthSession) -> Duration {
    let seconds = state.pools[&session.pool].clients[&session.client]
        .config
        .session_validity_seconds;
    Duration::from_secs(seconds)
}
