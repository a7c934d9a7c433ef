//! Validation, after parsing: what the options mean for this item, and the rules that
//! span several fields. Every mistake goes into the `Ctxt`, so all are reported in one
//! compile; a check that would only repeat a reported mistake is skipped.

use proc_macro2::Span;
use syn::{Attribute, Ident, LitStr, Type};

use crate::ast::{self, Fields};
use crate::attr::{ChallengeAttrs, Flag, Options, OutcomeAttrs, ParamAttrs, ResponseAttrs};
use crate::ctxt::Ctxt;

/// Keys the library writes from the sign-in state; an answer never writes them.
const RESERVED: &[(&str, &str)] = &[
    ("USERNAME", "the username the service named"),
    ("SECRET_HASH", "the client secret"),
    ("DEVICE_KEY", "the remembered device"),
];

pub(crate) fn challenge(cx: &Ctxt, c: &ast::Challenge<'_>) {
    let input = c.original;
    let Some(fields) = struct_fields(
        cx,
        input,
        &c.fields,
        "Challenge",
        "each field names the ChallengeParameters key it is read from",
    ) else {
        // What the item should have been is the one mistake; its options do not apply.
        return;
    };
    challenge_attrs(cx, c);
    let on_struct = format!(
        "the struct, not on a field: move it above `struct {}`",
        input.ident
    );
    let mut claimed = Claimed::default();
    for field in fields {
        stray::<ChallengeAttrs>(cx, &field.original.attrs, &on_struct);
        challenge_field(cx, field, &mut claimed);
    }
}

pub(crate) fn response(cx: &Ctxt, r: &ast::Response<'_>) {
    let input = r.original;
    let Some(fields) = struct_fields(
        cx,
        input,
        &r.fields,
        "ChallengeResponse",
        "each field names the ChallengeResponses key it is written to",
    ) else {
        return;
    };
    let on_struct = format!(
        "the struct, not on a field: move it above `struct {}`",
        input.ident
    );
    let mut claimed = Claimed::default();
    for field in fields {
        stray::<ResponseAttrs>(cx, &field.original.attrs, &on_struct);
        response_field(cx, field, &mut claimed);
    }
}

pub(crate) fn outcome(cx: &Ctxt, o: &ast::Outcome<'_>) {
    let ident = &o.original.ident;
    let Some(variants) = &o.variants else {
        cx.error_spanned_by(
            ident,
            "`#[derive(Outcome)]` goes on an enum whose variants hold `Tokens` or `Pending<SomeChallenge>`",
        );
        return;
    };
    if variants.is_empty() {
        cx.error_spanned_by(
            ident,
            "an outcome needs at least one variant: `Authenticated(Tokens)` or `SomeChallenge(Pending<SomeChallenge>)`",
        );
    }
    let on_enum = format!("the enum, not on a variant: move it above `enum {ident}`");
    for v in variants {
        stray::<OutcomeAttrs>(cx, &v.original.attrs, &on_enum);
        for field in &v.original.fields {
            stray::<OutcomeAttrs>(cx, &field.attrs, &on_enum);
        }
        if v.ty.is_none() {
            cx.error_spanned_by(
                v.original,
                format!(
                    "variant `{}` must hold exactly one value: `{0}(Tokens)` or `{0}(Pending<SomeChallenge>)`",
                    v.ident
                ),
            );
        }
    }
}

/// `#[challenge]` has its three required options, and a name of the service's form.
fn challenge_attrs(cx: &Ctxt, c: &ast::Challenge<'_>) {
    let a = &c.attrs;
    let Some(attr) = c.attr else {
        cx.error_spanned_by(
            &c.original.ident,
            "missing `#[challenge(name = \"...\", response = ..., next = ...)]`: the wire name, the type that answers it, and the outcome that follows",
        );
        return;
    };
    let missing: Vec<&str> = [
        (
            a.name.is_missing(),
            "`name = \"...\"` (the service's ChallengeName)",
        ),
        (
            a.response.is_missing(),
            "`response = ...` (the type that answers it)",
        ),
        (
            a.next.is_missing(),
            "`next = ...` (the outcome that follows)",
        ),
    ]
    .into_iter()
    .filter_map(|(missing, option)| missing.then_some(option))
    .collect();
    if !missing.is_empty() {
        cx.error_spanned_by(
            attr.path(),
            format!("`#[challenge]` is missing {}", missing.join(", ")),
        );
    }
    if let Some(name) = a.name.get() {
        let value = name.value();
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            cx.error_spanned_by(
                name,
                "a challenge name is the service's `ChallengeName`, e.g. \"SMS_MFA\" or \"CUSTOM_CHALLENGE\"",
            );
        }
    }
}

