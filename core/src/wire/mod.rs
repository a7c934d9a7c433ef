//! The JSON 1.1 shapes of the Cognito operations this crate calls, and (in [`keys`])
//! the `AuthParameters` / `ChallengeParameters` keys the library writes or reads by name.
//!
//! The only module that knows the service's member names. Crate-private: a
//! [`Transport`](crate::Transport) moves bytes and never needs these types.

pub(crate) mod account;
pub(crate) mod keys;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// One Cognito operation: its request body, and what a successful call returns.
pub(crate) trait Operation: Serialize + Send + Sync {
    /// The operation name, as in `X-Amz-Target: AWSCognitoIdentityProviderService.<NAME>`.
    const NAME: &'static str;
    /// How the request may be sent again after a failure (see `resend`).
    fn resend(&self) -> Resend;

    /// The operation name of this request (one shape may serve two operations).
    fn name(&self) -> &'static str {
        Self::NAME
    }
    /// The response body of a successful call.
    type Output: DeserializeOwned + Send;
}

/// How an operation may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resend {
    /// Never: an answer to a challenge.
    Never,
    /// Only when the failure proves the first call was not processed.
    IfNotProcessed,
    /// After any retryable failure: a second call has no effect the first lacks.
    Always,
}

/// Key/value parameters whose values may be secret (`AuthParameters`, `ChallengeResponses`).
pub(crate) type SecretMap = BTreeMap<String, Secret>;

/// `InitiateAuth` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InitiateAuth {
    /// `AuthFlow`, e.g. `USER_SRP_AUTH`.
    pub(crate) auth_flow: &'static str,
    /// `ClientId` of the app client.
    pub(crate) client_id: Arc<str>,
    /// `AuthParameters`, e.g. `USERNAME`, `SRP_A`, `SECRET_HASH`.
    pub(crate) auth_parameters: SecretMap,
    /// `ClientMetadata`, passed to Lambda triggers.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) client_metadata: BTreeMap<String, String>,
    /// `Session` of a confirmed sign-up, for the auto sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Secret>,
}

impl Operation for InitiateAuth {
    const NAME: &'static str = "InitiateAuth";
    fn resend(&self) -> Resend {
        // Starting SRP or refreshing (without rotation) has no effect a second call
        // lacks; other flows may send a code or run a Lambda trigger.
        match self.auth_flow {
            "USER_SRP_AUTH" | "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => Resend::Always,
            _ => Resend::IfNotProcessed,
        }
    }
    type Output = AuthResponse;
}

/// `RespondToAuthChallenge` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RespondToAuthChallenge {
    /// `ClientId` of the app client.
    pub(crate) client_id: Arc<str>,
    /// `ChallengeName` being answered.
    pub(crate) challenge_name: &'static str,
    /// `Session` from the previous step, when the service sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Secret>,
    /// `ChallengeResponses`.
    pub(crate) challenge_responses: SecretMap,
    /// `ClientMetadata`, passed to Lambda triggers.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) client_metadata: BTreeMap<String, String>,
}

impl Operation for RespondToAuthChallenge {
    const NAME: &'static str = "RespondToAuthChallenge";
    fn resend(&self) -> Resend {
        Resend::Never
    }
    type Output = AuthResponse;
}

/// What `InitiateAuth` and `RespondToAuthChallenge` return: tokens, or a challenge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthResponse {
    /// `ChallengeName`, when the service wants another answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) challenge_name: Option<String>,
    /// `Session` to send with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Secret>,
    /// `ChallengeParameters`; every value is a string.
    #[serde(default, deserialize_with = "null_as_default")]
    pub(crate) challenge_parameters: BTreeMap<String, String>,
    /// `AuthenticationResult`, when the sign-in is complete. Boxed: an answer is moved
    /// through every step on its way to a typed state, most often with a challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) authentication_result: Option<Box<AuthenticationResult>>,
    /// `AvailableChallenges` (USER_AUTH's `SELECT_CHALLENGE`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub(crate) available_challenges: Vec<String>,
}

/// `AuthenticationResultType`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthenticationResult {
    /// `AccessToken` (JWT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) access_token: Option<Secret>,
    /// `ExpiresIn`, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) expires_in: Option<u64>,
    /// `TokenType`, usually `Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) token_type: Option<String>,
    /// `RefreshToken`; absent on refresh unless rotation is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) refresh_token: Option<Secret>,
    /// `IdToken` (JWT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id_token: Option<Secret>,
    /// `NewDeviceMetadata`, when device tracking is on and this device is new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) new_device_metadata: Option<NewDeviceMetadata>,
}

/// `NewDeviceMetadataType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    /// `DeviceKey`, `<region>_<uuid>`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
}

/// `AssociateSoftwareToken` request (with the `MFA_SETUP` session, or an access token).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AssociateSoftwareToken {
    /// `Session` of the `MFA_SETUP` challenge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Secret>,
    /// `AccessToken` of a signed-in user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) access_token: Option<Secret>,
}

impl Operation for AssociateSoftwareToken {
    const NAME: &'static str = "AssociateSoftwareToken";
    fn resend(&self) -> Resend {
        Resend::Never
    }
    type Output = AssociateSoftwareTokenOutput;
}

/// `AssociateSoftwareToken` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AssociateSoftwareTokenOutput {
    /// `SecretCode`: the base32 TOTP secret.
    pub(crate) secret_code: Secret,
    /// `Session` to send to `VerifySoftwareToken`.
    #[serde(default)]
    pub(crate) session: Option<Secret>,
}

