//! What the derives' expansions call. Not public API: no semver guarantees.
//!
//! The derives only write tables (keys, types, variant lists); every piece of logic
//! they need lives here, once, where it is unit-tested.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Display};
use std::str::FromStr;

use serde::de::DeserializeOwned;

pub use crate::Secret;
pub use crate::challenge::{
    Accepts, Challenge, ChallengeResponse, Outcome, OutcomeVariant, Parameters, ResponseMap, Step,
    Variant,
};
pub use crate::error::{Error, ParameterError};
pub use ::core::fmt::{Debug, Formatter, Result as FmtResult};
pub use ::core::option::Option;
pub use ::core::result::Result;

/// A decoder from one parameter string to a field's type.
pub type Decoder<T> = fn(&str) -> Result<T, String>;

/// Default field decoding: `FromStr`.
pub fn decode_str<T>(value: &str) -> Result<T, String>
where
    T: FromStr,
    T::Err: Display,
{
    value.parse().map_err(|e: T::Err| e.to_string())
}

/// `json` field decoding: the value is itself JSON (a list or an object in a string).
pub fn decode_json<T: DeserializeOwned>(value: &str) -> Result<T, String> {
    serde_json::from_str(value).map_err(|e| e.to_string())
}

/// A key that must be present.
pub fn required<T>(p: &Parameters<'_>, key: &str, decode: Decoder<T>) -> Result<T, ParameterError> {
    let value = p.get(key).ok_or_else(|| ParameterError::Missing {
        key: key.to_owned(),
    })?;
    decode_value(key, value, decode)
}

/// An `Option<T>` field: `None` when the key is absent.
pub fn optional<T>(
    p: &Parameters<'_>,
    key: &str,
    decode: Decoder<T>,
) -> Result<Option<T>, ParameterError> {
    p.get(key)
        .map(|value| decode_value(key, value, decode))
        .transpose()
}

/// A `default` field: `T::default()` when the key is absent.
pub fn defaulted<T: Default>(
    p: &Parameters<'_>,
    key: &str,
    decode: Decoder<T>,
) -> Result<T, ParameterError> {
    Ok(optional(p, key, decode)?.unwrap_or_default())
}

/// A `rest` field: every parameter whose key is not one of the declared `keys`.
pub fn rest<T: FromIterator<(String, String)>>(p: &Parameters<'_>, keys: &[&str]) -> T {
    p.map()
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// An `available_challenges` field: the top-level `AvailableChallenges` list.
pub fn available_challenges<T, E>(p: &Parameters<'_>) -> Result<T, ParameterError>
where
    T: FromIterator<E>,
    E: FromStr,
    E::Err: Display,
{
    p.available_challenges()
        .iter()
        .map(|name| decode_value("AvailableChallenges", name, decode_str::<E>))
        .collect()
}

fn decode_value<T>(key: &str, value: &str, decode: Decoder<T>) -> Result<T, ParameterError> {
    decode(value).map_err(|reason| ParameterError::Invalid {
        key: key.to_owned(),
        value: value.to_owned(),
        reason,
    })
}

/// Writes one response field.
pub fn write_param<T: ToParam + ?Sized>(out: &mut ResponseMap, key: &str, value: &T) {
    if let Some(value) = value.to_param() {
        out.insert(key, value);
    }
}

/// Writes a map field, each entry under `prefix` + its key.
pub fn write_prefixed<M: PrefixedParams + ?Sized>(out: &mut ResponseMap, prefix: &str, map: &M) {
    map.write_prefixed(out, prefix);
}

/// `Debug` for a response field marked `secret`.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Picks the variant of `variants` that accepts `step`, or the typed error.
pub fn select(step: &Step, variants: &'static [Variant]) -> Result<usize, Error> {
    step.select(variants)
}

/// Builds one variant's content from the step it accepts.
pub fn variant<T: OutcomeVariant>(step: Step) -> Result<T, Error> {
    T::from_step(step)
}

/// The index [`select`] returned is always in range; this only keeps the generated
/// `match` total without a panic.
pub fn no_variant(variants: &'static [Variant]) -> Error {
    Error::Config(format!(
        "internal: no variant among {} accepts this step",
        variants.len()
    ))
}

/// The index of the first variant that accepts the same step as an earlier one, or
/// `usize::MAX`. The derive turns an index into a compile error naming the variant.
pub const fn first_duplicate(variants: &[Variant]) -> usize {
    let mut j = 1;
    while j < variants.len() {
        let mut i = 0;
        while i < j {
            if accepts_eq(variants[i].accepts, variants[j].accepts) {
                return j;
            }
            i += 1;
        }
        j += 1;
    }
    usize::MAX
}

const fn accepts_eq(a: Accepts, b: Accepts) -> bool {
    match (a, b) {
        (Accepts::Tokens, Accepts::Tokens) => true,
        (Accepts::Challenge(x), Accepts::Challenge(y)) => str_eq(x, y),
        _ => false,
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Stands in for a response or outcome type the derive could not read, so one mistake
/// gives one error.
#[derive(Debug)]
pub enum Invalid {}

impl ChallengeResponse for Invalid {
    fn write(&self, _: &mut ResponseMap) {}
}

impl Outcome for Invalid {
    const VARIANTS: &'static [Variant] = &[];

    fn from_step(_: Step) -> Result<Self, Error> {
        Err(Error::Config("this outcome type failed to derive".into()))
    }
}

/// How a response field is written as a `ChallengeResponses` value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as a challenge response value",
    label = "not a response value",
    note = "response values are strings: use `String`, `Secret`, `bool`, an integer, `Option` of one of them, or implement `cognito_typestate::ToParam`"
)]
pub trait ToParam {
    /// The value to send; `None` leaves the key out.
    fn to_param(&self) -> Option<Secret>;
}

impl ToParam for str {
    fn to_param(&self) -> Option<Secret> {
        Some(Secret::new(self))
    }
}

impl ToParam for String {
    fn to_param(&self) -> Option<Secret> {
        Some(Secret::new(self.as_str()))
    }
}

impl ToParam for Secret {
    fn to_param(&self) -> Option<Secret> {
        Some(self.clone())
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Option<Secret> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Option<Secret> {
        self.as_ref().and_then(ToParam::to_param)
    }
}

macro_rules! to_param_via_display {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Option<Secret> {
                Some(Secret::new(self.to_string()))
            }
        }
    )*};
}

