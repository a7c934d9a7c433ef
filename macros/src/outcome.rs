//! `#[derive(Outcome)]`: parse → validate → generate.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{DeriveInput, Ident, Path, Type};

use crate::attr::{self, Kind};
use crate::ctxt::Ctxt;

struct Outcome<'a> {
    input: &'a DeriveInput,
    krate: Path,
    variants: Vec<Variant<'a>>,
}

struct Variant<'a> {
    ident: &'a Ident,
    ty: &'a Type,
}

pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let outcome = parse(&cx, input);
    match cx.check() {
        Ok(()) => generate(&outcome),
        Err(e) => attr::with_fallback(&e, &fallback(&outcome)),
    }
}

fn parse<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Outcome<'a> {
    let container = attr::container_attr(cx, &input.attrs, "outcome", &[("crate", Kind::Path)]);
    let krate = container.crate_path(cx);
    let mut variants = Vec::new();
    match &input.data {
        syn::Data::Enum(data) => {
            if data.variants.is_empty() {
                cx.error_spanned_by(
                    &input.ident,
                    "an outcome needs at least one variant: `Authenticated(Tokens)` or `SomeChallenge(Pending<SomeChallenge>)`",
                );
            }
            for variant in &data.variants {
                match &variant.fields {
                    syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => variants.push(Variant {
                        ident: &variant.ident,
                        ty: &fields.unnamed[0].ty,
                    }),
                    _ => cx.error_spanned_by(
                        variant,
                        format!(
                            "variant `{}` must hold exactly one value: `{0}(Tokens)` or `{0}(Pending<SomeChallenge>)`",
                            variant.ident
                        ),
                    ),
                }
            }
        }
        _ => cx.error_spanned_by(
            &input.ident,
            "`#[derive(Outcome)]` goes on an enum whose variants hold `Tokens` or `Pending<SomeChallenge>`",
        ),
    }
    Outcome {
        input,
        krate,
        variants,
    }
}

fn generate(o: &Outcome<'_>) -> TokenStream {
    let krate = &o.krate;
    let p = quote!(#krate::__private);
    let ident = &o.input.ident;
    let table = o.variants.iter().map(|v| {
        let (name, ty) = (v.ident.to_string(), v.ty);
        quote_spanned! {ty.span()=>
            #p::Variant {
                name: #name,
                accepts: <#ty as #p::OutcomeVariant>::ACCEPTS,
                next: <#ty as #p::OutcomeVariant>::NEXT,
            }
        }
    });
    let arms = o.variants.iter().enumerate().map(|(i, v)| {
        let (variant, ty) = (v.ident, v.ty);
        quote!(#i => #p::variant::<#ty>(__step).map(Self::#variant),)
    });
    // One literal message per variant: const panics cannot format.
    let duplicate_arms = o.variants.iter().enumerate().skip(1).map(|(i, v)| {
        let message = format!(
            "`{ident}::{}` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once",
            v.ident
        );
        quote_spanned! {v.ident.span()=> #i => ::core::panic!(#message), }
    }).collect::<Vec<_>>();
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
    let (check_in_fn, check_item) = if o.input.generics.params.is_empty() {
        let check = check(quote!(#ident));
        (quote!(), quote!(const _: () = { #check };))
    } else {
        let check = check(quote!(Self));
        (quote!(const { #check };), quote!())
    };
    let (impl_generics, ty_generics, where_clause) = o.input.generics.split_for_impl();
    let handler = impl_handler(o);
    quote! {
        #handler

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

/// What the handler-driven sign-in needs: every variant's challenges have handlers
/// (`Reach`, one bound per variant), and a value can be erased for the driver's loop.
fn impl_handler(o: &Outcome<'_>) -> TokenStream {
    let krate = &o.krate;
    let p = quote!(#krate::__private);
    let ident = &o.input.ident;
    let (impl_generics, ty_generics, where_clause) = o.input.generics.split_for_impl();
    let mut with_handler = o.input.generics.clone();
    with_handler
        .params
        .push(syn::parse_quote!(__H: #p::Handler));
    with_handler.params.push(syn::parse_quote!(__D));
    let reach_where = with_handler.make_where_clause();
    for v in &o.variants {
        let ty = v.ty;
        reach_where
            .predicates
            .push(syn::parse_quote!(#ty: #p::ReachVariant<__H, __D>));
    }
    let (reach_generics, _, reach_where) = with_handler.split_for_impl();
    let registrations = o.variants.iter().map(|v| {
        let ty = v.ty;
        quote_spanned!(ty.span()=> #p::register_variant::<#ty, __H, __D>(__table);)
    });
    // Through `OutcomeVariant`, so a variant of the wrong type reports the same error
    // as the table above instead of one more.
    let erasures = o.variants.iter().map(|v| {
        let (variant, ty) = (v.ident, v.ty);
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

fn fallback(o: &Outcome<'_>) -> TokenStream {
    let krate = &o.krate;
    let p = quote!(#krate::__private);
    let ident = &o.input.ident;
    let (impl_generics, ty_generics, where_clause) = o.input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Outcome for #ident #ty_generics #where_clause {
            const VARIANTS: &'static [#p::Variant] = &[];

            fn from_step(_: #p::Step) -> #p::Result<Self, #p::Error> {
                #p::Result::Err(#p::no_variant(<Self as #p::Outcome>::VARIANTS))
            }
        }
    }
}
