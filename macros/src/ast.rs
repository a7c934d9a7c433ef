//! The typed input of each derive: the item's shape and its parsed attributes, with
//! the original syntax kept for spans. Built by parsing only; `check` validates it.

use syn::{Attribute, DeriveInput, Ident, LitStr, Type};

use crate::attr::{self, ChallengeAttrs, OutcomeAttrs, ParamAttrs, ResponseAttrs};
use crate::ctxt::Ctxt;

/// A `#[derive(Challenge)]` input.
pub(crate) struct Challenge<'a> {
    pub(crate) original: &'a DeriveInput,
    /// The first `#[challenge]`, `None` when there is none.
    pub(crate) attr: Option<&'a Attribute>,
    pub(crate) attrs: ChallengeAttrs,
    pub(crate) fields: Fields<'a>,
}

/// A `#[derive(ChallengeResponse)]` input.
pub(crate) struct Response<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) attrs: ResponseAttrs,
    pub(crate) fields: Fields<'a>,
}

/// A `#[derive(Outcome)]` input.
pub(crate) struct Outcome<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) attrs: OutcomeAttrs,
    /// `None` when the item is not an enum.
    pub(crate) variants: Option<Vec<Variant<'a>>>,
}

/// The fields of a struct derive's item.
pub(crate) enum Fields<'a> {
    /// A struct with named fields; a unit struct has none.
    Named(Vec<Field<'a>>),
    /// A tuple struct.
    Tuple,
    /// An enum or a union.
    NotAStruct,
}

/// A named field and its `#[param]`s.
pub(crate) struct Field<'a> {
    pub(crate) original: &'a syn::Field,
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// The first `#[param]`, `None` when there is none.
    pub(crate) attr: Option<&'a Attribute>,
    pub(crate) param: ParamAttrs,
}

/// An outcome variant.
pub(crate) struct Variant<'a> {
    pub(crate) original: &'a syn::Variant,
    pub(crate) ident: &'a Ident,
    /// The type of its one unnamed field; `None` for any other shape.
    pub(crate) ty: Option<&'a Type>,
}

/// Where a challenge field's value comes from.
pub(crate) enum Source<'a> {
    /// One key, decoded with `FromStr` or, with `json`, serde.
    Key {
        key: &'a LitStr,
        json: bool,
        default: bool,
    },
    /// Every key no other field reads.
    Rest,
    /// The top-level `AvailableChallenges` list.
    AvailableChallenges,
}

/// Where a response field's value goes.
pub(crate) enum Target<'a> {
    /// One key.
    Key(&'a LitStr),
    /// A map, each entry under this prefix.
    Prefix(&'a LitStr),
}

impl<'a> Challenge<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        Self {
            original: input,
            attr: attr::first::<ChallengeAttrs>(&input.attrs),
            attrs: attr::parse(cx, &input.attrs),
            fields: Fields::from_ast(cx, input),
        }
    }
}

impl<'a> Response<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        Self {
            original: input,
            attrs: attr::parse(cx, &input.attrs),
            fields: Fields::from_ast(cx, input),
        }
    }
}

impl<'a> Outcome<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        let variants = match &input.data {
            syn::Data::Enum(data) => Some(
                data.variants
                    .iter()
                    .map(|variant| Variant {
                        original: variant,
                        ident: &variant.ident,
                        ty: match &variant.fields {
                            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                                Some(&fields.unnamed[0].ty)
                            }
                            _ => None,
                        },
                    })
                    .collect(),
            ),
            _ => None,
        };
        Self {
            original: input,
            attrs: attr::parse(cx, &input.attrs),
            variants,
        }
    }

    /// Each variant with the type it holds, once `check` has passed.
    pub(crate) fn valid_variants(&self) -> impl Iterator<Item = (&'a Ident, &'a Type)> + '_ {
        self.variants
            .iter()
            .flatten()
            .filter_map(|v| Some((v.ident, v.ty?)))
    }
}

impl<'a> Fields<'a> {
    fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        let syn::Data::Struct(data) = &input.data else {
            return Self::NotAStruct;
        };
        match &data.fields {
            syn::Fields::Named(named) => Self::Named(
                named
                    .named
                    .iter()
                    .map(|field| Field {
                        original: field,
                        ident: field.ident.as_ref().expect("a named field"),
                        ty: &field.ty,
                        attr: attr::first::<ParamAttrs>(&field.attrs),
                        param: attr::parse(cx, &field.attrs),
                    })
                    .collect(),
            ),
            syn::Fields::Unit => Self::Named(Vec::new()),
            syn::Fields::Unnamed(_) => Self::Tuple,
        }
    }

    /// The named fields; none for another shape (an error `check` reports).
    pub(crate) fn named(&self) -> &[Field<'a>] {
        match self {
            Self::Named(fields) => fields,
            Self::Tuple | Self::NotAStruct => &[],
        }
    }
}

impl Field<'_> {
    /// Where this challenge field is read from; `None` when its `#[param]` names nothing.
    pub(crate) fn source(&self) -> Option<Source<'_>> {
        let p = &self.param;
        if p.rest.is_set() {
            Some(Source::Rest)
        } else if p.available_challenges.is_set() {
            Some(Source::AvailableChallenges)
        } else {
            p.key.get().map(|key| Source::Key {
                key,
                json: p.json.is_set(),
                default: p.default.is_set(),
            })
        }
    }

    /// Where this response field is written; `None` when its `#[param]` names nothing.
    pub(crate) fn target(&self) -> Option<Target<'_>> {
        let p = &self.param;
        p.key
            .get()
            .map(Target::Key)
            .or_else(|| p.prefix.get().map(Target::Prefix))
    }
}

/// `T` of `Option<T>`, recognised by its last path segment as serde does.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}
