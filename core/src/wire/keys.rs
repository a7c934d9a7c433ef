//! The parameter keys the library itself writes or reads by name: the plumbing that
//! every request carries and that no answer type may write (DESIGN.md, guarantee 4).
//!
//! Every other key is declared once, on the answer or challenge type that owns it
//! (`#[param("SMS_MFA_CODE")]`), and written by the derive.

/// The user the request is for: what the user typed, then the canonical name.
pub(crate) const USERNAME: &str = "USERNAME";
/// HMAC of username and client id under the app client's secret.
pub(crate) const SECRET_HASH: &str = "SECRET_HASH";
/// The remembered device.
pub(crate) const DEVICE_KEY: &str = "DEVICE_KEY";
/// The canonical username SRP is computed with (`PASSWORD_VERIFIER`'s parameters).
pub(crate) const USER_ID_FOR_SRP: &str = "USER_ID_FOR_SRP";
