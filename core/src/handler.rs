//! Handler-driven sign-in: say how each challenge is answered, let the library drive.
//!
//! Most applications do not want to write the `match` loop of a sign-in by hand. They
//! implement [`Handle<C>`] once per challenge `C` their flows can produce, and
//! [`Client::sign_in`] runs a flow to tokens by calling them:
//!
//! ```no_run
//! use cognito_typestate::challenges::{NewPassword, NewPasswordRequired, SoftwareTokenMfa, SoftwareTokenMfaCode};
//! use cognito_typestate::handler::{Handle, Handler, SignInError};
//! use cognito_typestate::{Client, Pending, Tokens};
//! # use cognito_typestate::challenges::*;
//! # use cognito_typestate::handler::*;
//!
//! /// Answers challenges by asking at the terminal.
//! struct Terminal;
//!
//! /// The user closed the prompt.
//! #[derive(Debug)]
//! struct Cancelled;
//!
//! impl Handler for Terminal {
//!     type Error = Cancelled;
//! }
//!
//! impl Handle<NewPasswordRequired> for Terminal {
//!     async fn answer(&mut self, pending: &Pending<NewPasswordRequired>) -> Result<NewPassword, Cancelled> {
//!         let mut answer = NewPassword::new(ask("new password")?);
//!         for attribute in pending.challenge().required_attributes() {
//!             answer = answer.attribute(attribute, ask(attribute)?);
//!         }
//!         Ok(answer)
//!     }
//! }
//!
//! impl Handle<SoftwareTokenMfa> for Terminal {
//!     async fn answer(&mut self, _: &Pending<SoftwareTokenMfa>) -> Result<SoftwareTokenMfaCode, Cancelled> {
//!         Ok(SoftwareTokenMfaCode::new(ask("authenticator code")?))
//!     }
//! }
//! # impl Handle<SmsMfa> for Terminal { async fn answer(&mut self, _: &Pending<SmsMfa>) -> Result<SmsMfaCode, Cancelled> { Err(Cancelled) } }
//! # impl Handle<EmailOtp> for Terminal { async fn answer(&mut self, _: &Pending<EmailOtp>) -> Result<EmailOtpCode, Cancelled> { Err(Cancelled) } }
//! # impl Handle<SelectMfaType> for Terminal { async fn answer(&mut self, _: &Pending<SelectMfaType>) -> Result<MfaSelection, Cancelled> { Err(Cancelled) } }
//! # impl Handle<MfaSetup> for Terminal { async fn answer(&mut self, _: &Pending<MfaSetup>) -> Result<MfaSetupChoice, Cancelled> { Err(Cancelled) } }
//! # impl Handle<SoftwareTokenSetup> for Terminal { async fn answer(&mut self, _: &TotpSetup) -> Result<TotpVerification, Cancelled> { Err(Cancelled) } }
//! // ...and one `impl Handle<_>` for every other challenge the flow can reach: leave
//! // one out and `sign_in` does not compile, naming the missing challenge.
//!
//! # fn ask(_: &str) -> Result<String, Cancelled> { Err(Cancelled) }
//! async fn sign_in(client: &Client, password: String) -> Result<Tokens, SignInError<Cancelled>> {
//!     let flow = cognito_typestate::flows::UserSrpAuth::new("alice", password);
//!     client.sign_in(flow, &mut Terminal).await
//! }
//! ```
//!
//! Which challenges need a handler is read from the outcome types (the same graph
//! [`crate::graph`] draws): `USER_PASSWORD_AUTH` needs none of the passwordless ones,
//! `CUSTOM_AUTH` needs one for its custom challenge. The checks follow the graph up to
//! 32 steps from the start, far more than any flow's longest chain of distinct
//! challenges.
//!
//! The library answers some challenges itself and needs no handler for them:
//! `PASSWORD_VERIFIER` (from the password), `DEVICE_SRP_AUTH` and
//! `DEVICE_PASSWORD_VERIFIER` (from the credentials given to the flow's `.device(...)`).
//!
//! Handlers see the challenge's typed parameters through the [`Pending<C>`] they are
//! given, can fail with their own error type ([`SignInError::Handler`]), and serve any
//! number of flows. Challenges an application declares with `#[derive(Challenge)]` plug
//! in the same way: implement `Handle<YourChallenge>`.

