//! The account operations (PROTOCOL.md §9.1–9.2): sign-up, its confirmation and the
//! auto sign-in after it, password reset, and the signed-in calls that change the
//! password or end sessions.

mod codes;
mod recovery;
mod sign_up;
mod signed_in;

pub(super) use recovery::{
    admin_confirm_sign_up, admin_reset_user_password, confirm_forgot_password, forgot_password,
};
pub(crate) use recovery::{confirm_user, require_reset};
pub(super) use sign_up::{auto_sign_in, confirm_sign_up, resend_confirmation_code, sign_up};
pub(super) use signed_in::{
    admin_global_sign_out, change_password, get_user, global_sign_out, revoke_token,
};

use serde_json::{Value, json};

use crate::error::{ApiError, Result};
use crate::request::{opt_text, text};
use crate::state::State;

use super::client_secret::check_secret_hash;

/// An unsigned account call (ClientId-authorised): its pool and client, with
/// `SecretHash` checked over the username as sent.
struct UnsignedCall {
    pool: String,
    client: String,
    /// `Username` as sent.
    typed: String,
    /// The canonical username, when the user exists.
    username: Option<String>,
    /// The client's PreventUserExistenceErrors.
    prevent: bool,
}

impl UnsignedCall {
    fn read(state: &State, body: &Value) -> Result<Self> {
        let client_id = text(body, "ClientId")?;
        let typed = text(body, "Username")?;
        let (pool, client) = state.pool_of_client(client_id)?;
        let given = opt_text(body, "SecretHash").map(str::to_owned);
        check_secret_hash(client, typed, given.as_ref())?;
        Ok(Self {
            pool: pool.id.clone(),
            client: client.id.clone(),
            typed: typed.to_owned(),
            username: pool.resolve(typed).map(str::to_owned),
            prevent: client.config.prevent_user_existence_errors,
        })
    }

    /// The canonical username, or what an unknown user gets: `UserNotFoundException`,
    /// or `hidden` when the client prevents user-existence errors.
    fn user_or(&self, hidden: impl FnOnce() -> ApiError) -> Result<&str> {
        match &self.username {
            Some(username) => Ok(username),
            None if self.prevent => Err(hidden()),
            None => Err(ApiError::user_not_found()),
        }
    }

    /// What a call that sends a code answers for an unknown user: a delivery that looks
    /// real (nothing is sent) when the client prevents user-existence errors,
    /// `UserNotFoundException` otherwise.
    fn unknown_user_delivery(&self) -> Result<Value> {
        if self.prevent {
            return Ok(json!({"CodeDeliveryDetails": codes::pretend_delivery(&self.typed)}));
        }
        Err(ApiError::user_not_found())
    }
}
