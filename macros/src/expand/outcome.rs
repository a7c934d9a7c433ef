//! `#[derive(Outcome)]`: `Outcome` with its variant table and duplicate check, and
//! `Reach` + `Erase` for the handler-driven sign-in.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::Private;
use crate::ast;

pub(super) fn generate(o: &ast::Outcome<'_>) -> TokenStream {
    let p = Private::new(&o.attrs.krate);
    let ident = &o.original.ident;
    let table = o.valid_variants().map(|(variant, ty)| {
        let name = variant.to_string();
        quote_spanned! {ty.span()=>
            #p::Variant {
                name: #name,
                accepts: <#ty as #p::OutcomeVariant>::ACCEPTS,
                next: <#ty as #p::OutcomeVariant>::NEXT,
            }
        }
    });
    let arms = o
        .valid_variants()
        .enumerate()
        .map(|(i, (variant, ty))| {
            quote!(#i => <#ty as #p::OutcomeVariant>::from_step(__step).map(Self::#variant),)
        });
    // One literal message per variant: const panics cannot format.
    let duplicate_arms = o
        .valid_variants()
        .enumerate()
        .skip(1)
        .map(|(i, (variant, _))| {
            let message = format!(
                "`{ident}::{variant}` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
            );
            quote_spanned! {variant.span()=> #i => ::core::panic!(#message), }
        })
        .collect::<Vec<_>>();
    let check = |this: TokenStream| {
        quote! {
            match #p::first_duplicate(<#this as #p::Outcome>::VARIANTS) {
                #(#duplicate_arms)*
                _ => {}
            }
        }
    };
    // A generic enum's table is only known per instantiation, so it is checked in
    // `from_step`; any other enum is checked once, at its definition.
    let (check_in_fn, check_item) = if o.original.generics.params.is_empty() {
        let check = check(quote!(#ident));
        (quote!(), quote!(const _: () = { #check };))
    } else {
        let check = check(quote!(Self));
        (quote!(const { #check };), quote!())
    };
    let (impl_generics, ty_generics, where_clause) = o.original.generics.split_for_impl();
    let handler = impl_handler(o, &p);
    let states = impl_states(o, &p);
    quote! {
        #handler

        #states

        #[automatically_derived]
        impl #impl_generics #p::Outcome for #ident #ty_generics #where_clause {
            const VARIANTS: &'static [#p::Variant] = &[#(#table),*];

            fn from_step(__step: #p::Step) -> #p::Result<Self, #p::Error> {
                #check_in_fn
                match #p::select(&__step, <Self as #p::Outcome>::VARIANTS)? {
                    #(#arms)*
                    _ => #p::Result::Err(#p::no_variant(<Self as #p::Outcome>::VARIANTS)),
                }
            }
        }

        #check_item
    }
}

/// `StateOf<Self>` for each variant's type and `Within<O>` for every outcome `O` that
/// has all of them: what lets a flow take this enum as a narrower outcome.
fn impl_states(o: &ast::Outcome<'_>, p: &Private) -> TokenStream {
    let ident = &o.original.ident;
    let (impl_generics, ty_generics, where_clause) = o.original.generics.split_for_impl();
    // A type listed twice is the duplicate check's error; one impl keeps it the only one.
    let mut seen = std::collections::BTreeSet::new();
    let types: Vec<_> = o
        .valid_variants()
        .map(|(_, ty)| ty)
        .filter(|ty| seen.insert(quote!(#ty).to_string()))
        .collect();
    let mut within = with_target(o, p);
    let within_where = within.make_where_clause();
    for ty in &types {
        within_where
            .predicates
            .push(syn::parse_quote!(#ty: #p::StateOf<__O>));
    }
    let (within_generics, _, within_where) = within.split_for_impl();
    quote! {
        #(
            #[automatically_derived]
            impl #impl_generics #p::StateOf<#ident #ty_generics> for #types #where_clause {}
        )*

        #[automatically_derived]
        impl #within_generics #p::Within<__O> for #ident #ty_generics #within_where {}
    }
}

/// The enum's generics plus `__O: Outcome`, the outcome it is narrower than.
fn with_target(o: &ast::Outcome<'_>, p: &Private) -> syn::Generics {
    let mut generics = o.original.generics.clone();
    generics.params.push(syn::parse_quote!(__O: #p::Outcome));
    generics
}

/// The enum's generics plus `__H: Handler` and the depth budget `__D`.
fn with_handler_and_depth(o: &ast::Outcome<'_>, p: &Private) -> syn::Generics {
    let mut generics = o.original.generics.clone();
    generics.params.push(syn::parse_quote!(__H: #p::Handler));
    generics.params.push(syn::parse_quote!(__D));
    generics
}

/// What the handler-driven sign-in needs: every variant's challenges have handlers
/// (`Reach`, one bound per variant), and a value can be erased for the driver's loop.
fn impl_handler(o: &ast::Outcome<'_>, p: &Private) -> TokenStream {
    let ident = &o.original.ident;
    let (impl_generics, ty_generics, where_clause) = o.original.generics.split_for_impl();
    let mut with_handler = with_handler_and_depth(o, p);
    let reach_where = with_handler.make_where_clause();
    for (_, ty) in o.valid_variants() {
        reach_where
            .predicates
            .push(syn::parse_quote!(#ty: #p::ReachVariant<__H, __D>));
    }
    let (reach_generics, _, reach_where) = with_handler.split_for_impl();
    let registrations = o
        .valid_variants()
        .map(|(_, ty)| quote_spanned!(ty.span()=> #p::register_variant::<#ty, __H, __D>(__table);));
    // Through `OutcomeVariant`, so a variant of the wrong type reports the same error
    // as the table above instead of one more.
    let erasures = o.valid_variants().map(|(variant, ty)| {
        quote_spanned!(ty.span()=> Self::#variant(__v) => <#ty as #p::OutcomeVariant>::__erase(__v),)
    });
    quote! {
        #[automatically_derived]
        impl #reach_generics #p::Reach<__H, __D> for #ident #ty_generics #reach_where {
            fn register(__table: &mut #p::Table<__H>) {
                #(#registrations)*
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::Erase for #ident #ty_generics #where_clause {
            fn erase(self) -> #p::Erased {
                match self {
                    #(#erasures)*
                }
            }
        }
    }
}

/// `Outcome`, `Reach`, `Erase` and `Within` with nothing in them, so a challenge whose
/// `next` is this enum, a driver that reaches it, and a flow given it compile on.
pub(super) fn fallback(o: &ast::Outcome<'_>) -> TokenStream {
    let p = Private::new(&o.attrs.krate);
    let ident = &o.original.ident;
    let (impl_generics, ty_generics, where_clause) = o.original.generics.split_for_impl();
    let with_handler = with_handler_and_depth(o, &p);
    let (reach_generics, _, _) = with_handler.split_for_impl();
    let within = with_target(o, &p);
    let (within_generics, _, _) = within.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #within_generics #p::Within<__O> for #ident #ty_generics #where_clause {}

        #[automatically_derived]
        impl #impl_generics #p::Outcome for #ident #ty_generics #where_clause {
            const VARIANTS: &'static [#p::Variant] = &[];

            fn from_step(_: #p::Step) -> #p::Result<Self, #p::Error> {
                #p::Result::Err(#p::no_variant(<Self as #p::Outcome>::VARIANTS))
            }
        }

        #[automatically_derived]
        impl #reach_generics #p::Reach<__H, __D> for #ident #ty_generics #where_clause {
            fn register(_: &mut #p::Table<__H>) {}
        }

        #[automatically_derived]
        impl #impl_generics #p::Erase for #ident #ty_generics #where_clause {
            fn erase(self) -> #p::Erased {
                ::core::unreachable!()
            }
        }
    }
}
