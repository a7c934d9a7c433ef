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
//! | `MFA_SETUP` | [`MfaSetup`] | [`EmailMfaSetup`], or the TOTP sub-machine [`Pending::associate_software_token`] | [`AfterMfaSetup`] |
//! | `NEW_PASSWORD_REQUIRED` | [`NewPasswordRequired`] | [`NewPassword`] | [`AfterNewPassword`] |
//! | `PASSWORD_VERIFIER` | [`PasswordVerifier`] | [`PasswordClaim`], computed from the password by the flow | [`AfterPassword`] |
//! | `DEVICE_SRP_AUTH` | [`DeviceSrpAuth`] | [`DeviceSrpStart`] | [`AfterDeviceSrp`] |
//! | `DEVICE_PASSWORD_VERIFIER` | [`DevicePasswordVerifier`] | [`PasswordClaim`] | [`Tokens`] |
//! | `CUSTOM_CHALLENGE` | [`CustomChallenge`] (or your own) | [`CustomAnswer`] | [`AfterCustomChallenge`] |
//! | `SELECT_CHALLENGE` | [`SelectChallenge`] | [`FirstFactorChoice`] (only an offered factor) | [`FirstFactorOutcome`] |
//! | `PASSWORD` | [`Password`] | [`PasswordAnswer`] | [`AfterPassword`] |
//! | `PASSWORD_SRP` | [`PasswordSrp`] | [`SrpStart`] | [`AfterPasswordSrp`] |
//! | `WEB_AUTHN` | [`WebAuthn`] | [`WebAuthnCredential`] | [`AfterMfa`] |
//! | `ADMIN_NO_SRP_AUTH` | none: a legacy flow name, never a challenge to answer ([`ChallengeName::AdminNoSrpAuth`]) | | |
//!
//! Any other name arrives as [`Error::UnexpectedChallenge`](crate::Error::UnexpectedChallenge)
//! with everything the service sent, never as a panic.

mod mfa_setup;
mod values;

use std::collections::BTreeMap;

pub use mfa_setup::TotpSetup;
pub use values::{ChallengeName, DeliveryMedium, FirstFactor, MfaType, MfaTypes};

use crate::{Challenge, ChallengeResponse, Outcome, Pending, Secret, Tokens};

// ---------------------------------------------------------------------------------
// One-time codes

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
    #[param("SMS_MFA_CODE", secret)]
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
    #[param("SOFTWARE_TOKEN_MFA_CODE", secret)]
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
    #[param("EMAIL_OTP_CODE", secret)]
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
    #[param("SMS_OTP_CODE", secret)]
    code: Secret,
}

impl SmsOtpCode {
    /// The code the user received.
    pub fn new(code: impl Into<Secret>) -> Self {
        Self { code: code.into() }
    }
}

// ---------------------------------------------------------------------------------
// Choosing and setting up a second factor

/// `SELECT_MFA_TYPE`: the user has several second factors and must pick one.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "SELECT_MFA_TYPE", response = MfaSelection, next = AfterMfaSelection)]
pub struct SelectMfaType {
    #[param("MFAS_CAN_CHOOSE")]
    offered: MfaTypes,
}

impl SelectMfaType {
    /// The factors the service offered.
    pub fn offered(&self) -> &[MfaType] {
        &self.offered.0
    }

    /// The answer choosing `factor`, if the service offered it. This is the only way
    /// to build a [`MfaSelection`], so an answer can only name an offered factor.
    pub fn choose(&self, factor: &MfaType) -> Option<MfaSelection> {
        self.offered().contains(factor).then(|| MfaSelection {
            answer: factor.clone(),
        })
    }
}

/// Answers [`SelectMfaType`]; built by [`SelectMfaType::choose`].
#[derive(Clone, ChallengeResponse)]
pub struct MfaSelection {
    #[param("ANSWER")]
    answer: MfaType,
}

/// `MFA_SETUP`: the pool requires a second factor the user has not set up.
///
/// For an authenticator app, run the sub-machine that starts at
/// [`Pending::<MfaSetup>::associate_software_token`](Pending::associate_software_token).
/// For e-mail, answer with [`MfaSetup::email`]; an `EMAIL_OTP` challenge follows.
/// For SMS, the user needs a `phone_number` attribute; set it and sign in again.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "MFA_SETUP", response = EmailMfaSetup, next = AfterMfaSetup, handler = manual)]
pub struct MfaSetup {
    #[param("MFAS_CAN_SETUP")]
    can_set_up: MfaTypes,
}

impl MfaSetup {
    /// The factors the user may set up now.
    pub fn can_set_up(&self) -> &[MfaType] {
        &self.can_set_up.0
    }

    /// The answer that sets up e-mail MFA with `address`, if the service offered it.
    pub fn email(&self, address: impl Into<String>) -> Option<EmailMfaSetup> {
        self.can_set_up()
            .contains(&MfaType::Email)
            .then(|| EmailMfaSetup {
                email: address.into(),
            })
    }
}

