//! The emulator against hostile or careless input: what users' tests run against must
//! not be fooled (reserved claims, lockout at every proof, device binding, decoys),
//! must not panic (masking, clock arithmetic), must not grow without bound, must not
//! deadlock on a trigger that calls back, and must fail loudly without randomness. A
//! property test drives random interleavings of sign-ins through a small model.

use std::sync::LazyLock;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_typestate::Client;
use cognito_typestate::challenges::{AfterMfa, AfterPassword, SmsMfaCode};
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::srp::{self, SrpEphemeral, VerifierInputs};
use cognito_typestate_emulator::{
    AppClientConfig, CreatedChallenge, CustomAuth, Decision, DeviceTracking, FirstFactor, Mfa,
    MfaMethod, OUTBOX_LIMIT, PoolConfig, PoolHandle, UserConfig,
};
use serde_json::{Value, json};

mod common;
#[path = "support/setup.rs"]
mod setup;

use setup::Setup;

const PASSWORD: &str = "Corr3ct-horse!";
const TIMESTAMP: &str = "Tue Mar 5 07:08:09 UTC 2024";

/// Breaking the random source is process-wide: that test takes this for writing, every
/// other test for reading.
static RANDOMNESS: LazyLock<tokio::sync::RwLock<()>> =
    LazyLock::new(|| tokio::sync::RwLock::new(()));

impl Setup {
    fn user(&self, user: UserConfig) {
        self.pool.create_user(user).unwrap();
    }

    /// InitiateAuth with these AuthParameters.
    async fn initiate(&self, flow: &str, params: Value) -> (u16, Value) {
        let body = json!({"AuthFlow": flow, "ClientId": self.app.id, "AuthParameters": params});
        self.raw("InitiateAuth", body).await
    }

    /// RespondToAuthChallenge with these ChallengeResponses (and Session, if any).
    async fn respond(&self, name: &str, session: Option<&Value>, responses: Value) -> (u16, Value) {
        let mut body = json!({"ClientId": self.app.id, "ChallengeName": name, "ChallengeResponses": responses});
        if let Some(session) = session {
            body["Session"] = session.clone();
        }
        self.raw("RespondToAuthChallenge", body).await
    }

    fn issuer(&self) -> String {
        format!("{}{}", self.emulator.endpoint(), self.pool.id())
    }
}

