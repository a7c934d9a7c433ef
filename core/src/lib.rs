//! Amazon Cognito user-pool sign-in where a wrong challenge answer does not compile.
//!
//! Cognito signs users in with a challenge–response protocol: `InitiateAuth` answers
//! with tokens or with a challenge (`SMS_MFA`, `NEW_PASSWORD_REQUIRED`, ...), and the
//! client answers each challenge with `RespondToAuthChallenge` until tokens come back.
//! Other SDKs type this as a string and two string maps. Here:
//!
//! 1. **Right answer or no build.** A [`Pending<C>`] is answered only with
//!    `C::Response`.
//! 2. **A session is used once.** [`Pending::respond`] takes `self`.
//! 3. **Every next step is handled.** Each call returns an [`Outcome`] enum with one
//!    variant per state the protocol allows next; `match` must cover them all.
//! 4. **The plumbing is never typed by hand.** `USERNAME` (the canonical one after
//!    SRP), `SECRET_HASH`, `DEVICE_KEY` and `Session` are threaded by the library, and
//!    `PASSWORD_VERIFIER` is answered from the password.
//! 5. **The server is not trusted to follow the graph.** A challenge the outcome does
//!    not allow, a malformed parameter or an unknown error code is a typed [`Error`].
//! 6. **Secrets do not leak.** Passwords, codes, sessions and tokens are [`Secret`]s.
//!
//! ```no_run
//! use cognito_typestate::challenges::{AfterNewPassword, AfterPassword, NewPassword, SoftwareTokenMfaCode};
//! use cognito_typestate::{Client, Error, Tokens, flows::UserSrpAuth};
//!
//! # fn ask(_: &str) -> String { String::new() }
//! async fn sign_in(client: &Client) -> Result<Tokens, Error> {
//!     let mut step = client.initiate(UserSrpAuth::new("alice", ask("password"))).await?;
//!     loop {
//!         step = match step {
//!             AfterPassword::Authenticated(tokens) => return Ok(tokens),
//!             AfterPassword::NewPasswordRequired(pending) => {
//!                 let mut answer = NewPassword::new(ask("new password"));
//!                 for attribute in pending.challenge().required_attributes() {
//!                     answer = answer.attribute(attribute, ask(attribute));
//!                 }
//!                 match pending.respond(answer).await? {
//!                     AfterNewPassword::Authenticated(tokens) => return Ok(tokens),
//!                     other => todo!("handle {other:?}"),
//!                 }
//!             }
//!             AfterPassword::SoftwareTokenMfa(pending) => {
//!                 let next = pending.respond(SoftwareTokenMfaCode::new(ask("code"))).await?;
//!                 todo!("handle {next:?}")
//!             }
//!             // ...one arm per state USER_SRP_AUTH can reach; a missing arm does not compile.
//!             other => todo!("handle {other:?}"),
//!         };
//!     }
//! }
//! ```
//!
//! A mistyped code, or a new password the pool's policy refuses, does not end the
//! sign-in: `respond` hands the same challenge back in [`Rejected::Retry`] (see
//! [`retry`] for which refusals keep which challenge open).
//!
//! ```no_run
//! use cognito_typestate::challenges::{AfterMfa, SoftwareTokenMfa, SoftwareTokenMfaCode};
//! use cognito_typestate::{Error, Pending, Rejected};
//!
//! # fn ask(_: &str) -> String { String::new() }
//! async fn totp(mut pending: Pending<SoftwareTokenMfa>) -> Result<AfterMfa, Error> {
//!     loop {
//!         match pending.respond(SoftwareTokenMfaCode::new(ask("code"))).await {
//!             Ok(next) => return Ok(next),
//!             Err(Rejected::Retry { pending: again, .. }) => pending = again,
//!             Err(Rejected::Failed(e)) => return Err(e),
//!         }
//!     }
//! }
//! ```
//!
//! An application lists only the states its pool produces: every password flow takes
//! its own outcome enum with `.outcome::<YourOutcome>()`.
//!
//! ```no_run
//! use cognito_typestate::{Client, Error, Outcome, Pending, Tokens, flows::UserSrpAuth};
//! use cognito_typestate::challenges::NewPasswordRequired;
//!
//! /// A pool without MFA.
//! #[derive(Debug, Outcome)]
//! enum NoMfa {
//!     Authenticated(Tokens),
//!     NewPasswordRequired(Pending<NewPasswordRequired>),
//! }
//!
//! async fn sign_in(client: &Client) -> Result<Option<Tokens>, Error> {
//!     Ok(match client.initiate(UserSrpAuth::new("alice", "pw").outcome::<NoMfa>()).await? {
//!         NoMfa::Authenticated(tokens) => Some(tokens),
//!         NoMfa::NewPasswordRequired(_) => None,
//!     })
//! }
//! ```
//!
//! Applications declare their own `CUSTOM_CHALLENGE` shapes and outcome enums with the
//! same derives the built-in challenges use: see [`Challenge`].
//!
//! Or let the library drive: implement [`handler::Handle<C>`] once per challenge and
//! call [`Client::sign_in`]; a handler set that lacks a challenge the flow can reach
//! does not compile. See [`handler`].
//!
//! # Tracing
//!
//! The library reports what it does as [`tracing`](https://docs.rs/tracing) spans; an
//! application sees them through any subscriber it installs. Their fields are names,
//! counts and fixed labels only: never a username, password, code, session, token or
//! service message.
//!
//! | span | level | fields |
//! |---|---|---|
//! | `cognito.sign_in` | INFO | `flow` (`USER_SRP_AUTH`, ...), `outcome`, `duration_ms`: one [`Client::sign_in`] |
//! | `cognito.initiate` | INFO | `flow`, `outcome`, `duration_ms`: the `InitiateAuth` of a flow |
//! | `cognito.respond` | INFO | `challenge` (`SMS_MFA`, ...), `attempt` (1, then 2 after a mistyped code, ...), `outcome`, `duration_ms`: one answer to a challenge |
//! | `cognito.call` | DEBUG | `operation` (`InitiateAuth`, `SignUp`, ...), `attempt` (how many times it was sent), `outcome`, `duration_ms`: one operation, resends included |
//!
//! `outcome` is `tokens`, the next challenge's name, `ok` (a call), the service's error
//! code when it is a known one (`CodeMismatchException`, ...), or what failed
//! (`transport error`, `protocol error`, `handler gave up`, ...). A resend is also a
//! DEBUG event, `sending again`, in its call's span.

