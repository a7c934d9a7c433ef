//! Passkey (WebAuthn) data as Cognito sends and takes it: the JSON forms of the
//! request and creation options and of the authenticator's answers, with binary values
//! as base64url strings (WebAuthn Level 3's `*JSON` types).
//!
//! Every struct keeps members it does not name in `extra`, and every enum keeps values
//! it does not know as `Other`, so what the service or an authenticator sends comes back
//! out unchanged.
//!
//! ```
//! use cognito_typestate::webauthn::{CredentialRequestOptions, UserVerification};
//!
//! // CREDENTIAL_REQUEST_OPTIONS of a WEB_AUTHN challenge.
//! let options: CredentialRequestOptions = serde_json::from_str(
//!     r#"{"challenge":"3q2-7w","timeout":180000,"rpId":"example.com",
//!         "allowCredentials":[{"type":"public-key","id":"AQID","transports":[]}],
//!         "userVerification":"preferred"}"#,
//! )?;
//! assert_eq!(options.challenge.as_bytes(), [0xde, 0xad, 0xbe, 0xef]);
//! assert_eq!(options.user_verification, Some(UserVerification::Preferred));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod authenticator;
#[cfg(feature = "software-authenticator")]
mod software;

pub use authenticator::Authenticator;
#[cfg(feature = "software-authenticator")]
pub use software::{SoftwareAuthenticator, SoftwareAuthenticatorError};

/// Members a struct does not name, kept as they came.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Bytes written as base64url without padding (padding is accepted when read).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Url(Vec<u8>);

impl Base64Url {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64Url {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for Base64Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(&self.0))
    }
}

impl Serialize for Base64Url {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&URL_SAFE_NO_PAD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Url {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let decoded = if text.ends_with('=') {
            URL_SAFE.decode(&text)
        } else {
            URL_SAFE_NO_PAD.decode(&text)
        };
        decoded
            .map(Self)
            .map_err(|e| serde::de::Error::custom(format_args!("not base64url: {e}")))
    }
}

/// A string enum that keeps values it does not know.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this crate does not know, verbatim.
            Other(String),
        }

        impl $name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(text) => text,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(match String::deserialize(deserializer)?.as_str() {
                    $($text => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                })
            }
        }
    };
}

open_enum!(
    /// Whether the authenticator must verify the user (PIN, biometrics).
    UserVerification {
        /// `required`
        Required = "required",
        /// `preferred`
        Preferred = "preferred",
        /// `discouraged`
        Discouraged = "discouraged",
    }
);

open_enum!(
    /// Whether the credential must be discoverable (a passkey).
    ResidentKey {
        /// `required`
        Required = "required",
        /// `preferred`
        Preferred = "preferred",
        /// `discouraged`
        Discouraged = "discouraged",
    }
);

/// A credential the authenticator may use or must not create again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialDescriptor {
    /// `public-key`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The credential id.
    pub id: Base64Url,
    /// How the client may reach the authenticator (`internal`, `usb`, `hybrid`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `PublicKeyCredentialRequestOptionsJSON`: what a sign-in asks the authenticator for
