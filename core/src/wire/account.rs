//! The account operations: sign-up and its confirmation, password reset, and the calls
//! made with a signed-in user's access token (PROTOCOL.md §9.1–9.2).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Empty, Operation, Resend};
use crate::secret::Secret;

/// `AttributeType`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) value: String,
}

/// `CodeDeliveryDetailsType`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeDeliveryDetails {
    #[serde(default)]
    pub(crate) destination: Option<String>,
    #[serde(default)]
    pub(crate) delivery_medium: Option<String>,
    #[serde(default)]
    pub(crate) attribute_name: Option<String>,
}

/// `SignUp` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SignUp {
    pub(crate) client_id: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) secret_hash: Option<Secret>,
    pub(crate) username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) password: Option<Secret>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) user_attributes: Vec<Attribute>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) client_metadata: BTreeMap<String, String>,
}

impl Operation for SignUp {
    const NAME: &'static str = "SignUp";
    fn resend(&self) -> Resend {
        // It creates the user and sends a code.
        Resend::IfNotProcessed
    }
    type Output = SignUpOutput;
}

/// `SignUp` response.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SignUpOutput {
    #[serde(default)]
    pub(crate) user_confirmed: bool,
    #[serde(default)]
    pub(crate) user_sub: Option<String>,
    #[serde(default)]
    pub(crate) code_delivery_details: Option<CodeDeliveryDetails>,
    #[serde(default)]
    pub(crate) session: Option<Secret>,
}

/// `ConfirmSignUp` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ConfirmSignUp {
    pub(crate) client_id: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) secret_hash: Option<Secret>,
    pub(crate) username: String,
    pub(crate) confirmation_code: Secret,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Secret>,
}

impl Operation for ConfirmSignUp {
    const NAME: &'static str = "ConfirmSignUp";
    fn resend(&self) -> Resend {
        Resend::Never
    }
    type Output = SessionOutput;
}

/// A response that may carry a `Session`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SessionOutput {
    #[serde(default)]
    pub(crate) session: Option<Secret>,
}

/// `ResendConfirmationCode` and `ForgotPassword` requests: the same members.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SendCode {
    #[serde(skip)]
    pub(crate) operation: &'static str,
    pub(crate) client_id: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) secret_hash: Option<Secret>,
    pub(crate) username: String,
}

impl Operation for SendCode {
    const NAME: &'static str = "ForgotPassword";
    fn name(&self) -> &'static str {
        self.operation
    }
    fn resend(&self) -> Resend {
        // A second message is harmless only when the first was never sent.
        Resend::IfNotProcessed
    }
    type Output = CodeDeliveryOutput;
}

/// A response carrying `CodeDeliveryDetails`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeDeliveryOutput {
    #[serde(default)]
    pub(crate) code_delivery_details: Option<CodeDeliveryDetails>,
}

/// `ConfirmForgotPassword` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ConfirmForgotPassword {
    pub(crate) client_id: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) secret_hash: Option<Secret>,
    pub(crate) username: String,
    pub(crate) confirmation_code: Secret,
    pub(crate) password: Secret,
}

impl Operation for ConfirmForgotPassword {
    const NAME: &'static str = "ConfirmForgotPassword";
    fn resend(&self) -> Resend {
        Resend::Never
    }
    type Output = Empty;
}

/// `ChangePassword` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ChangePassword {
    pub(crate) access_token: Secret,
    pub(crate) previous_password: Secret,
    pub(crate) proposed_password: Secret,
}

impl Operation for ChangePassword {
    const NAME: &'static str = "ChangePassword";
    fn resend(&self) -> Resend {
        // After a lost success, a resend would fail on the previous password.
        Resend::IfNotProcessed
    }
    type Output = Empty;
}

/// `GlobalSignOut` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GlobalSignOut {
    pub(crate) access_token: Secret,
}

impl Operation for GlobalSignOut {
    const NAME: &'static str = "GlobalSignOut";
    fn resend(&self) -> Resend {
        // Signing out twice leaves the user signed out.
        Resend::Always
    }
    type Output = Empty;
}