use std::future::Future;

use crate::__private::{Erase, Erased, MaxDepth, Reach, Table};
use crate::challenge::Challenge;
use crate::challenges::{
    AfterMfaSetup, AfterPassword, DevicePasswordVerifier, DeviceSrpAuth, EmailMfaSetup,
    FirstFactorChoice, FirstFactorOutcome, MfaSetup, PasswordAnswer, PasswordSrp, PasswordVerifier,
    SelectChallenge, TotpSetup,
};
use crate::client::Client;
use crate::error::{Error, UnexpectedChallenge};
use crate::flows::Flow;
use crate::transport::BoxFuture;
use crate::{Pending, Secret, Tokens};

/// An application's set of challenge handlers: one [`Handle<C>`] impl per challenge.
pub trait Handler: Send {
    /// Why a handler gave up (the user cancelled, a prompt failed). Use
    /// [`std::convert::Infallible`] for handlers that cannot fail.
    type Error: Send;
}

/// Something the driver asks a handler: what the handler is shown and what it answers.
///
/// `#[derive(Challenge)]` implements it: a challenge `C` shows the handler its
/// `Pending<C>` and takes `C::Response`. A few built-in steps differ, see
/// [`MfaSetup`], [`SoftwareTokenSetup`], [`PasswordSrp`] and [`SelectChallenge`].
pub trait Prompt: Send + Sync + 'static {
    /// What the handler is shown.
    type Input: Send + Sync;
    /// What the handler answers with.
    type Answer: Send;
}

/// How `Self` answers the prompt `P`: one async method.
///
/// A handler set that lacks a challenge the flow can reach does not compile:
///
/// ```compile_fail
/// # use cognito_typestate::{Client, flows::UserSrpAuth, handler::Handler};
/// struct NoHandlers;
/// impl Handler for NoHandlers {
///     type Error = std::convert::Infallible;
/// }
/// # async fn f(client: &Client) {
/// // error: `NoHandlers` has no handler for `NewPasswordRequired`, which this sign-in can reach
/// client.sign_in(UserSrpAuth::new("alice", "pw"), &mut NoHandlers).await;
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no handler for `{P}`, which this sign-in can reach",
    label = "`{Self}` cannot answer `{P}`",
    note = "add `impl Handle<{P}> for {Self}` with `async fn answer(&mut self, ...) -> Result<..., Self::Error>`"
)]
pub trait Handle<P: Prompt>: Handler {
    /// Answers the prompt, or gives up with the handler's error.
    fn answer(
        &mut self,
        input: &P::Input,
    ) -> impl Future<Output = Result<P::Answer, Self::Error>> + Send;
}

/// How the driver answers challenge `Self` with handler `H`, and what may follow.
///
/// `#[derive(Challenge)]` implements it for every `H: Handle<Self>`: ask the handler,
/// send its answer, read `Self::Next`. Implement it by hand (with
/// `#[challenge(..., handler = manual)]`) for a challenge whose answer takes more than
/// one call.
#[diagnostic::on_unimplemented(
    message = "the driver cannot answer `{Self}` with `{H}`",
    label = "no `Drive<{H}>` for this challenge",
    note = "`#[derive(Challenge)]` provides it for every handler that implements `Handle<{Self}>`"
)]
pub trait Drive<H: Handler>: Challenge {
    /// What may follow the answer: an [`Outcome`](crate::Outcome) (the derive uses `Self::Next`).
    type Then;

