//! The outcome enums: which state may follow which.

use super::{
    CustomChallenge, DevicePasswordVerifier, DeviceSrpAuth, EmailOtp, MfaSetup,
    NewPasswordRequired, Password, PasswordSrp, PasswordVerifier, SelectChallenge, SelectMfaType,
    SmsMfa, SmsOtp, SoftwareTokenMfa, WebAuthn,
};
use crate::Outcome;
use crate::pending::Pending;
use crate::tokens::Tokens;

/// After the password (or its SRP proof): tokens, or what the pool asks next.
#[derive(Debug, Outcome)]
pub enum AfterPassword {
    /// Signed in.
    Authenticated(Tokens),
    /// A temporary password must be replaced.
    NewPasswordRequired(Pending<NewPasswordRequired>),
    /// SMS code.
    SmsMfa(Pending<SmsMfa>),
    /// Authenticator code.
    SoftwareTokenMfa(Pending<SoftwareTokenMfa>),
    /// E-mail code.
    EmailOtp(Pending<EmailOtp>),
    /// Pick a second factor.
    SelectMfaType(Pending<SelectMfaType>),
    /// Set up a second factor.
    MfaSetup(Pending<MfaSetup>),
    /// Remembered device proof.
    DeviceSrpAuth(Pending<DeviceSrpAuth>),
}

/// After a new password: everything [`AfterPassword`] allows but another new password.
#[derive(Debug, Outcome)]
pub enum AfterNewPassword {
    /// Signed in.
    Authenticated(Tokens),
    /// SMS code.
    SmsMfa(Pending<SmsMfa>),
    /// Authenticator code.
    SoftwareTokenMfa(Pending<SoftwareTokenMfa>),
    /// E-mail code.
    EmailOtp(Pending<EmailOtp>),
    /// Pick a second factor.
    SelectMfaType(Pending<SelectMfaType>),
    /// Set up a second factor.
    MfaSetup(Pending<MfaSetup>),
    /// Remembered device proof.
    DeviceSrpAuth(Pending<DeviceSrpAuth>),
}

/// After a one-time code or a passkey: tokens, or the remembered-device proof.
#[derive(Debug, Outcome)]
pub enum AfterMfa {
    /// Signed in.
    Authenticated(Tokens),
    /// Remembered device proof.
    DeviceSrpAuth(Pending<DeviceSrpAuth>),
}

/// After choosing a second factor: that factor's challenge.
#[derive(Debug, Outcome)]
pub enum AfterMfaSelection {
    /// SMS code.
    SmsMfa(Pending<SmsMfa>),
    /// Authenticator code.
    SoftwareTokenMfa(Pending<SoftwareTokenMfa>),
    /// E-mail code.
    EmailOtp(Pending<EmailOtp>),
}

/// After setting up a second factor: tokens (authenticator app), the first e-mail code
/// (e-mail), or the remembered-device proof.
#[derive(Debug, Outcome)]
pub enum AfterMfaSetup {
    /// Signed in.
    Authenticated(Tokens),
    /// The code sent to the address just set up.
    EmailOtp(Pending<EmailOtp>),
    /// Remembered device proof.
    DeviceSrpAuth(Pending<DeviceSrpAuth>),
}

/// After the device's `SRP_A`: its verifier step.
#[derive(Debug, Outcome)]
pub enum AfterDeviceSrp {
    /// The device's proof.
    DevicePasswordVerifier(Pending<DevicePasswordVerifier>),
}

/// After `PASSWORD_SRP`'s `SRP_A`: the verifier step.
#[derive(Debug, Outcome)]
pub enum AfterPasswordSrp {
    /// The password proof.
    PasswordVerifier(Pending<PasswordVerifier>),
}

/// After a `CUSTOM_AUTH` step: tokens, another custom challenge, or a second factor.
#[derive(Debug, Outcome)]
pub enum AfterCustomChallenge {
    /// Signed in.
    Authenticated(Tokens),
    /// The trigger asks another question.
    CustomChallenge(Pending<CustomChallenge>),
    /// SMS code.
    SmsMfa(Pending<SmsMfa>),
    /// Authenticator code.
    SoftwareTokenMfa(Pending<SoftwareTokenMfa>),
    /// E-mail code.
    EmailOtp(Pending<EmailOtp>),
    /// Pick a second factor.
    SelectMfaType(Pending<SelectMfaType>),
    /// Set up a second factor.
    MfaSetup(Pending<MfaSetup>),
    /// Remembered device proof.
    DeviceSrpAuth(Pending<DeviceSrpAuth>),
}

/// What `USER_AUTH` may answer: a factor choice, a factor's challenge, or, after a
/// password, everything [`AfterPassword`] allows.
#[derive(Debug, Outcome)]
pub enum FirstFactorOutcome {
    /// Signed in.
    Authenticated(Tokens),
    /// Pick a first factor.
    SelectChallenge(Pending<SelectChallenge>),
    /// Password wanted.
    Password(Pending<Password>),
    /// SRP wanted.
    PasswordSrp(Pending<PasswordSrp>),
    /// The SRP proof step.
    PasswordVerifier(Pending<PasswordVerifier>),
    /// E-mail code.
    EmailOtp(Pending<EmailOtp>),
    /// SMS code.
    SmsOtp(Pending<SmsOtp>),
    /// Passkey.
    WebAuthn(Pending<WebAuthn>),
    /// A temporary password must be replaced.
    NewPasswordRequired(Pending<NewPasswordRequired>),
    /// SMS code as second factor.
    SmsMfa(Pending<SmsMfa>),
    /// Authenticator code.
    SoftwareTokenMfa(Pending<SoftwareTokenMfa>),
    /// Pick a second factor.
    SelectMfaType(Pending<SelectMfaType>),
    /// Set up a second factor.
    MfaSetup(Pending<MfaSetup>),
    /// Remembered device proof.
    DeviceSrpAuth(Pending<DeviceSrpAuth>),
}

/// Everything that may follow a password may follow `USER_AUTH`'s first step too.
impl From<AfterPassword> for FirstFactorOutcome {
    fn from(next: AfterPassword) -> Self {
        match next {
            AfterPassword::Authenticated(t) => Self::Authenticated(t),
            AfterPassword::NewPasswordRequired(p) => Self::NewPasswordRequired(p),
            AfterPassword::SmsMfa(p) => Self::SmsMfa(p),
            AfterPassword::SoftwareTokenMfa(p) => Self::SoftwareTokenMfa(p),
            AfterPassword::EmailOtp(p) => Self::EmailOtp(p),
            AfterPassword::SelectMfaType(p) => Self::SelectMfaType(p),
            AfterPassword::MfaSetup(p) => Self::MfaSetup(p),
            AfterPassword::DeviceSrpAuth(p) => Self::DeviceSrpAuth(p),
        }
    }
}