/// `RevokeToken` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RevokeToken {
    pub(crate) token: Secret,
    pub(crate) client_id: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) client_secret: Option<Secret>,
}

impl Operation for RevokeToken {
    const NAME: &'static str = "RevokeToken";
    fn resend(&self) -> Resend {
        // Revoking twice leaves the token revoked.
        Resend::Always
    }
    type Output = Empty;
}

/// `SMSMfaSettings` / `SoftwareTokenMfaSettings` / `EmailMfaSettings`.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct MfaSettings {
    pub(crate) enabled: bool,
    pub(crate) preferred_mfa: bool,
}

/// `SetUserMFAPreference` request.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SetUserMfaPreference {
    #[serde(rename = "AccessToken")]
    pub(crate) access_token: Secret,
    #[serde(rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub(crate) sms: Option<MfaSettings>,
    #[serde(
        rename = "SoftwareTokenMfaSettings",
        skip_serializing_if = "Option::is_none"
    )]
    pub(crate) software_token: Option<MfaSettings>,
    #[serde(rename = "EmailMfaSettings", skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<MfaSettings>,
}

impl Operation for SetUserMfaPreference {
    const NAME: &'static str = "SetUserMFAPreference";
    fn resend(&self) -> Resend {
        Resend::Always
    }
    type Output = Empty;
}

/// `ForgetDevice` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ForgetDevice {
    pub(crate) access_token: Secret,
    pub(crate) device_key: String,
}

impl Operation for ForgetDevice {
    const NAME: &'static str = "ForgetDevice";
    fn resend(&self) -> Resend {
        Resend::Always
    }
    type Output = Empty;
}

/// `StartWebAuthnRegistration` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StartWebAuthnRegistration {
    pub(crate) access_token: Secret,
}

impl Operation for StartWebAuthnRegistration {
    const NAME: &'static str = "StartWebAuthnRegistration";
    fn resend(&self) -> Resend {
        // Only the last challenge issued can be completed.
        Resend::IfNotProcessed
    }
    type Output = StartWebAuthnRegistrationOutput;
}

/// `StartWebAuthnRegistration` response: the creation options as a JSON document.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StartWebAuthnRegistrationOutput {
    pub(crate) credential_creation_options: crate::webauthn::CredentialCreationOptions,
}

/// `CompleteWebAuthnRegistration` request: the credential as a JSON document (an
/// object, not a string).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CompleteWebAuthnRegistration {
    pub(crate) access_token: Secret,
    pub(crate) credential: crate::webauthn::RegistrationResponse,
}

impl Operation for CompleteWebAuthnRegistration {
    const NAME: &'static str = "CompleteWebAuthnRegistration";
    fn resend(&self) -> Resend {
        Resend::Never
    }
    type Output = Empty;
}

/// `ListWebAuthnCredentials` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ListWebAuthnCredentials {
    pub(crate) access_token: Secret,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max_results: Option<u32>,
}

impl Operation for ListWebAuthnCredentials {
    const NAME: &'static str = "ListWebAuthnCredentials";
    fn resend(&self) -> Resend {
        Resend::Always
    }
    type Output = ListWebAuthnCredentialsOutput;
}

/// `ListWebAuthnCredentials` response.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ListWebAuthnCredentialsOutput {
    #[serde(default)]
    pub(crate) credentials: Vec<crate::webauthn::Passkey>,
    #[serde(default)]
    pub(crate) next_token: Option<String>,
}

/// `DeleteWebAuthnCredential` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct DeleteWebAuthnCredential {
    pub(crate) access_token: Secret,
    pub(crate) credential_id: String,
}

impl Operation for DeleteWebAuthnCredential {
    const NAME: &'static str = "DeleteWebAuthnCredential";
    fn resend(&self) -> Resend {
        // Deleting twice leaves it deleted (the second may answer ResourceNotFound).
        Resend::IfNotProcessed
    }
    type Output = Empty;
}
