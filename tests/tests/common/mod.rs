//! Shared by the test binaries that talk to a server directly.

use std::sync::LazyLock;

/// One HTTP client for the whole test binary: making one loads the platform's root
/// certificates (tens of milliseconds), which a client per call paid every time.
/// Connections are not pooled: each `#[tokio::test]` has its own runtime, and a pooled
/// connection belongs to the runtime that opened it.
pub(crate) fn http() -> reqwest::Client {
    static HTTP: LazyLock<reqwest::Client> = LazyLock::new(|| {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap()
    });
    HTTP.clone()
}

/// One unsigned Cognito call (AWS JSON 1.1): the HTTP status and the body text.
pub(crate) async fn cognito_call(
    endpoint: &str,
    operation: &str,
    body: &serde_json::Value,
) -> (u16, String) {
    let response = http()
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{operation}"),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{operation}: {e}"));
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}
