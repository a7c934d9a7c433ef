//! Reading Cognito's JSON request bodies.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{ApiError, Result};

pub(crate) fn text<'a>(body: &'a Value, key: &str) -> Result<&'a str> {
    opt_text(body, key).ok_or_else(|| ApiError::missing(key))
}

pub(crate) fn opt_text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

/// A required entry of a parameter map (`AuthParameters`, `ChallengeResponses`).
pub(crate) fn required<'m>(map: &'m BTreeMap<String, String>, key: &str) -> Result<&'m String> {
    map.get(key).ok_or_else(|| ApiError::missing(key))
}

pub(crate) fn string_map(body: &Value, key: &str) -> Result<BTreeMap<String, String>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(ApiError::new(
                    "SerializationException",
                    format!("{key}.{k} must be a string"),
                )),
            })
            .collect(),
        Some(_) => Err(ApiError::new(
            "SerializationException",
            format!("{key} must be a map"),
        )),
    }
}
