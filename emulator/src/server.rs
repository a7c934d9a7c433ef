//! The HTTP side: `POST /` with `X-Amz-Target`, plus the JWKS and the outbox.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::error::ApiError;
use crate::state::Shared;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, stop: oneshot::Receiver<()>) {
    let app = Router::new()
        .route("/", post(operation))
        .route("/{pool}/.well-known/jwks.json", get(jwks))
        .route("/_emulator/outbox", get(outbox))
        .route("/_emulator/health", get(|| async { "ok" }))
        .route("/_emulator/clock", post(advance_clock))
        .with_state(shared);
    let shutdown = async {
        let _ = stop.await;
    };
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        tracing::error!("emulator server failed: {e}");
    }
}

async fn operation(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(operation) = target.strip_prefix(TARGET_PREFIX).map(str::to_owned) else {
        return ApiError::new(
            "UnknownOperationException",
            format!("X-Amz-Target must be {TARGET_PREFIX}<Operation>, not {target:?}"),
        )
        .into_response();
    };
    let body: Value = match serde_json::from_slice(&body) {
        Ok(body @ Value::Object(_)) => body,
        _ => {
            return ApiError::new("SerializationException", "the body is not a JSON object")
                .into_response();
        }
    };
    // SRP and RSA are CPU work: keep them off the async workers.
    let answer =
        tokio::task::spawn_blocking(move || crate::auth::dispatch(&shared, &operation, &body))
            .await;
    match answer {
        Ok(Ok(value)) => {
            let mut response = value.to_string().into_response();
            response.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("application/x-amz-json-1.1"),
            );
            response
        }
        Ok(Err(error)) => error.into_response(),
        Err(panic) => ApiError::internal(format!("the emulator failed: {panic}")).into_response(),
    }
}

async fn jwks(State(shared): State<Arc<Shared>>, Path(pool): Path<String>) -> Response {
    if shared.lock().pools.contains_key(&pool) {
        match shared.signer.jwks() {
            Ok(jwks) => axum::Json(jwks).into_response(),
            Err(e) => ApiError::internal(e).into_response(),
        }
    } else {
        ApiError::resource_not_found(format!("User pool {pool} does not exist.")).into_response()
    }
}

/// `GET /_emulator/outbox[?username=alice]`: the codes sent, oldest first.
async fn outbox(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = shared.lock();
    let messages: Vec<_> = state
        .outbox
        .iter()
        .filter(|m| query.get("username").is_none_or(|u| *u == m.username))
        .filter(|m| query.get("poolId").is_none_or(|p| *p == m.pool_id))
        .collect();
    axum::Json(json!(messages)).into_response()
}

/// `POST /_emulator/clock {"advanceSeconds": N}`: moves the emulator's clock forward,
/// so scripts can expire sessions and tokens without waiting.
/// A negative, fractional, huge or missing value is a 400 with a JSON error body.
async fn advance_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let seconds = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("advanceSeconds").and_then(Value::as_u64));
    let Some(seconds) = seconds else {
        return ApiError::invalid_parameter("send {\"advanceSeconds\": <seconds>}").into_response();
    };
    let advanced = shared
        .lock()
        .advance_clock(std::time::Duration::from_secs(seconds));
    match advanced {
        Ok(()) => axum::Json(json!({"advancedSeconds": seconds})).into_response(),
        Err(error) => error.into_response(),
    }
}
