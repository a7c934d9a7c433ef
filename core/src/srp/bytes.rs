//! Byte encodings of big integers and the hashes SRP feeds them to.

use hmac::{Hmac, Mac};
use openssl::bn::{BigNum, BigNumRef};
use openssl::error::ErrorStack;
use sha2::{Digest, Sha256};

use super::SrpError;

/// `PAD(x)` of a non-negative `x`: its minimal two's-complement big-endian bytes
/// (Java's `toByteArray`), so a value whose top bit is set gets a leading zero byte.
pub(crate) fn pad(x: &BigNumRef) -> Vec<u8> {
    let magnitude = x.to_vec();
    match magnitude.first() {
        None => vec![0],
        Some(&top) if top >= 0x80 => [&[0][..], &magnitude].concat(),
        Some(_) => magnitude,
    }
}

/// `PAD(x)` of a signed `x` (a `SALT` may be negative): the minimal two's-complement
/// big-endian bytes.
pub(crate) fn signed_bytes(x: &BigNumRef) -> Vec<u8> {
    if !x.is_negative() {
        return pad(x);
    }
    let mut bytes = x.to_vec();
    // -m fits in n bytes when m <= 2^(8n-1): the top byte is below 0x80, or it is
    // 0x80 with only zeros after it.
    let fits = match bytes.split_first() {
        Some((&top, rest)) => top < 0x80 || (top == 0x80 && rest.iter().all(|&b| b == 0)),
        None => true,
    };
    if !fits {
        bytes.insert(0, 0);
    }
    // Two's complement: invert, then add one from the least significant byte up.
    let mut carry = true;
    for byte in bytes.iter_mut().rev() {
        let (sum, overflow) = (!*byte).overflowing_add(u8::from(carry));
        *byte = sum;
        carry = overflow;
    }
    bytes
}

/// Lowercase hex, two digits a byte.
pub(crate) fn hex_bytes(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// Lowercase hex without leading zeros (`"0"` for zero), as JavaScript's
/// `toString(16)` writes it.
pub(crate) fn hex_lower(x: &BigNumRef) -> String {
    let out = hex_bytes(&x.to_vec());
    let trimmed = out.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

pub(crate) fn hash_to_int(parts: &[&[u8]]) -> Result<BigNum, ErrorStack> {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
    BigNum::from_slice(&h.finalize())
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Parses `SALT`/`SRP_B`: hex of any length, with an optional leading `-`.
pub(crate) fn parse_signed_hex(what: &'static str, value: &str) -> Result<BigNum, SrpError> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed(what, "hex", value));
    }
    let mut number = BigNum::from_hex_str(digits)?;
    number.set_negative(negative);
    Ok(number)
}

pub(crate) fn malformed(what: &'static str, encoding: &'static str, value: &str) -> SrpError {
    SrpError::Malformed {
        what,
        encoding,
        value: value.chars().take(80).collect(),
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    /// The minimal two's-complement big-endian bytes of `v`: Java's `toByteArray`.
    fn java_bytes(v: i128) -> Vec<u8> {
        let bytes = v.to_be_bytes();
        let mut start = 0;
        // Drop a leading 0x00 (0xff) while the next byte still carries the sign.
        while start + 1 < bytes.len()
            && ((bytes[start] == 0 && bytes[start + 1] < 0x80)
                || (bytes[start] == 0xff && bytes[start + 1] >= 0x80))
        {
            start += 1;
        }
        bytes[start..].to_vec()
    }

    fn hex_of(v: i128) -> String {
        let sign = if v < 0 { "-" } else { "" };
        format!("{sign}{:x}", v.unsigned_abs())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// `PAD` is Java's `toByteArray` of a non-negative value: the value read back,
        /// top bit clear, and no byte to spare.
        #[test]
        fn pad_is_the_minimal_non_negative_encoding(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let x = BigNum::from_slice(&bytes).unwrap();
            let padded = pad(&x);
            prop_assert!(!padded.is_empty());
            prop_assert!(padded[0] < 0x80, "top bit set: {padded:02x?}");
            prop_assert_eq!(BigNum::from_slice(&padded).unwrap(), x);
            if padded.len() > 1 {
                prop_assert!(!(padded[0] == 0 && padded[1] < 0x80), "a spare zero byte: {padded:02x?}");
            }
        }

        /// A signed `SALT` as hex (either sign) becomes exactly Java's bytes for it.
        #[test]
        fn signed_hex_becomes_javas_bytes(v in any::<i128>(), upper in any::<bool>(), zeros in 0usize..4) {
            let hex = hex_of(v);
            let (sign, digits) = hex.split_at(usize::from(v < 0));
            let digits = if upper { digits.to_uppercase() } else { digits.to_owned() };
            let text = format!("{sign}{}{digits}", "0".repeat(zeros));
            let parsed = parse_signed_hex("SALT", &text).unwrap();
            prop_assert_eq!(signed_bytes(&parsed), java_bytes(v), "{}", text);
        }

        /// `hex_lower` is lowercase, has no leading zero, and reads back as the value.
        #[test]
        fn hex_lower_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let x = BigNum::from_slice(&bytes).unwrap();
            let hex = hex_lower(&x);
            prop_assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            prop_assert!(hex == "0" || !hex.starts_with('0'), "{}", hex);
            prop_assert_eq!(parse_signed_hex("SRP_B", &hex).unwrap(), x);
        }

        /// Anything that is not (optionally negative) hex is `Malformed`, never a panic.
        #[test]
        fn non_hex_is_malformed(prefix in "[0-9a-f]{0,8}", bad in "[^0-9a-fA-F]", suffix in "\\PC{0,8}") {
            let text = format!("{prefix}{bad}{suffix}");
            let malformed_text = matches!(
                parse_signed_hex("SALT", &text),
                Err(SrpError::Malformed { what: "SALT", .. })
            );
            prop_assert!(malformed_text || (bad == "-" && prefix.is_empty() && !suffix.is_empty()));
        }
    }
}
