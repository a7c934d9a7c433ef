//! An Amazon Cognito user pool in a process, for testing sign-in code offline.
//!
//! A real HTTP server on 127.0.0.1 speaking Cognito's JSON 1.1 protocol: real SRP
//! (user and device, sharing `cognito-typestate`'s maths), TIMESTAMP checked the way
//! Cognito checks it, SECRET_HASH on every call, TOTP, SMS and e-mail codes delivered
//! to an outbox, `NEW_PASSWORD_REQUIRED`, `MFA_SETUP` with its session chain,
//! `SELECT_MFA_TYPE`, `EMAIL_OTP`, `USER_AUTH` / `SELECT_CHALLENGE`, `CUSTOM_AUTH` with
//! triggers as closures, device tracking, refresh-token rotation, RS256 tokens with
//! Cognito's claims, single-use expiring sessions and lockout; and the account around a
//! sign-in: `SignUp` with its confirmation code and auto sign-in, password reset
//! (forgotten, or required by `AdminResetUserPassword`), `ChangePassword`,
//! `GlobalSignOut` and `RevokeToken`; and passkeys: the pool as a WebAuthn relying party
//! (registration, listing, deletion, `WEB_AUTHN` sign-in), verified by `webauthn-rs-core`.
//!
//! ```
//! use cognito_typestate_emulator::{AppClientConfig, Emulator, PoolConfig, UserConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?;
//! let pool = emulator.create_pool(PoolConfig::default())?;
//! let client = pool.create_client(AppClientConfig::new("web"))?;
//! pool.create_user(UserConfig::new("alice").password("Corr3ct-horse"))?;
//! // Point any Cognito client at `emulator.endpoint()` with `pool.id()` and `client.id`.
//! assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
//! # let _ = client;
//! # Ok(()) }
//! ```
//!
//! What it holds is bounded: the outbox keeps the newest [`OUTBOX_LIMIT`] messages (over
//! all pools), expired access and refresh tokens (revoked ones included) and sign-up
//! sessions are swept out, and so are expired sign-in sessions a quarter of an hour after they expire (until then an answer is told the
//! session expired). The clock moves at most [`MAX_CLOCK_ADVANCE`] forward.
//!
//! The same emulator runs standalone for other languages' tests:
//! `cargo run -p cognito-typestate-emulator -- --port 9229 --config pool.json`.
#![deny(missing_docs)]

mod admin;
mod auth;
mod config;
mod error;
mod jwt;
mod random;
mod request;
mod server;
mod state;
mod triggers;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::oneshot;

pub use config::{
    AppClientConfig, DeviceTracking, EmulatorConfig, FactorConfiguration, FirstFactor, Mfa,
    MfaMethod, PoolConfig, QuestionChallenge, UserConfig, UserVerification, WebAuthnConfig,
};
pub use error::ApiError;
#[cfg(feature = "fault-injection")]
pub use random::break_randomness;
pub use triggers::{
    ChallengeResult, CreateEvent, CreatedChallenge, CustomAuth, Decision, DefineEvent, VerifyEvent,
};

pub use state::{MAX_CLOCK_ADVANCE, OUTBOX_LIMIT, UserStatus};

use state::{Shared, State};

/// Why the emulator could not start or be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for (0: any).
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// The token-signing key could not be made (or the published one loaded).
    #[error("cannot make the token-signing key: {0}")]
    Key(#[from] openssl::error::ErrorStack),
    /// A setup call was refused (duplicate id, unknown pool, bad password...).
    #[error(transparent)]
    Setup(#[from] ApiError),
}

/// A code the emulator "sent" by SMS or e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The pool.
    pub pool_id: String,
    /// The canonical username.
    pub username: String,
    /// `SMS` or `EMAIL`.
    pub medium: String,
    /// The phone number or address (unmasked).
    pub destination: String,
    /// The code.
    pub code: String,
    /// What it is for: the challenge it answers (`SMS_MFA`, `EMAIL_OTP`, `SMS_OTP`), or
    /// the account operation (`CONFIRM_SIGN_UP`, `FORGOT_PASSWORD`).
    pub challenge: String,
}

