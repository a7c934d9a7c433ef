//! Value types that challenge parameters and answers are made of.

use std::fmt;
use std::str::FromStr;

use crate::Secret;
use crate::challenge::ToParam;

/// A second factor (`MFAS_CAN_CHOOSE`, `MFAS_CAN_SETUP`, the `SELECT_MFA_TYPE` answer).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MfaType {
    /// `SMS_MFA`: a code sent by text message.
    Sms,
    /// `SOFTWARE_TOKEN_MFA`: a TOTP authenticator app.
    SoftwareToken,
    /// `EMAIL_OTP`: a code sent by e-mail (the docs' `EMAIL_MFA` reads as this too).
    Email,
    /// A name this crate does not know yet, kept verbatim.
    Other(String),
}

impl MfaType {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
            Self::Other(name) => name,
        }
    }
}

impl FromStr for MfaType {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "SMS_MFA" => Self::Sms,
            "SOFTWARE_TOKEN_MFA" => Self::SoftwareToken,
            "EMAIL_OTP" | "EMAIL_MFA" => Self::Email,
            other => Self::Other(other.to_owned()),
        })
    }
}

impl fmt::Display for MfaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToParam for MfaType {
    fn to_param(&self) -> Option<Secret> {
        Some(Secret::new(self.as_str()))
    }
}

/// A list of second factors, as the service sends it: a JSON array in a string,
/// `["SMS_MFA","SOFTWARE_TOKEN_MFA"]`. moto sends a Python list, `['SOFTWARE_TOKEN_MFA']`;
/// both are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MfaTypes(pub Vec<MfaType>);

impl FromStr for MfaTypes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        string_list(s).map(|names| {
            Self(
                names
                    .iter()
                    .map(|n| n.parse().unwrap_or_else(|e| match e {}))
                    .collect(),
            )
        })
    }
}

/// Reads `["A","B"]`, and the Python-repr `['A', 'B']` some emulators send.
pub(crate) fn string_list(s: &str) -> Result<Vec<String>, String> {
    if let Ok(list) = serde_json::from_str::<Vec<String>>(s) {
        return Ok(list);
    }
    let inner = s
        .trim()
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .ok_or_else(|| format!("expected a list such as [\"SMS_MFA\"], got {s:?}"))?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.strip_prefix('\'')
                .and_then(|i| i.strip_suffix('\''))
                .or_else(|| item.strip_prefix('"').and_then(|i| i.strip_suffix('"')))
                .map(str::to_owned)
                .ok_or_else(|| format!("expected a quoted name in the list, got {item:?}"))
        })
        .collect()
}

/// A first factor of the `USER_AUTH` flow (`AvailableChallenges`, `PREFERRED_CHALLENGE`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FirstFactor {
    /// `PASSWORD`: the password in plain text (over TLS).
    Password,
    /// `PASSWORD_SRP`: the password proven with SRP.
    PasswordSrp,
    /// `EMAIL_OTP`: a code sent by e-mail.
    EmailOtp,
    /// `SMS_OTP`: a code sent by text message.
    SmsOtp,
    /// `WEB_AUTHN`: a passkey.
    WebAuthn,
    /// A name this crate does not know yet, kept verbatim.
    Other(String),
}

impl FirstFactor {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Password => "PASSWORD",
            Self::PasswordSrp => "PASSWORD_SRP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
            Self::WebAuthn => "WEB_AUTHN",
            Self::Other(name) => name,
        }
    }
}

impl FromStr for FirstFactor {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "PASSWORD" => Self::Password,
            "PASSWORD_SRP" => Self::PasswordSrp,
            "EMAIL_OTP" => Self::EmailOtp,
            "SMS_OTP" => Self::SmsOtp,
            "WEB_AUTHN" => Self::WebAuthn,
            other => Self::Other(other.to_owned()),
        })
    }
}

impl fmt::Display for FirstFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToParam for FirstFactor {
    fn to_param(&self) -> Option<Secret> {
        Some(Secret::new(self.as_str()))
    }
}

/// `CODE_DELIVERY_DELIVERY_MEDIUM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryMedium {
    /// `SMS`
    Sms,
    /// `EMAIL`
    Email,
    /// Anything else, verbatim.
    Other(String),
}

impl FromStr for DeliveryMedium {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "SMS" => Self::Sms,
            "EMAIL" => Self::Email,
            other => Self::Other(other.to_owned()),
        })
    }
}

