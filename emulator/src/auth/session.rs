//! Sign-ins in progress: how far each is, what it waits for, and the store that keeps
//! it under its Session until the answer takes it back (once).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cognito_typestate::srp::server::{ServerEphemeral, Verifier};
use serde_json::{Value, json};
use webauthn_rs_core::proto::AuthenticationState;

use crate::config::{FirstFactor, MfaMethod};
use crate::error::{ApiError, Result};
use crate::random::random_token;
use crate::state::{State, later};
use crate::triggers::ChallengeResult;

use super::challenge::{ChallengeName, CodeChallenge};

/// A sign-in in progress.
pub(super) struct AuthSession {
    pub(super) pool: String,
    pub(super) client: String,
    pub(super) username: String,
    pub(super) expires: SystemTime,
    /// A confirmed device the client named with DEVICE_KEY.
    pub(super) device_key: Option<String>,
    pub(super) phase: Phase,
    pub(super) client_metadata: BTreeMap<String, String>,
    pub(super) wrong_codes: u32,
    pub(super) auth_time: u64,
}

impl AuthSession {
    /// A sign-in of `username` through `client`, its first factor under way.
    pub(super) fn new(
        pool: String,
        client: String,
        username: String,
        expires: SystemTime,
        auth_time: u64,
    ) -> Self {
        Self {
            pool,
            client,
            username,
            expires,
            device_key: None,
            phase: Phase::FirstFactor,
            client_metadata: BTreeMap::new(),
            wrong_codes: 0,
            auth_time,
        }
    }
}

/// How far a sign-in is: what still comes before the tokens, in this order: the
/// first factor, a new password (if one is due), MFA, the device.
pub(super) enum Phase {
    /// A password first factor is under way.
    FirstFactor,
    /// A passwordless first factor (EMAIL_OTP, SMS_OTP, WEB_AUTHN) is under way: it
    /// is the whole sign-in, so no MFA comes after it.
    Passwordless,
    /// CUSTOM_AUTH: the triggers decide each step until they issue tokens (and then
    /// neither a new password nor MFA is asked). The trigger's view of the steps so far.
    Custom(Vec<ChallengeResult>),
    /// MFA next.
    Mfa,
    /// DEVICE_SRP_AUTH next, for a device named with DEVICE_KEY.
    Device,
    /// Only the tokens are left.
    Tokens,
}

/// A sign-in stored under its Session, waiting for the answer to `step`.
pub(crate) struct Waiting {
    pub(super) session: AuthSession,
    pub(super) step: Step,
}

impl Waiting {
    /// When the sign-in expires.
    pub(crate) fn expires(&self) -> SystemTime {
        self.session.expires
    }
}

/// What the session waits for.
pub(super) enum Step {
    PasswordVerifier(SrpStep),
    NewPasswordRequired,
    Code(CodeStep),
    SelectMfaType(Vec<MfaMethod>),
    MfaSetup(SetupStage),
    /// USER_AUTH's choice among the first factors this user can use.
    SelectChallenge(Vec<FirstFactor>),
    Custom {
        private: BTreeMap<String, String>,
        metadata: Option<String>,
    },
    DeviceSrpAuth,
    DevicePasswordVerifier {
        srp: SrpStep,
        device_key: String,
    },
    /// A passkey assertion, for the challenge webauthn-rs made.
    WebAuthn(Box<AuthenticationState>),
    /// A decoy PASSWORD_VERIFIER for an unknown user: every answer is wrong.
    Decoy,
}

impl Step {
    pub(super) fn challenge(&self) -> ChallengeName {
        match self {
            Step::PasswordVerifier(_) | Step::Decoy => ChallengeName::PasswordVerifier,
            Step::NewPasswordRequired => ChallengeName::NewPasswordRequired,
            Step::Code(code) => ChallengeName::Code(code.challenge),
            Step::SelectMfaType(_) => ChallengeName::SelectMfaType,
            Step::MfaSetup(_) => ChallengeName::MfaSetup,
            Step::SelectChallenge(_) => ChallengeName::SelectChallenge,
            Step::Custom { .. } => ChallengeName::CustomChallenge,
            Step::DeviceSrpAuth => ChallengeName::DeviceSrpAuth,
            Step::DevicePasswordVerifier { .. } => ChallengeName::DevicePasswordVerifier,
            Step::WebAuthn(_) => ChallengeName::WebAuthn,
        }
    }
}

/// A code challenge: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP or SMS_OTP.
pub(super) struct CodeStep {
    pub(super) challenge: CodeChallenge,
    /// The code sent to the outbox (none for TOTP).
    pub(super) code: Option<String>,
    /// Set up during MFA_SETUP (e-mail): enable the method on success.
    pub(super) enrolling: bool,
}

pub(super) struct SrpStep {
    pub(super) srp_a: String,
    pub(super) server: Arc<ServerEphemeral>,
    pub(super) verifier: Arc<Verifier>,
    pub(super) secret_block: Vec<u8>,
}

/// MFA_SETUP's TOTP sub-machine: S1 (offered) → S2 (associated) → S3 (verified).
pub(super) enum SetupStage {
    Offered(Vec<MfaMethod>),
    Associated(String),
    Verified(String),
}

/// Stores the sign-in under a new Session and answers the challenge of `step`.
pub(super) fn store_challenge(
    state: &mut State,
    session: AuthSession,
    step: Step,
    parameters: Value,
) -> Result<Value> {
    let id = new_session_id()?;
    let mut answer = json!({"ChallengeName": step.challenge().as_str(), "Session": id});
    answer["ChallengeParameters"] = parameters;
    state.sessions.insert(id, Waiting { session, step });
    Ok(answer)
}

/// Stores the sign-in under a key of the caller's: the Session it was taken from (so
/// that the same Session may answer again), or a SECRET_BLOCK's [`block_key`].
pub(super) fn store_under(state: &mut State, key: String, session: AuthSession, step: Step) {
    state.sessions.insert(key, Waiting { session, step });
}

/// Stores the sign-in under a new Session that lives a full validity again; returns
/// the Session (MFA_SETUP's calls chain them).
pub(super) fn renew(state: &mut State, mut session: AuthSession, step: Step) -> Result<String> {
    session.expires = later(state.now(), session_validity(state, &session));
    let id = new_session_id()?;
    state.sessions.insert(id.clone(), Waiting { session, step });
    Ok(id)
}

/// Takes the sign-in stored under a Session out of the store.
pub(super) fn take_session(state: &mut State, key: &str) -> Result<Waiting> {
    let waiting = state
        .sessions
        .remove(key)
        .ok_or_else(ApiError::invalid_session)?;
    if state.now() > waiting.session.expires {
        return Err(ApiError::expired_session());
    }
    Ok(waiting)
}

/// How long a session of the sign-in's app client lives.
fn session_validity(state: &State, session: &AuthSession) -> Duration {
    let seconds = state.pools[&session.pool].clients[&session.client]
        .config
        .session_validity_seconds;
    Duration::from_secs(seconds)
}

/// Where USER_SRP_AUTH's session-less PASSWORD_VERIFIER is stored: under its
/// SECRET_BLOCK, which the answer echoes.
pub(super) fn block_key(block: &str) -> String {
    format!("{BLOCK_KEY_PREFIX}{block}")
}

pub(super) const BLOCK_KEY_PREFIX: &str = "block:";

fn new_session_id() -> Result<String> {
    // Cognito's sessions are long opaque strings; clients must pass them unchanged.
    random_token(96)
}
