//! SignUp, ConfirmSignUp, ResendConfirmationCode, and the auto sign-in with the
//! session they pass along.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::config::{FirstFactor, PoolConfig, UserConfig};
use crate::error::{ApiError, Result};
use crate::random::{random_token, uuid};
use crate::request::{opt_text, text};
use crate::state::{AccountSession, Pool, Shared, State, User, UserStatus, later};

use super::super::flow::AuthFlow;
use super::super::policy::check_policy;
use super::super::progress::advance;
use super::super::session::{AuthSession, Phase};
use super::super::{Next, reserved_claim, unix};
use super::UnsignedCall;
use super::codes::{self, Purpose};

/// How long the sign-up session waits for ConfirmSignUp: as long as the code lives,
/// since a person has to read it.
const SIGN_UP_SESSION: Duration = Duration::from_secs(24 * 3600);

/// SignUp: an UNCONFIRMED user with a code to confirm, and a session for the auto
/// sign-in when the app client allows `USER_AUTH`.
pub(in crate::auth) fn sign_up(state: &mut State, body: &Value) -> Result<Value> {
    let call = UnsignedCall::read(state, body)?;
    let pool = &state.pools[&call.pool];
    if !pool.config.allow_self_sign_up {
        return Err(ApiError::not_authorized(
            "SignUp is not permitted for this user pool",
        ));
    }
    if call.username.is_some() {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User already exists",
        ));
    }
    let user = new_user(pool, &call.typed, body)?;
    let username = user.username.clone();
    let sub = user.sub().to_owned();
    let attribute = pool
        .config
        .auto_verified_attributes
        .iter()
        .find(|name| user.attributes.contains_key(*name))
        .cloned();
    let allows_user_auth = pool.clients[&call.client].allows(AuthFlow::User);
    state
        .pool_mut(&call.pool)?
        .users
        .insert(username.clone(), user);
    let mut answer = json!({"UserConfirmed": false, "UserSub": sub});
    if let Some(attribute) = attribute {
        answer["CodeDeliveryDetails"] = codes::send(
            state,
            &call.pool,
            &username,
            &attribute,
            Purpose::Confirmation,
        )?;
    }
    if allows_user_auth {
        let session = AccountSession {
            pool: call.pool,
            client: call.client,
            username,
            expires: later(state.now(), SIGN_UP_SESSION),
            confirmed: false,
        };
        answer["Session"] = json!(store(state, session)?);
    }
    Ok(answer)
}

/// The user SignUp asks for, checked against the pool's rules: attributes, username
/// attributes, password policy.
fn new_user(pool: &Pool, typed: &str, body: &Value) -> Result<User> {
    let mut attributes = sign_up_attributes(body)?;
    let username = canonical_username(&pool.config, typed, &mut attributes)?;
    if let Some(missing) = pool
        .config
        .required_attributes
        .iter()
        .find(|name| !attributes.contains_key(*name))
    {
        return Err(ApiError::invalid_parameter(format!(
            "Attributes did not conform to the schema: {missing}: The attribute is required"
        )));
    }
    let password = match opt_text(body, "Password") {
        Some(password) => {
            check_policy(password)?;
            Some(password.to_owned())
        }
        None if passwordless(&pool.config) => None,
        None => return Err(ApiError::missing("Password")),
    };
    let config = UserConfig {
        password,
        attributes,
        ..UserConfig::new(username)
    };
    let mut user = User::new(pool.srp_name(), config)?;
    user.status = UserStatus::Unconfirmed;
    for name in ["email", "phone_number"] {
        if user.attributes.contains_key(name) {
            user.attributes
                .insert(format!("{name}_verified"), "false".to_owned());
        }
    }
    Ok(user)
}

/// Whether users of the pool may have no password: no password first factor.
fn passwordless(config: &PoolConfig) -> bool {
    !config
        .first_factors
        .iter()
        .any(|f| matches!(f, FirstFactor::Password | FirstFactor::PasswordSrp))
}

fn sign_up_attributes(body: &Value) -> Result<BTreeMap<String, String>> {
    let mut attributes = BTreeMap::new();
    for attribute in body
        .get("UserAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text(attribute, "Name")?;
        if reserved_claim(name) || name.ends_with("_verified") {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid user attribute name: {name} is set by the service"
            )));
        }
        attributes.insert(name.to_owned(), text(attribute, "Value")?.to_owned());
    }
    Ok(attributes)
}

