//! The traits behind the derives: [`Challenge`], [`ChallengeResponse`], [`Outcome`],
//! and what they are built from.
//!
//! Applications normally implement them with `#[derive(Challenge)]`,
//! `#[derive(ChallengeResponse)]` and `#[derive(Outcome)]`; the traits are documented
//! here so the generated code has something to point at. The derives only write
//! tables; the logic they call lives in this module's parts, once:
//! `decode` (reading parameters), `write` (writing answers), `select` (which
//! variant of an outcome a service answer is) and `fallback` (what stands in for a
//! type that failed to derive).

use std::any::Any;
use std::collections::BTreeMap;

use crate::error::{Error, ParameterError};
use crate::secret::Secret;
use crate::wire::SecretMap;

pub(crate) mod decode;
pub(crate) mod fallback;
pub(crate) mod select;
mod step;
pub(crate) mod write;

pub use step::Step;
pub use write::{PrefixedParams, ToParam};

/// A challenge the service can ask: its wire name, how its `ChallengeParameters` are
/// read, the only type that answers it, and what may follow the answer.
///
/// Derive it:
///
/// ```
/// use cognito_typestate::{Challenge, ChallengeResponse, Outcome, Pending, Tokens};
///
/// /// A CAPTCHA asked by the application's CreateAuthChallenge trigger.
/// #[derive(Debug, Challenge)]
/// #[challenge(name = "CUSTOM_CHALLENGE", response = CaptchaAnswer, next = AfterCaptcha)]
/// struct Captcha {
///     #[param("captchaUrl")]
///     url: String,
///     #[param("attemptsLeft")]
///     attempts_left: Option<u8>,
/// }
///
/// #[derive(ChallengeResponse)]
/// struct CaptchaAnswer {
///     #[param("ANSWER")]
///     text: String,
/// }
///
/// #[derive(Debug, Outcome)]
/// enum AfterCaptcha {
///     Authenticated(Tokens),
///     Captcha(Pending<Captcha>),
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a challenge",
    label = "not a challenge",
    note = "declare it with `#[derive(Challenge)]` and `#[challenge(name = \"...\", response = ..., next = ...)]`"
)]
pub trait Challenge: Sized + Send + Sync + 'static {
    /// The `ChallengeName` on the wire, e.g. `SMS_MFA`.
    const NAME: &'static str;
    /// The one type that answers this challenge.
    type Response: ChallengeResponse;
    /// What the service may answer with next.
    type Next: Outcome;

    /// Reads the challenge from what the service sent.
    fn from_parameters(parameters: &Parameters<'_>) -> Result<Self, ParameterError>;
}

/// The `ChallengeParameters` (and `AvailableChallenges`) of one service answer.
#[derive(Debug, Clone, Copy)]
pub struct Parameters<'a> {
    map: &'a BTreeMap<String, String>,
    available: &'a [String],
}

impl<'a> Parameters<'a> {
    /// Wraps a parameter map and an `AvailableChallenges` list.
    pub fn new(map: &'a BTreeMap<String, String>, available: &'a [String]) -> Self {
        Self { map, available }
    }

    /// The value of one key.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.map.get(key).map(String::as_str)
    }

    /// Every key and value.
    pub fn map(&self) -> &'a BTreeMap<String, String> {
        self.map
    }

    /// The top-level `AvailableChallenges` list.
    pub fn available_challenges(&self) -> &'a [String] {
        self.available
    }
}

/// A challenge answer: how it writes its `ChallengeResponses` entries.
///
/// `USERNAME`, `SECRET_HASH`, `DEVICE_KEY` and the `Session` are added by the library;
/// an answer only writes its own keys. Derive it with `#[derive(ChallengeResponse)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a challenge response",
    label = "not a challenge response",
    note = "declare it with `#[derive(ChallengeResponse)]` and one `#[param(\"KEY\")]` per field"
)]
pub trait ChallengeResponse: Send {
    /// Writes this answer's keys.
    fn write(&self, out: &mut ResponseMap);
}

/// The empty answer (the last call of `MFA_SETUP` with an authenticator app).
impl ChallengeResponse for () {
    fn write(&self, _: &mut ResponseMap) {}
}

/// Two answers' keys together (e.g. a factor choice and the SRP value that goes with it).
impl<A: ChallengeResponse, B: ChallengeResponse> ChallengeResponse for (A, B) {
    fn write(&self, out: &mut ResponseMap) {
        self.0.write(out);
        self.1.write(out);
    }
}

