//! Refresh: `REFRESH_TOKEN_AUTH` and the `GetTokensFromRefreshToken` operation.

use super::params::RefreshParameters;
use super::{Flow, Options, initiate, sealed};
use crate::connection::{Connection, SendUsername};
use crate::error::{ConfigError, Error, ProtocolError};
use crate::secret::Secret;
use crate::tokens::Tokens;
use crate::wire;

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
#[doc = concat!("```mermaid\n", include_str!("../../docs/flows/refresh_token_auth.mmd"), "```")]
#[derive(Debug)]
pub struct RefreshTokenAuth {
    refresh_token: Secret,
    username: Option<String>,
    auth_flow: &'static str,
    pub(super) options: Options,
}

impl RefreshTokenAuth {
    /// Refreshes with `refresh_token`.
    pub fn new(refresh_token: impl Into<Secret>) -> Self {
        Self {
            refresh_token: refresh_token.into(),
            username: None,
            auth_flow: <Self as Flow>::AUTH_FLOW,
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

    async fn start(self, client: &Connection) -> Result<Tokens, Error> {
        let username = self.username.unwrap_or_default();
        if client.settings().client_secret.is_some() && username.is_empty() {
            return Err(ConfigError::RefreshWithoutUsername.into());
        }
        let context = self.options.context(&username);
        let parameters = RefreshParameters::new(self.refresh_token.clone());
        let tokens: Tokens = initiate(
            client,
            self.auth_flow,
            &parameters,
            context,
            SendUsername::HashOnly,
        )
        .await?;
        Ok(tokens.or_refresh_token(&self.refresh_token))
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
#[doc = concat!("```mermaid\n", include_str!("../../docs/flows/tokens_from_refresh_token.mmd"), "```")]
#[derive(Debug)]
pub struct TokensFromRefreshToken {
    refresh_token: Secret,
    pub(super) options: Options,
}

impl TokensFromRefreshToken {
    /// Refreshes with `refresh_token`.
    pub fn new(refresh_token: impl Into<Secret>) -> Self {
        Self {
            refresh_token: refresh_token.into(),
            options: Options::default(),
        }
    }

    /// Refreshes the tokens of an earlier sign-in, with its remembered device.
    pub fn from_tokens(tokens: &Tokens) -> Option<Self> {
        let mut flow = Self::new(tokens.refresh_token()?.clone());
        flow.options.device_key = tokens.device_key().map(str::to_owned);
        Some(flow)
    }
}

impl sealed::Sealed for TokensFromRefreshToken {}

impl Flow for TokensFromRefreshToken {
    const AUTH_FLOW: &'static str = "GetTokensFromRefreshToken";
    type Outcome = Tokens;

    async fn start(self, client: &Connection) -> Result<Tokens, Error> {
        let settings = client.settings();
        let output = client
            .call(&wire::GetTokensFromRefreshToken {
                refresh_token: self.refresh_token.clone(),
                client_id: settings.client_id.clone(),
                client_secret: settings.client_secret.clone(),
                device_key: self.options.device_key.clone(),
                client_metadata: self.options.client_metadata,
            })
            .await?;
        let result = output
            .authentication_result
            .ok_or(ProtocolError::MissingToken("AuthenticationResult"))?;
        let tokens = Tokens::from_result(result, "", self.options.device_key)?;
        Ok(tokens.or_refresh_token(&self.refresh_token))
    }
}
