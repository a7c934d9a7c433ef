//! The admin calls a test outside Rust needs to set up state (unsigned, like moto's:
//! this server never leaves 127.0.0.1).

use serde_json::{Value, json};

use crate::auth::reserved_claim;
use crate::config::{
    AppClientConfig, DeviceTracking, FactorConfiguration, FirstFactor, Mfa, PoolConfig, UserConfig,
    UserVerification, WebAuthnConfig,
};
use crate::error::{ApiError, Result};
use crate::request::{opt_text, text};
use crate::state::{State, User, UserStatus};

/// AdminCreateUser: a user in FORCE_CHANGE_PASSWORD with a temporary password.
pub(crate) fn create_user(state: &mut State, body: &Value) -> Result<Value> {
    let pool = state.pool_mut(text(body, "UserPoolId")?)?;
    let username = text(body, "Username")?;
    if pool.users.contains_key(username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    let mut config = UserConfig::new(username);
    config.temporary_password = opt_text(body, "TemporaryPassword").map(str::to_owned);
    for attribute in body
        .get("UserAttributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text(attribute, "Name")?;
        if reserved_claim(name) {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid user attribute name: {name} is set by the service"
            )));
        }
        config
            .attributes
            .insert(name.to_owned(), text(attribute, "Value")?.to_owned());
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
    let pool = state.pools.get(pool_id).ok_or_else(|| {
        ApiError::resource_not_found(format!("User pool {pool_id} does not exist."))
    })?;
    let user = pool
        .resolve(text(body, "Username")?)
        .and_then(|name| pool.users.get(name))
        .ok_or_else(ApiError::user_not_found)?;
    let mut described = describe(user);
    described["UserAttributes"] = described.get("Attributes").cloned().unwrap_or_default();
    described["MFAOptions"] = json!([]);
    described["UserMFASettingList"] = json!(
        user.mfa_enabled
            .iter()
            .map(|m| m.challenge_name())
            .collect::<Vec<_>>()
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
        "UserStatus": user.status.as_str(),
    })
}

/// CreateUserPool: the settings sign-in depends on (MFA, aliases, devices).
pub(crate) fn create_pool(state: &mut State, body: &Value) -> Result<Value> {
    let name = text(body, "PoolName")?;
    let mut config = PoolConfig {
        mfa: mfa_configuration(opt_text(body, "MfaConfiguration"))?,
        ..PoolConfig::default()
    };
    if let Some(aliases) = body.get("AliasAttributes").and_then(Value::as_array) {
        config.alias_attributes = aliases
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
    }
    read_sign_up_settings(body, &mut config);
    if let Some(factors) = body
        .get("Policies")
        .and_then(|p| p.get("SignInPolicy"))
        .and_then(|p| p.get("AllowedFirstAuthFactors"))
    {
        config.first_factors = first_factors(factors)?;
    }
    if let Some(devices) = body.get("DeviceConfiguration") {
        let prompt = devices
            .get("DeviceOnlyRememberedOnUserPrompt")
            .and_then(Value::as_bool);
        config.device_tracking = if prompt == Some(true) {
            DeviceTracking::UserOptIn
        } else {
            DeviceTracking::Always
        };
    }
    let id = state.insert_pool(config)?;
    Ok(
        json!({"UserPool": {"Id": id, "Name": name, "MfaConfiguration": opt_text(body, "MfaConfiguration").unwrap_or("OFF")}}),
    )
}

/// Who may sign up and where codes go: `AdminCreateUserConfig.AllowAdminCreateUserOnly`,
/// `AutoVerifiedAttributes`, `UsernameAttributes`.
fn read_sign_up_settings(body: &Value, config: &mut PoolConfig) {
    let names = |key: &str| -> Option<Vec<String>> {
        body.get(key).and_then(Value::as_array).map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
    };
    if let Some(names) = names("AutoVerifiedAttributes") {
        config.auto_verified_attributes = names;
    }
    if let Some(names) = names("UsernameAttributes") {
        config.username_attributes = names;
    }
    let admin_only = body
        .get("AdminCreateUserConfig")
        .and_then(|c| c.get("AllowAdminCreateUserOnly"))
        .and_then(Value::as_bool);
    config.allow_self_sign_up = admin_only != Some(true);
}

/// `SignInPolicy.AllowedFirstAuthFactors`: `PASSWORD` allows both password challenges.
fn first_factors(names: &Value) -> Result<Vec<FirstFactor>> {
    let mut factors = Vec::new();
    for name in names.as_array().into_iter().flatten() {
        match name.as_str() {
            Some("PASSWORD") => factors.extend([FirstFactor::Password, FirstFactor::PasswordSrp]),
            Some("EMAIL_OTP") => factors.push(FirstFactor::EmailOtp),
            Some("SMS_OTP") => factors.push(FirstFactor::SmsOtp),
            Some("WEB_AUTHN") => factors.push(FirstFactor::WebAuthn),
            _ => {
                return Err(ApiError::invalid_parameter(format!(
                    "AllowedFirstAuthFactors: {name} is not PASSWORD, EMAIL_OTP, SMS_OTP or WEB_AUTHN"
                )));
            }
        }
    }
    Ok(factors)
}