    /// Answers the challenge, asking `handler` where needed.
    fn drive(
        pending: Pending<Self>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<Self::Then, SignInError<H::Error>>>;
}

/// Asks `handler` to answer `input`; its refusal ends the sign-in.
pub(crate) async fn ask<P: Prompt, H: Handle<P>>(
    handler: &mut H,
    input: &P::Input,
) -> Result<P::Answer, SignInError<H::Error>> {
    handler.answer(input).await.map_err(SignInError::Handler)
}

/// Why a handler-driven sign-in ended without tokens.
#[derive(Debug, thiserror::Error)]
pub enum SignInError<E> {
    /// A handler gave up.
    #[error("a challenge handler gave up: {0}")]
    Handler(E),
    /// The service, the transport or the protocol failed.
    #[error(transparent)]
    Cognito(#[from] Error),
}

impl<E> SignInError<E> {
    /// The library's error, if the sign-in did not stop in a handler.
    pub fn cognito(&self) -> Option<&Error> {
        match self {
            Self::Cognito(e) => Some(e),
            Self::Handler(_) => None,
        }
    }
}

/// A state the driver can run to tokens with handler `H`: a flow's outcome, a
/// [`Pending<C>`], or [`Tokens`]. Implemented for every type whose reachable
/// challenges all have a handler in `H`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be driven by `{H}`",
    label = "some challenge reachable from here has no handler in `{H}`"
)]
pub trait HandledBy<H: Handler>: Erase + Send {
    /// Registers the typed entry of every reachable challenge.
    #[doc(hidden)]
    fn __register(table: &mut Table<H>);
}

impl<T, H> HandledBy<H> for T
where
    H: Handler,
    T: Reach<H, MaxDepth> + Erase + Send,
{
    fn __register(table: &mut Table<H>) {
        T::register(table);
    }
}

/// Runs `state` to tokens, asking `handler` for every answer.
///
/// `state` is a flow's outcome (see [`Client::sign_in`] to start a flow), or a
/// [`Pending<C>`] resumed from storage.
pub fn drive<S, H>(
    state: S,
    handler: &mut H,
) -> BoxFuture<'_, Result<Tokens, SignInError<H::Error>>>
where
    S: HandledBy<H>,
    H: Handler,
{
    let mut table = Table::new();
    S::__register(&mut table);
    Box::pin(run(table, state.erase(), handler))
}

/// The driver's loop, over erased states: one typed entry call per challenge.
async fn run<H: Handler>(
    table: Table<H>,
    mut state: Erased,
    handler: &mut H,
) -> Result<Tokens, SignInError<H::Error>> {
    loop {
        state = match state {
            Erased::Tokens(tokens) => return Ok(tokens),
            Erased::Pending { pending, name } => {
                let Some(entry) = table.entry(&*pending) else {
                    // Only a chain of more than 32 distinct challenges gets here.
                    return Err(Error::Config(format!(
                        "no handler registered for `{name}`: it is more steps from the start than the handler check follows"
                    ))
                    .into());
                };
                entry(pending, handler).await?
            }
        };
    }
}

impl Client {
    /// Runs `flow` to tokens, asking `handler` to answer each challenge.
    ///
    /// `handler` must implement [`Handle<C>`] for every challenge `C` the flow can
    /// reach, or this does not compile; see [`crate::handler`].
    pub fn sign_in<'a, F, H>(
        &'a self,
        flow: F,
        handler: &'a mut H,
    ) -> BoxFuture<'a, Result<Tokens, SignInError<H::Error>>>
    where
        F: Flow + 'a,
        F::Outcome: HandledBy<H>,
        H: Handler,
    {
        // A named future type (not `impl Future`) keeps a missing handler to one error.
        Box::pin(async move {
            let first = self.initiate(flow).await?;
            drive(first, handler).await
        })
    }
}

// ---------------------------------------------------------------------------------
// Built-in steps whose answer is more than one `RespondToAuthChallenge`

/// How to set up a second factor when the service asks `MFA_SETUP`.
#[derive(Debug, Clone)]
pub enum MfaSetupChoice {
    /// An authenticator app: the driver calls `AssociateSoftwareToken` and asks
    /// `Handle<SoftwareTokenSetup>` for the first code.
    SoftwareToken,
    /// E-mail codes to this address (from [`MfaSetup::email`]).
    Email(EmailMfaSetup),
}

/// The authenticator-app part of `MFA_SETUP`: the handler is shown the new TOTP secret
/// (and its `otpauth://` URI, for a QR code) and answers with the app's first code.
#[derive(Debug, Clone, Copy)]
pub enum SoftwareTokenSetup {}

impl Prompt for SoftwareTokenSetup {
    type Input = TotpSetup;
    type Answer = TotpVerification;
}

/// The first code of a newly set-up authenticator app.
#[derive(Debug, Clone)]
pub struct TotpVerification {
    code: Secret,
    friendly_device_name: Option<String>,
}