/// Answers [`MfaSetup`] by setting up e-mail MFA; built by [`MfaSetup::email`].
#[derive(Clone, ChallengeResponse)]
pub struct EmailMfaSetup {
    #[param("EMAIL")]
    email: String,
}

// ---------------------------------------------------------------------------------
// Passwords

/// `NEW_PASSWORD_REQUIRED`: the user signed in with a temporary password and must
/// choose a new one, and fill in any required attribute that has no value yet.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "NEW_PASSWORD_REQUIRED", response = NewPassword, next = AfterNewPassword)]
pub struct NewPasswordRequired {
    #[param("userAttributes", json, default)]
    user_attributes: BTreeMap<String, serde_json::Value>,
    #[param("requiredAttributes", json, default)]
    required_attributes: Vec<String>,
}

impl NewPasswordRequired {
    /// The user's current attributes as the service sent them.
    pub fn user_attributes(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.user_attributes
    }

    /// The attributes the answer must set, without the `userAttributes.` prefix.
    pub fn required_attributes(&self) -> impl Iterator<Item = &str> {
        self.required_attributes
            .iter()
            .map(|a| a.strip_prefix("userAttributes.").unwrap_or(a))
    }
}

/// Answers [`NewPasswordRequired`].
///
/// ```
/// use cognito_typestate::challenges::NewPassword;
///
/// let answer = NewPassword::new("a new, long passphrase").attribute("given_name", "Alice");
/// assert!(!format!("{answer:?}").contains("passphrase"));
/// ```
#[derive(Clone, ChallengeResponse)]
pub struct NewPassword {
    #[param("NEW_PASSWORD", secret)]
    password: Secret,
    #[param(prefix = "userAttributes.")]
    attributes: BTreeMap<String, String>,
}

impl NewPassword {
    /// The new password.
    pub fn new(password: impl Into<Secret>) -> Self {
        Self {
            password: password.into(),
            attributes: BTreeMap::new(),
        }
    }

    /// Sets one attribute, e.g. one of [`NewPasswordRequired::required_attributes`].
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// Sets several attributes.
    #[must_use]
    pub fn attributes<K: Into<String>, V: Into<String>>(
        mut self,
        attributes: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.attributes
            .extend(attributes.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }
}

/// `PASSWORD_VERIFIER`: the SRP step of `USER_SRP_AUTH` (and of `CUSTOM_AUTH` or
/// `USER_AUTH` with SRP). The flows answer it from the password; applications never
/// see it unless they drive SRP themselves.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "PASSWORD_VERIFIER", response = PasswordClaim, next = AfterPassword, handler = manual)]
pub struct PasswordVerifier {
    /// `SALT`: a signed hex integer (it may be negative).
    #[param("SALT")]
    pub salt: String,
    /// `SRP_B`: the server's public value, hex.
    #[param("SRP_B")]
    pub srp_b: String,
    /// `SECRET_BLOCK`: opaque base64, echoed back.
    #[param("SECRET_BLOCK")]
    pub secret_block: String,
    /// `USER_ID_FOR_SRP`: the user's canonical name, even when an alias was typed.
    #[param("USER_ID_FOR_SRP")]
    pub user_id_for_srp: String,
}

/// The SRP proof that answers [`PasswordVerifier`] and [`DevicePasswordVerifier`].
/// Built by [`srp`](crate::srp) from the password; it has no public constructor.
#[derive(Clone, ChallengeResponse)]
pub struct PasswordClaim {
    #[param("PASSWORD_CLAIM_SECRET_BLOCK")]
    pub(crate) secret_block: String,
    #[param("PASSWORD_CLAIM_SIGNATURE", secret)]
    pub(crate) signature: Secret,
    #[param("TIMESTAMP")]
    pub(crate) timestamp: String,
}

impl PasswordClaim {
    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub fn signature(&self) -> &Secret {
        &self.signature
    }

    /// `TIMESTAMP` that was signed.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }
}

/// `PASSWORD`: `USER_AUTH` asks for the password.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "PASSWORD", response = PasswordAnswer, next = AfterPassword)]
pub struct Password {}

/// Answers [`Password`].
#[derive(Clone, ChallengeResponse)]
pub struct PasswordAnswer {
    #[param("PASSWORD", secret)]
    password: Secret,
}

impl PasswordAnswer {
    /// The password.
    pub fn new(password: impl Into<Secret>) -> Self {
        Self {
            password: password.into(),
        }
    }

