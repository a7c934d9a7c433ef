//! What a test (or `--config pool.json`) sets up: pools, app clients and users.
//!
//! Every type deserialises from the JSON the standalone binary reads (camelCase keys,
//! everything but the names optional), and builds in Rust with `Default` and the
//! builder methods:
//!
//! ```
//! use cognito_typestate_emulator::{AppClientConfig, Mfa, MfaMethod, PoolConfig, UserConfig};
//!
//! let pool = PoolConfig {
//!     mfa: Mfa::On,
//!     ..PoolConfig::default()
//! };
//! let client = AppClientConfig::new("web").with_secret();
//! let alice = UserConfig::new("alice")
//!     .temporary_password("Temp0rary!")
//!     .attribute("email", "alice@example.com")
//!     .totp_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
//! # let _ = (pool, client, alice, MfaMethod::SoftwareToken);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::auth::CodeChallenge;

/// The emulator as a whole, as the `--config` file describes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct EmulatorConfig {
    /// The pools to create at start.
    pub pools: Vec<PoolConfig>,
}

/// Whether the pool asks for a second factor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mfa {
    /// Never (`MfaConfiguration=OFF`).
    #[default]
    Off,
    /// For users who enabled a method (`OPTIONAL`).
    Optional,
    /// For everyone: users without a method get `MFA_SETUP` (`ON`).
    On,
}

/// A second-factor method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MfaMethod {
    /// `SMS_MFA`: a code to `phone_number`, read from the outbox.
    Sms,
    /// `SOFTWARE_TOKEN_MFA`: TOTP (RFC 6238, SHA-1, 6 digits, 30 s, ±1 step).
    SoftwareToken,
    /// `EMAIL_OTP`: a code to `email`, read from the outbox.
    Email,
}

impl MfaMethod {
    /// The challenge name Cognito uses for the method.
    pub fn challenge_name(self) -> &'static str {
        CodeChallenge::of_mfa(self).as_str()
    }
}

/// A first factor for the `USER_AUTH` flow (the pool's `AllowedFirstAuthFactors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FirstFactor {
    /// `PASSWORD`.
    Password,
    /// `PASSWORD_SRP`.
    PasswordSrp,
    /// `EMAIL_OTP`: an 8-digit code to `email`.
    EmailOtp,
    /// `SMS_OTP`: an 8-digit code to `phone_number`.
    SmsOtp,
    /// `WEB_AUTHN`: a passkey registered with `StartWebAuthnRegistration` /
    /// `CompleteWebAuthnRegistration`. Needs [`PoolConfig::web_authn`]; not in the
    /// default first factors.
    WebAuthn,
}

impl FirstFactor {
    /// The challenge name Cognito uses for the factor.
    pub fn challenge_name(self) -> &'static str {
        match self {
            FirstFactor::Password => "PASSWORD",
            FirstFactor::PasswordSrp => "PASSWORD_SRP",
            FirstFactor::EmailOtp => CodeChallenge::EmailOtp.as_str(),
            FirstFactor::SmsOtp => CodeChallenge::SmsOtp.as_str(),
            FirstFactor::WebAuthn => "WEB_AUTHN",
        }
    }
}

/// Device tracking (`DeviceConfiguration`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceTracking {
    /// No `NewDeviceMetadata`, `DEVICE_KEY` ignored.
    #[default]
    Off,
    /// Every confirmed device is remembered (`DeviceOnlyRememberedOnUserPrompt=false`).
    Always,
    /// Confirmed devices are remembered after `UpdateDeviceStatus(remembered)`
    /// (`ConfirmDevice` answers `UserConfirmationNecessary=true`).
    UserOptIn,
}

