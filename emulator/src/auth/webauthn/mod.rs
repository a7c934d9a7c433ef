//! Passkeys (PROTOCOL.md §9.3): the pool as a WebAuthn relying party.
//!
//! `webauthn-rs-core` does every check of a registration or an assertion (client data
//! type, challenge, origin, rp id hash, user presence and verification, attestation,
//! algorithm, signature, sign counter, allowed credentials). This module keeps the
//! users' credentials, builds the relying party from the pool's [`WebAuthnConfig`], and
//! speaks Cognito's JSON: the options as WebAuthn Level 3 JSON (a top-level object,
//! base64url without padding), the refusals as Cognito's errors.

mod manage;
mod sign_in;

#[cfg(test)]
mod tests;

pub(super) use manage::{
    complete_registration, delete_credential, list_credentials, start_registration,
};
pub(crate) use manage::{delete_passkey, passkey_summaries};
pub(super) use sign_in::{answer_web_authn, check_preferred, offered, web_authn_challenge};

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use url::Url;
use webauthn_rs_core::WebauthnCore;
use webauthn_rs_core::proto::{Credential, RegistrationState, UserVerificationPolicy};

use crate::config::{FactorConfiguration, FirstFactor, UserVerification, WebAuthnConfig};
use crate::error::{ApiError, Result};
use crate::state::{Pool, User};

/// Passkeys one user may have (Cognito's limit).
pub(crate) const MAX_PASSKEYS: usize = 20;

/// How long a registration started with StartWebAuthnRegistration waits for its
/// CompleteWebAuthnRegistration (the options' `timeout`).
const REGISTRATION_TIMEOUT: Duration = Duration::from_secs(300);

/// A user's passkeys, and the registration they started.
#[derive(Default)]
pub(crate) struct Passkeys {
    /// Oldest first (ascending `serial`).
    pub(crate) credentials: Vec<StoredPasskey>,
    /// The serial of the next passkey registered: pages of ListWebAuthnCredentials
    /// continue from a serial, which deletions do not shift.
    next_serial: u64,
    /// Set by StartWebAuthnRegistration, taken by the next Complete (whatever its
    /// outcome); a new Start replaces it.
    pending: Option<PendingRegistration>,
}

/// A registered passkey.
pub(crate) struct StoredPasskey {
    /// What `webauthn-rs-core` verifies assertions with; its counter is kept current.
    pub(crate) credential: Credential,
    /// `CredentialId`: the credential id, base64url without padding.
    pub(crate) id: String,
    serial: u64,
    /// Seconds since the epoch, on the emulator's clock.
    pub(crate) created_at: u64,
    pub(crate) relying_party_id: String,
    /// `platform` or `cross-platform`, as the client reported it.
    pub(crate) attachment: Option<String>,
    /// As the client reported them (`internal`, `hybrid`, `usb`, ...).
    pub(crate) transports: Vec<String>,
}

/// A registration waiting for its CompleteWebAuthnRegistration.
struct PendingRegistration {
    state: RegistrationState,
    /// The app client of the access token that started it: Complete must come through
    /// the same one (`WebAuthnClientMismatchException`).
    client: String,
    expires: SystemTime,
}

/// Refuses a relying party that could never verify anything: called when a pool is
/// created or its passkey settings change, so that a mistake shows at setup.
pub(crate) fn check_config(config: &WebAuthnConfig) -> Result<()> {
    let rp_id = &config.relying_party_id;
    let valid = !rp_id.is_empty()
        && Url::parse(&format!("https://{rp_id}")).is_ok_and(|url| url.host_str() == Some(rp_id));
    if !valid {
        return Err(ApiError::invalid_parameter(format!(
            "RelyingPartyId {rp_id:?} is not a domain"
        )));
    }
    origins(config).map(|_| ())
}

/// The origins a pool's passkeys may be used from (each on any port).
fn origins(config: &WebAuthnConfig) -> Result<Vec<Url>> {
    let rp_id = &config.relying_party_id;
    let mut origins = vec![format!("https://{rp_id}")];
    if rp_id == "localhost" {
        // Browsers treat http://localhost as a secure context.
        origins.push("http://localhost".to_owned());
    }
    origins.extend(config.allowed_origins.iter().cloned());
    origins
        .iter()
        .map(|origin| {
            Url::parse(origin)
                .ok()
                .filter(|url| url.has_host() && matches!(url.scheme(), "https" | "http"))
                .ok_or_else(|| {
                    ApiError::invalid_parameter(format!("{origin:?} is not an http(s) origin"))
                })
        })
        .collect()
}

/// The pool's relying party, its options' `timeout` set to `timeout`.
fn relying_party(config: &WebAuthnConfig, timeout: Duration) -> Result<WebauthnCore> {
    Ok(WebauthnCore::new_unsafe_experts_only(
        &config.relying_party_id,
        &config.relying_party_id,
        origins(config)?,
        timeout,
        Some(false),
        Some(true),
    ))
}

/// The pool's passkey settings: `WebAuthnConfigurationMissingException` without a
/// relying party, `WebAuthnNotEnabledException` when `WEB_AUTHN` is not among the
/// pool's first factors (what a registration needs).
fn enabled(pool: &Pool) -> Result<&WebAuthnConfig> {
    let config = pool.config.web_authn.as_ref().ok_or_else(|| {
        ApiError::new(
            "WebAuthnConfigurationMissingException",
            "The user pool has no WebAuthn relying party configured",
        )
    })?;
    if !pool.config.first_factors.contains(&FirstFactor::WebAuthn) {
        return Err(ApiError::new(
            "WebAuthnNotEnabledException",
            "Passkeys (WEB_AUTHN) are not an allowed first factor of the user pool",
        ));
    }
    Ok(config)
}

/// What registration asks of the authenticator.
fn registration_policy(config: &WebAuthnConfig) -> UserVerificationPolicy {
    match config.user_verification {
        UserVerification::Required => UserVerificationPolicy::Required,
        UserVerification::Preferred => UserVerificationPolicy::Preferred,
    }
}

/// What a sign-in asks of the authenticator: verification when the passkey counts as
/// MFA, the pool's setting otherwise.
fn assertion_policy(config: &WebAuthnConfig) -> UserVerificationPolicy {
    match config.factor_configuration {
        FactorConfiguration::MultiFactorWithUserVerification => UserVerificationPolicy::Required,
        FactorConfiguration::SingleFactor => registration_policy(config),
    }
}

/// The user handle (`user.id`) of a user's passkeys: the bytes of their `sub`, stable
/// for the user's life and never reused.
fn user_handle(user: &User) -> Vec<u8> {
    user.sub().as_bytes().to_vec()
}

/// The user's passkeys as options name them (`excludeCredentials`,
/// `allowCredentials`): `{type, id, transports}`, with the transports the client
/// reported at registration (webauthn-rs keeps them only from trusted attestations).
fn descriptors(user: &User) -> Value {
    user.passkeys
        .credentials
        .iter()
        .map(|passkey| json!({"type": "public-key", "id": passkey.id, "transports": passkey.transports}))
        .collect()
}

fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}