/// The username to store: as typed, or in a pool with username attributes a generated
/// one (the `sub`), the typed e-mail address or phone number becoming the attribute.
fn canonical_username(
    config: &PoolConfig,
    typed: &str,
    attributes: &mut BTreeMap<String, String>,
) -> Result<String> {
    if config.username_attributes.is_empty() {
        return Ok(typed.to_owned());
    }
    let attribute = if typed.contains('@') {
        "email"
    } else if typed.starts_with('+') {
        "phone_number"
    } else {
        ""
    };
    if !config.username_attributes.iter().any(|a| a == attribute) {
        return Err(ApiError::invalid_parameter(format!(
            "Username should be one of: {}.",
            config.username_attributes.join(", ")
        )));
    }
    attributes.insert(attribute.to_owned(), typed.to_owned());
    let sub = uuid()?;
    attributes.insert("sub".to_owned(), sub.clone());
    Ok(sub)
}

/// ConfirmSignUp: the right code confirms the user and verifies the attribute it went
/// to; with the sign-up's session, a new session for the auto sign-in comes back.
pub(in crate::auth) fn confirm_sign_up(state: &mut State, body: &Value) -> Result<Value> {
    let call = UnsignedCall::read(state, body)?;
    let code = text(body, "ConfirmationCode")?;
    let username = call.user_or(codes::mismatch)?.to_owned();
    let now = state.now();
    let user = state
        .pool_mut(&call.pool)?
        .users
        .get_mut(&username)
        .ok_or_else(ApiError::user_not_found)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    let attribute = codes::check(&mut user.confirmation, code, now)?;
    user.confirmation = None;
    user.status = UserStatus::Confirmed;
    codes::mark_verified(user, &attribute);
    let mut answer = json!({});
    // A session that is not this sign-up's still confirms: the code was right.
    if let Some(mut session) = opt_text(body, "Session").and_then(|key| {
        take(state, key).filter(|s| {
            !s.confirmed && s.expires >= now && s.client == call.client && s.username == username
        })
    }) {
        session.confirmed = true;
        session.expires = later(now, session_validity(state, &session.pool, &session.client));
        answer["Session"] = json!(store(state, session)?);
    }
    Ok(answer)
}

/// ResendConfirmationCode: a new code with a new expiry, for an unconfirmed user.
pub(in crate::auth) fn resend_confirmation_code(state: &mut State, body: &Value) -> Result<Value> {
    let call = UnsignedCall::read(state, body)?;
    let Some(username) = call.username.clone() else {
        return call.unknown_user_delivery();
    };
    let pool = &state.pools[&call.pool];
    let user = &pool.users[&username];
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::invalid_parameter("User is already confirmed."));
    }
    let attribute = pool
        .config
        .auto_verified_attributes
        .iter()
        .find(|name| user.attributes.contains_key(*name))
        .cloned()
        .ok_or_else(|| ApiError::invalid_parameter("Auto verification not turned on."))?;
    let details = codes::send(
        state,
        &call.pool,
        &username,
        &attribute,
        Purpose::Confirmation,
    )?;
    Ok(json!({"CodeDeliveryDetails": details}))
}

/// InitiateAuth `USER_AUTH` with ConfirmSignUp's session: the code counted as a
/// passwordless first factor, so what follows is the device and the tokens (no MFA).
/// The session is taken whatever happens: it works once.
pub(in crate::auth) fn auto_sign_in(
    shared: &Shared,
    state: &mut State,
    client_id: &str,
    typed: &str,
    key: &str,
) -> Result<Next> {
    let session = take(state, key).ok_or_else(ApiError::invalid_session)?;
    let now = state.now();
    if now > session.expires {
        return Err(ApiError::expired_session());
    }
    let same_user = state
        .pools
        .get(&session.pool)
        .and_then(|pool| pool.resolve(typed))
        .is_some_and(|name| name == session.username);
    if !session.confirmed || session.client != client_id || !same_user {
        return Err(ApiError::invalid_session());
    }
    let expires = later(now, session_validity(state, &session.pool, &session.client));
    let mut auth = AuthSession::new(
        session.pool,
        session.client,
        session.username,
        expires,
        unix(now),
    );
    auth.phase = Phase::Passwordless;
    advance(shared, state, auth)
}

fn session_validity(state: &State, pool: &str, client: &str) -> Duration {
    state
        .pools
        .get(pool)
        .and_then(|pool| pool.clients.get(client))
        .map_or(Duration::ZERO, |c| {
            Duration::from_secs(c.config.session_validity_seconds)
        })
}

fn store(state: &mut State, session: AccountSession) -> Result<String> {
    let key = random_token(96)?;
    state.account_sessions.insert(key.clone(), session);
    Ok(key)
}

fn take(state: &mut State, key: &str) -> Option<AccountSession> {
    state.account_sessions.remove(key)
}
