//! `ForgotPassword` and `ConfirmForgotPassword` as a state.

use super::{CodeDelivery, Refusals, newest_delivery, send_code};
use crate::connection::Connection;
use crate::error::{Error, ServiceError};
use crate::retry::Rejected;
use crate::secret::Secret;
use crate::wire::account as wire;

/// A password reset waiting for its code and the new password.
///
/// Get one from [`Client::forgot_password`](crate::Client::forgot_password) (which sends
/// the code), or, when sign-in failed with `PasswordResetRequiredException` because an
/// administrator reset the password (a code was sent then), from
/// [`Client::reset_required`](crate::Client::reset_required).
#[derive(Debug)]
#[must_use = "the password is not reset until the code is confirmed"]
pub struct PendingReset {
    client: Connection,
    username: String,
    delivery: Option<CodeDelivery>,
    refusals: Refusals,
}

impl PendingReset {
    pub(crate) fn new(client: &Connection, username: String) -> Self {
        Self {
            client: client.clone(),
            username,
            delivery: None,
            refusals: Refusals::default(),
        }
    }

    /// Asks for a code (`ForgotPassword`); what the first call and
    /// [`resend_code`](Self::resend_code) send.
    pub(crate) async fn send_code(mut self) -> Result<Self, Error> {
        self.resend_code().await?;
        Ok(self)
    }

    /// The username the reset is for.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Where the code went, when the service said.
    pub fn delivery(&self) -> Option<&CodeDelivery> {
        self.delivery.as_ref()
    }

    /// How many answers this reset has had, counting the one about to be sent.
    pub fn attempt(&self) -> u32 {
        self.refusals.attempt()
    }

    /// Why the previous answer was refused, after a [`Rejected::Retry`].
    pub fn rejection(&self) -> Option<&ServiceError> {
        self.refusals.last()
    }

    /// Sets the new password with the code (`ConfirmForgotPassword`). A mistyped or
    /// expired code, or a password the policy refuses, gives the reset back in
    /// [`Rejected::Retry`].
    pub async fn confirm(
        self,
        code: impl Into<Secret>,
        new_password: impl Into<Secret>,
    ) -> Result<(), Rejected<Self>> {
        let sent = self
            .client
            .call(&wire::ConfirmForgotPassword {
                client_id: self.client.settings().client_id.clone(),
                secret_hash: self.client.hash_for(&self.username),
                username: self.username.clone(),
                confirmation_code: code.into(),
                password: new_password.into(),
            })
            .await;
        match sent {
            Ok(_) => Ok(()),
            Err(e) => Err(Refusals::reject(self, "ConfirmForgotPassword", e, |s| {
                &mut s.refusals
            })),
        }
    }

    /// Sends a new code (`ForgotPassword` again).
    pub async fn resend_code(&mut self) -> Result<Option<&CodeDelivery>, Error> {
        let sent = send_code(&self.client, "ForgotPassword", &self.username).await?;
        Ok(newest_delivery(&mut self.delivery, sent))
    }
}
