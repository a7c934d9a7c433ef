//! Parameter decoding: how a derived challenge reads its `ChallengeParameters`.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::DeserializeOwned;

use super::Parameters;
use crate::error::{ParameterError, QUOTE_LIMIT, quoted};

/// A decoder from one parameter string to a field's type.
pub type Decoder<T> = fn(&str) -> Result<T, String>;

/// Default field decoding: `FromStr`.
pub fn decode_str<T>(value: &str) -> Result<T, String>
where
    T: FromStr,
    T::Err: Display,
{
    value.parse().map_err(|e: T::Err| e.to_string())
}

/// `json` field decoding: the value is itself JSON (a list or an object in a string).
pub fn decode_json<T: DeserializeOwned>(value: &str) -> Result<T, String> {
    serde_json::from_str(value).map_err(|e| e.to_string())
}

/// A key that must be present.
pub fn required<T>(p: &Parameters<'_>, key: &str, decode: Decoder<T>) -> Result<T, ParameterError> {
    let value = p.get(key).ok_or_else(|| ParameterError::Missing {
        key: key.to_owned(),
    })?;
    decode_value(key, value, decode)
}

/// An `Option<T>` field: `None` when the key is absent.
pub fn optional<T>(
    p: &Parameters<'_>,
    key: &str,
    decode: Decoder<T>,
) -> Result<Option<T>, ParameterError> {
    p.get(key)
        .map(|value| decode_value(key, value, decode))
        .transpose()
}

/// A `default` field: `T::default()` when the key is absent.
pub fn defaulted<T: Default>(
    p: &Parameters<'_>,
    key: &str,
    decode: Decoder<T>,
) -> Result<T, ParameterError> {
    Ok(optional(p, key, decode)?.unwrap_or_default())
}

/// A `rest` field: every parameter whose key is not one of the declared `keys`.
pub fn rest<T: FromIterator<(String, String)>>(p: &Parameters<'_>, keys: &[&str]) -> T {
    p.map()
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// An `available_challenges` field: the top-level `AvailableChallenges` list.
pub fn available_challenges<T, E>(p: &Parameters<'_>) -> Result<T, ParameterError>
where
    T: FromIterator<E>,
    E: FromStr,
    E::Err: Display,
{
    p.available_challenges()
        .iter()
        .map(|name| decode_value("AvailableChallenges", name, decode_str::<E>))
        .collect()
}

fn decode_value<T>(key: &str, value: &str, decode: Decoder<T>) -> Result<T, ParameterError> {
    decode(value).map_err(|reason| ParameterError::Invalid {
        key: quoted(key, QUOTE_LIMIT),
        value: quoted(value, QUOTE_LIMIT),
        reason: quoted(&reason, QUOTE_LIMIT),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn decoders_report_key_value_and_reason() {
        let map = BTreeMap::from([
            ("N".to_owned(), "x".to_owned()),
            ("L".to_owned(), "[\"a\"]".to_owned()),
        ]);
        let p = Parameters::new(&map, &[]);
        let err = required::<u8>(&p, "N", decode_str).unwrap_err();
        assert!(
            matches!(err, ParameterError::Invalid { ref key, ref value, .. } if key == "N" && value == "x")
        );
        assert_eq!(
            required::<String>(&p, "M", decode_str).unwrap_err(),
            ParameterError::Missing { key: "M".into() }
        );
        assert_eq!(optional::<u8>(&p, "M", decode_str).unwrap(), None);
        assert_eq!(
            required::<Vec<String>>(&p, "L", decode_json).unwrap(),
            vec!["a".to_owned()]
        );
        assert_eq!(
            defaulted::<Vec<String>>(&p, "Z", decode_json).unwrap(),
            Vec::<String>::new()
        );
        let others: BTreeMap<String, String> = rest(&p, &["N"]);
        assert_eq!(others.keys().collect::<Vec<_>>(), ["L"]);
    }
}