/// A user pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PoolConfig {
    /// `<region>_<name>`; generated when absent.
    pub id: Option<String>,
    /// The region part of a generated id.
    pub region: String,
    /// MFA off, optional or required.
    pub mfa: Mfa,
    /// The MFA methods the pool enables.
    pub mfa_methods: Vec<MfaMethod>,
    /// What `USER_AUTH` may start with.
    pub first_factors: Vec<FirstFactor>,
    /// Device tracking.
    pub device_tracking: DeviceTracking,
    /// Passkeys (`WebAuthnConfiguration`): the relying party. None: passkeys are not
    /// configured, and registration is `WebAuthnConfigurationMissingException`.
    pub web_authn: Option<WebAuthnConfig>,
    /// Attributes users must have; a user without one is asked for it in
    /// `NEW_PASSWORD_REQUIRED` (`requiredAttributes`).
    pub required_attributes: Vec<String>,
    /// Attributes that sign in like the username (`AliasAttributes`: `email`,
    /// `phone_number`, `preferred_username`).
    pub alias_attributes: Vec<String>,
    /// Attributes that stand in for the username (`UsernameAttributes`: `email`,
    /// `phone_number`): SignUp takes one of them as `Username`, and the user gets a
    /// generated username (their `sub`).
    pub username_attributes: Vec<String>,
    /// Whether users may sign themselves up (`SignUp`); off is Cognito's
    /// `AllowAdminCreateUserOnly`.
    pub allow_self_sign_up: bool,
    /// The attributes SignUp sends a confirmation code to (`AutoVerifiedAttributes`):
    /// the first of them the user has. None: the user waits for `AdminConfirmSignUp`.
    pub auto_verified_attributes: Vec<String>,
    /// Consecutive wrong passwords before the user is locked out.
    pub lockout_after: u32,
    /// How long a lockout lasts, in seconds.
    pub lockout_seconds: u64,
    /// `CUSTOM_AUTH` with a built-in question-and-answer trigger set (see
    /// [`CustomAuth::question`](crate::CustomAuth::question)); Rust tests can install any
    /// closures instead.
    pub custom_challenge: Option<QuestionChallenge>,
    /// The pool's app clients.
    pub clients: Vec<AppClientConfig>,
    /// The pool's users.
    pub users: Vec<UserConfig>,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            id: None,
            region: "us-east-1".into(),
            mfa: Mfa::Off,
            mfa_methods: vec![MfaMethod::SoftwareToken, MfaMethod::Sms, MfaMethod::Email],
            first_factors: vec![
                FirstFactor::Password,
                FirstFactor::PasswordSrp,
                FirstFactor::EmailOtp,
                FirstFactor::SmsOtp,
            ],
            device_tracking: DeviceTracking::Off,
            web_authn: None,
            required_attributes: Vec::new(),
            alias_attributes: Vec::new(),
            username_attributes: Vec::new(),
            allow_self_sign_up: true,
            auto_verified_attributes: vec!["email".into()],
            lockout_after: 5,
            lockout_seconds: 900,
            custom_challenge: None,
            clients: Vec::new(),
            users: Vec::new(),
        }
    }
}

/// The pool's passkey relying party (Cognito's `WebAuthnConfiguration`).
///
/// Passkeys sign in only when [`FirstFactor::WebAuthn`] is among the pool's
/// `first_factors` too. The origins allowed: `https://<relyingPartyId>`, and for
/// `localhost` also `http://localhost` (browsers treat it as secure), plus
/// `allowedOrigins`; each on any port, no subdomains.
///
/// ```
/// use cognito_typestate_emulator::{FactorConfiguration, UserVerification, WebAuthnConfig};
///
/// let passkeys = WebAuthnConfig::new("localhost")
///     .user_verification(UserVerification::Required)
///     .factor_configuration(FactorConfiguration::MultiFactorWithUserVerification)
///     .allowed_origin("https://app.example.com");
/// # let _ = passkeys;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebAuthnConfig {
    /// `RelyingPartyId`: the domain passkeys are bound to (`localhost`, `example.com`).
    pub relying_party_id: String,
    /// Whether registration and sign-in require user verification.
    #[serde(default)]
    pub user_verification: UserVerification,
    /// Whether a passkey sign-in is one factor, or (verified) satisfies MFA.
    #[serde(default)]
    pub factor_configuration: FactorConfiguration,
    /// Origins allowed besides the default ones, e.g. `https://app.example.com`.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

impl WebAuthnConfig {
    /// A relying party with user verification preferred, single factor, default origins.
    pub fn new(relying_party_id: impl Into<String>) -> Self {
        Self {
            relying_party_id: relying_party_id.into(),
            user_verification: UserVerification::default(),
            factor_configuration: FactorConfiguration::default(),
            allowed_origins: Vec::new(),
        }
    }

    /// Whether user verification is required.
    #[must_use]
    pub fn user_verification(mut self, user_verification: UserVerification) -> Self {
        self.user_verification = user_verification;
        self
    }

    /// Single factor, or MFA satisfied by a verified passkey.
    #[must_use]
    pub fn factor_configuration(mut self, factor_configuration: FactorConfiguration) -> Self {
        self.factor_configuration = factor_configuration;
        self
    }

    /// One more allowed origin (`scheme://host`, any port).
    #[must_use]
    pub fn allowed_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_origins.push(origin.into());
        self
    }
}

/// `WebAuthnConfiguration.UserVerification`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserVerification {
    /// `required`: the authenticator must verify the user (PIN, biometrics).
    Required,
    /// `preferred`: verified if the authenticator can; a passkey registered verified
    /// must stay verified.
    #[default]
    Preferred,
}

/// `WebAuthnConfiguration.FactorConfiguration`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FactorConfiguration {
    /// `SINGLE_FACTOR`: a passkey is a passwordless first factor, so not offered
    /// while the pool requires MFA ([`Mfa::On`]).
    #[default]
    SingleFactor,
    /// `MULTI_FACTOR_WITH_USER_VERIFICATION`: every passkey sign-in must be
    /// user-verified, and counts as MFA: offered with MFA required, no MFA after it.
    MultiFactorWithUserVerification,
}

