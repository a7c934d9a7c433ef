//! Tokens: issued at the end of a sign-in, and from refresh tokens.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::config::DeviceTracking;
use crate::error::{ApiError, Result};
use crate::random::{random_token, uuid};
use crate::request::{opt_text, text};
use crate::state::{Device, Grant, RefreshGrant, Shared, State, later};

use super::Next;
use super::client_secret::{check_client_secret, check_secret_hash};
use super::policy::check_status;
use super::session::AuthSession;
use super::unix;

/// Cognito's default refresh-token lifetime: 30 days.
pub(super) const REFRESH_TOKEN_VALIDITY: Duration = Duration::from_secs(30 * 86_400);

/// Tokens with their claims made, to sign without the lock ([`sign`]).
pub(crate) struct Unsigned {
    access: Value,
    id: Value,
    /// Who the access token is for, registered once it is signed.
    grant: Grant,
    /// `AuthenticationResult` but the two tokens.
    result: Value,
    /// Answered with `"ChallengeParameters": {}` (InitiateAuth, RespondToAuthChallenge).
    with_challenge_parameters: bool,
}

/// Signs the tokens unlocked, then registers the access token.
pub(super) fn sign(shared: &Shared, unsigned: Unsigned) -> Result<Next> {
    let Unsigned {
        access,
        id,
        grant,
        mut result,
        with_challenge_parameters,
    } = unsigned;
    let sign = |claims: &Value| shared.signer.sign(claims).map_err(ApiError::internal);
    let access_token = sign(&access)?;
    result["IdToken"] = json!(sign(&id)?);
    result["AccessToken"] = json!(access_token);
    shared.lock().access_tokens.insert(access_token, grant);
    Ok(Next::Done(if with_challenge_parameters {
        json!({"AuthenticationResult": result, "ChallengeParameters": {}})
    } else {
        json!({"AuthenticationResult": result})
    }))
}

pub(super) fn issue_tokens(
    shared: &Shared,
    state: &mut State,
    session: &AuthSession,
) -> Result<Next> {
    let now = state.now();
    let pool = state.pool_mut(&session.pool)?;
    // CUSTOM_AUTH reaches the tokens without the first-factor check of `advance`.
    if let Some(user) = pool.users.get(&session.username) {
        check_status(user)?;
    }
    let mut new_device = None;
    let mut device_key = session.device_key.clone();
    if pool.config.device_tracking != DeviceTracking::Off && device_key.is_none() {
        let key = format!("{}_{}", pool.region(), uuid()?);
        let group_key = format!("-{}", random_token(9)?);
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
        expires: later(now, REFRESH_TOKEN_VALIDITY),
        origin: uuid()?,
        revoked: false,
    };
    let mut unsigned = token_claims(shared, state, &grant, session.auth_time, now)?;
    let refresh = random_token(96)?;
    state.refresh_tokens.insert(
        refresh.clone(),
        RefreshGrant {
            grant,
            auth_time: session.auth_time,
            rotated_until: None,
        },
    );
    unsigned.result["RefreshToken"] = json!(refresh);
    if let Some(metadata) = new_device {
        unsigned.result["NewDeviceMetadata"] = metadata;
    }
    unsigned.with_challenge_parameters = true;
    Ok(Next::Sign(unsigned))
}

