//! ChallengeName names as the wire spells them, each written once here: what a session
//! waits for, and which response carries the code of a code challenge.

use std::str::FromStr;

use crate::config::MfaMethod;

/// A challenge answered with a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeChallenge {
    /// A texted code as the second factor.
    SmsMfa,
    /// A TOTP code.
    SoftwareTokenMfa,
    /// An e-mailed code: the second factor, or USER_AUTH's first.
    EmailOtp,
    /// A texted code as USER_AUTH's first factor.
    SmsOtp,
}

impl CodeChallenge {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            CodeChallenge::SmsMfa => "SMS_MFA",
            CodeChallenge::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            CodeChallenge::EmailOtp => "EMAIL_OTP",
            CodeChallenge::SmsOtp => "SMS_OTP",
        }
    }

    /// The ChallengeResponses key that carries the code.
    pub(crate) fn response_key(self) -> &'static str {
        match self {
            CodeChallenge::SmsMfa => "SMS_MFA_CODE",
            CodeChallenge::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA_CODE",
            CodeChallenge::EmailOtp => "EMAIL_OTP_CODE",
            CodeChallenge::SmsOtp => "SMS_OTP_CODE",
        }
    }

    /// The second-factor challenge of an MFA method.
    pub(crate) fn of_mfa(method: MfaMethod) -> Self {
        match method {
            MfaMethod::Sms => CodeChallenge::SmsMfa,
            MfaMethod::SoftwareToken => CodeChallenge::SoftwareTokenMfa,
            MfaMethod::Email => CodeChallenge::EmailOtp,
        }
    }

    /// Whether the code goes by SMS (to `phone_number`) rather than e-mail.
    pub(crate) fn texted(self) -> bool {
        matches!(self, CodeChallenge::SmsMfa | CodeChallenge::SmsOtp)
    }
}

/// A challenge a session can wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChallengeName {
    PasswordVerifier,
    DevicePasswordVerifier,
    DeviceSrpAuth,
    NewPasswordRequired,
    SelectMfaType,
    MfaSetup,
    SelectChallenge,
    CustomChallenge,
    WebAuthn,
    Code(CodeChallenge),
}

impl ChallengeName {
    const ALL: [ChallengeName; 13] = [
        ChallengeName::PasswordVerifier,
        ChallengeName::DevicePasswordVerifier,
        ChallengeName::DeviceSrpAuth,
        ChallengeName::NewPasswordRequired,
        ChallengeName::SelectMfaType,
        ChallengeName::MfaSetup,
        ChallengeName::SelectChallenge,
        ChallengeName::CustomChallenge,
        ChallengeName::WebAuthn,
        ChallengeName::Code(CodeChallenge::SmsMfa),
        ChallengeName::Code(CodeChallenge::SoftwareTokenMfa),
        ChallengeName::Code(CodeChallenge::EmailOtp),
        ChallengeName::Code(CodeChallenge::SmsOtp),
    ];

    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            ChallengeName::PasswordVerifier => "PASSWORD_VERIFIER",
            ChallengeName::DevicePasswordVerifier => "DEVICE_PASSWORD_VERIFIER",
            ChallengeName::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            ChallengeName::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            ChallengeName::SelectMfaType => "SELECT_MFA_TYPE",
            ChallengeName::MfaSetup => "MFA_SETUP",
            ChallengeName::SelectChallenge => "SELECT_CHALLENGE",
            ChallengeName::CustomChallenge => "CUSTOM_CHALLENGE",
            ChallengeName::WebAuthn => "WEB_AUTHN",
            ChallengeName::Code(code) => code.as_str(),
        }
    }
}

/// A name that is no challenge of this emulator.
#[derive(Debug)]
pub(crate) struct UnknownChallenge;

impl FromStr for ChallengeName {
    type Err = UnknownChallenge;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ChallengeName::ALL
            .into_iter()
            .find(|challenge| challenge.as_str() == name)
            .ok_or(UnknownChallenge)
    }
}