to_param_via_display!(
    bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

/// A map field written under a key prefix (`userAttributes.<name>`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold prefixed response keys",
    label = "a `prefix` field must be a map",
    note = "use `BTreeMap<String, V>` or `HashMap<String, V>` where `V: ToParam`"
)]
pub trait PrefixedParams {
    /// Writes every entry under `prefix`.
    fn write_prefixed(&self, out: &mut ResponseMap, prefix: &str);
}

impl<V: ToParam> PrefixedParams for BTreeMap<String, V> {
    fn write_prefixed(&self, out: &mut ResponseMap, prefix: &str) {
        for (k, v) in self {
            write_param(out, &format!("{prefix}{k}"), v);
        }
    }
}

impl<V: ToParam, S> PrefixedParams for HashMap<String, V, S> {
    fn write_prefixed(&self, out: &mut ResponseMap, prefix: &str) {
        for (k, v) in self {
            write_param(out, &format!("{prefix}{k}"), v);
        }
    }
}

// ---------------------------------------------------------------------------------
// Handler-driven sign-in: what `#[derive(Outcome)]` and `#[derive(Challenge)]` emit for
// `cognito_typestate::handler`.

pub use crate::handler::{Drive, Handle, Handler, Prompt, SignInError};
pub use crate::pending::Pending;
pub use crate::tokens::Tokens;
pub use crate::transport::BoxFuture;

/// How many steps from the start [`Reach`] follows the graph: far more than the longest
/// chain of distinct challenges in any flow, and small enough to check quickly.
pub type MaxDepth = Depth<32>;

/// A type-level step budget. The graph of challenges has cycles (`CUSTOM_CHALLENGE`
/// after `CUSTOM_CHALLENGE`) and trait resolution rejects cyclic proofs, so [`Reach`]
/// counts down instead of remembering where it has been.
#[derive(Debug)]
pub struct Depth<const N: usize>;

/// A budget with at least one step left.
pub trait Lower {
    /// Steps left, for the runtime table.
    const LEFT: usize;
    /// The budget after one more step.
    type Next;
}

macro_rules! lower {
    ($($n:literal => $m:literal),* $(,)?) => {$(
        impl Lower for Depth<$n> {
            const LEFT: usize = $n;
            type Next = Depth<$m>;
        }
    )*};
}

lower!(
    1 => 0, 2 => 1, 3 => 2, 4 => 3, 5 => 4, 6 => 5, 7 => 6, 8 => 7, 9 => 8, 10 => 9,
    11 => 10, 12 => 11, 13 => 12, 14 => 13, 15 => 14, 16 => 15, 17 => 16, 18 => 17,
    19 => 18, 20 => 19, 21 => 20, 22 => 21, 23 => 22, 24 => 23, 25 => 24, 26 => 25,
    27 => 26, 28 => 27, 29 => 28, 30 => 29, 31 => 30, 32 => 31,
);

