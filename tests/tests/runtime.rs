//! Runtime behaviour against a scripted transport: each test lists the service's
//! answers and checks what the client sent, byte for byte where it matters.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use cognito_typestate::challenges::{
    AfterMfa, AfterMfaSetup, AfterNewPassword, AfterPassword, MfaType, NewPassword, SmsMfa,
    SmsMfaCode, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::{CustomAuth, RefreshTokenAuth, UserPasswordAuth, UserSrpAuth};
use cognito_typestate::{
    BoxFuture, Challenge, ChallengeResponse, Client, ConfigError, Detached, Error, HttpRequest,
    HttpResponse, Outcome, Pending, ProtocolError, Secret, ServiceErrorKind, Tokens, Transport,
    TransportError, secret_hash,
};
use serde_json::{Value, json};

/// One scripted answer: the operation it answers, the HTTP status, the body.
type Answer = (&'static str, u16, String);

/// What a service check expects of an error.
type ErrorCheck = fn(&Error) -> bool;

/// Answers each call with the next scripted answer and records every request.
#[derive(Clone, Default)]
struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    sent: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Script {
    fn answer(self, operation: &'static str, body: &Value) -> Self {
        self.answer_status(operation, 200, &body.to_string())
    }

    fn answer_status(self, operation: &'static str, status: u16, body: &str) -> Self {
        self.answers
            .lock()
            .unwrap()
            .push_back((operation, status, body.to_owned()));
        self
    }

    fn sent(&self) -> Vec<(String, Value)> {
        self.sent.lock().unwrap().clone()
    }

    fn last(&self) -> Value {
        self.sent().last().expect("a request was sent").1.clone()
    }
}

impl Transport for Script {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let body: Value = serde_json::from_slice(&request.body).expect("requests are JSON");
        self.sent
            .lock()
            .unwrap()
            .push((request.operation.to_owned(), body));
        let (operation, status, answer) = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| panic!("unscripted call to {}", request.operation));
        assert_eq!(
            request.operation, operation,
            "calls arrive in the scripted order"
        );
        Box::pin(async move {
            Ok(HttpResponse {
                status,
                content_type: Some("application/x-amz-json-1.1".into()),
                error_type: None,
                retry_after: None,
                body: answer.into_bytes(),
            })
        })
    }
}

const CLIENT_ID: &str = "client-1";
const SECRET: &str = "s3cret";

fn client(script: &Script) -> Client {
    Client::builder(CLIENT_ID)
        .user_pool_id("eu-west-1_Pool1")
        .transport(script.clone())
        .build()
        .unwrap()
}

fn client_with_secret(script: &Script) -> Client {
    Client::builder(CLIENT_ID)
        .user_pool_id("eu-west-1_Pool1")
        .client_secret(SECRET)
        .transport(script.clone())
        .build()
        .unwrap()
}

fn hash(username: &str) -> String {
    secret_hash(&Secret::new(SECRET), username, CLIENT_ID)
        .expose()
        .to_owned()
}

fn tokens_answer() -> Value {
    json!({"AuthenticationResult": {"AccessToken": "at", "IdToken": "it", "RefreshToken": "rt", "ExpiresIn": 3600, "TokenType": "Bearer"}})
}

fn challenge(name: &str, session: &str, params: &Value) -> Value {
    json!({"ChallengeName": name, "Session": session, "ChallengeParameters": params})
}

