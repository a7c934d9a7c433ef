//! The `InitiateAuth` flows, each with its own typed first outcome.
//!
//! | flow | `AuthFlow` | first outcome |
//! |---|---|---|
//! | [`UserSrpAuth`] | `USER_SRP_AUTH` (`PASSWORD_VERIFIER` answered for you) | [`AfterPassword`] |
//! | [`UserPasswordAuth`] | `USER_PASSWORD_AUTH` | [`AfterPassword`] |
//! | [`CustomAuth`] | `CUSTOM_AUTH`, optionally SRP first | [`AfterCustomChallenge`] or your own outcome |
//! | [`UserAuth`] | `USER_AUTH` | [`FirstFactorOutcome`] |
//! | [`UserAuthSrp`] | `USER_AUTH` preferring `PASSWORD_SRP` | [`AfterPassword`] |
//! | [`RefreshTokenAuth`] | `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN` | [`Tokens`] |
//! | [`TokensFromRefreshToken`] | the `GetTokensFromRefreshToken` operation | [`Tokens`] |

use std::collections::BTreeMap;
use std::future::Future;
use std::marker::PhantomData;

use crate::challenge::{FlowContext, Outcome, ResponseMap, Step};
use crate::challenges::{
    AfterCustomChallenge, AfterPassword, AfterPasswordSrp, FirstFactor, FirstFactorOutcome,
    PasswordSrp, PasswordVerifier, SelectChallenge,
};
use crate::client::Client;
use crate::device::DeviceCredentials;
use crate::error::Error;
use crate::srp::{self, SrpEphemeral, SrpError, VerifierInputs};
use crate::{Pending, Secret, Tokens, wire};

mod sealed {
    pub trait Sealed {}
}

/// A way to start signing in. Pass one to [`Client::initiate`].
///
/// Implemented by the flows of this module only: each knows its `AuthParameters` and
/// which outcome the service may answer with.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sign-in flow",
    label = "not a flow",
    note = "start with one of `cognito_typestate::flows`: `UserSrpAuth::new(username, password)`, `UserPasswordAuth`, `CustomAuth`, `UserAuth`, `RefreshTokenAuth`, ..."
)]
pub trait Flow: sealed::Sealed + Send {
    /// The `AuthFlow` it starts (for GetTokensFromRefreshToken, the operation).
    const AUTH_FLOW: &'static str;
    /// What the service may answer the first call with.
    type Outcome: Outcome;

    /// Runs the flow's first call(s).
    #[doc(hidden)]
    fn start(self, client: &Client) -> impl Future<Output = Result<Self::Outcome, Error>> + Send;
}

/// Options every flow takes: a remembered device and metadata for Lambda triggers.
#[derive(Debug, Clone, Default)]
struct Options {
    device_key: Option<String>,
    device: Option<DeviceCredentials>,
    client_metadata: BTreeMap<String, String>,
}

impl Options {
    fn context(&self, username: &str) -> FlowContext {
        FlowContext {
            username: username.to_owned(),
            device_key: self.device_key.clone(),
            device: self.device.clone(),
            client_metadata: self.client_metadata.clone(),
        }
    }
}

macro_rules! flow_options {
    ($($flow:ident $(<$g:ident>)?),*) => {$(
        impl $(<$g>)? $flow $(<$g>)? {
            /// Signs in with a device remembered at an earlier sign-in (see
            /// [`Client::confirm_device`]): `DEVICE_KEY` goes with every step and
            /// `DEVICE_SRP_AUTH` is answered with the credentials.
            #[must_use]
            pub fn device(mut self, credentials: DeviceCredentials) -> Self {
                self.options.device_key = Some(credentials.device_key.clone());
                self.options.device = Some(credentials);
                self
            }

            /// Sends `DEVICE_KEY` with every step without the device's credentials:
            /// `DEVICE_SRP_AUTH` then reaches you as a pending challenge (answer it with
            /// `Pending::<DeviceSrpAuth>::respond_with_device`).
            #[must_use]
            pub fn device_key(mut self, device_key: impl Into<String>) -> Self {
                self.options.device_key = Some(device_key.into());
                self.options.device = None;
                self
            }

            /// Sends `ClientMetadata` to the pool's Lambda triggers with every step.
            #[must_use]
            pub fn client_metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.client_metadata.insert(key.into(), value.into());
                self
            }
        }
    )*};
}

