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
mod tests {
    use super::super::{SrpEphemeral, VerifierInputs, password_claim, timestamp};
    use super::*;

    const POOL: &str = "AbCdEfGh1";

    fn sign(
        client: &SrpEphemeral,
        stored: &Verifier,
        b_hex: &str,
        password: &str,
        ts: &str,
    ) -> String {
        password_claim(
            client,
            &VerifierInputs {
                pool_name: POOL,
                user_id: "alice",
                password,
                salt_hex: stored.salt_hex(),
                srp_b_hex: b_hex,
                secret_block: "c2VjcmV0",
                timestamp: ts,
            },
        )
        .unwrap()
        .signature()
        .expose()
        .to_owned()
    }

    fn check(
        server: &ServerEphemeral,
        stored: &Verifier,
        a_hex: &str,
        ts: &str,
        signature: &str,
    ) -> bool {
        server
            .verify(
                stored,
                &Claim {
                    pool_name: POOL,
                    user_id: "alice",
                    srp_a_hex: a_hex,
                    secret_block: b"secret",
                    timestamp: ts,
                    signature,
                },
            )
            .unwrap()
    }

    #[test]
    fn the_right_password_passes_and_anything_else_fails() {
        // Both salt signs: 0x9c.. is negative as a Java BigInteger, 0x1c.. is not.
        for salt in [[0x9c; 16], [0x1c; 16]] {
            let stored = Verifier::for_password(POOL, "alice", "correct horse", &salt).unwrap();
            assert_eq!(stored.salt_hex().starts_with('-'), salt[0] >= 0x80);
            let server = ServerEphemeral::generate(&stored).unwrap();
            let client = SrpEphemeral::generate().unwrap();
            let ts = "Tue Mar 5 07:08:09 UTC 2024";
            let good = sign(&client, &stored, server.public_hex(), "correct horse", ts);
            assert!(check(&server, &stored, &client.public_hex(), ts, &good));
            let wrong = sign(&client, &stored, server.public_hex(), "correct horsf", ts);
            assert!(!check(&server, &stored, &client.public_hex(), ts, &wrong));
            // The same signature over another timestamp, or for another A, fails.
            assert!(!check(
                &server,
                &stored,
                &client.public_hex(),
                "Tue Mar 5 07:08:10 UTC 2024",
                &good
            ));
            let other = SrpEphemeral::generate().unwrap();
            assert!(!check(&server, &stored, &other.public_hex(), ts, &good));
            assert!(!check(
                &server,
                &stored,
                &client.public_hex(),
                ts,
                "not base64!"
            ));
        }
    }

    #[test]
    fn a_registered_device_verifier_checks_device_claims() {
        let registered = super::super::DeviceVerifier::from_parts(
            "-group",
            "us-east-1_dev",
            "device-pw",
            &[0xc4; 16],
        )
        .unwrap();
        let stored =
            Verifier::from_device_config(registered.salt(), registered.verifier()).unwrap();
        let server = ServerEphemeral::generate(&stored).unwrap();
        let client = SrpEphemeral::generate().unwrap();
        let ts = "Sun Nov 22 10:00:00 UTC 2026";
        let claim = password_claim(
            &client,
            &VerifierInputs {
                pool_name: "-group",
                user_id: "us-east-1_dev",
                password: "device-pw",
                salt_hex: stored.salt_hex(),
                srp_b_hex: server.public_hex(),
                secret_block: "c2VjcmV0",
                timestamp: ts,
            },
        )
        .unwrap();
        let verify = |user_id| {
            server
                .verify(
                    &stored,
                    &Claim {
                        pool_name: "-group",
                        user_id,
                        srp_a_hex: &client.public_hex(),
                        secret_block: b"secret",
                        timestamp: ts,
                        signature: claim.signature().expose(),
                    },
                )
                .unwrap()
        };
        assert!(verify("us-east-1_dev"));
        assert!(!verify("us-east-1_other"));
    }

    #[test]
    fn hostile_a_values_are_errors() {
        let stored = Verifier::for_password(POOL, "alice", "pw", &[1; 16]).unwrap();
        let server = ServerEphemeral::generate(&stored).unwrap();
        let n_hex = hex_lower(&GROUP.n);
        for (a, expected) in [
            ("0", SrpError::AIsZero),
            (n_hex.as_str(), SrpError::AIsZero),
        ] {
            let claim = Claim {
                pool_name: POOL,
                user_id: "alice",
                srp_a_hex: a,
                secret_block: b"",
                timestamp: "",
                signature: "",
            };
            assert_eq!(server.verify(&stored, &claim), Err(expected));
        }
        let claim = Claim {
            pool_name: POOL,
            user_id: "alice",
            srp_a_hex: "-5",
            secret_block: b"",
            timestamp: "",
            signature: "",
        };
        assert!(matches!(
            server.verify(&stored, &claim),
            Err(SrpError::Malformed { .. })
        ));
    }

