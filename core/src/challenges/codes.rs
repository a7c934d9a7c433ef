//! One-time codes: `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SMS_OTP`.

use super::{AfterMfa, DeliveryMedium};
use crate::secret::Secret;
use crate::{Challenge, ChallengeResponse};

/// `SMS_MFA`: a code was sent by text message as the second factor.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "SMS_MFA", response = SmsMfaCode, next = AfterMfa)]
pub struct SmsMfa {
    /// The masked phone number, e.g. `+*******1234`.
    #[param("CODE_DELIVERY_DESTINATION")]
    pub destination: Option<String>,
    /// `SMS`.
    #[param("CODE_DELIVERY_DELIVERY_MEDIUM")]
    pub medium: Option<DeliveryMedium>,
}

/// Answers [`SmsMfa`] with the code from the text message.
#[derive(Clone, ChallengeResponse)]
pub struct SmsMfaCode {
    #[param("SMS_MFA_CODE")]
    code: Secret,
}

impl SmsMfaCode {
    /// The code the user received.
    pub fn new(code: impl Into<Secret>) -> Self {
        Self { code: code.into() }
    }
}

/// `SOFTWARE_TOKEN_MFA`: the user's authenticator app (TOTP) is the second factor.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "SOFTWARE_TOKEN_MFA", response = SoftwareTokenMfaCode, next = AfterMfa)]
pub struct SoftwareTokenMfa {
    /// The name the user gave the authenticator, when the service sends it.
    #[param("FRIENDLY_DEVICE_NAME")]
    pub friendly_device_name: Option<String>,
}

/// Answers [`SoftwareTokenMfa`] with the six digits the authenticator shows.
#[derive(Clone, ChallengeResponse)]
pub struct SoftwareTokenMfaCode {
    #[param("SOFTWARE_TOKEN_MFA_CODE")]
    code: Secret,
}

impl SoftwareTokenMfaCode {
    /// The TOTP code.
    pub fn new(code: impl Into<Secret>) -> Self {
        Self { code: code.into() }
    }
}

/// `EMAIL_OTP`: a code was sent by e-mail (as a second factor, or as the first factor
/// of `USER_AUTH`).
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "EMAIL_OTP", response = EmailOtpCode, next = AfterMfa)]
pub struct EmailOtp {
    /// The masked address, e.g. `a***@e***.com`.
    #[param("CODE_DELIVERY_DESTINATION")]
    pub destination: Option<String>,
    /// `EMAIL`.
    #[param("CODE_DELIVERY_DELIVERY_MEDIUM")]
    pub medium: Option<DeliveryMedium>,
}

/// Answers [`EmailOtp`] with the code from the e-mail.
#[derive(Clone, ChallengeResponse)]
pub struct EmailOtpCode {
    #[param("EMAIL_OTP_CODE")]
    code: Secret,
}

impl EmailOtpCode {
    /// The code the user received.
    pub fn new(code: impl Into<Secret>) -> Self {
        Self { code: code.into() }
    }
}

/// `SMS_OTP`: a code was sent by text message as the first factor of `USER_AUTH`.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "SMS_OTP", response = SmsOtpCode, next = AfterMfa)]
pub struct SmsOtp {
    /// The masked phone number.
    #[param("CODE_DELIVERY_DESTINATION")]
    pub destination: Option<String>,
    /// `SMS`.
    #[param("CODE_DELIVERY_DELIVERY_MEDIUM")]
    pub medium: Option<DeliveryMedium>,
}

/// Answers [`SmsOtp`] with the code from the text message.
#[derive(Clone, ChallengeResponse)]
pub struct SmsOtpCode {
    #[param("SMS_OTP_CODE")]
    code: Secret,
}

impl SmsOtpCode {
    /// The code the user received.
    pub fn new(code: impl Into<Secret>) -> Self {
        Self { code: code.into() }
    }
}
