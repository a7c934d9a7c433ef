//! A signed-in user's passkeys: StartWebAuthnRegistration, CompleteWebAuthnRegistration,
//! ListWebAuthnCredentials, DeleteWebAuthnCredential (with the access token), and the
//! emulator's own `AdminListWebAuthnCredentials` / `AdminDeleteWebAuthnCredential`
//! (`UserPoolId` + `Username`, unsigned like the other admin calls; Cognito has no admin
//! passkey calls).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use webauthn_rs_core::error::WebauthnError;
use webauthn_rs_core::proto::{COSEAlgorithm, RegisterPublicKeyCredential};

use crate::PasskeySummary;
use crate::error::{ApiError, Result};
use crate::request::{opt_text, text};
use crate::state::{State, User, later};

use super::super::caller::{access_grant, pool_user};
use super::super::unix;
use super::{
    MAX_PASSKEYS, PendingRegistration, REGISTRATION_TIMEOUT, StoredPasskey, base64url, descriptors,
    enabled, registration_policy, relying_party, user_handle,
};

/// StartWebAuthnRegistration: `CredentialCreationOptions` for a new passkey of the
/// access token's user, replacing any registration they started before.
pub(in crate::auth) fn start_registration(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let now = state.now();
    let pool = &state.pools[&grant.pool];
    let config = enabled(pool)?;
    let user = pool
        .users
        .get(&grant.username)
        .ok_or_else(ApiError::user_not_found)?;
    if user.passkeys.credentials.len() >= MAX_PASSKEYS {
        return Err(limit_exceeded());
    }
    let core = relying_party(config, REGISTRATION_TIMEOUT)?;
    let builder = core
        .new_challenge_register_builder(&user_handle(user), &user.username, &user.username)
        .map_err(internal)?
        .user_verification_policy(registration_policy(config))
        .require_resident_key(true)
        .credential_algorithms(vec![COSEAlgorithm::ES256, COSEAlgorithm::RS256]);
    // The exclusion list is written below rather than given to webauthn-rs: it would
    // refuse an excluded credential as an altered algorithm. Complete refuses a
    // credential registered already (to anyone) itself.
    let (options, registration) = core
        .generate_challenge_register(builder)
        .map_err(internal)?;
    let mut options = serde_json::to_value(options.public_key).map_err(internal)?;
    options["excludeCredentials"] = descriptors(user);
    pool_user(state, &grant.pool, &grant.username)?
        .passkeys
        .pending = Some(PendingRegistration {
        state: registration,
        client: grant.client,
        expires: later(now, REGISTRATION_TIMEOUT),
    });
    Ok(json!({"CredentialCreationOptions": options}))
}

/// CompleteWebAuthnRegistration: the authenticator's `Credential`
/// (RegistrationResponseJSON) checked against the registration Start made, which this
/// consumes whatever the outcome.
pub(in crate::auth) fn complete_registration(state: &mut State, body: &Value) -> Result<Value> {
    let grant = access_grant(state, body)?;
    let now = state.now();
    let config = enabled(&state.pools[&grant.pool])?.clone();
    let user = pool_user(state, &grant.pool, &grant.username)?;
    let pending = user
        .passkeys
        .pending
        .take()
        .filter(|pending| pending.expires > now)
        .ok_or_else(|| challenge_not_found("No passkey registration is waiting for the user"))?;
    if pending.client != grant.client {
        return Err(ApiError::new(
            "WebAuthnClientMismatchException",
            "The registration was started through another app client",
        ));
    }
    let document = match body.get("Credential") {
        // A JSON document; some clients send it serialized.
        Some(Value::String(serialized)) => serde_json::from_str(serialized).ok(),
        Some(document @ Value::Object(_)) => Some(document.clone()),
        _ => None,
    }
    .ok_or_else(|| ApiError::missing("Credential"))?;
    let response: RegisterPublicKeyCredential =
        serde_json::from_value(document.clone()).map_err(|e| {
            ApiError::invalid_parameter(format!(
                "Credential is not a RegistrationResponseJSON: {e}"
            ))
        })?;
    let core = relying_party(&config, REGISTRATION_TIMEOUT)?;
    let credential = core
        .register_credential(&response, &pending.state, None)
        .map_err(|e| registration_refused(&e))?;
    let pool = &state.pools[&grant.pool];
    let taken = pool.users.values().any(|user| {
        user.passkeys
            .credentials
            .iter()
            .any(|passkey| passkey.credential.cred_id == credential.cred_id)
    });
    if taken {
        return Err(ApiError::invalid_parameter(
            "This passkey is registered already",
        ));
    }
    let strings = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let user = pool_user(state, &grant.pool, &grant.username)?;
    if user.passkeys.credentials.len() >= MAX_PASSKEYS {
        return Err(limit_exceeded());
    }
    let serial = user.passkeys.next_serial;
    user.passkeys.next_serial += 1;
    user.passkeys.credentials.push(StoredPasskey {
        id: base64url(credential.cred_id.as_ref()),
        credential,
        serial,
        created_at: unix(now),
        relying_party_id: config.relying_party_id,
        attachment: opt_text(&document, "authenticatorAttachment").map(str::to_owned),
        transports: strings(&document["response"]["transports"]),
    });
    Ok(json!({}))
}

