//! The app client's secret: SECRET_HASH, compared in constant time.

use cognito_typestate::Secret;

use crate::error::{ApiError, Result};
use crate::state::AppClient;

pub(super) fn check_secret_hash(
    client: &AppClient,
    username: &str,
    given: Option<&String>,
) -> Result<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(given) = given else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    };
    let expected =
        cognito_typestate::secret_hash(&Secret::new(secret.clone()), username, &client.id);
    if constant_eq(expected.expose().as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}

/// The `ClientSecret` a token call (`RevokeToken`, `GetTokensFromRefreshToken`) sends
/// itself, for a client that has a secret.
pub(crate) fn check_client_secret(client: &AppClient, given: Option<&str>) -> Result<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    if constant_eq(secret.as_bytes(), given.unwrap_or_default().as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Client {} is configured with secret and ClientSecret was not valid",
            client.id
        )))
    }
}

/// Equality that takes the same time wherever the inputs differ.
pub(crate) fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && openssl::memcmp::eq(a, b)
}
