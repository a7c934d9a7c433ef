//! `#[derive(Challenge)]`: `Challenge`, and `Prompt` + `Drive` for the handler-driven
//! sign-in unless `handler = manual`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::{Private, respan};
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
                quote_spanned! {ty.span()=> #p::#call(__parameters, #key, #p::#decode_fn::<#decoded>)? }
            }
            Source::Rest => quote_spanned! {ty.span()=> #p::rest::<#ty>(__parameters, &[#keys]) },
            Source::AvailableChallenges => {
                quote_spanned! {ty.span()=> #p::available_challenges::<#ty, _>(__parameters)? }
            }
        };
        let value = respan(value, ty.span());
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
        impl_handler(c, p)
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
fn impl_handler(c: &ast::Challenge<'_>, p: &Private) -> TokenStream {
    let ident = &c.original.ident;
    let generics = &c.original.generics;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let mut with_handler = generics.clone();
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
