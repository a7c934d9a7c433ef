//! A passkey authenticator in software, for tests, examples and scripts (feature
//! `software-authenticator`), built on 1Password's `passkey-client` and
//! `passkey-authenticator`.

use std::collections::HashMap;
use std::fmt;

use passkey_authenticator::{
    Authenticator as Ctap2Authenticator, UiHint, UserCheck, UserValidationMethod,
};
use passkey_client::{Client as WebAuthnClient, DefaultClientData};
use passkey_crypto::AvailableBackend;
use passkey_crypto::coset::{CborSerializable as _, CoseKey};
use passkey_types::ctap2::{Aaguid, Ctap2Error};
use passkey_types::{Passkey, webauthn as types};
use serde::{Deserialize, Serialize};
use url::Url;

use super::{
    AssertionResponse, AttestationResponse, AuthenticationResponse, Authenticator, Base64Url,
    CredentialCreationOptions, CredentialRequestOptions, Extra, RegistrationResponse,
};
use crate::secret::Secret;

/// The stored passkeys, by credential id.
type Store = HashMap<Vec<u8>, Passkey>;

/// A WebAuthn client and authenticator in one, keeping its passkeys in memory.
///
/// It answers for pages served from one origin, creates ES256 passkeys with a sign
/// counter, and verifies the user (the `UV` flag) unless told not to. Its passkeys can be
/// saved and restored with [`to_json`](Self::to_json) and [`from_json`](Self::from_json);
/// that JSON holds private keys.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_typestate::webauthn::{Authenticator, CredentialCreationOptions, SoftwareAuthenticator};
///
/// let mut authenticator = SoftwareAuthenticator::new("https://app.example.com")?;
/// let options: CredentialCreationOptions = serde_json::from_str(
///     r#"{"rp":{"id":"example.com","name":"Example"},
///         "user":{"id":"dXNlcg","name":"alice","displayName":"Alice"},
///         "challenge":"Y2hhbGxlbmdl","pubKeyCredParams":[{"type":"public-key","alg":-7}]}"#,
/// )?;
/// let created = authenticator.create(&options).await?;
/// assert_eq!(authenticator.credential_ids(), [created.raw_id.clone()]);
///
/// let saved = authenticator.to_json();
/// let restored = SoftwareAuthenticator::from_json(saved.expose())?;
/// assert_eq!(restored.credential_ids(), [created.raw_id]);
/// # Ok(()) }
/// ```
pub struct SoftwareAuthenticator {
    origin: Url,
    user_verification: bool,
    client: WebAuthnClient<Store, UserPresence, AvailableBackend, PublicSuffixList, ()>,
}

type PublicSuffixList = public_suffix::PublicSuffixList;

impl fmt::Debug for SoftwareAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The keys are secrets: show what they are for, not what they are.
        f.debug_struct("SoftwareAuthenticator")
            .field("origin", &self.origin.as_str())
            .field("user_verification", &self.user_verification)
            .field("passkeys", &self.client.authenticator().store().len())
            .finish()
    }
}

/// Why the software authenticator gave no answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SoftwareAuthenticatorError {
    /// The origin is not an absolute URL.
    #[error("not an origin: {0}")]
    Origin(String),
    /// The options do not fit WebAuthn's (as `passkey-types` reads them).
    #[error("unusable options: {0}")]
    Options(String),
    /// The WebAuthn client or authenticator refused (wrong relying party for the
    /// origin, no allowed passkey, excluded credential).
    #[error("the authenticator refused: {0}")]
    Refused(String),
    /// Saved passkeys that cannot be read back.
    #[error("unreadable saved passkeys: {0}")]
    Saved(String),
}

impl SoftwareAuthenticator {
    /// An authenticator with no passkeys, for pages served from `origin` (a scheme, host
    /// and optional port: `https://app.example.com`, `http://localhost:3000`).
    /// `http://localhost` is accepted like a browser accepts it.
    pub fn new(origin: &str) -> Result<Self, SoftwareAuthenticatorError> {
        Self::with_passkeys(origin, Store::new(), true)
    }

    /// Does not verify the user: answers carry user presence only, as a security key
    /// without a PIN would (for testing relying parties that require verification).
    #[must_use]
    pub fn without_user_verification(self) -> Self {
        let passkeys = self.client.authenticator().store().clone();
        // Same origin, already checked.
        Self::with_passkeys(self.origin.as_str(), passkeys, false)
            .unwrap_or_else(|_| unreachable!("the origin was accepted before"))
    }