/// (a `WEB_AUTHN` challenge's `CREDENTIAL_REQUEST_OPTIONS`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialRequestOptions {
    /// The challenge to sign.
    pub challenge: Base64Url,
    /// Milliseconds the service waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// The relying party (the pool's passkey domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rp_id: Option<String>,
    /// The credentials the user may sign with (empty: any discoverable one).
    #[serde(default)]
    pub allow_credentials: Vec<CredentialDescriptor>,
    /// Whether the user must be verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<UserVerification>,
    /// Other members (`hints`, `extensions`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The relying party of a registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelyingParty {
    /// Its id (a domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name, shown by the authenticator.
    pub name: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The user a credential is created for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntity {
    /// The user handle.
    pub id: Base64Url,
    /// The username.
    pub name: String,
    /// The name shown.
    pub display_name: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An algorithm the relying party accepts (`-7` ES256, `-257` RS256).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialParameters {
    /// `public-key`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The COSE algorithm number.
    pub alg: i64,
}

/// What the relying party asks of the authenticator at registration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSelection {
    /// `platform` or `cross-platform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// Whether the credential must be discoverable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_key: Option<ResidentKey>,
    /// The older form of `resident_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_resident_key: Option<bool>,
    /// Whether the user must be verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<UserVerification>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `PublicKeyCredentialCreationOptionsJSON`: what a registration asks the authenticator
/// to create (`StartWebAuthnRegistration`'s `CredentialCreationOptions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialCreationOptions {
    /// The relying party.
    pub rp: RelyingParty,
    /// The user.
    pub user: UserEntity,
    /// The challenge to sign.
    pub challenge: Base64Url,
    /// The algorithms accepted, most preferred first.
    pub pub_key_cred_params: Vec<CredentialParameters>,
    /// Milliseconds the service waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// Credentials the user has already.
    #[serde(default)]
    pub exclude_credentials: Vec<CredentialDescriptor>,
    /// Requirements on the authenticator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_selection: Option<AuthenticatorSelection>,
    /// `none`, `indirect`, `direct` or `enterprise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AuthenticatorAssertionResponseJSON`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssertionResponse {
    /// The client data the signature covers.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: Base64Url,
    /// The authenticator data the signature covers.
    pub authenticator_data: Base64Url,
    /// The signature.
    pub signature: Base64Url,
    /// The user handle of a discoverable credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<Base64Url>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AuthenticationResponseJSON`: the authenticator's answer to a sign-in (what answers
/// a `WEB_AUTHN` challenge). Its `Debug` shows the credential id only.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationResponse {
    /// The credential id, base64url.
    pub id: String,
    /// The credential id.
    pub raw_id: Base64Url,
    /// `public-key`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The signed assertion.
    pub response: AssertionResponse,
    /// The extensions' outputs; always written (Cognito expects the member).
    #[serde(default)]
    pub client_extension_results: Extra,
    /// `platform` or `cross-platform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AuthenticatorAttestationResponseJSON`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestationResponse {
    /// The client data.
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: Base64Url,
    /// The attestation object (CBOR).
    pub attestation_object: Base64Url,
    /// How the client may reach the authenticator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
    /// Other members (`authenticatorData`, `publicKey`, `publicKeyAlgorithm`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `RegistrationResponseJSON`: the authenticator's new credential (what
/// `CompleteWebAuthnRegistration` takes). Its `Debug` shows the credential id only.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationResponse {
    /// The credential id, base64url.
    pub id: String,
    /// The credential id.
    pub raw_id: Base64Url,
    /// `public-key`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The attestation.
    pub response: AttestationResponse,
    /// The extensions' outputs.
    #[serde(default)]
    pub client_extension_results: Extra,
    /// `platform` or `cross-platform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A passkey registered for the signed-in user, as `ListWebAuthnCredentials` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Passkey {
    /// The credential id (what [`Client::delete_passkey`](crate::Client::delete_passkey)
    /// takes).
    pub credential_id: String,
    /// The name the authenticator gave it, if any.
    #[serde(default)]
    pub friendly_credential_name: Option<String>,
    /// The relying party it signs for.
    #[serde(default)]
    pub relying_party_id: Option<String>,
    /// `platform` or `cross-platform`.
    #[serde(default)]
    pub authenticator_attachment: Option<String>,
    /// How a client may reach the authenticator (`usb`, `internal`, ...).
    #[serde(default)]
    pub authenticator_transports: Vec<String>,
    /// When it was registered, in seconds since the epoch (Cognito sends a number).
    #[serde(default)]
    pub created_at: Option<f64>,
}

/// Signatures and client data are one-time proofs: `Debug` names the credential only.
macro_rules! debug_by_id {
    ($($name:ident),*) => {$(
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("id", &self.id)
                    .finish_non_exhaustive()
            }
        }
    )*};
}

