//! `CUSTOM_AUTH`, with or without an SRP password check first.

use std::marker::PhantomData;

use super::params::StartWithSrp;
use super::{Flow, Options, initiate, sealed};
use crate::challenge::Outcome;
use crate::challenges::{AfterCustomChallenge, AfterPasswordSrp, SrpStart};
use crate::connection::{Connection, SendUsername};
use crate::error::Error;
use crate::secret::Secret;
use crate::srp::SrpEphemeral;
use crate::steps::srp::{after_srp_start, take_or_generate};

/// `CUSTOM_AUTH`: the pool's Lambda triggers decide the challenges.
///
/// `O` is the outcome the application's triggers can produce; by default
/// [`AfterCustomChallenge`], whose custom challenge reads its parameters as a map.
/// Declare a narrower or typed outcome with `#[derive(Outcome)]` and name it here.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../../docs/flows/custom_auth.mmd"), "```")]
#[derive(Debug)]
pub struct CustomAuth<O = AfterCustomChallenge> {
    username: String,
    srp: Option<(Secret, Option<SrpEphemeral>)>,
    pub(super) options: Options,
    outcome: PhantomData<fn() -> O>,
}

impl<O: Outcome> CustomAuth<O> {
    /// Starts custom authentication for `username`.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            srp: None,
            options: Options::default(),
            outcome: PhantomData,
        }
    }

    /// Starts custom authentication with an SRP password check first
    /// (`CHALLENGE_NAME = SRP_A`); the `PASSWORD_VERIFIER` step is answered for you.
    pub fn with_srp(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            srp: Some((password.into(), None)),
            ..Self::new(username)
        }
    }
}

impl<O> sealed::Sealed for CustomAuth<O> {}

impl<O: Outcome> Flow for CustomAuth<O> {
    const AUTH_FLOW: &'static str = "CUSTOM_AUTH";
    type Outcome = O;

    async fn start(self, client: &Connection) -> Result<O, Error> {
        let context = self.options.context(&self.username);
        let Some((password, ephemeral)) = self.srp else {
            return initiate(client, Self::AUTH_FLOW, &(), context, SendUsername::Yes).await;
        };
        let ephemeral = take_or_generate(ephemeral)?;
        let start = (StartWithSrp::new(), SrpStart::new(&ephemeral));
        let next: AfterPasswordSrp =
            initiate(client, Self::AUTH_FLOW, &start, context, SendUsername::Yes).await?;
        after_srp_start(next, &ephemeral, &password).await
    }
}
