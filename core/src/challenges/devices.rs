//! Remembered devices: `DEVICE_SRP_AUTH` and `DEVICE_PASSWORD_VERIFIER`.

use super::{AfterDeviceSrp, PasswordClaim, SrpStart};
use crate::Challenge;
use crate::tokens::Tokens;

/// `DEVICE_SRP_AUTH`: the service recognised the remembered device and asks it to
/// prove its secret with SRP.
#[derive(Debug, Clone, Challenge)]
///
/// Answered with the device's [`SrpStart`], then [`DevicePasswordVerifier`] with its
/// proof: flows given `.device(credentials)` do both for you.
#[challenge(name = "DEVICE_SRP_AUTH", response = SrpStart, next = AfterDeviceSrp, handler = manual)]
pub struct DeviceSrpAuth {}

/// `DEVICE_PASSWORD_VERIFIER`: the device's SRP proof step.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "DEVICE_PASSWORD_VERIFIER", response = PasswordClaim, next = Tokens, handler = manual)]
pub struct DevicePasswordVerifier {
    /// `SALT`, signed hex.
    #[param("SALT")]
    pub salt: String,
    /// `SRP_B`, hex.
    #[param("SRP_B")]
    pub srp_b: String,
    /// `SECRET_BLOCK`, base64.
    #[param("SECRET_BLOCK")]
    pub secret_block: String,
}