    pub(crate) fn into_password(self) -> Secret {
        self.password
    }
}

/// `PASSWORD_SRP`: `USER_AUTH` asks for the SRP public value.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "PASSWORD_SRP", response = SrpStart, next = AfterPasswordSrp, handler = manual)]
pub struct PasswordSrp {}

/// Answers [`PasswordSrp`] with `SRP_A`; built by the SRP flows.
#[derive(Clone, ChallengeResponse)]
pub struct SrpStart {
    #[param("SRP_A")]
    pub(crate) srp_a: String,
}

// ---------------------------------------------------------------------------------
// Devices

/// `DEVICE_SRP_AUTH`: the service recognised the remembered device and asks it to
/// prove its secret with SRP.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "DEVICE_SRP_AUTH", response = DeviceSrpStart, next = AfterDeviceSrp, handler = manual)]
pub struct DeviceSrpAuth {}

/// Answers [`DeviceSrpAuth`] with the device's `SRP_A`.
#[derive(Clone, ChallengeResponse)]
pub struct DeviceSrpStart {
    #[param("SRP_A")]
    pub(crate) srp_a: String,
}

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

// ---------------------------------------------------------------------------------
// Custom authentication and USER_AUTH

/// `CUSTOM_CHALLENGE` with its parameters as a map: whatever the application's
/// CreateAuthChallenge trigger put in `publicChallengeParameters`. Declare your own
/// typed challenge with `#[derive(Challenge)]` to read them as fields instead.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
pub struct CustomChallenge {
    /// Every parameter the trigger set (plus `USERNAME`).
    #[param(rest)]
    pub parameters: BTreeMap<String, String>,
}

/// Answers a `CUSTOM_CHALLENGE` with `ANSWER`.
#[derive(Clone, ChallengeResponse)]
pub struct CustomAnswer {
    #[param("ANSWER", secret)]
    answer: Secret,
}

impl CustomAnswer {
    /// The answer the VerifyAuthChallengeResponse trigger checks.
    pub fn new(answer: impl Into<Secret>) -> Self {
        Self {
            answer: answer.into(),
        }
    }
}

/// `SELECT_CHALLENGE`: `USER_AUTH` without a preference; the user picks a first factor.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "SELECT_CHALLENGE", response = FirstFactorChoice, next = FirstFactorOutcome, handler = manual)]
pub struct SelectChallenge {
    #[param(available_challenges)]
    available: Vec<FirstFactor>,
}

impl SelectChallenge {
    /// The first factors the service offered.
    pub fn available(&self) -> &[FirstFactor] {
        &self.available
    }

    fn offer(&self, factor: FirstFactor) -> Option<FirstFactorChoice> {
        self.available.contains(&factor).then(|| FirstFactorChoice {
            answer: factor,
            password: None,
            credential: None,
        })
    }

    /// Sign in with the password, if offered.
    pub fn password(&self, password: impl Into<Secret>) -> Option<FirstFactorChoice> {
        self.offer(FirstFactor::Password).map(|mut c| {
            c.password = Some(password.into());
            c
        })
    }

    /// Have a code e-mailed, if offered; an [`EmailOtp`] challenge follows.
    pub fn email_otp(&self) -> Option<FirstFactorChoice> {
        self.offer(FirstFactor::EmailOtp)
    }

    /// Have a code texted, if offered; an [`SmsOtp`] challenge follows.
    pub fn sms_otp(&self) -> Option<FirstFactorChoice> {
        self.offer(FirstFactor::SmsOtp)
    }

    /// Ask for a passkey assertion, if offered; a [`WebAuthn`] challenge follows.
    pub fn web_authn(&self) -> Option<FirstFactorChoice> {
        self.offer(FirstFactor::WebAuthn)
    }
}

/// Answers [`SelectChallenge`]; built by its methods, so only an offered factor can be
/// chosen.
#[derive(Clone, ChallengeResponse)]
pub struct FirstFactorChoice {
    #[param("ANSWER")]
    answer: FirstFactor,
    #[param("PASSWORD", secret)]
    password: Option<Secret>,
    #[param("CREDENTIAL", secret)]
    credential: Option<Secret>,
}

/// `WEB_AUTHN`: the service sent passkey request options; answer with the browser's or
/// platform authenticator's assertion.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "WEB_AUTHN", response = WebAuthnCredential, next = AfterMfa)]
pub struct WebAuthn {
    /// `CREDENTIAL_REQUEST_OPTIONS`: the WebAuthn `PublicKeyCredentialRequestOptions`.
    #[param("CREDENTIAL_REQUEST_OPTIONS", json)]
    pub request_options: serde_json::Value,
}

/// Answers [`WebAuthn`] with the `AuthenticationResponseJSON` of the assertion.
#[derive(Clone, ChallengeResponse)]
pub struct WebAuthnCredential {
    #[param("CREDENTIAL", secret)]
    credential: Secret,
}

impl WebAuthnCredential {
    /// The assertion, serialised as JSON.
    pub fn new(credential_json: impl Into<Secret>) -> Self {
        Self {
            credential: credential_json.into(),
        }
    }
}

// ---------------------------------------------------------------------------------
// Outcomes: which state may follow which

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