/// The built-in custom-auth triggers: one `CUSTOM_CHALLENGE` whose public parameter
/// `question` is asked until `answer` is given or `attempts` run out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuestionChallenge {
    /// Sent as the public challenge parameter `question`.
    pub question: String,
    /// The expected `ANSWER`.
    pub answer: String,
    /// Wrong answers allowed before the sign-in fails.
    #[serde(default = "three")]
    pub attempts: usize,
    /// Whether the password must be proven with SRP first (`CHALLENGE_NAME=SRP_A`).
    #[serde(default)]
    pub require_password: bool,
}

fn three() -> usize {
    3
}

/// An app client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AppClientConfig {
    /// The client id; generated when absent.
    pub id: Option<String>,
    /// A name for humans.
    pub name: String,
    /// The client secret: when set, every call must carry SECRET_HASH.
    pub secret: Option<String>,
    /// Generate a secret (ignored when `secret` is set).
    pub generate_secret: bool,
    /// `ExplicitAuthFlows` without the `ALLOW_` prefix (`USER_SRP_AUTH`,
    /// `USER_PASSWORD_AUTH`, `CUSTOM_AUTH`, `USER_AUTH`, `REFRESH_TOKEN_AUTH`);
    /// empty allows all.
    pub auth_flows: Vec<String>,
    /// Refresh-token rotation for GetTokensFromRefreshToken.
    pub refresh_token_rotation: bool,
    /// Seconds an old refresh token keeps working after rotation.
    pub rotation_grace_seconds: u64,
    /// How long each `Session` lives, in seconds (Cognito: 180–900).
    pub session_validity_seconds: u64,
    /// Access and ID token lifetime, in seconds.
    pub token_validity_seconds: u64,
    /// `PreventUserExistenceErrors=ENABLED`: unknown users look like wrong passwords
    /// (and get a decoy SRP challenge) instead of `UserNotFoundException`.
    pub prevent_user_existence_errors: bool,
}

impl Default for AppClientConfig {
    fn default() -> Self {
        Self {
            id: None,
            name: "app".into(),
            secret: None,
            generate_secret: false,
            auth_flows: Vec::new(),
            refresh_token_rotation: false,
            rotation_grace_seconds: 0,
            session_validity_seconds: 180,
            token_validity_seconds: 3600,
            prevent_user_existence_errors: false,
        }
    }
}

impl AppClientConfig {
    /// A client without a secret.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// A generated client secret.
    #[must_use]
    pub fn with_secret(mut self) -> Self {
        self.generate_secret = true;
        self
    }

    /// A fixed client id.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// A user.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct UserConfig {
    /// The username (the canonical `USER_ID_FOR_SRP`).
    pub username: String,
    /// A permanent password (status CONFIRMED).
    pub password: Option<String>,
    /// A temporary password (status FORCE_CHANGE_PASSWORD: `NEW_PASSWORD_REQUIRED`).
    pub temporary_password: Option<String>,
    /// Attributes (`email`, `phone_number`, `given_name`, ...). `sub` is generated.
    pub attributes: BTreeMap<String, String>,
    /// Enrolled TOTP secret (base32); enables `SOFTWARE_TOKEN_MFA` for the user.
    pub totp_secret: Option<String>,
    /// MFA methods the user enabled (TOTP is enabled by `totp_secret`).
    pub mfa_enabled: Vec<MfaMethod>,
    /// The preferred method when several are enabled; none gives `SELECT_MFA_TYPE`.
    pub mfa_preferred: Option<MfaMethod>,
}

impl UserConfig {
    /// A user with no password yet.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            ..Self::default()
        }
    }

    /// A permanent password.
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// A temporary password: the first sign-in gets `NEW_PASSWORD_REQUIRED`.
    #[must_use]
    pub fn temporary_password(mut self, password: impl Into<String>) -> Self {
        self.temporary_password = Some(password.into());
        self
    }

    /// An attribute.
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// An enrolled TOTP secret (base32).
    #[must_use]
    pub fn totp_secret(mut self, secret: impl Into<String>) -> Self {
        self.totp_secret = Some(secret.into());
        self
    }

    /// Enables an MFA method (SMS needs `phone_number`, e-mail needs `email`).
    #[must_use]
    pub fn mfa(mut self, method: MfaMethod) -> Self {
        self.mfa_enabled.push(method);
        self
    }

    /// The preferred MFA method.
    #[must_use]
    pub fn preferred_mfa(mut self, method: MfaMethod) -> Self {
        self.mfa_preferred = Some(method);
        self
    }
}
