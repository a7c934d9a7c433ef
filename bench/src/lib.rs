//! What the benchmarks of the types' run-time cost share: the answer both sides read,
//! an in-memory transport, and the untyped way of doing the same. Used by
//! `benches/typed_outcome.rs` (criterion, time) and the `overhead-instructions` binary
//! (instructions counted under callgrind, `scripts/bench-overhead.sh`).
//!
//! A fixture that cannot be set up is a broken benchmark: these panic then.
#![allow(clippy::missing_panics_doc)]

use std::hint::black_box;

use cognito_typestate::challenges::AfterPassword;
use cognito_typestate::flows::UserPasswordAuth;
use cognito_typestate::{
    BoxFuture, Client, Error, HttpRequest, HttpResponse, Transport, TransportError,
};
use serde_json::{Map, Value, json};

/// An `SMS_MFA` challenge, as Cognito sends it.
pub const SMS_MFA: &str = r#"{"ChallengeName":"SMS_MFA","Session":"AYABeB0ex5wX2aHn4S2VFLm1cbAAAAAAAAAAAQAOQ29nbml0by1JZGVudGl0eQAAAAAAAAAJc2Vzc2lvbi1pZAAAAAAAAAAAAA","ChallengeParameters":{"CODE_DELIVERY_DELIVERY_MEDIUM":"SMS","CODE_DELIVERY_DESTINATION":"+*******0123","USER_ID_FOR_SRP":"alice"}}"#;

/// The answer as the transport hands it over.
pub fn answer(body: &str) -> HttpResponse {
    HttpResponse {
        status: 200,
        content_type: Some("application/x-amz-json-1.1".into()),
        error_type: None,
        retry_after: None,
        body: body.as_bytes().to_vec(),
    }
}

/// Answers every request with the same bytes.
#[derive(Debug)]
pub struct Canned(pub &'static str);

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        black_box(&request.body);
        Box::pin(async move { Ok(answer(self.0)) })
    }
}

/// A client whose every call is answered by [`Canned`] with [`SMS_MFA`].
pub fn canned_client() -> Client {
    Client::builder("client")
        .endpoint("http://127.0.0.1:9")
        .transport(Canned(SMS_MFA))
        .build()
        .expect("a client with its own transport builds")
}

/// Typed reading: the answer into the password flow's outcome.
pub fn read_typed(client: &Client, response: &HttpResponse) -> Result<AfterPassword, Error> {
    client.__read_answer::<AfterPassword>("alice", response)
}

/// Untyped reading: the same bytes into a JSON map.
pub fn read_untyped(response: &HttpResponse) -> Map<String, Value> {
    serde_json::from_slice(&response.body).expect("the canned answer is JSON")
}

/// The typed exchange: a password sign-in started, answered with `SMS_MFA`.
pub async fn exchange_typed(client: &Client) -> Result<AfterPassword, Error> {
    client
        .initiate(UserPasswordAuth::new("alice", "Corr3ct-horse!"))
        .await
}

/// The untyped exchange: a JSON map in, a JSON map out, through the same transport.
pub async fn exchange_untyped(transport: &Canned) -> Map<String, Value> {
    let body = json!({
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": "client",
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Corr3ct-horse!"},
    });
    let request = HttpRequest {
        operation: "InitiateAuth",
        body: serde_json::to_vec(&body)
            .expect("a JSON value serialises")
            .into(),
    };
    let response = transport
        .send(request)
        .await
        .expect("the canned transport answers");
    serde_json::from_slice(&response.body).expect("the canned answer is JSON")
}
