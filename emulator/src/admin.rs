//! The admin calls a test outside Rust needs to set up state (unsigned, like moto's:
//! this server never leaves 127.0.0.1).

use serde_json::{Value, json};

use crate::auth::{opt_text, text};
use crate::config::UserConfig;
use crate::error::ApiError;
use crate::state::{State, User, UserStatus};

type Result<T, E = ApiError> = std::result::Result<T, E>;

/// AdminCreateUser: a user in FORCE_CHANGE_PASSWORD with a temporary password.
pub(crate) fn create_user(state: &mut State, body: &Value) -> Result<Value> {
    let pool = state.pool_mut(text(body, "UserPoolId")?)?;
    let username = text(body, "Username")?;
    if pool.users.contains_key(username) {
        return Err(ApiError::new("UsernameExistsException", "User account already exists"));
    }
    let mut config = UserConfig::new(username);
    config.temporary_password = opt_text(body, "TemporaryPassword").map(str::to_owned);
    for attribute in body.get("UserAttributes").and_then(Value::as_array).into_iter().flatten() {
        config.attributes.insert(text(attribute, "Name")?.to_owned(), text(attribute, "Value")?.to_owned());
    }
    let user = User::new(pool.srp_name(), config)?;
    let described = describe(&user);
    pool.users.insert(username.to_owned(), user);
    Ok(json!({"User": described}))
}

/// AdminSetUserPassword: permanent (CONFIRMED) or temporary (FORCE_CHANGE_PASSWORD).
pub(crate) fn set_password(state: &mut State, body: &Value) -> Result<Value> {
    let pool = state.pool_mut(text(body, "UserPoolId")?)?;
    let srp_name = pool.srp_name().to_owned();
    let user = pool
        .users
        .get_mut(text(body, "Username")?)
        .ok_or_else(ApiError::user_not_found)?;
    user.set_password(&srp_name, text(body, "Password")?.to_owned())?;
    user.status = if body.get("Permanent").and_then(Value::as_bool) == Some(true) {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    Ok(json!({}))
}

/// AdminGetUser.
pub(crate) fn get_user(state: &State, body: &Value) -> Result<Value> {
    let pool_id = text(body, "UserPoolId")?;
    let pool = state
        .pools
        .get(pool_id)
        .ok_or_else(|| ApiError::resource_not_found(format!("User pool {pool_id} does not exist.")))?;
    let user = pool
        .resolve(text(body, "Username")?)
        .and_then(|name| pool.users.get(name))
        .ok_or_else(ApiError::user_not_found)?;
    let mut described = describe(user);
    described["UserAttributes"] = described.get("Attributes").cloned().unwrap_or_default();
    described["MFAOptions"] = json!([]);
    described["UserMFASettingList"] = json!(
        user.mfa_enabled.iter().map(|m| m.challenge_name()).collect::<Vec<_>>()
    );
    if let Some(preferred) = user.mfa_preferred {
        described["PreferredMfaSetting"] = json!(preferred.challenge_name());
    }
    Ok(described)
}

fn describe(user: &User) -> Value {
    let attributes: Vec<Value> = user
        .attributes
        .iter()
        .map(|(name, value)| json!({"Name": name, "Value": value}))
        .collect();
    json!({
        "Username": user.username,
        "Attributes": attributes,
        "Enabled": true,
        "UserStatus": match user.status {
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        },
    })
}