    #[test]
    fn timestamps_are_canonicalised_like_cognito() {
        for (sent, canonical) in [
            (
                "Tue Mar 5 07:08:09 UTC 2024",
                Some("Tue Mar 5 07:08:09 UTC 2024"),
            ),
            (
                "Tue Mar 05 07:08:09 UTC 2024",
                Some("Tue Mar 5 07:08:09 UTC 2024"),
            ),
            // A wrong weekday parses; the canonical form has the right one.
            (
                "Mon Mar 5 07:08:09 UTC 2024",
                Some("Tue Mar 5 07:08:09 UTC 2024"),
            ),
            (
                "Sat Feb 29 23:59:59 UTC 2020",
                Some("Sat Feb 29 23:59:59 UTC 2020"),
            ),
            (
                "Thu Jan 1 00:00:00 UTC 1970",
                Some("Thu Jan 1 00:00:00 UTC 1970"),
            ),
            ("Di Mär 5 07:08:09 UTC 2024", None),
            ("Tue Mar 5 7:08:09 UTC 2024", None),
            ("Tue Mar 5 07:08:09 CET 2024", None),
            ("Tue Mar 5 07:08:09 UTC 2024 extra", None),
            ("Tue Mar 0 07:08:09 UTC 2024", None),
            ("", None),
        ] {
            assert_eq!(
                parse_timestamp(sent).map(timestamp).as_deref(),
                canonical,
                "{sent:?}"
            );
        }
        // Every day of a leap year round-trips through the client's formatter.
        let start = UNIX_EPOCH + Duration::from_secs(1_704_067_200); // 2024-01-01
        for day in 0..366 {
            let at = start + Duration::from_secs(day * 86_400 + 3_723);
            assert_eq!(parse_timestamp(&timestamp(at)), Some(at));
        }
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::super::{DeviceVerifier, SrpEphemeral, VerifierInputs, password_claim, timestamp};
    use super::*;

    /// 9999-12-31T23:59:59Z.
    const LAST: u64 = 253_402_300_799;

    /// A secret exponent that is not zero.
    fn exponent() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 1..64)
            .prop_filter("a zero exponent", |e| e.iter().any(|b| *b != 0))
    }

    /// Salts of both signs (as Java reads them) and of every length Cognito uses.
    fn salt() -> impl Strategy<Value = Vec<u8>> {
        (0x00u8..=0xff, proptest::collection::vec(any::<u8>(), 0..32))
            .prop_map(|(top, rest)| [&[top][..], &rest].concat())
    }

    #[derive(Clone)]
    struct Case {
        pool: String,
        user: String,
        password: String,
        block: Vec<u8>,
        ts: String,
    }

    /// Signs as the client, and checks as the server with the given claim parts.
    fn sign(
        client: &SrpEphemeral,
        stored: &Verifier,
        server: &ServerEphemeral,
        case: &Case,
    ) -> String {
        password_claim(
            client,
            &VerifierInputs {
                pool_name: &case.pool,
                user_id: &case.user,
                password: &case.password,
                salt_hex: stored.salt_hex(),
                srp_b_hex: server.public_hex(),
                secret_block: &STANDARD.encode(&case.block),
                timestamp: &case.ts,
            },
        )
        .unwrap()
        .signature()
        .expose()
        .to_owned()
    }

    fn verify(
        server: &ServerEphemeral,
        stored: &Verifier,
        client: &SrpEphemeral,
        case: &Case,
        block: &[u8],
        ts: &str,
        signature: &str,
    ) -> bool {
        server
            .verify(
                stored,
                &Claim {
                    pool_name: &case.pool,
                    user_id: &case.user,
                    srp_a_hex: &client.public_hex(),
                    secret_block: block,
                    timestamp: ts,
                    signature,
                },
            )
            .unwrap()
    }

    fn flip(bytes: &mut [u8], index: usize, mask: u8) {
        let i = index % bytes.len();
        bytes[i] ^= mask;
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Every instant from 1970 to 9999 reads back from its `TIMESTAMP`, with the
        /// day of month as written or zero-padded.
        #[test]
        fn timestamps_round_trip(secs in 0..=LAST) {
            let at = UNIX_EPOCH + Duration::from_secs(secs);
            let text = timestamp(at);
            prop_assert_eq!(parse_timestamp(&text), Some(at), "{}", text);
            let fields: Vec<&str> = text.split(' ').collect();
            prop_assert!(!fields[2].starts_with('0'), "{}", text);
            let padded = format!("{} {} {:0>2} {} {} {}", fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
            prop_assert_eq!(parse_timestamp(&padded), Some(at), "{}", padded);
        }

        /// The salt the service stores comes back as the same signed integer.
        #[test]
        fn signed_salts_round_trip(bytes in salt()) {
            let value = signed_from_bytes(&bytes).unwrap();
            prop_assert_eq!(value.is_negative(), bytes[0] >= 0x80);
            let hex = signed_hex(&value);
            let back = parse_signed_hex("SALT", &hex).unwrap();
            prop_assert_eq!(back.to_vec(), value.to_vec());
            prop_assert_eq!(back.is_negative(), value.is_negative());
        }
    }

    proptest! {
        // Each case runs about ten 3072-bit exponentiations.
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The client's claim passes the server's check if and only if the password
        /// matches; any flipped byte of the signature, the secret block or the
        /// timestamp fails it.
        #[test]
        fn client_and_server_agree(
            pool in "[A-Za-z0-9]{1,12}",
            user in "\\PC{1,24}",
            password in "\\PC{1,32}",
            other in "\\PC{1,32}",
            salt in salt(),
            a in exponent(),
            b in exponent(),
            block in proptest::collection::vec(any::<u8>(), 1..96),
            secs in 0..=LAST,
            index in any::<usize>(),
            mask in 1u8..=255,
        ) {
            prop_assume!(password != other);
            let stored = Verifier::for_password(&pool, &user, &password, &salt).unwrap();
            prop_assert_eq!(stored.salt_hex().starts_with('-'), salt[0] >= 0x80);
            let client = SrpEphemeral::from_secret(&a).unwrap();
            let server = ServerEphemeral::from_secret(&stored, &b).unwrap();
            let ts = timestamp(UNIX_EPOCH + Duration::from_secs(secs));
            let case = Case { pool, user, password, block, ts };
            let good = sign(&client, &stored, &server, &case);
            prop_assert!(verify(&server, &stored, &client, &case, &case.block, &case.ts, &good));

            let wrong = sign(&client, &stored, &server, &Case { password: other, ..case.clone() });
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &wrong));

            let mut signature = STANDARD.decode(&good).unwrap();
            flip(&mut signature, index, mask);
            let signature = STANDARD.encode(&signature);
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &signature));

            let mut block = case.block.clone();
            flip(&mut block, index, mask);
            prop_assert!(!verify(&server, &stored, &client, &case, &block, &case.ts, &good));

            // Flipping within ASCII keeps the timestamp a string.
            let mut ts = case.ts.clone().into_bytes();
            flip(&mut ts, index, (mask & 0x7f).max(1));
            let ts = String::from_utf8(ts).unwrap();
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &ts, &good));
        }

        /// A device's registered verifier checks the device's claim: right device
        /// password and key pass, anything else fails.
        #[test]
        fn device_verifiers_agree(
            group in "-?[A-Za-z0-9]{1,12}",
            key in "[a-z]{2}-[a-z]+-[0-9]_[0-9a-f-]{1,36}",
            password in "[A-Za-z0-9+/]{8,56}={0,2}",
            other in "[A-Za-z0-9+/]{8,56}={0,2}",
            salt in proptest::collection::vec(any::<u8>(), 1..32),
            a in exponent(),
            b in exponent(),
            secs in 0..=LAST,
            index in any::<usize>(),
            mask in 1u8..=255,
        ) {
            prop_assume!(password != other);
            let registered = DeviceVerifier::from_parts(&group, &key, &password, &salt).unwrap();
            let stored = Verifier::from_device_config(registered.salt(), registered.verifier()).unwrap();
            let client = SrpEphemeral::from_secret(&a).unwrap();
            let server = ServerEphemeral::from_secret(&stored, &b).unwrap();
            let ts = timestamp(UNIX_EPOCH + Duration::from_secs(secs));
            let case = Case { pool: group, user: key, password, block: b"device-block".to_vec(), ts };
            let good = sign(&client, &stored, &server, &case);
            prop_assert!(verify(&server, &stored, &client, &case, &case.block, &case.ts, &good));
            let wrong = sign(&client, &stored, &server, &Case { password: other, ..case.clone() });
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &wrong));
            let other_key = Case { user: format!("{}x", case.user), ..case.clone() };
            prop_assert!(!verify(&server, &stored, &client, &other_key, &other_key.block, &other_key.ts, &good));
            let mut signature = STANDARD.decode(&good).unwrap();
            flip(&mut signature, index, mask);
            let signature = STANDARD.encode(&signature);
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &signature));
        }
    }
}