#[tokio::test]
async fn new_password_then_totp_threads_session_username_and_secret_hash() {
    let script = Script::default()
        .answer("InitiateAuth", &challenge("NEW_PASSWORD_REQUIRED", "S1", &json!({"USER_ID_FOR_SRP": "uuid-alice", "userAttributes": "{\"email\":\"a@example.com\"}", "requiredAttributes": "[\"userAttributes.given_name\"]"}),
            ),
        )
        .answer("RespondToAuthChallenge", &challenge("SOFTWARE_TOKEN_MFA", "S2", &json!({})))
        .answer("RespondToAuthChallenge", &tokens_answer());
    let client = client_with_secret(&script);

    let AfterPassword::NewPasswordRequired(pending) = client
        .initiate(UserPasswordAuth::new("alice@example.com", "temp-pw"))
        .await
        .unwrap()
    else {
        panic!("expected NEW_PASSWORD_REQUIRED")
    };
    let sent = script.last();
    assert_eq!(sent["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(sent["AuthParameters"]["USERNAME"], "alice@example.com");
    assert_eq!(
        sent["AuthParameters"]["SECRET_HASH"],
        hash("alice@example.com"),
        "InitiateAuth hashes what was typed"
    );
    assert_eq!(pending.username(), "uuid-alice");
    assert_eq!(
        pending
            .challenge()
            .required_attributes()
            .collect::<Vec<_>>(),
        ["given_name"]
    );

    let AfterNewPassword::SoftwareTokenMfa(pending) = pending
        .respond(NewPassword::new("new-pw").attribute("given_name", "Alice"))
        .await
        .unwrap()
    else {
        panic!("expected SOFTWARE_TOKEN_MFA")
    };
    let sent = script.last();
    assert_eq!(sent["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert_eq!(sent["Session"], "S1");
    assert_eq!(
        sent["ChallengeResponses"],
        json!({"USERNAME": "uuid-alice", "SECRET_HASH": hash("uuid-alice"), "NEW_PASSWORD": "new-pw", "userAttributes.given_name": "Alice"}),
        "later steps use the canonical name for USERNAME and SECRET_HASH"
    );

    let AfterMfa::Authenticated(tokens) = pending
        .respond(SoftwareTokenMfaCode::new("123456"))
        .await
        .unwrap()
    else {
        panic!("expected tokens")
    };
    let sent = script.last();
    assert_eq!(sent["Session"], "S2");
    assert_eq!(
        sent["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"],
        "123456"
    );
    assert_eq!(sent["ChallengeResponses"]["USERNAME"], "uuid-alice");
    assert_eq!(tokens.access_token().expose(), "at");
    assert_eq!(tokens.expires_in(), Some(Duration::from_secs(3600)));
}

#[tokio::test]
async fn a_challenge_the_outcome_does_not_list_is_a_typed_error_with_everything_sent() {
    let script = Script::default()
        .answer(
            "InitiateAuth",
            &challenge(
                "SMS_MFA",
                "S1",
                &json!({"CODE_DELIVERY_DESTINATION": "+***1234"}),
            ),
        )
        .answer(
            "RespondToAuthChallenge",
            &challenge("PASSKEY_V9", "S2", &json!({"hint": "x"})),
        );
    let client = client(&script);
    let AfterPassword::SmsMfa(pending) = client
        .initiate(UserPasswordAuth::new("bob", "pw"))
        .await
        .unwrap()
    else {
        panic!("expected SMS_MFA")
    };
    assert_eq!(pending.challenge().destination.as_deref(), Some("+***1234"));
    let err = pending
        .respond(SmsMfaCode::new("000000"))
        .await
        .map_err(Error::from)
        .unwrap_err();
    let Error::UnexpectedChallenge(unexpected) = err else {
        panic!("{err:?}")
    };
    assert_eq!(unexpected.name, "PASSKEY_V9");
    assert_eq!(unexpected.parameters["hint"], "x");
    assert_eq!(unexpected.session.as_ref().map(Secret::expose), Some("S2"));
    assert_eq!(unexpected.expected, ["tokens", "DEVICE_SRP_AUTH"]);
}

#[tokio::test]
async fn answers_that_break_the_protocol_are_typed_errors() {
    let both = json!({"ChallengeName": "SMS_MFA", "Session": "s", "AuthenticationResult": {"AccessToken": "a"}});
    let cases: [(Value, ErrorCheck); 4] = [
        (both, |e| {
            matches!(e, Error::Protocol(ProtocolError::TokensAndChallenge { .. }))
        }),
        (json!({}), |e| {
            matches!(e, Error::Protocol(ProtocolError::NeitherTokensNorChallenge))
        }),
        (
            challenge("SELECT_MFA_TYPE", "s", &json!({})),
            |e| matches!(e, Error::Protocol(ProtocolError::Parameter { challenge, .. }) if challenge == "SELECT_MFA_TYPE"),
        ),
        (json!({"AuthenticationResult": {"IdToken": "only"}}), |e| {
            matches!(
                e,
                Error::Protocol(ProtocolError::MissingToken("AccessToken"))
            )
        }),
    ];
    for (answer, is_expected) in cases {
        let script = Script::default().answer("InitiateAuth", &answer.clone());
        let err = client(&script)
            .initiate(UserPasswordAuth::new("u", "p"))
            .await
            .unwrap_err();
        assert!(is_expected(&err), "{answer} gave {err:?}");
    }
}

#[tokio::test]
async fn service_errors_and_non_json_bodies_are_typed() {
    let script = Script::default()
        .answer_status(
            "InitiateAuth",
            400,
            r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
        )
        .answer_status("InitiateAuth", 500, "<html>oops</html>");
    let client = client(&script);
    let err = client
        .initiate(UserPasswordAuth::new("u", "bad"))
        .await
        .unwrap_err();
    assert_eq!(err.service_kind(), Some(ServiceErrorKind::NotAuthorized));
    assert_eq!(
        err.service().unwrap().message(),
        Some("Incorrect username or password.")
    );
    let err = client
        .initiate(UserPasswordAuth::new("u", "p"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Protocol(ProtocolError::NotJson { status: 500, .. })
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn throttled_initiate_is_retried_but_challenge_answers_never_are() {
    let throttled = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
    let script = Script::default()
        .answer_status("InitiateAuth", 400, throttled)
        .answer("InitiateAuth", &challenge("SMS_MFA", "S1", &json!({})))
        .answer_status("RespondToAuthChallenge", 400, throttled);
    let client = client(&script);
    let AfterPassword::SmsMfa(pending) = client
        .initiate(UserPasswordAuth::new("u", "p"))
        .await
        .unwrap()
    else {
        panic!()
    };
    let err = pending.respond(SmsMfaCode::new("1")).await.unwrap_err();
    assert_eq!(err.service_kind(), Some(ServiceErrorKind::TooManyRequests));
    let calls: Vec<String> = script.sent().into_iter().map(|(op, _)| op).collect();
    assert_eq!(
        calls,
        ["InitiateAuth", "InitiateAuth", "RespondToAuthChallenge"]
    );
}

#[tokio::test]
async fn an_expired_session_fails_locally_without_a_call() {
    let now = Arc::new(AtomicU64::new(1_800_000_000));
    let clock = Arc::clone(&now);
    let script = Script::default().answer("InitiateAuth", &challenge("SMS_MFA", "S1", &json!({})));
    let client = Client::builder(CLIENT_ID)
        .region("eu-west-1")
        .transport(script.clone())
        .session_validity(Duration::from_secs(5 * 60))
        .clock(move || UNIX_EPOCH + Duration::from_secs(clock.load(Ordering::SeqCst)))
        .build()
        .unwrap();
    let AfterPassword::SmsMfa(pending) = client
        .initiate(UserPasswordAuth::new("u", "p"))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        pending.expires_at(),
        UNIX_EPOCH + Duration::from_secs(1_800_000_000 + 300)
    );
    now.fetch_add(300, Ordering::SeqCst);
    let err = Error::from(pending.respond(SmsMfaCode::new("1")).await.unwrap_err());
    let Error::SessionExpired {
        challenge,
        elapsed,
        validity,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (challenge.as_str(), elapsed, validity),
        (
            "SMS_MFA",
            Duration::from_secs(300),
            Duration::from_secs(300)
        )
    );
    assert_eq!(
        script.sent().len(),
        1,
        "nothing was sent for the expired answer"
    );
}

#[tokio::test]
async fn a_detached_pending_round_trips_through_json_and_only_into_its_own_type() {
    let script = Script::default()
        .answer(
            "InitiateAuth",
            &challenge(
                "SMS_MFA",
                "S1",
                &json!({"CODE_DELIVERY_DESTINATION": "+***9"}),
            ),
        )
        .answer("RespondToAuthChallenge", &tokens_answer());
    let client = client(&script);
    let AfterPassword::SmsMfa(pending) = client
        .initiate(UserPasswordAuth::new("u", "p"))
        .await
        .unwrap()
    else {
        panic!()
    };
    let saved = serde_json::to_string(&pending).unwrap();
    drop(pending);

    let wrong =
        serde_json::from_str::<Detached<cognito_typestate::challenges::SoftwareTokenMfa>>(&saved)
            .unwrap_err();
    assert!(
        wrong
            .to_string()
            .contains("is `SMS_MFA`, not `SOFTWARE_TOKEN_MFA`"),
        "{wrong}"
    );

    let other_client = Client::builder("client-2")
        .region("eu-west-1")
        .transport(script.clone())
        .build()
        .unwrap();
    let detached: Detached<SmsMfa> = serde_json::from_str(&saved).unwrap();
    assert!(matches!(
        detached.attach(&other_client),
        Err(Error::Config(_))
    ));

    let pending: Pending<SmsMfa> = serde_json::from_str::<Detached<SmsMfa>>(&saved)
        .unwrap()
        .attach(&client)
        .unwrap();
    assert_eq!(pending.challenge().destination.as_deref(), Some("+***9"));
    let AfterMfa::Authenticated(_) = pending.respond(SmsMfaCode::new("42")).await.unwrap() else {
        panic!()
    };
    assert_eq!(script.last()["Session"], "S1");
}

#[tokio::test]
async fn stored_pending_states_are_checked_when_attached() {
    let now = Arc::new(AtomicU64::new(1_800_000_000));
    let clock = Arc::clone(&now);
    let script = Script::default().answer("InitiateAuth", &challenge("SMS_MFA", "S1", &json!({})));
    let with_validity = |minutes: u64| {
        let clock = Arc::clone(&clock);
        Client::builder(CLIENT_ID)
            .region("eu-west-1")
            .transport(script.clone())
            .session_validity(Duration::from_secs(minutes * 60))
            .clock(move || UNIX_EPOCH + Duration::from_secs(clock.load(Ordering::SeqCst)))
            .build()
            .unwrap()
    };
    let AfterPassword::SmsMfa(pending) = with_validity(15)
        .initiate(UserPasswordAuth::new("u", "p"))
        .await
        .unwrap()
    else {
        panic!()
    };
    let saved: Value = serde_json::to_value(&pending).unwrap();
    let attach = |json: &Value, client: &Client| {
        serde_json::from_value::<Detached<SmsMfa>>(json.clone())
            .unwrap()
            .attach(client)
    };
    // The validity is the attaching client's when it is shorter.
    let issued = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let short = attach(&saved, &with_validity(3)).unwrap();
    assert_eq!(short.expires_at(), issued + Duration::from_secs(3 * 60));
    // An edited validity cannot lengthen it, nor overflow anything.
    let mut edited = saved.clone();
    edited["validity_secs"] = json!(u64::MAX);
    let pending = attach(&edited, &with_validity(15)).unwrap();
    assert_eq!(pending.expires_at(), issued + Duration::from_secs(15 * 60));
    // An issue time in the future is refused; a minute of clock skew is not.
    edited["issued_at_ms"] = json!(u64::MAX);
    assert!(matches!(
        attach(&edited, &with_validity(15)),
        Err(Error::Config(ConfigError::IssuedInTheFuture { .. }))
    ));
    now.fetch_sub(30, Ordering::SeqCst);
    assert!(attach(&saved, &with_validity(15)).is_ok());
}

#[tokio::test]
async fn mfa_setup_chains_three_sessions() {
    let script = Script::default()
        .answer(
            "InitiateAuth",
            &challenge(
                "MFA_SETUP",
                "S1",
                &json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}),
            ),
        )
        .answer(
            "AssociateSoftwareToken",
            &json!({"SecretCode": "JBSWY3DPEHPK3PXPJBSWY3DP", "Session": "S2"}),
        )
        .answer(
            "VerifySoftwareToken",
            &json!({"Status": "SUCCESS", "Session": "S3"}),
        )
        .answer("RespondToAuthChallenge", &tokens_answer());
    let client = client(&script);
    let AfterPassword::MfaSetup(pending) = client
        .initiate(UserPasswordAuth::new("carol", "p"))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(
        pending.challenge().email("c@example.com").is_none(),
        "e-mail set-up was not offered"
    );
    let setup = pending.associate_software_token().await.unwrap();
    assert_eq!(script.last(), json!({"Session": "S1"}));
    assert_eq!(
        setup.otpauth_uri("Acme Corp").expose(),
        "otpauth://totp/Acme%20Corp:carol?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Acme%20Corp"
    );
    let AfterMfaSetup::Authenticated(_) = setup.verify("123456", Some("phone")).await.unwrap()
    else {
        panic!()
    };
    let sent = script.sent();
    assert_eq!(
        sent[2].1,
        json!({"Session": "S2", "UserCode": "123456", "FriendlyDeviceName": "phone"})
    );
    assert_eq!(sent[3].1["ChallengeName"], "MFA_SETUP");
    assert_eq!(sent[3].1["Session"], "S3");
    assert_eq!(
        sent[3].1["ChallengeResponses"],
        json!({"USERNAME": "carol"})
    );
}

#[tokio::test]
async fn select_mfa_type_answers_only_an_offered_factor() {
    let script = Script::default()
        .answer(
            "InitiateAuth",
            &challenge(
                "SELECT_MFA_TYPE",
                "S1",
                &json!({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}),
            ),
        )
        .answer(
            "RespondToAuthChallenge",
            &challenge("SOFTWARE_TOKEN_MFA", "S2", &json!({})),
        );
    let client = client(&script);
    let AfterPassword::SelectMfaType(pending) = client
        .initiate(UserPasswordAuth::new("d", "p"))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(pending.challenge().choose(&MfaType::Email).is_none());
    let choice = pending.challenge().choose(&MfaType::SoftwareToken).unwrap();
    let next = pending.respond(choice).await.unwrap();
    assert!(matches!(
        next,
        cognito_typestate::challenges::AfterMfaSelection::SoftwareTokenMfa(_)
    ));
    assert_eq!(
        script.last()["ChallengeResponses"]["ANSWER"],
        "SOFTWARE_TOKEN_MFA"
    );
}

#[tokio::test]
async fn srp_answers_the_verifier_for_the_canonical_user_without_a_session() {
    let script = Script::default()
        .answer(
            "InitiateAuth",
            &json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {
                "SALT": "-16e462a84f2df159eee0c14642974ee7",
                "SRP_B": cognito_typestate::srp::public_value(&[0xbb; 32]).unwrap(),
                "SECRET_BLOCK": "c2VjcmV0LWJsb2NrLWJ5dGVz",
                "USER_ID_FOR_SRP": "uuid-erin",
                "USERNAME": "uuid-erin"}}),
        )
        .answer("RespondToAuthChallenge", &tokens_answer());
    let client = Client::builder(CLIENT_ID)
        .user_pool_id("eu-west-1_Pool1")
        .client_secret(SECRET)
        .transport(script.clone())
        // Tue Mar 5 07:08:09 UTC 2024: a single-digit day.
        .clock(|| UNIX_EPOCH + Duration::from_secs(1_709_622_489))
        .build()
        .unwrap();
    let AfterPassword::Authenticated(_) = client
        .initiate(UserSrpAuth::new("erin@example.com", "pw"))
        .await
        .unwrap()
    else {
        panic!()
    };
    let sent = script.sent();
    let srp_a = sent[0].1["AuthParameters"]["SRP_A"].as_str().unwrap();
    assert!(
        srp_a
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let answer = &sent[1].1;
    assert!(
        answer.get("Session").is_none(),
        "no Session was given, none is sent"
    );
    assert_eq!(answer["ChallengeName"], "PASSWORD_VERIFIER");
    let responses = &answer["ChallengeResponses"];
    assert_eq!(responses["USERNAME"], "uuid-erin");
    assert_eq!(responses["SECRET_HASH"], hash("uuid-erin"));
    assert_eq!(responses["TIMESTAMP"], "Tue Mar 5 07:08:09 UTC 2024");
    assert_eq!(
        responses["PASSWORD_CLAIM_SECRET_BLOCK"],
        "c2VjcmV0LWJsb2NrLWJ5dGVz"
    );
    assert_eq!(
        responses["PASSWORD_CLAIM_SIGNATURE"]
            .as_str()
            .unwrap()
            .len(),
        44
    );
}

#[tokio::test]
async fn refresh_hashes_the_canonical_username_and_keeps_the_refresh_token() {
    use base64::Engine as _;
    let jwt = |claims: Value| {
        format!(
            "e30.{}.sig",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    };
    let script = Script::default()
        .answer("InitiateAuth", &json!({"AuthenticationResult": {"AccessToken": jwt(json!({"username": "uuid-f"})), "IdToken": jwt(json!({"cognito:username": "uuid-f"})), "RefreshToken": "rt-1", "ExpiresIn": 3600}}),
        )
        .answer("InitiateAuth", &json!({"AuthenticationResult": {"AccessToken": "at-2", "ExpiresIn": 3600}}));
    let client = client_with_secret(&script);
    let AfterPassword::Authenticated(tokens) = client
        .initiate(UserPasswordAuth::new("f@example.com", "p"))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(tokens.username(), "uuid-f");
    assert!(matches!(
        client.initiate(RefreshTokenAuth::new("rt-1")).await,
        Err(Error::Config(_))
    ));
    let refreshed: Tokens = client
        .initiate(RefreshTokenAuth::from_tokens(&tokens).unwrap())
        .await
        .unwrap();
    let sent = script.last();
    assert_eq!(sent["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(
        sent["AuthParameters"],
        json!({"REFRESH_TOKEN": "rt-1", "SECRET_HASH": hash("uuid-f")})
    );
    assert_eq!(refreshed.refresh_token().map(Secret::expose), Some("rt-1"));
}

/// An application-defined custom challenge, declared with the same derives.
#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CaptchaAnswer, next = AfterCaptcha)]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
    #[param("attempts", default)]
    attempts: u8,
}

#[derive(ChallengeResponse)]
struct CaptchaAnswer {
    #[param("ANSWER")]
    text: String,
}

#[derive(Debug, Outcome)]
enum AfterCaptcha {
    Authenticated(Tokens),
    Captcha(Pending<Captcha>),
}

#[test]
fn an_application_outcome_gets_its_state_graph() {
    use cognito_typestate::flows::CustomAuth;
    use cognito_typestate::graph::{FlowGraph, TOKENS};
    let graph = FlowGraph::of_flow::<CustomAuth<AfterCaptcha>>();
    assert_eq!(
        graph.edges().collect::<Vec<_>>(),
        [
            ("CUSTOM_AUTH", "CUSTOM_CHALLENGE"),
            ("CUSTOM_AUTH", TOKENS),
            ("CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE"),
            ("CUSTOM_CHALLENGE", TOKENS),
        ]
    );
    assert!(
        graph
            .mermaid()
            .contains("CUSTOM_CHALLENGE --> CUSTOM_CHALLENGE")
    );
}

#[tokio::test]
async fn custom_auth_runs_with_an_application_outcome() {
    let script = Script::default()
        .answer(
            "InitiateAuth",
            &challenge(
                "CUSTOM_CHALLENGE",
                "S1",
                &json!({"captchaUrl": "https://c/1", "USERNAME": "g"}),
            ),
        )
        .answer(
            "RespondToAuthChallenge",
            &challenge(
                "CUSTOM_CHALLENGE",
                "S2",
                &json!({"captchaUrl": "https://c/2", "attempts": "2"}),
            ),
        )
        .answer("RespondToAuthChallenge", &tokens_answer());
    let client = client(&script);
    let AfterCaptcha::Captcha(first) = client
        .initiate(CustomAuth::<AfterCaptcha>::new("g"))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (first.challenge().url.as_str(), first.challenge().attempts),
        ("https://c/1", 0)
    );
    let AfterCaptcha::Captcha(second) = first
        .respond(CaptchaAnswer {
            text: "wrong".into(),
        })
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(second.challenge().attempts, 2);
    assert_eq!(
        script.last()["ChallengeResponses"],
        json!({"USERNAME": "g", "ANSWER": "wrong"})
    );
    let AfterCaptcha::Authenticated(tokens) = second
        .respond(CaptchaAnswer {
            text: "right".into(),
        })
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(tokens.refresh_token().map(Secret::expose), Some("rt"));
    assert_eq!(script.sent()[0].1["AuthFlow"], "CUSTOM_AUTH");
}

#[test]
fn secrets_are_redacted_in_debug_output() {
    let answer = NewPassword::new("hunter2").attribute("name", "Al");
    let debug = format!("{answer:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(
        debug.contains("Al"),
        "non-secret fields stay visible: {debug}"
    );
    let code = format!("{:?}", SmsMfaCode::new("987654"));
    assert!(!code.contains("987654"), "{code}");
}

/// Remembered devices: ConfirmDevice registers a verifier, and a later sign-in answers
/// DEVICE_SRP_AUTH with it. The test plays Cognito's half of device SRP (B from the
/// registered verifier, then S from A), so a pass means the service would accept it.
mod device {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use cognito_typestate::DeviceCredentials;
    use cognito_typestate::srp::DeviceVerifier;
    use hmac::{Hmac, Mac};
    use openssl::bn::{BigNum, BigNumContext, BigNumRef};
    use sha2::{Digest, Sha256};

    use super::*;

    const DEVICE_KEY: &str = "eu-west-1_3f1c2b7e-device";
    const GROUP_KEY: &str = "-Gr0upKey";

    fn tokens_with_new_device() -> Value {
        json!({"AuthenticationResult": {"AccessToken": "at", "IdToken": "it", "RefreshToken": "rt",
            "ExpiresIn": 3600, "TokenType": "Bearer",
            "NewDeviceMetadata": {"DeviceKey": DEVICE_KEY, "DeviceGroupKey": GROUP_KEY}}})
    }

    #[tokio::test]
    async fn confirm_device_registers_a_verifier_made_from_the_stored_password() {
        let script = Script::default()
            .answer("InitiateAuth", &tokens_with_new_device())
            .answer("ConfirmDevice", &json!({"UserConfirmationNecessary": true}));
        let client = client(&script);
        let tokens = expect_tokens(client.initiate(UserPasswordAuth::new("alice", "pw")).await);
        let device = client.confirm_device(&tokens, "laptop").await.unwrap();
        assert!(device.user_confirmation_necessary());

        let sent = script.last();
        assert_eq!(sent["AccessToken"], "at");
        assert_eq!(sent["DeviceKey"], DEVICE_KEY);
        assert_eq!(sent["DeviceName"], "laptop");
        let config = &sent["DeviceSecretVerifierConfig"];
        let salt = STANDARD.decode(config["Salt"].as_str().unwrap()).unwrap();
        let credentials = device.credentials();
        assert_eq!(credentials.device_key, DEVICE_KEY);
        assert_eq!(credentials.device_group_key, GROUP_KEY);
        assert_eq!(
            STANDARD
                .decode(credentials.device_password.expose())
                .unwrap()
                .len(),
            40
        );
        let expected = DeviceVerifier::from_parts(
            GROUP_KEY,
            DEVICE_KEY,
            credentials.device_password.expose(),
            &salt,
        )
        .unwrap();
        assert_eq!(config["PasswordVerifier"], expected.verifier());

        // The credentials survive storage; Debug keeps the password out.
        let stored = serde_json::to_string(credentials).unwrap();
        assert_eq!(
            &serde_json::from_str::<DeviceCredentials>(&stored).unwrap(),
            credentials
        );
        assert!(!format!("{credentials:?}").contains(credentials.device_password.expose()));

        // Tokens without NewDeviceMetadata have no device to confirm.
        let script = Script::default().answer("InitiateAuth", &tokens_answer());
        let client = super::client(&script);
        let tokens = expect_tokens(client.initiate(UserPasswordAuth::new("alice", "pw")).await);
        assert!(matches!(
            client.confirm_device(&tokens, "x").await,
            Err(Error::NotOffered { .. })
        ));
    }

    fn expect_tokens(outcome: Result<AfterPassword, Error>) -> Tokens {
        match outcome.unwrap() {
            AfterPassword::Authenticated(tokens) => tokens,
            other => panic!("expected tokens, got {other:?}"),
        }
    }

    /// Cognito's half of SRP for one device: `B = k·v + g^b`, then `S = (A·v^u)^b`.
    struct DeviceServer {
        n: BigNum,
        v: BigNum,
        b: BigNum,
        big_b: BigNum,
    }

    fn pad(x: &BigNumRef) -> Vec<u8> {
        let bytes = x.to_vec();
        if bytes.first().is_none_or(|top| *top >= 0x80) {
            [&[0][..], &bytes].concat()
        } else {
            bytes
        }
    }

    fn hash(parts: &[&[u8]]) -> BigNum {
        let mut digest = Sha256::new();
        for part in parts {
            digest.update(part);
        }
        BigNum::from_slice(&digest.finalize()).unwrap()
    }

    fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    impl DeviceServer {
        #[allow(clippy::many_single_char_names)] // SRP's own names
        fn new(verifier_base64: &str) -> Self {
            let mut ctx = BigNumContext::new().unwrap();
            let n = BigNum::get_rfc3526_prime_3072().unwrap();
            let g = BigNum::from_u32(2).unwrap();
            let k = hash(&[&pad(&n), &pad(&g)]);
            let v = BigNum::from_slice(&STANDARD.decode(verifier_base64).unwrap()).unwrap();
            let b = BigNum::from_slice(&[0x5e; 128]).unwrap();
            let (mut kv, mut gb, mut big_b) = (
                BigNum::new().unwrap(),
                BigNum::new().unwrap(),
                BigNum::new().unwrap(),
            );
            kv.mod_mul(&k, &v, &n, &mut ctx).unwrap();
            gb.mod_exp(&g, &b, &n, &mut ctx).unwrap();
            big_b.mod_add(&kv, &gb, &n, &mut ctx).unwrap();
            Self { n, v, b, big_b }
        }

        fn srp_b(&self) -> String {
            self.big_b.to_hex_str().unwrap().to_lowercase()
        }

        /// The signature the service expects for the client's `SRP_A`.
        fn expected_signature(&self, srp_a: &str, secret_block: &str, timestamp: &str) -> String {
            let mut ctx = BigNumContext::new().unwrap();
            let a = BigNum::from_hex_str(srp_a).unwrap();
            let u = hash(&[&pad(&a), &pad(&self.big_b)]);
            let (mut vu, mut base, mut s) = (
                BigNum::new().unwrap(),
                BigNum::new().unwrap(),
                BigNum::new().unwrap(),
            );
            vu.mod_exp(&self.v, &u, &self.n, &mut ctx).unwrap();
            base.mod_mul(&a, &vu, &self.n, &mut ctx).unwrap();
            s.mod_exp(&base, &self.b, &self.n, &mut ctx).unwrap();
            let key = &hmac(&hmac(&pad(&u), &pad(&s)), b"Caldera Derived Key\x01")[..16];
            let block = STANDARD.decode(secret_block).unwrap();
            let message = [
                GROUP_KEY.as_bytes(),
                DEVICE_KEY.as_bytes(),
                &block,
                timestamp.as_bytes(),
            ]
            .concat();
            STANDARD.encode(hmac(key, &message))
        }
    }

    #[tokio::test]
    async fn device_srp_is_answered_with_the_stored_credentials() {
        let credentials = DeviceCredentials {
            device_key: DEVICE_KEY.into(),
            device_group_key: GROUP_KEY.into(),
            device_password: Secret::new("ZGV2aWNlLXBhc3N3b3JkLWZyb20tY29uZmlybS1kZXZpY2U="),
        };
        let salt = [0xc4; 16];
        let registered = DeviceVerifier::from_parts(
            GROUP_KEY,
            DEVICE_KEY,
            credentials.device_password.expose(),
            &salt,
        )
        .unwrap();
        let server = DeviceServer::new(registered.verifier());
        let salt_hex = "00".to_owned() + &"c4".repeat(16);
        let block = "ZGV2aWNlLXNlY3JldC1ibG9jaw==";
        let script = Script::default()
            .answer("InitiateAuth", &challenge("DEVICE_SRP_AUTH", "S1", &json!({"USERNAME": "uuid-alice"})))
            .answer("RespondToAuthChallenge", &challenge("DEVICE_PASSWORD_VERIFIER", "S2", &json!({
                "USERNAME": "uuid-alice", "SALT": salt_hex, "SRP_B": server.srp_b(), "SECRET_BLOCK": block})))
            .answer("RespondToAuthChallenge", &tokens_answer())
            .answer("InitiateAuth", &tokens_answer());
        let client = client_with_secret(&script);
        let tokens = expect_tokens(
            client
                .initiate(UserPasswordAuth::new("alice@example.com", "pw").device(credentials))
                .await,
        );
        assert_eq!(
            tokens.device_key(),
            Some(DEVICE_KEY),
            "refresh must carry the device key"
        );

        let sent = script.sent();
        assert_eq!(sent[0].1["AuthParameters"]["DEVICE_KEY"], DEVICE_KEY);
        let (name, start) = &sent[1];
        assert_eq!(name, "RespondToAuthChallenge");
        assert_eq!(start["ChallengeName"], "DEVICE_SRP_AUTH");
        assert_eq!(start["Session"], "S1");
        let responses = &start["ChallengeResponses"];
        assert_eq!(responses["USERNAME"], "uuid-alice");
        assert_eq!(responses["DEVICE_KEY"], DEVICE_KEY);
        assert_eq!(responses["SECRET_HASH"], super::hash("uuid-alice"));
        let srp_a = responses["SRP_A"].as_str().unwrap();

        let proof = &sent[2].1;
        assert_eq!(proof["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
        assert_eq!(proof["Session"], "S2");
        let responses = &proof["ChallengeResponses"];
        assert_eq!(responses["DEVICE_KEY"], DEVICE_KEY);
        assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"], block);
        let timestamp = responses["TIMESTAMP"].as_str().unwrap();
        assert_eq!(
            responses["PASSWORD_CLAIM_SIGNATURE"],
            server.expected_signature(srp_a, block, timestamp)
        );
    }

    #[tokio::test]
    async fn a_forgotten_device_is_a_typed_error() {
        let script = Script::default().answer_status(
            "InitiateAuth",
            400,
            r#"{"__type": "ResourceNotFoundException", "message": "Device does not exist."}"#,
        );
        let credentials = DeviceCredentials {
            device_key: DEVICE_KEY.into(),
            device_group_key: GROUP_KEY.into(),
            device_password: Secret::new("pw"),
        };
        let err = client(&script)
            .initiate(UserSrpAuth::new("alice", "pw").device(credentials))
            .await
            .unwrap_err();
        assert!(err.is_unknown_device(), "{err:?}");
    }
}

/// The account around a sign-in, on the wire: sign-up, confirmation (retried), the auto
/// sign-in with the confirmation's session, reset, and the signed-in calls.
mod account {
    use cognito_typestate::ServiceError;
    use cognito_typestate::account::{
        MfaPreference, MfaSetting, PendingConfirmation, PendingReset, SignUp, SignUpOutcome,
    };
    use cognito_typestate::challenges::{DeliveryMedium, FirstFactorOutcome};
    use cognito_typestate::flows::AutoSignIn;
    use cognito_typestate::handler::{Handle, ResetAnswer, ResetCode, SignUpCode};
    use cognito_typestate::{Rejected, Tokens};

    use super::*;

    fn code_mismatch() -> &'static str {
        r#"{"__type":"CodeMismatchException","message":"Invalid verification code provided, please try again."}"#
    }

    #[tokio::test]
    async fn sign_up_confirm_after_a_wrong_code_then_auto_sign_in_with_the_session() {
        let script = Script::default()
            .answer(
                "SignUp",
                &json!({"UserConfirmed": false, "UserSub": "sub-1", "Session": "SU1",
                        "CodeDeliveryDetails": {"Destination": "a***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}}),
            )
            .answer_status("ConfirmSignUp", 400, code_mismatch())
            .answer("ConfirmSignUp", &json!({"Session": "SU2"}))
            .answer("InitiateAuth", &tokens_answer());
        let client = client_with_secret(&script);
        let SignUpOutcome::ConfirmationRequired(pending) = client
            .sign_up(
                SignUp::new("alice")
                    .password("correct horse")
                    .attribute("email", "alice@example.com"),
            )
            .await
            .unwrap()
        else {
            panic!("expected a confirmation");
        };
        let delivery = pending.delivery().unwrap();
        assert_eq!(delivery.medium, Some(DeliveryMedium::Email));
        assert_eq!(delivery.destination.as_deref(), Some("a***@e***.com"));
        assert_eq!(
            script.last(),
            json!({"ClientId": CLIENT_ID, "SecretHash": hash("alice"), "Username": "alice",
                   "Password": "correct horse", "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}]})
        );
        let pending = match pending.confirm("000000").await {
            Err(Rejected::Retry { pending, error }) => {
                assert_eq!(error.kind(), ServiceErrorKind::CodeMismatch);
                pending
            }
            other => panic!("expected a retry, got {other:?}"),
        };
        assert_eq!(pending.attempt(), 2);
        let account = pending.confirm("123456").await.unwrap();
        assert_eq!(script.last()["Session"], "SU1");
        assert_eq!(script.last()["ConfirmationCode"], "123456");
        let auto = AutoSignIn::after(account).expect("the sign-up returned a session");
        let FirstFactorOutcome::Authenticated(_) = client.initiate(auto).await.unwrap() else {
            panic!("expected tokens");
        };
        // The auto sign-in is USER_AUTH with the session ConfirmSignUp returned.
        let initiate = script.last();
        assert_eq!(initiate["AuthFlow"], "USER_AUTH");
        assert_eq!(initiate["Session"], "SU2");
        assert_eq!(initiate["AuthParameters"]["USERNAME"], "alice");
        assert_eq!(initiate["AuthParameters"]["SECRET_HASH"], hash("alice"));
    }

    /// Answers codes from a list, noting why each earlier one was refused.
    struct Codes {
        codes: Vec<&'static str>,
        refused: Vec<ServiceErrorKind>,
    }

    impl cognito_typestate::handler::Handler for Codes {
        type Error = ();
    }

    impl Handle<SignUpCode> for Codes {
        async fn answer(&mut self, pending: &PendingConfirmation) -> Result<Secret, ()> {
            self.refused
                .extend(pending.rejection().map(ServiceError::kind));
            Ok(Secret::new(self.codes.remove(0)))
        }
    }

    impl Handle<ResetCode> for Codes {
        async fn answer(&mut self, pending: &PendingReset) -> Result<ResetAnswer, ()> {
            self.refused
                .extend(pending.rejection().map(ServiceError::kind));
            Ok(ResetAnswer::new(
                self.codes.remove(0),
                "a long new password",
            ))
        }
    }

    #[tokio::test]
    async fn handlers_are_asked_for_codes_and_an_expired_one_is_sent_again() {
        let script = Script::default()
            .answer("SignUp", &json!({"UserConfirmed": false}))
            .answer_status("ConfirmSignUp", 400, code_mismatch())
            .answer_status(
                "ConfirmSignUp",
                400,
                r#"{"__type":"ExpiredCodeException","message":"Invalid code provided, please request a code again."}"#,
            )
            .answer("ResendConfirmationCode", &json!({}))
            .answer("ConfirmSignUp", &json!({}))
            .answer("ForgotPassword", &json!({}))
            .answer_status("ConfirmForgotPassword", 400, code_mismatch())
            .answer("ConfirmForgotPassword", &json!({}));
        let client = client(&script);
        let mut codes = Codes {
            codes: vec!["1", "2", "3", "4", "5"],
            refused: Vec::new(),
        };
        let account = client
            .sign_up_with(SignUp::new("erin").password("pw"), &mut codes)
            .await
            .unwrap();
        assert_eq!(account.username(), "erin");
        client
            .reset_password_with("erin", &mut codes)
            .await
            .unwrap();
        assert_eq!(
            codes.refused,
            [
                ServiceErrorKind::CodeMismatch,
                ServiceErrorKind::ExpiredCode,
                ServiceErrorKind::CodeMismatch
            ]
        );
        let operations: Vec<String> = script.sent().into_iter().map(|(op, _)| op).collect();
        assert_eq!(
            operations,
            [
                "SignUp",
                "ConfirmSignUp",
                "ConfirmSignUp",
                "ResendConfirmationCode",
                "ConfirmSignUp",
                "ForgotPassword",
                "ConfirmForgotPassword",
                "ConfirmForgotPassword"
            ]
        );
    }

    #[tokio::test]
    async fn a_reset_takes_a_code_and_a_password_again_until_both_are_accepted() {
        let script = Script::default()
            .answer(
                "ForgotPassword",
                &json!({"CodeDeliveryDetails": {"Destination": "+*******0123", "DeliveryMedium": "SMS", "AttributeName": "phone_number"}}),
            )
            .answer_status(
                "ConfirmForgotPassword",
                400,
                r#"{"__type":"InvalidPasswordException","message":"Password does not conform to policy"}"#,
            )
            .answer("ConfirmForgotPassword", &json!({}));
        let client = client(&script);
        let reset = client.forgot_password("bob").await.unwrap();
        assert_eq!(reset.delivery().unwrap().medium, Some(DeliveryMedium::Sms));
        let reset = match reset.confirm("123456", "short").await {
            Err(Rejected::Retry { pending, error }) => {
                assert_eq!(error.kind(), ServiceErrorKind::InvalidPassword);
                pending
            }
            other => panic!("expected a retry, got {other:?}"),
        };
        reset.confirm("123456", "a much longer one").await.unwrap();
        assert_eq!(
            script.last(),
            json!({"ClientId": CLIENT_ID, "Username": "bob", "ConfirmationCode": "123456", "Password": "a much longer one"})
        );
    }

    #[tokio::test]
    async fn a_wrong_password_at_sign_in_hands_over_to_the_reset_or_the_confirmation() {
        let script = Script::default()
            .answer_status(
                "InitiateAuth",
                400,
                r#"{"__type":"PasswordResetRequiredException","message":"Password reset required for the user"}"#,
            )
            .answer_status(
                "InitiateAuth",
                400,
                r#"{"__type":"UserNotConfirmedException","message":"User is not confirmed."}"#,
            )
            .answer("ConfirmSignUp", &json!({}));
        let client = client(&script);
        let err = client
            .initiate(UserPasswordAuth::new("carl", "pw"))
            .await
            .unwrap_err();
        assert!(err.is_password_reset_required());
        // The administrator's reset sent the code: nothing is sent to start this one.
        let reset = client.reset_required("carl");
        assert_eq!((reset.username(), reset.delivery()), ("carl", None));
        assert_eq!(script.sent().len(), 1);

        let err = client
            .initiate(UserPasswordAuth::new("dora", "pw"))
            .await
            .unwrap_err();
        assert!(err.is_user_not_confirmed());
        let account = client
            .pending_confirmation("dora")
            .confirm("654321")
            .await
            .unwrap();
        // Confirmed elsewhere than at sign-up: no session, so no auto sign-in.
        assert!(!account.can_sign_in_automatically());
        assert!(AutoSignIn::after(account).is_none());
    }

    #[tokio::test]
    async fn signed_in_calls_send_the_access_token_and_sign_out_takes_the_tokens() {
        let script = Script::default()
            .answer("InitiateAuth", &tokens_answer())
            .answer("ChangePassword", &json!({}))
            .answer("SetUserMFAPreference", &json!({}))
            .answer("ForgetDevice", &json!({}))
            .answer("RevokeToken", &json!({}));
        let client = client_with_secret(&script);
        let AfterPassword::Authenticated(tokens) = client
            .initiate(UserPasswordAuth::new("u", "p"))
            .await
            .unwrap()
        else {
            panic!()
        };
        client.change_password(&tokens, "p", "p2").await.unwrap();
        assert_eq!(
            script.last(),
            json!({"AccessToken": "at", "PreviousPassword": "p", "ProposedPassword": "p2"})
        );
        let preference = MfaPreference::new()
            .software_token(MfaSetting::Preferred)
            .sms(MfaSetting::Disabled);
        client
            .set_mfa_preference(&tokens, preference)
            .await
            .unwrap();
        assert_eq!(
            script.last(),
            json!({"AccessToken": "at", "SMSMfaSettings": {"Enabled": false, "PreferredMfa": false},
                   "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}})
        );
        client.forget_device(&tokens, "dev-1").await.unwrap();
        assert_eq!(
            script.last(),
            json!({"AccessToken": "at", "DeviceKey": "dev-1"})
        );
        let tokens: Tokens = tokens;
        client.revoke(tokens).await.unwrap();
        assert_eq!(
            script.last(),
            json!({"Token": "rt", "ClientId": CLIENT_ID, "ClientSecret": SECRET})
        );
    }
}

/// A passkey sign-in on the wire: typed request options in, the typed assertion out as
/// the `CREDENTIAL` JSON string.
#[tokio::test]
async fn a_web_authn_challenge_reads_typed_options_and_sends_the_assertion_as_json() {
    use cognito_typestate::challenges::{FirstFactor, FirstFactorOutcome, WebAuthnCredential};
    use cognito_typestate::flows::UserAuth;
    use cognito_typestate::webauthn::{AuthenticationResponse, UserVerification};

    let options = json!({"challenge": "Y2hhbGxlbmdl", "timeout": 180_000, "rpId": "auth.example.com",
        "allowCredentials": [{"type": "public-key", "id": "AQID", "transports": []}],
        "userVerification": "required"});
    let script = Script::default()
        .answer(
            "InitiateAuth",
            &challenge(
                "WEB_AUTHN",
                "S1",
                &json!({"CREDENTIAL_REQUEST_OPTIONS": options.to_string()}),
            ),
        )
        .answer("RespondToAuthChallenge", &tokens_answer());
    let client = client(&script);
    let FirstFactorOutcome::WebAuthn(pending) = client
        .initiate(UserAuth::new("pat").prefer(FirstFactor::WebAuthn))
        .await
        .unwrap()
    else {
        panic!("expected WEB_AUTHN");
    };
    let asked = &pending.challenge().request_options;
    assert_eq!(asked.challenge.as_bytes(), b"challenge");
    assert_eq!(asked.rp_id.as_deref(), Some("auth.example.com"));
    assert_eq!(asked.user_verification, Some(UserVerification::Required));
    let assertion: AuthenticationResponse = serde_json::from_value(json!({
        "id": "AQID", "rawId": "AQID", "type": "public-key",
        "response": {"clientDataJSON": "Y2Q", "authenticatorData": "YWQ", "signature": "c2ln"}}))
    .unwrap();
    let AfterMfa::Authenticated(_) = pending
        .respond(WebAuthnCredential::from_response(&assertion))
        .await
        .unwrap()
    else {
        panic!("expected tokens");
    };
    let sent = script.last();
    assert_eq!(sent["ChallengeName"], "WEB_AUTHN");
    let credential: Value =
        serde_json::from_str(sent["ChallengeResponses"]["CREDENTIAL"].as_str().unwrap()).unwrap();
    assert_eq!(credential["response"]["signature"], "c2ln");
    assert_eq!(credential["clientExtensionResults"], json!({}));
}

/// Passkey management on the wire: the creation options typed in, the credential sent as
/// a JSON object (not a string), every page listed, and `WebAuthn*` rejections typed.
#[tokio::test]
async fn passkeys_register_list_every_page_and_delete() {
    use cognito_typestate::webauthn::RegistrationResponse;

    let creation = json!({"rp": {"id": "auth.example.com", "name": "Example"},
        "user": {"id": "dXNlcg", "name": "pat", "displayName": "pat"},
        "challenge": "Y2hhbGxlbmdl", "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        "excludeCredentials": [{"type": "public-key", "id": "AQID"}]});
    let script = Script::default()
        .answer("InitiateAuth", &tokens_answer())
        .answer(
            "StartWebAuthnRegistration",
            &json!({"CredentialCreationOptions": creation}),
        )
        .answer("CompleteWebAuthnRegistration", &json!({}))
        .answer(
            "ListWebAuthnCredentials",
            &json!({"Credentials": [{"CredentialId": "AQID", "FriendlyCredentialName": "laptop",
                "RelyingPartyId": "auth.example.com", "AuthenticatorAttachment": "platform",
                "AuthenticatorTransports": ["internal"], "CreatedAt": 1.7e9}],
                "NextToken": "page-2"}),
        )
        .answer(
            "ListWebAuthnCredentials",
            &json!({"Credentials": [{"CredentialId": "BAUG", "RelyingPartyId": "auth.example.com",
                "AuthenticatorTransports": [], "CreatedAt": 1.8e9}]}),
        )
        .answer("DeleteWebAuthnCredential", &json!({}))
        .answer("StartWebAuthnRegistration", &json!({}))
        .answer_status(
            "StartWebAuthnRegistration",
            400,
            r#"{"__type": "WebAuthnNotEnabledException", "message": "not enabled"}"#,
        );
    let client = client(&script);
    let tokens = signed_in(&client).await;

    let registration = client.start_passkey_registration(&tokens).await.unwrap();
    assert_eq!(script.last(), json!({"AccessToken": "at"}));
    let options = registration.options();
    assert_eq!(options.challenge.as_bytes(), b"challenge");
    assert_eq!(options.exclude_credentials.len(), 1);
    assert!(
        !format!("{registration:?}").contains("\"at\""),
        "{registration:?}"
    );
    let credential: RegistrationResponse = serde_json::from_value(json!({
        "id": "BAUG", "rawId": "BAUG", "type": "public-key",
        "response": {"clientDataJSON": "Y2Q", "attestationObject": "YW8", "transports": ["internal"]}}))
    .unwrap();
    registration.complete(credential).await.unwrap();
    let sent = script.last();
    assert_eq!(sent["AccessToken"], "at");
    assert!(sent["Credential"].is_object(), "{sent}");
    assert_eq!(sent["Credential"]["response"]["attestationObject"], "YW8");

    let passkeys = client.list_passkeys(&tokens).await.unwrap();
    let ids: Vec<_> = passkeys.iter().map(|p| p.credential_id.as_str()).collect();
    assert_eq!(ids, ["AQID", "BAUG"]);
    assert_eq!(
        passkeys[0].friendly_credential_name.as_deref(),
        Some("laptop")
    );
    assert_eq!(passkeys[0].authenticator_transports, ["internal"]);
    assert_eq!(
        script.last(),
        json!({"AccessToken": "at", "NextToken": "page-2"})
    );

    client.delete_passkey(&tokens, "AQID").await.unwrap();
    assert_eq!(
        script.last(),
        json!({"AccessToken": "at", "CredentialId": "AQID"})
    );

    // No options in the answer: a typed protocol error, not a panic or a default.
    let err = client
        .start_passkey_registration(&tokens)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err:?}");
    let err = client
        .start_passkey_registration(&tokens)
        .await
        .unwrap_err();
    assert_eq!(
        err.service_kind(),
        Some(ServiceErrorKind::WebAuthnNotEnabled)
    );
}

/// A server that always has another page ends the listing with a typed error after a
/// bounded number of calls instead of looping forever.
#[tokio::test]
async fn a_listing_that_never_ends_is_a_protocol_error() {
    let mut script = Script::default().answer("InitiateAuth", &tokens_answer());
    for _ in 0..100 {
        script = script.answer(
            "ListWebAuthnCredentials",
            &json!({"Credentials": [], "NextToken": "again"}),
        );
    }
    let client = client(&script);
    let tokens = signed_in(&client).await;
    let err = client.list_passkeys(&tokens).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Protocol(ProtocolError::EndlessPages { pages: 100, .. })
        ),
        "{err:?}"
    );
    assert_eq!(script.sent().len(), 101);
}

/// Tokens from a password sign-in the script answers with tokens.
async fn signed_in(client: &Client) -> Tokens {
    let AfterPassword::Authenticated(tokens) = client
        .initiate(UserPasswordAuth::new("pat", "p"))
        .await
        .unwrap()
    else {
        panic!("expected tokens");
    };
    tokens
}
