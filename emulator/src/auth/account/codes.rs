//! Codes of the account operations: sign-up confirmation and password reset. Each is
//! delivered to the outbox, expires on the emulator's clock, and survives a few wrong
//! guesses only.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::Message;
use crate::auth::constant_eq;
use crate::error::{ApiError, Result};
use crate::random::numeric_code;
use crate::state::{AccountCode, State, User, later};

use super::super::codes::mask;

/// Wrong codes one code survives: after them, every try is
/// `TooManyFailedAttemptsException` until a new code is sent.
pub(crate) const CODE_ATTEMPTS: u32 = 5;

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// ConfirmSignUp's code: valid 24 hours, as Cognito's.
    Confirmation,
    /// ConfirmForgotPassword's code: valid one hour, as Cognito's.
    Reset,
}

impl Purpose {
    fn validity(self) -> Duration {
        match self {
            Purpose::Confirmation => Duration::from_secs(24 * 3600),
            Purpose::Reset => Duration::from_secs(3600),
        }
    }

    /// What the outbox message says the code is for.
    fn label(self) -> &'static str {
        match self {
            Purpose::Confirmation => "CONFIRM_SIGN_UP",
            Purpose::Reset => "FORGOT_PASSWORD",
        }
    }
}

/// Sends a new code (replacing any earlier one) to `attribute` of the user; answers
/// `CodeDeliveryDetails`.
pub(super) fn send(
    state: &mut State,
    pool: &str,
    username: &str,
    attribute: &str,
    purpose: Purpose,
) -> Result<Value> {
    let now = state.now();
    let code = numeric_code(6)?;
    let user = state
        .pool_mut(pool)?
        .users
        .get_mut(username)
        .ok_or_else(ApiError::user_not_found)?;
    let destination = user.attributes.get(attribute).cloned().unwrap_or_default();
    let slot = AccountCode {
        code: code.clone(),
        expires: later(now, purpose.validity()),
        wrong: 0,
        attribute: attribute.to_owned(),
    };
    match purpose {
        Purpose::Confirmation => user.confirmation = Some(slot),
        Purpose::Reset => user.reset = Some(slot),
    }
    let details = delivery_details(&destination, attribute);
    state.deliver(Message {
        pool_id: pool.to_owned(),
        username: username.to_owned(),
        medium: details["DeliveryMedium"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        destination,
        code,
        challenge: purpose.label().to_owned(),
    });
    Ok(details)
}

/// `CodeDeliveryDetails` for a code sent to `destination`, the value of `attribute`.
fn delivery_details(destination: &str, attribute: &str) -> Value {
    let medium = if attribute == "phone_number" {
        "SMS"
    } else {
        "EMAIL"
    };
    json!({
        "Destination": mask(destination, medium),
        "DeliveryMedium": medium,
        "AttributeName": attribute,
    })
}

/// `CodeDeliveryDetails` for a user who does not exist, when the client prevents
/// user-existence errors: shaped like a real delivery, and nothing is sent.
pub(super) fn pretend_delivery(typed: &str) -> Value {
    if typed.starts_with('+') {
        return delivery_details(typed, "phone_number");
    }
    let address = if typed.contains('@') {
        typed.to_owned()
    } else {
        format!("{typed}@example.com")
    };
    delivery_details(&address, "email")
}

/// Checks a code against the one waiting in `slot`; answers the attribute it went to.
/// The caller clears the slot once the operation succeeds: a refused new password
/// leaves the code usable.
pub(super) fn check(
    slot: &mut Option<AccountCode>,
    given: &str,
    now: SystemTime,
) -> Result<String> {
    let Some(code) = slot.as_mut() else {
        return Err(mismatch());
    };
    if code.wrong >= CODE_ATTEMPTS {
        return Err(ApiError::new(
            "TooManyFailedAttemptsException",
            "Too many failed attempts. Request a new code.",
        ));
    }
    if !constant_eq(code.code.as_bytes(), given.as_bytes()) {
        code.wrong += 1;
        return Err(mismatch());
    }
    if now >= code.expires {
        return Err(ApiError::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ));
    }
    Ok(code.attribute.clone())
}

/// `CodeMismatchException` as the account operations word it.
pub(super) fn mismatch() -> ApiError {
    ApiError::new(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

/// Whether the user has `attribute` and it is not marked unverified. Users set up by
/// a test or an administrator count as verified unless marked otherwise.
pub(super) fn verified(user: &User, attribute: &str) -> bool {
    user.attributes.contains_key(attribute)
        && user
            .attributes
            .get(&format!("{attribute}_verified"))
            .is_none_or(|v| v != "false")
}

/// Marks the attribute a code went to as verified.
pub(super) fn mark_verified(user: &mut User, attribute: &str) {
    user.attributes
        .insert(format!("{attribute}_verified"), "true".to_owned());
}
