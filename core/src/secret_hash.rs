//! `SECRET_HASH`: how an app client with a secret proves it on every call.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Secret;

/// `Base64(HMAC_SHA256(key = client_secret, msg = username || client_id))`.
///
/// `username` must be what the service expects at that step: what the user typed on
/// `InitiateAuth`, the canonical name (`USER_ID_FOR_SRP`) on every later step and on
/// refresh. The client picks the right one; this function is public for tests and for
/// code that calls other Cognito operations.
///
/// ```
/// use cognito_typestate::{Secret, secret_hash};
///
/// let hash = secret_hash(&Secret::new("client-secret"), "alice", "client-id");
/// assert_eq!(hash.expose().len(), 44); // 32 bytes of HMAC-SHA256 in base64
/// ```
pub fn secret_hash(client_secret: &Secret, username: &str, client_id: &str) -> Secret {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.expose().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    Secret::new(STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answer() {
        // Computed independently with Python:
        // base64.b64encode(hmac.new(b"secret", b"alice" + b"client", hashlib.sha256).digest())
        let hash = secret_hash(&Secret::new("secret"), "alice", "client");
        assert_eq!(
            hash.expose(),
            "RTsve+FQ659UKyESgvLg9GYmZEL+QjzQsW/OjL77/b0="
        );
    }

    #[test]
    fn username_comes_before_client_id() {
        let a = secret_hash(&Secret::new("s"), "ab", "c");
        let b = secret_hash(&Secret::new("s"), "a", "bc");
        assert_eq!(a, b, "the message is the plain concatenation");
        let c = secret_hash(&Secret::new("s"), "c", "ab");
        assert_ne!(a, c);
    }
}
