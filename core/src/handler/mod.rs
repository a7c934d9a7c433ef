//! Handler-driven sign-in: say how each challenge is answered, let the library drive.
//!
//! Most applications do not want to write the `match` loop of a sign-in by hand. They
//! implement [`Handle<C>`] once per challenge `C` their flows can produce, and
//! [`Client::sign_in`](crate::Client::sign_in) runs a flow to tokens by calling them:
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

use crate::challenge::{Accepts, Challenge, Erased};
use crate::error::{ConfigError, Error, ProtocolError};
use crate::pending::Pending;
use crate::retry::Rejected;
use crate::tokens::Tokens;
use crate::transport::BoxFuture;

mod account;
mod builtin;
pub(crate) mod engine;

pub use account::{ResetAnswer, ResetCode, SignUpCode, confirm_sign_up, reset_password};
pub use builtin::{FirstFactorAnswer, MfaSetupChoice, SoftwareTokenSetup, TotpVerification};
use engine::{Erase, MaxDepth, Reach, Table};

/// An application's set of challenge handlers: one [`Handle<C>`] impl per challenge.
pub trait Handler: Send {
    /// Why a handler gave up (the user cancelled, a prompt failed). Use
    /// [`std::convert::Infallible`] for handlers that cannot fail.
    type Error: Send;
}

/// Something the driver asks a handler: what the handler is shown and what it answers.
///
/// Every [`AskHandler`] challenge `C` (what `#[derive(Challenge)]` makes) has it: it
/// shows the handler its `Pending<C>` and takes `C::Response`. A few built-in steps differ, see
/// [`MfaSetup`](crate::challenges::MfaSetup), [`SoftwareTokenSetup`], [`PasswordSrp`](crate::challenges::PasswordSrp) and
/// [`SelectChallenge`](crate::challenges::SelectChallenge).
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
/// Every [`AskHandler`] challenge has it for every `H: Handle<Self>`: ask the handler,
/// send its answer, read `Self::Next`. Implement it by hand (with
/// `#[challenge(..., handler = manual)]`) for a challenge whose answer takes more than
/// one call.
#[diagnostic::on_unimplemented(
    message = "the driver cannot answer `{Self}` with `{H}`",
    label = "no `Drive<{H}>` for this challenge",
    note = "`#[derive(Challenge)]` (through `AskHandler`) provides it for every handler that implements `Handle<{Self}>`"
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

/// A challenge the handler-driven sign-in answers in one call: it shows the handler the
/// [`Pending<Self>`], sends the [`Challenge::Response`] it gets back and reads
/// [`Challenge::Next`]; when the service refuses the answer but keeps the challenge open
/// (a mistyped code), it asks again. That is [`Prompt`] and [`Drive`] for every handler
/// with a `Handle<Self>`.
///
/// `#[derive(Challenge)]` implements it unless told `handler = manual`; a challenge
/// whose [`Challenge`] impl is written by hand opts in with an empty impl:
///
/// ```
/// use cognito_typestate::challenge::{Challenge, Parameters};
/// use cognito_typestate::challenges::{AfterMfa, SmsMfaCode};
/// use cognito_typestate::ParameterError;
/// use cognito_typestate::handler::{AskHandler, Handle, Handler, SignInError};
/// use cognito_typestate::{Pending, Tokens};
///
/// /// `SMS_MFA` for an application that shows no delivery details.
/// struct TextedCode;
///
/// impl Challenge for TextedCode {
///     const NAME: &'static str = "SMS_MFA";
///     type Response = SmsMfaCode;
///     type Next = AfterMfa;
///
///     fn from_parameters(_: &Parameters<'_>) -> Result<Self, ParameterError> {
///         Ok(TextedCode)
///     }
/// }
///
/// impl AskHandler for TextedCode {}
///
/// // The handler-driven sign-in answers it like any derived challenge.
/// struct Phone;
///
/// impl Handler for Phone {
///     type Error = std::convert::Infallible;
/// }
///
/// impl Handle<TextedCode> for Phone {
///     async fn answer(&mut self, _: &Pending<TextedCode>) -> Result<SmsMfaCode, Self::Error> {
///         Ok(SmsMfaCode::new("123456"))
///     }
/// }
///
/// async fn finish(pending: Pending<TextedCode>) -> Result<Tokens, SignInError<std::convert::Infallible>> {
///     cognito_typestate::handler::drive(pending, &mut Phone).await
/// }
/// ```
pub trait AskHandler: Challenge {}

impl<C: AskHandler> Prompt for C {
    type Input = Pending<C>;
    type Answer = C::Response;
}

impl<C: AskHandler, H: Handle<C>> Drive<H> for C {
    type Then = C::Next;

    fn drive(
        pending: Pending<C>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<C::Next, SignInError<H::Error>>> {
        engine::respond_with_handler(pending, handler)
    }
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

impl<E, P> From<Rejected<P>> for SignInError<E> {
    fn from(rejected: Rejected<P>) -> Self {
        Self::Cognito(rejected.into())
    }
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
/// `state` is a flow's outcome (see [`Client::sign_in`](crate::Client::sign_in) to start a flow), or a
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
    for _ in 0..MAX_STEPS {
        let Erased {
            accepts,
            state: boxed,
        } = state;
        let challenge = match accepts {
            Accepts::Tokens => {
                return boxed
                    .downcast::<Tokens>()
                    .map(|tokens| *tokens)
                    .map_err(|_| Error::Internal("an erased `Tokens` held another type").into());
            }
            Accepts::Challenge(name) => name,
        };
        let Some(entry) = table.entry(&*boxed) else {
            // Only a chain of more than 32 distinct challenges gets here.
            return Err(Error::from(ConfigError::BeyondHandlerCheck { challenge }).into());
        };
        state = entry(boxed, handler).await?;
    }
    Err(Error::from(ProtocolError::StepBudget { steps: MAX_STEPS }).into())
}

/// The most challenges one handler-driven sign-in answers (retries of a refused answer
/// included): far more than any pool asks, few enough that a server answering every
/// answer with another challenge cannot keep a sign-in going.
pub const MAX_STEPS: usize = 50;