/// Cognito's error for each reason `webauthn-rs-core` refuses a registration.
fn registration_refused(error: &WebauthnError) -> ApiError {
    use WebauthnError as E;
    let message = format!("The passkey registration was refused: {error}");
    match error {
        E::InvalidRPOrigin | E::CredentialCrossOrigin => {
            ApiError::new("WebAuthnOriginNotAllowedException", message)
        }
        E::InvalidRPIDHash => ApiError::new("WebAuthnRelyingPartyMismatchException", message),
        // The response answers a challenge this registration did not send.
        E::MismatchedChallenge => challenge_not_found(message),
        // Keys, algorithms and attestation formats the relying party cannot use.
        E::AttestationNotSupported
        | E::CredentialAlteredAlgFromRequest
        | E::CredentialInsecureCryptography
        | E::CredentialMayNotBeHardwareBound
        | E::COSEKeyInvalidCBORValue
        | E::COSEKeyInvalidType
        | E::COSEKeyEDUnsupported
        | E::COSEKeyECDSAXYInvalid
        | E::COSEKeyRSANEInvalid
        | E::COSEKeyECDSAInvalidCurve
        | E::COSEKeyEDDSAXInvalid
        | E::COSEKeyEDDSAInvalidCurve
        | E::COSEKeyInvalidAlgorithm
        | E::ECDSACurveInvalidNid
        | E::OpenSSLErrorNoCurveName => {
            ApiError::new("WebAuthnCredentialNotSupportedException", message)
        }
        // Undecodable client data or attestation: a malformed parameter.
        E::ParseBase64Failure(_)
        | E::ParseCBORFailure(_)
        | E::ParseJSONFailure(_)
        | E::ParseNOMFailure
        | E::ParseInsufficientBytesAvailable
        | E::InvalidClientDataType
        | E::MissingAttestationCredentialData => ApiError::invalid_parameter(message),
        // What is left is a proof that fails: the user not present or not verified as
        // the pool requires, an attestation whose signature does not verify. Cognito
        // has no WebAuthn error for these; NotAuthorizedException is how it refuses a
        // proof that does not hold.
        _ => ApiError::not_authorized(message),
    }
}

fn challenge_not_found(message: impl Into<String>) -> ApiError {
    ApiError::new("WebAuthnChallengeNotFoundException", message)
}

fn limit_exceeded() -> ApiError {
    ApiError::new(
        "LimitExceededException",
        format!("A user may have at most {MAX_PASSKEYS} passkeys"),
    )
}

fn internal(error: impl std::fmt::Display) -> ApiError {
    ApiError::internal(error.to_string())
}

