//! The spans the crate documents ("Tracing" in its docs), read through a registry layer
//! while signing in against the emulator: their names, levels, fields and nesting, a
//! mistyped code counted as attempt 1 and the right one as attempt 2, the outcome of each
//! step, and a handler-driven sign-in around its steps.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use cognito_typestate::challenges::{
    AfterMfa, AfterPassword, SoftwareTokenMfa, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::{UserPasswordAuth, UserSrpAuth};
use cognito_typestate::handler::{Handle, Handler};
use cognito_typestate::{Outcome, Pending, Rejected, Tokens};
use cognito_typestate_emulator::{Mfa, MfaMethod, PoolConfig, UserConfig};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

mod common;
#[path = "support/setup.rs"]
mod setup;

use setup::Setup;

const PASSWORD: &str = "Corr3ct-horse!";
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A closed span: its name, level, fields and its parent's name.
#[derive(Debug, Clone)]
struct Closed {
    name: &'static str,
    level: Level,
    fields: BTreeMap<&'static str, String>,
    parent: Option<&'static str>,
}

impl Closed {
    fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or_else(
            || panic!("{} has no `{name}`: {self:?}", self.name),
            String::as_str,
        )
    }
}

#[derive(Default)]
struct Fields(BTreeMap<&'static str, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }
}

/// Keeps every `cognito.*` span as it closes, in order.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<Closed>>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        ctx.span(id).unwrap().extensions_mut().insert(fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).unwrap();
        let mut extensions = span.extensions_mut();
        values.record(extensions.get_mut::<Fields>().unwrap());
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let span = ctx.span(&id).unwrap();
        if !span.name().starts_with("cognito.") {
            return;
        }
        let fields = span.extensions_mut().remove::<Fields>().unwrap().0;
        self.0.lock().unwrap().push(Closed {
            name: span.name(),
            level: *span.metadata().level(),
            fields,
            parent: span.parent().map(|p| p.name()),
        });
    }
}

impl Spans {
    /// Runs `signing_in` under a subscriber of its own; the spans it closed.
    async fn of<F: Future>(signing_in: F) -> (F::Output, Vec<Closed>) {
        let spans = Self::default();
        let subscriber = tracing_subscriber::registry().with(spans.clone());
        let _guard = tracing::subscriber::set_default(subscriber);
        let output = signing_in.await;
        let closed = spans.0.lock().unwrap().clone();
        (output, closed)
    }
}

fn totp_now() -> String {
    let secret = totp_rs::Secret::Encoded(TOTP_SECRET.into())
        .to_bytes()
        .unwrap();
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, secret)
        .generate_current()
        .unwrap()
}

/// A pool that requires MFA, and alice with an authenticator app.
async fn totp_pool() -> Setup {
    let setup = Setup::pool(PoolConfig {
        mfa: Mfa::On,
        ..PoolConfig::default()
    })
    .await;
    let alice = UserConfig::new("alice")
        .password(PASSWORD)
        .totp_secret(TOTP_SECRET)
        .mfa(MfaMethod::SoftwareToken);
    setup.pool.create_user(alice).unwrap();
    setup
}

