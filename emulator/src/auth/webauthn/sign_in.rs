//! The `WEB_AUTHN` first factor of `USER_AUTH`: the challenge, whose webauthn-rs state
//! waits under its Session, and the assertion (`CREDENTIAL`) that answers it.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use webauthn_rs_core::error::WebauthnError;
use webauthn_rs_core::proto::{AuthenticationState, PublicKeyCredential};

use crate::config::{FactorConfiguration, FirstFactor, Mfa, WebAuthnConfig};
use crate::error::{ApiError, Result};
use crate::request::required;
use crate::state::{Pool, Shared, State, User};

use super::super::Next;
use super::super::caller::pool_user;
use super::super::policy::check_status;
use super::super::progress::advance;
use super::super::session::{AuthSession, Phase, Step, store_challenge};
use super::{assertion_policy, descriptors, relying_party, user_handle};

/// With MFA required, a single-factor passkey is a passwordless first factor, which
/// Cognito does not offer: only a passkey that counts as MFA signs in.
fn refused_by_required_mfa(pool: &Pool, config: &WebAuthnConfig) -> bool {
    pool.config.mfa == Mfa::On && config.factor_configuration == FactorConfiguration::SingleFactor
}

/// Whether `WEB_AUTHN` (one of the pool's first factors) is open to this user: the
/// pool has a relying party that MFA does not rule out, and the user has a passkey.
pub(in crate::auth) fn offered(pool: &Pool, user: &User) -> bool {
    pool.config
        .web_authn
        .as_ref()
        .is_some_and(|config| !refused_by_required_mfa(pool, config))
        && !user.passkeys.credentials.is_empty()
}

/// `PREFERRED_CHALLENGE=WEB_AUTHN` in a pool that requires MFA and counts a passkey as
/// one factor: `InvalidParameterException` (InitiateAuth has no WebAuthn error), rather
/// than the SELECT_CHALLENGE a factor this user cannot use falls back to, so that the
/// pool's configuration, not the user, is seen to be the reason.
pub(in crate::auth) fn check_preferred(pool: &Pool) -> Result<()> {
    let refused = pool.config.first_factors.contains(&FirstFactor::WebAuthn)
        && pool
            .config
            .web_authn
            .as_ref()
            .is_some_and(|config| refused_by_required_mfa(pool, config));
    if refused {
        return Err(ApiError::invalid_parameter(
            "WEB_AUTHN is not available as a first factor while the user pool requires MFA \
             (FactorConfiguration SINGLE_FACTOR)",
        ));
    }
    Ok(())
}

/// The `WEB_AUTHN` challenge: `CREDENTIAL_REQUEST_OPTIONS`, a JSON string of
/// PublicKeyCredentialRequestOptionsJSON listing the user's passkeys.
pub(in crate::auth) fn web_authn_challenge(
    state: &mut State,
    mut session: AuthSession,
) -> Result<Next> {
    let pool = &state.pools[&session.pool];
    let user = &pool.users[&session.username];
    // The options name the user's credentials: refuse first, as before sending a code.
    check_status(user)?;
    let config = pool
        .config
        .web_authn
        .as_ref()
        .ok_or_else(|| ApiError::invalid_parameter("WEB_AUTHN is not available"))?;
    if user.passkeys.credentials.is_empty() {
        return Err(ApiError::invalid_parameter("The user has no passkey"));
    }
    let validity = pool.clients[&session.client]
        .config
        .session_validity_seconds;
    let core = relying_party(config, Duration::from_secs(validity))?;
    let credentials = user
        .passkeys
        .credentials
        .iter()
        .map(|passkey| passkey.credential.clone())
        .collect();
    let internal = |e: WebauthnError| ApiError::internal(e.to_string());
    let builder = core
        .new_challenge_authenticate_builder(credentials, Some(assertion_policy(config)))
        .map_err(internal)?;
    let (options, authentication) = core
        .generate_challenge_authenticate(builder)
        .map_err(internal)?;
    let mut options =
        serde_json::to_value(&options.public_key).map_err(|e| ApiError::internal(e.to_string()))?;
    // The same credentials, in the same order, with their transports.
    options["allowCredentials"] = descriptors(user);
    let parameters = json!({
        "USER_ID_FOR_SRP": session.username,
        "CREDENTIAL_REQUEST_OPTIONS": options.to_string(),
    });
    // A passwordless first factor is the whole sign-in: no MFA after it (with
    // MULTI_FACTOR_WITH_USER_VERIFICATION the verified passkey is the MFA).
    session.phase = Phase::Passwordless;
    let step = Step::WebAuthn(Box::new(authentication));
    store_challenge(state, session, step, parameters).map(Next::Done)
}