/// The user a list or delete call is about: the access token's, or for the admin
/// names `UserPoolId` + `Username`'s.
fn owner<'s>(state: &'s mut State, body: &Value, admin: bool) -> Result<&'s mut User> {
    if !admin {
        let grant = access_grant(state, body)?;
        return pool_user(state, &grant.pool, &grant.username);
    }
    let pool = state.pool_mut(text(body, "UserPoolId")?)?;
    let username = pool
        .resolve(text(body, "Username")?)
        .map(str::to_owned)
        .ok_or_else(ApiError::user_not_found)?;
    pool.users
        .get_mut(&username)
        .ok_or_else(ApiError::user_not_found)
}

/// ListWebAuthnCredentials: a page of the user's passkeys, oldest first; `MaxResults`
/// 1–20 (20 when absent), `NextToken` where the next page starts.
pub(in crate::auth) fn list_credentials(
    state: &mut State,
    body: &Value,
    admin: bool,
) -> Result<Value> {
    let max = match body.get("MaxResults") {
        None | Some(Value::Null) => MAX_PASSKEYS,
        Some(value) => value
            .as_u64()
            .filter(|n| (1..=MAX_PASSKEYS as u64).contains(n))
            .map(|n| n as usize)
            .ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "MaxResults must be a number from 1 to {MAX_PASSKEYS}"
                ))
            })?,
    };
    let from = match opt_text(body, "NextToken") {
        None => 0,
        Some(token) => URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|serial| serial.strip_prefix("passkeys:")?.parse::<u64>().ok())
            .ok_or_else(|| ApiError::invalid_parameter("Invalid NextToken"))?,
    };
    let user = owner(state, body, admin)?;
    let mut page = user
        .passkeys
        .credentials
        .iter()
        .filter(|passkey| passkey.serial >= from);
    let listed: Vec<Value> = page.by_ref().take(max).map(listed).collect();
    let mut answer = json!({"Credentials": listed});
    if let Some(next) = page.next() {
        answer["NextToken"] = json!(URL_SAFE_NO_PAD.encode(format!("passkeys:{}", next.serial)));
    }
    Ok(answer)
}

/// One passkey as ListWebAuthnCredentials describes it. No `FriendlyCredentialName`:
/// Cognito names a passkey after its authenticator's AAGUID, which the emulator does
/// not look up.
fn listed(passkey: &StoredPasskey) -> Value {
    let mut described = json!({
        "CredentialId": passkey.id,
        "RelyingPartyId": passkey.relying_party_id,
        "AuthenticatorTransports": passkey.transports,
        "CreatedAt": passkey.created_at,
    });
    if let Some(attachment) = &passkey.attachment {
        described["AuthenticatorAttachment"] = json!(attachment);
    }
    described
}

/// DeleteWebAuthnCredential: an id the user has no passkey with is
/// `ResourceNotFoundException`.
pub(in crate::auth) fn delete_credential(
    state: &mut State,
    body: &Value,
    admin: bool,
) -> Result<Value> {
    let id = text(body, "CredentialId")?.to_owned();
    if delete_passkey(owner(state, body, admin)?, &id) {
        Ok(json!({}))
    } else {
        Err(ApiError::resource_not_found(
            "The user has no passkey with this CredentialId",
        ))
    }
}

/// Deletes one of the user's passkeys (by its base64url id, padded or not); whether
/// the user had it.
pub(crate) fn delete_passkey(user: &mut User, credential_id: &str) -> bool {
    let id = credential_id.trim_end_matches('=');
    let before = user.passkeys.credentials.len();
    user.passkeys.credentials.retain(|passkey| passkey.id != id);
    user.passkeys.credentials.len() != before
}

/// The user's passkeys, for [`PoolHandle::passkeys`](crate::PoolHandle::passkeys).
pub(crate) fn passkey_summaries(user: &User) -> Vec<PasskeySummary> {
    user.passkeys
        .credentials
        .iter()
        .map(|passkey| PasskeySummary {
            credential_id: passkey.id.clone(),
            relying_party_id: passkey.relying_party_id.clone(),
            authenticator_attachment: passkey.attachment.clone(),
            transports: passkey.transports.clone(),
            created_at: passkey.created_at,
            sign_count: passkey.credential.counter,
            user_verified: passkey.credential.user_verified,
        })
        .collect()
}
