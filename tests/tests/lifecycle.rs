//! The whole account lifecycle against the in-process emulator, driven by the typed
//! client: sign-up, confirmation, auto sign-in, password reset (forgotten, or required
//! by an administrator), password change, sign-out everywhere and revocation. Raw
//! calls only where the typed client cannot make the request (a session used twice, an
//! access token given to RevokeToken).

use std::time::Duration;

use cognito_typestate::account::{
    MfaPreference, MfaSetting, PendingConfirmation, PendingReset, SignUp, SignUpOutcome,
};
use cognito_typestate::challenges::{AfterPassword, DeliveryMedium, FirstFactorOutcome};
use cognito_typestate::flows::{AutoSignIn, RefreshTokenAuth, UserPasswordAuth, UserSrpAuth};
use cognito_typestate::handler::{Handle, Handler, ResetAnswer, ResetCode, SignUpCode};
use cognito_typestate::{Client, Error, Rejected, Secret, ServiceErrorKind, Tokens};
use cognito_typestate_emulator::{
    AppClientConfig, FirstFactor, PoolConfig, PoolHandle, UserConfig, UserStatus,
};
use serde_json::{Value, json};

mod common;
#[path = "support/setup.rs"]
mod setup;

use setup::Setup;

const PASSWORD: &str = "Corr3ct-horse!";
const NEW_PASSWORD: &str = "N3w-battery-staple!";

impl Setup {
    /// The default pool with a client that has a secret: every call carries SECRET_HASH.
    async fn with_secret() -> Self {
        Self::new(
            PoolConfig::default(),
            AppClientConfig::new("web").with_secret(),
        )
        .await
    }

    /// The default pool with a client without a secret (for raw calls).
    async fn plain() -> Self {
        Self::new(PoolConfig::default(), AppClientConfig::new("web")).await
    }

    fn user(&self, name: &str) {
        self.pool
            .create_user(
                UserConfig::new(name)
                    .password(PASSWORD)
                    .attribute("email", format!("{name}@example.com")),
            )
            .unwrap();
    }

    fn code(&self, username: &str) -> String {
        self.pool.last_code(username).expect("a code was sent")
    }

    /// A raw call's JSON body whatever its status, for requests the typed client never
    /// builds.
    async fn body(&self, operation: &str, body: &Value) -> Value {
        self.raw(operation, body.clone()).await.1
    }
}

fn sign_up(username: &str) -> SignUp {
    SignUp::new(username)
        .password(PASSWORD)
        .attribute("email", format!("{username}@example.com"))
}

async fn pending(client: &Client, sign_up: SignUp) -> PendingConfirmation {
    match client.sign_up(sign_up).await.unwrap() {
        SignUpOutcome::ConfirmationRequired(pending) => pending,
        SignUpOutcome::Confirmed(account) => panic!("expected a confirmation, got {account:?}"),
    }
}

async fn sign_in(client: &Client, username: &str, password: &str) -> Result<Tokens, Error> {
    match client
        .initiate(UserPasswordAuth::new(username, password))
        .await?
    {
        AfterPassword::Authenticated(tokens) => Ok(tokens),
        other => panic!("expected tokens, got {other:?}"),
    }
}

