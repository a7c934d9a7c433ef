//! The derives' pipelines: parse (`ast`) → validate (`check`) → generate. When
//! validation reports anything, each derive emits its errors plus fallback impls, so
//! code that uses the item compiles on and the user sees each mistake once.

mod challenge;
mod outcome;
mod response;

use proc_macro2::{Span, TokenStream, TokenTree};
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

/// `<crate>::__private`: the one way an expansion names what it calls. Its tokens are
/// made once per derive (it is named in nearly every generated line) and copied from
/// there.
struct Private(Vec<TokenTree>);

impl Private {
    /// Under `crate = ::path` when it was read, else `::cognito_typestate`.
    fn new(krate: &Attr<Path>) -> Self {
        let mut tokens = krate
            .get()
            .map_or_else(|| quote!(::cognito_typestate), ToTokens::to_token_stream);
        tokens.extend(quote!(::__private));
        Self(tokens.into_iter().collect())
    }

    /// The same path with every token at `span`: a call through it that does not type-check
    /// is then reported on the user's field (a call's span starts at its path), not on the
    /// derive.
    fn at(&self, span: Span) -> Self {
        let mut tokens = self.0.clone();
        for token in &mut tokens {
            token.set_span(span);
        }
        Self(tokens)
    }
}

impl ToTokens for Private {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.0.iter().cloned());
    }
}

/// `compile_error!`s for `errors`, then `fallback`.
fn with_fallback(errors: &syn::Error, fallback: &TokenStream) -> TokenStream {
    let errors = errors.to_compile_error();
    quote! { #errors #fallback }
}
