//! What the derives' expansions name, as `::cognito_typestate::__private::...`. Not
//! public API: no semver guarantees.
//!
//! Only re-exports: each piece lives in the layer it belongs to (parameter decoding,
//! response writing, outcome selection and fallbacks in `challenge`, the handler engine
//! in `handler::engine`), so the derives' logic is written and tested once.

pub use ::core::fmt::{Debug, Formatter, Result as FmtResult};
pub use ::core::option::Option;
pub use ::core::result::Result;

pub use crate::challenge::decode::{
    Decoder, available_challenges, decode_json, decode_str, defaulted, optional, required, rest,
};
pub use crate::challenge::fallback::Invalid;
pub use crate::challenge::select::{first_duplicate, no_variant, select};
pub use crate::challenge::write::{Redacted, write_param, write_prefixed};
pub use crate::challenge::{
    Accepts, Challenge, ChallengeResponse, Erased, Outcome, OutcomeVariant, Parameters,
    PrefixedParams, ResponseMap, StateOf, Step, ToParam, Variant, Within,
};
pub use crate::error::{Error, ParameterError};
pub use crate::handler::engine::{
    Depth, Erase, Lower, MaxDepth, Reach, ReachVariant, Table, register_variant,
};
pub use crate::handler::{AskHandler, Handler};
pub use crate::secret::Secret;
pub use crate::tokens::Tokens;