    fn with_passkeys(
        origin: &str,
        passkeys: Store,
        user_verification: bool,
    ) -> Result<Self, SoftwareAuthenticatorError> {
        let origin =
            Url::parse(origin).map_err(|e| SoftwareAuthenticatorError::Origin(e.to_string()))?;
        if origin.host_str().is_none() {
            return Err(SoftwareAuthenticatorError::Origin(origin.into()));
        }
        let mut authenticator = Ctap2Authenticator::new(
            Aaguid::new_empty(),
            passkeys,
            UserPresence {
                verify: user_verification,
            },
            AvailableBackend,
        );
        // A counter lets the relying party notice a cloned key; the tests rely on it.
        authenticator.set_make_credentials_with_signature_counter(true);
        let client = WebAuthnClient::new(authenticator)
            .allows_insecure_localhost(true)
            .user_verification_when_preferred(user_verification);
        Ok(Self {
            origin,
            user_verification,
            client,
        })
    }

    /// `passkey-client`, told to accept `http://localhost`, accepts the relying party
    /// `localhost` from any origin; a browser accepts it only from `localhost`.
    fn check_localhost(&self, rp_id: Option<&str>) -> Result<(), SoftwareAuthenticatorError> {
        if rp_id == Some("localhost") && self.origin.host_str() != Some("localhost") {
            return Err(SoftwareAuthenticatorError::Refused(format!(
                "relying party localhost from origin {}",
                self.origin()
            )));
        }
        Ok(())
    }

    /// The origin the client data names.
    pub fn origin(&self) -> &str {
        self.origin.as_str().trim_end_matches('/')
    }

    /// The ids of the passkeys it holds, in no particular order.
    pub fn credential_ids(&self) -> Vec<Base64Url> {
        let store = self.client.authenticator().store();
        store.keys().cloned().map(Base64Url::from).collect()
    }

    /// Forgets the passkey with this credential id; whether it held one.
    pub fn remove(&mut self, credential_id: &[u8]) -> bool {
        let store = self.client.authenticator_mut().store_mut();
        store.remove(credential_id).is_some()
    }

    /// Its origin and passkeys (private keys included) as JSON, for [`Self::from_json`].
    pub fn to_json(&self) -> Secret {
        let saved = Saved {
            origin: self.origin().to_owned(),
            user_verification: self.user_verification,
            passkeys: self
                .client
                .authenticator()
                .store()
                .values()
                .map(SavedPasskey::from)
                .collect(),
        };
        // Strings, numbers and byte strings only: serialising cannot fail.
        Secret::new(serde_json::to_string(&saved).unwrap_or_default())
    }

    /// An authenticator saved with [`Self::to_json`].
    pub fn from_json(json: &str) -> Result<Self, SoftwareAuthenticatorError> {
        let saved: Saved = serde_json::from_str(json)
            .map_err(|e| SoftwareAuthenticatorError::Saved(e.to_string()))?;
        let passkeys = saved
            .passkeys
            .into_iter()
            .map(|saved| {
                let passkey = Passkey::try_from(saved)?;
                Ok((passkey.credential_id.to_vec(), passkey))
            })
            .collect::<Result<Store, SoftwareAuthenticatorError>>()?;
        Self::with_passkeys(&saved.origin, passkeys, saved.user_verification)
    }
}

impl Authenticator for SoftwareAuthenticator {
    type Error = SoftwareAuthenticatorError;

    async fn create(
        &mut self,
        options: &CredentialCreationOptions,
    ) -> Result<RegistrationResponse, SoftwareAuthenticatorError> {
        self.check_localhost(options.rp.id.as_deref())?;
        let request = types::CredentialCreationOptions {
            public_key: convert(options)?,
        };
        let created = self
            .client
            .register(&self.origin, request, DefaultClientData)
            .await
            .map_err(|e| SoftwareAuthenticatorError::Refused(format!("{e:?}")))?;
        Ok(registration_response(created))
    }

    async fn get(
        &mut self,
        options: &CredentialRequestOptions,
    ) -> Result<AuthenticationResponse, SoftwareAuthenticatorError> {
        self.check_localhost(options.rp_id.as_deref())?;
        let request = types::CredentialRequestOptions {
            public_key: convert(options)?,
        };
        let signed = self
            .client
            .authenticate(&self.origin, request, DefaultClientData)
            .await
            .map_err(|e| SoftwareAuthenticatorError::Refused(format!("{e:?}")))?;
        Ok(authentication_response(signed))
    }
}

