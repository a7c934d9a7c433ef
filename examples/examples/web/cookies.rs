//! Cookie ids for the web examples (`resume`, `passkeys`): what a browser sends back, and
//! fresh random ids to key server-side state by.

use axum::http::{HeaderMap, header};

/// The value of the cookie `name` the browser sent; `None` when absent or empty (a
/// cleared cookie).
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// 128 random bits in hex: the cookie is the only key to what the server stores.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source");
    bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    })
}
