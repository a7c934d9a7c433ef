//! `#[derive(ChallengeResponse)]`: parse → validate → generate.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned as _;
use syn::{DeriveInput, Ident, LitStr, Path, Type};

use crate::attr::{self, Kind, param_attr};
use crate::ctxt::Ctxt;

/// Keys the library writes from the sign-in state; an answer never writes them.
const RESERVED: &[(&str, &str)] = &[
    ("USERNAME", "the username the service named"),
    ("SECRET_HASH", "the client secret"),
    ("DEVICE_KEY", "the remembered device"),
];

struct Response<'a> {
    input: &'a DeriveInput,
    krate: Path,
    /// `None` when the item is not a struct with named fields (an error).
    fields: Option<Vec<Field<'a>>>,
}

struct Field<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    target: Target,
    secret: bool,
}

enum Target {
    Key(LitStr),
    Prefix(LitStr),
}

pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let response = parse(&cx, input);
    match cx.check() {
        Ok(()) => generate(&response),
        Err(e) => attr::with_fallback(&e, &fallback(&response)),
    }
}

fn parse<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Response<'a> {
    let container = attr::container_attr(cx, &input.attrs, "response", &[("crate", Kind::Path)]);
    let krate = container.crate_path(cx);
    let fields = attr::struct_fields(
        cx,
        input,
        "ChallengeResponse",
        "each field names the ChallengeResponses key it is written to",
    )
    .map(|fields| parse_fields(cx, fields.into_iter()));
    Response {
        input,
        krate,
        fields,
    }
}

fn parse_fields<'a>(cx: &Ctxt, fields: impl Iterator<Item = &'a syn::Field>) -> Vec<Field<'a>> {
    let mut out = Vec::new();
    let mut keys: Vec<(String, &Ident)> = Vec::new();
    for field in fields {
        let ident = field.ident.as_ref().expect("named field");
        let Some(param) = param_attr(cx, &field.attrs) else {
            cx.error_spanned_by(
                ident,
                format!("field `{ident}` needs `#[param(\"KEY\")]` naming the ChallengeResponses key it is written to"),
            );
            continue;
        };
        let mut secret = false;
        for flag in &param.flags {
            if flag == "secret" {
                secret = true;
            } else {
                let hint = match flag.to_string().as_str() {
                    "json" | "default" | "rest" | "available_challenges" => {
                        "; it belongs on challenge fields (`#[derive(Challenge)]`)"
                    }
                    _ => "",
                };
                cx.error_spanned_by(flag, format!("unknown param attribute `{flag}`{hint}"));
            }
        }
        let target = match (param.key.clone(), param.prefix.clone()) {
            (Some(key), None) => {
                if let Some((_, source)) = RESERVED.iter().find(|(k, _)| *k == key.value()) {
                    cx.error_spanned_by(
                        &key,
                        format!(
                            "`{}` is written by the library from {source}; remove this field",
                            key.value()
                        ),
                    );
                }
                if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key.value()) {
                    cx.error_spanned_by(
                        &key,
                        format!(
                            "duplicate response key `{}` (also written by field `{first}`)",
                            key.value()
                        ),
                    );
                }
                keys.push((key.value(), ident));
                Target::Key(key)
            }
            (None, Some((_, prefix))) => Target::Prefix(prefix),
            (Some(key), Some(_)) => {
                cx.error_spanned_by(
                    &key,
                    "a field writes either one key or a `prefix` map, not both",
                );
                continue;
            }
            (None, None) => {
                let span = attr::param_span(&param, ident);
                cx.push(syn::Error::new(
                    span,
                    format!("`#[param]` on `{ident}` names no key: write `#[param(\"KEY\")]` or `#[param(prefix = \"userAttributes.\")]`"),
                ));
                continue;
            }
        };
        out.push(Field {
            ident,
            ty: &field.ty,
            target,
            secret,
        });
    }
    out
}

fn generate(r: &Response<'_>) -> TokenStream {
    let krate = &r.krate;
    let p = quote!(#krate::__private);
    let fields = r.fields.as_deref().unwrap_or_default();
    let writes = fields.iter().map(|f| {
        let Field {
            ident, ty, target, ..
        } = f;
        let write = match target {
            Target::Key(key) => quote!(#p::write_param(__out, #key, &self.#ident);),
            Target::Prefix(prefix) => quote!(#p::write_prefixed(__out, #prefix, &self.#ident);),
        };
        attr::respan(write, ty.span())
    });
    let impl_response = impl_response(
        r,
        &quote! {
            fn write(&self, __out: &mut #p::ResponseMap) {
                #(#writes)*
            }
        },
    );
    let debug_fields = fields.iter().map(|f| {
        let ident = f.ident;
        let name = ident.to_string();
        if f.secret {
            quote!(.field(#name, &#p::Redacted))
        } else {
            quote!(.field(#name, &self.#ident))
        }
    });
    let ident = &r.input.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = r.input.generics.split_for_impl();
    quote! {
        #impl_response

        #[automatically_derived]
        impl #impl_generics #p::Debug for #ident #ty_generics #where_clause {
            fn fmt(&self, __f: &mut #p::Formatter<'_>) -> #p::FmtResult {
                __f.debug_struct(#name) #(#debug_fields)* .finish()
            }
        }
    }
}

fn fallback(r: &Response<'_>) -> TokenStream {
    let krate = &r.krate;
    let p = quote!(#krate::__private);
    impl_response(
        r,
        &quote! {
            fn write(&self, _: &mut #p::ResponseMap) {}
        },
    )
}

fn impl_response(r: &Response<'_>, body: &TokenStream) -> TokenStream {
    let krate = &r.krate;
    let ident = &r.input.ident;
    let (impl_generics, ty_generics, where_clause) = r.input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::__private::ChallengeResponse for #ident #ty_generics #where_clause {
            #body
        }
    }
}
