//! Cognito's SRP variant ("Caldera"), exactly as PROTOCOL.md §5 specifies it.
//!
//! The flows call this for you; it is public so the answer can be computed (and
//! checked) from all of its inputs deterministically.
//!
//! ```
//! use cognito_typestate::srp::{self, SrpEphemeral, VerifierInputs};
//!
//! let ephemeral = SrpEphemeral::from_secret(&[0xaa; 32])?;
//! let server_b = srp::public_value(&[0xbb; 32])?; // what the service would send
//! let claim = srp::password_claim(&ephemeral, &VerifierInputs {
//!     pool_name: "AbCdEfGh1",
//!     user_id: "a1b2c3d4-user",
//!     password: "P@ssw0rd!",
//!     salt_hex: "7c9a2b",
//!     srp_b_hex: &server_b,
//!     secret_block: "c2VjcmV0LWJsb2NrLWJ5dGVz",
//!     timestamp: "Tue Mar 5 07:08:09 UTC 2024",
//! })?;
//! // PROTOCOL.md §5.9, computed with amazon-cognito-identity-js.
//! assert_eq!(claim.signature().expose(), "b1K+Z53OaWkldylZ+Ef0W1MS+n47QVdKlNFsIFnCRUg=");
//! # Ok::<(), cognito_typestate::srp::SrpError>(())
//! ```

use std::fmt;
use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::error::ErrorStack;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::secret::Secret;

mod bytes;
mod device;
#[cfg(feature = "srp-server")]
pub mod server;
mod timestamp;

pub(crate) use bytes::hex_bytes;
use bytes::{hash_to_int, hex_lower, hmac_sha256, malformed, pad, parse_signed_hex, signed_bytes};
pub use device::DeviceVerifier;
pub use timestamp::timestamp;

/// The RFC 3526 3072-bit MODP group prime.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The fewest significant bits a client secret exponent may have.
const MIN_SECRET_BITS: u32 = 256;

/// `PAD(N)` is 385 bytes, so no honest `SRP_B` is longer.
const MAX_B_BYTES: usize = 385;

/// The group: `N`, `g = 2` and `k = H(PAD(N) || PAD(g))`.
pub(crate) struct Group {
    n: BigNum,
    g: BigNum,
    k: BigNum,
}

pub(crate) static GROUP: LazyLock<Group> = LazyLock::new(|| {
    let group = || -> Result<Group, ErrorStack> {
        let n = BigNum::from_hex_str(N_HEX)?;
        let g = BigNum::from_u32(2)?;
        let k = hash_to_int(&[&pad(&n), &pad(&g)])?;
        Ok(Group { n, g, k })
    };
    // Only an allocation failure can make this fail.
    group().unwrap_or_else(|e| panic!("cannot set up the SRP group: {e}"))
});

/// Why an SRP answer could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrpError {
    /// `A mod N` is zero (only possible with a chosen secret).
    #[error("A mod N is zero; choose another secret exponent")]
    AIsZero,
    /// The chosen secret exponent has fewer than 256 significant bits: too easy to guess.
    #[error("the secret exponent has {0} significant bits; at least 256 are needed")]
    WeakSecret(u32),
    /// The server's `B mod N` is zero: a broken or malicious server.
    #[error("the server's SRP_B is zero mod N")]
    BIsZero,
    /// `u = H(PAD(A) || PAD(B))` is zero.
    #[error("the scrambling parameter u is zero")]
    UIsZero,
    /// `SRP_B` is longer than the group allows.
    #[error("SRP_B is {0} bytes long; at most 385 are possible")]
    BTooLong(usize),
    /// A value is not the hex (or base64) it must be.
    #[error("{what} is not valid {encoding}: {value:?}")]
    Malformed {
        /// `SALT`, `SRP_B`, `SECRET_BLOCK`, or the secret exponent.
        what: &'static str,
        /// What it should have been.
        encoding: &'static str,
        /// The value, cut to 80 characters.
        value: String,
    },
    /// The user pool id has no pool name after `_`.
    #[error(
        "SRP needs the user pool id (`<region>_<name>`); configure it with `ClientBuilder::user_pool_id`"
    )]
    NoPoolName,
    /// The operating system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
    /// The big-integer backend (OpenSSL BN) failed, which only running out of memory
    /// can cause.
    #[error("big-integer arithmetic failed: {0}")]
    Arithmetic(String),
}

impl From<ErrorStack> for SrpError {
    fn from(e: ErrorStack) -> Self {
        SrpError::Arithmetic(e.to_string())
    }
}

/// A big integer that holds a secret: flagged for OpenSSL's constant-time code paths
/// and wiped when dropped.
pub(crate) struct SecretNum(pub(crate) BigNum);

impl SecretNum {
    pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self, ErrorStack> {
        let mut n = BigNum::from_slice(bytes)?;
        n.set_const_time();
        Ok(Self(n))
    }
}

impl Drop for SecretNum {
    fn drop(&mut self) {
        self.0.clear();
    }
}