/// `VerifySoftwareToken` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VerifySoftwareToken {
    /// `Session` from `AssociateSoftwareToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Secret>,
    /// `AccessToken` of a signed-in user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) access_token: Option<Secret>,
    /// `UserCode`: six digits from the authenticator app.
    pub(crate) user_code: Secret,
    /// `FriendlyDeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) friendly_device_name: Option<String>,
}

impl Operation for VerifySoftwareToken {
    const NAME: &'static str = "VerifySoftwareToken";
    fn resend(&self) -> Resend {
        Resend::Never
    }
    type Output = VerifySoftwareTokenOutput;
}

/// `VerifySoftwareToken` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VerifySoftwareTokenOutput {
    /// `Status`: `SUCCESS` or `ERROR`.
    #[serde(default)]
    pub(crate) status: Option<String>,
    /// `Session` to answer `MFA_SETUP` with.
    #[serde(default)]
    pub(crate) session: Option<Secret>,
}

/// `GetTokensFromRefreshToken` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GetTokensFromRefreshToken {
    /// `RefreshToken`.
    pub(crate) refresh_token: Secret,
    /// `ClientId`.
    pub(crate) client_id: Arc<str>,
    /// `ClientSecret`: the raw secret, not a `SECRET_HASH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) client_secret: Option<Secret>,
    /// `DeviceKey`, when the tokens came from a tracked device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) device_key: Option<String>,
    /// `ClientMetadata`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) client_metadata: BTreeMap<String, String>,
}

impl Operation for GetTokensFromRefreshToken {
    const NAME: &'static str = "GetTokensFromRefreshToken";
    fn resend(&self) -> Resend {
        Resend::IfNotProcessed
    }
    type Output = GetTokensFromRefreshTokenOutput;
}

/// `GetTokensFromRefreshToken` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GetTokensFromRefreshTokenOutput {
    /// `AuthenticationResult`.
    #[serde(default)]
    pub(crate) authentication_result: Option<AuthenticationResult>,
}

/// `ConfirmDevice` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ConfirmDevice {
    /// `AccessToken` of the sign-in that produced the device.
    pub(crate) access_token: Secret,
    /// `DeviceKey` from `NewDeviceMetadata`.
    pub(crate) device_key: String,
    /// `DeviceSecretVerifierConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    /// `DeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) device_name: Option<String>,
}

/// `DeviceSecretVerifierConfigType`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct DeviceSecretVerifierConfig {
    /// `PasswordVerifier`: base64 of PAD(g^x mod N).
    pub(crate) password_verifier: String,
    /// `Salt`: base64 of the salt bytes.
    pub(crate) salt: String,
}

impl Operation for ConfirmDevice {
    const NAME: &'static str = "ConfirmDevice";
    fn resend(&self) -> Resend {
        Resend::IfNotProcessed
    }
    type Output = ConfirmDeviceOutput;
}

/// `ConfirmDevice` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ConfirmDeviceOutput {
    /// `UserConfirmationNecessary`.
    #[serde(default)]
    pub(crate) user_confirmation_necessary: bool,
}

/// `UpdateDeviceStatus` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UpdateDeviceStatus {
    /// `AccessToken` of the device's user.
    pub(crate) access_token: Secret,
    /// `DeviceKey`.
    pub(crate) device_key: String,
    /// `DeviceRememberedStatus`: `remembered` or `not_remembered`.
    pub(crate) device_remembered_status: String,
}

impl Operation for UpdateDeviceStatus {
    const NAME: &'static str = "UpdateDeviceStatus";
    fn resend(&self) -> Resend {
        // Setting a status twice leaves the same status.
        Resend::Always
    }
    type Output = Empty;
}

/// An empty response body (`{}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Empty {}

/// The body of an error response: `{"__type": "...", "message": "..."}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ErrorBody {
    /// `__type`, sometimes namespaced (`com.amazonaws...#NotAuthorizedException`).
    #[serde(rename = "__type", default)]
    pub(crate) type_: Option<String>,
    /// `code`, used by some servers instead of `__type`.
    #[serde(default)]
    pub(crate) code: Option<String>,
    /// `message`.
    #[serde(default)]
    pub(crate) message: Option<String>,
    /// `Message`, used by some errors instead of `message`.
    #[serde(rename = "Message", default)]
    pub(crate) message_upper: Option<String>,
    /// `reasonCode` of `InvalidParameterException`.
    #[serde(rename = "reasonCode", default)]
    pub(crate) reason_code: Option<String>,
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_response_accepts_null_collections() {
        let r: AuthResponse = serde_json::from_str(
            r#"{"ChallengeName":"SMS_MFA","Session":"s","ChallengeParameters":null,"AvailableChallenges":null}"#,
        )
        .unwrap();
        assert_eq!(r.challenge_name.as_deref(), Some("SMS_MFA"));
        assert!(r.challenge_parameters.is_empty());
    }

    #[test]
    fn requests_use_service_member_names() {
        let body = serde_json::to_value(RespondToAuthChallenge {
            client_id: "c".into(),
            challenge_name: "SMS_MFA",
            session: None,
            challenge_responses: SecretMap::from([("SMS_MFA_CODE".into(), Secret::new("123"))]),
            client_metadata: BTreeMap::new(),
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"ClientId":"c","ChallengeName":"SMS_MFA","ChallengeResponses":{"SMS_MFA_CODE":"123"}})
        );
    }
}
