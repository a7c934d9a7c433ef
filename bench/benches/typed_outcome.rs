//! What the types cost at run time: one `InitiateAuth` answered with a challenge, read
//! into its typed outcome by the library, against the same exchange done the untyped way
//! (the request written from a JSON map, the answer read into a JSON map), both through
//! the same in-memory transport, in one run. The ratio typed / untyped is the overhead.
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

/// Answers every request with the same bytes.
struct Canned(&'static str);

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        black_box(&request.body);
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                content_type: Some("application/x-amz-json-1.1".into()),
                error_type: None,
                retry_after: None,
                body: self.0.as_bytes().to_vec(),
            })
        })
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