/// "Every challenge reachable from `Self` within budget `D` has a handler in `H`", and
/// the registration of those handlers in a [`Table`]. `#[derive(Outcome)]` implements
/// it with one bound per variant.
pub trait Reach<H: Handler, D>: Erase {
    /// Adds the typed entry of every challenge reachable within `D`.
    fn register(table: &mut Table<H>);
}

/// [`Reach`] for one variant's content: `Tokens` needs nothing; `Pending<C>` needs
/// `C: Drive<H>` and what follows `C` within one step less.
pub trait ReachVariant<H: Handler, D> {
    /// Adds the typed entry of every challenge reachable within `D`.
    fn register(table: &mut Table<H>);
}

impl<H: Handler, D> ReachVariant<H, D> for Tokens {
    fn register(_: &mut Table<H>) {}
}

impl<H: Handler, C: Challenge> ReachVariant<H, Depth<0>> for Pending<C> {
    fn register(_: &mut Table<H>) {}
}

impl<H, C, D> ReachVariant<H, D> for Pending<C>
where
    H: Handler,
    C: Drive<H>,
    D: Lower,
    C::Then: Reach<H, D::Next>,
{
    fn register(table: &mut Table<H>) {
        if table.insert::<C>(D::LEFT) {
            <C::Then as Reach<H, D::Next>>::register(table);
        }
    }
}

impl<H: Handler, D> Reach<H, D> for Tokens {
    fn register(_: &mut Table<H>) {}
}

impl<H: Handler, C: Challenge, D> Reach<H, D> for Pending<C>
where
    Self: ReachVariant<H, D>,
{
    fn register(table: &mut Table<H>) {
        <Self as ReachVariant<H, D>>::register(table);
    }
}

/// Registers one variant's content (what the derive calls per variant).
pub fn register_variant<T: ReachVariant<H, D>, H: Handler, D>(table: &mut Table<H>) {
    T::register(table);
}

/// A state of the sign-in with its challenge type erased, so the driver can loop over
/// states of different types.
pub enum Erased {
    /// Signed in.
    Tokens(Tokens),
    /// A `Pending<C>` in a box, with `C`'s wire name for errors.
    Pending {
        /// The boxed `Pending<C>`.
        pending: Box<dyn ::core::any::Any + Send>,
        /// `C::NAME`.
        name: &'static str,
    },
}

impl fmt::Debug for Erased {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tokens(tokens) => f.debug_tuple("Tokens").field(tokens).finish(),
            Self::Pending { name, .. } => f.debug_tuple("Pending").field(name).finish(),
        }
    }
}

/// Turns a state into an [`Erased`] one. `#[derive(Outcome)]` implements it by
/// matching its variants.
pub trait Erase {
    /// The erased state.
    fn erase(self) -> Erased;
}

impl Erase for Tokens {
    fn erase(self) -> Erased {
        Erased::Tokens(self)
    }
}

impl<C: Challenge> Erase for Pending<C> {
    fn erase(self) -> Erased {
        Erased::Pending {
            pending: Box::new(self),
            name: C::NAME,
        }
    }
}

impl Erase for Invalid {
    fn erase(self) -> Erased {
        match self {}
    }
}

impl<H: Handler, D> Reach<H, D> for Invalid {
    fn register(_: &mut Table<H>) {}
}

/// Answers one erased `Pending<C>` with the handler and erases what follows.
type Entry<H> = for<'a> fn(
    Box<dyn ::core::any::Any + Send>,
    &'a mut H,
) -> BoxFuture<'a, Result<Erased, SignInError<<H as Handler>::Error>>>;

/// The typed entry of each challenge a sign-in can reach, by the `TypeId` of its
/// `Pending<C>`.
pub struct Table<H: Handler> {
    /// `TypeId` of `Pending<C>`, `C::NAME`, the most budget `C` was seen with, the entry.
    entries: Vec<(::core::any::TypeId, &'static str, usize, Entry<H>)>,
}

impl<H: Handler> Table<H> {
    /// An empty table.
    pub fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Adds `C` seen with `left` steps of budget; `true` when `C`'s successors must be
    /// (re)visited because it was not seen before with at least as much budget left.
    pub(crate) fn insert<C>(&mut self, left: usize) -> bool
    where
        C: Drive<H>,
        C::Then: Erase,
    {
        let id = ::core::any::TypeId::of::<Pending<C>>();
        match self.entries.iter_mut().find(|(t, ..)| *t == id) {
            Some((_, _, seen, _)) if *seen >= left => false,
            Some((_, _, seen, _)) => {
                *seen = left;
                true
            }
            None => {
                self.entries.push((id, C::NAME, left, run::<H, C>));
                true
            }
        }
    }

