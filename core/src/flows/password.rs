//! The password flows: `USER_PASSWORD_AUTH` and `USER_SRP_AUTH`.

use std::marker::PhantomData;

use super::{Flow, Options, initiate, sealed};
use crate::challenge::Within;
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
pub struct UserPasswordAuth<O = AfterPassword> {
    username: String,
    password: Secret,
    pub(super) options: Options,
    outcome: PhantomData<fn() -> O>,
}

impl UserPasswordAuth {
    /// Signs `username` (or an alias) in with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            options: Options::default(),
            outcome: PhantomData,
        }
    }
}

impl<O> UserPasswordAuth<O> {
    /// Reads the service's answers as `O`, an outcome that lists only the states the
    /// application's pool can produce (see [`Within`]); a state `O` leaves out is an
    /// [`Error::UnexpectedChallenge`](crate::Error::UnexpectedChallenge).
    pub fn outcome<N: Within<AfterPassword>>(self) -> UserPasswordAuth<N> {
        UserPasswordAuth {
            username: self.username,
            password: self.password,
            options: self.options,
            outcome: PhantomData,
        }
    }
}

impl<O> sealed::Sealed for UserPasswordAuth<O> {}

impl<O: Within<AfterPassword>> Flow for UserPasswordAuth<O> {
    const AUTH_FLOW: &'static str = "USER_PASSWORD_AUTH";
    type Outcome = O;

    async fn start(self, client: &Connection) -> Result<O, Error> {
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
pub struct UserSrpAuth<O = AfterPassword> {
    username: String,
    password: Secret,
    ephemeral: Option<SrpEphemeral>,
    pub(super) options: Options,
    outcome: PhantomData<fn() -> O>,
}

impl UserSrpAuth {
    /// Signs `username` (or an alias) in with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            ephemeral: None,
            options: Options::default(),
            outcome: PhantomData,
        }
    }
}

impl<O> UserSrpAuth<O> {
    /// Reads the service's answers as `O`, an outcome that lists only the states the
    /// application's pool can produce (see [`Within`]); a state `O` leaves out is an
    /// [`Error::UnexpectedChallenge`](crate::Error::UnexpectedChallenge).
    ///
    /// ```
    /// use cognito_typestate::flows::UserSrpAuth;
    /// use cognito_typestate::{Outcome, Pending, Tokens, challenges::NewPasswordRequired};
    ///
    /// /// A pool without MFA: a password sign-in ends in tokens or a new password.
    /// #[derive(Debug, Outcome)]
    /// enum NoMfa {
    ///     Authenticated(Tokens),
    ///     NewPasswordRequired(Pending<NewPasswordRequired>),
    /// }
    ///
    /// let flow = UserSrpAuth::new("alice", "correct horse").outcome::<NoMfa>();
    /// # let _ = flow;
    /// ```
    pub fn outcome<N: Within<AfterPassword>>(self) -> UserSrpAuth<N> {
        UserSrpAuth {
            username: self.username,
            password: self.password,
            ephemeral: self.ephemeral,
            options: self.options,
            outcome: PhantomData,
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

impl<O> sealed::Sealed for UserSrpAuth<O> {}

impl<O: Within<AfterPassword>> Flow for UserSrpAuth<O> {
    const AUTH_FLOW: &'static str = "USER_SRP_AUTH";
    type Outcome = O;

    async fn start(self, client: &Connection) -> Result<O, Error> {
        let ephemeral = take_or_generate(self.ephemeral)?;
        let context = self.options.context(&self.username);
        let start = SrpStart::new(&ephemeral);
        let next: AfterPasswordSrp =
            initiate(client, Self::AUTH_FLOW, &start, context, SendUsername::Yes).await?;
        after_srp_start(next, &ephemeral, &self.password).await
    }
}
