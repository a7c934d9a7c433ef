//! `#[derive(Challenge)]`: parse → validate → generate.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{DeriveInput, Ident, LitStr, Path, Type};

use crate::attr::{self, Kind, param_attr};
use crate::ctxt::Ctxt;

/// A validated challenge declaration.
struct Challenge<'a> {
    input: &'a DeriveInput,
    krate: Path,
    name: Option<LitStr>,
    response: Option<Type>,
    next: Option<Type>,
    /// `handler = manual`: no `Prompt`/`Drive` impls; the author writes them.
    manual_handler: bool,
    /// `None` when the item is not a struct with named fields (an error).
    fields: Option<Vec<Field<'a>>>,
}

struct Field<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    source: Source,
}

enum Source {
    /// One key, decoded with `FromStr` or `json`.
    Key {
        key: LitStr,
        json: bool,
        default: bool,
    },
    /// Every key no other field reads.
    Rest,
    /// The top-level `AvailableChallenges` list.
    AvailableChallenges,
}

pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let challenge = parse(&cx, input);
    match cx.check() {
        Ok(()) => generate(&challenge),
        Err(e) => attr::with_fallback(&e, &fallback(&challenge)),
    }
}

fn parse<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Challenge<'a> {
    let container = attr::container_attr(
        cx,
        &input.attrs,
        "challenge",
        &[
            ("name", Kind::Str),
            ("response", Kind::Type),
            ("next", Kind::Type),
            ("handler", Kind::Path),
            ("crate", Kind::Path),
        ],
    );
    let krate = container.crate_path(cx);
    let name = container.lit_str("name");
    let response = container.ty("response");
    let next = container.ty("next");
    let manual_handler = match container.path("handler") {
        Some(path) if path.is_ident("manual") => true,
        Some(path) => {
            cx.error_spanned_by(path, "`handler` takes `manual`: the derive then leaves `Prompt` and `Drive` (how the handler-driven sign-in answers this challenge) to you");
            false
        }
        None => false,
    };
    let fields = attr::struct_fields(
        cx,
        input,
        "Challenge",
        "each field names the ChallengeParameters key it is read from",
    )
    .map(|fields| parse_fields(cx, fields.into_iter()));
    let has_attr = input.attrs.iter().any(|a| a.path().is_ident("challenge"));
    let missing: Vec<&str> = [
        (
            "`name = \"...\"` (the service's ChallengeName)",
            name.is_some(),
        ),
        (
            "`response = ...` (the type that answers it)",
            response.is_some(),
        ),
        ("`next = ...` (the outcome that follows)", next.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| !present)
    .map(|(k, _)| k)
    .collect();
    // A wrong item kind or an unparsable attribute is reported already; do not pile on.
    let reported = fields.is_none() || container.malformed;
    if !has_attr && !reported {
        cx.error_spanned_by(
            &input.ident,
            "missing `#[challenge(name = \"...\", response = ..., next = ...)]`: the wire name, the type that answers it, and the outcome that follows",
        );
    } else if !missing.is_empty() && !reported {
        cx.error_spanned_by(
            &input.ident,
            format!("`#[challenge]` is missing {}", missing.join(", ")),
        );
    }
    if let Some(name) = &name {
        let value = name.value();
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            cx.error_spanned_by(name, "a challenge name is the service's `ChallengeName`, e.g. \"SMS_MFA\" or \"CUSTOM_CHALLENGE\"");
        }
    }

    Challenge {
        input,
        krate,
        name,
        response,
        next,
        manual_handler,
        fields,
    }
}

fn parse_fields<'a>(cx: &Ctxt, fields: impl Iterator<Item = &'a syn::Field>) -> Vec<Field<'a>> {
    let mut out: Vec<Field<'a>> = Vec::new();
    let mut keys: Vec<(String, &Ident)> = Vec::new();
    let mut rest_seen = false;
    for field in fields {
        let ident = field.ident.as_ref().expect("named field");
        let Some(param) = param_attr(cx, &field.attrs) else {
            cx.error_spanned_by(
                ident,
                format!("field `{ident}` needs `#[param(\"KEY\")]` naming the ChallengeParameters key it is read from"),
            );
            continue;
        };
        for flag in &param.flags {
            if !["json", "default", "rest", "available_challenges"]
                .contains(&flag.to_string().as_str())
            {
                let hint = if flag == "secret" {
                    "; `secret` belongs on response fields (`#[derive(ChallengeResponse)]`)"
                } else {
                    ""
                };
                cx.error_spanned_by(flag, format!("unknown param attribute `{flag}`{hint}"));
            }
        }
        if let Some((prefix, _)) = &param.prefix {
            cx.error_spanned_by(prefix, "`prefix` belongs on response map fields; read remaining parameters with `#[param(rest)]`");
        }
        let source = if let Some(flag) = param.has_flag("rest") {
            if rest_seen {
                cx.error_spanned_by(flag, "only one field can take the remaining parameters");
            }
            rest_seen = true;
            if param.key.is_some() || param.flags.len() > 1 {
                cx.error_spanned_by(
                    flag,
                    "`rest` takes every unread parameter; it has no key and no other options",
                );
            }
            Source::Rest
        } else if let Some(flag) = param.has_flag("available_challenges") {
            if param.key.is_some() || param.flags.len() > 1 {
                cx.error_spanned_by(flag, "`available_challenges` reads the top-level list; it has no key and no other options");
            }
            Source::AvailableChallenges
        } else if let Some(key) = param.key.clone() {
            let json = param.has_flag("json").is_some();
            let default = param.has_flag("default");
            if let (Some(flag), Some(_)) = (default, attr::option_inner(&field.ty)) {
                cx.error_spanned_by(
                    flag,
                    "`default` has no effect on an `Option` field: a missing key is already `None`",
                );
            }
            if !json {
                let inner = attr::option_inner(&field.ty).unwrap_or(&field.ty);
                if let Some(why) = attr::not_from_str(inner) {
                    cx.error_spanned_by(&field.ty, why);
                }
            }
            if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key.value()) {
                cx.error_spanned_by(
                    &key,
                    format!(
                        "duplicate parameter key `{}` (also read by field `{first}`)",
                        key.value()
                    ),
                );
            }
            keys.push((key.value(), ident));
            Source::Key {
                key,
                json,
                default: default.is_some(),
            }
        } else {
            let span = attr::param_span(&param, ident);
            cx.push(syn::Error::new(
                span,
                format!("`#[param]` on `{ident}` names no key: write `#[param(\"KEY\")]`, `#[param(rest)]` or `#[param(available_challenges)]`"),
            ));
            continue;
        };
        out.push(Field {
            ident,
            ty: &field.ty,
            source,
        });
    }
    out
}

