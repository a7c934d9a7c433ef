//! Devices: ConfirmDevice, UpdateDeviceStatus, ForgetDevice, and DEVICE_KEY on sign-in.

use std::sync::Arc;

use cognito_typestate::srp::server::Verifier;
use serde_json::{Value, json};

use crate::config::DeviceTracking;
use crate::error::{ApiError, Result};
use crate::request::{opt_text, text};
use crate::state::{Pool, State, User};

use super::caller::{access_grant, addressed_user, pool_user};

pub(super) fn confirm_device(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let key = text(body, "DeviceKey")?;
    let config = body
        .get("DeviceSecretVerifierConfig")
        .ok_or_else(|| ApiError::missing("DeviceSecretVerifierConfig"))?;
    let verifier =
        Verifier::from_device_config(text(config, "Salt")?, text(config, "PasswordVerifier")?)
            .map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
    let tracking = state.pools[&grant.pool].config.device_tracking;
    let name = opt_text(body, "DeviceName").map(str::to_owned);
    let device = pool_user(state, &grant.pool, &grant.username)?
        .devices
        .get_mut(key)
        .ok_or_else(ApiError::device_not_found)?;
    device.verifier = Some(Arc::new(verifier));
    device.name = name;
    device.remembered = tracking == DeviceTracking::Always;
    Ok(json!({"UserConfirmationNecessary": tracking == DeviceTracking::UserOptIn}))
}

pub(super) fn update_device_status(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let key = text(body, "DeviceKey")?;
    let remembered = match opt_text(body, "DeviceRememberedStatus") {
        Some("remembered") => true,
        Some("not_remembered") | None => false,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "DeviceRememberedStatus must be remembered or not_remembered, not {other}"
            )));
        }
    };
    let device = pool_user(state, &grant.pool, &grant.username)?
        .devices
        .get_mut(key)
        .ok_or_else(ApiError::device_not_found)?;
    device.remembered = remembered;
    Ok(json!({}))
}

pub(super) fn forget_device(state: &mut State, body: &Value) -> Result<Value> {
    let key = text(body, "DeviceKey")?;
    let user = addressed_user(state, body)?;
    user.devices
        .remove(key)
        .ok_or_else(ApiError::device_not_found)?;
    Ok(json!({}))
}

/// The device a sign-in names with DEVICE_KEY, if device tracking is on and the device
/// is confirmed; a key the user does not have is Cognito's "Device does not exist.".
pub(super) fn known_device(
    pool: &Pool,
    user: &User,
    key: Option<&String>,
) -> Result<Option<String>> {
    let Some(key) = key else { return Ok(None) };
    if pool.config.device_tracking == DeviceTracking::Off {
        return Ok(None);
    }
    let device = user
        .devices
        .get(key)
        .ok_or_else(ApiError::device_not_found)?;
    Ok(device.verifier.is_some().then(|| key.clone()))
}
