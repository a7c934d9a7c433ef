//! InitiateAuth, RespondToAuthChallenge and the calls that belong to a sign-in, as
//! Cognito documents them (PROTOCOL.md §3–§6).
//!
//! Handlers run on a blocking thread. They hold the state lock only to read and write
//! state: the SRP exponentiations run unlocked (see [`Next`]), so sign-ins proceed in
//! parallel.

mod account;
mod caller;
mod challenge;
mod client_secret;
mod codes;
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
mod totp;
mod webauthn;

pub(crate) use account::{confirm_user, require_reset};
pub(crate) use challenge::{ChallengeName, CodeChallenge};
pub(crate) use client_secret::{check_client_secret, constant_eq};
pub(crate) use custom::SRP_A;
pub(crate) use flow::AuthFlow;
pub(crate) use session::Waiting;
pub(crate) use tokens::reserved_claim;
pub(crate) use webauthn::{
    Passkeys, check_config as check_web_authn_config, delete_passkey, passkey_summaries,
};

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::admin;
use crate::error::{ApiError, Result};
use crate::state::{Shared, State};

use custom::TriggerCall;
use srp::{ClaimCheck, SrpStart};
use tokens::Unsigned;

/// A handler's result: an answer, or SRP work to do without the lock.
enum Next {
    Done(Value),
    /// Make `B` and issue PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER).
    StartSrp(SrpStart),
    /// Check a password claim, then go on.
    CheckClaim(ClaimCheck),
    /// Run a custom-auth trigger, then go on.
    Trigger(TriggerCall),
    /// Sign tokens (RSA), then register the access token.
    Sign(Unsigned),
}

/// Runs an operation to its answer.
pub(crate) fn dispatch(shared: &Shared, operation: &str, body: &Value) -> Result<Value> {
    let mut next = {
        let mut state = shared.lock();
        state.sweep_now_and_then();
        operation_step(shared, &mut state, operation, body)?
    };
    loop {
        next = match next {
            Next::Done(answer) => return Ok(answer),
            Next::StartSrp(start) => srp::start(shared, start)?,
            Next::CheckClaim(check) => srp::check(shared, check)?,
            Next::Trigger(call) => custom::run(shared, call)?,
            Next::Sign(unsigned) => tokens::sign(shared, unsigned)?,
        };
    }
}

/// The part of an operation that runs under the lock.
fn operation_step(
    shared: &Shared,
    state: &mut State,
    operation: &str,
    body: &Value,
) -> Result<Next> {
    let answer = match operation {
        "InitiateAuth" => return initiate::initiate_auth(shared, state, body),
        "RespondToAuthChallenge" => return respond::respond_to_auth_challenge(shared, state, body),
        "AssociateSoftwareToken" => totp::associate_software_token(state, body)?,
        "VerifySoftwareToken" => totp::verify_software_token(state, body)?,
        "GetTokensFromRefreshToken" => {
            return tokens::get_tokens_from_refresh_token(shared, state, body);
        }
        "ConfirmDevice" => devices::confirm_device(state, body)?,
        "UpdateDeviceStatus" => devices::update_device_status(state, body)?,
        "ForgetDevice" | "AdminForgetDevice" => devices::forget_device(state, body)?,
        "SetUserMFAPreference" | "AdminSetUserMFAPreference" => {
            mfa::set_mfa_preference(state, body)?
        }
        "SignUp" => account::sign_up(state, body)?,
        "ConfirmSignUp" => account::confirm_sign_up(state, body)?,
        "ResendConfirmationCode" => account::resend_confirmation_code(state, body)?,
        "ForgotPassword" => account::forgot_password(state, body)?,
        "ConfirmForgotPassword" => account::confirm_forgot_password(state, body)?,
        "ChangePassword" => account::change_password(state, body)?,
        "GlobalSignOut" => account::global_sign_out(state, body)?,
        "AdminUserGlobalSignOut" => account::admin_global_sign_out(state, body)?,
        "RevokeToken" => account::revoke_token(state, body)?,
        "GetUser" => account::get_user(state, body)?,
        "StartWebAuthnRegistration" => webauthn::start_registration(state, body)?,
        "CompleteWebAuthnRegistration" => webauthn::complete_registration(state, body)?,
        "ListWebAuthnCredentials" => webauthn::list_credentials(state, body, false)?,
        "DeleteWebAuthnCredential" => webauthn::delete_credential(state, body, false)?,
        // The emulator's own: Cognito has no admin passkey calls.
        "AdminListWebAuthnCredentials" => webauthn::list_credentials(state, body, true)?,
        "AdminDeleteWebAuthnCredential" => webauthn::delete_credential(state, body, true)?,
        "AdminResetUserPassword" => account::admin_reset_user_password(state, body)?,
        "AdminConfirmSignUp" => account::admin_confirm_sign_up(state, body)?,
        "AdminCreateUser" => admin::create_user(state, body)?,
        "AdminSetUserPassword" => admin::set_password(state, body)?,
        "AdminGetUser" => admin::get_user(state, body)?,
        "CreateUserPool" => admin::create_pool(state, body)?,
        "CreateUserPoolClient" => admin::create_client(state, body)?,
        "SetUserPoolMfaConfig" => admin::set_pool_mfa(state, body)?,
        other => {
            return Err(ApiError::new(
                "UnknownOperationException",
                format!("{other} is not an operation this emulator knows"),
            ));
        }
    };
    Ok(Next::Done(answer))
}

fn unix(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