/// What earlier fields of the item took.
#[derive(Default)]
struct Claimed<'a> {
    keys: Vec<(String, &'a Ident)>,
    rest: Option<&'a Ident>,
}

impl<'a> Claimed<'a> {
    /// Records that `field` reads (or writes) `key`; a second field is reported.
    fn key(&mut self, cx: &Ctxt, kind: &str, verb: &str, key: &LitStr, field: &'a Ident) {
        let value = key.value();
        if let Some((_, first)) = self.keys.iter().find(|(k, _)| *k == value) {
            cx.error_spanned_by(
                key,
                format!(
                    "duplicate {kind} key `{value}` (also {verb} by field `{first}`); remove one of the two"
                ),
            );
        } else {
            self.keys.push((value, field));
        }
    }
}

fn challenge_field<'a>(cx: &Ctxt, field: &'a ast::Field<'a>, claimed: &mut Claimed<'a>) {
    let ident = field.ident;
    let Some(attr) = field.attr else {
        cx.error_spanned_by(
            ident,
            format!("field `{ident}` needs `#[param(\"KEY\")]` naming the ChallengeParameters key it is read from"),
        );
        return;
    };
    let p = &field.param;
    // An option of the other derive: say where it belongs rather than "unknown".
    let misplaced = report_each(
        cx,
        &[
            (
                p.public.span(),
                "`public` belongs on response fields (`#[derive(ChallengeResponse)]`), which are redacted in `Debug` unless marked `public`; remove it here",
            ),
            (
                p.prefix.span(),
                "`prefix` belongs on response map fields (`#[derive(ChallengeResponse)]`); to read the remaining parameters into a map, write `#[param(rest)]`",
            ),
        ],
    );
    if misplaced || p.is_reported() {
        return;
    }
    if let Some(span) = p.rest.span() {
        if let Some(first) = claimed.rest.replace(ident) {
            cx.push(syn::Error::new(
                span,
                format!("only one field can take the remaining parameters, and `{first}` does; remove `rest` here"),
            ));
        }
        if any_set(&[&p.json, &p.default, &p.available_challenges]) || p.key.is_set() {
            cx.push(syn::Error::new(
                span,
                "`rest` takes every parameter no other field reads, so it has no key and no other option: write `#[param(rest)]` alone",
            ));
        }
        return;
    }
    if let Some(span) = p.available_challenges.span() {
        if any_set(&[&p.json, &p.default]) || p.key.is_set() {
            cx.push(syn::Error::new(
                span,
                "`available_challenges` reads the top-level `AvailableChallenges` list, so it has no key and no other option: write `#[param(available_challenges)]` alone",
            ));
        }
        return;
    }
    let Some(key) = p.key.get() else {
        cx.error_spanned_by(
            attr.path(),
            format!("`#[param]` on `{ident}` names no key: write `#[param(\"KEY\")]`, `#[param(rest)]` or `#[param(available_challenges)]`"),
        );
        return;
    };
    if let (Some(span), Some(_)) = (p.default.span(), ast::option_inner(field.ty)) {
        cx.push(syn::Error::new(
            span,
            "`default` has no effect on an `Option` field, where a missing key is already `None`; remove it",
        ));
    }
    if !p.json.is_set() {
        let inner = ast::option_inner(field.ty).unwrap_or(field.ty);
        if let Some(why) = not_from_str(inner) {
            cx.error_spanned_by(field.ty, why);
        }
    }
    claimed.key(cx, "parameter", "read", key, ident);
}

