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

/// Lowercase hex without leading zeros (`"0"` for zero), as JavaScript's
/// `toString(16)` writes it.
pub(crate) fn hex_lower(x: &BigNumRef) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let bytes = x.to_vec();
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in &bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
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
