//! Password policy, password checks and lockout.

use std::time::{Duration, SystemTime};

use crate::error::{ApiError, Result};
use crate::state::{State, User, UserStatus, later};

use super::caller::pool_user;
use super::client_secret::constant_eq;
use super::session::AuthSession;

/// `(attempts before lockout, lockout length)` of the session's pool.
pub(super) fn lockout_policy(state: &State, session: &AuthSession) -> (u32, Duration) {
    let config = &state.pools[&session.pool].config;
    (
        config.lockout_after,
        Duration::from_secs(config.lockout_seconds),
    )
}

pub(super) fn check_lockout(user: &User, now: SystemTime) -> Result<()> {
    if user.locked_until.is_some_and(|until| now < until) {
        return Err(ApiError::not_authorized("Password attempts exceeded"));
    }
    Ok(())
}

pub(super) fn record_failure(user: &mut User, (after, length): (u32, Duration), now: SystemTime) {
    user.failed_attempts = user.failed_attempts.saturating_add(1);
    if after > 0 && user.failed_attempts >= after {
        user.locked_until = Some(later(now, length));
        user.failed_attempts = 0;
    }
}

/// Refuses a sign-in the account's status does not allow: asked once the first factor
/// is proven, so a wrong password learns nothing about the account.
pub(super) fn check_status(user: &User) -> Result<()> {
    match user.status {
        UserStatus::Unconfirmed => Err(ApiError::new(
            "UserNotConfirmedException",
            "User is not confirmed.",
        )),
        UserStatus::ResetRequired => Err(ApiError::new(
            "PasswordResetRequiredException",
            "Password reset required for the user",
        )),
        UserStatus::Confirmed | UserStatus::ForceChangePassword => Ok(()),
    }
}

pub(super) fn check_password(
    state: &mut State,
    session: &AuthSession,
    password: &str,
) -> Result<()> {
    let lockout = lockout_policy(state, session);
    let now = state.now();
    let user = pool_user(state, &session.pool, &session.username)?;
    // A sign-in started before the lockout must not keep guessing through it.
    check_lockout(user, now)?;
    let matches = user
        .password
        .as_deref()
        .is_some_and(|stored| constant_eq(stored.as_bytes(), password.as_bytes()));
    if matches {
        user.failed_attempts = 0;
        Ok(())
    } else {
        record_failure(user, lockout, now);
        Err(ApiError::wrong_password())
    }
}

/// Cognito's default password policy: 8+ characters with upper, lower, digit and symbol.
pub(super) fn check_policy(password: &str) -> Result<()> {
    let checks = [
        (password.chars().count() >= 8, "Password not long enough"),
        (
            password.chars().any(char::is_uppercase),
            "Password must have uppercase characters",
        ),
        (
            password.chars().any(char::is_lowercase),
            "Password must have lowercase characters",
        ),
        (
            password.chars().any(|c| c.is_ascii_digit()),
            "Password must have numeric characters",
        ),
        (
            password
                .chars()
                .any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
            "Password must have symbol characters",
        ),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, why)) => Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password does not conform to policy: {why}"),
        )),
        None => Ok(()),
    }
}