/// Signs every token of this process with an RSA key published in this crate's source,
/// instead of one made at the first emulator's start. Call it before starting one.
///
/// Making a key takes 100 to 400 ms, which the first sign-in of a process waits for; a
/// test suite that starts a process per test pays it each time. With the published key
/// the first token is signed at once. Anyone can sign tokens with a published key, so
/// use it only where nothing trusts the emulator's tokens beyond the test (as moto and
/// cognito-local do with theirs). Each emulator still publishes it under a key id of its
/// own.
///
/// Returns `Ok(false)` when a key was made or being made already (that key stays).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// assert!(cognito_typestate_emulator::use_published_signing_key()?);
/// let emulator = cognito_typestate_emulator::Emulator::start().await?;
/// # Ok(()) }
/// ```
pub fn use_published_signing_key() -> Result<bool, EmulatorError> {
    Ok(jwt::use_published_key()?)
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl Emulator {
    /// Starts on an ephemeral port of 127.0.0.1, with no pools.
    pub async fn start() -> Result<Self, EmulatorError> {
        Self::start_on(0).await
    }

    /// Starts on a chosen port of 127.0.0.1 (0: any free port).
    pub async fn start_on(port: u16) -> Result<Self, EmulatorError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| EmulatorError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind { port, source })?;
        let state = State {
            decoy_key: random::random_bytes(32)?,
            ..State::default()
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            signer: jwt::Signer::generate()?,
            endpoint: format!("http://{addr}/"),
        });
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(Self {
            shared,
            addr,
            stop: Some(stop),
        })
    }

    /// Starts with the pools of a configuration (what `--config` reads).
    pub async fn with_config(port: u16, config: EmulatorConfig) -> Result<Self, EmulatorError> {
        let emulator = Self::start_on(port).await?;
        for pool in config.pools {
            emulator.create_pool(pool)?;
        }
        Ok(emulator)
    }

    /// `http://127.0.0.1:<port>/`: the endpoint to give a Cognito client.
    pub fn endpoint(&self) -> &str {
        &self.shared.endpoint
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Creates a pool with its clients and users.
    pub fn create_pool(&self, mut config: PoolConfig) -> Result<PoolHandle, EmulatorError> {
        let clients = std::mem::take(&mut config.clients);
        let users = std::mem::take(&mut config.users);
        let id = self.shared.lock().insert_pool(config)?;
        let handle = PoolHandle {
            shared: self.shared.clone(),
            id,
        };
        for client in clients {
            handle.create_client(client)?;
        }
        for user in users {
            handle.create_user(user)?;
        }
        Ok(handle)
    }

    /// Every pool, in no particular order.
    pub fn pools(&self) -> Vec<PoolHandle> {
        self.shared
            .lock()
            .pools
            .keys()
            .map(|id| PoolHandle {
                shared: self.shared.clone(),
                id: id.clone(),
            })
            .collect()
    }

    /// A pool made earlier (for example from `--config`).
    pub fn pool(&self, id: &str) -> Option<PoolHandle> {
        self.shared
            .lock()
            .pools
            .contains_key(id)
            .then(|| PoolHandle {
                shared: self.shared.clone(),
                id: id.to_owned(),
            })
    }

    /// The codes sent so far, oldest first: the newest [`OUTBOX_LIMIT`] of them.
    pub fn outbox(&self) -> Vec<Message> {
        self.shared.lock().outbox.iter().cloned().collect()
    }

    /// Moves the emulator's clock forward: sessions, tokens, codes and lockouts expire as if
    /// that much time had passed, and what expired is swept out. TOTP codes are still
    /// checked against the wall clock, which the authenticator app a test stands in
    /// for reads. The clock moves at most [`MAX_CLOCK_ADVANCE`] in all; a call that
    /// would go further moves it that far.
    pub fn advance_clock(&self, by: Duration) {
        let mut state = self.shared.lock();
        let room = MAX_CLOCK_ADVANCE.saturating_sub(state.clock_offset);
        // Within the room left, so this cannot fail.
        let _ = state.advance_clock(by.min(room));
    }

    /// How much the emulator holds right now, after sweeping out what has expired.
    pub fn stored(&self) -> Stored {
        let mut state = self.shared.lock();
        state.sweep();
        Stored {
            sessions: state.sessions.len(),
            account_sessions: state.account_sessions.len(),
            access_tokens: state.access_tokens.len(),
            refresh_tokens: state.refresh_tokens.len(),
            messages: state.outbox.len(),
        }
    }

    /// Stops the server.
    pub fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint())
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// What [`Emulator::stored`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stored {
    /// Sign-ins waiting for an answer (expired ones are kept a quarter of an hour, to
    /// be told apart from unknown ones).
    pub sessions: usize,
    /// Sign-ups waiting for their confirmation (a day at most), and confirmed ones
    /// waiting for their auto sign-in.
    pub account_sessions: usize,
    /// Access tokens not yet expired.
    pub access_tokens: usize,
    /// Refresh tokens not yet expired.
    pub refresh_tokens: usize,
    /// Messages in the outbox (at most [`OUTBOX_LIMIT`]).
    pub messages: usize,
}

