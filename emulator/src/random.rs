//! Every random value of the emulator comes from [`random_bytes`]: a failing source is
//! an `InternalErrorException`, never a predictable value. The one exception: passkey
//! challenges, which `webauthn-rs-core` draws from its own CSPRNG (`rand`'s thread
//! generator, seeded by the operating system).

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{ApiError, Result};

#[cfg(feature = "fault-injection")]
static BROKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes the emulator's random source fail (or work again), process-wide, to test that
/// a failing source is an error. Only with the `fault-injection` feature.
#[cfg(feature = "fault-injection")]
pub fn break_randomness(broken: bool) {
    BROKEN.store(broken, std::sync::atomic::Ordering::SeqCst);
}

/// `n` bytes from the operating system's CSPRNG.
pub(crate) fn random_bytes(n: usize) -> Result<Vec<u8>> {
    #[cfg(feature = "fault-injection")]
    if BROKEN.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(ApiError::internal("no randomness: broken on purpose"));
    }
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

/// `n` random bytes, base64url without padding.
pub(crate) fn random_token(n: usize) -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes(n)?))
}

/// `n` random letters and digits.
pub(crate) fn alphanumeric(n: usize) -> Result<String> {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    Ok(random_bytes(n)?
        .iter()
        .map(|b| char::from(CHARS[usize::from(*b) % CHARS.len()]))
        .collect())
}

/// `n` random decimal digits.
pub(crate) fn numeric_code(digits: usize) -> Result<String> {
    Ok(random_bytes(digits)?
        .iter()
        .map(|b| char::from(b'0' + b % 10))
        .collect())
}

/// A random (version 4) UUID.
pub(crate) fn uuid() -> Result<String> {
    let mut b = random_bytes(16)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().fold(String::new(), |mut hex, x| {
        let _ = write!(hex, "{x:02x}");
        hex
    });
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}
