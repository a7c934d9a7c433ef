//! The service's half of Cognito SRP: what a user pool stores and how it checks a
//! `PASSWORD_CLAIM_SIGNATURE`. Clients never need this; emulators and tests that stand
//! in for Cognito do (the crate's emulator uses it), and sharing it with the client
//! half means both sides run one implementation of §5 of the protocol notes.
//!
//! ```
//! use cognito_typestate::srp::{self, SrpEphemeral, VerifierInputs};
//! use cognito_typestate::srp::server::{Claim, ServerEphemeral, Verifier};
//!
//! // What the pool stores when the password is set...
//! let stored = Verifier::for_password("AbCdEfGh1", "alice", "P@ssw0rd!", &[0x9c; 16])?;
//! // ...and what it sends back for the client's SRP_A.
//! let client = SrpEphemeral::from_secret(&[0xaa; 32])?;
//! let server = ServerEphemeral::generate(&stored)?;
//! let claim = srp::password_claim(&client, &VerifierInputs {
//!     pool_name: "AbCdEfGh1",
//!     user_id: "alice",
//!     password: "P@ssw0rd!",
//!     salt_hex: stored.salt_hex(),
//!     srp_b_hex: server.public_hex(),
//!     secret_block: "c2VjcmV0",
//!     timestamp: "Tue Mar 5 07:08:09 UTC 2024",
//! })?;
//! let checked = server.verify(&stored, &Claim {
//!     pool_name: "AbCdEfGh1",
//!     user_id: "alice",
//!     srp_a_hex: &client.public_hex(),
//!     secret_block: b"secret",
//!     timestamp: "Tue Mar 5 07:08:09 UTC 2024",
//!     signature: claim.signature().expose(),
//! })?;
//! assert!(checked);
//! # Ok::<(), cognito_typestate::srp::SrpError>(())
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Mac as _;
use openssl::bn::{BigNum, BigNumContext};
use zeroize::Zeroizing;

use super::{
    GROUP, SecretNum, SrpError, claim_mac, hash_to_int, hex_lower, malformed, pad,
    parse_signed_hex, password_exponent, pow_g, session_key, signed_bytes,
};

/// What the service stores for a password: the salt and `v = g^x mod N`.
pub struct Verifier {
    salt_hex: String,
    v: BigNum,
}

impl Verifier {
    /// The verifier of a user's password. `salt` is read the way Cognito's Java
    /// service reads it: as a signed two's-complement integer, so about half of all
    /// random salts go out as a negative `SALT` (§5.2), as they do from AWS.
    pub fn for_password(
        pool_name: &str,
        user_id: &str,
        password: &str,
        salt: &[u8],
    ) -> Result<Self, SrpError> {
        let salt = signed_from_bytes(salt)?;
        let x = password_exponent(&signed_bytes(&salt), pool_name, user_id, password)?;
        Ok(Self {
            salt_hex: signed_hex(&salt),
            v: pow_g(&x.0)?,
        })
    }

    /// The verifier a device registered with ConfirmDevice
    /// (`DeviceSecretVerifierConfig`: base64 `Salt` and `PasswordVerifier`).
    pub fn from_device_config(salt_base64: &str, verifier_base64: &str) -> Result<Self, SrpError> {
        let decode = |what: &'static str, value: &str| {
            STANDARD
                .decode(value)
                .map_err(|_| malformed(what, "base64", value))
        };
        let salt = BigNum::from_slice(&decode("Salt", salt_base64)?)?;
        let v = BigNum::from_slice(&decode("PasswordVerifier", verifier_base64)?)?;
        let mut ctx = BigNumContext::new()?;
        let mut reduced = BigNum::new()?;
        reduced.nnmod(&v, &GROUP.n, &mut ctx)?;
        if reduced.num_bits() == 0 {
            return Err(malformed(
                "PasswordVerifier",
                "a non-zero value mod N",
                verifier_base64,
            ));
        }
        Ok(Self {
            salt_hex: hex_lower(&salt),
            v: reduced,
        })
    }

    /// `SALT` as the service sends it: signed hex.
    pub fn salt_hex(&self) -> &str {
        &self.salt_hex
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("salt_hex", &self.salt_hex)
            .finish_non_exhaustive()
    }
}

