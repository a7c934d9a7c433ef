//! RS256 JSON Web Tokens, signed with a key made at start and published as a JWKS.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer as RsaSigner;
use serde_json::{Value, json};

use crate::random::random_token;

/// One RSA-2048 key pair with its key id.
pub(crate) struct Signer {
    key: PKey<Private>,
    kid: String,
}

impl Signer {
    pub(crate) fn generate() -> Result<Self, crate::EmulatorError> {
        let key = PKey::from_rsa(Rsa::generate(2048)?)?;
        Ok(Self {
            key,
            kid: random_token(16)?,
        })
    }

    /// `header.payload.signature`, each part base64url without padding.
    pub(crate) fn sign(&self, claims: &Value) -> Result<String, openssl::error::ErrorStack> {
        let header = json!({"kid": self.kid, "alg": "RS256"});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signer = RsaSigner::new(MessageDigest::sha256(), &self.key)?;
        signer.update(signing_input.as_bytes())?;
        let signature = signer.sign_to_vec()?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }

    /// The public key as a JSON Web Key Set, as served at
    /// `/<pool id>/.well-known/jwks.json`.
    pub(crate) fn jwks(&self) -> Value {
        let rsa = self.key.rsa().ok();
        let part = |bytes: Option<Vec<u8>>| bytes.map(|b| URL_SAFE_NO_PAD.encode(b));
        json!({"keys": [{
            "alg": "RS256",
            "e": part(rsa.as_ref().map(|r| r.e().to_vec())),
            "kid": self.kid,
            "kty": "RSA",
            "n": part(rsa.as_ref().map(|r| r.n().to_vec())),
            "use": "sig",
        }]})
    }
}
