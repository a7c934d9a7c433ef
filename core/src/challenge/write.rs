//! Response writing: how a derived answer writes its `ChallengeResponses`, and the
//! values that can be written.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::ResponseMap;
use crate::secret::Secret;

/// Writes one response field.
pub fn write_param<T: ToParam + ?Sized>(out: &mut ResponseMap, key: &str, value: &T) {
    if let Some(value) = value.to_param() {
        out.insert(key, value);
    }
}

/// Writes a map field, each entry under `prefix` + its key.
pub fn write_prefixed<M: PrefixedParams + ?Sized>(out: &mut ResponseMap, prefix: &str, map: &M) {
    map.write_prefixed(out, prefix);
}

/// `Debug` for a response field marked `secret`.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How a response field is written as a `ChallengeResponses` value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written as a challenge response value",
    label = "not a response value",
    note = "response values are strings: use `String`, `Secret`, `bool`, an integer, `Option` of one of them, or implement `cognito_typestate::ToParam`"
)]
pub trait ToParam {
    /// The value to send; `None` leaves the key out.
    fn to_param(&self) -> Option<Secret>;
}

impl ToParam for str {
    fn to_param(&self) -> Option<Secret> {
        Some(Secret::new(self))
    }
}

impl ToParam for String {
    fn to_param(&self) -> Option<Secret> {
        Some(Secret::new(self.as_str()))
    }
}

impl ToParam for Secret {
    fn to_param(&self) -> Option<Secret> {
        Some(self.clone())
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Option<Secret> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Option<Secret> {
        self.as_ref().and_then(ToParam::to_param)
    }
}

macro_rules! to_param_via_display {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Option<Secret> {
                Some(Secret::new(self.to_string()))
            }
        }
    )*};
}

to_param_via_display!(
    bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

/// A map field written under a key prefix (`userAttributes.<name>`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold prefixed response keys",
    label = "a `prefix` field must be a map",
    note = "use `BTreeMap<String, V>` or `HashMap<String, V>` where `V: ToParam`"
)]
pub trait PrefixedParams {
    /// Writes every entry under `prefix`.
    fn write_prefixed(&self, out: &mut ResponseMap, prefix: &str);
}

impl<V: ToParam> PrefixedParams for BTreeMap<String, V> {
    fn write_prefixed(&self, out: &mut ResponseMap, prefix: &str) {
        for (k, v) in self {
            write_param(out, &format!("{prefix}{k}"), v);
        }
    }
}

impl<V: ToParam, S> PrefixedParams for HashMap<String, V, S> {
    fn write_prefixed(&self, out: &mut ResponseMap, prefix: &str) {
        for (k, v) in self {
            write_param(out, &format!("{prefix}{k}"), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_left_out_and_prefixes_applied() {
        let mut out = ResponseMap::new();
        write_param(&mut out, "A", &Option::<String>::None);
        write_param(&mut out, "B", &Some(7u32));
        write_prefixed(
            &mut out,
            "userAttributes.",
            &BTreeMap::from([("name".to_owned(), "Al".to_owned())]),
        );
        let map = out.into_inner();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["B", "userAttributes.name"]);
        assert_eq!(map["B"].expose(), "7");
    }
}