/// A JWT's claims (the signature is checked by the emulator tests).
fn claims(jwt: &Value) -> Value {
    let payload = jwt.as_str().unwrap().split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn error_type(body: &Value) -> &str {
    body["__type"].as_str().unwrap_or_default()
}

/// Starts an SRP exchange for `alice`: USER_SRP_AUTH, or USER_AUTH's PASSWORD_SRP.
async fn start_srp(setup: &Setup, user_auth: bool) -> (SrpEphemeral, Value) {
    let ephemeral = SrpEphemeral::generate().unwrap();
    let (flow, params) = if user_auth {
        let params = json!({"USERNAME": "alice", "SRP_A": ephemeral.public_hex(),
            "PREFERRED_CHALLENGE": "PASSWORD_SRP"});
        ("USER_AUTH", params)
    } else {
        let params = json!({"USERNAME": "alice", "SRP_A": ephemeral.public_hex()});
        ("USER_SRP_AUTH", params)
    };
    let (status, body) = setup.initiate(flow, params).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
    (ephemeral, body)
}

/// Answers a PASSWORD_VERIFIER with a claim for `password`.
async fn answer_srp(
    setup: &Setup,
    ephemeral: &SrpEphemeral,
    challenge: &Value,
    password: &str,
) -> (u16, Value) {
    let params = &challenge["ChallengeParameters"];
    let pool_name = setup.pool.id().split_once('_').unwrap().1;
    let claim = srp::password_claim(
        ephemeral,
        &VerifierInputs {
            pool_name,
            user_id: params["USER_ID_FOR_SRP"].as_str().unwrap(),
            password,
            salt_hex: params["SALT"].as_str().unwrap(),
            srp_b_hex: params["SRP_B"].as_str().unwrap(),
            secret_block: params["SECRET_BLOCK"].as_str().unwrap(),
            timestamp: TIMESTAMP,
        },
    )
    .unwrap();
    let responses = json!({"USERNAME": "alice", "TIMESTAMP": TIMESTAMP,
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "PASSWORD_CLAIM_SIGNATURE": claim.signature().expose()});
    setup
        .respond("PASSWORD_VERIFIER", challenge.get("Session"), responses)
        .await
}

// 1. Reserved claims.

#[tokio::test]
async fn attributes_named_like_reserved_claims_never_reach_the_tokens() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    let mut user = UserConfig::new("alice")
        .password(PASSWORD)
        .attribute("email", "alice@example.com");
    for name in [
        "aud",
        "iss",
        "token_use",
        "exp",
        "cognito:username",
        "cognito:groups",
    ] {
        user = user.attribute(name, "mallory");
    }
    setup.user(user);
    let (status, body) = setup
        .initiate(
            "USER_PASSWORD_AUTH",
            json!({"USERNAME": "alice", "PASSWORD": PASSWORD}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = claims(&body["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["aud"], setup.app.id.as_str());
    assert_eq!(id["iss"], setup.issuer().as_str());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert!(id["exp"].is_u64(), "{id}");
    assert!(id.get("cognito:groups").is_none(), "{id}");
    assert_eq!(id["email"], "alice@example.com");
}

#[tokio::test]
async fn admin_create_user_refuses_reserved_attribute_names() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    for name in [
        "sub",
        "cognito:username",
        "aud",
        "token_use",
        "cognito:groups",
    ] {
        let (status, body) = setup
            .raw(
                "AdminCreateUser",
                json!({"UserPoolId": setup.pool.id(), "Username": format!("u-{name}"),
                    "TemporaryPassword": PASSWORD,
                    "UserAttributes": [{"Name": name, "Value": "mallory"}]}),
            )
            .await;
        assert_eq!(status, 400, "{name}: {body}");
        assert_eq!(error_type(&body), "InvalidParameterException", "{name}");
    }
}

/// A user in FORCE_CHANGE_PASSWORD, asked for NEW_PASSWORD_REQUIRED.
async fn new_password_required(setup: &Setup) -> Value {
    let (status, body) = setup
        .initiate(
            "USER_PASSWORD_AUTH",
            json!({"USERNAME": "alice", "PASSWORD": "Temp0rary!pw"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    body["Session"].clone()
}

#[tokio::test]
async fn new_password_required_refuses_reserved_attributes_and_may_be_answered_again() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(UserConfig::new("alice").temporary_password("Temp0rary!pw"));
    let session = new_password_required(&setup).await;
    let answer = |extra: &str| {
        let mut responses = json!({"USERNAME": "alice", "NEW_PASSWORD": PASSWORD});
        if !extra.is_empty() {
            responses[format!("userAttributes.{extra}")] = json!("mallory");
        }
        responses
    };
    let (status, body) = setup
        .respond(
            "NEW_PASSWORD_REQUIRED",
            Some(&session),
            answer("cognito:username"),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_type(&body), "InvalidParameterException");
    let (status, body) = setup
        .respond("NEW_PASSWORD_REQUIRED", Some(&session), answer("aud"))
        .await;
    assert_eq!(
        error_type(&body),
        "InvalidParameterException",
        "{status} {body}"
    );
    let (status, body) = setup
        .respond("NEW_PASSWORD_REQUIRED", Some(&session), answer(""))
        .await;
    assert_eq!(status, 200, "{body}");
    let id = claims(&body["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["aud"], setup.app.id.as_str());
    assert_eq!(id["cognito:username"], "alice");
}

// 2. A changed address is not verified.

#[tokio::test]
async fn a_changed_email_or_phone_number_is_no_longer_verified() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(
        UserConfig::new("alice")
            .temporary_password("Temp0rary!pw")
            .attribute("email", "alice@example.com")
            .attribute("email_verified", "true")
            .attribute("phone_number", "+15555550100")
            .attribute("phone_number_verified", "true"),
    );
    let session = new_password_required(&setup).await;
    let (status, body) = setup
        .respond(
            "NEW_PASSWORD_REQUIRED",
            Some(&session),
            json!({"USERNAME": "alice", "NEW_PASSWORD": PASSWORD,
                "userAttributes.email": "mallory@example.com",
                "userAttributes.phone_number": "+15555550100"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let attributes = setup.pool.user("alice").unwrap().attributes;
    assert_eq!(attributes["email"], "mallory@example.com");
    assert_eq!(attributes["email_verified"], "false");
    // Unchanged: still verified.
    assert_eq!(attributes["phone_number_verified"], "true");
    let id = claims(&body["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["email_verified"], false);
}

// 3. Lockout at every proof.

#[tokio::test]
async fn a_lockout_holds_at_every_password_and_srp_proof() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig {
        lockout_after: 3,
        ..PoolConfig::default()
    })
    .await;
    setup.user(UserConfig::new("alice").password(PASSWORD));
    // Sign-ins started before the lockout, each waiting for its proof.
    let (status, select) = setup
        .initiate("USER_AUTH", json!({"USERNAME": "alice"}))
        .await;
    assert_eq!(
        select["ChallengeName"], "SELECT_CHALLENGE",
        "{status} {select}"
    );
    let (user_srp, user_srp_challenge) = start_srp(&setup, false).await;
    let (auth_srp, auth_srp_challenge) = start_srp(&setup, true).await;
    for _ in 0..3 {
        let (status, _) = setup
            .initiate(
                "USER_PASSWORD_AUTH",
                json!({"USERNAME": "alice", "PASSWORD": "wrong"}),
            )
            .await;
        assert_eq!(status, 400);
    }
    assert!(setup.pool.user("alice").unwrap().locked);
    let exceeded = |(status, body): (u16, Value)| {
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["message"], "Password attempts exceeded", "{body}");
    };
    exceeded(
        setup
            .respond(
                "SELECT_CHALLENGE",
                select.get("Session"),
                json!({"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD}),
            )
            .await,
    );
    exceeded(answer_srp(&setup, &user_srp, &user_srp_challenge, PASSWORD).await);
    exceeded(answer_srp(&setup, &auth_srp, &auth_srp_challenge, PASSWORD).await);
    // Once the lockout ends, the password works again.
    setup.emulator.advance_clock(Duration::from_secs(901));
    let (ephemeral, challenge) = start_srp(&setup, false).await;
    let (status, body) = answer_srp(&setup, &ephemeral, &challenge, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
}

// 4. Masking by characters.

#[tokio::test]
async fn non_ascii_destinations_are_masked_by_characters() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(
        UserConfig::new("alice")
            .password(PASSWORD)
            .attribute("phone_number", "+4477009001٢٣")
            .attribute("email", "ñandú@exämple.com"),
    );
    let (status, body) = setup
        .initiate(
            "USER_AUTH",
            json!({"USERNAME": "alice", "PREFERRED_CHALLENGE": "SMS_OTP"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let masked = body["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"]
        .as_str()
        .unwrap();
    assert!(
        masked.ends_with("01٢٣") && masked.starts_with("+*"),
        "{masked}"
    );
    let (status, body) = setup
        .initiate(
            "USER_AUTH",
            json!({"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "ñ***@e***"
    );
}

// 5. Checked clock and duration arithmetic.

async fn post_clock(setup: &Setup, body: &str) -> (u16, Value) {
    let response = common::http()
        .post(format!("{}_emulator/clock", setup.emulator.endpoint()))
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn bad_clock_requests_are_json_400s_and_huge_durations_do_not_overflow() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::new(
        PoolConfig::default(),
        AppClientConfig {
            session_validity_seconds: u64::MAX,
            token_validity_seconds: u64::MAX,
            ..AppClientConfig::new("web")
        },
    )
    .await;
    setup.user(UserConfig::new("alice").password(PASSWORD));
    let huge = u64::MAX.to_string();
    for bad in [
        format!("{{\"advanceSeconds\": {huge}}}"),
        "{\"advanceSeconds\": -5}".to_owned(),
        "{\"advanceSeconds\": 1e300}".to_owned(),
        "{\"advanceSeconds\": \"soon\"}".to_owned(),
        "not json".to_owned(),
    ] {
        let (status, body) = post_clock(&setup, &bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(error_type(&body), "InvalidParameterException", "{bad}");
    }
    let (status, body) = post_clock(&setup, "{\"advanceSeconds\": 60}").await;
    assert_eq!((status, &body["advancedSeconds"]), (200, &json!(60)));
    // The typed API saturates instead of overflowing.
    setup.emulator.advance_clock(Duration::MAX);
    setup.emulator.advance_clock(Duration::MAX);
    let (status, body) = setup
        .initiate(
            "USER_PASSWORD_AUTH",
            json!({"USERNAME": "alice", "PASSWORD": PASSWORD}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let access = claims(&body["AuthenticationResult"]["AccessToken"]);
    assert!(access["exp"].as_u64() >= access["iat"].as_u64());
}

// 6. Eviction and a bounded outbox.

#[tokio::test]
async fn expired_sessions_and_tokens_are_swept_without_being_used() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(UserConfig::new("alice").password(PASSWORD));
    let (status, _) = setup
        .initiate(
            "USER_PASSWORD_AUTH",
            json!({"USERNAME": "alice", "PASSWORD": PASSWORD}),
        )
        .await;
    assert_eq!(status, 200);
    for _ in 0..3 {
        setup
            .initiate("USER_AUTH", json!({"USERNAME": "alice"}))
            .await;
    }
    let stored = setup.emulator.stored();
    assert_eq!(
        (stored.sessions, stored.access_tokens, stored.refresh_tokens),
        (3, 1, 1)
    );
    // Sessions live 3 minutes and are told "expired" for a quarter of an hour more;
    // access tokens live an hour.
    setup.emulator.advance_clock(Duration::from_secs(3_601));
    let stored = setup.emulator.stored();
    assert_eq!(
        (stored.sessions, stored.access_tokens, stored.refresh_tokens),
        (0, 0, 1)
    );
    setup
        .emulator
        .advance_clock(Duration::from_secs(31 * 86_400));
    assert_eq!(setup.emulator.stored().refresh_tokens, 0);
}

#[tokio::test]
async fn the_outbox_keeps_the_newest_messages_only() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(
        UserConfig::new("alice")
            .password(PASSWORD)
            .attribute("email", "alice@example.com"),
    );
    let mut last = None;
    for _ in 0..OUTBOX_LIMIT + 5 {
        let (status, body) = setup
            .initiate(
                "USER_AUTH",
                json!({"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        last = setup.pool.last_code("alice");
    }
    let outbox = setup.emulator.outbox();
    assert_eq!(outbox.len(), OUTBOX_LIMIT);
    assert_eq!(outbox.last().map(|m| m.code.clone()), last);
    assert_eq!(setup.emulator.stored().messages, OUTBOX_LIMIT);
}

// 7. Triggers run outside the lock.

/// Custom-auth triggers that each look the user up in the pool, as a trigger that
/// reads a database might.
fn reentrant_triggers(pool: &PoolHandle) -> CustomAuth {
    let (define_pool, create_pool, verify_pool) = (pool.clone(), pool.clone(), pool.clone());
    CustomAuth::new(
        move |event| {
            assert!(define_pool.user(event.username).is_some());
            let _ = define_pool.last_code(event.username);
            match event.session.last() {
                None => Decision::Challenge("CUSTOM_CHALLENGE".into()),
                Some(last) if last.challenge_result => Decision::IssueTokens,
                Some(_) => Decision::Fail,
            }
        },
        move |event| {
            let user = create_pool.user(event.username).unwrap();
            CreatedChallenge::new()
                .public("question", "sub?")
                .private("answer", user.attributes["sub"].clone())
        },
        move |event| {
            verify_pool.user(event.username).is_some()
                && event.private.get("answer").map(String::as_str) == Some(event.answer)
        },
    )
}

async fn custom_sign_in_with_reentrant_triggers() {
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(UserConfig::new("alice").password(PASSWORD));
    setup.pool.set_custom_auth(reentrant_triggers(&setup.pool));
    let (status, challenge) = setup
        .initiate("CUSTOM_AUTH", json!({"USERNAME": "alice"}))
        .await;
    assert_eq!(status, 200, "{challenge}");
    let sub = setup.pool.user("alice").unwrap().attributes["sub"].clone();
    let (status, body) = setup
        .respond(
            "CUSTOM_CHALLENGE",
            challenge.get("Session"),
            json!({"USERNAME": "alice", "ANSWER": sub}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["AuthenticationResult"]["AccessToken"].is_string());
}

#[test]
fn a_trigger_that_calls_back_into_the_pool_does_not_deadlock() {
    let _random = RANDOMNESS.blocking_read();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let finished = runtime.block_on(async {
        tokio::time::timeout(
            Duration::from_secs(30),
            custom_sign_in_with_reentrant_triggers(),
        )
        .await
        .is_ok()
    });
    // A deadlocked blocking thread must not keep the test from reporting.
    runtime.shutdown_timeout(Duration::from_secs(1));
    assert!(finished, "a trigger calling back into the pool deadlocked");
}

// 8. The device that proves itself is the device that skipped MFA.

/// Signs `uma` in with her texted code, without a device; returns the tokens.
async fn sign_in_with_sms(setup: &Setup, client: &Client) -> cognito_typestate::Tokens {
    let outcome = client
        .initiate(UserSrpAuth::new("uma", PASSWORD))
        .await
        .unwrap();
    let AfterPassword::SmsMfa(sms) = outcome else {
        panic!("expected SMS_MFA, got {outcome:?}")
    };
    let code = setup.pool.last_code("uma").unwrap();
    let AfterMfa::Authenticated(tokens) = sms.respond(SmsMfaCode::new(code)).await.unwrap() else {
        panic!("expected tokens")
    };
    tokens
}

/// USER_PASSWORD_AUTH naming `device`, then DEVICE_SRP_AUTH answered for `proving`.
async fn device_srp_auth(setup: &Setup, device: &str, proving: &str) -> (u16, Value) {
    let (status, body) = setup
        .initiate(
            "USER_PASSWORD_AUTH",
            json!({"USERNAME": "uma", "PASSWORD": PASSWORD, "DEVICE_KEY": device}),
        )
        .await;
    assert_eq!(body["ChallengeName"], "DEVICE_SRP_AUTH", "{status} {body}");
    let srp_a = SrpEphemeral::generate().unwrap().public_hex();
    setup
        .respond(
            "DEVICE_SRP_AUTH",
            body.get("Session"),
            json!({"USERNAME": "uma", "DEVICE_KEY": proving, "SRP_A": srp_a}),
        )
        .await
}

#[tokio::test]
async fn another_devices_proof_does_not_skip_mfa() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig {
        mfa: Mfa::Optional,
        device_tracking: DeviceTracking::UserOptIn,
        ..PoolConfig::default()
    })
    .await;
    setup.user(
        UserConfig::new("uma")
            .password(PASSWORD)
            .attribute("phone_number", "+15555550142")
            .mfa(MfaMethod::Sms),
    );
    let client = setup.client();
    let tokens = sign_in_with_sms(&setup, &client).await;
    let remembered = client.confirm_device(&tokens, "laptop").await.unwrap();
    let remembered = remembered.into_credentials().device_key;
    client
        .set_device_remembered(&tokens, &remembered, true)
        .await
        .unwrap();
    let tokens = sign_in_with_sms(&setup, &client).await;
    let other = client.confirm_device(&tokens, "phone").await.unwrap();
    let other = other.into_credentials().device_key;
    // The remembered device may prove itself...
    let (status, body) = device_srp_auth(&setup, &remembered, &remembered).await;
    assert_eq!(
        body["ChallengeName"], "DEVICE_PASSWORD_VERIFIER",
        "{status} {body}"
    );
    // ...but the other one may not stand in for it.
    let (status, body) = device_srp_auth(&setup, &remembered, &other).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_type(&body), "NotAuthorizedException");
}

// 9. Decoys.

#[tokio::test]
async fn an_unknown_users_decoy_has_a_stable_non_negative_salt_and_a_fresh_b() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::new(
        PoolConfig::default(),
        AppClientConfig {
            prevent_user_existence_errors: true,
            ..AppClientConfig::new("web")
        },
    )
    .await;
    for n in 0..12 {
        let name = format!("ghost{n}");
        let mut seen = Vec::new();
        for _ in 0..2 {
            let srp_a = SrpEphemeral::generate().unwrap().public_hex();
            let (status, body) = setup
                .initiate("USER_SRP_AUTH", json!({"USERNAME": name, "SRP_A": srp_a}))
                .await;
            assert_eq!(status, 200, "{body}");
            assert!(body.get("Session").is_none(), "shaped like a real user's");
            seen.push(body["ChallengeParameters"].clone());
        }
        assert_eq!(seen[0]["SALT"], seen[1]["SALT"], "{name}");
        assert_ne!(seen[0]["SRP_B"], seen[1]["SRP_B"], "{name}");
        let salt = seen[0]["SALT"].as_str().unwrap();
        assert!(!salt.starts_with('-'), "{name}: negative salt {salt}");
    }
}

// 10. Code comparisons (constant-time: only their results can be seen from here).

#[tokio::test]
async fn a_code_prefix_or_extension_is_refused_and_the_code_itself_accepted() {
    let _random = RANDOMNESS.read().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(
        UserConfig::new("alice")
            .password(PASSWORD)
            .attribute("email", "alice@example.com"),
    );
    let (_, body) = setup
        .initiate(
            "USER_AUTH",
            json!({"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}),
        )
        .await;
    let code = setup.pool.last_code("alice").unwrap();
    let answer = |given: String| json!({"USERNAME": "alice", "EMAIL_OTP_CODE": given});
    for wrong in [code[..code.len() - 1].to_owned(), format!("{code}0")] {
        let (status, refused) = setup
            .respond("EMAIL_OTP", body.get("Session"), answer(wrong))
            .await;
        assert_eq!(
            (status, error_type(&refused)),
            (400, "CodeMismatchException")
        );
    }
    let (status, done) = setup
        .respond("EMAIL_OTP", body.get("Session"), answer(code))
        .await;
    assert_eq!(status, 200, "{done}");
}

// 11. No randomness, no answer.

/// Mends the random source even if the test fails.
struct Mend;

impl Drop for Mend {
    fn drop(&mut self) {
        cognito_typestate_emulator::break_randomness(false);
    }
}

#[tokio::test]
async fn a_failing_random_source_is_an_internal_error() {
    let _random = RANDOMNESS.write().await;
    let setup = Setup::pool(PoolConfig::default()).await;
    setup.user(
        UserConfig::new("alice")
            .password(PASSWORD)
            .attribute("email", "alice@example.com"),
    );
    let _mend = Mend;
    cognito_typestate_emulator::break_randomness(true);
    let srp_a = SrpEphemeral::generate().unwrap().public_hex();
    for (flow, params) in [
        (
            "USER_PASSWORD_AUTH",
            json!({"USERNAME": "alice", "PASSWORD": PASSWORD}),
        ),
        (
            "USER_AUTH",
            json!({"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}),
        ),
        ("USER_AUTH", json!({"USERNAME": "alice"})),
        (
            "USER_SRP_AUTH",
            json!({"USERNAME": "alice", "SRP_A": srp_a}),
        ),
    ] {
        let (status, body) = setup.initiate(flow, params.clone()).await;
        assert_eq!(status, 500, "{flow} {params}: {body}");
        assert_eq!(error_type(&body), "InternalErrorException");
    }
    assert!(setup.emulator.outbox().is_empty(), "no code was sent");
    let created = setup
        .pool
        .create_user(UserConfig::new("bob").password(PASSWORD));
    assert!(created.is_err(), "no salt, no user");
}

// 12. A state-machine property test.

mod model {
    use super::*;
    use proptest::prelude::*;

    const USERS: [&str; 2] = ["ann", "ben"];
    const LOCKOUT_AFTER: u32 = 2;
    const LOCKOUT_SECONDS: u64 = 60;
    /// Sessions live 30 s; the clock moves by 11 or 100 s, so no sum of moves lands
    /// within a few seconds of an expiry and the wall clock cannot tip a case.
    const SESSION_SECONDS: u64 = 30;

    #[derive(Debug, Clone)]
    enum Op {
        /// USER_PASSWORD_AUTH, with the right password or not.
        Password {
            user: usize,
            right: bool,
        },
        /// USER_AUTH with EMAIL_OTP: a session waiting for a code.
        StartOtp {
            user: usize,
        },
        /// USER_AUTH without a preference: SELECT_CHALLENGE, answered with a password.
        StartSelect {
            user: usize,
        },
        /// Answers a session (by index, modulo the sessions so far).
        Answer {
            session: usize,
            answer: Answer,
        },
        Advance {
            seconds: u64,
        },
    }

    #[derive(Debug, Clone, Copy)]
    enum Answer {
        Right,
        Wrong,
        /// Another session's code.
        Stale,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0..USERS.len(), any::<bool>()).prop_map(|(user, right)| Op::Password { user, right }),
            2 => (0..USERS.len()).prop_map(|user| Op::StartOtp { user }),
            2 => (0..USERS.len()).prop_map(|user| Op::StartSelect { user }),
            4 => (
                0..8usize,
                prop_oneof![
                    Just(Answer::Right),
                    Just(Answer::Wrong),
                    Just(Answer::Stale)
                ]
            )
                .prop_map(|(session, answer)| Op::Answer { session, answer }),
            1 => prop_oneof![Just(11u64), Just(100u64)].prop_map(|seconds| Op::Advance { seconds }),
        ]
    }

    struct Session {
        user: usize,
        id: Value,
        /// The code sent (EMAIL_OTP), or none (SELECT_CHALLENGE, answered with the
        /// password).
        code: Option<String>,
        started: u64,
        /// Spent by a success, expiry, or three wrong codes.
        gone: bool,
        wrong: u32,
    }

    #[derive(Default)]
    struct Model {
        clock: u64,
        failures: [u32; 2],
        locked_until: [u64; 2],
        sessions: Vec<Session>,
    }

    impl Model {
        fn locked(&self, user: usize) -> bool {
            self.locked_until[user] > self.clock
        }

        fn fail(&mut self, user: usize) {
            self.failures[user] += 1;
            assert!(self.failures[user] <= LOCKOUT_AFTER, "threshold exceeded");
            if self.failures[user] == LOCKOUT_AFTER {
                self.locked_until[user] = self.clock + LOCKOUT_SECONDS;
                self.failures[user] = 0;
            }
        }
    }

    async fn setup() -> Setup {
        let setup = Setup::new(
            PoolConfig {
                lockout_after: LOCKOUT_AFTER,
                lockout_seconds: LOCKOUT_SECONDS,
                first_factors: vec![FirstFactor::Password, FirstFactor::EmailOtp],
                ..PoolConfig::default()
            },
            AppClientConfig {
                session_validity_seconds: SESSION_SECONDS,
                ..AppClientConfig::new("web")
            },
        )
        .await;
        for user in USERS {
            setup.user(
                UserConfig::new(user)
                    .password(PASSWORD)
                    .attribute("email", format!("{user}@example.com")),
            );
        }
        setup
    }

    fn has_tokens(body: &Value) -> bool {
        body["AuthenticationResult"]["AccessToken"].is_string()
    }

    async fn password(setup: &Setup, model: &mut Model, user: usize, right: bool) {
        let password = if right { PASSWORD } else { "Wr0ng-horse!" };
        let (status, body) = setup
            .initiate(
                "USER_PASSWORD_AUTH",
                json!({"USERNAME": USERS[user], "PASSWORD": password}),
            )
            .await;
        if model.locked(user) {
            assert_eq!(body["message"], "Password attempts exceeded", "{body}");
        } else if right {
            assert!(status == 200 && has_tokens(&body), "{body}");
            model.failures[user] = 0;
        } else {
            assert_eq!(body["message"], "Incorrect username or password.", "{body}");
            model.fail(user);
        }
        assert_eq!(
            setup.pool.user(USERS[user]).unwrap().locked,
            model.locked(user)
        );
    }

    async fn start(setup: &Setup, model: &mut Model, user: usize, otp: bool) {
        let mut params = json!({"USERNAME": USERS[user]});
        if otp {
            params["PREFERRED_CHALLENGE"] = json!("EMAIL_OTP");
        }
        let (status, body) = setup.initiate("USER_AUTH", params).await;
        if model.locked(user) {
            assert_eq!(body["message"], "Password attempts exceeded", "{body}");
            return;
        }
        let expected = if otp { "EMAIL_OTP" } else { "SELECT_CHALLENGE" };
        assert_eq!(body["ChallengeName"], expected, "{status} {body}");
        model.sessions.push(Session {
            user,
            id: body["Session"].clone(),
            code: otp.then(|| setup.pool.last_code(USERS[user]).unwrap()),
            started: model.clock,
            gone: false,
            wrong: 0,
        });
    }

    async fn answer(setup: &Setup, model: &mut Model, index: usize, answer: Answer) {
        if model.sessions.is_empty() {
            return;
        }
        let index = index % model.sessions.len();
        let session = &model.sessions[index];
        let expired = model.clock - session.started > SESSION_SECONDS;
        let (user, id) = (session.user, session.id.clone());
        let (status, body, right) = if let Some(code) = &session.code {
            let given = match answer {
                Answer::Right => code.clone(),
                Answer::Wrong => "not-a-code".to_owned(),
                Answer::Stale => stale_code(model, index),
            };
            let right = given == *code;
            let responses = json!({"USERNAME": USERS[user], "EMAIL_OTP_CODE": given});
            let (status, body) = setup.respond("EMAIL_OTP", Some(&id), responses).await;
            (status, body, right)
        } else {
            let right = matches!(answer, Answer::Right);
            let password = if right { PASSWORD } else { "Wr0ng-horse!" };
            let responses =
                json!({"USERNAME": USERS[user], "ANSWER": "PASSWORD", "PASSWORD": password});
            let (status, body) = setup
                .respond("SELECT_CHALLENGE", Some(&id), responses)
                .await;
            (status, body, right)
        };
        if model.sessions[index].gone || expired {
            assert!(
                status == 400 && !has_tokens(&body),
                "a spent or expired session: {body}"
            );
            model.sessions[index].gone = true;
        } else if model.sessions[index].code.is_none() {
            password_answered(model, index, right, &body);
        } else if right {
            assert!(status == 200 && has_tokens(&body), "{body}");
            model.sessions[index].gone = true;
        } else {
            assert_eq!(
                error_type(&body),
                "CodeMismatchException",
                "no tokens without a proof"
            );
            let session = &mut model.sessions[index];
            session.wrong += 1;
            session.gone = session.wrong >= 3;
        }
    }

    /// Another session's code (its own if no other session has one).
    fn stale_code(model: &Model, index: usize) -> String {
        let count = model.sessions.len();
        (1..=count)
            .find_map(|step| model.sessions[(index + step) % count].code.clone())
            .unwrap_or_default()
    }

    /// SELECT_CHALLENGE's password: the lockout holds here too; the session is spent.
    fn password_answered(model: &mut Model, index: usize, right: bool, body: &Value) {
        let user = model.sessions[index].user;
        model.sessions[index].gone = true;
        if model.locked(user) {
            assert_eq!(body["message"], "Password attempts exceeded", "{body}");
        } else if right {
            assert!(has_tokens(body), "{body}");
            model.failures[user] = 0;
        } else {
            assert_eq!(body["message"], "Incorrect username or password.", "{body}");
            model.fail(user);
        }
    }

    async fn run(ops: Vec<Op>) {
        let setup = setup().await;
        let mut model = Model::default();
        for op in ops {
            match op {
                Op::Password { user, right } => password(&setup, &mut model, user, right).await,
                Op::StartOtp { user } => start(&setup, &mut model, user, true).await,
                Op::StartSelect { user } => start(&setup, &mut model, user, false).await,
                Op::Answer { session, answer: a } => answer(&setup, &mut model, session, a).await,
                Op::Advance { seconds } => {
                    setup.emulator.advance_clock(Duration::from_secs(seconds));
                    model.clock += seconds;
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 32,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn sign_ins_keep_their_invariants(ops in proptest::collection::vec(op(), 1..28)) {
            let _random = RANDOMNESS.blocking_read();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(run(ops));
        }
    }
}
