//! `#[derive(ChallengeResponse)]`: `ChallengeResponse`, and a `Debug` that redacts the
//! fields not marked `public`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::Private;
use crate::ast::{self, Target};

pub(super) fn generate(r: &ast::Response<'_>) -> TokenStream {
    let p = Private::new(&r.attrs.krate);
    let fields = r.fields.named();
    let writes = fields.iter().filter_map(|f| {
        // Spanned on the field's type, so a type that cannot be written is reported there
        // (the field's name too: it is the call's last argument).
        let span = f.ty.span();
        let at = p.at(span);
        let mut ident = f.ident.clone();
        ident.set_span(span);
        Some(match f.target()? {
            Target::Key(key) => quote_spanned!(span=> #at::write_param(__out, #key, &self.#ident);),
            Target::Prefix(prefix) => {
                quote_spanned!(span=> #at::write_prefixed(__out, #prefix, &self.#ident);)
            }
        })
    });
    let impl_response = impl_response(
        r,
        &p,
        &quote! {
            fn write(&self, __out: &mut #p::ResponseMap) {
                #(#writes)*
            }
        },
    );
    let debug_fields = fields.iter().map(|f| {
        let ident = f.ident;
        let name = ident.to_string();
        if f.param.public.is_set() {
            quote!(.field(#name, &self.#ident))
        } else {
            quote!(.field(#name, &#p::Redacted))
        }
    });
    let impl_debug = impl_debug(r, &p, &quote!(#(#debug_fields)* .finish()));
    quote! {
        #impl_response

        #impl_debug
    }
}

/// Both impls with empty bodies, so code that sends or prints the answer compiles on.
pub(super) fn fallback(r: &ast::Response<'_>) -> TokenStream {
    let p = Private::new(&r.attrs.krate);
    let impl_response = impl_response(
        r,
        &p,
        &quote! {
            fn write(&self, _: &mut #p::ResponseMap) {}
        },
    );
    let impl_debug = impl_debug(r, &p, &quote!(.finish_non_exhaustive()));
    quote! {
        #impl_response

        #impl_debug
    }
}

fn impl_response(r: &ast::Response<'_>, p: &Private, body: &TokenStream) -> TokenStream {
    let ident = &r.original.ident;
    let (impl_generics, ty_generics, where_clause) = r.original.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::ChallengeResponse for #ident #ty_generics #where_clause {
            #body
        }
    }
}

/// `Debug` as `debug_struct(name)` followed by `fields`.
fn impl_debug(r: &ast::Response<'_>, p: &Private, fields: &TokenStream) -> TokenStream {
    let ident = &r.original.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = r.original.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::Debug for #ident #ty_generics #where_clause {
            fn fmt(&self, __f: &mut #p::Formatter<'_>) -> #p::FmtResult {
                __f.debug_struct(#name) #fields
            }
        }
    }
}
