//! The device half of SRP: the verifier ConfirmDevice registers (PROTOCOL.md §5.10).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use openssl::bn::BigNum;
use zeroize::Zeroizing;

use super::bytes::pad;
use super::{SrpError, password_exponent, pow_g};
use crate::secret::Secret;

/// What ConfirmDevice registers for a new device (PROTOCOL.md §5.10): the device
/// password the client keeps, and the salt and verifier the service keeps.
///
/// ```
/// use cognito_typestate::srp::DeviceVerifier;
///
/// let v = DeviceVerifier::from_parts("-abcd1234", "us-east-1_dev", "device-password", &[0x9c; 16])?;
/// assert_eq!(v.salt(), "AJycnJycnJycnJycnJycnJw="); // PAD: a leading zero byte
/// # Ok::<(), cognito_typestate::srp::SrpError>(())
/// ```
#[derive(Debug)]
pub struct DeviceVerifier {
    password: Secret,
    salt: String,
    verifier: String,
}

impl DeviceVerifier {
    /// A new device password (40 random bytes, base64) and salt (16 random bytes), as
    /// amazon-cognito-identity-js's `generateHashDevice` makes them.
    pub fn generate(device_group_key: &str, device_key: &str) -> Result<Self, SrpError> {
        let mut password = Zeroizing::new([0u8; 40]);
        let mut salt = [0u8; 16];
        getrandom::fill(password.as_mut()).map_err(|e| SrpError::Random(e.to_string()))?;
        getrandom::fill(&mut salt).map_err(|e| SrpError::Random(e.to_string()))?;
        let password = Zeroizing::new(STANDARD.encode(password.as_ref()));
        Self::from_parts(device_group_key, device_key, &password, &salt)
    }

    /// The verifier for a given device password and salt (big-endian bytes, read as an
    /// unsigned integer): the deterministic half of [`generate`](Self::generate).
    pub fn from_parts(
        device_group_key: &str,
        device_key: &str,
        password: &str,
        salt: &[u8],
    ) -> Result<Self, SrpError> {
        let salt = pad(&*BigNum::from_slice(salt)?);
        let x = password_exponent(&salt, device_group_key, device_key, password)?;
        let verifier = pow_g(&x.0)?;
        Ok(Self {
            password: Secret::new(password.to_owned()),
            salt: STANDARD.encode(salt),
            verifier: STANDARD.encode(pad(&verifier)),
        })
    }

    /// The device password: store it with the device key, never send it.
    pub fn password(&self) -> &Secret {
        &self.password
    }

    /// `DeviceSecretVerifierConfig.Salt`: base64 of `PAD(salt)`.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// `DeviceSecretVerifierConfig.PasswordVerifier`: base64 of `PAD(g^x mod N)`.
    pub fn verifier(&self) -> &str {
        &self.verifier
    }
}
