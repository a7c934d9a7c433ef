//! No secret in any log: with a subscriber capturing every `tracing` event and span
//! (fields included) at TRACE, and every `log` record, full sign-ins of every flow run
//! against the emulator; no password, code, session, token, client secret, device
//! password, `SECRET_HASH` or SRP value (`SRP_A`, the claim signature) may appear in a
//! captured line, nor in the `Debug` or `Display` of any value or error met on the way.
//!
//! The secrets are the ones the test chose (passwords, TOTP secrets, the client secret)
//! and every secret-bearing value that crossed the wire, read from the requests and
//! answers by a recording transport around the default one.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cognito_typestate::challenges::{
    AfterCustomChallenge, AfterMfa, AfterMfaSetup, AfterNewPassword, AfterPassword, CustomAnswer,
    EmailOtpCode, FirstFactorOutcome, NewPassword, SmsMfaCode, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::{
    CustomAuth as CustomAuthFlow, RefreshTokenAuth, TokensFromRefreshToken, UserAuth, UserAuthSrp,
    UserPasswordAuth, UserSrpAuth,
};
use cognito_typestate::{
    BoxFuture, Client, HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
use cognito_typestate_emulator::{
    AppClientConfig, DeviceTracking, Emulator, Mfa, MfaMethod, PoolConfig, QuestionChallenge,
    UserConfig,
};
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

// ---------------------------------------------------------------------------------
// Capturing everything.

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn capture(line: String) {
    LINES.lock().unwrap().push(line);
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let _ = write!(self.0, " {}={value} ({value:?})", field.name());
    }
}

/// A subscriber that keeps every span (with its fields and later records) and every
/// event, at every level, from every crate.
struct Everything {
    next_id: AtomicU64,
}

