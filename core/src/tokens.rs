//! [`Tokens`]: what a finished sign-in returns.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::challenge::select::select;
use crate::challenge::{Accepts, Outcome, OutcomeVariant, StateOf, Step, Variant, Within};
use crate::error::{Error, ProtocolError};
use crate::secret::Secret;
use crate::wire::{AuthenticationResult, NewDeviceMetadata};

/// The tokens of a finished sign-in. Every token is a [`Secret`]: redacted in `Debug`,
/// wiped on drop.
///
/// Serialises with the service's member names (`AccessToken`, `IdToken`,
/// `RefreshToken`, `ExpiresIn`, `TokenType`), plus `Username` and `DeviceKey`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tokens {
    access_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_in: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_device_metadata: Option<NewDeviceMetadata>,
    username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_key: Option<String>,
}

impl Tokens {
    /// The access token (JWT).
    pub fn access_token(&self) -> &Secret {
        &self.access_token
    }

    /// The ID token (JWT).
    pub fn id_token(&self) -> Option<&Secret> {
        self.id_token.as_ref()
    }

    /// The refresh token. After a refresh that did not rotate it, the one that was used.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }

    /// How long the access and ID tokens are valid from issue.
    pub fn expires_in(&self) -> Option<Duration> {
        self.expires_in.map(Duration::from_secs)
    }

    /// The token type, usually `Bearer`.
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// The device the service started tracking with this sign-in, if any.
    pub fn new_device_metadata(&self) -> Option<&NewDeviceMetadata> {
        self.new_device_metadata.as_ref()
    }

    /// The user's canonical username: the `cognito:username` claim of the ID token (or
    /// `username` of the access token), else the name the sign-in ended with. This is
    /// the name refresh must hash into `SECRET_HASH`, even when the user typed an alias.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The remembered device this sign-in used, if any. Refresh must send it.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// The ID token's claims. **Not verified**: check the signature against the pool's
    /// JWKS before trusting them for authorisation.
    pub fn id_token_claims(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        self.id_token
            .as_ref()
            .and_then(|t| unverified_claims(t.expose()))
    }

    /// The access token's claims. **Not verified** (see [`Self::id_token_claims`]).
    pub fn access_token_claims(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        unverified_claims(self.access_token.expose())
    }

    /// Keeps `refresh_token` when a refresh returned none (the service only returns a
    /// new one when rotation is on).
    pub(crate) fn or_refresh_token(mut self, refresh_token: &Secret) -> Self {
        if self.refresh_token.is_none() {
            self.refresh_token = Some(refresh_token.clone());
        }
        self
    }

    pub(crate) fn from_result(
        result: AuthenticationResult,
        username: &str,
        device_key: Option<String>,
    ) -> Result<Self, Error> {
        let access_token = result
            .access_token
            .ok_or(ProtocolError::MissingToken("AccessToken"))?;
        let mut tokens = Self {
            username: String::new(),
            access_token,
            id_token: result.id_token,
            refresh_token: result.refresh_token,
            expires_in: result.expires_in,
            token_type: result.token_type,
            device_key: result
                .new_device_metadata
                .as_ref()
                .map(|d| d.device_key.clone())
                .or(device_key),
            new_device_metadata: result.new_device_metadata,
        };
        tokens.username = tokens
            .id_token_claims()
            .and_then(|c| c.get("cognito:username")?.as_str().map(str::to_owned))
            .or_else(|| {
                tokens
                    .access_token_claims()
                    .and_then(|c| c.get("username")?.as_str().map(str::to_owned))
            })
            .unwrap_or_else(|| username.to_owned());
        Ok(tokens)
    }
}

fn unverified_claims(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &self.access_token)
            .field("id_token", &self.id_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_in", &self.expires_in)
            .field("username", &self.username)
            .field("new_device_metadata", &self.new_device_metadata)
            .finish_non_exhaustive()
    }
}

const TOKENS_ONLY: &[Variant] = &[Variant {
    name: "Authenticated",
    accepts: Accepts::Tokens,
    next: <Tokens as OutcomeVariant>::NEXT,
}];

impl OutcomeVariant for Tokens {
    const ACCEPTS: Accepts = Accepts::Tokens;
    const NEXT: fn() -> &'static [Variant] = || &[];

    fn from_step(step: Step) -> Result<Self, Error> {
        let Step {
            response, context, ..
        } = step;
        let result = response
            .authentication_result
            .ok_or(ProtocolError::NeitherTokensNorChallenge)?;
        Self::from_result(*result, &context.username, context.device_key)
    }
}

impl StateOf<Tokens> for Tokens {}

impl<O: Outcome> Within<O> for Tokens where Tokens: StateOf<O> {}

/// A step whose only possible outcome is tokens (refresh, the device verifier).
impl Outcome for Tokens {
    const VARIANTS: &'static [Variant] = TOKENS_ONLY;

    fn from_step(step: Step) -> Result<Self, Error> {
        select(&step, Self::VARIANTS)?;
        <Self as OutcomeVariant>::from_step(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &serde_json::Value) -> String {
        format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(claims.to_string()))
    }

    #[test]
    fn canonical_username_comes_from_the_id_token() {
        let result = AuthenticationResult {
            access_token: Some(Secret::new(jwt(
                &serde_json::json!({"username": "from-access"}),
            ))),
            id_token: Some(Secret::new(jwt(
                &serde_json::json!({"cognito:username": "1f2e-uuid"}),
            ))),
            ..AuthenticationResult::default()
        };
        let tokens = Tokens::from_result(result, "alice@example.com", None).unwrap();
        assert_eq!(tokens.username(), "1f2e-uuid");
    }

    #[test]
    fn opaque_tokens_fall_back_to_the_flow_username() {
        let result = AuthenticationResult {
            access_token: Some(Secret::new("not-a-jwt")),
            ..AuthenticationResult::default()
        };
        let tokens = Tokens::from_result(result, "alice", Some("dev".into())).unwrap();
        assert_eq!(tokens.username(), "alice");
        assert_eq!(tokens.device_key(), Some("dev"));
        assert!(!format!("{tokens:?}").contains("not-a-jwt"));
    }

    #[test]
    fn missing_access_token_is_a_protocol_error() {
        let err = Tokens::from_result(AuthenticationResult::default(), "a", None).unwrap_err();
        assert!(matches!(
            err,
            Error::Protocol(ProtocolError::MissingToken("AccessToken"))
        ));
    }
}