/// `WEB_AUTHN` answered: the assertion must verify against the challenge of this
/// Session and one of the user's passkeys as they are now (a passkey deleted since is
/// refused, and the counter is compared with the newest one stored). A refused
/// assertion is `NotAuthorizedException`, a CREDENTIAL that is no
/// AuthenticationResponseJSON `InvalidParameterException`; either ends the sign-in (the
/// Session was taken), as a wrong password does.
pub(in crate::auth) fn answer_web_authn(
    shared: &Shared,
    state: &mut State,
    session: AuthSession,
    mut authentication: AuthenticationState,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let credential: PublicKeyCredential = serde_json::from_str(required(responses, "CREDENTIAL")?)
        .map_err(|e| {
            ApiError::invalid_parameter(format!(
                "CREDENTIAL is not an AuthenticationResponseJSON: {e}"
            ))
        })?;
    let pool = &state.pools[&session.pool];
    let user = &pool.users[&session.username];
    let config = pool
        .config
        .web_authn
        .as_ref()
        .ok_or_else(|| ApiError::not_authorized("Passkeys are no longer configured"))?;
    // The user the sign-in named must be the one the authenticator signed for.
    if credential
        .get_user_unique_id()
        .is_some_and(|handle| handle != user_handle(user).as_slice())
    {
        return Err(ApiError::not_authorized(
            "The passkey belongs to another user",
        ));
    }
    authentication.set_allowed_credentials(
        user.passkeys
            .credentials
            .iter()
            .map(|passkey| passkey.credential.clone())
            .collect(),
    );
    let core = relying_party(config, Duration::ZERO)?;
    let result = core
        .authenticate_credential(&credential, &authentication)
        .map_err(assertion_refused)?;
    let user = pool_user(state, &session.pool, &session.username)?;
    if let Some(passkey) = user
        .passkeys
        .credentials
        .iter_mut()
        .find(|passkey| passkey.credential.cred_id == *result.cred_id())
    {
        passkey.credential.counter = passkey.credential.counter.max(result.counter());
        passkey.credential.backup_state = result.backup_state();
    }
    advance(shared, state, session)
}

/// Every refused assertion is `NotAuthorizedException` (RespondToAuthChallenge has no
/// WebAuthn error); the message says why.
fn assertion_refused(error: WebauthnError) -> ApiError {
    let why = match error {
        WebauthnError::CredentialPossibleCompromise => {
            "the signature counter did not increase (a cloned authenticator?)".to_owned()
        }
        WebauthnError::CredentialNotFound => "the passkey is not one of the user's".to_owned(),
        WebauthnError::MismatchedChallenge => {
            "the assertion signs another challenge than this session's".to_owned()
        }
        WebauthnError::UserNotVerified => "the user was not verified".to_owned(),
        WebauthnError::InvalidRPOrigin => "the origin is not allowed".to_owned(),
        WebauthnError::InvalidRPIDHash => "it is for another relying party".to_owned(),
        other => other.to_string(),
    };
    ApiError::not_authorized(format!("The passkey sign-in was refused: {why}"))
}
