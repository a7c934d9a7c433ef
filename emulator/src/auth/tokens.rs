//! Tokens: issued at the end of a sign-in, and from refresh tokens.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::config::DeviceTracking;
use crate::error::{ApiError, Result};
use crate::request::{opt_text, text};
use crate::state::{Device, Grant, RefreshGrant, Shared, State};
use crate::{random_token, uuid};

use super::client_secret::{check_secret_hash, constant_eq};
use super::session::AuthSession;
use super::unix;

/// Cognito's default refresh-token lifetime: 30 days.
pub(super) const REFRESH_TOKEN_VALIDITY: Duration = Duration::from_secs(30 * 86_400);

pub(super) fn issue_tokens(
    shared: &Shared,
    state: &mut State,
    session: &AuthSession,
) -> Result<Value> {
    let now = state.now();
    let pool = state.pool_mut(&session.pool)?;
    let mut new_device = None;
    let mut device_key = session.device_key.clone();
    if pool.config.device_tracking != DeviceTracking::Off && device_key.is_none() {
        let key = format!("{}_{}", pool.region(), uuid());
        let group_key = format!("-{}", random_token(9));
        let user = pool
            .users
            .get_mut(&session.username)
            .ok_or_else(ApiError::user_not_found)?;
        user.devices.insert(
            key.clone(),
            Device {
                group_key: group_key.clone(),
                verifier: None,
                remembered: false,
                name: None,
            },
        );
        new_device = Some(json!({"DeviceKey": key, "DeviceGroupKey": group_key}));
        device_key = Some(key);
    }
    let grant = Grant {
        pool: session.pool.clone(),
        client: session.client.clone(),
        username: session.username.clone(),
        device_key,
        expires: now + REFRESH_TOKEN_VALIDITY,
    };
    let mut result = sign_tokens(shared, state, &grant, session.auth_time, now)?;
    let refresh = random_token(96);
    state.refresh_tokens.insert(
        refresh.clone(),
        RefreshGrant {
            grant,
            auth_time: session.auth_time,
            rotated_until: None,
        },
    );
    result["RefreshToken"] = json!(refresh);
    if let Some(metadata) = new_device {
        result["NewDeviceMetadata"] = metadata;
    }
    Ok(result)
}

/// Access and ID tokens with Cognito's claims, for the user, client and device of
/// `grant`; the access token is registered for the calls that take one.
pub(super) fn sign_tokens(
    shared: &Shared,
    state: &mut State,
    grant: &Grant,
    auth_time: u64,
    now: SystemTime,
) -> Result<Value> {
    let pool = &state.pools[&grant.pool];
    let client = &pool.clients[&grant.client];
    let user = &pool.users[&grant.username];
    let validity = client.config.token_validity_seconds;
    let iat = unix(now);
    let issuer = format!("{}{}", shared.endpoint, pool.id);
    let origin_jti = uuid();
    let event_id = uuid();
    let mut access = json!({
        "sub": user.sub(), "iss": issuer, "client_id": client.id, "origin_jti": origin_jti,
        "event_id": event_id, "token_use": "access", "scope": "aws.cognito.signin.user.admin",
        "auth_time": auth_time, "exp": iat + validity, "iat": iat, "jti": uuid(),
        "username": user.username,
    });
    if let Some(key) = &grant.device_key {
        access["device_key"] = json!(key);
    }
    let mut id = json!({
        "sub": user.sub(), "iss": issuer, "cognito:username": user.username, "origin_jti": origin_jti,
        "aud": client.id, "event_id": event_id, "token_use": "id", "auth_time": auth_time,
        "exp": iat + validity, "iat": iat, "jti": uuid(),
    });
    for (name, value) in &user.attributes {
        if name != "sub" {
            id[name] = match (name.ends_with("_verified"), value.as_str()) {
                (true, "true") => json!(true),
                (true, "false") => json!(false),
                _ => json!(value),
            };
        }
    }
    let sign = |claims: &Value| {
        shared
            .signer
            .sign(claims)
            .map_err(|e| ApiError::internal(e.to_string()))
    };
    let access_token = sign(&access)?;
    let id_token = sign(&id)?;
    let access_grant = Grant {
        expires: now + Duration::from_secs(validity),
        ..grant.clone()
    };
    state
        .access_tokens
        .insert(access_token.clone(), access_grant);
    Ok(json!({
        "AccessToken": access_token, "ExpiresIn": validity, "TokenType": "Bearer", "IdToken": id_token,
    }))
}

