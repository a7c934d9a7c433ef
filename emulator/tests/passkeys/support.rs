//! What the passkey tests share: an emulator pool with passkeys, Cognito calls over
//! HTTP, and a software authenticator (1Password's passkey-client) standing in for a
//! browser and its platform authenticator.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_typestate_emulator::{
    AppClientConfig, Emulator, FirstFactor, Mfa, PoolConfig, PoolHandle, UserConfig, WebAuthnConfig,
};
use passkey_authenticator::{MemoryStore, UiHint, UserCheck, UserValidationMethod};
use passkey_client::{Client, DefaultClientData};
use passkey_crypto::AvailableBackend;
use passkey_types::Passkey;
use passkey_types::ctap2::{Aaguid, Ctap2Error};
use passkey_types::webauthn::{CredentialCreationOptions, CredentialRequestOptions};
use serde_json::{Value, json};

/// The origin the tests' "browser" runs on: http://localhost is a secure context.
pub(crate) const ORIGIN: &str = "http://localhost:3000";
pub(crate) const PASSWORD: &str = "Corr3ct-horse";

/// A Cognito error answer.
#[derive(Debug)]
pub(crate) struct Refused {
    pub(crate) code: String,
    pub(crate) message: String,
}

/// A pool with passkeys (`WEB_AUTHN` among its first factors), one app client, and
/// users `alice` and `bob` with passwords.
pub(crate) struct Setup {
    pub(crate) emulator: Emulator,
    pub(crate) pool: PoolHandle,
    pub(crate) client_id: String,
}

/// One HTTP client for the test binary: making one loads the platform's root
/// certificates (tens of milliseconds). Not pooled: each `#[tokio::test]` has its own
/// runtime, and a pooled connection belongs to the runtime that opened it.
fn http() -> &'static reqwest::Client {
    static HTTP: LazyLock<reqwest::Client> = LazyLock::new(|| {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap()
    });
    &HTTP
}

impl Setup {
    pub(crate) async fn new(web_authn: WebAuthnConfig) -> Self {
        Self::with(PoolConfig {
            web_authn: Some(web_authn),
            ..passkey_pool()
        })
        .await
    }

    pub(crate) async fn with(config: PoolConfig) -> Self {
        let emulator = Emulator::start().await.unwrap();
        let pool = emulator.create_pool(config).unwrap();
        let client_id = pool.create_client(AppClientConfig::new("web")).unwrap().id;
        for name in ["alice", "bob"] {
            pool.create_user(UserConfig::new(name).password(PASSWORD))
                .unwrap();
        }
        Self {
            emulator,
            pool,
            client_id,
        }
    }

    /// Calls an operation; the answer, or the error's code and message.
    pub(crate) async fn call(&self, operation: &str, body: Value) -> Result<Value, Refused> {
        let response = http()
            .post(self.emulator.endpoint())
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{operation}"),
            )
            .header("content-type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let ok = response.status().is_success();
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        if ok {
            return Ok(body);
        }
        Err(Refused {
            code: body["__type"].as_str().unwrap().to_owned(),
            message: body["message"].as_str().unwrap_or_default().to_owned(),
        })
    }

    /// The code of the error `operation` answers (panics when it succeeds).
    pub(crate) async fn refusal(&self, operation: &str, body: Value) -> String {
        match self.call(operation, body).await {
            Ok(answer) => panic!("{operation} succeeded: {answer}"),
            Err(refused) => refused.code,
        }
    }

