//! The traits behind the derives: [`Challenge`], [`ChallengeResponse`], [`Outcome`].
//!
//! Applications normally implement them with `#[derive(Challenge)]`,
//! `#[derive(ChallengeResponse)]` and `#[derive(Outcome)]`; the traits are documented
//! here so the generated code has something to point at.

use std::collections::BTreeMap;

use crate::Secret;
use crate::client::Client;
use crate::error::{Error, ParameterError, ProtocolError, UnexpectedChallenge};
use crate::wire::{AuthResponse, SecretMap};

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
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a variant of an outcome",
    label = "an outcome variant holds `Tokens` or `Pending<SomeChallenge>`",
    note = "each variant of a `#[derive(Outcome)]` enum has exactly one field: `Tokens` or `Pending<C>` where `C: Challenge`"
)]
pub trait OutcomeVariant: Sized {
    /// What this variant accepts.
    const ACCEPTS: Accepts;
    /// The variants of what follows this one.
    const NEXT: fn() -> &'static [Variant];

    /// Builds the variant from a service answer it accepts.
    fn from_step(step: Step) -> Result<Self, Error>;

    /// The value with its type erased, for the handler-driven sign-in's loop.
    #[doc(hidden)]
    fn __erase(self) -> crate::__private::Erased;
}

/// One service answer together with the sign-in context needed to continue from it.
#[derive(Debug)]
pub struct Step {
    pub(crate) client: Client,
    pub(crate) response: AuthResponse,
    pub(crate) context: FlowContext,
}

impl Step {
    /// The answer as the service sent it.
    pub fn response(&self) -> &AuthResponse {
        &self.response
    }

    pub(crate) fn new(client: Client, response: AuthResponse, context: FlowContext) -> Self {
        Self {
            client,
            response,
            context,
        }
    }

    /// Which variant of `variants` accepts this answer; a typed error when none does.
    pub(crate) fn select(&self, variants: &'static [Variant]) -> Result<usize, Error> {
        let r = &self.response;
        let wanted = match (&r.challenge_name, &r.authentication_result) {
            (Some(challenge), Some(_)) => {
                return Err(ProtocolError::TokensAndChallenge {
                    challenge: challenge.clone(),
                }
                .into());
            }
            (None, None) => return Err(ProtocolError::NeitherTokensNorChallenge.into()),
            (None, Some(_)) => Accepts::Tokens,
            (Some(name), None) => variants
                .iter()
                .map(|v| v.accepts)
                .find(|a| matches!(a, Accepts::Challenge(n) if n == name))
                .unwrap_or(Accepts::Challenge("")),
        };
        variants
            .iter()
            .position(|v| v.accepts == wanted)
            .ok_or_else(|| self.unexpected(variants))
    }

    fn unexpected(&self, variants: &'static [Variant]) -> Error {
        let r = &self.response;
        let expected = variants
            .iter()
            .map(|v| match v.accepts {
                Accepts::Tokens => "tokens",
                Accepts::Challenge(name) => name,
            })
            .collect();
        match &r.challenge_name {
            Some(name) => Error::UnexpectedChallenge(Box::new(UnexpectedChallenge {
                name: name.clone(),
                parameters: r.challenge_parameters.clone(),
                available_challenges: r.available_challenges.clone(),
                session: r.session.clone(),
                expected,
            })),
            None => ProtocolError::UnexpectedTokens { expected }.into(),
        }
    }
}

/// What a sign-in carries from one step to the next besides the `Session`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct FlowContext {
    /// The username for `USERNAME` and `SECRET_HASH`: what the user typed until the
    /// service names the user, then the canonical name (`USER_ID_FOR_SRP`).
    pub(crate) username: String,
    /// `DEVICE_KEY` of a remembered device, sent with every step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) device_key: Option<String>,
    /// The remembered device's credentials, to answer `DEVICE_SRP_AUTH`. Never
    /// serialised: a detached pending state does not carry the device password.
    #[serde(skip)]
    pub(crate) device: Option<crate::device::DeviceCredentials>,
    /// `ClientMetadata` for the Lambda triggers, sent with every step.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) client_metadata: BTreeMap<String, String>,
}

impl FlowContext {
    /// Adopts the canonical username once the service names the user.
    ///
    /// Cognito sends `USERNAME` and `USER_ID_FOR_SRP` with the same canonical value.
    /// moto sends the user's `sub` as `USER_ID_FOR_SRP` and looks the answer up by
    /// `USERNAME`, so `USERNAME` comes first; SRP itself always uses `USER_ID_FOR_SRP`.
    pub(crate) fn follow(&mut self, parameters: &BTreeMap<String, String>) {
        if let Some(name) = parameters
            .get("USERNAME")
            .filter(|n| !n.is_empty())
            .or_else(|| parameters.get("USER_ID_FOR_SRP"))
            .filter(|n| !n.is_empty())
        {
            self.username.clone_from(name);
        }
    }
}