// Every public item is documented; CI's `cargo doc` also denies broken links.
#![deny(missing_docs)]

#[cfg(all(
    feature = "reqwest",
    not(any(feature = "native-tls", feature = "rustls"))
))]
compile_error!(
    "cognito-typestate: the `reqwest` transport needs a TLS feature: `native-tls` (the default) or `rustls`"
);

// The derives expand to `::cognito_typestate::...`; this makes that path resolve here too.
extern crate self as cognito_typestate;

// ARCHITECTURE.md orders these modules in layers, bottom-up; each imports only from its
// own layer and the ones below (`scripts/check-layers.py` checks it).
pub mod account;
mod builder;
pub mod challenge;
pub mod challenges;
mod client;
mod connection;
mod error;
pub mod flows;
pub mod graph;
pub mod handler;
mod pending;
mod resend;
pub mod retry;
mod secret;
mod secret_hash;
pub mod srp;
mod steps;
pub mod store;
mod tokens;
pub mod transport;
pub mod webauthn;
mod wire;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use builder::{BuildError, ClientBuilder, region_endpoint};
pub use challenge::{Challenge, ChallengeResponse, Outcome};
pub use client::Client;
pub use error::{
    ConfigError, Error, ParameterError, ProtocolError, ServiceError, ServiceErrorKind,
    TransportError, TransportErrorKind, UnexpectedChallenge,
};
pub use pending::{Detached, Pending};
pub use retry::Rejected;
pub use secret::Secret;
pub use secret_hash::secret_hash;
pub use steps::device;
pub use steps::device::{DeviceCredentials, RememberedDevice};
pub use tokens::Tokens;
#[cfg(feature = "reqwest")]
pub use transport::ReqwestTransport;
pub use transport::{BoxFuture, HttpRequest, HttpResponse, Transport};

/// Derives [`Challenge`]: `#[challenge(name = "...", response = Type, next = Type)]`
/// on a struct with one `#[param("KEY")]` per field.
///
/// Field options: `json` reads a JSON-in-string value with serde; `default` uses
/// `Default` when the key is absent (an `Option` field is `None` instead);
/// `#[param(rest)]` collects every other parameter into a map;
/// `#[param(available_challenges)]` reads the top-level `AvailableChallenges`. Other
/// fields are read with `FromStr`.
///
/// The derive also makes the challenge answerable by the handler-driven sign-in
/// ([`handler`], through [`handler::AskHandler`]): a handler implementing
/// `Handle<YourChallenge>` is shown the
/// `Pending<YourChallenge>` and answers with the response type. A challenge whose answer
/// takes more than one call opts out with `#[challenge(..., handler = manual)]` and
/// implements [`handler::Prompt`] and [`handler::Drive`] itself.
pub use cognito_typestate_macros::Challenge;
/// Derives [`ChallengeResponse`] and a `Debug` that redacts every field not marked
/// `public` (answers are secret by default): one `#[param("KEY")]`,
/// `#[param("KEY", public)]` or `#[param(prefix = "userAttributes.")]` (on a map) per
/// field. `USERNAME`, `SECRET_HASH` and `DEVICE_KEY` are the library's and cannot be
/// written.
pub use cognito_typestate_macros::ChallengeResponse;
/// Derives [`Outcome`] on an enum whose variants each hold [`Tokens`] or a
/// [`Pending<C>`]. Two variants accepting the same step do not compile.
pub use cognito_typestate_macros::Outcome;
