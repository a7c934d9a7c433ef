//! The calls of a signed-in user that change the password or end sessions:
//! ChangePassword, GlobalSignOut, RevokeToken; and GetUser.

use serde_json::{Value, json};

use crate::auth::{check_client_secret, constant_eq};
use crate::error::{ApiError, Result};
use crate::request::{opt_text, text};
use crate::state::{Grant, State};

use super::super::caller::{access_grant, pool_user};
use super::super::policy::check_policy;

/// ChangePassword: the previous password must be right and the new one pass the policy.
pub(in crate::auth) fn change_password(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let previous = text(body, "PreviousPassword")?;
    let proposed = text(body, "ProposedPassword")?;
    let srp_name = state.pool_mut(&grant.pool)?.srp_name().to_owned();
    let user = pool_user(state, &grant.pool, &grant.username)?;
    let matches = user
        .password
        .as_deref()
        .is_some_and(|stored| constant_eq(stored.as_bytes(), previous.as_bytes()));
    if !matches {
        return Err(ApiError::wrong_password());
    }
    check_policy(proposed)?;
    user.set_password(&srp_name, proposed.to_owned())?;
    Ok(json!({}))
}

/// GlobalSignOut: every access and refresh token of the user issued so far is revoked
/// (kept, so that using one is told "revoked").
pub(in crate::auth) fn global_sign_out(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    sign_out_everywhere(state, &grant.pool, &grant.username);
    Ok(json!({}))
}

/// AdminUserGlobalSignOut (unsigned, like the other admin calls): GlobalSignOut for a
/// user named by pool and username.
pub(in crate::auth) fn admin_global_sign_out(state: &mut State, body: &Value) -> Result<Value> {
    let pool = state.pool_mut(text(body, "UserPoolId")?)?;
    let username = pool
        .resolve(text(body, "Username")?)
        .map(str::to_owned)
        .ok_or_else(ApiError::user_not_found)?;
    let pool = pool.id.clone();
    sign_out_everywhere(state, &pool, &username);
    Ok(json!({}))
}

fn sign_out_everywhere(state: &mut State, pool: &str, username: &str) {
    let theirs = |g: &Grant| g.pool == pool && g.username == username;
    for access in state.access_tokens.values_mut().filter(|g| theirs(g)) {
        access.revoked = true;
    }
    for refresh in state
        .refresh_tokens
        .values_mut()
        .filter(|r| theirs(&r.grant))
    {
        refresh.grant.revoked = true;
    }
}

/// RevokeToken: a refresh token, and the access tokens issued from it, stop working.
/// An access or ID token is `UnsupportedTokenTypeException`; an unknown token is
/// answered as revoked (RFC 7009: nothing is learnt from the answer).
pub(in crate::auth) fn revoke_token(state: &mut State, body: &Value) -> Result<Value> {
    let token = text(body, "Token")?;
    let client_id = text(body, "ClientId")?;
    let (_, client) = state.pool_of_client(client_id)?;
    check_client_secret(client, opt_text(body, "ClientSecret"))?;
    // Access and ID tokens are JWTs; refresh tokens here are opaque.
    if state.access_tokens.contains_key(token) || token.contains('.') {
        return Err(ApiError::new(
            "UnsupportedTokenTypeException",
            "Unsupported token type",
        ));
    }
    let Some(refresh) = state.refresh_tokens.get_mut(token) else {
        return Ok(json!({}));
    };
    if refresh.grant.client != client_id {
        return Err(ApiError::not_authorized("Invalid token"));
    }
    refresh.grant.revoked = true;
    let origin = refresh.grant.origin.clone();
    for access in state
        .access_tokens
        .values_mut()
        .filter(|g| g.origin == origin)
    {
        access.revoked = true;
    }
    Ok(json!({}))
}

/// GetUser: the access token's user, as AdminGetUser describes it but for the members
/// only the admin call has.
pub(in crate::auth) fn get_user(state: &State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let mut user = crate::admin::get_user(
        state,
        &json!({"UserPoolId": grant.pool, "Username": grant.username}),
    )?;
    if let Some(described) = user.as_object_mut() {
        for admin_only in ["Attributes", "Enabled", "UserStatus"] {
            described.remove(admin_only);
        }
    }
    Ok(user)
}