pub(super) fn refresh_token_auth(
    shared: &Shared,
    state: &mut State,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> Result<Value> {
    let token = params
        .get("REFRESH_TOKEN")
        .ok_or_else(|| ApiError::missing("REFRESH_TOKEN"))?;
    let grant = live_refresh_grant(state, token, client_id)?;
    let (_, client) = state.pool_of_client(client_id)?;
    // The canonical username, never the alias the user typed (PROTOCOL.md §4).
    check_secret_hash(client, &grant.username, params.get("SECRET_HASH"))?;
    if grant.device_key.is_some() && params.get("DEVICE_KEY") != grant.device_key.as_ref() {
        return Err(ApiError::not_authorized("Invalid Refresh Token"));
    }
    refreshed(shared, state, &grant, false, token)
        .map(|result| json!({"AuthenticationResult": result, "ChallengeParameters": {}}))
}

pub(super) fn get_tokens_from_refresh_token(
    shared: &Shared,
    state: &mut State,
    body: &Value,
) -> Result<Value> {
    let token = text(body, "RefreshToken")?;
    let client_id = text(body, "ClientId")?;
    let grant = live_refresh_grant(state, token, client_id)?;
    let (_, client) = state.pool_of_client(client_id)?;
    if let Some(secret) = &client.secret {
        let given = opt_text(body, "ClientSecret").unwrap_or_default();
        if !constant_eq(secret.as_bytes(), given.as_bytes()) {
            return Err(ApiError::not_authorized(format!(
                "Client {client_id} is configured with secret and ClientSecret was not valid"
            )));
        }
    }
    if grant.device_key.is_some() && opt_text(body, "DeviceKey") != grant.device_key.as_deref() {
        return Err(ApiError::not_authorized("Invalid Refresh Token"));
    }
    let rotate = client.config.refresh_token_rotation;
    refreshed(shared, state, &grant, rotate, token)
        .map(|result| json!({"AuthenticationResult": result}))
}

pub(super) fn live_refresh_grant(state: &State, token: &str, client_id: &str) -> Result<Grant> {
    let now = state.now();
    let refresh = state
        .refresh_tokens
        .get(token)
        .filter(|r| r.grant.client == client_id && r.grant.expires > now)
        .ok_or_else(|| ApiError::not_authorized("Invalid Refresh Token"))?;
    if refresh.rotated_until.is_some_and(|until| now > until) {
        return Err(ApiError::new(
            "RefreshTokenReuseException",
            "Refresh token has been rotated and can no longer be used",
        ));
    }
    Ok(refresh.grant.clone())
}

pub(super) fn refreshed(
    shared: &Shared,
    state: &mut State,
    grant: &Grant,
    rotate: bool,
    old: &str,
) -> Result<Value> {
    let now = state.now();
    let auth_time = state.refresh_tokens.get(old).map_or(0, |r| r.auth_time);
    let mut result = sign_tokens(shared, state, grant, auth_time, now)?;
    if rotate {
        let grace = state.pools[&grant.pool].clients[&grant.client]
            .config
            .rotation_grace_seconds;
        if let Some(old) = state.refresh_tokens.get_mut(old)
            && old.rotated_until.is_none()
        {
            old.rotated_until = Some(now + Duration::from_secs(grace));
        }
        let fresh = random_token(96);
        state.refresh_tokens.insert(
            fresh.clone(),
            RefreshGrant {
                grant: Grant {
                    expires: now + REFRESH_TOKEN_VALIDITY,
                    ..grant.clone()
                },
                auth_time,
                rotated_until: None,
            },
        );
        result["RefreshToken"] = json!(fresh);
    }
    Ok(result)
}