flow_options!(
    UserPasswordAuth,
    UserSrpAuth,
    CustomAuth<O>,
    UserAuth,
    UserAuthSrp,
    RefreshTokenAuth
);

/// `USER_PASSWORD_AUTH`: the password is sent to the service (over TLS).
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../docs/flows/user_password_auth.mmd"), "```")]
#[derive(Debug)]
pub struct UserPasswordAuth {
    username: String,
    password: Secret,
    options: Options,
}

impl UserPasswordAuth {
    /// Signs `username` (or an alias) in with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            options: Options::default(),
        }
    }
}

impl sealed::Sealed for UserPasswordAuth {}

impl Flow for UserPasswordAuth {
    const AUTH_FLOW: &'static str = "USER_PASSWORD_AUTH";
    type Outcome = AfterPassword;

    async fn start(self, client: &Client) -> Result<AfterPassword, Error> {
        let mut params = ResponseMap::new();
        params.insert("USERNAME", self.username.as_str());
        params.insert("PASSWORD", self.password);
        let step = client
            .initiate_auth(
                "USER_PASSWORD_AUTH",
                params,
                self.options.context(&self.username),
            )
            .await?;
        AfterPassword::from_step(step)
    }
}

/// `USER_SRP_AUTH`: the password never leaves the process; the library answers the
/// `PASSWORD_VERIFIER` challenge with SRP. The client needs the user pool id.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../docs/flows/user_srp_auth.mmd"), "```")]
#[derive(Debug)]
pub struct UserSrpAuth {
    username: String,
    password: Secret,
    ephemeral: Option<SrpEphemeral>,
    options: Options,
}

impl UserSrpAuth {
    /// Signs `username` (or an alias) in with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            ephemeral: None,
            options: Options::default(),
        }
    }

    /// Uses an ephemeral computed ahead of time (e.g. while the user typed), which
    /// takes the computation of `A` off the sign-in's critical path.
    #[must_use]
    pub fn ephemeral(mut self, ephemeral: SrpEphemeral) -> Self {
        self.ephemeral = Some(ephemeral);
        self
    }
}

impl sealed::Sealed for UserSrpAuth {}

impl Flow for UserSrpAuth {
    const AUTH_FLOW: &'static str = "USER_SRP_AUTH";
    type Outcome = AfterPassword;

    async fn start(self, client: &Client) -> Result<AfterPassword, Error> {
        let ephemeral = take_or_generate(self.ephemeral)?;
        let mut params = ResponseMap::new();
        params.insert("USERNAME", self.username.as_str());
        params.insert("SRP_A", ephemeral.public_hex());
        let step = client
            .initiate_auth(
                "USER_SRP_AUTH",
                params,
                self.options.context(&self.username),
            )
            .await?;
        let AfterPasswordSrp::PasswordVerifier(pending) = AfterPasswordSrp::from_step(step)?;
        answer_verifier(pending, &ephemeral, &self.password).await
    }
}

/// `CUSTOM_AUTH`: the pool's Lambda triggers decide the challenges.
///
/// `O` is the outcome the application's triggers can produce; by default
/// [`AfterCustomChallenge`], whose custom challenge reads its parameters as a map.
/// Declare a narrower or typed outcome with `#[derive(Outcome)]` and name it here.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../docs/flows/custom_auth.mmd"), "```")]
#[derive(Debug)]
pub struct CustomAuth<O = AfterCustomChallenge> {
    username: String,
    srp: Option<(Secret, Option<SrpEphemeral>)>,
    options: Options,
    outcome: PhantomData<fn() -> O>,
}

impl<O: Outcome> CustomAuth<O> {
    /// Starts custom authentication for `username`.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            srp: None,
            options: Options::default(),
            outcome: PhantomData,
        }
    }

    /// Starts custom authentication with an SRP password check first
    /// (`CHALLENGE_NAME = SRP_A`); the `PASSWORD_VERIFIER` step is answered for you.
    pub fn with_srp(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            srp: Some((password.into(), None)),
            ..Self::new(username)
        }
    }
}

impl<O> sealed::Sealed for CustomAuth<O> {}

impl<O: Outcome> Flow for CustomAuth<O> {
    const AUTH_FLOW: &'static str = "CUSTOM_AUTH";
    type Outcome = O;