fn generate(c: &Challenge<'_>) -> TokenStream {
    let krate = &c.krate;
    let p = quote!(#krate::__private);
    let fields = c.fields.as_deref().unwrap_or_default();
    let keys: Vec<&LitStr> = fields
        .iter()
        .filter_map(|f| match &f.source {
            Source::Key { key, .. } => Some(key),
            _ => None,
        })
        .collect();
    let inits = fields.iter().map(|f| {
        let Field { ident, ty, source } = f;
        let value = match source {
            Source::Key { key, json, default } => {
                let (call, decoded) = match attr::option_inner(ty) {
                    Some(inner) => (quote!(optional), inner),
                    None if *default => (quote!(defaulted), *ty),
                    None => (quote!(required), *ty),
                };
                let decode_fn = if *json { quote!(decode_json) } else { quote!(decode_str) };
                quote_spanned! {ty.span()=> #p::#call(__parameters, #key, #p::#decode_fn::<#decoded>)? }
            }
            Source::Rest => quote_spanned! {ty.span()=> #p::rest::<#ty>(__parameters, &[#(#keys),*]) },
            Source::AvailableChallenges => quote_spanned! {ty.span()=> #p::available_challenges::<#ty, _>(__parameters)? },
        };
        let value = attr::respan(value, ty.span());
        quote!(#ident: #value)
    });
    // `Self {}` also builds a unit struct.
    let construct = quote!(Self { #(#inits,)* });
    let body = quote! {
        fn from_parameters(
            __parameters: &#p::Parameters<'_>,
        ) -> #p::Result<Self, #p::ParameterError> {
            #p::Result::Ok(#construct)
        }
    };
    impl_challenge(c, c.response.as_ref(), c.next.as_ref(), &body)
}

/// The impl with what could be read, so code that uses the challenge compiles on and
/// the user sees only the real error.
fn fallback(c: &Challenge<'_>) -> TokenStream {
    let p = {
        let krate = &c.krate;
        quote!(#krate::__private)
    };
    let body = quote! {
        fn from_parameters(
            _: &#p::Parameters<'_>,
        ) -> #p::Result<Self, #p::ParameterError> {
            #p::Result::Err(#p::ParameterError::Missing { key: ::std::string::String::new() })
        }
    };
    impl_challenge(c, c.response.as_ref(), c.next.as_ref(), &body)
}

fn impl_challenge(
    c: &Challenge<'_>,
    response: Option<&Type>,
    next: Option<&Type>,
    body: &TokenStream,
) -> TokenStream {
    let krate = &c.krate;
    let p = quote!(#krate::__private);
    let ident = &c.input.ident;
    let (impl_generics, ty_generics, where_clause) = c.input.generics.split_for_impl();
    let name = c.name.as_ref().map_or_else(|| quote!(""), |n| quote!(#n));
    let response = response.map_or_else(|| quote!(#p::Invalid), |t| quote!(#t));
    let next = next.map_or_else(|| quote!(#p::Invalid), |t| quote!(#t));
    let handler = if c.manual_handler {
        quote!()
    } else {
        impl_handler(c)
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Challenge for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            type Response = #response;
            type Next = #next;
            #body
        }

        #handler
    }
}

/// What the handler-driven sign-in needs: the handler is shown `Pending<Self>` and
/// answers with the response, which the driver sends.
fn impl_handler(c: &Challenge<'_>) -> TokenStream {
    let krate = &c.krate;
    let p = quote!(#krate::__private);
    let ident = &c.input.ident;
    let (impl_generics, ty_generics, where_clause) = c.input.generics.split_for_impl();
    let mut with_handler = c.input.generics.clone();
    with_handler
        .params
        .push(syn::parse_quote!(__H: #p::Handle<#ident #ty_generics>));
    let (drive_generics, _, _) = with_handler.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Prompt for #ident #ty_generics #where_clause {
            type Input = #p::Pending<Self>;
            type Answer = <Self as #p::Challenge>::Response;
        }

        #[automatically_derived]
        impl #drive_generics #p::Drive<__H> for #ident #ty_generics #where_clause {
            type Then = <Self as #p::Challenge>::Next;

            fn drive(
                __pending: #p::Pending<Self>,
                __handler: &mut __H,
            ) -> #p::BoxFuture<'_, #p::Result<Self::Then, #p::SignInError<__H::Error>>> {
                #p::respond_with_handler(__pending, __handler)
            }
        }
    }
}