    /// The entry for a boxed `Pending<C>`.
    pub(crate) fn entry(&self, pending: &(dyn ::core::any::Any + Send)) -> Option<Entry<H>> {
        let id = pending.type_id();
        self.entries
            .iter()
            .find(|(t, ..)| *t == id)
            .map(|(.., entry)| *entry)
    }

    /// The wire names of the challenges with an entry, in the order they were found.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|(_, name, ..)| *name)
    }
}

impl<H: Handler> fmt::Debug for Table<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl<H: Handler> Default for Table<H> {
    fn default() -> Self {
        Self::new()
    }
}

fn run<H, C>(
    pending: Box<dyn ::core::any::Any + Send>,
    handler: &mut H,
) -> BoxFuture<'_, Result<Erased, SignInError<H::Error>>>
where
    H: Handler,
    C: Drive<H>,
    C::Then: Erase,
{
    Box::pin(async move {
        let pending = pending.downcast::<Pending<C>>().map_err(|_| {
            SignInError::Cognito(Error::Config(format!(
                "internal: the `{}` entry was given another challenge",
                C::NAME
            )))
        })?;
        let next = C::drive(*pending, handler).await?;
        Ok(next.erase())
    })
}

/// The [`Drive`] of a derived challenge: ask the handler, send its answer.
pub fn respond_with_handler<C, H>(
    pending: Pending<C>,
    handler: &mut H,
) -> BoxFuture<'_, Result<C::Next, SignInError<H::Error>>>
where
    C: Challenge + Prompt<Input = Pending<C>, Answer = <C as Challenge>::Response>,
    H: Handle<C>,
{
    Box::pin(async move {
        let answer = crate::handler::ask(handler, &pending).await?;
        Ok(pending.respond(answer).await?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders_report_key_value_and_reason() {
        let map = BTreeMap::from([
            ("N".to_owned(), "x".to_owned()),
            ("L".to_owned(), "[\"a\"]".to_owned()),
        ]);
        let p = Parameters::new(&map, &[]);
        let err = required::<u8>(&p, "N", decode_str).unwrap_err();
        assert!(
            matches!(err, ParameterError::Invalid { ref key, ref value, .. } if key == "N" && value == "x")
        );
        assert_eq!(
            required::<String>(&p, "M", decode_str).unwrap_err(),
            ParameterError::Missing { key: "M".into() }
        );
        assert_eq!(optional::<u8>(&p, "M", decode_str).unwrap(), None);
        assert_eq!(
            required::<Vec<String>>(&p, "L", decode_json).unwrap(),
            vec!["a".to_owned()]
        );
        assert_eq!(
            defaulted::<Vec<String>>(&p, "Z", decode_json).unwrap(),
            Vec::<String>::new()
        );
        let others: BTreeMap<String, String> = rest(&p, &["N"]);
        assert_eq!(others.keys().collect::<Vec<_>>(), ["L"]);
    }

    #[test]
    fn options_are_left_out_and_prefixes_applied() {
        let mut out = ResponseMap::new();
        write_param(&mut out, "A", &Option::<String>::None);
        write_param(&mut out, "B", &Some(7u32));
        write_prefixed(
            &mut out,
            "userAttributes.",
            &BTreeMap::from([("name".to_owned(), "Al".to_owned())]),
        );
        let map = out.into_inner();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["B", "userAttributes.name"]);
        assert_eq!(map["B"].expose(), "7");
    }

    #[test]
    fn duplicates_are_found_by_index() {
        const fn v(accepts: Accepts) -> Variant {
            Variant {
                name: "v",
                accepts,
                next: || &[],
            }
        }
        let distinct = [
            v(Accepts::Tokens),
            v(Accepts::Challenge("SMS_MFA")),
            v(Accepts::Challenge("SMS_OTP")),
        ];
        assert_eq!(first_duplicate(&distinct), usize::MAX);
        let dup = [
            v(Accepts::Challenge("SMS_MFA")),
            v(Accepts::Tokens),
            v(Accepts::Challenge("SMS_MFA")),
        ];
        assert_eq!(first_duplicate(&dup), 2);
    }
}
