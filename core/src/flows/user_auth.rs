//! `USER_AUTH`: choice-based sign-in, and its `PASSWORD_SRP` shortcut.

use std::marker::PhantomData;

use super::params::Preferred;
use super::{Flow, Options, initiate, sealed};
use crate::challenge::Within;
use crate::challenges::{
    AfterPassword, AfterPasswordSrp, FirstFactor, FirstFactorOutcome, PasswordAnswer, SrpStart,
};
use crate::connection::{Connection, SendUsername};
use crate::error::Error;
use crate::secret::Secret;
use crate::srp::SrpEphemeral;
use crate::steps::srp::after_srp_start;

/// `USER_AUTH` (choice-based sign-in): passwordless codes, passkeys or the password.
///
/// Without a preference the service answers `SELECT_CHALLENGE` with the factors the
/// user has; with one it asks for that factor directly.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../../docs/flows/user_auth.mmd"), "```")]
#[derive(Debug)]
pub struct UserAuth<O = FirstFactorOutcome> {
    username: String,
    preferred: Option<FirstFactor>,
    password: Option<Secret>,
    pub(super) options: Options,
    outcome: PhantomData<fn() -> O>,
}

impl UserAuth {
    /// Starts `USER_AUTH` for `username` with no preferred factor.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            preferred: None,
            password: None,
            options: Options::default(),
            outcome: PhantomData,
        }
    }

    /// Starts `USER_AUTH` preferring the password, sent along right away.
    pub fn with_password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            preferred: Some(FirstFactor::Password),
            password: Some(password.into()),
            ..Self::new(username)
        }
    }

    /// Prefers a factor that needs nothing up front (`EMAIL_OTP`, `SMS_OTP`,
    /// `WEB_AUTHN`). For the password use [`Self::with_password`] or [`UserAuthSrp`].
    #[must_use]
    pub fn prefer(mut self, factor: FirstFactor) -> Self {
        self.preferred = Some(factor);
        self
    }
}

impl<O> UserAuth<O> {
    /// Reads the service's answers as `O`, an outcome that lists only the states the
    /// application's pool can produce (see [`Within`]); a state `O` leaves out is an
    /// [`Error::UnexpectedChallenge`](crate::Error::UnexpectedChallenge).
    pub fn outcome<N: Within<FirstFactorOutcome>>(self) -> UserAuth<N> {
        UserAuth {
            username: self.username,
            preferred: self.preferred,
            password: self.password,
            options: self.options,
            outcome: PhantomData,
        }
    }
}

impl<O> sealed::Sealed for UserAuth<O> {}

impl<O: Within<FirstFactorOutcome>> Flow for UserAuth<O> {
    const AUTH_FLOW: &'static str = "USER_AUTH";
    type Outcome = O;

    async fn start(self, client: &Connection) -> Result<O, Error> {
        let context = self.options.context(&self.username);
        let parameters = (
            Preferred::new(self.preferred),
            self.password.map(PasswordAnswer::new),
        );
        initiate(
            client,
            Self::AUTH_FLOW,
            &parameters,
            context,
            SendUsername::Yes,
        )
        .await
    }
}

/// `USER_AUTH` preferring `PASSWORD_SRP`: the password is proven with SRP and the
/// `PASSWORD_VERIFIER` step is answered for you.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../../docs/flows/user_auth_srp.mmd"), "```")]
#[derive(Debug)]
pub struct UserAuthSrp<O = AfterPassword> {
    username: String,
    password: Secret,
    pub(super) options: Options,
    outcome: PhantomData<fn() -> O>,
}

impl UserAuthSrp {
    /// Signs `username` in with `password` through SRP.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            options: Options::default(),
            outcome: PhantomData,
        }
    }
}

impl<O> UserAuthSrp<O> {
    /// Reads the service's answers as `O`, an outcome that lists only the states the
    /// application's pool can produce (see [`Within`]); a state `O` leaves out is an
    /// [`Error::UnexpectedChallenge`](crate::Error::UnexpectedChallenge).
    pub fn outcome<N: Within<AfterPassword>>(self) -> UserAuthSrp<N> {
        UserAuthSrp {
            username: self.username,
            password: self.password,
            options: self.options,
            outcome: PhantomData,
        }
    }
}

impl<O> sealed::Sealed for UserAuthSrp<O> {}

impl<O: Within<AfterPassword>> Flow for UserAuthSrp<O> {
    const AUTH_FLOW: &'static str = "USER_AUTH";
    type Outcome = O;

    async fn start(self, client: &Connection) -> Result<O, Error> {
        let ephemeral = SrpEphemeral::generate()?;
        let context = self.options.context(&self.username);
        let parameters = (
            Preferred::new(Some(FirstFactor::PasswordSrp)),
            SrpStart::new(&ephemeral),
        );
        let next: AfterPasswordSrp = initiate(
            client,
            Self::AUTH_FLOW,
            &parameters,
            context,
            SendUsername::Yes,
        )
        .await?;
        after_srp_start(next, &ephemeral, &self.password).await
    }
}