impl TotpVerification {
    /// The code the app shows.
    pub fn new(code: impl Into<Secret>) -> Self {
        Self {
            code: code.into(),
            friendly_device_name: None,
        }
    }

    /// A name for the app, shown in the user's MFA settings.
    #[must_use]
    pub fn friendly_device_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_device_name = Some(name.into());
        self
    }
}

impl Prompt for MfaSetup {
    type Input = Pending<MfaSetup>;
    type Answer = MfaSetupChoice;
}

impl<H> Drive<H> for MfaSetup
where
    H: Handle<MfaSetup> + Handle<SoftwareTokenSetup>,
{
    type Then = AfterMfaSetup;

    fn drive(
        pending: Pending<Self>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<AfterMfaSetup, SignInError<H::Error>>> {
        Box::pin(async move {
            let choice = ask::<MfaSetup, H>(handler, &pending).await?;
            match choice {
                MfaSetupChoice::Email(answer) => Ok(pending.respond(answer).await?),
                MfaSetupChoice::SoftwareToken => {
                    let setup = pending.associate_software_token().await?;
                    let verification = ask::<SoftwareTokenSetup, H>(handler, &setup).await?;
                    Ok(setup
                        .verify(
                            verification.code,
                            verification.friendly_device_name.as_deref(),
                        )
                        .await?)
                }
            }
        })
    }
}

/// `PASSWORD_SRP` is answered with the password; the driver runs SRP and answers the
/// `PASSWORD_VERIFIER` that follows.
impl Prompt for PasswordSrp {
    type Input = Pending<PasswordSrp>;
    type Answer = PasswordAnswer;
}

impl<H: Handle<PasswordSrp>> Drive<H> for PasswordSrp {
    type Then = AfterPassword;

    fn drive(
        pending: Pending<Self>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<AfterPassword, SignInError<H::Error>>> {
        Box::pin(async move {
            let answer = ask(handler, &pending).await?;
            Ok(pending
                .respond_with_password(answer.into_password())
                .await?)
        })
    }
}

/// A first factor chosen at `SELECT_CHALLENGE`.
#[derive(Debug, Clone)]
pub enum FirstFactorAnswer {
    /// A choice sent as it is (from [`SelectChallenge::password`],
    /// [`SelectChallenge::email_otp`], ...).
    Choice(FirstFactorChoice),
    /// `PASSWORD_SRP`: the driver proves this password with SRP.
    PasswordSrp(Secret),
}

impl From<FirstFactorChoice> for FirstFactorAnswer {
    fn from(choice: FirstFactorChoice) -> Self {
        Self::Choice(choice)
    }
}

impl Prompt for SelectChallenge {
    type Input = Pending<SelectChallenge>;
    type Answer = FirstFactorAnswer;
}

impl<H: Handle<SelectChallenge>> Drive<H> for SelectChallenge {
    type Then = FirstFactorOutcome;

    fn drive(
        pending: Pending<Self>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<FirstFactorOutcome, SignInError<H::Error>>> {
        Box::pin(async move {
            let answer = ask(handler, &pending).await?;
            Ok(match answer {
                FirstFactorAnswer::Choice(choice) => pending.respond(choice).await?,
                FirstFactorAnswer::PasswordSrp(password) => {
                    pending.password_srp(password).await?.into()
                }
            })
        })
    }
}

/// `DEVICE_SRP_AUTH` is answered with the device credentials given to the flow
/// (`.device(credentials)`), before the driver sees it. It reaches the driver only when
/// the flow had a device key without credentials, which is an error.
impl Prompt for DeviceSrpAuth {
    type Input = Pending<DeviceSrpAuth>;
    type Answer = std::convert::Infallible;
}

impl<H: Handler> Drive<H> for DeviceSrpAuth {
    type Then = Tokens;

    fn drive(_: Pending<Self>, _: &mut H) -> BoxFuture<'_, Result<Tokens, SignInError<H::Error>>> {
        Box::pin(async {
            Err(Error::Config(
                "the service asked DEVICE_SRP_AUTH: give the flow the device's credentials with `.device(credentials)`, not only its key".into(),
            )
            .into())
        })
    }
}

/// The verifier steps are answered inside the library's SRP exchanges (the flows that
/// start SRP, `PASSWORD_SRP`, `DEVICE_SRP_AUTH`); one that reaches the driver was not
/// started by this client and cannot be answered.
macro_rules! answered_inside_srp {
    ($($challenge:ty),*) => {$(
        impl Prompt for $challenge {
            type Input = Pending<$challenge>;
            type Answer = std::convert::Infallible;
        }

        impl<H: Handler> Drive<H> for $challenge {
            type Then = Tokens;

            fn drive(
                pending: Pending<Self>,
                _: &mut H,
            ) -> BoxFuture<'_, Result<Tokens, SignInError<H::Error>>> {
                Box::pin(async move { Err(unanswerable(&pending).into()) })
            }
        }
    )*};
}

answered_inside_srp!(PasswordVerifier, DevicePasswordVerifier);

/// An SRP verifier step this client did not start: reported as unexpected.
fn unanswerable<C: Challenge>(pending: &Pending<C>) -> Error {
    Error::UnexpectedChallenge(Box::new(UnexpectedChallenge {
        name: C::NAME.to_owned(),
        parameters: pending.parameters().clone(),
        available_challenges: Vec::new(),
        session: None,
        expected: Vec::new(),
    }))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::challenges::*;
    use crate::flows::{CustomAuth, UserAuth, UserAuthSrp, UserPasswordAuth, UserSrpAuth};
    use crate::graph::{FlowGraph, TOKENS};

    /// A handler for every built-in prompt, answering none.
    struct Everything;

    impl Handler for Everything {
        type Error = ();
    }

    macro_rules! refuse {
        ($($prompt:ty),*) => {$(
            impl Handle<$prompt> for Everything {
                async fn answer(
                    &mut self,
                    _: &<$prompt as Prompt>::Input,
                ) -> Result<<$prompt as Prompt>::Answer, ()> {
                    Err(())
                }
            }
        )*};
    }

    refuse!(
        NewPasswordRequired,
        SmsMfa,
        SoftwareTokenMfa,
        EmailOtp,
        SmsOtp,
        SelectMfaType,
        MfaSetup,
        SoftwareTokenSetup,
        Password,
        PasswordSrp,
        SelectChallenge,
        WebAuthn,
        CustomChallenge
    );

    fn registered<F: Flow>() -> BTreeSet<&'static str>
    where
        F::Outcome: HandledBy<Everything>,
    {
        let mut table = Table::new();
        <F::Outcome as HandledBy<Everything>>::__register(&mut table);
        table.names().collect()
    }

    fn drawn<F: Flow>() -> BTreeSet<String> {
        FlowGraph::of_flow::<F>()
            .edges()
            .map(|(_, to)| to.to_owned())
            .filter(|to| to != TOKENS)
            .collect()
    }

    /// The driver's entries cover exactly the graph the diagrams draw, but for the
    /// device verifier, which the library answers inside `DEVICE_SRP_AUTH`.
    #[test]
    fn registered_entries_are_the_drawn_graph() {
        fn check<F: Flow>()
        where
            F::Outcome: HandledBy<Everything>,
        {
            let mut expected = drawn::<F>();
            expected.remove("DEVICE_PASSWORD_VERIFIER");
            let registered: BTreeSet<String> =
                registered::<F>().into_iter().map(str::to_owned).collect();
            assert_eq!(registered, expected, "{}", F::AUTH_FLOW);
        }
        check::<UserSrpAuth>();
        check::<UserPasswordAuth>();
        check::<UserAuthSrp>();
        check::<UserAuth>();
        check::<CustomAuth>();
    }

    #[test]
    fn a_challenge_seen_again_with_more_budget_is_walked_again() {
        let mut table = Table::<Everything>::new();
        assert!(table.insert::<SmsMfa>(3));
        assert!(!table.insert::<SmsMfa>(2));
        assert!(!table.insert::<SmsMfa>(3));
        assert!(table.insert::<SmsMfa>(5));
        assert!(table.insert::<EmailOtp>(1));
        assert_eq!(table.names().collect::<Vec<_>>(), ["SMS_MFA", "EMAIL_OTP"]);
    }
}
