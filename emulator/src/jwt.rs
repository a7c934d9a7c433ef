//! RS256 JSON Web Tokens, signed with a key made once per process and published as a
//! JWKS under a key id of each emulator's own.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer as RsaSigner;
use serde_json::{Value, json};

use crate::random::random_token;

/// Signs under the process's RSA-2048 key with a key id of this emulator's own.
pub(crate) struct Signer {
    kid: String,
}

/// The process's RSA key, or why it could not be made. Making one takes from tens to
/// hundreds of milliseconds: it is made once per process, on a thread of its own, so
/// an emulator answers at once and a test suite starting many emulators makes it once.
/// Each emulator publishes it under its own key id, so a verifier holding one
/// emulator's JWKS still refuses another's tokens (no `kid` it knows).
static PROCESS_KEY: OnceLock<Result<PKey<Private>, String>> = OnceLock::new();

/// An RSA-2048 key made for this crate and published with its source, for
/// [`use_published_signing_key`](crate::use_published_signing_key).
const PUBLISHED_KEY_PEM: &[u8] = include_bytes!("published-test-key.pem");

/// Makes the published key the process's key, unless a key is made or being made (the
/// first emulator of the process starts making one): then `false`.
pub(crate) fn use_published_key() -> Result<bool, openssl::error::ErrorStack> {
    let key = PKey::private_key_from_pem(PUBLISHED_KEY_PEM)?;
    Ok(PROCESS_KEY.set(Ok(key)).is_ok())
}

/// The key; made here if no thread has made it yet, waited for if one is making it.
fn process_key() -> Result<&'static PKey<Private>, String> {
    PROCESS_KEY
        .get_or_init(|| {
            Rsa::generate(2048)
                .and_then(PKey::from_rsa)
                .map_err(|e| format!("no signing key: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl Signer {
    /// A signer under a fresh key id; starts making the process's key if none is made.
    pub(crate) fn generate() -> Result<Self, crate::EmulatorError> {
        if PROCESS_KEY.get().is_none() {
            // Without a thread (the process is out of them) the first token makes it.
            let _ = std::thread::Builder::new()
                .name("emulator-signing-key".into())
                .spawn(|| {
                    let _ = process_key();
                });
        }
        Ok(Self {
            kid: random_token(16)?,
        })
    }

    /// `header.payload.signature`, each part base64url without padding.
    pub(crate) fn sign(&self, claims: &Value) -> Result<String, String> {
        let header = json!({"kid": self.kid, "alg": "RS256"});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = RsaSigner::new(MessageDigest::sha256(), process_key()?)
            .and_then(|mut signer| {
                signer.update(signing_input.as_bytes())?;
                signer.sign_to_vec()
            })
            .map_err(|e| format!("signing failed: {e}"))?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }

    /// The public key as a JSON Web Key Set, as served at
    /// `/<pool id>/.well-known/jwks.json`.
    pub(crate) fn jwks(&self) -> Result<Value, String> {
        let rsa = process_key()?.rsa().ok();
        let part = |bytes: Option<Vec<u8>>| bytes.map(|b| URL_SAFE_NO_PAD.encode(b));
        Ok(json!({"keys": [{
            "alg": "RS256",
            "e": part(rsa.as_ref().map(|r| r.e().to_vec())),
            "kid": self.kid,
            "kty": "RSA",
            "n": part(rsa.as_ref().map(|r| r.n().to_vec())),
            "use": "sig",
        }]}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulators_in_one_process_share_the_key_under_their_own_key_ids() {
        let (a, b) = (Signer::generate().unwrap(), Signer::generate().unwrap());
        let (jwks_a, jwks_b) = (a.jwks().unwrap(), b.jwks().unwrap());
        assert_eq!(
            jwks_a["keys"][0]["n"], jwks_b["keys"][0]["n"],
            "one key per process"
        );
        assert_ne!(a.kid, b.kid);
        let kid_of = |signer: &Signer| signer.jwks().unwrap()["keys"][0]["kid"].clone();
        assert_eq!(kid_of(&a), a.kid.as_str());
        assert_ne!(kid_of(&a), kid_of(&b));
        // A token names its emulator's key id: another emulator's JWKS does not list it.
        let token = a.sign(&json!({"sub": "alice"})).unwrap();
        let header = token.split('.').next().unwrap();
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
        assert_eq!(header["kid"], a.kid.as_str());
        assert_ne!(header["kid"], kid_of(&b));
    }
}