fn kind<T: std::fmt::Debug>(result: Result<T, Error>) -> ServiceErrorKind {
    match result {
        Err(Error::Service(e)) => e.kind(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn message<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Service(e)) => e.message().unwrap_or_default().to_owned(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// The state handed back after a refusal the service lets the user retry.
fn retry<P: std::fmt::Debug, T: std::fmt::Debug>(
    result: Result<T, Rejected<P>>,
    expected: ServiceErrorKind,
) -> P {
    match result {
        Err(Rejected::Retry { pending, error }) if error.kind() == expected => pending,
        other => panic!("expected a retry after {expected:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn sign_up_confirm_after_a_wrong_code_then_auto_sign_in_to_tokens() {
    let setup = Setup::with_secret().await;
    let client = setup.client();
    let pending = pending(&client, sign_up("alice")).await;
    let delivery = pending.delivery().expect("CodeDeliveryDetails");
    assert_eq!(delivery.medium, Some(DeliveryMedium::Email));
    assert_eq!(delivery.destination.as_deref(), Some("a***@e***"));
    assert_eq!(delivery.attribute.as_deref(), Some("email"));
    let user = setup.pool.user("alice").unwrap();
    assert_eq!(user.status, UserStatus::Unconfirmed);
    assert_eq!(user.attributes["email_verified"], "false");
    assert!(user.attributes.contains_key("sub"));

    let pending = retry(
        pending.confirm("000000").await,
        ServiceErrorKind::CodeMismatch,
    );
    assert_eq!(pending.attempt(), 2);
    let account = pending.confirm(setup.code("alice")).await.unwrap();
    assert!(account.can_sign_in_automatically());
    assert_eq!(
        account.user_sub(),
        Some(setup.pool.user("alice").unwrap().attributes["sub"].as_str())
    );
    let auto = AutoSignIn::after(account).unwrap();
    let FirstFactorOutcome::Authenticated(tokens) = client.initiate(auto).await.unwrap() else {
        panic!("expected tokens straight after the confirmation");
    };
    assert_eq!(tokens.username(), "alice");
    let user = setup.pool.user("alice").unwrap();
    assert_eq!(user.status, UserStatus::Confirmed);
    assert_eq!(user.attributes["email_verified"], "true");
    // The password chosen at sign-up works from now on.
    sign_in(&client, "alice", PASSWORD).await.unwrap();
}

#[tokio::test]
async fn the_auto_sign_in_session_works_once_and_only_within_its_lifetime() {
    let setup = Setup::plain().await;
    let id = setup.app.id.clone();
    let signed_up = |name: &str| {
        json!({"ClientId": id, "Username": name, "Password": PASSWORD,
               "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]})
    };
    let mut sessions = Vec::new();
    for name in ["ann", "ben"] {
        let answer = setup.body("SignUp", &signed_up(name)).await;
        let confirmed = setup
            .body(
                "ConfirmSignUp",
                &json!({"ClientId": id, "Username": name, "ConfirmationCode": setup.code(name),
                        "Session": answer["Session"]}),
            )
            .await;
        sessions.push(confirmed["Session"].as_str().unwrap().to_owned());
    }
    let auto = |name: &str, session: &str| {
        json!({"ClientId": id, "AuthFlow": "USER_AUTH", "AuthParameters": {"USERNAME": name},
               "Session": session})
    };
    let first = setup.body("InitiateAuth", &auto("ann", &sessions[0])).await;
    assert!(first["AuthenticationResult"]["AccessToken"].is_string());
    let again = setup.body("InitiateAuth", &auto("ann", &sessions[0])).await;
    assert_eq!(again["__type"], "NotAuthorizedException");
    // ben's session lives as long as the client's sessions (180 s by default).
    setup.emulator.advance_clock(Duration::from_secs(181));
    let late = setup.body("InitiateAuth", &auto("ben", &sessions[1])).await;
    assert_eq!(late["__type"], "NotAuthorizedException");
    let made_up = setup
        .body("InitiateAuth", &auto("ben", "not-a-session"))
        .await;
    assert_eq!(made_up["__type"], "NotAuthorizedException");
}

#[tokio::test]
async fn a_resent_code_replaces_the_old_one_and_an_expired_code_is_refused() {
    let setup = Setup::with_secret().await;
    let client = setup.client();
    let mut pending = pending(&client, sign_up("cleo")).await;
    let first = setup.code("cleo");
    pending.resend_code().await.unwrap();
    let second = setup.code("cleo");
    let mut pending = if first == second {
        pending
    } else {
        retry(pending.confirm(first).await, ServiceErrorKind::CodeMismatch)
    };
    // A day later the code has expired: the same confirmation, a new code.
    setup
        .emulator
        .advance_clock(Duration::from_secs(24 * 3600 + 1));
    pending = retry(pending.confirm(second).await, ServiceErrorKind::ExpiredCode);
    pending.resend_code().await.unwrap();
    pending.confirm(setup.code("cleo")).await.unwrap();
    // Confirmed: no more codes.
    let mut again = client.pending_confirmation("cleo");
    assert_eq!(
        kind(again.resend_code().await),
        ServiceErrorKind::InvalidParameter
    );
}

#[tokio::test]
async fn too_many_wrong_codes_spend_the_code_until_a_new_one_is_sent() {
    let setup = Setup::with_secret().await;
    let client = setup.client();
    let mut pending = pending(&client, sign_up("dora")).await;
    for _ in 0..5 {
        pending = retry(
            pending.confirm("000000").await,
            ServiceErrorKind::CodeMismatch,
        );
    }
    // The code is spent, but the confirmation stays open: a new code, then it passes.
    let mut pending = retry(
        pending.confirm(setup.code("dora")).await,
        ServiceErrorKind::TooManyFailedAttempts,
    );
    pending.resend_code().await.unwrap();
    pending.confirm(setup.code("dora")).await.unwrap();
    assert_eq!(setup.pool.user_status("dora"), Some(UserStatus::Confirmed));
}

#[tokio::test]
async fn sign_up_is_refused_by_the_pool_s_rules() {
    let closed = Setup::new(
        PoolConfig {
            allow_self_sign_up: false,
            ..PoolConfig::default()
        },
        AppClientConfig::new("web"),
    )
    .await;
    let result = closed.client().sign_up(sign_up("eve")).await;
    assert_eq!(
        message(result),
        "SignUp is not permitted for this user pool"
    );

    let setup = Setup::new(
        PoolConfig {
            required_attributes: vec!["email".into()],
            ..PoolConfig::default()
        },
        AppClientConfig::new("web").with_secret(),
    )
    .await;
    let client = setup.client();
    let weak = client.sign_up(sign_up("eve").password("password")).await;
    assert_eq!(kind(weak), ServiceErrorKind::InvalidPassword);
    let no_password = client
        .sign_up(SignUp::new("eve").attribute("email", "eve@example.com"))
        .await;
    assert_eq!(kind(no_password), ServiceErrorKind::InvalidParameter);
    let no_email = client.sign_up(SignUp::new("eve").password(PASSWORD)).await;
    assert_eq!(kind(no_email), ServiceErrorKind::InvalidParameter);
    let _ = pending(&client, sign_up("eve")).await;
    let twice = client.sign_up(sign_up("eve")).await;
    assert_eq!(
        twice.unwrap_err().service().unwrap().code(),
        "UsernameExistsException"
    );
    assert!(setup.pool.user("nobody").is_none());
}

#[tokio::test]
async fn a_passwordless_pool_signs_up_without_a_password() {
    let setup = Setup::new(
        PoolConfig {
            first_factors: vec![FirstFactor::EmailOtp],
            ..PoolConfig::default()
        },
        AppClientConfig::new("web"),
    )
    .await;
    let client = setup.client();
    let pending = pending(
        &client,
        SignUp::new("fay").attribute("email", "fay@example.com"),
    )
    .await;
    let account = pending.confirm(setup.code("fay")).await.unwrap();
    let auto = AutoSignIn::after(account).unwrap();
    let FirstFactorOutcome::Authenticated(_) = client.initiate(auto).await.unwrap() else {
        panic!("expected tokens");
    };
}

#[tokio::test]
async fn an_unconfirmed_user_is_sent_to_the_confirmation_by_every_flow() {
    let setup = Setup::with_secret().await;
    let client = setup.client();
    let _ = pending(&client, sign_up("gus")).await;
    let by_password = sign_in(&client, "gus", PASSWORD).await;
    assert!(by_password.unwrap_err().is_user_not_confirmed());
    let by_srp = client.initiate(UserSrpAuth::new("gus", PASSWORD)).await;
    assert!(by_srp.unwrap_err().is_user_not_confirmed());
    // A wrong password learns nothing about the account.
    assert_eq!(
        kind(sign_in(&client, "gus", "Wr0ng-password!").await),
        ServiceErrorKind::NotAuthorized
    );
    let pending = client.pending_confirmation("gus");
    let account = pending.confirm(setup.code("gus")).await.unwrap();
    assert!(!account.can_sign_in_automatically());
    sign_in(&client, "gus", PASSWORD).await.unwrap();
}

#[tokio::test]
async fn an_e_mail_address_can_be_the_username() {
    let setup = Setup::new(
        PoolConfig {
            username_attributes: vec!["email".into()],
            ..PoolConfig::default()
        },
        AppClientConfig::new("web").with_secret(),
    )
    .await;
    let client = setup.client();
    let refused = client.sign_up(SignUp::new("hal").password(PASSWORD)).await;
    assert_eq!(kind(refused), ServiceErrorKind::InvalidParameter);
    let pending = pending(&client, SignUp::new("hal@example.com").password(PASSWORD)).await;
    let account = pending
        .confirm(setup.code("hal@example.com"))
        .await
        .unwrap();
    let sub = account.user_sub().unwrap().to_owned();
    let user = setup.pool.user(&sub).expect("the username is the sub");
    assert_eq!(user.attributes["email"], "hal@example.com");
    let tokens = sign_in(&client, "hal@example.com", PASSWORD).await.unwrap();
    assert_eq!(
        tokens.access_token_claims().unwrap()["username"],
        sub.as_str()
    );
    let twice = client
        .sign_up(SignUp::new("hal@example.com").password(PASSWORD))
        .await;
    assert_eq!(
        twice.unwrap_err().service().unwrap().code(),
        "UsernameExistsException"
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_after_a_wrong_code_and_a_weak_password() {
    let setup = Setup::with_secret().await;
    setup.user("ivy");
    let client = setup.client();
    let reset = client.forgot_password("ivy").await.unwrap();
    let delivery = reset.delivery().unwrap();
    assert_eq!(delivery.destination.as_deref(), Some("i***@e***"));
    let code = setup.code("ivy");
    let reset = retry(
        reset.confirm("000000", NEW_PASSWORD).await,
        ServiceErrorKind::CodeMismatch,
    );
    let reset = retry(
        reset.confirm(code.as_str(), "weak").await,
        ServiceErrorKind::InvalidPassword,
    );
    assert_eq!(reset.attempt(), 3);
    reset.confirm(code.as_str(), NEW_PASSWORD).await.unwrap();
    assert_eq!(
        kind(sign_in(&client, "ivy", PASSWORD).await),
        ServiceErrorKind::NotAuthorized
    );
    sign_in(&client, "ivy", NEW_PASSWORD).await.unwrap();

    // A reset code lives an hour.
    let reset = client.forgot_password("ivy").await.unwrap();
    setup.emulator.advance_clock(Duration::from_secs(3601));
    let _ = retry(
        reset.confirm(setup.code("ivy"), PASSWORD).await,
        ServiceErrorKind::ExpiredCode,
    );
    // Unknown users: UserNotFoundException without PreventUserExistenceErrors.
    assert_eq!(
        kind(client.forgot_password("nobody").await),
        ServiceErrorKind::UserNotFound
    );
}

#[tokio::test]
async fn prevent_user_existence_errors_pretends_to_send_a_code_to_unknown_users() {
    let mut app = AppClientConfig::new("web").with_secret();
    app.prevent_user_existence_errors = true;
    let setup = Setup::new(PoolConfig::default(), app).await;
    let client = setup.client();
    let reset = client.forgot_password("nobody").await.unwrap();
    assert_eq!(
        reset.delivery().unwrap().medium,
        Some(DeliveryMedium::Email)
    );
    assert!(setup.emulator.outbox().is_empty());
    let _ = retry(
        reset.confirm("123456", NEW_PASSWORD).await,
        ServiceErrorKind::CodeMismatch,
    );
    let _ = retry(
        client
            .pending_confirmation("nobody")
            .confirm("123456")
            .await,
        ServiceErrorKind::CodeMismatch,
    );
}

#[tokio::test]
async fn an_administrator_s_reset_holds_sign_in_until_the_new_password() {
    let setup = Setup::with_secret().await;
    setup.user("jo");
    let client = setup.client();
    setup.pool.reset_password("jo").unwrap();
    assert_eq!(
        setup.pool.user_status("jo"),
        Some(UserStatus::ResetRequired)
    );
    let refused = sign_in(&client, "jo", PASSWORD).await;
    assert!(refused.unwrap_err().is_password_reset_required());
    let refused = client.initiate(UserSrpAuth::new("jo", PASSWORD)).await;
    assert!(refused.unwrap_err().is_password_reset_required());
    let reset = client.reset_required("jo");
    let reset = retry(
        reset.confirm("000000", NEW_PASSWORD).await,
        ServiceErrorKind::CodeMismatch,
    );
    reset.confirm(setup.code("jo"), NEW_PASSWORD).await.unwrap();
    assert_eq!(setup.pool.user_status("jo"), Some(UserStatus::Confirmed));
    sign_in(&client, "jo", NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn the_admin_calls_reset_and_confirm_over_http() {
    let setup = Setup::plain().await;
    setup.user("kim");
    let pool_id = setup.pool.id().to_owned();
    let reset = setup
        .body(
            "AdminResetUserPassword",
            &json!({"UserPoolId": pool_id, "Username": "kim"}),
        )
        .await;
    assert_eq!(reset, json!({}));
    let got = setup
        .body(
            "AdminGetUser",
            &json!({"UserPoolId": pool_id, "Username": "kim"}),
        )
        .await;
    assert_eq!(got["UserStatus"], "RESET_REQUIRED");
    let client = setup.client();
    let _ = pending(&client, sign_up("lee")).await;
    let confirmed = setup
        .body(
            "AdminConfirmSignUp",
            &json!({"UserPoolId": pool_id, "Username": "lee"}),
        )
        .await;
    assert_eq!(confirmed, json!({}));
    sign_in(&client, "lee", PASSWORD).await.unwrap();
    let twice = setup
        .body(
            "AdminConfirmSignUp",
            &json!({"UserPoolId": pool_id, "Username": "lee"}),
        )
        .await;
    assert_eq!(twice["__type"], "NotAuthorizedException");
    // The Rust helper does the same.
    let _ = pending(&client, sign_up("max")).await;
    setup.pool.confirm_sign_up("max").unwrap();
    sign_in(&client, "max", PASSWORD).await.unwrap();
}

#[tokio::test]
async fn a_changed_password_is_the_one_that_signs_in() {
    let setup = Setup::with_secret().await;
    setup.user("nia");
    let client = setup.client();
    let tokens = sign_in(&client, "nia", PASSWORD).await.unwrap();
    let wrong = client
        .change_password(&tokens, "Wr0ng-password!", NEW_PASSWORD)
        .await;
    assert_eq!(kind(wrong), ServiceErrorKind::NotAuthorized);
    let weak = client.change_password(&tokens, PASSWORD, "weak").await;
    assert_eq!(kind(weak), ServiceErrorKind::InvalidPassword);
    client
        .change_password(&tokens, PASSWORD, NEW_PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        kind(sign_in(&client, "nia", PASSWORD).await),
        ServiceErrorKind::NotAuthorized
    );
    sign_in(&client, "nia", NEW_PASSWORD).await.unwrap();
}

/// Every operation that takes an access token refuses `token` as revoked.
async fn refused_by_every_access_token_call(setup: &Setup, token: &str) {
    for (operation, body) in [
        ("GetUser", json!({})),
        ("AssociateSoftwareToken", json!({})),
        ("VerifySoftwareToken", json!({"UserCode": "123456"})),
        (
            "ConfirmDevice",
            json!({"DeviceKey": "us-east-1_x",
            "DeviceSecretVerifierConfig": {"Salt": "AA", "PasswordVerifier": "AA"}}),
        ),
        ("UpdateDeviceStatus", json!({"DeviceKey": "us-east-1_x"})),
        ("ForgetDevice", json!({"DeviceKey": "us-east-1_x"})),
        ("SetUserMFAPreference", json!({})),
        (
            "ChangePassword",
            json!({"PreviousPassword": PASSWORD, "ProposedPassword": NEW_PASSWORD}),
        ),
        ("GlobalSignOut", json!({})),
    ] {
        let mut body = body;
        body["AccessToken"] = json!(token);
        let refused = setup.body(operation, &body).await;
        assert_eq!(
            refused["message"], "Access Token has been revoked",
            "{operation}: {refused}"
        );
    }
}

#[tokio::test]
async fn signing_out_everywhere_revokes_every_token_of_the_user() {
    let setup = Setup::with_secret().await;
    setup.user("oli");
    setup.user("pam");
    let client = setup.client();
    let here = sign_in(&client, "oli", PASSWORD).await.unwrap();
    let there = sign_in(&client, "oli", PASSWORD).await.unwrap();
    let other_user = sign_in(&client, "pam", PASSWORD).await.unwrap();
    client.sign_out_everywhere(here.clone()).await.unwrap();
    for tokens in [&here, &there] {
        let refreshed = client
            .initiate(RefreshTokenAuth::from_tokens(tokens).unwrap())
            .await;
        assert_eq!(kind(refreshed), ServiceErrorKind::NotAuthorized);
        let preference = MfaPreference::new().email(MfaSetting::Enabled);
        let refused = client.set_mfa_preference(tokens, preference).await;
        assert_eq!(message(refused), "Access Token has been revoked");
        let refused = client.change_password(tokens, PASSWORD, NEW_PASSWORD).await;
        assert_eq!(message(refused), "Access Token has been revoked");
        let refused = client.forget_device(tokens, "us-east-1_none").await;
        assert_eq!(message(refused), "Access Token has been revoked");
    }
    refused_by_every_access_token_call(&setup, there.access_token().expose()).await;
    // Another user's tokens, and a new sign-in, are untouched.
    client
        .initiate(RefreshTokenAuth::from_tokens(&other_user).unwrap())
        .await
        .unwrap();
    let again = sign_in(&client, "oli", PASSWORD).await.unwrap();
    let got = setup
        .body(
            "GetUser",
            &json!({"AccessToken": again.access_token().expose()}),
        )
        .await;
    assert_eq!(got["Username"], "oli");
    assert!(got.get("UserStatus").is_none(), "admin-only: {got}");
    // The admin call signs a user out the same way.
    let signed_out = setup
        .body(
            "AdminUserGlobalSignOut",
            &json!({"UserPoolId": setup.pool.id(), "Username": "oli"}),
        )
        .await;
    assert_eq!(signed_out, json!({}));
    let refreshed = client
        .initiate(RefreshTokenAuth::from_tokens(&again).unwrap())
        .await;
    assert_eq!(message(refreshed), "Refresh Token has been revoked");
}

#[tokio::test]
async fn revoking_ends_that_refresh_token_and_its_access_tokens_only() {
    let setup = Setup::with_secret().await;
    setup.user("quin");
    let client = setup.client();
    let revoked = sign_in(&client, "quin", PASSWORD).await.unwrap();
    let kept = sign_in(&client, "quin", PASSWORD).await.unwrap();
    // An access token issued from the refresh token later goes with it.
    let refreshed = client
        .initiate(RefreshTokenAuth::from_tokens(&revoked).unwrap())
        .await
        .unwrap();
    client.revoke(revoked.clone()).await.unwrap();
    let refused = client
        .initiate(RefreshTokenAuth::from_tokens(&revoked).unwrap())
        .await;
    assert_eq!(message(refused), "Refresh Token has been revoked");
    let preference = MfaPreference::new().email(MfaSetting::Enabled);
    for tokens in [&revoked, &refreshed] {
        let refused = client.set_mfa_preference(tokens, preference).await;
        assert_eq!(message(refused), "Access Token has been revoked");
    }
    client.set_mfa_preference(&kept, preference).await.unwrap();
    client
        .initiate(RefreshTokenAuth::from_tokens(&kept).unwrap())
        .await
        .unwrap();

    // RevokeToken takes refresh tokens only, and the client's secret.
    let secret = setup.app.secret.clone().unwrap();
    let access = setup
        .body(
            "RevokeToken",
            &json!({"ClientId": setup.app.id, "ClientSecret": secret,
                    "Token": kept.access_token().expose()}),
        )
        .await;
    assert_eq!(access["__type"], "UnsupportedTokenTypeException");
    let refresh = kept.refresh_token().unwrap().expose();
    let no_secret = setup
        .body(
            "RevokeToken",
            &json!({"ClientId": setup.app.id, "Token": refresh}),
        )
        .await;
    assert_eq!(no_secret["__type"], "NotAuthorizedException");
}

/// Answers codes from the emulator's outbox: a wrong one first, and for a reset a
/// password the policy refuses before the good one.
#[derive(Debug)]
struct Outbox {
    pool: PoolHandle,
    asked: Vec<Option<ServiceErrorKind>>,
}

impl Handler for Outbox {
    type Error = std::convert::Infallible;
}

impl Handle<SignUpCode> for Outbox {
    async fn answer(
        &mut self,
        pending: &PendingConfirmation,
    ) -> Result<Secret, std::convert::Infallible> {
        self.asked.push(
            pending
                .rejection()
                .map(cognito_typestate::ServiceError::kind),
        );
        Ok(Secret::new(if pending.attempt() == 1 {
            "000000".to_owned()
        } else {
            self.pool.last_code(pending.username()).unwrap()
        }))
    }
}

impl Handle<ResetCode> for Outbox {
    async fn answer(
        &mut self,
        pending: &PendingReset,
    ) -> Result<ResetAnswer, std::convert::Infallible> {
        self.asked.push(
            pending
                .rejection()
                .map(cognito_typestate::ServiceError::kind),
        );
        let code = self.pool.last_code(pending.username()).unwrap();
        let password = if pending.attempt() == 1 {
            "weak"
        } else {
            NEW_PASSWORD
        };
        Ok(ResetAnswer::new(code, password))
    }
}

#[tokio::test]
async fn handlers_confirm_a_sign_up_and_reset_a_password() {
    let setup = Setup::with_secret().await;
    let client = setup.client();
    let mut handler = Outbox {
        pool: setup.pool.clone(),
        asked: Vec::new(),
    };
    let account = client
        .sign_up_with(sign_up("rae"), &mut handler)
        .await
        .unwrap();
    assert_eq!(handler.asked, [None, Some(ServiceErrorKind::CodeMismatch)]);
    let auto = AutoSignIn::after(account).unwrap();
    let FirstFactorOutcome::Authenticated(_) = client.initiate(auto).await.unwrap() else {
        panic!("expected tokens");
    };
    handler.asked.clear();
    client
        .reset_password_with("rae", &mut handler)
        .await
        .unwrap();
    assert_eq!(
        handler.asked,
        [None, Some(ServiceErrorKind::InvalidPassword)]
    );
    sign_in(&client, "rae", NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn no_session_without_user_auth_and_no_code_without_an_auto_verified_attribute() {
    let mut app = AppClientConfig::new("web");
    app.auth_flows = vec!["USER_PASSWORD_AUTH".into(), "USER_SRP_AUTH".into()];
    let setup = Setup::new(
        PoolConfig {
            auto_verified_attributes: Vec::new(),
            ..PoolConfig::default()
        },
        app,
    )
    .await;
    let client = setup.client();
    let waiting = pending(&client, sign_up("sol")).await;
    assert!(waiting.delivery().is_none());
    assert!(setup.emulator.outbox().is_empty());
    // No code was sent: only an administrator can confirm.
    let waiting = retry(
        waiting.confirm("123456").await,
        ServiceErrorKind::CodeMismatch,
    );
    setup.pool.confirm_sign_up("sol").unwrap();
    let confirmed = waiting.confirm("123456").await;
    let Err(Rejected::Failed(error)) = confirmed else {
        panic!("expected a refusal, got {confirmed:?}");
    };
    assert_eq!(error.service_kind(), Some(ServiceErrorKind::NotAuthorized));
    sign_in(&client, "sol", PASSWORD).await.unwrap();

    // A pool that verifies e-mail, through a client without USER_AUTH: no session.
    let pool = setup.emulator.create_pool(PoolConfig::default()).unwrap();
    let mut app = AppClientConfig::new("web");
    app.auth_flows = vec!["USER_PASSWORD_AUTH".into()];
    let app = pool.create_client(app).unwrap();
    let client = Client::builder(&app.id)
        .endpoint(setup.emulator.endpoint())
        .user_pool_id(pool.id())
        .build()
        .unwrap();
    let account = pending(&client, sign_up("tia"))
        .await
        .confirm(pool.last_code("tia").unwrap())
        .await
        .unwrap();
    assert!(!account.can_sign_in_automatically());
    assert!(AutoSignIn::after(account).is_none());
}

#[tokio::test]
async fn pools_made_over_http_carry_their_sign_up_settings() {
    let setup = Setup::plain().await;
    let created = setup
        .body(
            "CreateUserPool",
            &json!({"PoolName": "closed", "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true}}),
        )
        .await;
    let closed = created["UserPool"]["Id"].as_str().unwrap();
    let app = setup
        .body(
            "CreateUserPoolClient",
            &json!({"UserPoolId": closed, "ClientName": "web"}),
        )
        .await;
    let closed_client = app["UserPoolClient"]["ClientId"].clone();
    let refused = setup
        .body(
            "SignUp",
            &json!({"ClientId": closed_client, "Username": "uma", "Password": PASSWORD}),
        )
        .await;
    assert_eq!(refused["__type"], "NotAuthorizedException");
    assert_eq!(
        refused["message"],
        "SignUp is not permitted for this user pool"
    );

    let created = setup
        .body(
            "CreateUserPool",
            &json!({"PoolName": "by-phone", "UsernameAttributes": ["phone_number"],
                    "AutoVerifiedAttributes": ["phone_number"]}),
        )
        .await;
    let by_phone = created["UserPool"]["Id"].as_str().unwrap();
    let app = setup
        .body(
            "CreateUserPoolClient",
            &json!({"UserPoolId": by_phone, "ClientName": "web",
                    "PreventUserExistenceErrors": "ENABLED"}),
        )
        .await;
    let client = app["UserPoolClient"]["ClientId"].clone();
    let signed_up = setup
        .body(
            "SignUp",
            &json!({"ClientId": client, "Username": "+15550001234", "Password": PASSWORD}),
        )
        .await;
    assert_eq!(
        signed_up["CodeDeliveryDetails"],
        json!({"Destination": "+*******1234", "DeliveryMedium": "SMS", "AttributeName": "phone_number"})
    );
    assert_eq!(signed_up["UserConfirmed"], false);
    let pool = setup.emulator.pool(by_phone).unwrap();
    assert_eq!(
        pool.user_status("+15550001234"),
        Some(UserStatus::Unconfirmed)
    );
    // Unknown users get a delivery that looks real, and nothing is sent.
    let sent = setup.emulator.outbox().len();
    let resent = setup
        .body(
            "ResendConfirmationCode",
            &json!({"ClientId": client, "Username": "+15559999999"}),
        )
        .await;
    assert_eq!(resent["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");
    assert_eq!(setup.emulator.outbox().len(), sent);
}
