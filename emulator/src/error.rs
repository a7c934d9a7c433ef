//! Errors as Cognito sends them: HTTP 400 (500 for internal errors), a JSON body
//! `{"__type": "<Code>", "message": "..."}` and the `x-amzn-ErrorType` header.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// What a handler returns.
pub(crate) type Result<T, E = ApiError> = std::result::Result<T, E>;

/// One error answer of the service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// The exception name, e.g. `NotAuthorizedException`.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn not_authorized(message: impl Into<String>) -> Self {
        Self::new("NotAuthorizedException", message)
    }

    pub(crate) fn wrong_password() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }

    pub(crate) fn invalid_session() -> Self {
        Self::not_authorized("Invalid session for the user.")
    }

    pub(crate) fn expired_session() -> Self {
        Self::not_authorized("Invalid session for the user, session is expired.")
    }

    pub(crate) fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }

    pub(crate) fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }

    pub(crate) fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }

    pub(crate) fn code_mismatch() -> Self {
        Self::new("CodeMismatchException", "Invalid code received for user")
    }

    pub(crate) fn device_not_found() -> Self {
        Self::resource_not_found("Device does not exist.")
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalErrorException", message)
    }

    pub(crate) fn missing(name: &str) -> Self {
        Self::invalid_parameter(format!("Missing required parameter {name}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = if self.code == "InternalErrorException" {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = json!({"__type": self.code, "message": self.message});
        let mut response = (status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        headers.insert("x-amzn-errortype", HeaderValue::from_static(self.code));
        response
    }
}