impl Subscriber for Everything {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::always()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let meta = span.metadata();
        let mut fields = Fields(format!(
            "span {} {} {}:",
            meta.level(),
            meta.target(),
            meta.name()
        ));
        span.record(&mut fields);
        capture(fields.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields(format!("span-record {}:", span.into_u64()));
        values.record(&mut fields);
        capture(fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        let mut fields = Fields(format!(
            "event {} {} {}:",
            meta.level(),
            meta.target(),
            meta.name()
        ));
        event.record(&mut fields);
        capture(fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Every `log` record too (HTTP crates log through `log`).
struct LogEverything;

impl log::Log for LogEverything {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        capture(format!(
            "log {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {}
}

fn install() {
    tracing::subscriber::set_global_default(Everything {
        next_id: AtomicU64::new(1),
    })
    .expect("the only subscriber of this test binary");
    log::set_logger(&LogEverything).expect("the only logger of this test binary");
    log::set_max_level(log::LevelFilter::Trace);
}

// ---------------------------------------------------------------------------------
// What crossed the wire.

/// The default transport, recording every body; it can also answer the next
/// `InitiateAuth` with a throttling error once (to make the client retry and log it).
#[derive(Clone)]
struct Recording {
    inner: ReqwestTransport,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    throttle_once: Arc<AtomicBool>,
}

impl Transport for Recording {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            self.bodies.lock().unwrap().push(request.body.to_vec());
            if request.operation == "InitiateAuth"
                && self.throttle_once.swap(false, Ordering::SeqCst)
            {
                return Ok(HttpResponse {
                    status: 400,
                    content_type: Some("application/x-amz-json-1.1".into()),
                    error_type: None,
                    retry_after: None,
                    body: br#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#
                        .to_vec(),
                });
            }
            let response = self.inner.send(request).await?;
            self.bodies.lock().unwrap().push(response.body.clone());
            Ok(response)
        })
    }
}

/// The keys whose values are secrets, wherever they appear in a request or answer.
const SECRET_KEYS: &[&str] = &[
    "PASSWORD",
    "NEW_PASSWORD",
    "SRP_A",
    "PASSWORD_CLAIM_SIGNATURE",
    "SMS_MFA_CODE",
    "SOFTWARE_TOKEN_MFA_CODE",
    "EMAIL_OTP_CODE",
    "SMS_OTP_CODE",
    "ANSWER",
    "REFRESH_TOKEN",
    "SECRET_HASH",
    "Session",
    "UserCode",
    "AccessToken",
    "IdToken",
    "RefreshToken",
    "SecretCode",
    "ClientSecret",
];

/// Answers to `SELECT_CHALLENGE` and `SELECT_MFA_TYPE` are names, not secrets.
const PUBLIC_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWORD_SRP",
    "EMAIL_OTP",
    "SMS_OTP",
    "WEB_AUTHN",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
];

fn collect_secrets(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                if let Some(text) = value.as_str()
                    && SECRET_KEYS.contains(&key.as_str())
                    && !PUBLIC_WORDS.contains(&text)
                {
                    out.push(text.to_owned());
                }
                collect_secrets(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_secrets(v, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------
// The sign-ins.

const PASSWORD: &str = "Pw-Zq7Xv9Kw2Lm4!";
const TEMPORARY: &str = "Tmp-Jx8Qv3Zr6Wn1!";
const NEW_PASSWORD: &str = "New-Kv5Zq9Xj2Rw7!";
const ANSWER: &str = "Ans-Qz7Kx3Vw9";
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ";

fn totp_now(secret: &str) -> String {
    let key = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .unwrap();
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key)
        .generate_current()
        .unwrap()
}

/// A code that is not the current one.
fn wrong_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!(
        "{:0width$}",
        (n + 500_000) % 10u32.pow(code.len() as u32),
        width = code.len()
    )
}

/// Everything printed: `Debug` and `Display` of every value and error met.
#[derive(Default)]
struct Shown(Vec<(String, String)>);

impl Shown {
    fn debug(&mut self, what: &str, value: &impl fmt::Debug) {
        self.0.push((what.to_owned(), format!("{value:?}")));
        self.0.push((what.to_owned(), format!("{value:#?}")));
    }

    fn error(&mut self, what: &str, error: &(impl fmt::Debug + fmt::Display)) {
        self.debug(what, error);
        self.0.push((what.to_owned(), error.to_string()));
    }
}

fn client_for(
    pool: &str,
    app: &cognito_typestate_emulator::AppClientInfo,
    recording: &Recording,
) -> Client {
    let mut builder = Client::builder(&app.id)
        .user_pool_id(pool)
        .transport(recording.clone());
    if let Some(secret) = &app.secret {
        builder = builder.client_secret(secret.as_str());
    }
    builder.build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one story: every flow, in order
async fn no_secret_reaches_a_log_or_a_printed_value() {
    install();
    tracing::info!(canary = "capture-check", "the subscriber is installed");
    log::info!("log-capture-check");

    let emulator = Emulator::start().await.unwrap();
    let pool = emulator
        .create_pool(PoolConfig {
            mfa: Mfa::Optional,
            device_tracking: DeviceTracking::Always,
            custom_challenge: Some(QuestionChallenge {
                question: "the answer?".into(),
                answer: ANSWER.into(),
                attempts: 3,
                require_password: false,
            }),
            ..PoolConfig::default()
        })
        .unwrap();
    let app = pool
        .create_client(AppClientConfig::new("server").with_secret())
        .unwrap();
    let strict = emulator
        .create_pool(PoolConfig {
            mfa: Mfa::On,
            mfa_methods: vec![MfaMethod::SoftwareToken],
            ..PoolConfig::default()
        })
        .unwrap();
    let strict_app = strict
        .create_client(AppClientConfig::new("web").with_secret())
        .unwrap();
    pool.create_user(
        UserConfig::new("alice")
            .password(PASSWORD)
            .totp_secret(TOTP_SECRET),
    )
    .unwrap();
    pool.create_user(UserConfig::new("bob").temporary_password(TEMPORARY))
        .unwrap();
    pool.create_user(
        UserConfig::new("sam")
            .password(PASSWORD)
            .attribute("phone_number", "+15555550123")
            .mfa(MfaMethod::Sms),
    )
    .unwrap();
    pool.create_user(
        UserConfig::new("pat")
            .password(PASSWORD)
            .attribute("email", "pat@example.com"),
    )
    .unwrap();
    pool.create_user(UserConfig::new("quinn")).unwrap();
    strict
        .create_user(UserConfig::new("mia").password(PASSWORD))
        .unwrap();

    let recording = Recording {
        inner: ReqwestTransport::new(emulator.endpoint(), Duration::from_secs(30)).unwrap(),
        bodies: Arc::default(),
        throttle_once: Arc::default(),
    };
    let client = client_for(pool.id(), &app, &recording);
    let strict_client = client_for(strict.id(), &strict_app, &recording);
    let mut shown = Shown::default();
    let mut secrets: Vec<String> = [PASSWORD, TEMPORARY, NEW_PASSWORD, ANSWER, TOTP_SECRET]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    secrets.extend(app.secret.clone());
    secrets.extend(strict_app.secret.clone());
    shown.debug("Client", &client);

    // USER_SRP_AUTH, throttled once (the client retries and logs it), then TOTP: a wrong
    // code is refused and the same challenge answered again.
    recording.throttle_once.store(true, Ordering::SeqCst);
    let first = client
        .initiate(UserSrpAuth::new("alice", PASSWORD))
        .await
        .unwrap();
    shown.debug("AfterPassword (alice)", &first);
    let AfterPassword::SoftwareTokenMfa(pending) = first else {
        panic!("expected SOFTWARE_TOKEN_MFA")
    };
    secrets.push(session_of(&pending));
    let code = totp_now(TOTP_SECRET);
    let rejected = pending
        .respond(SoftwareTokenMfaCode::new(wrong_code(&code)))
        .await
        .unwrap_err();
    shown.error("Rejected (wrong TOTP code)", &rejected);
    let pending = rejected
        .into_retry()
        .expect("a wrong code keeps the challenge");
    shown.debug("Pending<SoftwareTokenMfa> after a refusal", &pending);
    let after = pending
        .respond(SoftwareTokenMfaCode::new(code))
        .await
        .unwrap();
    shown.debug("AfterMfa (alice)", &after);
    let AfterMfa::Authenticated(alice) = after else {
        panic!("expected tokens")
    };
    shown.debug("Tokens (alice)", &alice);

    // A wrong password.
    let wrong = client
        .initiate(UserSrpAuth::new("alice", "Wrong-Pw-Xq8Zk!"))
        .await
        .unwrap_err();
    shown.error("Error (wrong password, SRP)", &wrong);
    let wrong = client
        .initiate(UserPasswordAuth::new("alice", "Wrong-Pw-Xq8Zk!"))
        .await
        .unwrap_err();
    shown.error("Error (wrong password)", &wrong);

    // The remembered device: confirmed, then DEVICE_SRP_AUTH answered by the client.
    let device = client.confirm_device(&alice, "laptop").await.unwrap();
    shown.debug("RememberedDevice", &device);
    let credentials = device.into_credentials();
    secrets.push(credentials.device_password.expose().to_owned());
    let with_device = client
        .initiate(UserSrpAuth::new("alice", PASSWORD).device(credentials.clone()))
        .await
        .unwrap();
    shown.debug("AfterPassword (device)", &with_device);
    let AfterPassword::Authenticated(by_device) = with_device else {
        panic!("a remembered device skips MFA")
    };

    // Refresh, both ways.
    let refreshed = client
        .initiate(RefreshTokenAuth::from_tokens(&by_device).unwrap())
        .await
        .unwrap();
    shown.debug("Tokens (REFRESH_TOKEN_AUTH)", &refreshed);
    let refreshed = client
        .initiate(TokensFromRefreshToken::from_tokens(&by_device).unwrap())
        .await
        .unwrap();
    shown.debug("Tokens (GetTokensFromRefreshToken)", &refreshed);

    // USER_PASSWORD_AUTH with a temporary password: NEW_PASSWORD_REQUIRED.
    let first = client
        .initiate(UserPasswordAuth::new("bob", TEMPORARY))
        .await
        .unwrap();
    shown.debug("AfterPassword (bob)", &first);
    let AfterPassword::NewPasswordRequired(pending) = first else {
        panic!("expected NEW_PASSWORD_REQUIRED")
    };
    secrets.push(session_of(&pending));
    let detached = pending.detach();
    shown.debug("Detached<NewPasswordRequired>", &detached);
    let pending = detached.attach(&client).unwrap();
    let rejected = pending
        .respond(NewPassword::new("short"))
        .await
        .unwrap_err();
    shown.error("Rejected (weak new password)", &rejected);
    let pending = rejected
        .into_retry()
        .expect("a refused new password keeps the challenge");
    let after = pending
        .respond(NewPassword::new(NEW_PASSWORD))
        .await
        .unwrap();
    shown.debug("AfterNewPassword", &after);
    let AfterNewPassword::Authenticated(_) = after else {
        panic!("expected tokens")
    };

    // SMS MFA with a code from the outbox; a wrong code first.
    let AfterPassword::SmsMfa(pending) = client
        .initiate(UserPasswordAuth::new("sam", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected SMS_MFA")
    };
    shown.debug("Pending<SmsMfa>", &pending);
    let code = pool.last_code("sam").unwrap();
    secrets.push(code.clone());
    let rejected = pending
        .respond(SmsMfaCode::new(wrong_code(&code)))
        .await
        .unwrap_err();
    shown.error("Rejected (wrong SMS code)", &rejected);
    let pending = rejected
        .into_retry()
        .expect("a wrong code keeps the challenge");
    let after = pending.respond(SmsMfaCode::new(code)).await.unwrap();
    shown.debug("AfterMfa (sam)", &after);

    // CUSTOM_AUTH: a wrong answer gets the question again.
    let AfterCustomChallenge::CustomChallenge(ask) = client
        .initiate(CustomAuthFlow::<AfterCustomChallenge>::new("quinn"))
        .await
        .unwrap()
    else {
        panic!("expected CUSTOM_CHALLENGE")
    };
    shown.debug("Pending<CustomChallenge>", &ask);
    let again = ask.respond(CustomAnswer::new("Not-It-Zq4")).await.unwrap();
    shown.debug("AfterCustomChallenge (wrong answer)", &again);
    let AfterCustomChallenge::CustomChallenge(ask) = again else {
        panic!("expected CUSTOM_CHALLENGE again")
    };
    let done = ask.respond(CustomAnswer::new(ANSWER)).await.unwrap();
    shown.debug("AfterCustomChallenge", &done);

    // USER_AUTH: an e-mailed code as the first factor; then the password in one call;
    // then PASSWORD_SRP.
    let FirstFactorOutcome::SelectChallenge(select) =
        client.initiate(UserAuth::new("pat")).await.unwrap()
    else {
        panic!("expected SELECT_CHALLENGE")
    };
    shown.debug("Pending<SelectChallenge>", &select);
    let choice = select.challenge().email_otp().unwrap();
    let FirstFactorOutcome::EmailOtp(otp) = select.respond(choice).await.unwrap() else {
        panic!("expected EMAIL_OTP")
    };
    let code = pool.last_code("pat").unwrap();
    secrets.push(code.clone());
    let after = otp.respond(EmailOtpCode::new(code)).await.unwrap();
    shown.debug("AfterMfa (pat)", &after);
    let with_password = client
        .initiate(UserAuth::with_password("pat", PASSWORD))
        .await
        .unwrap();
    shown.debug("FirstFactorOutcome (password)", &with_password);
    let srp = client
        .initiate(UserAuthSrp::new("pat", PASSWORD))
        .await
        .unwrap();
    shown.debug("AfterPassword (USER_AUTH with SRP)", &srp);
    let wrong = client
        .initiate(UserAuthSrp::new("pat", "Wrong-Pw-Xq8Zk!"))
        .await
        .unwrap_err();
    shown.error("Error (wrong password, USER_AUTH SRP)", &wrong);

    // MFA_SETUP: the authenticator app is set up, with a wrong code first.
    let AfterPassword::MfaSetup(pending) = strict_client
        .initiate(UserSrpAuth::new("mia", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected MFA_SETUP")
    };
    shown.debug("Pending<MfaSetup>", &pending);
    let setup = pending.associate_software_token().await.unwrap();
    shown.debug("TotpSetup", &setup);
    shown.debug("otpauth URI", &setup.otpauth_uri("Acme"));
    let secret = setup.secret_code().expose().to_owned();
    secrets.push(secret.clone());
    let code = totp_now(&secret);
    let rejected = setup
        .verify(wrong_code(&code), Some("phone"))
        .await
        .unwrap_err();
    shown.error("Rejected<TotpSetup> (wrong code)", &rejected);
    let setup = rejected
        .into_retry()
        .expect("a wrong code keeps the set-up");
    let after = setup.verify(code, Some("phone")).await.unwrap();
    shown.debug("AfterMfaSetup", &after);
    let AfterMfaSetup::Authenticated(_) = after else {
        panic!("expected tokens")
    };

    // Every secret-bearing value that crossed the wire.
    for body in recording.bodies.lock().unwrap().iter() {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            collect_secrets(&value, &mut secrets);
        }
    }
    secrets.retain(|s| s.len() >= 6);
    secrets.sort();
    secrets.dedup();
    assert!(
        secrets.len() > 40,
        "the recording saw too few secrets: {}",
        secrets.len()
    );
    for key in [
        "SRP_A",
        "PASSWORD_CLAIM_SIGNATURE",
        "Session",
        "AccessToken",
        "RefreshToken",
        "SECRET_HASH",
    ] {
        assert!(
            recording
                .bodies
                .lock()
                .unwrap()
                .iter()
                .any(|b| String::from_utf8_lossy(b).contains(key)),
            "no {key} crossed the wire"
        );
    }

    let lines = LINES.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.contains("capture-check")),
        "the subscriber captured nothing"
    );
    assert!(
        lines.iter().any(|l| l.contains("log-capture-check")),
        "the logger captured nothing"
    );
    assert!(
        lines.iter().any(|l| l.contains(" cognito_typestate")),
        "the client's retry was not logged: {lines:#?}"
    );
    eprintln!(
        "checked {} secrets against {} captured log lines and {} printed values",
        secrets.len(),
        lines.len(),
        shown.0.len()
    );
    if std::env::var_os("SHOW_CAPTURED").is_some() {
        for line in &lines {
            eprintln!("{line}");
        }
    }
    let mut leaks = Vec::new();
    for secret in &secrets {
        for line in &lines {
            if line.contains(secret.as_str()) {
                leaks.push(format!("log line shows {secret:?}: {line}"));
            }
        }
        for (what, text) in &shown.0 {
            if text.contains(secret.as_str()) {
                leaks.push(format!("{what} shows {secret:?}: {text}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

/// The session a pending state holds (its serialised form is the only public view).
fn session_of(pending: &impl serde::Serialize) -> String {
    let value = serde_json::to_value(pending).unwrap();
    value["session"].as_str().unwrap_or_default().to_owned()
}