/// Our JSON form into `passkey-types`' (both follow WebAuthn's JSON, base64url bytes).
fn convert<T: Serialize, U: for<'de> Deserialize<'de>>(
    options: &T,
) -> Result<U, SoftwareAuthenticatorError> {
    serde_json::to_value(options)
        .and_then(serde_json::from_value)
        .map_err(|e| SoftwareAuthenticatorError::Options(e.to_string()))
}

/// `passkey-types` writes bytes as number arrays in JSON; ours are base64url, so the
/// answers are copied member by member.
fn registration_response(created: types::CreatedPublicKeyCredential) -> RegistrationResponse {
    let response = created.response;
    let mut extra = Extra::new();
    extra.insert(
        "authenticatorData".into(),
        base64url_value(&response.authenticator_data),
    );
    if let Some(public_key) = &response.public_key {
        extra.insert("publicKey".into(), base64url_value(public_key));
    }
    extra.insert(
        "publicKeyAlgorithm".into(),
        response.public_key_algorithm.into(),
    );
    RegistrationResponse {
        id: created.id,
        raw_id: created.raw_id.to_vec().into(),
        kind: "public-key".into(),
        response: AttestationResponse {
            client_data_json: response.client_data_json.to_vec().into(),
            attestation_object: response.attestation_object.to_vec().into(),
            transports: response
                .transports
                .unwrap_or_default()
                .iter()
                .filter_map(wire_name)
                .collect(),
            extra,
        },
        client_extension_results: extension_results(&created.client_extension_results),
        authenticator_attachment: created
            .authenticator_attachment
            .as_ref()
            .and_then(wire_name),
        extra: Extra::new(),
    }
}

fn authentication_response(
    signed: types::AuthenticatedPublicKeyCredential,
) -> AuthenticationResponse {
    let response = signed.response;
    AuthenticationResponse {
        id: signed.id,
        raw_id: signed.raw_id.to_vec().into(),
        kind: "public-key".into(),
        response: AssertionResponse {
            client_data_json: response.client_data_json.to_vec().into(),
            authenticator_data: response.authenticator_data.to_vec().into(),
            signature: response.signature.to_vec().into(),
            user_handle: response.user_handle.map(|handle| handle.to_vec().into()),
            extra: Extra::new(),
        },
        client_extension_results: extension_results(&signed.client_extension_results),
        authenticator_attachment: signed.authenticator_attachment.as_ref().and_then(wire_name),
        extra: Extra::new(),
    }
}

fn base64url_value(bytes: &[u8]) -> serde_json::Value {
    serde_json::to_value(Base64Url::from(bytes.to_vec())).unwrap_or_default()
}

/// A unit enum's wire name (`internal`, `platform`), as its serde form writes it.
fn wire_name<T: Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Some(name),
        _ => None,
    }
}

fn extension_results(outputs: &types::AuthenticationExtensionsClientOutputs) -> Extra {
    match serde_json::to_value(outputs) {
        Ok(serde_json::Value::Object(members)) => members,
        _ => Extra::new(),
    }
}

/// Presence always; verification when configured (no prompt: there is no user).
struct UserPresence {
    verify: bool,
}

#[async_trait::async_trait]
impl UserValidationMethod for UserPresence {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Passkey>,
        _presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck {
            presence: true,
            verification: verification && self.verify,
        })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(self.verify)
    }
}

/// What [`SoftwareAuthenticator::to_json`] writes.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Saved {
    origin: String,
    user_verification: bool,
    passkeys: Vec<SavedPasskey>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedPasskey {
    credential_id: Base64Url,
    rp_id: String,
    user_handle: Option<Base64Url>,
    username: Option<String>,
    counter: Option<u32>,
    /// The COSE private key, CBOR.
    key: Base64Url,
}

impl From<&Passkey> for SavedPasskey {
    fn from(passkey: &Passkey) -> Self {
        Self {
            credential_id: passkey.credential_id.to_vec().into(),
            rp_id: passkey.rp_id.clone(),
            user_handle: passkey.user_handle.as_ref().map(|h| h.to_vec().into()),
            username: passkey.username.clone(),
            counter: passkey.counter,
            // A key this authenticator made encodes; an empty key fails to load later.
            key: passkey.key.clone().to_vec().unwrap_or_default().into(),
        }
    }
}

impl TryFrom<SavedPasskey> for Passkey {
    type Error = SoftwareAuthenticatorError;

