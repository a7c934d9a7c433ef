//! Attribute grammar: one typed struct per attribute, one typed field per option.
//!
//! ```text
//! #[challenge(name = "SMS_MFA", response = Type, next = Type, handler = manual, crate = ::path)]
//! #[response(crate = ::path)]
//! #[outcome(crate = ::path)]
//! #[param("KEY", json, default, rest, available_challenges, public, prefix = "p.")]
//! ```
//!
//! This stage only reads. Unknown options, bad values and duplicates are reported here,
//! each in one place; what the options mean for the item is `check`'s job. Several
//! attributes of one name on one item are read as one list.

use proc_macro2::{Span, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned as _;
use syn::token::Token;
use syn::{Attribute, Ident, LitStr, Meta, Path, Token, Type};

use crate::ctxt::Ctxt;
use crate::suggest;

/// The option keywords: the parser matches these tokens; option names as strings
/// appear only in messages (and `KEYS`, which a test checks against the parser).
pub(crate) mod kw {
    syn::custom_keyword!(name);
    syn::custom_keyword!(response);
    syn::custom_keyword!(next);
    syn::custom_keyword!(handler);
    syn::custom_keyword!(manual);
    syn::custom_keyword!(json);
    syn::custom_keyword!(default);
    syn::custom_keyword!(rest);
    syn::custom_keyword!(available_challenges);
    syn::custom_keyword!(public);
    syn::custom_keyword!(secret);
    syn::custom_keyword!(prefix);
}

/// One option of an attribute, with the span of its keyword once set.
pub(crate) struct Attr<T> {
    /// How a duplicate is named: "challenge attribute `name`".
    label: &'static str,
    state: State<T>,
}

enum State<T> {
    Unset,
    Set {
        span: Span,
        value: T,
    },
    /// Written, or maybe meant, but its value is unknown because a mistake was
    /// reported: checks that would only repeat that mistake ("missing") skip it.
    Reported,
}

/// An option without a value, such as `json`.
pub(crate) type Flag = Attr<()>;

impl<T> Attr<T> {
    const fn new(label: &'static str) -> Self {
        Self {
            label,
            state: State::Unset,
        }
    }

    /// Sets the value whose keyword is at `span`; a second occurrence is reported.
    fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if let State::Unset = self.state {
            self.state = State::Set { span, value };
        } else {
            cx.push(syn::Error::new(
                span,
                format!("duplicate {}; remove this one", self.label),
            ));
        }
    }

    /// Records that a mistake about this option was reported.
    fn reported(&mut self) {
        if let State::Unset = self.state {
            self.state = State::Reported;
        }
    }

    /// The value, if it was read.
    pub(crate) fn get(&self) -> Option<&T> {
        match &self.state {
            State::Set { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The span of the option's keyword (of the literal for a `#[param]` key), if set.
    pub(crate) fn span(&self) -> Option<Span> {
        match &self.state {
            State::Set { span, .. } => Some(*span),
            _ => None,
        }
    }

    /// Whether the option was read.
    pub(crate) fn is_set(&self) -> bool {
        matches!(self.state, State::Set { .. })
    }

    /// Neither written nor possibly meant by a reported mistake.
    pub(crate) fn is_missing(&self) -> bool {
        matches!(self.state, State::Unset)
    }

    fn is_reported(&self) -> bool {
        matches!(self.state, State::Reported)
    }
}

/// The typed options of one attribute.
pub(crate) trait Options {
    /// `challenge` in `#[challenge(...)]`.
    const NAME: &'static str;
    /// Every option's keyword, for "did you mean" and "expected".
    const KEYS: &'static [&'static str];
    /// What goes in the parentheses, in messages: `#[challenge(...)]`.
    const EXAMPLE: &'static str = "...";

    /// Every option unset.
    fn new() -> Self;

    /// Reads one option if `input` starts with one of this attribute's keywords;
    /// `None` (input untouched) otherwise.
    fn parse_option(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> Option<syn::Result<()>>;

    /// After a mistake in the attribute, any unset option may have been meant: mark them
    /// all [`State::Reported`], so none is then also called missing.
    fn mark_reported(&mut self);

    /// What the list takes, after "expected"; `found` is an unknown identifier.
    fn expected(_found: Option<&str>) -> String {
        one_of(Self::KEYS)
    }
}

/// "`crate`" or "one of `name`, `next`".
fn one_of(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

/// The first `#[<O::NAME>]` of `attrs`, for spans and "missing" checks.
pub(crate) fn first<O: Options>(attrs: &[Attribute]) -> Option<&Attribute> {
    attrs.iter().find(|a| a.path().is_ident(O::NAME))
}

/// Reads every `#[<O::NAME>(...)]` of `attrs` into one set of options.
pub(crate) fn parse<O: Options>(cx: &Ctxt, attrs: &[Attribute]) -> O {
    let mut options = O::new();
    let mut clean = true;
    for attr in attrs.iter().filter(|a| a.path().is_ident(O::NAME)) {
        match &attr.meta {
            // `#[challenge]` sets nothing; `check` says what is missing.
            Meta::Path(_) => {}
            Meta::List(list) => {
                match list.parse_args_with(|input: ParseStream<'_>| {
                    Ok(parse_list(cx, &mut options, input))
                }) {
                    Ok(list_clean) => clean &= list_clean,
                    Err(e) => {
                        cx.push(e);
                        clean = false;
                    }
                }
            }
            Meta::NameValue(meta) => {
                cx.error_spanned_by(
                    meta.eq_token,
                    format!("`#[{0}]` takes a list: `#[{0}({1})]`", O::NAME, O::EXAMPLE),
                );
                clean = false;
            }
        }
    }
    // Only now: an option written after a mistake is still read as the first one.
    if !clean {
        options.mark_reported();
    }
    options
}

/// Reads `option, option, ...`. After a mistake it skips to the next comma, so every
/// other option is still read and checked. `false` if anything was reported.
fn parse_list<O: Options>(cx: &Ctxt, options: &mut O, input: ParseStream<'_>) -> bool {
    let mut clean = true;
    // Right after a missing comma: the next option is read as if it were there, but
    // what is not an option was part of that one mistake.
    let mut missing_comma = false;
    while !input.is_empty() {
        match options.parse_option(cx, input) {
            Some(Ok(())) if input.is_empty() || input.peek(Token![,]) => {}
            Some(Ok(())) => {
                cx.push(input.error("expected `,` before the next option"));
                clean = false;
                missing_comma = true;
                continue;
            }
            Some(Err(e)) => {
                cx.push(e);
                clean = false;
            }
            None if missing_comma => {}
            None => {
                cx.push(unknown::<O>(input));
                clean = false;
            }
        }
        missing_comma = false;
        while !input.is_empty() && !input.peek(Token![,]) {
            if input.parse::<TokenTree>().is_err() {
                break;
            }
        }
        let _ = input.parse::<Option<Token![,]>>();
    }
    clean
}

/// The error for an option this attribute does not have, spanned on it.
fn unknown<O: Options>(input: ParseStream<'_>) -> syn::Error {
    // `parse_any` also reads keywords such as `type`: a plausible misspelling.
    let Ok(ident) = input.fork().call(Ident::parse_any) else {
        return input.error(format!("expected {}", O::expected(None)));
    };
    let found = ident.unraw().to_string();
    let help = match suggest::closest(&found, O::KEYS) {
        Some(key) => format!("did you mean `{key}`?"),
        None => format!("expected {}", O::expected(Some(&found))),
    };
    syn::Error::new(
        ident.span(),
        format!("unknown {} attribute `{found}`; {help}", O::NAME),
    )
}

/// Reads the flag `K` (an option without a value) into `attr`.
fn flag<K: Parse + Token + ToTokens>(
    cx: &Ctxt,
    input: ParseStream<'_>,
    attr: &mut Flag,
) -> Option<syn::Result<()>> {
    let keyword = input.parse::<Option<K>>().ok()??;
    if input.peek(Token![=]) {
        attr.reported();
        let name = keyword.to_token_stream();
        return Some(Err(syn::Error::new(
            keyword.span(),
            format!("`{name}` takes no value: write `{name}` alone"),
        )));
    }
    attr.set(cx, keyword.span(), ());
    Some(Ok(()))
}

/// `secret` was the opt-in to redaction; response fields are redacted by default now, so
/// it says how to read the code instead of "unknown".
fn retired_secret(input: ParseStream<'_>) -> Option<syn::Result<()>> {
    let keyword = input.parse::<Option<kw::secret>>().ok()??;
    Some(Err(syn::Error::new(
        keyword.span(),
        "response fields are redacted in `Debug` unless marked `public`: remove `secret`",
    )))
}

/// Reads `K = value` into `attr`; any mistake in it says what `K` takes.
fn value<K: Parse + Token + ToTokens, T>(
    cx: &Ctxt,
    input: ParseStream<'_>,
    attr: &mut Attr<T>,
    takes: &str,
    parse: fn(ParseStream<'_>) -> syn::Result<T>,
) -> Option<syn::Result<()>> {
    let keyword = input.parse::<Option<K>>().ok()??;
    let takes = || format!("`{}` takes {takes}", keyword.to_token_stream());
    let read = match input.parse::<Option<Token![=]>>() {
        Ok(Some(_)) => parse(input).map_err(|e| syn::Error::new(e.span(), takes())),
        _ => Err(syn::Error::new(keyword.span(), takes())),
    };
    Some(match read {
        Ok(value) => {
            attr.set(cx, keyword.span(), value);
            Ok(())
        }
        Err(e) => {
            attr.reported();
            Err(e)
        }
    })
}

/// `#[challenge(...)]` on a `#[derive(Challenge)]` struct.
pub(crate) struct ChallengeAttrs {
    /// `name = "SMS_MFA"`: the service's `ChallengeName`.
    pub(crate) name: Attr<LitStr>,
    /// `response = SmsMfaCode`: the type that answers the challenge.
    pub(crate) response: Attr<Type>,
    /// `next = AfterMfa`: the outcome that follows the answer.
    pub(crate) next: Attr<Type>,
    /// `handler = manual`: no `AskHandler` impl, so no blanket `Prompt`/`Drive`; the author writes them.
    pub(crate) handler: Attr<kw::manual>,
    /// `crate = ::path`: where the library is, for code in a crate that renames it.
    pub(crate) krate: Attr<Path>,
}

const CRATE_TAKES: &str = "an absolute path such as `::cognito_typestate` or `crate::reexported`";

impl Options for ChallengeAttrs {
    const NAME: &'static str = "challenge";
    const KEYS: &'static [&'static str] = &["name", "response", "next", "handler", "crate"];

    fn new() -> Self {
        Self {
            name: Attr::new("challenge attribute `name`"),
            response: Attr::new("challenge attribute `response`"),
            next: Attr::new("challenge attribute `next`"),
            handler: Attr::new("challenge attribute `handler`"),
            krate: Attr::new("challenge attribute `crate`"),
        }
    }

    fn parse_option(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> Option<syn::Result<()>> {
        value::<kw::name, _>(
            cx,
            input,
            &mut self.name,
            "a string literal, the service's ChallengeName: `name = \"SMS_MFA\"`",
            <LitStr as Parse>::parse,
        )
        .or_else(|| {
            value::<kw::response, _>(
                cx,
                input,
                &mut self.response,
                "the type that answers the challenge, e.g. `response = SmsMfaCode`",
                Type::parse,
            )
        })
        .or_else(|| {
            value::<kw::next, _>(
                cx,
                input,
                &mut self.next,
                "the outcome type that follows the answer, e.g. `next = AfterMfa`",
                Type::parse,
            )
        })
        .or_else(|| {
            value::<kw::handler, _>(
                cx,
                input,
                &mut self.handler,
                "`manual`: the derive then leaves `Prompt` and `Drive` (how the handler-driven sign-in answers this challenge) to you",
                kw::manual::parse,
            )
        })
        .or_else(|| value::<Token![crate], _>(cx, input, &mut self.krate, CRATE_TAKES, absolute_path))
    }

    fn mark_reported(&mut self) {
        self.name.reported();
        self.response.reported();
        self.next.reported();
        self.handler.reported();
        self.krate.reported();
    }
}

/// `#[response(...)]` on a `#[derive(ChallengeResponse)]` struct.
pub(crate) struct ResponseAttrs {
    /// `crate = ::path`.
    pub(crate) krate: Attr<Path>,
}

impl Options for ResponseAttrs {
    const NAME: &'static str = "response";
    const KEYS: &'static [&'static str] = &["crate"];

    fn new() -> Self {
        Self {
            krate: Attr::new("response attribute `crate`"),
        }
    }

    fn parse_option(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> Option<syn::Result<()>> {
        value::<Token![crate], _>(cx, input, &mut self.krate, CRATE_TAKES, absolute_path)
    }

    fn mark_reported(&mut self) {
        self.krate.reported();
    }
}

/// `#[outcome(...)]` on a `#[derive(Outcome)]` enum.
pub(crate) struct OutcomeAttrs {
    /// `crate = ::path`.
    pub(crate) krate: Attr<Path>,
}

impl Options for OutcomeAttrs {
    const NAME: &'static str = "outcome";
    const KEYS: &'static [&'static str] = &["crate"];

    fn new() -> Self {
        Self {
            krate: Attr::new("outcome attribute `crate`"),
        }
    }

    fn parse_option(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> Option<syn::Result<()>> {
        value::<Token![crate], _>(cx, input, &mut self.krate, CRATE_TAKES, absolute_path)
    }

    fn mark_reported(&mut self) {
        self.krate.reported();
    }
}

/// `#[param(...)]` on a field of either struct derive. Both read the same grammar, so
/// an option of the other derive is named as such by `check` rather than as unknown.
pub(crate) struct ParamAttrs {
    /// `"KEY"`: the one parameter the field reads or writes.
    pub(crate) key: Attr<LitStr>,
    /// Challenge: the value is JSON in a string.
    pub(crate) json: Flag,
    /// Challenge: `Default` when the key is absent.
    pub(crate) default: Flag,
    /// Challenge: every parameter no other field reads.
    pub(crate) rest: Flag,
    /// Challenge: the top-level `AvailableChallenges` list.
    pub(crate) available_challenges: Flag,
    /// Response: shown in `Debug` (every other field is redacted).
    pub(crate) public: Flag,
    /// Response: a map written under `prefix` + each key.
    pub(crate) prefix: Attr<LitStr>,
}

impl ParamAttrs {
    /// Whether a mistake in this field's `#[param]` was reported already.
    pub(crate) fn is_reported(&self) -> bool {
        [
            self.json.is_reported(),
            self.default.is_reported(),
            self.rest.is_reported(),
            self.available_challenges.is_reported(),
            self.public.is_reported(),
            self.key.is_reported(),
            self.prefix.is_reported(),
        ]
        .contains(&true)
    }
}

impl Options for ParamAttrs {
    const NAME: &'static str = "param";
    const KEYS: &'static [&'static str] = &[
        "json",
        "default",
        "rest",
        "available_challenges",
        "public",
        "prefix",
    ];
    const EXAMPLE: &'static str = "\"KEY\"";

    fn new() -> Self {
        Self {
            key: Attr::new("param key"),
            json: Attr::new("param attribute `json`"),
            default: Attr::new("param attribute `default`"),
            rest: Attr::new("param attribute `rest`"),
            available_challenges: Attr::new("param attribute `available_challenges`"),
            public: Attr::new("param attribute `public`"),
            prefix: Attr::new("param attribute `prefix`"),
        }
    }

    fn parse_option(&mut self, cx: &Ctxt, input: ParseStream<'_>) -> Option<syn::Result<()>> {
        if input.peek(LitStr) {
            return Some(input.parse().map(|key: LitStr| {
                self.key.set(cx, key.span(), key);
            }));
        }
        flag::<kw::json>(cx, input, &mut self.json)
            .or_else(|| flag::<kw::default>(cx, input, &mut self.default))
            .or_else(|| flag::<kw::rest>(cx, input, &mut self.rest))
            .or_else(|| flag::<kw::available_challenges>(cx, input, &mut self.available_challenges))
            .or_else(|| flag::<kw::public>(cx, input, &mut self.public))
            .or_else(|| retired_secret(input))
            .or_else(|| {
                value::<kw::prefix, _>(
                    cx,
                    input,
                    &mut self.prefix,
                    "a string literal, e.g. `prefix = \"userAttributes.\"`",
                    <LitStr as Parse>::parse,
                )
            })
    }

    fn mark_reported(&mut self) {
        self.key.reported();
        self.json.reported();
        self.default.reported();
        self.rest.reported();
        self.available_challenges.reported();
        self.public.reported();
        self.prefix.reported();
    }

    fn expected(found: Option<&str>) -> String {
        // An unknown identifier is most often a key written without quotes.
        let key = found.map_or_else(|| "\"SMS_MFA_CODE\"".to_owned(), |f| format!("\"{f}\""));
        format!("the key in quotes, `{key}`, or {}", one_of(Self::KEYS))
    }
}

/// A path that names the library from anywhere in the user's crate: `::name` or
/// `crate::...`; the expansion's paths start with it.
fn absolute_path(input: ParseStream<'_>) -> syn::Result<Path> {
    let path: Path = input.parse()?;
    if path.leading_colon.is_some() || path.segments.first().is_some_and(|s| s.ident == "crate") {
        Ok(path)
    } else {
        // Only the span is kept: `value` says what `crate` takes.
        Err(syn::Error::new_spanned(path, "not absolute"))
    }
}

#[cfg(test)]
mod tests {
    use super::{ChallengeAttrs, Options, OutcomeAttrs, ParamAttrs, ResponseAttrs};
    use crate::ctxt::Ctxt;
    use syn::parse::Parser as _;

    /// Every key that "did you mean" may suggest is one the parser reads.
    fn keys_are_read<O: Options>() {
        for key in O::KEYS {
            let cx = Ctxt::new();
            let mut options = O::new();
            let read = (|input: syn::parse::ParseStream<'_>| {
                let read = options.parse_option(&cx, input).is_some();
                input.parse::<proc_macro2::TokenStream>()?;
                Ok(read)
            })
            .parse_str(key)
            .unwrap();
            assert!(read, "`{key}` of `#[{}]` is not read", O::NAME);
            let _ = cx.check();
        }
    }

    #[test]
    fn every_listed_key_is_read() {
        keys_are_read::<ChallengeAttrs>();
        keys_are_read::<ResponseAttrs>();
        keys_are_read::<OutcomeAttrs>();
        keys_are_read::<ParamAttrs>();
    }
}