/// The claims of access and ID tokens, Cognito's, for the user, client and device of
/// `grant`. No user attribute overrides a claim the service sets.
fn token_claims(
    shared: &Shared,
    state: &State,
    grant: &Grant,
    auth_time: u64,
    now: SystemTime,
) -> Result<Unsigned> {
    let pool = &state.pools[&grant.pool];
    let client = &pool.clients[&grant.client];
    let user = &pool.users[&grant.username];
    let validity = client.config.token_validity_seconds;
    let iat = unix(now);
    let issuer = format!("{}{}", shared.endpoint, pool.id);
    let origin_jti = uuid()?;
    let event_id = uuid()?;
    let mut access = json!({
        "sub": user.sub(), "iss": issuer, "client_id": client.id, "origin_jti": origin_jti,
        "event_id": event_id, "token_use": "access", "scope": "aws.cognito.signin.user.admin",
        "auth_time": auth_time, "exp": iat.saturating_add(validity), "iat": iat, "jti": uuid()?,
        "username": user.username,
    });
    if let Some(key) = &grant.device_key {
        access["device_key"] = json!(key);
    }
    let mut id = json!({
        "sub": user.sub(), "iss": issuer, "cognito:username": user.username, "origin_jti": origin_jti,
        "aud": client.id, "event_id": event_id, "token_use": "id", "auth_time": auth_time,
        "exp": iat.saturating_add(validity), "iat": iat, "jti": uuid()?,
    });
    for (name, value) in &user.attributes {
        if !reserved_claim(name) {
            id[name] = match (name.ends_with("_verified"), value.as_str()) {
                (true, "true") => json!(true),
                (true, "false") => json!(false),
                _ => json!(value),
            };
        }
    }
    Ok(Unsigned {
        access,
        id,
        grant: Grant {
            expires: later(now, Duration::from_secs(validity)),
            ..grant.clone()
        },
        result: json!({"ExpiresIn": validity, "TokenType": "Bearer"}),
        with_challenge_parameters: false,
    })
}

pub(super) fn refresh_token_auth(
    shared: &Shared,
    state: &mut State,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> Result<Next> {
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
    let mut unsigned = refreshed(shared, state, &grant, false, token)?;
    unsigned.with_challenge_parameters = true;
    Ok(Next::Sign(unsigned))
}

pub(super) fn get_tokens_from_refresh_token(
    shared: &Shared,
    state: &mut State,
    body: &Value,
) -> Result<Next> {
    let token = text(body, "RefreshToken")?;
    let client_id = text(body, "ClientId")?;
    let grant = live_refresh_grant(state, token, client_id)?;
    let (_, client) = state.pool_of_client(client_id)?;
    check_client_secret(client, opt_text(body, "ClientSecret"))?;
    if grant.device_key.is_some() && opt_text(body, "DeviceKey") != grant.device_key.as_deref() {
        return Err(ApiError::not_authorized("Invalid Refresh Token"));
    }
    let rotate = client.config.refresh_token_rotation;
    refreshed(shared, state, &grant, rotate, token).map(Next::Sign)
}

pub(super) fn live_refresh_grant(state: &State, token: &str, client_id: &str) -> Result<Grant> {
    let now = state.now();
    let refresh = state
        .refresh_tokens
        .get(token)
        .filter(|r| r.grant.client == client_id && r.grant.expires > now)
        .ok_or_else(|| ApiError::not_authorized("Invalid Refresh Token"))?;
    if refresh.grant.revoked {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
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
) -> Result<Unsigned> {
    let now = state.now();
    let auth_time = state.refresh_tokens.get(old).map_or(0, |r| r.auth_time);
    let mut unsigned = token_claims(shared, state, grant, auth_time, now)?;
    if rotate {
        let grace = state.pools[&grant.pool].clients[&grant.client]
            .config
            .rotation_grace_seconds;
        if let Some(old) = state.refresh_tokens.get_mut(old)
            && old.rotated_until.is_none()
        {
            old.rotated_until = Some(later(now, Duration::from_secs(grace)));
        }
        let fresh = random_token(96)?;
        state.refresh_tokens.insert(
            fresh.clone(),
            RefreshGrant {
                grant: Grant {
                    expires: later(now, REFRESH_TOKEN_VALIDITY),
                    ..grant.clone()
                },
                auth_time,
                rotated_until: None,
            },
        );
        unsigned.result["RefreshToken"] = json!(fresh);
    }
    Ok(unsigned)
}

/// Claims Cognito sets itself, which no user attribute may set or override.
pub(crate) fn reserved_claim(name: &str) -> bool {
    const RESERVED: [&str; 15] = [
        "sub",
        "aud",
        "iss",
        "exp",
        "iat",
        "nbf",
        "token_use",
        "auth_time",
        "event_id",
        "jti",
        "origin_jti",
        "client_id",
        "username",
        "scope",
        "device_key",
    ];
    RESERVED.contains(&name) || name.starts_with("cognito:")
}