    async fn start(self, client: &Client) -> Result<O, Error> {
        let context = self.options.context(&self.username);
        let mut params = ResponseMap::new();
        params.insert("USERNAME", self.username.as_str());
        let Some((password, ephemeral)) = self.srp else {
            let step = client.initiate_auth("CUSTOM_AUTH", params, context).await?;
            return O::from_step(step);
        };
        let ephemeral = take_or_generate(ephemeral)?;
        params.insert("CHALLENGE_NAME", "SRP_A");
        params.insert("SRP_A", ephemeral.public_hex());
        let step = client.initiate_auth("CUSTOM_AUTH", params, context).await?;
        let AfterPasswordSrp::PasswordVerifier(pending) = AfterPasswordSrp::from_step(step)?;
        let step = send_verifier(pending, &ephemeral, &password).await?;
        O::from_step(step)
    }
}

/// `USER_AUTH` (choice-based sign-in): passwordless codes, passkeys or the password.
///
/// Without a preference the service answers `SELECT_CHALLENGE` with the factors the
/// user has; with one it asks for that factor directly.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../docs/flows/user_auth.mmd"), "```")]
#[derive(Debug)]
pub struct UserAuth {
    username: String,
    preferred: Option<FirstFactor>,
    password: Option<Secret>,
    options: Options,
}

impl UserAuth {
    /// Starts `USER_AUTH` for `username` with no preferred factor.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            preferred: None,
            password: None,
            options: Options::default(),
        }
    }

    /// Starts `USER_AUTH` preferring the password, sent along right away.
    pub fn with_password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            preferred: Some(FirstFactor::Password),
            password: Some(password.into()),
            ..Self::new(username)
        }
    }

    /// Prefers a factor that needs nothing up front (`EMAIL_OTP`, `SMS_OTP`,
    /// `WEB_AUTHN`). For the password use [`Self::with_password`] or [`UserAuthSrp`].
    #[must_use]
    pub fn prefer(mut self, factor: FirstFactor) -> Self {
        self.preferred = Some(factor);
        self
    }
}

impl sealed::Sealed for UserAuth {}

impl Flow for UserAuth {
    const AUTH_FLOW: &'static str = "USER_AUTH";
    type Outcome = FirstFactorOutcome;

    async fn start(self, client: &Client) -> Result<FirstFactorOutcome, Error> {
        let mut params = ResponseMap::new();
        params.insert("USERNAME", self.username.as_str());
        if let Some(factor) = &self.preferred {
            params.insert("PREFERRED_CHALLENGE", factor.as_str());
        }
        if let Some(password) = self.password {
            params.insert("PASSWORD", password);
        }
        let step = client
            .initiate_auth("USER_AUTH", params, self.options.context(&self.username))
            .await?;
        FirstFactorOutcome::from_step(step)
    }
}

/// `USER_AUTH` preferring `PASSWORD_SRP`: the password is proven with SRP and the
/// `PASSWORD_VERIFIER` step is answered for you.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../docs/flows/user_auth_srp.mmd"), "```")]
#[derive(Debug)]
pub struct UserAuthSrp {
    username: String,
    password: Secret,
    options: Options,
}

impl UserAuthSrp {
    /// Signs `username` in with `password` through SRP.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            options: Options::default(),
        }
    }
}

impl sealed::Sealed for UserAuthSrp {}

impl Flow for UserAuthSrp {
    const AUTH_FLOW: &'static str = "USER_AUTH";
    type Outcome = AfterPassword;

    async fn start(self, client: &Client) -> Result<AfterPassword, Error> {
        let ephemeral = SrpEphemeral::generate().map_err(srp_error)?;
        let mut params = ResponseMap::new();
        params.insert("USERNAME", self.username.as_str());
        params.insert("PREFERRED_CHALLENGE", FirstFactor::PasswordSrp.as_str());
        params.insert("SRP_A", ephemeral.public_hex());
        let step = client
            .initiate_auth("USER_AUTH", params, self.options.context(&self.username))
            .await?;
        let AfterPasswordSrp::PasswordVerifier(pending) = AfterPasswordSrp::from_step(step)?;
        answer_verifier(pending, &ephemeral, &self.password).await
    }
}

