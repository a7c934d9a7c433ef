//! Every challenge of the service, declared with this crate's own derives, and the
//! outcome enums that say which challenge may follow which.
//!
//! | `ChallengeName` | type | answered with | next |
//! |---|---|---|---|
//! | `SMS_MFA` | [`SmsMfa`] | [`SmsMfaCode`] | [`AfterMfa`] |
//! | `SOFTWARE_TOKEN_MFA` | [`SoftwareTokenMfa`] | [`SoftwareTokenMfaCode`] | [`AfterMfa`] |
//! | `EMAIL_OTP` | [`EmailOtp`] | [`EmailOtpCode`] | [`AfterMfa`] |
//! | `SMS_OTP` | [`SmsOtp`] | [`SmsOtpCode`] | [`AfterMfa`] |
//! | `SELECT_MFA_TYPE` | [`SelectMfaType`] | [`MfaSelection`] (only an offered type) | [`AfterMfaSelection`] |
//! | `MFA_SETUP` | [`MfaSetup`] | [`EmailMfaSetup`], or the TOTP sub-machine [`Pending::associate_software_token`](crate::Pending::associate_software_token) | [`AfterMfaSetup`] |
//! | `NEW_PASSWORD_REQUIRED` | [`NewPasswordRequired`] | [`NewPassword`] | [`AfterNewPassword`] |
//! | `PASSWORD_VERIFIER` | [`PasswordVerifier`] | [`PasswordClaim`], computed from the password by the flow | [`AfterPassword`] |
//! | `DEVICE_SRP_AUTH` | [`DeviceSrpAuth`] | [`SrpStart`] | [`AfterDeviceSrp`] |
//! | `DEVICE_PASSWORD_VERIFIER` | [`DevicePasswordVerifier`] | [`PasswordClaim`] | [`Tokens`](crate::Tokens) |
//! | `CUSTOM_CHALLENGE` | [`CustomChallenge`] (or your own) | [`CustomAnswer`] | [`AfterCustomChallenge`] |
//! | `SELECT_CHALLENGE` | [`SelectChallenge`] | [`FirstFactorChoice`] (only an offered factor) | [`FirstFactorOutcome`] |
//! | `PASSWORD` | [`Password`] | [`PasswordAnswer`] | [`AfterPassword`] |
//! | `PASSWORD_SRP` | [`PasswordSrp`] | [`SrpStart`] | [`AfterPasswordSrp`] |
//! | `WEB_AUTHN` | [`WebAuthn`] | [`WebAuthnCredential`] | [`AfterMfa`] |
//! | `ADMIN_NO_SRP_AUTH` | none: a legacy flow name, never a challenge to answer ([`ChallengeName::AdminNoSrpAuth`]) | | |
//!
//! Any other name arrives as [`Error::UnexpectedChallenge`](crate::Error::UnexpectedChallenge)
//! with everything the service sent, never as a panic.

mod codes;
mod devices;
mod first_factor;
mod mfa;
mod outcomes;
mod passwords;
mod values;

pub use codes::{
    EmailOtp, EmailOtpCode, SmsMfa, SmsMfaCode, SmsOtp, SmsOtpCode, SoftwareTokenMfa,
    SoftwareTokenMfaCode,
};
pub use devices::{DevicePasswordVerifier, DeviceSrpAuth};
pub use first_factor::{
    CustomAnswer, CustomChallenge, FirstFactorChoice, SelectChallenge, WebAuthn, WebAuthnCredential,
};
pub use mfa::{EmailMfaSetup, MfaSelection, MfaSetup, SelectMfaType, TotpSetup};
pub use outcomes::{
    AfterCustomChallenge, AfterDeviceSrp, AfterMfa, AfterMfaSelection, AfterMfaSetup,
    AfterNewPassword, AfterPassword, AfterPasswordSrp, FirstFactorOutcome,
};
pub use passwords::{
    NewPassword, NewPasswordRequired, Password, PasswordAnswer, PasswordClaim, PasswordSrp,
    PasswordVerifier, SrpStart,
};
pub use values::{ChallengeName, DeliveryMedium, FirstFactor, MfaType, MfaTypes};
