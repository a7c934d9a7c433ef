//! Cookies for the web examples (`resume`, `passkeys`): what a browser sends back.

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
