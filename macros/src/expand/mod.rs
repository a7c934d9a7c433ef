//! The derives' pipelines: parse (`ast`) → validate (`check`) → generate. When
//! validation reports anything, each derive emits its errors plus fallback impls, so
//! code that uses the item compiles on and the user sees each mistake once.

mod challenge;
mod outcome;
mod response;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{DeriveInput, Path};

use crate::ast;
use crate::attr::Attr;
use crate::check;
use crate::ctxt::Ctxt;

/// `#[derive(Challenge)]`.
pub(crate) fn derive_challenge(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let parsed = ast::Challenge::from_ast(&cx, input);
    check::challenge(&cx, &parsed);
    match cx.check() {
        Ok(()) => challenge::generate(&parsed),
        Err(errors) => with_fallback(&errors, &challenge::fallback(&parsed)),
    }
}

/// `#[derive(ChallengeResponse)]`.
pub(crate) fn derive_response(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let parsed = ast::Response::from_ast(&cx, input);
    check::response(&cx, &parsed);
    match cx.check() {
        Ok(()) => response::generate(&parsed),
        Err(errors) => with_fallback(&errors, &response::fallback(&parsed)),
    }
}

/// `#[derive(Outcome)]`.
pub(crate) fn derive_outcome(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let parsed = ast::Outcome::from_ast(&cx, input);
    check::outcome(&cx, &parsed);
    match cx.check() {
        Ok(()) => outcome::generate(&parsed),
        Err(errors) => with_fallback(&errors, &outcome::fallback(&parsed)),
    }
}

/// `<crate>::__private`: the one way an expansion names what it calls.
struct Private(Path);

impl Private {
    /// Under `crate = ::path` when it was read, else `::cognito_typestate`.
    fn new(krate: &Attr<Path>) -> Self {
        let mut path = krate
            .get()
            .cloned()
            .unwrap_or_else(|| syn::parse_quote!(::cognito_typestate));
        path.segments
            .push(syn::Ident::new("__private", Span::call_site()).into());
        Self(path)
    }
}

impl ToTokens for Private {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.to_tokens(tokens);
    }
}

/// `compile_error!`s for `errors`, then `fallback`.
fn with_fallback(errors: &syn::Error, fallback: &TokenStream) -> TokenStream {
    let errors = errors.to_compile_error();
    quote! { #errors #fallback }
}

/// Gives every token of `tokens` the span `span`, so a type error in generated code is
/// reported on the user's field rather than on the derive.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
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
