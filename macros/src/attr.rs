//! Attribute grammar shared by the derives.
//!
//! Field attribute: `#[param("KEY")]`, `#[param("KEY", json, default)]`,
//! `#[param(rest)]`, `#[param(available_challenges)]`, `#[param(prefix = "p.")]`,
//! `#[param("KEY", secret)]`. Container attributes are `key = value` lists:
//! `#[challenge(name = "SMS_MFA", response = T, next = T, crate = ::path)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt as _;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Path, Token};

use crate::ctxt::Ctxt;

/// One item inside `#[param(...)]`.
pub(crate) enum ParamItem {
    /// `"KEY"`
    Key(LitStr),
    /// `json`, `default`, `rest`, `secret`, ...
    Flag(Ident),
    /// `prefix = "userAttributes."`
    Assign(Ident, LitStr),
}

impl Parse for ParamItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return input.parse().map(Self::Key);
        }
        let ident: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a parameter key such as `\"SMS_MFA_CODE\"` or an option such as `json`",
            )
        })?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            return Ok(Self::Assign(ident, input.parse()?));
        }
        Ok(Self::Flag(ident))
    }
}

/// What `#[param(...)]` says about one field, before each derive validates it.
#[derive(Default)]
pub(crate) struct ParamAttr {
    pub(crate) key: Option<LitStr>,
    pub(crate) flags: Vec<Ident>,
    pub(crate) prefix: Option<(Ident, LitStr)>,
    /// The whole attribute, for spans.
    pub(crate) attr: Option<Attribute>,
}

impl ParamAttr {
    pub(crate) fn has_flag(&self, name: &str) -> Option<&Ident> {
        self.flags.iter().find(|f| *f == name)
    }
}

/// Reads the field's `#[param]`; records an error for a second one or a bad list.
pub(crate) fn param_attr(cx: &Ctxt, attrs: &[Attribute]) -> Option<ParamAttr> {
    let mut found: Option<ParamAttr> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("param")) {
        if found.is_some() {
            cx.error_spanned_by(
                attr,
                "duplicate `#[param]` on one field; merge them into one",
            );
            continue;
        }
        let items = match attr.parse_args_with(Punctuated::<ParamItem, Token![,]>::parse_terminated)
        {
            Ok(items) => items,
            Err(e) => {
                cx.push(e);
                found = Some(ParamAttr::default());
                continue;
            }
        };
        let mut param = ParamAttr {
            attr: Some(attr.clone()),
            ..ParamAttr::default()
        };
        for item in items {
            match item {
                ParamItem::Key(key) => {
                    if param.key.is_some() {
                        cx.error_spanned_by(&key, "a field reads one key; this is a second one");
                    } else {
                        param.key = Some(key);
                    }
                }
                ParamItem::Flag(flag) => {
                    if param.flags.contains(&flag) {
                        cx.error_spanned_by(&flag, format!("duplicate param attribute `{flag}`"));
                    } else {
                        param.flags.push(flag);
                    }
                }
                ParamItem::Assign(name, value) if name == "prefix" => {
                    if param.prefix.is_some() {
                        cx.error_spanned_by(&name, "duplicate param attribute `prefix`");
                    } else {
                        param.prefix = Some((name, value));
                    }
                }
                ParamItem::Assign(name, _) => {
                    cx.error_spanned_by(&name, format!("unknown param attribute `{name}`"));
                }
            }
        }
        found = Some(param);
    }
    found
}

/// What a container attribute key takes.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// A string literal: `name = "SMS_MFA"`.
    Str,
    /// A type: `response = SmsMfaCode`, `next = AfterCustom<Self>`.
    Type,
    /// An absolute path: `crate = ::cognito_typestate`.
    Path,
}

/// One parsed container attribute value.
pub(crate) enum Value {
    Str(LitStr),
    Type(syn::Type),
    Path(Path),
}

/// A `key = value` container attribute list such as `#[challenge(...)]`.
pub(crate) struct ContainerAttr {
    entries: Vec<(Ident, Value)>,
    /// An attribute did not parse: keys after the error are unknown, so "missing"
    /// errors would only repeat it.
    pub(crate) malformed: bool,
}