/// The client's secret exponent `a` and public value `A = g^a mod N`.
///
/// Computing `A` is the one exponentiation that does not need the server's answer:
/// create the ephemeral early (for instance while the user types the password, see
/// [`UserSrpAuth::ephemeral`](crate::flows::UserSrpAuth::ephemeral)) and it is off the
/// sign-in's critical path. Use an ephemeral for one sign-in only; `a` is wiped on
/// drop.
pub struct SrpEphemeral {
    a: SecretNum,
    big_a: BigNum,
    a_hex: String,
}

impl SrpEphemeral {
    /// A fresh `a` of 128 bytes from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, SrpError> {
        let mut bytes = Zeroizing::new([0u8; 128]);
        getrandom::fill(bytes.as_mut()).map_err(|e| SrpError::Random(e.to_string()))?;
        Self::from_secret(bytes.as_ref())
    }

    /// A deterministic ephemeral from a chosen `a` (big-endian bytes), for tests and
    /// known-answer checks. Never reuse an `a` for two sign-ins. An `a` with fewer than
    /// 256 significant bits is refused ([`SrpError::WeakSecret`]).
    pub fn from_secret(a: &[u8]) -> Result<Self, SrpError> {
        let secret = SecretNum::from_slice(a)?;
        let bits = u32::try_from(secret.0.num_bits()).unwrap_or(0);
        if bits < MIN_SECRET_BITS {
            return Err(SrpError::WeakSecret(bits));
        }
        // g = 2 fits a machine word, so OpenSSL computes g^a by squaring and shifting,
        // but only for an exponent not flagged constant-time. `a` serves one sign-in,
        // so a single timing trace is all an observer could ever get of it.
        let unflagged = SecretNum(BigNum::from_slice(a)?);
        let big_a = pow_g(&unflagged.0)?;
        if big_a.num_bits() == 0 {
            return Err(SrpError::AIsZero);
        }
        let a_hex = hex_lower(&big_a);
        Ok(Self {
            a: secret,
            big_a,
            a_hex,
        })
    }

    /// `SRP_A`: lowercase hex of `A`, without padding.
    pub fn public_hex(&self) -> String {
        self.a_hex.clone()
    }
}

impl fmt::Debug for SrpEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpEphemeral")
            .field("a", &"<redacted>")
            .field("public_hex", &self.a_hex)
            .finish_non_exhaustive()
    }
}

/// Everything `PASSWORD_VERIFIER` is answered from, besides the ephemeral.
#[derive(Clone, Copy)]
pub struct VerifierInputs<'a> {
    /// The pool name: the part of the user pool id after `_` (for a device: the
    /// DeviceGroupKey).
    pub pool_name: &'a str,
    /// `USER_ID_FOR_SRP` (for a device: the DeviceKey).
    pub user_id: &'a str,
    /// The password (for a device: the device password).
    pub password: &'a str,
    /// `SALT` as sent: signed hex.
    pub salt_hex: &'a str,
    /// `SRP_B` as sent: hex.
    pub srp_b_hex: &'a str,
    /// `SECRET_BLOCK` as sent: base64.
    pub secret_block: &'a str,
    /// The `TIMESTAMP` to sign, see [`timestamp`].
    pub timestamp: &'a str,
}

impl fmt::Debug for VerifierInputs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierInputs")
            .field("pool_name", &self.pool_name)
            .field("user_id", &self.user_id)
            .field("password", &"<redacted>")
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

/// The `PASSWORD_VERIFIER` (or `DEVICE_PASSWORD_VERIFIER`) answer:
/// `PASSWORD_CLAIM_SIGNATURE` over the inputs, with `SECRET_BLOCK` echoed and
/// `TIMESTAMP` as given.
pub fn password_claim(
    ephemeral: &SrpEphemeral,
    inputs: &VerifierInputs<'_>,
) -> Result<SignedClaim, SrpError> {
    let key = Zeroizing::new(derive_key(ephemeral, inputs)?);
    let secret_block = decode_secret_block(inputs.secret_block)?;
    let signature = claim_mac(
        &key,
        inputs.pool_name,
        inputs.user_id,
        &secret_block,
        inputs.timestamp,
    );
    Ok(SignedClaim {
        secret_block: inputs.secret_block.to_owned(),
        signature: Secret::new(STANDARD.encode(signature.finalize().into_bytes())),
        timestamp: inputs.timestamp.to_owned(),
    })
}

/// The result of [`password_claim`]: what answers `PASSWORD_VERIFIER`, before it is
/// written as the challenge's answer
/// ([`PasswordClaim`](crate::challenges::PasswordClaim)).
#[derive(Debug, Clone)]
pub struct SignedClaim {
    secret_block: String,
    signature: Secret,
    timestamp: String,
}

impl SignedClaim {
    /// `PASSWORD_CLAIM_SECRET_BLOCK`: the `SECRET_BLOCK` echoed.
    pub fn secret_block(&self) -> &str {
        &self.secret_block
    }

    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub fn signature(&self) -> &Secret {
        &self.signature
    }

    /// The `TIMESTAMP` that was signed.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// The three parts, for the answer.
    pub(crate) fn into_parts(self) -> (String, Secret, String) {
        (self.secret_block, self.signature, self.timestamp)
    }
}