/// The service's secret `b` and public `B = k·v + g^b mod N` for one sign-in attempt.
pub struct ServerEphemeral {
    b: SecretNum,
    big_b: BigNum,
    b_hex: String,
}

impl ServerEphemeral {
    /// A fresh 256-bit `b` from the operating system's CSPRNG.
    pub fn generate(verifier: &Verifier) -> Result<Self, SrpError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|e| SrpError::Random(e.to_string()))?;
        Self::from_secret(verifier, bytes.as_ref())
    }

    /// A deterministic ephemeral from a chosen `b`, for known-answer tests.
    pub fn from_secret(verifier: &Verifier, b: &[u8]) -> Result<Self, SrpError> {
        let group = &*GROUP;
        let mut ctx = BigNumContext::new()?;
        let b = SecretNum::from_slice(b)?;
        let gb = pow_g(&b.0)?;
        let mut kv = BigNum::new()?;
        kv.mod_mul(&group.k, &verifier.v, &group.n, &mut ctx)?;
        let mut big_b = BigNum::new()?;
        big_b.mod_add(&kv, &gb, &group.n, &mut ctx)?;
        if big_b.num_bits() == 0 {
            return Err(SrpError::BIsZero);
        }
        let b_hex = hex_lower(&big_b);
        Ok(Self { b, big_b, b_hex })
    }

    /// `SRP_B`: lowercase hex of `B`.
    pub fn public_hex(&self) -> &str {
        &self.b_hex
    }

    /// Whether `claim.signature` is the one a client knowing the password behind
    /// `verifier` computes. The comparison takes the same time wherever it differs.
    ///
    /// A hostile `SRP_A` (not hex, `A mod N = 0`, longer than the group, or making
    /// `u = 0`) is an error, never a pass.
    pub fn verify(&self, verifier: &Verifier, claim: &Claim<'_>) -> Result<bool, SrpError> {
        let group = &*GROUP;
        let mut ctx = BigNumContext::new()?;
        let a = parse_signed_hex("SRP_A", claim.srp_a_hex)?;
        if a.is_negative() || a.to_vec().len() > super::MAX_B_BYTES {
            return Err(malformed(
                "SRP_A",
                "hex of a value below N",
                claim.srp_a_hex,
            ));
        }
        let mut a_mod_n = BigNum::new()?;
        a_mod_n.nnmod(&a, &group.n, &mut ctx)?;
        if a_mod_n.num_bits() == 0 {
            return Err(SrpError::AIsZero);
        }
        let u = hash_to_int(&[&pad(&a), &pad(&self.big_b)])?;
        if u.num_bits() == 0 {
            return Err(SrpError::UIsZero);
        }
        // S = (A · v^u)^b mod N
        let mut vu = SecretNum(BigNum::new()?);
        vu.0.mod_exp(&verifier.v, &u, &group.n, &mut ctx)?;
        let mut base = SecretNum(BigNum::new()?);
        base.0.mod_mul(&a_mod_n, &vu.0, &group.n, &mut ctx)?;
        let mut s = SecretNum(BigNum::new()?);
        s.0.mod_exp(&base.0, &self.b.0, &group.n, &mut ctx)?;
        let key = Zeroizing::new(session_key(&u, &s.0));
        let Ok(signature) = STANDARD.decode(claim.signature) else {
            return Ok(false);
        };
        Ok(claim_mac(
            &key,
            claim.pool_name,
            claim.user_id,
            claim.secret_block,
            claim.timestamp,
        )
        .verify_slice(&signature)
        .is_ok())
    }
}

impl fmt::Debug for ServerEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerEphemeral")
            .field("b", &"<redacted>")
            .field("public_hex", &self.b_hex)
            .finish_non_exhaustive()
    }
}