/// Reads every `#[<name>(...)]` on the item; records unknown and duplicate keys.
pub(crate) fn container_attr(
    cx: &Ctxt,
    attrs: &[Attribute],
    name: &str,
    known: &[(&str, Kind)],
) -> ContainerAttr {
    let mut entries: Vec<(Ident, Value)> = Vec::new();
    let mut malformed = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        let parsed = attr.parse_args_with(|input: ParseStream<'_>| {
            let mut found = Vec::new();
            while !input.is_empty() {
                // `crate` is a keyword; `parse_any` accepts it as a key.
                let key = Ident::parse_any(input)?;
                let kind = known.iter().find(|(k, _)| key == k).map(|(_, kind)| *kind);
                let Some(kind) = kind else {
                    cx.error_spanned_by(
                        &key,
                        format!(
                            "unknown {name} attribute `{key}`; expected one of {}",
                            known
                                .iter()
                                .map(|(k, _)| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    // Skip the value so the keys after it are still read.
                    while !input.is_empty() && !input.peek(Token![,]) {
                        input.parse::<proc_macro2::TokenTree>()?;
                    }
                    if !input.is_empty() {
                        input.parse::<Token![,]>()?;
                    }
                    continue;
                };
                input.parse::<Token![=]>()?;
                let value = match kind {
                    Kind::Str => Value::Str(input.parse().map_err(|e| {
                        syn::Error::new(
                            e.span(),
                            format!("`{key}` takes a string literal, e.g. `{key} = \"SMS_MFA\"`"),
                        )
                    })?),
                    Kind::Type => Value::Type(input.parse()?),
                    Kind::Path => Value::Path(input.parse()?),
                };
                found.push((key, value));
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            Ok(found)
        });
        match parsed {
            Ok(found) => {
                for (key, value) in found {
                    if entries.iter().any(|(k, _)| *k == key) {
                        cx.error_spanned_by(&key, format!("duplicate {name} attribute `{key}`"));
                    } else {
                        entries.push((key, value));
                    }
                }
            }
            Err(e) => {
                malformed = true;
                cx.push(e);
            }
        }
    }
    ContainerAttr { entries, malformed }
}

impl ContainerAttr {
    fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A string value, e.g. `name = "SMS_MFA"`.
    pub(crate) fn lit_str(&self, key: &str) -> Option<LitStr> {
        match self.get(key)? {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// A type value, e.g. `response = SmsMfaCode`.
    pub(crate) fn ty(&self, key: &str) -> Option<syn::Type> {
        match self.get(key)? {
            Value::Type(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// A path value, e.g. `handler = manual`.
    pub(crate) fn path(&self, key: &str) -> Option<&Path> {
        match self.get(key)? {
            Value::Path(p) => Some(p),
            _ => None,
        }
    }

    /// The `crate = ::path` override, checked to be absolute.
    pub(crate) fn crate_path(&self, cx: &Ctxt) -> Path {
        let default = || syn::parse_quote!(::cognito_typestate);
        match self.get("crate") {
            Some(Value::Path(path))
                if path.leading_colon.is_some()
                    || path.segments.first().is_some_and(|s| s.ident == "crate") =>
            {
                path.clone()
            }
            Some(Value::Path(path)) => {
                cx.error_spanned_by(path, "`crate` takes an absolute path such as `::cognito_typestate` or `crate::reexported`");
                default()
            }
            _ => default(),
        }
    }
}

/// `T` of `Option<T>`, recognised by its last path segment as serde does.
pub(crate) fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Why a type cannot be read with `FromStr` from one parameter string, when that is
/// visible from its syntax alone.
pub(crate) fn not_from_str(ty: &syn::Type) -> Option<&'static str> {
    match ty {
        syn::Type::Reference(_) => {
            Some("parameters are owned: use `String` instead of a reference")
        }
        syn::Type::Tuple(t) if t.elems.is_empty() => None,
        syn::Type::Tuple(_) | syn::Type::Array(_) | syn::Type::Slice(_) => {
            Some("a tuple or array parameter is JSON-in-string: add `json` to read it with serde")
        }
        syn::Type::Path(p) => {
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

/// `compile_error!`s for `error`, plus `fallback` so the rest of the crate still sees
/// the impls and reports nothing else.
pub(crate) fn with_fallback(error: &syn::Error, fallback: &TokenStream) -> TokenStream {
    let errors = error.to_compile_error();
    quote! { #errors #fallback }
}

/// The named fields of a struct derive, `Some(empty)` for a unit struct; records an
/// error naming `derive` and what its fields mean for any other item.
pub(crate) fn struct_fields<'a>(
    cx: &Ctxt,
    input: &'a syn::DeriveInput,
    derive: &str,
    fields_mean: &str,
) -> Option<Vec<&'a syn::Field>> {
    if let syn::Data::Struct(data) = &input.data {
        match &data.fields {
            syn::Fields::Named(named) => return Some(named.named.iter().collect()),
            syn::Fields::Unit => return Some(Vec::new()),
            syn::Fields::Unnamed(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    format!("`#[derive({derive})]` needs named fields (or none): {fields_mean}"),
                );
                return None;
            }
        }
    }
    cx.error_spanned_by(
        &input.ident,
        format!("`#[derive({derive})]` goes on a struct: {fields_mean}"),
    );
    None
}

/// The span of a field's `#[param]`, or of the field when it has none.
pub(crate) fn param_span(param: &ParamAttr, ident: &Ident) -> proc_macro2::Span {
    param
        .attr
        .as_ref()
        .map_or_else(|| ident.span(), syn::spanned::Spanned::span)
}

/// Gives every token of `tokens` the span `span`, so a type error in generated code is
/// reported on the user's field rather than on the derive.
pub(crate) fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut respanned =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                tree = proc_macro2::TokenTree::Group(respanned);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}
