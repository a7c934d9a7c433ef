//! Shared by the test binaries that talk to a server directly.

/// One unsigned Cognito call (AWS JSON 1.1): the HTTP status and the body text.
pub(crate) async fn cognito_call(
    endpoint: &str,
    operation: &str,
    body: &serde_json::Value,
) -> (u16, String) {
    let response = reqwest::Client::new()
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