    fn try_from(saved: SavedPasskey) -> Result<Self, Self::Error> {
        let key = CoseKey::from_slice(saved.key.as_bytes())
            .map_err(|e| SoftwareAuthenticatorError::Saved(format!("key: {e:?}")))?;
        Ok(Passkey {
            key,
            credential_id: saved.credential_id.as_bytes().to_vec().into(),
            rp_id: saved.rp_id,
            user_handle: saved.user_handle.map(|h| h.as_bytes().to_vec().into()),
            username: saved.username,
            user_display_name: None,
            counter: saved.counter,
            extensions: passkey_types::CredentialExtensions::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creation_options() -> CredentialCreationOptions {
        serde_json::from_value(serde_json::json!({
            "rp": {"id": "localhost", "name": "Test"},
            "user": {"id": "dXNlcg", "name": "alice", "displayName": "alice"},
            "challenge": "Y2hhbGxlbmdl",
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
            "authenticatorSelection": {"residentKey": "required", "userVerification": "required"}
        }))
        .unwrap()
    }

    fn request_options(ids: Vec<Base64Url>) -> CredentialRequestOptions {
        let allow: Vec<_> = ids
            .into_iter()
            .map(|id| serde_json::json!({"type": "public-key", "id": id}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "challenge": "c2lnbiBtZQ", "rpId": "localhost",
            "allowCredentials": allow, "userVerification": "preferred"
        }))
        .unwrap()
    }

    /// The flags byte of authenticator data: after the 32-byte rp id hash.
    fn flags(authenticator_data: &Base64Url) -> u8 {
        authenticator_data.as_bytes()[32]
    }

    #[tokio::test]
    async fn creates_signs_and_survives_a_save() {
        let mut authenticator = SoftwareAuthenticator::new("http://localhost:3000").unwrap();
        let created = authenticator.create(&creation_options()).await.unwrap();
        let client_data: serde_json::Value =
            serde_json::from_slice(created.response.client_data_json.as_bytes()).unwrap();
        assert_eq!(client_data["type"], "webauthn.create");
        assert_eq!(client_data["origin"], "http://localhost:3000");
        assert_eq!(client_data["challenge"], "Y2hhbGxlbmdl");

        let mut restored =
            SoftwareAuthenticator::from_json(authenticator.to_json().expose()).unwrap();
        let signed = restored
            .get(&request_options(vec![created.raw_id.clone()]))
            .await
            .unwrap();
        assert_eq!(signed.raw_id, created.raw_id);
        // User present and verified.
        assert_eq!(flags(&signed.response.authenticator_data) & 0b101, 0b101);
        // The counter went up and is saved with the key.
        let counter =
            |data: &Base64Url| u32::from_be_bytes(data.as_bytes()[33..37].try_into().unwrap());
        let first = counter(&signed.response.authenticator_data);
        let again = restored
            .get(&request_options(vec![created.raw_id]))
            .await
            .unwrap();
        assert!(counter(&again.response.authenticator_data) > first);
        // What was signed round-trips through our JSON types.
        let json = serde_json::to_string(&again).unwrap();
        let back: AuthenticationResponse = serde_json::from_str(&json).unwrap();
        assert_eq!(back, again);
    }

    #[tokio::test]
    async fn refuses_other_relying_parties_and_can_skip_verification() {
        let mut authenticator = SoftwareAuthenticator::new("https://app.example.com").unwrap();
        // Neither `localhost` nor `example.org` is app.example.com or a suffix of it.
        for rp_id in ["localhost", "example.org"] {
            let mut elsewhere = creation_options();
            elsewhere.rp.id = Some(rp_id.into());
            let refused = authenticator.create(&elsewhere).await;
            assert!(
                matches!(refused, Err(SoftwareAuthenticatorError::Refused(_))),
                "{rp_id}: {refused:?}"
            );
        }
        let mut elsewhere = request_options(Vec::new());
        elsewhere.rp_id = Some("localhost".into());
        assert!(authenticator.get(&elsewhere).await.is_err());
        let mut lax = SoftwareAuthenticator::new("http://localhost:8080")
            .unwrap()
            .without_user_verification();
        let mut options = creation_options();
        options.authenticator_selection = None;
        let created = lax.create(&options).await.unwrap();
        let signed = lax
            .get(&request_options(vec![created.raw_id]))
            .await
            .unwrap();
        assert_eq!(flags(&signed.response.authenticator_data) & 0b101, 0b001);
        assert!(format!("{lax:?}").contains("passkeys: 1"));
        let id = lax.credential_ids().remove(0);
        assert!(lax.remove(id.as_bytes()) && !lax.remove(id.as_bytes()));
        assert!(lax.credential_ids().is_empty());
    }

    #[test]
    fn bad_origins_and_saves_are_errors() {
        assert!(SoftwareAuthenticator::new("not a url").is_err());
        assert!(SoftwareAuthenticator::from_json("{}").is_err());
    }
}