/// An answer's keys when present, none otherwise.
impl<A: ChallengeResponse> ChallengeResponse for Option<A> {
    fn write(&self, out: &mut ResponseMap) {
        if let Some(answer) = self {
            answer.write(out);
        }
    }
}

/// The `ChallengeResponses` map being built. Values are kept as [`Secret`]s.
#[derive(Debug, Default, Clone)]
pub struct ResponseMap(SecretMap);

impl ResponseMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets one key.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Secret>) {
        self.0.insert(key.into(), value.into());
    }

    /// The value of one key.
    pub fn get(&self, key: &str) -> Option<&Secret> {
        self.0.get(key)
    }

    /// The finished map.
    pub fn into_inner(self) -> SecretMap {
        self.0
    }

    /// The map `answer` writes.
    pub(crate) fn of(answer: &(impl ChallengeResponse + ?Sized)) -> Self {
        let mut map = Self::new();
        answer.write(&mut map);
        map
    }
}

/// The set of next states a call may return: an enum with one variant for the tokens
/// and one per challenge that may follow. Derive it with `#[derive(Outcome)]`.
///
/// `match` on it is exhaustive, so every next step the protocol allows is handled.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an outcome",
    label = "not an outcome",
    note = "declare an enum with `#[derive(Outcome)]` whose variants hold `Tokens` or `Pending<SomeChallenge>`"
)]
pub trait Outcome: Sized + Send {
    /// The variants, in declaration order: what each accepts and what follows it.
    const VARIANTS: &'static [Variant];

    /// Reads one service answer as one of the variants.
    fn from_step(step: Step) -> Result<Self, Error>;
}

/// `Self` is one of the states of outcome `O` (a variant of `O` holds it).
/// `#[derive(Outcome)]` implements it for each variant's type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a state `{O}` allows",
    label = "this state cannot follow here",
    note = "an application outcome for a flow may list only states of the flow's own outcome `{O}`; remove this variant"
)]
pub trait StateOf<O: Outcome> {}

/// Every state of `Self` is a state of `O`: `Self` is `O` narrowed to what an
/// application's pool can produce. `#[derive(Outcome)]` implements it.
///
/// Flows take such an outcome with `.outcome::<YourOutcome>()`; a state the server sends
/// that `Self` left out is an [`Error::UnexpectedChallenge`]
/// at run time, with everything the server sent.
pub trait Within<O: Outcome>: Outcome {}

/// What one variant of an [`Outcome`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    /// The tokens that end the sign-in.
    Tokens,
    /// A challenge, by wire name.
    Challenge(&'static str),
}

/// One variant of an [`Outcome`]: its Rust name, what it accepts, and the variants of
/// the outcome that follows it (empty for tokens). Together they form the flow graph.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// The variant's name in the enum.
    pub name: &'static str,
    /// What it accepts.
    pub accepts: Accepts,
    /// The variants of the outcome that may follow it.
    pub next: fn() -> &'static [Variant],
}

/// A type that can stand in an [`Outcome`] variant: [`Tokens`](crate::Tokens) or
/// [`Pending<C>`](crate::Pending).
///
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a variant of an outcome",
    label = "an outcome variant holds `Tokens` or `Pending<SomeChallenge>`",
    note = "each variant of a `#[derive(Outcome)]` enum has exactly one field: `Tokens` or `Pending<C>` where `C: Challenge`"
)]
pub trait OutcomeVariant: Sized + Send + 'static {
    /// What this variant accepts.
    const ACCEPTS: Accepts;
    /// The variants of what follows this one.
    const NEXT: fn() -> &'static [Variant];

    /// Builds the variant from a service answer it accepts.
    fn from_step(step: Step) -> Result<Self, Error>;

    /// The value with its type erased, for the handler-driven sign-in's loop. Erasure
    /// goes through this trait so that a variant of the wrong type reports one error
    /// (this trait missing) rather than one more for erasure.
    #[doc(hidden)]
    fn __erase(self) -> Erased {
        Erased {
            accepts: Self::ACCEPTS,
            state: Box::new(self),
        }
    }
}

/// A state of a sign-in with its type erased: the handler-driven sign-in loops over
/// states of different types.
pub struct Erased {
    /// What the state accepted: tokens, or a challenge by wire name.
    pub(crate) accepts: Accepts,
    /// The `Tokens` or `Pending<C>`, boxed.
    pub(crate) state: Box<dyn Any + Send>,
}

impl std::fmt::Debug for Erased {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Erased").field(&self.accepts).finish()
    }
}
