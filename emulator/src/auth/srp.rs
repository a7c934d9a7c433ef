//! SRP: PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER, issued and checked. The
//! exponentiations ([`start`], [`check`]) run without the lock.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_typestate::srp::server::{Claim, ServerEphemeral, Verifier, parse_timestamp};
use cognito_typestate::srp::timestamp;
use serde_json::{Value, json};

use crate::error::{ApiError, Result};
use crate::random::random_bytes;
use crate::request::required;
use crate::state::{Shared, State};

use super::caller::pool_user;
use super::custom::{custom_next, record};
use super::policy::{check_lockout, lockout_policy, record_failure};
use super::progress::advance;
use super::session::{AuthSession, SrpStep, Step, block_key, store_challenge, store_under};
use super::{ChallengeName, Next};

/// An SRP exchange to open: make `B` for the client's `A`.
pub(super) struct SrpStart {
    pub(super) session: AuthSession,
    pub(super) verifier: Arc<Verifier>,
    pub(super) srp_a: String,
    pub(super) proof: Proof,
}

/// What the exchange proves, and so which challenge it answers with.
pub(super) enum Proof {
    /// The password, for USER_SRP_AUTH: PASSWORD_VERIFIER without a Session; the
    /// SECRET_BLOCK finds the sign-in again.
    PasswordWithoutSession,
    /// The password, under a Session (USER_AUTH, CUSTOM_AUTH).
    Password,
    /// A device's secret: DEVICE_PASSWORD_VERIFIER.
    Device(String),
    /// Nothing: an unknown user's decoy PASSWORD_VERIFIER, shaped like
    /// [`Proof::PasswordWithoutSession`], which every answer fails.
    Decoy,
}

/// A password claim to check.
pub(super) struct ClaimCheck {
    session: AuthSession,
    srp: SrpStep,
    claimant: Claimant,
    timestamp: String,
    signature: String,
}

/// Who claims to know the password, with the names SRP hashes for them.
enum Claimant {
    /// The user: the pool's SRP name and the username.
    User { pool_name: String },
    /// A device: its group key and device key.
    Device {
        group_key: String,
        device_key: String,
    },
}

/// Starts SRP for the user's password (USER_SRP_AUTH, PASSWORD_SRP, CUSTOM_AUTH).
pub(super) fn start_password_srp(
    state: &State,
    session: AuthSession,
    srp_a: &str,
    proof: Proof,
) -> Result<Next> {
    let user = &state.pools[&session.pool].users[&session.username];
    let verifier = user.verifier.clone().ok_or_else(ApiError::wrong_password)?;
    Ok(Next::StartSrp(SrpStart {
        session,
        verifier,
        srp_a: srp_a.to_owned(),
        proof,
    }))
}

/// Makes `B` unlocked, then stores the sign-in and answers the verifier challenge.
pub(super) fn start(shared: &Shared, start: SrpStart) -> Result<Next> {
    let server = ServerEphemeral::generate(&start.verifier)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let srp = SrpStep {
        srp_a: start.srp_a,
        server: Arc::new(server),
        verifier: start.verifier,
        secret_block: random_bytes(64)?,
    };
    let mut state = shared.lock();
    issue_verifier(&mut state, start.session, srp, start.proof).map(Next::Done)
}

/// Stores the sign-in and answers PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER).
fn issue_verifier(
    state: &mut State,
    session: AuthSession,
    srp: SrpStep,
    proof: Proof,
) -> Result<Value> {
    let block = STANDARD.encode(&srp.secret_block);
    let mut parameters = json!({
        "SALT": srp.verifier.salt_hex(),
        "SRP_B": srp.server.public_hex(),
        "SECRET_BLOCK": block,
        "USERNAME": session.username,
    });
    if !matches!(proof, Proof::Device(_)) {
        parameters["USER_ID_FOR_SRP"] = json!(session.username);
    }
    match proof {
        Proof::Decoy => {
            let answer = json!({
                "ChallengeName": ChallengeName::PasswordVerifier.as_str(),
                "ChallengeParameters": parameters,
            });
            store_under(state, block_key(&block), session, Step::Decoy);
            Ok(answer)
        }
        Proof::PasswordWithoutSession => {
            // Like AWS: USER_SRP_AUTH's PASSWORD_VERIFIER comes without a Session.
            let answer = json!({
                "ChallengeName": ChallengeName::PasswordVerifier.as_str(),
                "ChallengeParameters": parameters,
            });
            let step = Step::PasswordVerifier(srp);
            store_under(state, block_key(&block), session, step);
            Ok(answer)
        }
        Proof::Password => store_challenge(state, session, Step::PasswordVerifier(srp), parameters),
        Proof::Device(device_key) => {
            let step = Step::DevicePasswordVerifier { srp, device_key };
            store_challenge(state, session, step, parameters)
        }
    }
}

