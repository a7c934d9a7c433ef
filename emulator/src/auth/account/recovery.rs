//! Password reset: ForgotPassword and ConfirmForgotPassword, AdminResetUserPassword
//! (which makes sign-in fail until the reset), and AdminConfirmSignUp.

use serde_json::{Value, json};

use crate::error::{ApiError, Result};
use crate::request::text;
use crate::state::{Pool, State, UserStatus};

use super::super::policy::check_policy;
use super::UnsignedCall;
use super::codes::{self, Purpose};

/// ForgotPassword: a code to the user's verified e-mail address (else phone number).
/// An unknown user gets a delivery that looks real when the client prevents
/// user-existence errors.
pub(in crate::auth) fn forgot_password(state: &mut State, body: &Value) -> Result<Value> {
    let call = UnsignedCall::read(state, body)?;
    let Some(username) = call.username.clone() else {
        return call.unknown_user_delivery();
    };
    let details = send_reset_code(state, &call.pool, &username)?;
    Ok(json!({"CodeDeliveryDetails": details}))
}

fn send_reset_code(state: &mut State, pool: &str, username: &str) -> Result<Value> {
    let user = state
        .pools
        .get(pool)
        .and_then(|p| p.users.get(username))
        .ok_or_else(ApiError::user_not_found)?;
    let attribute = ["email", "phone_number"]
        .into_iter()
        .find(|name| codes::verified(user, name))
        .ok_or_else(|| {
            ApiError::invalid_parameter(
                "Cannot reset password for the user as there is no registered/verified email or phone_number",
            )
        })?;
    codes::send(state, pool, username, attribute, Purpose::Reset)
}

/// ConfirmForgotPassword: the right code and a password the policy accepts set the
/// password; the user is CONFIRMED and the attribute the code went to verified. A
/// refused password leaves the code usable.
pub(in crate::auth) fn confirm_forgot_password(state: &mut State, body: &Value) -> Result<Value> {
    let call = UnsignedCall::read(state, body)?;
    let code = text(body, "ConfirmationCode")?;
    let password = text(body, "Password")?;
    let username = call.user_or(codes::mismatch)?.to_owned();
    let now = state.now();
    let pool = state.pool_mut(&call.pool)?;
    let srp_name = pool.srp_name().to_owned();
    let user = pool
        .users
        .get_mut(&username)
        .ok_or_else(ApiError::user_not_found)?;
    let attribute = codes::check(&mut user.reset, code, now)?;
    check_policy(password)?;
    user.set_password(&srp_name, password.to_owned())?;
    user.reset = None;
    user.status = UserStatus::Confirmed;
    user.failed_attempts = 0;
    user.locked_until = None;
    codes::mark_verified(user, &attribute);
    Ok(json!({}))
}

/// AdminResetUserPassword (unsigned, like the other admin calls).
pub(in crate::auth) fn admin_reset_user_password(state: &mut State, body: &Value) -> Result<Value> {
    require_reset(state, text(body, "UserPoolId")?, text(body, "Username")?)?;
    Ok(json!({}))
}

/// Puts the user in RESET_REQUIRED and sends a reset code: sign-in fails with
/// `PasswordResetRequiredException` until ConfirmForgotPassword.
pub(crate) fn require_reset(state: &mut State, pool: &str, typed: &str) -> Result<()> {
    let username = canonical(state, pool, typed)?;
    send_reset_code(state, pool, &username)?;
    if let Some(user) = state.pool_mut(pool)?.users.get_mut(&username) {
        user.status = UserStatus::ResetRequired;
    }
    Ok(())
}

/// AdminConfirmSignUp (unsigned, like the other admin calls).
pub(in crate::auth) fn admin_confirm_sign_up(state: &mut State, body: &Value) -> Result<Value> {
    confirm_user(state, text(body, "UserPoolId")?, text(body, "Username")?)?;
    Ok(json!({}))
}

/// Confirms an UNCONFIRMED user without a code (no attribute is verified by it).
pub(crate) fn confirm_user(state: &mut State, pool: &str, typed: &str) -> Result<()> {
    let username = canonical(state, pool, typed)?;
    let user = state
        .pool_mut(pool)?
        .users
        .get_mut(&username)
        .ok_or_else(ApiError::user_not_found)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    user.status = UserStatus::Confirmed;
    user.confirmation = None;
    Ok(())
}

fn canonical(state: &mut State, pool: &str, typed: &str) -> Result<String> {
    let pool: &Pool = state.pool_mut(pool)?;
    pool.resolve(typed)
        .map(str::to_owned)
        .ok_or_else(ApiError::user_not_found)
}
