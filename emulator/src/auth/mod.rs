//! InitiateAuth, RespondToAuthChallenge and the calls that belong to a sign-in, as
//! Cognito documents them (PROTOCOL.md §3–§6).
//!
//! Handlers run on a blocking thread. They hold the state lock only to read and write
//! state: the SRP exponentiations run unlocked (see [`Next`]), so sign-ins proceed in
//! parallel.

mod caller;
mod challenge;
mod client_secret;
mod custom;
mod devices;
mod flow;
mod initiate;
mod mfa;
mod policy;
mod progress;
mod respond;
mod session;
mod srp;
mod tokens;

pub(crate) use challenge::{ChallengeName, CodeChallenge};
pub(crate) use flow::AuthFlow;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_typestate::srp::server::{Claim, ServerEphemeral, Verifier};
use serde_json::Value;

use crate::error::ApiError;
use crate::random_bytes;
use crate::state::{AuthSession, Shared, SrpStep};

type Result<T, E = ApiError> = std::result::Result<T, E>;

use devices::{confirm_device, forget_device, update_device_status};
use initiate::initiate_auth;
use mfa::{associate_software_token, set_mfa_preference, verify_software_token};
use respond::respond_to_auth_challenge;
use srp::{after_claim, issue_verifier};
use tokens::get_tokens_from_refresh_token;

/// A handler's result: an answer, or SRP work to do without the lock.
pub(crate) enum Next {
    Done(Value),
    /// Make `B` for `srp_a` and issue PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER).
    StartSrp {
        session: AuthSession,
        verifier: Arc<Verifier>,
        srp_a: String,
        /// USER_SRP_AUTH: no Session; the SECRET_BLOCK finds the sign-in again.
        session_less: bool,
        device_key: Option<String>,
    },
    /// Check a password claim, then go on.
    CheckClaim {
        session: AuthSession,
        srp: SrpStep,
        pool_name: String,
        user_id: String,
        timestamp: String,
        signature: String,
        /// DEVICE_PASSWORD_VERIFIER rather than PASSWORD_VERIFIER.
        device: bool,
    },
}

/// Runs an operation to its answer.
pub(crate) fn dispatch(shared: &Shared, operation: &str, body: &Value) -> Result<Value> {
    let mut next = {
        let mut state = shared.lock();
        match operation {
            "InitiateAuth" => initiate_auth(shared, &mut state, body)?,
            "RespondToAuthChallenge" => respond_to_auth_challenge(shared, &mut state, body)?,
            "AssociateSoftwareToken" => Next::Done(associate_software_token(&mut state, body)?),
            "VerifySoftwareToken" => Next::Done(verify_software_token(&mut state, body)?),
            "GetTokensFromRefreshToken" => {
                Next::Done(get_tokens_from_refresh_token(shared, &mut state, body)?)
            }
            "ConfirmDevice" => Next::Done(confirm_device(&mut state, body)?),
            "UpdateDeviceStatus" => Next::Done(update_device_status(&mut state, body)?),
            "ForgetDevice" | "AdminForgetDevice" => Next::Done(forget_device(&mut state, body)?),
            "SetUserMFAPreference" | "AdminSetUserMFAPreference" => {
                Next::Done(set_mfa_preference(&mut state, body)?)
            }
            "AdminCreateUser" => Next::Done(crate::admin::create_user(&mut state, body)?),
            "AdminSetUserPassword" => Next::Done(crate::admin::set_password(&mut state, body)?),
            "AdminGetUser" => Next::Done(crate::admin::get_user(&state, body)?),
            "CreateUserPool" => Next::Done(crate::admin::create_pool(&mut state, body)?),
            "CreateUserPoolClient" => Next::Done(crate::admin::create_client(&mut state, body)?),
            "SetUserPoolMfaConfig" => Next::Done(crate::admin::set_pool_mfa(&mut state, body)?),
            other => {
                return Err(ApiError::new(
                    "UnknownOperationException",
                    format!("{other} is not an operation this emulator knows"),
                ));
            }
        }
    };
    loop {
        next = match next {
            Next::Done(answer) => return Ok(answer),
            Next::StartSrp {
                session,
                verifier,
                srp_a,
                session_less,
                device_key,
            } => {
                let server = ServerEphemeral::generate(&verifier)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let srp = SrpStep {
                    srp_a,
                    server: Arc::new(server),
                    verifier,
                    secret_block: random_bytes(64)?,
                };
                let mut state = shared.lock();
                Next::Done(issue_verifier(
                    &mut state,
                    session,
                    srp,
                    session_less,
                    device_key,
                ))
            }
            Next::CheckClaim {
                session,
                srp,
                pool_name,
                user_id,
                timestamp,
                signature,
                device,
            } => {
                let valid = srp
                    .server
                    .verify(
                        &srp.verifier,
                        &Claim {
                            pool_name: &pool_name,
                            user_id: &user_id,
                            srp_a_hex: &srp.srp_a,
                            secret_block: &srp.secret_block,
                            timestamp: &timestamp,
                            signature: &signature,
                        },
                    )
                    // A hostile SRP_A fails the sign-in like a wrong password.
                    .unwrap_or(false);
                let mut state = shared.lock();
                after_claim(shared, &mut state, session, valid, device)?
            }
        };
    }
}

pub(crate) fn unix(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
