//! The password flows: `USER_PASSWORD_AUTH` and `USER_SRP_AUTH`.

use super::{Flow, Options, initiate, sealed};
use crate::challenges::{AfterPassword, AfterPasswordSrp, PasswordAnswer, SrpStart};
use crate::connection::{Connection, SendUsername};
use crate::error::Error;
use crate::secret::Secret;
use crate::srp::SrpEphemeral;
use crate::steps::srp::{after_srp_start, take_or_generate};

/// `USER_PASSWORD_AUTH`: the password is sent to the service (over TLS).
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../../docs/flows/user_password_auth.mmd"), "```")]
#[derive(Debug)]
pub struct UserPasswordAuth {
    username: String,
    password: Secret,
    pub(super) options: Options,
}

impl UserPasswordAuth {
    /// Signs `username` (or an alias) in with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            options: Options::default(),
        }
    }
}

impl sealed::Sealed for UserPasswordAuth {}

impl Flow for UserPasswordAuth {
    const AUTH_FLOW: &'static str = "USER_PASSWORD_AUTH";
    type Outcome = AfterPassword;

    async fn start(self, client: &Connection) -> Result<AfterPassword, Error> {
        let context = self.options.context(&self.username);
        let password = PasswordAnswer::new(self.password);
        initiate(
            client,
            Self::AUTH_FLOW,
            &password,
            context,
            SendUsername::Yes,
        )
        .await
    }
}

/// `USER_SRP_AUTH`: the password never leaves the process; the library answers the
/// `PASSWORD_VERIFIER` challenge with SRP. The client needs the user pool id.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../../docs/flows/user_srp_auth.mmd"), "```")]
#[derive(Debug)]
pub struct UserSrpAuth {
    username: String,
    password: Secret,
    ephemeral: Option<SrpEphemeral>,
    pub(super) options: Options,
}

impl UserSrpAuth {
    /// Signs `username` (or an alias) in with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            ephemeral: None,
            options: Options::default(),
        }
    }

    /// Uses an ephemeral computed ahead of time (e.g. while the user typed), which
    /// takes the computation of `A` off the sign-in's critical path.
    #[must_use]
    pub fn ephemeral(mut self, ephemeral: SrpEphemeral) -> Self {
        self.ephemeral = Some(ephemeral);
        self
    }
}

impl sealed::Sealed for UserSrpAuth {}

impl Flow for UserSrpAuth {
    const AUTH_FLOW: &'static str = "USER_SRP_AUTH";
    type Outcome = AfterPassword;

    async fn start(self, client: &Connection) -> Result<AfterPassword, Error> {
        let ephemeral = take_or_generate(self.ephemeral)?;
        let context = self.options.context(&self.username);
        let start = SrpStart::new(&ephemeral);
        let next: AfterPasswordSrp =
            initiate(client, Self::AUTH_FLOW, &start, context, SendUsername::Yes).await?;
        after_srp_start(next, &ephemeral, &self.password).await
    }
}