/// Every `ChallengeName` of the service (PROTOCOL.md §2), and any other kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChallengeName {
    /// `SMS_MFA`, see [`SmsMfa`](super::SmsMfa).
    SmsMfa,
    /// `EMAIL_OTP`, see [`EmailOtp`](super::EmailOtp).
    EmailOtp,
    /// `SOFTWARE_TOKEN_MFA`, see [`SoftwareTokenMfa`](super::SoftwareTokenMfa).
    SoftwareTokenMfa,
    /// `SELECT_MFA_TYPE`, see [`SelectMfaType`](super::SelectMfaType).
    SelectMfaType,
    /// `MFA_SETUP`, see [`MfaSetup`](super::MfaSetup).
    MfaSetup,
    /// `PASSWORD_VERIFIER`, see [`PasswordVerifier`](super::PasswordVerifier).
    PasswordVerifier,
    /// `CUSTOM_CHALLENGE`, see [`CustomChallenge`](super::CustomChallenge).
    CustomChallenge,
    /// `SELECT_CHALLENGE`, see [`SelectChallenge`](super::SelectChallenge).
    SelectChallenge,
    /// `DEVICE_SRP_AUTH`, see [`DeviceSrpAuth`](super::DeviceSrpAuth).
    DeviceSrpAuth,
    /// `DEVICE_PASSWORD_VERIFIER`, see [`DevicePasswordVerifier`](super::DevicePasswordVerifier).
    DevicePasswordVerifier,
    /// `ADMIN_NO_SRP_AUTH`: a legacy name of an admin *flow*. The service never asks
    /// it as a challenge, and it is never answered with `RespondToAuthChallenge`, so it
    /// has no challenge type.
    AdminNoSrpAuth,
    /// `NEW_PASSWORD_REQUIRED`, see [`NewPasswordRequired`](super::NewPasswordRequired).
    NewPasswordRequired,
    /// `SMS_OTP`, see [`SmsOtp`](super::SmsOtp).
    SmsOtp,
    /// `PASSWORD`, see [`Password`](super::Password).
    Password,
    /// `WEB_AUTHN`, see [`WebAuthn`](super::WebAuthn).
    WebAuthn,
    /// `PASSWORD_SRP`, see [`PasswordSrp`](super::PasswordSrp).
    PasswordSrp,
    /// A name this crate does not know yet, kept verbatim.
    Unknown(String),
}

macro_rules! challenge_names {
    ($($variant:ident = $name:literal,)*) => {
        impl ChallengeName {
            /// Every name this crate knows, in the service model's order.
            pub const KNOWN: &'static [&'static str] = &[$($name),*];

            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $name,)*
                    Self::Unknown(name) => name,
                }
            }
        }

        impl FromStr for ChallengeName {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $($name => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                })
            }
        }
    };
}

challenge_names! {
    SmsMfa = "SMS_MFA",
    EmailOtp = "EMAIL_OTP",
    SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
    SelectMfaType = "SELECT_MFA_TYPE",
    MfaSetup = "MFA_SETUP",
    PasswordVerifier = "PASSWORD_VERIFIER",
    CustomChallenge = "CUSTOM_CHALLENGE",
    SelectChallenge = "SELECT_CHALLENGE",
    DeviceSrpAuth = "DEVICE_SRP_AUTH",
    DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
    AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
    NewPasswordRequired = "NEW_PASSWORD_REQUIRED",
    SmsOtp = "SMS_OTP",
    Password = "PASSWORD",
    WebAuthn = "WEB_AUTHN",
    PasswordSrp = "PASSWORD_SRP",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mfa_lists_read_json_and_python_repr() {
        let json: MfaTypes = r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#.parse().unwrap();
        let python: MfaTypes = "['SMS_MFA', 'SOFTWARE_TOKEN_MFA']".parse().unwrap();
        assert_eq!(json, python);
        assert_eq!(json.0, [MfaType::Sms, MfaType::SoftwareToken]);
        assert_eq!("[]".parse::<MfaTypes>().unwrap().0, []);
        assert!("SMS_MFA".parse::<MfaTypes>().is_err());
        assert!("[SMS_MFA]".parse::<MfaTypes>().is_err());
    }

    #[test]
    fn email_mfa_is_read_as_email_otp() {
        assert_eq!("EMAIL_MFA".parse::<MfaType>().unwrap(), MfaType::Email);
        assert_eq!(MfaType::Email.as_str(), "EMAIL_OTP");
    }

    #[test]
    fn every_known_name_round_trips_and_unknown_is_kept() {
        assert_eq!(ChallengeName::KNOWN.len(), 16);
        for name in ChallengeName::KNOWN {
            let parsed: ChallengeName = name.parse().unwrap();
            assert!(!matches!(parsed, ChallengeName::Unknown(_)), "{name}");
            assert_eq!(parsed.as_str(), *name);
        }
        assert_eq!(
            "PASSKEY_V2".parse::<ChallengeName>().unwrap(),
            ChallengeName::Unknown("PASSKEY_V2".into())
        );
    }
}