    /// An access token of `username` (USER_PASSWORD_AUTH), through `client_id`.
    pub(crate) async fn access_token_via(&self, client_id: &str, username: &str) -> String {
        let answer = self
            .call(
                "InitiateAuth",
                json!({
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "ClientId": client_id,
                    "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
                }),
            )
            .await
            .unwrap();
        answer["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub(crate) async fn access_token(&self, username: &str) -> String {
        self.access_token_via(&self.client_id, username).await
    }

    /// StartWebAuthnRegistration: the creation options.
    pub(crate) async fn start(&self, token: &str) -> Result<Value, Refused> {
        let answer = self
            .call("StartWebAuthnRegistration", json!({"AccessToken": token}))
            .await?;
        Ok(answer["CredentialCreationOptions"].clone())
    }

    pub(crate) async fn complete(&self, token: &str, credential: &Value) -> Result<Value, Refused> {
        self.call(
            "CompleteWebAuthnRegistration",
            json!({"AccessToken": token, "Credential": credential}),
        )
        .await
    }

    /// Start, create the passkey from `origin`, Complete.
    pub(crate) async fn register(
        &self,
        token: &str,
        authenticator: &mut Authenticator,
        origin: &str,
    ) -> Result<Value, Refused> {
        let options = self.start(token).await?;
        let credential = authenticator.create(origin, &options).await;
        self.complete(token, &credential).await
    }

    /// A password sign-in's token, then a passkey registered from [`ORIGIN`].
    pub(crate) async fn enrolled(&self, username: &str, authenticator: &mut Authenticator) {
        let token = self.access_token(username).await;
        self.register(&token, authenticator, ORIGIN).await.unwrap();
    }

    /// InitiateAuth USER_AUTH, preferring `preferred` if given.
    pub(crate) async fn user_auth(
        &self,
        username: &str,
        preferred: Option<&str>,
    ) -> Result<Value, Refused> {
        let mut parameters = json!({"USERNAME": username});
        if let Some(preferred) = preferred {
            parameters["PREFERRED_CHALLENGE"] = json!(preferred);
        }
        self.call(
            "InitiateAuth",
            json!({"AuthFlow": "USER_AUTH", "ClientId": self.client_id, "AuthParameters": parameters}),
        )
        .await
    }

    /// RespondToAuthChallenge.
    pub(crate) async fn respond(
        &self,
        challenge: &str,
        session: &Value,
        responses: Value,
    ) -> Result<Value, Refused> {
        self.call(
            "RespondToAuthChallenge",
            json!({
                "ClientId": self.client_id,
                "ChallengeName": challenge,
                "Session": session,
                "ChallengeResponses": responses,
            }),
        )
        .await
    }

    /// Answers a WEB_AUTHN challenge with an assertion made from `origin`.
    pub(crate) async fn answer_web_authn(
        &self,
        username: &str,
        challenge: &Value,
        authenticator: &mut Authenticator,
        origin: &str,
    ) -> Result<Value, Refused> {
        assert_eq!(challenge["ChallengeName"], "WEB_AUTHN", "{challenge}");
        let options = request_options(challenge);
        let credential = authenticator.get(origin, &options).await;
        self.send_assertion(username, &challenge["Session"], &credential)
            .await
    }

    /// Answers a WEB_AUTHN challenge's `session` with `credential`, as it is.
    pub(crate) async fn send_assertion(
        &self,
        username: &str,
        session: &Value,
        credential: &Value,
    ) -> Result<Value, Refused> {
        let responses = json!({"USERNAME": username, "CREDENTIAL": credential.to_string()});
        self.respond("WEB_AUTHN", session, responses).await
    }

    /// USER_AUTH preferring WEB_AUTHN, answered from [`ORIGIN`]: the tokens.
    pub(crate) async fn passkey_sign_in(
        &self,
        username: &str,
        authenticator: &mut Authenticator,
    ) -> Result<Value, Refused> {
        let challenge = self.user_auth(username, Some("WEB_AUTHN")).await?;
        self.answer_web_authn(username, &challenge, authenticator, ORIGIN)
            .await
    }
}

/// The default pool with `WEB_AUTHN` among its first factors (no relying party yet).
pub(crate) fn passkey_pool() -> PoolConfig {
    let mut config = PoolConfig::default();
    config.first_factors.push(FirstFactor::WebAuthn);
    config.mfa = Mfa::Off;
    config
}

/// `CREDENTIAL_REQUEST_OPTIONS` of a WEB_AUTHN challenge, parsed.
pub(crate) fn request_options(challenge: &Value) -> Value {
    let options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
        .as_str()
        .unwrap();
    serde_json::from_str(options).unwrap()
}

/// The person at the authenticator: present, and verified whenever asked.
struct Person;

#[async_trait::async_trait]
impl UserValidationMethod for Person {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Passkey>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck {
            presence,
            verification,
        })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

type SoftwareClient =
    Client<MemoryStore, Person, AvailableBackend, public_suffix::PublicSuffixList, ()>;

/// A platform authenticator behind a browser.
pub(crate) struct Authenticator {
    client: SoftwareClient,
}

impl Authenticator {
    /// Verifies the user when the relying party prefers it (as browsers do).
    pub(crate) fn new() -> Self {
        Self::from_store(MemoryStore::new(), true)
    }

    /// Verifies the user only when the relying party requires it.
    pub(crate) fn unverifying() -> Self {
        Self::from_store(MemoryStore::new(), false)
    }

    fn from_store(store: MemoryStore, verify_when_preferred: bool) -> Self {
        let authenticator = passkey_authenticator::Authenticator::new(
            Aaguid::new_empty(),
            store,
            Person,
            AvailableBackend,
        );
        let client = Client::new(authenticator)
            .allows_insecure_localhost(true)
            .user_verification_when_preferred(verify_when_preferred);
        Self { client }
    }

    /// New credentials keep a signature counter.
    pub(crate) fn counting(mut self) -> Self {
        self.client
            .authenticator_mut()
            .set_make_credentials_with_signature_counter(true);
        self
    }

    /// Another authenticator holding copies of this one's keys (and counters).
    pub(crate) fn clone_keys(&self) -> Self {
        Self::from_store(self.client.authenticator().store().clone(), true)
    }

    /// `navigator.credentials.create()` with Cognito's options: RegistrationResponseJSON.
    pub(crate) async fn create(&mut self, origin: &str, options: &Value) -> Value {
        let options = CredentialCreationOptions {
            public_key: serde_json::from_value(options.clone()).unwrap(),
        };
        let origin = url::Url::parse(origin).unwrap();
        let created = self
            .client
            .register(&origin, options, DefaultClientData)
            .await
            .unwrap();
        let response = &created.response;
        json!({
            "id": created.id,
            "rawId": b64(&created.raw_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&response.client_data_json),
                "attestationObject": b64(&response.attestation_object),
                "authenticatorData": b64(&response.authenticator_data),
                "publicKeyAlgorithm": response.public_key_algorithm,
                "transports": response.transports,
            },
            "authenticatorAttachment": created.authenticator_attachment,
            "clientExtensionResults": {},
        })
    }

    /// `navigator.credentials.get()` with Cognito's options: AuthenticationResponseJSON.
    pub(crate) async fn get(&mut self, origin: &str, options: &Value) -> Value {
        let options = CredentialRequestOptions {
            public_key: serde_json::from_value(options.clone()).unwrap(),
        };
        let origin = url::Url::parse(origin).unwrap();
        let asserted = self
            .client
            .authenticate(&origin, options, DefaultClientData)
            .await
            .unwrap();
        let response = &asserted.response;
        json!({
            "id": asserted.id,
            "rawId": b64(&asserted.raw_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&response.client_data_json),
                "authenticatorData": b64(&response.authenticator_data),
                "signature": b64(&response.signature),
                "userHandle": response.user_handle.as_ref().map(|handle| b64(handle)),
            },
            "authenticatorAttachment": asserted.authenticator_attachment,
            "clientExtensionResults": {},
        })
    }
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}
