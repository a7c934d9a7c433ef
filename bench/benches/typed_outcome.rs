//! What the types cost at run time, in one run, each against the untyped way:
//!
//! - reading: one `InitiateAuth` answer (an `SMS_MFA` challenge, as HTTP delivered it)
//!   read into its typed outcome, a `Pending<SmsMfa>`, against the same bytes read into
//!   a JSON map;
//! - the whole exchange: the request written, sent through an in-memory transport and its
//!   answer read, by the library against the same done with JSON maps.
//!
//! The ratio typed / untyped is the overhead.
//!
//! `cargo bench -p cognito-typestate-bench --bench typed_outcome`

use std::hint::black_box;

use cognito_typestate::challenges::AfterPassword;
use cognito_typestate::flows::UserPasswordAuth;
use cognito_typestate::{BoxFuture, Client, HttpRequest, HttpResponse, Transport, TransportError};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};

/// An `SMS_MFA` challenge, as Cognito sends it.
const SMS_MFA: &str = r#"{"ChallengeName":"SMS_MFA","Session":"AYABeB0ex5wX2aHn4S2VFLm1cbAAAAAAAAAAAQAOQ29nbml0by1JZGVudGl0eQAAAAAAAAAJc2Vzc2lvbi1pZAAAAAAAAAAAAA","ChallengeParameters":{"CODE_DELIVERY_DELIVERY_MEDIUM":"SMS","CODE_DELIVERY_DESTINATION":"+*******0123","USER_ID_FOR_SRP":"alice"}}"#;

/// The answer as the transport hands it over.
fn answer(body: &str) -> HttpResponse {
    HttpResponse {
        status: 200,
        content_type: Some("application/x-amz-json-1.1".into()),
        error_type: None,
        retry_after: None,
        body: body.as_bytes().to_vec(),
    }
}

/// Answers every request with the same bytes.
struct Canned(&'static str);

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        black_box(&request.body);
        Box::pin(async move { Ok(answer(self.0)) })
    }
}

/// The untyped way: a JSON map in, a JSON map out.
async fn untyped(transport: &Canned) -> Map<String, Value> {
    let body = json!({
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": "client",
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Corr3ct-horse!"},
    });
    let request = HttpRequest {
        operation: "InitiateAuth",
        body: serde_json::to_vec(&body).unwrap().into(),
    };
    let response = transport.send(request).await.unwrap();
    serde_json::from_slice(&response.body).unwrap()
}

fn typed_against_untyped(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let client = Client::builder("client")
        .endpoint("http://127.0.0.1:9")
        .transport(Canned(SMS_MFA))
        .build()
        .unwrap();
    let transport = Canned(SMS_MFA);

    // Both read the same answer: check it once, outside the timing.
    let typed = runtime.block_on(client.initiate(UserPasswordAuth::new("alice", "Corr3ct-horse!")));
    assert!(matches!(typed, Ok(AfterPassword::SmsMfa(_))));
    let map = runtime.block_on(untyped(&transport));
    assert_eq!(map["ChallengeName"], "SMS_MFA");

    let response = answer(SMS_MFA);
    assert!(matches!(
        client.__read_answer::<AfterPassword>("alice", &response),
        Ok(AfterPassword::SmsMfa(_))
    ));
    let mut group = c.benchmark_group("SMS_MFA answer read");
    group.bench_function("untyped: into a JSON map", |b| {
        b.iter(|| serde_json::from_slice::<Map<String, Value>>(black_box(&response.body)).unwrap());
    });
    group.bench_function("typed: into Pending<SmsMfa>", |b| {
        b.iter(|| client.__read_answer::<AfterPassword>("alice", black_box(&response)));
    });
    group.finish();

    let mut group = c.benchmark_group("InitiateAuth answered with SMS_MFA");
    group.bench_function("untyped: JSON map in and out", |b| {
        b.iter(|| runtime.block_on(untyped(&transport)));
    });
    group.bench_function("typed: Pending<SmsMfa>", |b| {
        b.iter(|| {
            runtime.block_on(client.initiate(UserPasswordAuth::new("alice", "Corr3ct-horse!")))
        });
    });
    group.finish();
}

criterion_group!(benches, typed_against_untyped);
criterion_main!(benches);