impl Pending<SelectChallenge> {
    /// Chooses `PASSWORD_SRP` (if offered) and proves the password with SRP.
    pub async fn password_srp(self, password: impl Into<Secret>) -> Result<AfterPassword, Error> {
        if !self
            .challenge()
            .available()
            .contains(&FirstFactor::PasswordSrp)
        {
            return Err(Error::NotOffered {
                choice: FirstFactor::PasswordSrp.to_string(),
                offered: self
                    .challenge()
                    .available()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let ephemeral = SrpEphemeral::generate().map_err(srp_error)?;
        let mut map = ResponseMap::new();
        map.insert("ANSWER", FirstFactor::PasswordSrp.as_str());
        map.insert("SRP_A", ephemeral.public_hex());
        let AfterPasswordSrp::PasswordVerifier(pending) =
            AfterPasswordSrp::from_step(self.send(map).await?)?;
        answer_verifier(pending, &ephemeral, &password.into()).await
    }
}

impl Pending<PasswordSrp> {
    /// Answers `PASSWORD_SRP` and the `PASSWORD_VERIFIER` that follows from `password`.
    pub async fn respond_with_password(
        self,
        password: impl Into<Secret>,
    ) -> Result<AfterPassword, Error> {
        let ephemeral = SrpEphemeral::generate().map_err(srp_error)?;
        let mut map = ResponseMap::new();
        map.insert("SRP_A", ephemeral.public_hex());
        let AfterPasswordSrp::PasswordVerifier(pending) =
            AfterPasswordSrp::from_step(self.send(map).await?)?;
        answer_verifier(pending, &ephemeral, &password.into()).await
    }
}

/// Answers `PASSWORD_VERIFIER` from the password and reads what follows.
async fn answer_verifier(
    pending: Pending<PasswordVerifier>,
    ephemeral: &SrpEphemeral,
    password: &Secret,
) -> Result<AfterPassword, Error> {
    AfterPassword::from_step(send_verifier(pending, ephemeral, password).await?)
}

/// Computes the `PASSWORD_VERIFIER` answer (with the canonical `USER_ID_FOR_SRP`) and
/// sends it, with the challenge's session if the service gave one.
async fn send_verifier(
    pending: Pending<PasswordVerifier>,
    ephemeral: &SrpEphemeral,
    password: &Secret,
) -> Result<Step, Error> {
    let client = pending.client();
    let pool_name = client
        .user_pool_id()
        .and_then(|id| id.split_once('_'))
        .map(|(_, name)| name)
        .ok_or_else(|| srp_error(SrpError::NoPoolName))?;
    let challenge = pending.challenge();
    let timestamp = srp::timestamp(client.now());
    let claim = srp::password_claim(
        ephemeral,
        &VerifierInputs {
            pool_name,
            user_id: &challenge.user_id_for_srp,
            password: password.expose(),
            salt_hex: &challenge.salt,
            srp_b_hex: &challenge.srp_b,
            secret_block: &challenge.secret_block,
            timestamp: &timestamp,
        },
    )
    .map_err(srp_error)?;
    let mut map = ResponseMap::new();
    crate::ChallengeResponse::write(&claim, &mut map);
    pending.send(map).await
}

fn take_or_generate(ephemeral: Option<SrpEphemeral>) -> Result<SrpEphemeral, Error> {
    ephemeral.map_or_else(|| SrpEphemeral::generate().map_err(srp_error), Ok)
}

fn srp_error(e: SrpError) -> Error {
    Error::Srp(e)
}

/// `REFRESH_TOKEN_AUTH`: new access and ID tokens from a refresh token.
///
/// With a client secret, `SECRET_HASH` must use the user's canonical username (not an
/// alias): build the flow with [`Self::from_tokens`], or give it with
/// [`Self::username`]. The returned [`Tokens`] keep the refresh token that was used
/// when the service does not rotate it.
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../docs/flows/refresh_token_auth.mmd"), "```")]
#[derive(Debug)]
pub struct RefreshTokenAuth {
    refresh_token: Secret,
    username: Option<String>,
    auth_flow: &'static str,
    options: Options,
}

impl RefreshTokenAuth {
    /// Refreshes with `refresh_token`.
    pub fn new(refresh_token: impl Into<Secret>) -> Self {
        Self {
            refresh_token: refresh_token.into(),
            username: None,
            auth_flow: "REFRESH_TOKEN_AUTH",
            options: Options::default(),
        }
    }

    /// Refreshes the tokens of an earlier sign-in: its refresh token, its canonical
    /// username, and its remembered device. `None` when they have no refresh token.
    pub fn from_tokens(tokens: &Tokens) -> Option<Self> {
        let mut flow = Self::new(tokens.refresh_token()?.clone()).username(tokens.username());
        flow.options.device_key = tokens.device_key().map(str::to_owned);
        Some(flow)
    }

    /// The canonical username to hash into `SECRET_HASH` (`cognito:username`).
    #[must_use]
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Sends the flow as `REFRESH_TOKEN`, the older name of the same flow.
    #[must_use]
    pub fn legacy_flow_name(mut self) -> Self {
        self.auth_flow = "REFRESH_TOKEN";
        self
    }
}

impl sealed::Sealed for RefreshTokenAuth {}

impl Flow for RefreshTokenAuth {
    const AUTH_FLOW: &'static str = "REFRESH_TOKEN_AUTH";
    type Outcome = Tokens;

    async fn start(self, client: &Client) -> Result<Tokens, Error> {
        let username = self.username.unwrap_or_default();
        if client.has_secret() && username.is_empty() {
            return Err(Error::Config(
                "refreshing with a client secret needs the canonical username for SECRET_HASH: \
                 use `RefreshTokenAuth::from_tokens` or `.username(...)`"
                    .into(),
            ));
        }
        let mut params = ResponseMap::new();
        params.insert("REFRESH_TOKEN", self.refresh_token.clone());
        let step = client
            .initiate_auth(self.auth_flow, params, self.options.context(&username))
            .await?;
        Ok(Tokens::from_step(step)?.or_refresh_token(&self.refresh_token))
    }
}

/// The `GetTokensFromRefreshToken` operation: refresh with the raw client secret
/// instead of a `SECRET_HASH`, and with refresh-token rotation when the app client has
/// it on (the new refresh token is in the result; the old one stops working).
///
/// # States
///
/// What may follow what (from the outcome types, see [`crate::graph`]):
///
#[doc = concat!("```mermaid\n", include_str!("../docs/flows/tokens_from_refresh_token.mmd"), "```")]
#[derive(Debug)]
pub struct TokensFromRefreshToken {
    refresh_token: Secret,
    device_key: Option<String>,
    client_metadata: BTreeMap<String, String>,
}

impl TokensFromRefreshToken {
    /// Refreshes with `refresh_token`.
    pub fn new(refresh_token: impl Into<Secret>) -> Self {
        Self {
            refresh_token: refresh_token.into(),
            device_key: None,
            client_metadata: BTreeMap::new(),
        }
    }

    /// Refreshes the tokens of an earlier sign-in, with its remembered device.
    pub fn from_tokens(tokens: &Tokens) -> Option<Self> {
        let mut flow = Self::new(tokens.refresh_token()?.clone());
        flow.device_key = tokens.device_key().map(str::to_owned);
        Some(flow)
    }

    /// Sends `DeviceKey`.
    #[must_use]
    pub fn device_key(mut self, device_key: impl Into<String>) -> Self {
        self.device_key = Some(device_key.into());
        self
    }

    /// Sends `ClientMetadata`.
    #[must_use]
    pub fn client_metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.client_metadata.insert(key.into(), value.into());
        self
    }
}

impl sealed::Sealed for TokensFromRefreshToken {}

impl Flow for TokensFromRefreshToken {
    const AUTH_FLOW: &'static str = "GetTokensFromRefreshToken";
    type Outcome = Tokens;

    async fn start(self, client: &Client) -> Result<Tokens, Error> {
        let output = client
            .call(&wire::GetTokensFromRefreshToken {
                refresh_token: self.refresh_token.clone(),
                client_id: client.client_id().to_owned(),
                client_secret: client.client_secret().cloned(),
                device_key: self.device_key.clone(),
                client_metadata: self.client_metadata,
            })
            .await?;
        let result = output
            .authentication_result
            .ok_or(crate::ProtocolError::MissingToken("AuthenticationResult"))?;
        Ok(Tokens::from_result(result, "", self.device_key)?.or_refresh_token(&self.refresh_token))
    }
}