/// PASSWORD_VERIFIER's answer, to check unlocked.
pub(super) fn user_claim(
    state: &State,
    session: AuthSession,
    srp: SrpStep,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let pool_name = state.pools[&session.pool].srp_name().to_owned();
    claim(session, srp, Claimant::User { pool_name }, responses)
}

/// DEVICE_PASSWORD_VERIFIER's answer, to check unlocked.
pub(super) fn device_claim(
    state: &State,
    session: AuthSession,
    srp: SrpStep,
    device_key: String,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let device = state.pools[&session.pool].users[&session.username]
        .devices
        .get(&device_key)
        .ok_or_else(ApiError::device_not_found)?;
    let group_key = device.group_key.clone();
    let claimant = Claimant::Device {
        group_key,
        device_key,
    };
    claim(session, srp, claimant, responses)
}

/// Reads a verifier answer, checking the echoed SECRET_BLOCK and the TIMESTAMP format.
fn claim(
    session: AuthSession,
    srp: SrpStep,
    claimant: Claimant,
    responses: &BTreeMap<String, String>,
) -> Result<Next> {
    let block = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    if STANDARD.decode(block).ok().as_deref() != Some(srp.secret_block.as_slice()) {
        return Err(ApiError::wrong_password());
    }
    let parsed = parse_timestamp(required(responses, "TIMESTAMP")?).ok_or_else(|| {
        ApiError::invalid_parameter(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        )
    })?;
    let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?.clone();
    Ok(Next::CheckClaim(ClaimCheck {
        session,
        srp,
        claimant,
        // Cognito signs its own rendering of the instant, not the text it was sent: a
        // zero-padded day or a wrong weekday fails the signature.
        timestamp: timestamp(parsed),
        signature,
    }))
}

/// Checks the claim unlocked, then goes on with the sign-in.
pub(super) fn check(shared: &Shared, check: ClaimCheck) -> Result<Next> {
    let ClaimCheck {
        session,
        srp,
        claimant,
        timestamp,
        signature,
    } = check;
    let (pool_name, user_id) = match &claimant {
        Claimant::User { pool_name } => (pool_name, &session.username),
        Claimant::Device {
            group_key,
            device_key,
        } => (group_key, device_key),
    };
    let valid = srp
        .server
        .verify(
            &srp.verifier,
            &Claim {
                pool_name,
                user_id,
                srp_a_hex: &srp.srp_a,
                secret_block: &srp.secret_block,
                timestamp: &timestamp,
                signature: &signature,
            },
        )
        // A hostile SRP_A fails the sign-in like a wrong password.
        .unwrap_or(false);
    let mut state = shared.lock();
    match claimant {
        Claimant::User { .. } => password_checked(shared, &mut state, session, valid),
        Claimant::Device { .. } if valid => advance(shared, &mut state, session),
        Claimant::Device { .. } => Err(ApiError::wrong_password()),
    }
}

/// After the user's password claim: lockout bookkeeping, then the next step.
fn password_checked(
    shared: &Shared,
    state: &mut State,
    mut session: AuthSession,
    valid: bool,
) -> Result<Next> {
    let now = state.now();
    let lockout = lockout_policy(state, &session);
    let user = pool_user(state, &session.pool, &session.username)?;
    // Checked again at the proof: the user may have been locked since InitiateAuth.
    check_lockout(user, now)?;
    if !valid {
        record_failure(user, lockout, now);
        return Err(ApiError::wrong_password());
    }
    user.failed_attempts = 0;
    let name = ChallengeName::PasswordVerifier.as_str();
    if record(&mut session, name, true, None) {
        return custom_next(state, session, None);
    }
    advance(shared, state, session)
}