/// The HMAC behind `PASSWORD_CLAIM_SIGNATURE`, fed with the signed message (§5.6).
pub(crate) fn claim_mac(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac
}

/// `SECRET_BLOCK` is standard base64 from Cognito; some emulators send other opaque
/// strings (moto: a UUID), which amazon-cognito-identity-js still reads as base64url.
/// Accepting both forms is harmless: the block is only echoed and signed.
fn decode_secret_block(block: &str) -> Result<Vec<u8>, SrpError> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let indifferent =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    GeneralPurpose::new(&base64::alphabet::STANDARD, indifferent)
        .decode(block)
        .or_else(|_| GeneralPurpose::new(&base64::alphabet::URL_SAFE, indifferent).decode(block))
        .map_err(|_| malformed("SECRET_BLOCK", "base64", block))
}

/// The 16-byte HKDF key both sides derive (exposed for cross-checks).
pub fn derive_key(
    ephemeral: &SrpEphemeral,
    inputs: &VerifierInputs<'_>,
) -> Result<[u8; 16], SrpError> {
    let group = &*GROUP;
    let mut ctx = BigNumContext::new()?;
    let b = parse_signed_hex("SRP_B", inputs.srp_b_hex)?;
    if b.is_negative() {
        return Err(malformed("SRP_B", "non-negative hex", inputs.srp_b_hex));
    }
    let b_len = b.to_vec().len();
    if b_len > MAX_B_BYTES {
        return Err(SrpError::BTooLong(b_len));
    }
    let mut b_mod_n = BigNum::new()?;
    b_mod_n.nnmod(&b, &group.n, &mut ctx)?;
    if b_mod_n.num_bits() == 0 {
        return Err(SrpError::BIsZero);
    }
    let u = hash_to_int(&[&pad(&ephemeral.big_a), &pad(&b)])?;
    if u.num_bits() == 0 {
        return Err(SrpError::UIsZero);
    }
    let salt = parse_signed_hex("SALT", inputs.salt_hex)?;
    let x = password_exponent(
        &signed_bytes(&salt),
        inputs.pool_name,
        inputs.user_id,
        inputs.password,
    )?;

    // S = (B - k * g^x) ^ (a + u * x) mod N, with the base reduced into [0, N).
    let gx = SecretNum(pow_g(&x.0)?);
    let mut kgx = SecretNum(BigNum::new()?);
    kgx.0.mod_mul(&group.k, &gx.0, &group.n, &mut ctx)?;
    let mut base = SecretNum(BigNum::new()?);
    base.0.mod_sub(&b_mod_n, &kgx.0, &group.n, &mut ctx)?;
    let mut ux = SecretNum(BigNum::new()?);
    ux.0.checked_mul(&u, &x.0, &mut ctx)?;
    let mut exponent = SecretNum(BigNum::new()?);
    exponent.0.checked_add(&ephemeral.a.0, &ux.0)?;
    exponent.0.set_const_time();
    let mut s = SecretNum(BigNum::new()?);
    s.0.mod_exp(&base.0, &exponent.0, &group.n, &mut ctx)?;

    Ok(session_key(&u, &s.0))
}

/// HKDF-SHA256 with salt `PAD(u)`, key material `PAD(S)` and info "Caldera Derived
/// Key", cut to 16 bytes (§5.4).
pub(crate) fn session_key(u: &BigNumRef, s: &BigNumRef) -> [u8; 16] {
    let ikm = Zeroizing::new(pad(s));
    let prk = Zeroizing::new(hmac_sha256(&pad(u), &ikm));
    let okm = Zeroizing::new(hmac_sha256(prk.as_ref(), b"Caldera Derived Key\x01"));
    let mut key = [0u8; 16];
    key.copy_from_slice(&okm[..16]);
    key
}

/// `x = H(salt || H(pool_name || user_id || ":" || password))`, as a secret.
pub(crate) fn password_exponent(
    salt: &[u8],
    pool_name: &str,
    user_id: &str,
    password: &str,
) -> Result<SecretNum, ErrorStack> {
    let mut identity = Sha256::new();
    identity.update(pool_name.as_bytes());
    identity.update(user_id.as_bytes());
    identity.update(b":");
    identity.update(password.as_bytes());
    let mut outer = Sha256::new();
    outer.update(salt);
    outer.update(identity.finalize());
    SecretNum::from_slice(&Zeroizing::new(outer.finalize().to_vec()))
}

/// `g^exponent mod N`.
pub(crate) fn pow_g(exponent: &BigNumRef) -> Result<BigNum, ErrorStack> {
    let group = &*GROUP;
    let mut ctx = BigNumContext::new()?;
    let mut value = BigNum::new()?;
    value.mod_exp(&group.g, exponent, &group.n, &mut ctx)?;
    Ok(value)
}

/// `g^secret mod N` as hex: the public value for a secret exponent (how a server, or a
/// test standing in for one, makes `SRP_B`).
pub fn public_value(secret: &[u8]) -> Result<String, SrpError> {
    let secret = SecretNum::from_slice(secret)?;
    let value = pow_g(&secret.0)?;
    Ok(hex_lower(&value))
}

#[cfg(test)]
mod tests;
