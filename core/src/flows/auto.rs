//! The auto sign-in after a confirmed sign-up: `USER_AUTH` with the sign-up's session,
//! where the confirmation code counted as the first factor.

use std::marker::PhantomData;

use super::{Flow, Options, initiate_in, sealed};
use crate::account::ConfirmedAccount;
use crate::challenge::Within;
use crate::challenges::FirstFactorOutcome;
use crate::connection::{Connection, SendUsername};
use crate::error::Error;
use crate::secret::Secret;

/// `USER_AUTH` continuing a confirmed sign-up's session: no password is asked again.
///
/// It exists only for a [`ConfirmedAccount`] whose sign-up returned a session, and takes
/// the account, so the session is used once. What follows is typed like `USER_AUTH`:
/// tokens, or whatever else the pool asks (MFA, a factor choice).
#[derive(Debug)]
pub struct AutoSignIn<O = FirstFactorOutcome> {
    username: String,
    session: Secret,
    pub(super) options: Options,
    outcome: PhantomData<fn() -> O>,
}

impl AutoSignIn {
    /// The auto sign-in of `account`, when its sign-up returned a session (the app client
    /// allows `USER_AUTH`); `None` otherwise: sign in with a flow as usual.
    pub fn after(account: ConfirmedAccount) -> Option<Self> {
        let (username, session) = account.into_session()?;
        Some(Self {
            username,
            session,
            options: Options::default(),
            outcome: PhantomData,
        })
    }
}

impl<O> AutoSignIn<O> {
    /// Reads the service's answers as `O` (see [`Within`]).
    pub fn outcome<N: Within<FirstFactorOutcome>>(self) -> AutoSignIn<N> {
        AutoSignIn {
            username: self.username,
            session: self.session,
            options: self.options,
            outcome: PhantomData,
        }
    }
}

impl<O> sealed::Sealed for AutoSignIn<O> {}

impl<O: Within<FirstFactorOutcome>> Flow for AutoSignIn<O> {
    const AUTH_FLOW: &'static str = "USER_AUTH";
    type Outcome = O;

    async fn start(self, client: &Connection) -> Result<O, Error> {
        let context = self.options.context(&self.username);
        let session = Some(self.session);
        initiate_in(
            client,
            Self::AUTH_FLOW,
            &(),
            context,
            SendUsername::Yes,
            session,
        )
        .await
    }
}
