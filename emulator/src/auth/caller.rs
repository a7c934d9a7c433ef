//! Who a call is about: the access token's user, or the admin call's.

use serde_json::Value;

use crate::error::{ApiError, Result};
use crate::request::{opt_text, text};
use crate::state::{Grant, State, User};

pub(super) fn access_grant(state: &State, body: &Value) -> Result<Grant> {
    let token = text(body, "AccessToken")?;
    let grant = state
        .access_tokens
        .get(token)
        .filter(|grant| grant.expires > state.now())
        .ok_or_else(|| ApiError::not_authorized("Invalid Access Token"))?;
    // Every call that takes an access token comes through here, so a signed-out or
    // revoked token is refused by all of them.
    if grant.revoked {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    Ok(grant.clone())
}

/// The user a call is about: the access token's (user calls) or `UserPoolId` +
/// `Username`'s (admin calls).
pub(super) fn addressed_user<'s>(state: &'s mut State, body: &Value) -> Result<&'s mut User> {
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

pub(super) fn pool_user<'s>(
    state: &'s mut State,
    pool: &str,
    username: &str,
) -> Result<&'s mut User> {
    state
        .pool_mut(pool)?
        .users
        .get_mut(username)
        .ok_or_else(ApiError::user_not_found)
}