debug_by_id!(AuthenticationResponse, RegistrationResponse);

impl fmt::Debug for AssertionResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssertionResponse").finish_non_exhaustive()
    }
}

impl fmt::Debug for AttestationResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttestationResponse")
            .field("transports", &self.transports)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// Reads `value` as `T` and writes it back: the same JSON.
    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(value: &Value) -> T {
        let typed: T = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&typed).unwrap(), value);
        typed
    }

    #[test]
    fn request_options_round_trip_with_unknown_members() {
        let sent = json!({"challenge": "3q2-7w", "timeout": 180_000, "rpId": "example.com",
            "allowCredentials": [{"type": "public-key", "id": "AQID", "transports": ["internal"]}],
            "userVerification": "preferred", "hints": ["client-device"]});
        let options: CredentialRequestOptions = round_trip(&sent);
        assert_eq!(options.allow_credentials[0].id.as_bytes(), [1, 2, 3]);
        assert_eq!(options.extra["hints"], json!(["client-device"]));
        // An unknown value is kept, and padding is accepted on the way in.
        let odd: CredentialRequestOptions =
            serde_json::from_value(json!({"challenge": "AQI=", "userVerification": "sometimes"}))
                .unwrap();
        assert_eq!(odd.challenge.as_bytes(), [1, 2]);
        assert_eq!(
            odd.user_verification,
            Some(UserVerification::Other("sometimes".into()))
        );
        assert!(
            serde_json::from_value::<CredentialRequestOptions>(json!({"challenge": "a+b/"}))
                .is_err()
        );
    }

    #[test]
    fn creation_options_as_cognito_sends_them_round_trip() {
        let sent = json!({"rp": {"id": "auth.example.com", "name": "Example"},
            "user": {"id": "dXNlcg", "name": "alice", "displayName": "Alice"},
            "challenge": "Y2hhbGxlbmdl", "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
            "timeout": 60_000, "excludeCredentials": [],
            "authenticatorSelection": {"requireResidentKey": true, "residentKey": "required", "userVerification": "required"}});
        let options: CredentialCreationOptions = round_trip(&sent);
        assert_eq!(options.user.id.as_bytes(), b"user");
        assert_eq!(
            options.authenticator_selection.unwrap().resident_key,
            Some(ResidentKey::Required)
        );
    }

    #[test]
    fn answers_round_trip_and_print_no_proof() {
        let assertion = json!({"id": "AQID", "rawId": "AQID", "type": "public-key",
            "response": {"clientDataJSON": "Y2Q", "authenticatorData": "YWQ", "signature": "c2lnbmF0dXJl", "userHandle": "dXNlcg"},
            "clientExtensionResults": {}, "authenticatorAttachment": "platform"});
        let answer: AuthenticationResponse = round_trip(&assertion);
        let shown = format!("{answer:?}");
        assert!(
            shown.contains("AQID") && !shown.contains("c2lnbmF0dXJl"),
            "{shown}"
        );
        let attestation = json!({"id": "AQID", "rawId": "AQID", "type": "public-key",
            "response": {"clientDataJSON": "Y2Q", "attestationObject": "bzA", "transports": ["internal"],
                         "publicKeyAlgorithm": -7},
            "clientExtensionResults": {"credProps": {"rk": true}}});
        let created: RegistrationResponse = round_trip(&attestation);
        assert_eq!(created.response.extra["publicKeyAlgorithm"], json!(-7));
        // A missing `clientExtensionResults` is written as `{}`.
        let mut bare = assertion.clone();
        bare.as_object_mut()
            .unwrap()
            .remove("clientExtensionResults");
        let answer: AuthenticationResponse = serde_json::from_value(bare).unwrap();
        assert_eq!(
            serde_json::to_value(&answer).unwrap()["clientExtensionResults"],
            json!({})
        );
    }
}
