//! `#[derive(Challenge)]`: `Challenge`, and `AskHandler` (the handler-driven sign-in's
//! one-call answer) unless `handler = manual`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::Private;
use crate::ast::{self, Source};

pub(super) fn generate(c: &ast::Challenge<'_>) -> TokenStream {
    let p = Private::new(&c.attrs.krate);
    let fields = c.fields.named();
    let keys = fields.iter().filter_map(|f| match f.source()? {
        Source::Key { key, .. } => Some(key),
        Source::Rest | Source::AvailableChallenges => None,
    });
    let keys = quote!(#(#keys),*);
    let inits = fields.iter().filter_map(|f| {
        let (ident, ty) = (f.ident, f.ty);
        // Spanned on the field's type, so a type that cannot be read is reported there.
        let span = ty.span();
        let at = p.at(span);
        let value = match f.source()? {
            Source::Key { key, json, default } => {
                let (call, decoded) = match ast::option_inner(ty) {
                    Some(inner) => (quote!(optional), inner),
                    None if default => (quote!(defaulted), ty),
                    None => (quote!(required), ty),
                };
                let decode_fn = if json {
                    quote!(decode_json)
                } else {
                    quote!(decode_str)
                };
                quote_spanned! {span=> #at::#call(__parameters, #key, #at::#decode_fn::<#decoded>)? }
            }
            Source::Rest => quote_spanned! {span=> #at::rest::<#ty>(__parameters, &[#keys]) },
            Source::AvailableChallenges => {
                quote_spanned! {span=> #at::available_challenges::<#ty, _>(__parameters)? }
            }
        };
        Some(quote!(#ident: #value))
    });
    // `Self {}` also builds a unit struct.
    let body = quote! {
        fn from_parameters(
            __parameters: &#p::Parameters<'_>,
        ) -> #p::Result<Self, #p::ParameterError> {
            #p::Result::Ok(Self { #(#inits,)* })
        }
    };
    impl_challenge(c, &p, &body)
}

/// The impls with what could be read (`Invalid` for a missing type), so code that uses
/// the challenge compiles on.
pub(super) fn fallback(c: &ast::Challenge<'_>) -> TokenStream {
    let p = Private::new(&c.attrs.krate);
    let body = quote! {
        fn from_parameters(
            _: &#p::Parameters<'_>,
        ) -> #p::Result<Self, #p::ParameterError> {
            #p::Result::Err(#p::ParameterError::Missing { key: ::core::default::Default::default() })
        }
    };
    impl_challenge(c, &p, &body)
}

fn impl_challenge(c: &ast::Challenge<'_>, p: &Private, body: &TokenStream) -> TokenStream {
    let ident = &c.original.ident;
    let (impl_generics, ty_generics, where_clause) = c.original.generics.split_for_impl();
    let name = c
        .attrs
        .name
        .get()
        .map_or_else(|| quote!(""), |n| quote!(#n));
    let response = c
        .attrs
        .response
        .get()
        .map_or_else(|| quote!(#p::Invalid), |t| quote!(#t));
    let next = c
        .attrs
        .next
        .get()
        .map_or_else(|| quote!(#p::Invalid), |t| quote!(#t));
    let handler = if c.attrs.handler.is_set() {
        quote!()
    } else {
        impl_ask_handler(c, p)
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

/// Opts the challenge into the handler-driven sign-in's one-call answer (`Prompt` and
/// `Drive` are blanket impls over `AskHandler` in the library).
fn impl_ask_handler(c: &ast::Challenge<'_>, p: &Private) -> TokenStream {
    let ident = &c.original.ident;
    let (impl_generics, ty_generics, where_clause) = c.original.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::AskHandler for #ident #ty_generics #where_clause {}
    }
}