/// An app client as created: its id and (if it has one) its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppClientInfo {
    /// The name it was created with.
    pub name: String,
    /// `ClientId`.
    pub id: String,
    /// The client secret.
    pub secret: Option<String>,
}

/// A pool of a running emulator, for setting up and inspecting state.
#[derive(Clone)]
pub struct PoolHandle {
    shared: Arc<Shared>,
    id: String,
}

impl std::fmt::Debug for PoolHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolHandle")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl PoolHandle {
    /// `<region>_<name>`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Creates an app client.
    pub fn create_client(&self, config: AppClientConfig) -> Result<AppClientInfo, EmulatorError> {
        Ok(self.shared.lock().insert_client(&self.id, config)?)
    }

    /// The pool's app clients, in no particular order.
    pub fn client_ids(&self) -> Vec<AppClientInfo> {
        let state = self.shared.lock();
        state.pools.get(&self.id).map_or_else(Vec::new, |pool| {
            pool.clients
                .values()
                .map(|c| AppClientInfo {
                    name: c.config.name.clone(),
                    id: c.id.clone(),
                    secret: c.secret.clone(),
                })
                .collect()
        })
    }

    /// Creates a user.
    pub fn create_user(&self, config: UserConfig) -> Result<(), EmulatorError> {
        Ok(self.shared.lock().insert_user(&self.id, config)?)
    }

    /// Installs custom-auth triggers (replacing any from the configuration).
    pub fn set_custom_auth(&self, triggers: CustomAuth) {
        if let Ok(pool) = self.shared.lock().pool_mut(&self.id) {
            pool.custom_auth = Some(triggers);
        }
    }

    /// The newest code sent to a user of this pool (by username, or an alias or username
    /// attribute such as the e-mail address they signed up with).
    pub fn last_code(&self, username: &str) -> Option<String> {
        let state = self.shared.lock();
        let username = state
            .pools
            .get(&self.id)
            .and_then(|pool| pool.resolve(username))
            .unwrap_or(username);
        state
            .outbox
            .iter()
            .rev()
            .find(|m| m.pool_id == self.id && m.username == username)
            .map(|m| m.code.clone())
    }

    /// Resets a user's password as `AdminResetUserPassword` does: status
    /// RESET_REQUIRED, a code sent to their verified e-mail address (else phone number),
    /// sign-in refused with `PasswordResetRequiredException` until the reset.
    pub fn reset_password(&self, username: &str) -> Result<(), EmulatorError> {
        Ok(auth::require_reset(
            &mut self.shared.lock(),
            &self.id,
            username,
        )?)
    }

    /// Confirms a signed-up user without a code, as `AdminConfirmSignUp` does.
    pub fn confirm_sign_up(&self, username: &str) -> Result<(), EmulatorError> {
        Ok(auth::confirm_user(
            &mut self.shared.lock(),
            &self.id,
            username,
        )?)
    }

    /// A user's status (by username, or an alias or username attribute).
    pub fn user_status(&self, username: &str) -> Option<UserStatus> {
        let state = self.shared.lock();
        let pool = state.pools.get(&self.id)?;
        Some(pool.users.get(pool.resolve(username)?)?.status)
    }

    /// Forgets a device on the server side (AdminForgetDevice).
    pub fn forget_device(&self, username: &str, device_key: &str) -> bool {
        let mut state = self.shared.lock();
        state
            .pool_mut(&self.id)
            .ok()
            .and_then(|pool| pool.users.get_mut(username))
            .is_some_and(|user| user.devices.remove(device_key).is_some())
    }

    /// A user's passkeys (by username, or an alias or username attribute), oldest first:
    /// what `ListWebAuthnCredentials` lists, unpaged, with the sign counters.
    pub fn passkeys(&self, username: &str) -> Vec<PasskeySummary> {
        let state = self.shared.lock();
        state
            .pools
            .get(&self.id)
            .and_then(|pool| pool.users.get(pool.resolve(username)?))
            .map_or_else(Vec::new, auth::passkey_summaries)
    }

    /// Deletes one of a user's passkeys by its `CredentialId` (what
    /// `DeleteWebAuthnCredential` does, as an administrator); whether the user had it.
    pub fn delete_passkey(&self, username: &str, credential_id: &str) -> bool {
        let mut state = self.shared.lock();
        let Ok(pool) = state.pool_mut(&self.id) else {
            return false;
        };
        let Some(username) = pool.resolve(username).map(str::to_owned) else {
            return false;
        };
        pool.users
            .get_mut(&username)
            .is_some_and(|user| auth::delete_passkey(user, credential_id))
    }

    /// What a test may want to assert about a user.
    pub fn user(&self, username: &str) -> Option<UserSummary> {
        let state = self.shared.lock();
        let user = state.pools.get(&self.id)?.users.get(username)?;
        Some(UserSummary {
            confirmed: user.status == UserStatus::Confirmed,
            status: user.status,
            attributes: user.attributes.clone(),
            mfa_enabled: user.mfa_enabled.iter().copied().collect(),
            totp_secret: user.totp_secret.clone(),
            devices: user
                .devices
                .iter()
                .map(|(key, device)| DeviceSummary {
                    key: key.clone(),
                    confirmed: device.verifier.is_some(),
                    remembered: device.remembered,
                    name: device.name.clone(),
                })
                .collect(),
            locked: user.locked_until.is_some_and(|until| until > state.now()),
        })
    }
}

