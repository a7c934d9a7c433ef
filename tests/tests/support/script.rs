//! A scripted transport for the property tests: answers each call with the next
//! scripted answer and records every request, with how `HttpRequest` and
//! `HttpResponse` print in `Debug`.

// Each test binary uses its own part of it.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use cognito_typestate::{
    BoxFuture, Client, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};
use serde_json::Value;

/// One scripted answer: a status and a body, or a transport failure.
pub(crate) enum Answer {
    Http(u16, String),
    Fail(TransportErrorKind),
}

/// What the client sent, and how the request and the answer print.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    pub(crate) operation: String,
    pub(crate) body: Value,
    pub(crate) request_debug: String,
    pub(crate) response_debug: String,
}

#[derive(Clone, Default)]
pub(crate) struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    sent: Arc<Mutex<Vec<Sent>>>,
}

impl Script {
    pub(crate) fn ok(&self, body: &Value) -> &Self {
        self.push(Answer::Http(200, body.to_string()))
    }

    pub(crate) fn error(&self, status: u16, code: &str) -> &Self {
        let body = serde_json::json!({"__type": code, "message": "scripted"}).to_string();
        self.push(Answer::Http(status, body))
    }

    pub(crate) fn push(&self, answer: Answer) -> &Self {
        self.answers.lock().unwrap().push_back(answer);
        self
    }

    pub(crate) fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    pub(crate) fn client(
        &self,
        configure: impl FnOnce(cognito_typestate::ClientBuilder) -> cognito_typestate::ClientBuilder,
    ) -> Client {
        configure(
            Client::builder("client-1")
                .user_pool_id("eu-west-1_Pool1")
                .transport(self.clone()),
        )
        .build()
        .unwrap()
    }
}

impl Transport for Script {
    // Scripted answers need no real wait between attempts.
    fn backoff(&self, _: std::time::Duration) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }

    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let request_debug = format!("{request:?}");
        let body: Value = serde_json::from_slice(&request.body).expect("requests are JSON");
        let answer = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| panic!("unscripted call to {}", request.operation));
        let (result, response_debug) = match answer {
            Answer::Http(status, body) => {
                let response = HttpResponse {
                    status,
                    content_type: Some("application/x-amz-json-1.1".into()),
                    error_type: None,
                    retry_after: None,
                    body: body.into_bytes(),
                };
                let shown = format!("{response:?}");
                (Ok(response), shown)
            }
            Answer::Fail(kind) => {
                let error = TransportError::new(kind, request.operation, "scripted failure");
                let shown = format!("{error:?}");
                (Err(error), shown)
            }
        };
        self.sent.lock().unwrap().push(Sent {
            operation: request.operation.to_owned(),
            body,
            request_debug,
            response_debug,
        });
        Box::pin(async move { result })
    }
}

/// A challenge answer as the service sends it.
pub(crate) fn challenge(name: &str, session: &str, parameters: &Value) -> Value {
    serde_json::json!({"ChallengeName": name, "Session": session, "ChallengeParameters": parameters})
}

/// Tokens as the service sends them.
pub(crate) fn tokens(access: &str, id: &str, refresh: &str) -> Value {
    serde_json::json!({"AuthenticationResult": {"AccessToken": access, "IdToken": id, "RefreshToken": refresh, "ExpiresIn": 3600, "TokenType": "Bearer"}})
}

/// Runs a future to completion on a fresh current-thread runtime (proptest bodies are
/// synchronous).
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(future)
}