fn named<'a>(spans: &'a [Closed], name: &str) -> Vec<&'a Closed> {
    spans.iter().filter(|s| s.name == name).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn each_step_and_call_has_its_span_with_attempt_and_outcome() {
    let setup = totp_pool().await;
    let client = setup.client();
    let (codes, spans) = Spans::of(async {
        let flow = UserPasswordAuth::new("alice", PASSWORD);
        let AfterPassword::SoftwareTokenMfa(pending) = client.initiate(flow).await.unwrap() else {
            panic!("expected SOFTWARE_TOKEN_MFA");
        };
        let wrong = if totp_now() == "000000" {
            "111111"
        } else {
            "000000"
        };
        let Err(Rejected::Retry { pending, .. }) =
            pending.respond(SoftwareTokenMfaCode::new(wrong)).await
        else {
            panic!("a mistyped code keeps the challenge open");
        };
        let right = totp_now();
        let next = pending
            .respond(SoftwareTokenMfaCode::new(right.as_str()))
            .await;
        assert!(matches!(next, Ok(AfterMfa::Authenticated(_))));
        [wrong.to_owned(), right]
    })
    .await;

    let initiate = named(&spans, "cognito.initiate");
    assert_eq!(initiate.len(), 1, "{spans:#?}");
    assert_eq!(initiate[0].level, Level::INFO);
    assert_eq!(initiate[0].field("flow"), "USER_PASSWORD_AUTH");
    assert_eq!(initiate[0].field("outcome"), "SOFTWARE_TOKEN_MFA");

    let respond = named(&spans, "cognito.respond");
    let seen: Vec<_> = respond
        .iter()
        .map(|s| (s.field("challenge"), s.field("attempt"), s.field("outcome")))
        .collect();
    assert_eq!(
        seen,
        [
            ("SOFTWARE_TOKEN_MFA", "1", "CodeMismatchException"),
            ("SOFTWARE_TOKEN_MFA", "2", "tokens"),
        ]
    );

    // One call per step, inside it, sent once.
    let calls = named(&spans, "cognito.call");
    let operations: Vec<_> = calls
        .iter()
        .map(|c| (c.field("operation"), c.parent))
        .collect();
    assert_eq!(
        operations,
        [
            ("InitiateAuth", Some("cognito.initiate")),
            ("RespondToAuthChallenge", Some("cognito.respond")),
            ("RespondToAuthChallenge", Some("cognito.respond")),
        ]
    );
    let outcomes: Vec<_> = calls.iter().map(|c| c.field("outcome")).collect();
    assert_eq!(outcomes, ["ok", "CodeMismatchException", "ok"]);
    for call in &calls {
        assert_eq!(call.level, Level::DEBUG);
        assert_eq!(call.field("attempt"), "1");
    }
    for span in &spans {
        let ms: u64 = span.field("duration_ms").parse().unwrap();
        assert!(ms < 60_000, "{span:?}");
        // Nothing of the user's: no username, password or code in any field.
        let secrets = ["alice", PASSWORD, &codes[0], &codes[1]];
        for value in span.fields.values() {
            assert!(!secrets.iter().any(|s| value.contains(s)), "{span:?}");
        }
    }
}

/// What alice's sign-in can lead to in this pool.
#[derive(Debug, Outcome)]
enum TotpOnly {
    Authenticated(Tokens),
    SoftwareTokenMfa(Pending<SoftwareTokenMfa>),
}

/// Answers the authenticator-app code.
struct App;

impl Handler for App {
    type Error = std::convert::Infallible;
}

impl Handle<SoftwareTokenMfa> for App {
    async fn answer(
        &mut self,
        _: &Pending<SoftwareTokenMfa>,
    ) -> Result<SoftwareTokenMfaCode, Self::Error> {
        Ok(SoftwareTokenMfaCode::new(totp_now()))
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_handler_driven_sign_in_is_one_span_around_its_steps() {
    let setup = totp_pool().await;
    let client = setup.client();
    let (tokens, spans) = Spans::of(client.sign_in(
        UserSrpAuth::new("alice", PASSWORD).outcome::<TotpOnly>(),
        &mut App,
    ))
    .await;
    tokens.unwrap();

    let sign_in = named(&spans, "cognito.sign_in");
    assert_eq!(sign_in.len(), 1, "{spans:#?}");
    assert_eq!(sign_in[0].level, Level::INFO);
    assert_eq!(sign_in[0].field("flow"), "USER_SRP_AUTH");
    assert_eq!(sign_in[0].field("outcome"), "tokens");
    assert_eq!(sign_in[0].parent, None);
    // It closes last, around every step.
    assert_eq!(spans.last().unwrap().name, "cognito.sign_in");

    let steps: Vec<_> = spans
        .iter()
        .filter(|s| s.name != "cognito.call" && s.name != "cognito.sign_in")
        .map(|s| {
            let what = s
                .fields
                .get("challenge")
                .or_else(|| s.fields.get("flow"))
                .unwrap();
            (what.as_str(), s.field("outcome"), s.parent)
        })
        .collect();
    assert_eq!(
        steps,
        [
            (
                "USER_SRP_AUTH",
                "PASSWORD_VERIFIER",
                Some("cognito.sign_in")
            ),
            (
                "PASSWORD_VERIFIER",
                "SOFTWARE_TOKEN_MFA",
                Some("cognito.sign_in")
            ),
            ("SOFTWARE_TOKEN_MFA", "tokens", Some("cognito.sign_in")),
        ]
    );
}