/// A user's state, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserSummary {
    /// CONFIRMED (not UNCONFIRMED, FORCE_CHANGE_PASSWORD or RESET_REQUIRED).
    pub confirmed: bool,
    /// The status itself.
    pub status: UserStatus,
    /// Attributes, `sub` included.
    pub attributes: std::collections::BTreeMap<String, String>,
    /// Enabled MFA methods.
    pub mfa_enabled: Vec<MfaMethod>,
    /// The enrolled TOTP secret.
    pub totp_secret: Option<String>,
    /// Devices known for the user.
    pub devices: Vec<DeviceSummary>,
    /// Locked out by failed attempts right now.
    pub locked: bool,
}

/// A device, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceSummary {
    /// DeviceKey.
    pub key: String,
    /// ConfirmDevice registered a verifier.
    pub confirmed: bool,
    /// Skips MFA.
    pub remembered: bool,
    /// DeviceName from ConfirmDevice.
    pub name: Option<String>,
}

/// A passkey, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PasskeySummary {
    /// `CredentialId`: the credential id, base64url without padding.
    pub credential_id: String,
    /// The relying party it was registered with.
    pub relying_party_id: String,
    /// `platform` or `cross-platform`, as the client reported it.
    pub authenticator_attachment: Option<String>,
    /// How the client may reach the authenticator, as it reported them.
    pub transports: Vec<String>,
    /// When it was registered: seconds since the epoch, on the emulator's clock.
    pub created_at: u64,
    /// The newest signature counter seen (0: the authenticator keeps none).
    pub sign_count: u32,
    /// The authenticator verified the user at registration.
    pub user_verified: bool,
}