/// What the client signed, as the service reconstructs it.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    /// The pool name (for a device: its DeviceGroupKey).
    pub pool_name: &'a str,
    /// The canonical username (for a device: its DeviceKey).
    pub user_id: &'a str,
    /// The client's `SRP_A` from the first step.
    pub srp_a_hex: &'a str,
    /// The raw bytes of the `SECRET_BLOCK` the service issued.
    pub secret_block: &'a [u8],
    /// The `TIMESTAMP` to check against: the service's canonical form of what the
    /// client sent (see [`parse_timestamp`]), not the text as received.
    pub timestamp: &'a str,
    /// `PASSWORD_CLAIM_SIGNATURE`: base64.
    pub signature: &'a str,
}

/// Reads a `TIMESTAMP` the way Cognito does: English `EEE MMM d HH:mm:ss z yyyy`,
/// leniently, like Java's `SimpleDateFormat` (a zero-padded day and any weekday name
/// parse). The service then signs [`super::timestamp`] of the parsed instant, so a
/// client that sent `Mar 05` or the wrong weekday fails the signature check, as on
/// AWS. `None` means the text is not in the format at all (Cognito then answers
/// `InvalidParameterException`).
///
/// ```
/// use cognito_typestate::srp::{server::parse_timestamp, timestamp};
///
/// let sent = "Tue Mar 05 07:08:09 UTC 2024";
/// let canonical = timestamp(parse_timestamp(sent).unwrap());
/// assert_eq!(canonical, "Tue Mar 5 07:08:09 UTC 2024"); // not what was signed
/// assert!(parse_timestamp("Di. März 5 07:08:09 UTC 2024").is_none());
/// ```
pub fn parse_timestamp(text: &str) -> Option<SystemTime> {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut fields = text.split_ascii_whitespace();
    let (weekday, month, day, time, zone, year) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    if fields.next().is_some() || !WEEKDAYS.contains(&weekday) || zone != "UTC" {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let number = |digits: &str, max: u64| {
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse::<u64>().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    let day = number(day, 31).filter(|d| *d >= 1)?;
    let year = number(year, 9999).filter(|y| *y >= 1970 && year.len() == 4)?;
    let mut clock = time.split(':');
    let (h, m, s) = (clock.next()?, clock.next()?, clock.next()?);
    if clock.next().is_some() || [h, m, s].iter().any(|part| part.len() != 2) {
        return None;
    }
    let seconds = number(h, 23)? * 3600 + number(m, 59)? * 60 + number(s, 59)?;
    let days = days_from_civil(year, month, day);
    Some(UNIX_EPOCH + Duration::from_secs(days * 86_400 + seconds))
}

/// (year ≥ 1970, month 1–12, day 1–31) to days since 1970-01-01; the inverse of
/// `civil_from_days` (H. Hinnant). Days past the month's end roll over, as Java's
/// lenient parser lets them.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let yoe = year % 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A two's-complement big-endian byte string as a signed integer (Java's
/// `new BigInteger(byte[])`).
fn signed_from_bytes(bytes: &[u8]) -> Result<BigNum, SrpError> {
    let negative = bytes.first().is_some_and(|top| *top >= 0x80);
    if !negative {
        return Ok(BigNum::from_slice(bytes)?);
    }
    // The magnitude of a negative value: invert, add one.
    let mut magnitude = bytes.to_vec();
    let mut carry = true;
    for byte in magnitude.iter_mut().rev() {
        let (sum, overflow) = (!*byte).overflowing_add(u8::from(carry));
        *byte = sum;
        carry = overflow;
    }
    let mut value = BigNum::from_slice(&magnitude)?;
    value.set_negative(true);
    Ok(value)
}

/// Signed lowercase hex, as Java's `BigInteger.toString(16)` writes it.
fn signed_hex(x: &BigNum) -> String {
    // `hex_lower` writes the magnitude (OpenSSL's byte export ignores the sign).
    let sign = if x.is_negative() { "-" } else { "" };
    format!("{sign}{}", hex_lower(x))
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
