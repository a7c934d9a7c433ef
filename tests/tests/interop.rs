//! Sign-ins against third-party Cognito servers started by `scripts/test-interop.sh`:
//! moto (`MOTO_ENDPOINT`) and cognito-local (`COGNITO_LOCAL_ENDPOINT`).
//!
//! What each server really checks is in ORACLES.md; the comments say what a pass proves.
//! Each test provisions its own pool, so the tests are independent.
#![cfg(feature = "interop")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_typestate::account::{PendingConfirmation, SignUp, SignUpOutcome};
use cognito_typestate::challenges::{
    AfterMfa, AfterNewPassword, AfterPassword, NewPassword, NewPasswordRequired,
    SoftwareTokenMfaCode,
};
use cognito_typestate::flows::{RefreshTokenAuth, UserPasswordAuth, UserSrpAuth};
use cognito_typestate::{Client, Detached, Error, Pending, Rejected, ServiceErrorKind, Tokens};
use serde_json::{Value, json};

mod common;

/// The endpoint the test script exported; a missing one fails the test, never skips it.
fn endpoint(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run the interop tests through scripts/test-interop.sh, which starts the servers")
    })
}

/// One admin call, unsigned (both servers accept that on loopback).
async fn admin(endpoint: &str, operation: &str, body: Value) -> Value {
    let (status, text) = common::cognito_call(endpoint, operation, &body).await;
    assert!(
        (200..300).contains(&status),
        "{operation} answered {status}: {text}"
    );
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

struct Pool {
    endpoint: String,
    id: String,
}

impl Pool {
    async fn create(endpoint: String, extra: Value) -> Self {
        let mut request = json!({"PoolName": format!("pool{}", nanos())});
        if let (Some(r), Some(e)) = (request.as_object_mut(), extra.as_object()) {
            r.extend(e.clone());
        }
        let pool = admin(&endpoint, "CreateUserPool", request).await;
        let id = pool["UserPool"]["Id"]
            .as_str()
            .expect("a pool id")
            .to_owned();
        Self { endpoint, id }
    }

    /// An app client; with a generated secret when `secret` is true.
    async fn client(&self, secret: bool) -> (String, Option<String>) {
        let created = admin(
            &self.endpoint,
            "CreateUserPoolClient",
            json!({"UserPoolId": self.id, "ClientName": "app", "GenerateSecret": secret,
                   "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await;
        let c = &created["UserPoolClient"];
        (
            c["ClientId"].as_str().unwrap().to_owned(),
            c["ClientSecret"].as_str().map(str::to_owned),
        )
    }

    /// A user in `FORCE_CHANGE_PASSWORD` with a temporary password.
    async fn user_with_temporary_password(&self, username: &str, password: &str) {
        admin(
            &self.endpoint,
            "AdminCreateUser",
            json!({"UserPoolId": self.id, "Username": username, "TemporaryPassword": password, "MessageAction": "SUPPRESS"}),
        )
        .await;
    }

    /// A confirmed user with a permanent password.
    async fn confirmed_user(&self, username: &str, password: &str) {
        self.user_with_temporary_password(username, "Temp-Passw0rd!")
            .await;
        admin(
            &self.endpoint,
            "AdminSetUserPassword",
            json!({"UserPoolId": self.id, "Username": username, "Password": password, "Permanent": true}),
        )
        .await;
    }

    fn typed_client(&self, client_id: &str, secret: Option<&str>) -> Client {
        let mut builder = Client::builder(client_id)
            .endpoint(&self.endpoint)
            .user_pool_id(&self.id);
        if let Some(secret) = secret {
            builder = builder.client_secret(secret);
        }
        builder.build().unwrap()
    }
}

/// Signs up `username`, and checks the unconfirmed account cannot sign in yet.
async fn sign_up_unconfirmed(client: &Client, username: &str) -> PendingConfirmation {
    let SignUpOutcome::ConfirmationRequired(pending) = client
        .sign_up(
            SignUp::new(username)
                .password(PASSWORD)
                .attribute("email", format!("{username}@example.com")),
        )
        .await
        .unwrap()
    else {
        panic!("expected a confirmation");
    };
    assert!(pending.delivery().is_some());
    let early = client
        .initiate(UserPasswordAuth::new(username, PASSWORD))
        .await
        .unwrap_err();
    assert!(early.is_user_not_confirmed(), "{early:?}");
    pending
}

/// Signs in with a password and expects tokens.
async fn password_tokens(client: &Client, username: &str, password: &str) -> Tokens {
    expect_tokens(
        client
            .initiate(UserPasswordAuth::new(username, password))
            .await
            .unwrap(),
    )
}

const PASSWORD: &str = "Corr3ct-horse!";
const CHANGED: &str = "N3w-and-secret!";
const RESET: &str = "An0ther-secret!";

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Creates `username` with a temporary password, signs in with it, answers
/// NEW_PASSWORD_REQUIRED with `New-Passw0rd!`, and returns the tokens.
async fn replace_temporary_password(pool: &Pool, client: &Client, username: &str) -> Tokens {
    pool.user_with_temporary_password(username, "Temp-Passw0rd!")
        .await;
    let pending = expect_new_password(
        client
            .initiate(UserPasswordAuth::new(username, "Temp-Passw0rd!"))
            .await
            .unwrap(),
    );
    match pending
        .respond(NewPassword::new("New-Passw0rd!"))
        .await
        .unwrap()
    {
        AfterNewPassword::Authenticated(tokens) => tokens,
        other => panic!("expected tokens after the new password, got {other:?}"),
    }
}

fn expect_tokens(outcome: AfterPassword) -> Tokens {
    match outcome {
        AfterPassword::Authenticated(tokens) => tokens,
        other => panic!("expected tokens, got {other:?}"),
    }
}

fn expect_new_password(outcome: AfterPassword) -> Pending<NewPasswordRequired> {
    match outcome {
        AfterPassword::NewPasswordRequired(pending) => pending,
        other => panic!("expected NEW_PASSWORD_REQUIRED, got {other:?}"),
    }
}

/// A TOTP code for the base32 `secret`, computed by the totp-rs crate. Waits out the
/// last two seconds of a 30 s step, because moto accepts no neighbouring step.
async fn totp_code(secret: &str) -> String {
    let into_step = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 30;
    if into_step >= 28 {
        tokio::time::sleep(Duration::from_secs(31 - into_step)).await;
    }
    let key = totp_rs::Secret::Encoded(secret.to_uppercase())
        .to_bytes()
        .unwrap_or_else(|e| panic!("{secret} is not base32: {e:?}"));
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key)
        .generate_current()
        .unwrap()
}

mod moto {
    use super::*;

    /// Proves the wire shapes of the account calls against moto, which implements most
    /// of them but accepts any code (so a pass proves nothing about codes), and has no
    /// ResendConfirmationCode nor RevokeToken: sign-up, the unconfirmed sign-in typed,
    /// confirmation, change password, reset, and a sign-out everywhere after which the
    /// refresh token is refused.
    #[tokio::test]
    async fn sign_up_confirm_change_reset_and_sign_out_everywhere() {
        let pool = Pool::create(endpoint(), json!({"AutoVerifiedAttributes": ["email"]})).await;
        let (client_id, _) = pool.client(false).await;
        let client = pool.typed_client(&client_id, None);
        let pending = sign_up_unconfirmed(&client, "mona").await;
        let account = pending.confirm("123456").await.unwrap();
        assert_eq!(account.username(), "mona");
        let tokens = password_tokens(&client, "mona", PASSWORD).await;
        client
            .change_password(&tokens, PASSWORD, CHANGED)
            .await
            .unwrap();
        password_tokens(&client, "mona", CHANGED).await;
        client
            .forgot_password("mona")
            .await
            .unwrap()
            .confirm("123456", RESET)
            .await
            .unwrap();
        let tokens = password_tokens(&client, "mona", RESET).await;
        let refresh = RefreshTokenAuth::from_tokens(&tokens).unwrap();
        client.sign_out_everywhere(tokens).await.unwrap();
        let refused = client.initiate(refresh).await.unwrap_err();
        assert_eq!(
            refused.service_kind(),
            Some(ServiceErrorKind::NotAuthorized)
        );
    }

    /// moto verifies every TOTP code against this fixed secret (ORACLES.md).
    const MOTO_TOTP_SECRET: &str = "asdfasdfasdf";

    fn endpoint() -> String {
        super::endpoint("MOTO_ENDPOINT")
    }

    /// Enrols TOTP for a signed-in user and makes it preferred, as an account page would.
    async fn enrol_totp(pool: &Pool, username: &str, tokens: &Tokens) {
        let access = json!({"AccessToken": tokens.access_token().expose()});
        admin(&pool.endpoint, "AssociateSoftwareToken", access.clone()).await;
        let mut verify = access;
        verify["UserCode"] = json!(totp_code(MOTO_TOTP_SECRET).await);
        admin(&pool.endpoint, "VerifySoftwareToken", verify).await;
        admin(
            &pool.endpoint,
            "AdminSetUserMFAPreference",
            json!({"UserPoolId": pool.id, "Username": username,
                   "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
        )
        .await;
    }

    /// Proves: USER_PASSWORD_AUTH, NEW_PASSWORD_REQUIRED (moto checks the temporary
    /// password and the session), then, once TOTP is enrolled, SOFTWARE_TOKEN_MFA with a
    /// real TOTP code (moto checks it), and refresh.
    #[tokio::test]
    async fn password_new_password_totp_and_refresh() {
        let pool = Pool::create(endpoint(), json!({"MfaConfiguration": "OPTIONAL"})).await;
        let (client_id, _) = pool.client(false).await;
        let client = pool.typed_client(&client_id, None);
        let tokens = replace_temporary_password(&pool, &client, "alice").await;

        enrol_totp(&pool, "alice", &tokens).await;
        admin(
            &pool.endpoint,
            "SetUserPoolMfaConfig",
            json!({"UserPoolId": pool.id, "SoftwareTokenMfaConfiguration": {"Enabled": true}, "MfaConfiguration": "OPTIONAL"}),
        )
        .await;

        let AfterPassword::SoftwareTokenMfa(pending) = client
            .initiate(UserPasswordAuth::new("alice", "New-Passw0rd!"))
            .await
            .unwrap()
        else {
            panic!("expected SOFTWARE_TOKEN_MFA once TOTP is enrolled")
        };
        let AfterMfa::Authenticated(tokens) = pending
            .respond(SoftwareTokenMfaCode::new(totp_code(MOTO_TOTP_SECRET).await))
            .await
            .unwrap()
        else {
            panic!("expected tokens after the TOTP code")
        };
        assert_eq!(tokens.username(), "alice");

        let refreshed = client
            .initiate(RefreshTokenAuth::from_tokens(&tokens).unwrap())
            .await
            .unwrap();
        assert_ne!(refreshed.access_token(), tokens.access_token());
        assert_eq!(
            refreshed.refresh_token(),
            tokens.refresh_token(),
            "the unrotated refresh token is kept"
        );
    }

    /// Proves: a wrong TOTP code arrives as `CodeMismatchException`.
    #[tokio::test]
    async fn wrong_totp_code_is_code_mismatch() {
        let pool = Pool::create(endpoint(), json!({"MfaConfiguration": "OPTIONAL"})).await;
        let (client_id, _) = pool.client(false).await;
        pool.confirmed_user("bob", "Passw0rd!").await;
        let client = pool.typed_client(&client_id, None);
        let tokens = expect_tokens(
            client
                .initiate(UserPasswordAuth::new("bob", "Passw0rd!"))
                .await
                .unwrap(),
        );
        enrol_totp(&pool, "bob", &tokens).await;

        let AfterPassword::SoftwareTokenMfa(pending) = client
            .initiate(UserPasswordAuth::new("bob", "Passw0rd!"))
            .await
            .unwrap()
        else {
            panic!("expected SOFTWARE_TOKEN_MFA")
        };
        let right = totp_code(MOTO_TOTP_SECRET).await;
        let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
        let err = pending
            .respond(SoftwareTokenMfaCode::new(wrong))
            .await
            .unwrap_err();
        assert_eq!(
            err.service_kind(),
            Some(ServiceErrorKind::CodeMismatch),
            "{err}"
        );
    }

    /// Proves: SECRET_HASH is accepted where moto checks it (refresh), and a wrong
    /// secret is rejected there, so the check is real.
    #[tokio::test]
    async fn client_secret_is_hashed_with_the_canonical_username() {
        let pool = Pool::create(endpoint(), json!({})).await;
        let (client_id, secret) = pool.client(true).await;
        let secret = secret.expect("moto generates a secret");
        pool.confirmed_user("carol", "Passw0rd!").await;
        let client = pool.typed_client(&client_id, Some(&secret));
        let tokens = expect_tokens(
            client
                .initiate(UserPasswordAuth::new("carol", "Passw0rd!"))
                .await
                .unwrap(),
        );
        client
            .initiate(RefreshTokenAuth::from_tokens(&tokens).unwrap())
            .await
            .unwrap();

        let wrong_secret = pool.typed_client(&client_id, Some("not-the-secret"));
        let err = wrong_secret
            .initiate(RefreshTokenAuth::from_tokens(&tokens).unwrap())
            .await
            .unwrap_err();
        assert_eq!(
            err.service_kind(),
            Some(ServiceErrorKind::NotAuthorized),
            "{err}"
        );
    }

    /// Proves: the service's error codes arrive typed.
    #[tokio::test]
    async fn errors_are_typed() {
        let pool = Pool::create(endpoint(), json!({})).await;
        let (client_id, _) = pool.client(false).await;
        pool.confirmed_user("dave", "Passw0rd!").await;
        pool.user_with_temporary_password("erin", "Temp-Passw0rd!")
            .await;
        let client = pool.typed_client(&client_id, None);

        let err = client
            .initiate(UserPasswordAuth::new("dave", "wrong"))
            .await
            .unwrap_err();
        assert_eq!(
            err.service_kind(),
            Some(ServiceErrorKind::NotAuthorized),
            "{err}"
        );
        let err = client
            .initiate(UserPasswordAuth::new("nobody", "Passw0rd!"))
            .await
            .unwrap_err();
        assert_eq!(
            err.service_kind(),
            Some(ServiceErrorKind::UserNotFound),
            "{err}"
        );

        // A session can only be replayed by storing it: the type system rules out
        // answering one `Pending` twice. moto rejects the replay with
        // ResourceNotFoundException (real Cognito: NotAuthorizedException).
        let pending = expect_new_password(
            client
                .initiate(UserPasswordAuth::new("erin", "Temp-Passw0rd!"))
                .await
                .unwrap(),
        );
        let saved = serde_json::to_string(&pending).unwrap();
        pending
            .respond(NewPassword::new("New-Passw0rd!"))
            .await
            .unwrap();
        let replay: Pending<NewPasswordRequired> =
            serde_json::from_str::<Detached<NewPasswordRequired>>(&saved)
                .unwrap()
                .attach(&client)
                .unwrap();
        let err = replay
            .respond(NewPassword::new("Other-Passw0rd!"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.service_kind(),
                Some(ServiceErrorKind::ResourceNotFound | ServiceErrorKind::NotAuthorized)
            ),
            "{err}"
        );
    }

    /// Proves only the plumbing of USER_SRP_AUTH (moto accepts any signature): SRP_A is
    /// accepted, the PASSWORD_VERIFIER without a Session is answered, tokens come back.
    #[tokio::test]
    async fn srp_flow_plumbing() {
        let pool = Pool::create(endpoint(), json!({})).await;
        let (client_id, _) = pool.client(false).await;
        pool.confirmed_user("frank", "Passw0rd!").await;
        let client = pool.typed_client(&client_id, None);
        let tokens = expect_tokens(
            client
                .initiate(UserSrpAuth::new("frank", "Passw0rd!"))
                .await
                .unwrap(),
        );
        assert_eq!(tokens.username(), "frank");
    }

    /// Posts without `X-Amz-Target`, which moto routes to its S3 handler.
    struct WithoutTarget(String);

    impl cognito_typestate::Transport for WithoutTarget {
        fn send(
            &self,
            request: cognito_typestate::HttpRequest,
        ) -> cognito_typestate::BoxFuture<
            '_,
            Result<cognito_typestate::HttpResponse, cognito_typestate::TransportError>,
        > {
            Box::pin(async move {
                let response = common::http()
                    .post(&self.0)
                    .header("content-type", "application/x-amz-json-1.1")
                    .body(request.body.to_vec())
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let content_type = response
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_owned());
                Ok(cognito_typestate::HttpResponse {
                    status,
                    content_type,
                    error_type: None,
                    retry_after: None,
                    body: response.bytes().await.unwrap().to_vec(),
                })
            })
        }
    }

    /// Proves: a non-JSON answer (here moto's S3 XML) is a protocol error, not a success.
    #[tokio::test]
    async fn a_non_json_answer_is_a_protocol_error() {
        let client = Client::builder("x")
            .transport(WithoutTarget(endpoint()))
            .build()
            .unwrap();
        let err = client
            .initiate(UserPasswordAuth::new("u", "p"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Protocol(cognito_typestate::ProtocolError::NotJson { .. })
            ),
            "{err:?}"
        );
    }
}

mod cognito_local {
    use super::*;

    fn endpoint() -> String {
        super::endpoint("COGNITO_LOCAL_ENDPOINT")
    }

    /// The code cognito-local sends for everything (the test script sets `CODE`).
    const CODE: &str = "123456";

    /// Proves, against a server that checks codes (cognito-local does; it has no
    /// ResendConfirmationCode nor GlobalSignOut): sign-up, a wrong confirmation code
    /// handed back and the right one accepted, change password, a reset whose wrong code
    /// is handed back, and RevokeToken's shape.
    #[tokio::test]
    async fn sign_up_confirm_change_reset_and_revoke() {
        let pool = Pool::create(endpoint(), json!({"AutoVerifiedAttributes": ["email"]})).await;
        let (client_id, _) = pool.client(false).await;
        let client = pool.typed_client(&client_id, None);
        let pending = sign_up_unconfirmed(&client, "lara").await;
        let pending = match pending.confirm("000000").await {
            Err(Rejected::Retry { pending, error }) => {
                assert_eq!(error.kind(), ServiceErrorKind::CodeMismatch);
                pending
            }
            other => panic!("expected a retry, got {other:?}"),
        };
        pending.confirm(CODE).await.unwrap();
        let tokens = password_tokens(&client, "lara", PASSWORD).await;
        client
            .change_password(&tokens, PASSWORD, CHANGED)
            .await
            .unwrap();
        password_tokens(&client, "lara", CHANGED).await;
        let reset = client.forgot_password("lara").await.unwrap();
        let reset = match reset.confirm("000000", RESET).await {
            Err(Rejected::Retry { pending, .. }) => pending,
            other => panic!("expected a retry, got {other:?}"),
        };
        reset.confirm(CODE, RESET).await.unwrap();
        let tokens = password_tokens(&client, "lara", RESET).await;
        client.revoke(tokens).await.unwrap();
    }

    /// Proves: USER_PASSWORD_AUTH (cognito-local checks the password) and the
    /// NEW_PASSWORD_REQUIRED answer shape (it accepts any new password), then refresh.
    #[tokio::test]
    async fn password_new_password_and_refresh() {
        let pool = Pool::create(endpoint(), json!({})).await;
        let (client_id, _) = pool.client(false).await;
        let client = pool.typed_client(&client_id, None);
        replace_temporary_password(&pool, &client, "alice").await;
        let tokens = expect_tokens(
            client
                .initiate(UserPasswordAuth::new("alice", "New-Passw0rd!"))
                .await
                .unwrap(),
        );
        assert_eq!(tokens.username(), "alice");
        let refreshed = client
            .initiate(RefreshTokenAuth::from_tokens(&tokens).unwrap())
            .await
            .unwrap();
        assert!(!refreshed.access_token().is_empty());
    }

    /// Proves: errors arrive typed, with cognito-local's codes (ORACLES.md: it answers a
    /// wrong password with InvalidPasswordException, an unknown user with
    /// NotAuthorizedException).
    #[tokio::test]
    async fn errors_are_typed() {
        let pool = Pool::create(endpoint(), json!({})).await;
        let (client_id, _) = pool.client(false).await;
        pool.confirmed_user("bob", "Passw0rd!").await;
        let client = pool.typed_client(&client_id, None);
        let err = client
            .initiate(UserPasswordAuth::new("bob", "wrong"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.service_kind(),
                Some(ServiceErrorKind::InvalidPassword | ServiceErrorKind::NotAuthorized)
            ),
            "{err}"
        );
        let err = client
            .initiate(UserPasswordAuth::new("nobody", "Passw0rd!"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.service_kind(),
                Some(ServiceErrorKind::NotAuthorized | ServiceErrorKind::UserNotFound)
            ),
            "{err}"
        );
    }
}

/// ministack (`MINISTACK_ENDPOINT`, pool from `MINISTACK_FIXTURE`), the only server here
/// that verifies SRP: it recomputes PASSWORD_CLAIM_SIGNATURE from the stored password,
/// and with AUTH=true it checks SECRET_HASH. The script provisions it with
/// `scripts/provision-ministack.py`.
mod ministack {
    use cognito_typestate::{
        BoxFuture, HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
    };

    use super::*;

    #[derive(serde::Deserialize)]
    struct Fixture {
        user_pool_id: String,
        public_client_id: String,
        confidential_client_id: String,
        confidential_client_secret: String,
        users: std::collections::BTreeMap<String, String>,
    }

    fn fixture() -> Fixture {
        serde_json::from_str(&super::endpoint("MINISTACK_FIXTURE")).unwrap()
    }

    /// Rewrites the PASSWORD_VERIFIER answer before it leaves, to show what the server
    /// rejects.
    struct Tamper {
        inner: ReqwestTransport,
        edit: fn(&mut Value),
    }

    impl Transport for Tamper {
        fn send(
            &self,
            mut request: HttpRequest,
        ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            if request.operation == "RespondToAuthChallenge" {
                let mut body: Value = serde_json::from_slice(&request.body).unwrap();
                (self.edit)(&mut body["ChallengeResponses"]);
                request.body = serde_json::to_vec(&body).unwrap().into();
            }
            self.inner.send(request)
        }
    }

    /// The pool's public client, or its confidential one with the right secret.
    fn builder(secret: bool) -> cognito_typestate::ClientBuilder {
        let f = fixture();
        if secret {
            Client::builder(f.confidential_client_id).client_secret(f.confidential_client_secret)
        } else {
            Client::builder(f.public_client_id)
        }
        .user_pool_id(f.user_pool_id)
        .endpoint(super::endpoint("MINISTACK_ENDPOINT"))
    }

    fn client(secret: bool, transport: Option<Tamper>) -> Client {
        let mut builder = builder(secret);
        if let Some(transport) = transport {
            builder = builder.transport(transport);
        }
        builder.build().unwrap()
    }

    fn tamper(edit: fn(&mut Value)) -> Tamper {
        let inner = ReqwestTransport::new(
            super::endpoint("MINISTACK_ENDPOINT"),
            Duration::from_secs(10),
        )
        .unwrap();
        Tamper { inner, edit }
    }

    async fn sign_in(
        client: &Client,
        username: &str,
        password: &str,
    ) -> Result<AfterPassword, Error> {
        client.initiate(UserSrpAuth::new(username, password)).await
    }

    fn assert_not_authorized(result: Result<AfterPassword, Error>) {
        match result {
            Err(Error::Service(e)) => {
                assert_eq!(e.kind(), ServiceErrorKind::NotAuthorized, "{e:?}");
            }
            other => panic!("expected NotAuthorized, got {other:?}"),
        }
    }

    /// Proves the SRP maths end to end: ministack derives the verifier from the stored
    /// password and checks our signature (also for a non-ASCII password).
    #[tokio::test]
    async fn srp_signs_in_with_the_right_password() {
        let f = fixture();
        let client = client(false, None);
        for (user, password) in &f.users {
            let tokens = expect_tokens(sign_in(&client, user, password).await.unwrap());
            assert_eq!(tokens.username(), user);
        }
    }

    #[tokio::test]
    async fn a_wrong_password_is_not_authorized() {
        assert_not_authorized(sign_in(&client(false, None), "alice", "Wrong-Horse-1").await);
    }

    /// Proves SECRET_HASH on InitiateAuth (typed name) and PASSWORD_VERIFIER (canonical
    /// name): ministack with AUTH=true checks both, and rejects a wrong secret.
    #[tokio::test]
    async fn a_client_with_a_secret_signs_in() {
        let f = fixture();
        let tokens = expect_tokens(
            sign_in(&client(true, None), "alice", &f.users["alice"])
                .await
                .unwrap(),
        );
        assert_eq!(tokens.username(), "alice");
        let wrong = builder(true)
            .client_secret("not-the-secret")
            .build()
            .unwrap();
        assert_not_authorized(sign_in(&wrong, "alice", &f.users["alice"]).await);
    }

    /// Pitfall 5: the user signs in with the e-mail alias; x, the signature, USERNAME and
    /// SECRET_HASH must use USER_ID_FOR_SRP from then on.
    #[tokio::test]
    async fn sign_in_by_alias_uses_the_canonical_username() {
        let f = fixture();
        for secret in [false, true] {
            let outcome = sign_in(
                &client(secret, None),
                "alice@example.com",
                &f.users["alice"],
            )
            .await;
            let tokens = expect_tokens(outcome.unwrap());
            assert_eq!(tokens.username(), "alice", "secret: {secret}");
        }
    }

    /// The negative controls that make the passes above mean something: a changed
    /// signature and a tampered secret block are rejected as Cognito rejects them.
    #[tokio::test]
    async fn tampered_answers_are_rejected() {
        let f = fixture();
        let password = &f.users["alice"];
        let flip_signature: fn(&mut Value) = |r| {
            let sig = r["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap();
            let flipped = if sig.starts_with('A') { "B" } else { "A" };
            r["PASSWORD_CLAIM_SIGNATURE"] = json!(format!("{flipped}{}", &sig[1..]));
        };
        assert_not_authorized(
            sign_in(
                &client(false, Some(tamper(flip_signature))),
                "alice",
                password,
            )
            .await,
        );
        let change_block: fn(&mut Value) = |r| {
            let block = r["PASSWORD_CLAIM_SECRET_BLOCK"].as_str().unwrap();
            r["PASSWORD_CLAIM_SECRET_BLOCK"] = json!(format!("AAAA{}", &block[4..]));
        };
        assert_not_authorized(
            sign_in(
                &client(false, Some(tamper(change_block))),
                "alice",
                password,
            )
            .await,
        );
    }
}
