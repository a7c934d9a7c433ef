//! Derive macros of [`cognito-typestate`](https://docs.rs/cognito-typestate).
//!
//! This crate is an implementation detail: depend on `cognito-typestate`, which
//! re-exports the derives and documents them. The expansions call
//! `cognito_typestate::__private`, so the two crates are released in lockstep.
//!
//! Each derive runs the same stages, one module each: `attr` reads the attribute
//! grammar into typed options, `ast` the item's shape, `check` validates both, and
//! `expand` generates the impls (or, after any error, fallback impls).

// Every public item is documented; CI's `cargo doc` also denies broken links.
#![deny(missing_docs)]

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod suggest;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Declares a challenge. See `cognito_typestate::Challenge`.
#[proc_macro_derive(Challenge, attributes(challenge, param))]
pub fn derive_challenge(input: TokenStream) -> TokenStream {
    expand::derive_challenge(&syn::parse_macro_input!(input)).into()
}

/// Declares a challenge answer. See `cognito_typestate::ChallengeResponse`.
#[proc_macro_derive(ChallengeResponse, attributes(response, param))]
pub fn derive_challenge_response(input: TokenStream) -> TokenStream {
    expand::derive_response(&syn::parse_macro_input!(input)).into()
}

/// Declares the set of next steps of a call. See `cognito_typestate::Outcome`.
#[proc_macro_derive(Outcome, attributes(outcome))]
pub fn derive_outcome(input: TokenStream) -> TokenStream {
    expand::derive_outcome(&syn::parse_macro_input!(input)).into()
}