/// SetUserPoolMfaConfig: MFA off, optional or on; and the passkey relying party
/// (`WebAuthnConfiguration`), when given.
pub(crate) fn set_pool_mfa(state: &mut State, body: &Value) -> Result<Value> {
    let mfa = mfa_configuration(opt_text(body, "MfaConfiguration"))?;
    let web_authn = body
        .get("WebAuthnConfiguration")
        .map(web_authn_configuration)
        .transpose()?;
    let config = &mut state.pool_mut(text(body, "UserPoolId")?)?.config;
    config.mfa = mfa;
    if web_authn.is_some() {
        config.web_authn = web_authn;
    }
    let mut answer =
        json!({"MfaConfiguration": opt_text(body, "MfaConfiguration").unwrap_or("OFF")});
    if let Some(web_authn) = &config.web_authn {
        answer["WebAuthnConfiguration"] = json!({
            "RelyingPartyId": web_authn.relying_party_id,
            "UserVerification": match web_authn.user_verification {
                UserVerification::Required => "required",
                UserVerification::Preferred => "preferred",
            },
            "FactorConfiguration": match web_authn.factor_configuration {
                FactorConfiguration::SingleFactor => "SINGLE_FACTOR",
                FactorConfiguration::MultiFactorWithUserVerification => {
                    "MULTI_FACTOR_WITH_USER_VERIFICATION"
                }
            },
        });
    }
    Ok(answer)
}

/// `WebAuthnConfiguration{RelyingPartyId, UserVerification, FactorConfiguration}`.
fn web_authn_configuration(body: &Value) -> Result<WebAuthnConfig> {
    let mut config = WebAuthnConfig::new(text(body, "RelyingPartyId")?);
    config.user_verification = match opt_text(body, "UserVerification") {
        None | Some("preferred") => UserVerification::Preferred,
        Some("required") => UserVerification::Required,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "UserVerification {other} is not required or preferred"
            )));
        }
    };
    config.factor_configuration = match opt_text(body, "FactorConfiguration") {
        None | Some("SINGLE_FACTOR") => FactorConfiguration::SingleFactor,
        Some("MULTI_FACTOR_WITH_USER_VERIFICATION") => {
            FactorConfiguration::MultiFactorWithUserVerification
        }
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "FactorConfiguration {other} is not SINGLE_FACTOR or MULTI_FACTOR_WITH_USER_VERIFICATION"
            )));
        }
    };
    crate::auth::check_web_authn_config(&config)?;
    Ok(config)
}

fn mfa_configuration(value: Option<&str>) -> Result<Mfa> {
    match value.unwrap_or("OFF") {
        "OFF" => Ok(Mfa::Off),
        "OPTIONAL" => Ok(Mfa::Optional),
        "ON" => Ok(Mfa::On),
        other => Err(ApiError::invalid_parameter(format!(
            "MfaConfiguration {other} is not OFF, ON or OPTIONAL"
        ))),
    }
}

/// CreateUserPoolClient: secret, allowed flows, rotation.
pub(crate) fn create_client(state: &mut State, body: &Value) -> Result<Value> {
    let pool = text(body, "UserPoolId")?;
    let mut config = AppClientConfig::new(text(body, "ClientName")?);
    config.generate_secret = body.get("GenerateSecret").and_then(Value::as_bool) == Some(true);
    config.auth_flows = body
        .get("ExplicitAuthFlows")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|flow| flow.strip_prefix("ALLOW_").unwrap_or(flow).to_owned())
        .collect();
    if let Some(rotation) = body.get("RefreshTokenRotation") {
        config.refresh_token_rotation = opt_text(rotation, "Feature") == Some("ENABLED");
        config.rotation_grace_seconds = rotation
            .get("RetryGracePeriodSeconds")
            .and_then(Value::as_u64)
            .unwrap_or(0);
    }
    config.prevent_user_existence_errors =
        opt_text(body, "PreventUserExistenceErrors") == Some("ENABLED");
    let info = state.insert_client(pool, config)?;
    let mut client = json!({"UserPoolId": pool, "ClientName": info.name, "ClientId": info.id});
    if let Some(secret) = info.secret {
        client["ClientSecret"] = json!(secret);
    }
    Ok(json!({"UserPoolClient": client}))
}