fn response_field<'a>(cx: &Ctxt, field: &'a ast::Field<'a>, claimed: &mut Claimed<'a>) {
    let ident = field.ident;
    let Some(attr) = field.attr else {
        cx.error_spanned_by(
            ident,
            format!("field `{ident}` needs `#[param(\"KEY\")]` naming the ChallengeResponses key it is written to"),
        );
        return;
    };
    let p = &field.param;
    let misplaced = report_each(
        cx,
        &[
            (
                p.json.span(),
                "`json` belongs on challenge fields (`#[derive(Challenge)]`), which read parameters; a response value is written as it is, so remove it here",
            ),
            (
                p.default.span(),
                "`default` belongs on challenge fields (`#[derive(Challenge)]`), which read parameters; an answer writes what it holds (an `Option` field that is `None` is left out), so remove it here",
            ),
            (
                p.rest.span(),
                "`rest` belongs on challenge fields (`#[derive(Challenge)]`), which read parameters; to write a map, use `#[param(prefix = \"...\")]`",
            ),
            (
                p.available_challenges.span(),
                "`available_challenges` belongs on challenge fields (`#[derive(Challenge)]`), which read parameters; remove it here",
            ),
        ],
    );
    if misplaced || p.is_reported() {
        return;
    }
    match (p.key.get(), p.prefix.get()) {
        (Some(key), None) => {
            if let Some((_, source)) = RESERVED.iter().find(|(k, _)| *k == key.value()) {
                cx.error_spanned_by(
                    key,
                    format!(
                        "`{}` is written by the library from {source}; remove this field",
                        key.value()
                    ),
                );
            }
            claimed.key(cx, "response", "written", key, ident);
        }
        (None, Some(_)) => {}
        (Some(key), Some(_)) => cx.error_spanned_by(
            key,
            "a field writes either one key or a `prefix` map, not both; remove the key or the `prefix`",
        ),
        (None, None) => cx.error_spanned_by(
            attr.path(),
            format!("`#[param]` on `{ident}` names no key: write `#[param(\"KEY\")]` or `#[param(prefix = \"userAttributes.\")]`"),
        ),
    }
}

/// The named fields of a struct derive; records what the item should have been
/// otherwise.
fn struct_fields<'f, 'a>(
    cx: &Ctxt,
    input: &syn::DeriveInput,
    fields: &'f Fields<'a>,
    derive: &str,
    fields_mean: &str,
) -> Option<&'f [ast::Field<'a>]> {
    stray::<ParamAttrs>(
        cx,
        &input.attrs,
        "a field, not on the struct: move it onto the field whose key it names",
    );
    match fields {
        Fields::Named(fields) => Some(fields),
        Fields::Tuple => {
            cx.error_spanned_by(
                &input.ident,
                format!("`#[derive({derive})]` needs named fields (or none): {fields_mean}"),
            );
            None
        }
        Fields::NotAStruct => {
            cx.error_spanned_by(
                &input.ident,
                format!("`#[derive({derive})]` goes on a struct: {fields_mean}"),
            );
            None
        }
    }
}

/// A derive's helper attribute where the derive does not read it. Rustc accepts it
/// anywhere in the item, so without this it would be silently ignored.
fn stray<O: Options>(cx: &Ctxt, attrs: &[Attribute], goes_on: &str) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(O::NAME)) {
        cx.error_spanned_by(attr.path(), format!("`#[{}]` goes on {goes_on}", O::NAME));
    }
}

/// Reports each message whose option is set; whether any was.
fn report_each(cx: &Ctxt, options: &[(Option<Span>, &str)]) -> bool {
    let mut any = false;
    for (span, message) in options {
        if let Some(span) = span {
            cx.push(syn::Error::new(*span, message));
            any = true;
        }
    }
    any
}

fn any_set(flags: &[&Flag]) -> bool {
    flags.iter().any(|f| f.is_set())
}

/// Why a type cannot be read with `FromStr` from one parameter string, when that is
/// visible from its syntax alone.
fn not_from_str(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Reference(_) => Some("parameters are owned: use `String` instead of a reference"),
        Type::Tuple(t) if t.elems.is_empty() => None,
        Type::Tuple(_) | Type::Array(_) | Type::Slice(_) => {
            Some("a tuple or array parameter is JSON-in-string: add `json` to read it with serde")
        }
        Type::Path(p) => {
            let last = p.path.segments.last()?.ident.to_string();
            matches!(
                last.as_str(),
                "Vec" | "VecDeque" | "HashMap" | "BTreeMap" | "HashSet" | "BTreeSet"
            )
            .then_some(
                "list and map parameters are JSON-in-string: add `json` to read them with serde",
            )
        }
        _ => None,
    }
}
