//! What the emulator remembers: pools, users, devices, sessions, grants, the outbox.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use cognito_typestate::srp::server::Verifier;

use crate::Message;
use crate::auth::{AuthFlow, Passkeys, Waiting};
use crate::config::{AppClientConfig, MfaMethod, PoolConfig, UserConfig};
use crate::error::ApiError;
use crate::jwt::Signer;
use crate::random::{alphanumeric, random_bytes, uuid};

use crate::triggers::CustomAuth;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;

/// Everything behind one lock. SRP and RSA work happens outside it.
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) signer: Signer,
    pub(crate) endpoint: String,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic under the lock leaves plain data behind; keep serving.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The latest instant the emulator computes with: durations past it saturate, so no
/// configuration or clock request can overflow the time arithmetic.
pub(crate) fn far_future() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(MAX_UNIX_SECONDS)
}

/// Year 9999 or so: beyond every validity a test would ask for.
const MAX_UNIX_SECONDS: u64 = 253_402_300_799;

/// `at + by`, saturating at [`far_future`].
pub(crate) fn later(at: SystemTime, by: Duration) -> SystemTime {
    at.checked_add(by)
        .filter(|t| *t < far_future())
        .unwrap_or_else(far_future)
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) pools: HashMap<String, Pool>,
    /// Client id → pool id.
    pub(crate) client_pools: HashMap<String, String>,
    /// Session string (or `block:<SECRET_BLOCK>` for the session-less
    /// PASSWORD_VERIFIER of USER_SRP_AUTH) → sign-in in progress.
    pub(crate) sessions: HashMap<String, Waiting>,
    /// Session string → a sign-up waiting for its confirmation, or a confirmed one
    /// waiting for its auto sign-in. Apart from `sessions`: no challenge answers them.
    pub(crate) account_sessions: HashMap<String, AccountSession>,
    /// Access token → who it was issued to.
    pub(crate) access_tokens: HashMap<String, Grant>,
    pub(crate) refresh_tokens: HashMap<String, RefreshGrant>,
    /// The newest [`OUTBOX_LIMIT`] messages, oldest first.
    pub(crate) outbox: VecDeque<Message>,
    /// Added to the wall clock, so tests can expire sessions without waiting.
    pub(crate) clock_offset: Duration,
    /// When expired sessions and tokens were last swept out.
    pub(crate) last_sweep: Option<SystemTime>,
    /// The key unknown users' decoy salts are derived from: the same unknown name
    /// gets the same salt every time, as a real user's does.
    pub(crate) decoy_key: Vec<u8>,
    /// Decoy verifiers made so far (at most [`DECOYS_KEPT`]), so that a decoy costs
    /// what a real user's PASSWORD_VERIFIER costs.
    pub(crate) decoys: HashMap<(String, String), Arc<Verifier>>,
}

/// How many decoy verifiers are kept.
const DECOYS_KEPT: usize = 1_000;

/// How many messages the outbox keeps (over all pools): the newest.
pub const OUTBOX_LIMIT: usize = 1_000;

/// How far the emulator's clock may be moved forward in all: about 100 years.
pub const MAX_CLOCK_ADVANCE: Duration = Duration::from_secs(100 * 366 * 86_400);

/// How long an expired session is kept, so that its answer is told "session is
/// expired" rather than "invalid session", before it is swept out.
const EXPIRED_SESSION_KEPT: Duration = Duration::from_secs(15 * 60);

/// How often (on the emulator's clock) the sweep runs at most.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

impl State {
    pub(crate) fn now(&self) -> SystemTime {
        later(SystemTime::now(), self.clock_offset)
    }

    /// Moves the clock forward, refusing to go past [`MAX_CLOCK_ADVANCE`] in all.
    pub(crate) fn advance_clock(&mut self, by: Duration) -> Result<(), ApiError> {
        let offset = self
            .clock_offset
            .checked_add(by)
            .filter(|offset| *offset <= MAX_CLOCK_ADVANCE)
            .ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "the clock may move at most {} seconds forward in all",
                    MAX_CLOCK_ADVANCE.as_secs()
                ))
            })?;
        self.clock_offset = offset;
        self.sweep();
        Ok(())
    }

    /// The decoy verifier of an unknown user: a salt derived from the name with a key
    /// of this emulator (non-negative, like real users' salts) and a password nobody
    /// knows.
    pub(crate) fn decoy_verifier(
        &mut self,
        pool_id: &str,
        username: &str,
    ) -> Result<Arc<Verifier>, ApiError> {
        let key = (pool_id.to_owned(), username.to_owned());
        if let Some(verifier) = self.decoys.get(&key) {
            return Ok(verifier.clone());
        }
        let internal = |e: &dyn std::fmt::Display| ApiError::internal(e.to_string());
        let hmac = |label: &str| -> Result<Vec<u8>, ApiError> {
            let pkey = PKey::hmac(&self.decoy_key).map_err(|e| internal(&e))?;
            let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), &pkey)
                .map_err(|e| internal(&e))?;
            for part in [label, pool_id, username] {
                signer.update(part.as_bytes()).map_err(|e| internal(&e))?;
                signer.update(&[0]).map_err(|e| internal(&e))?;
            }
            signer.sign_to_vec().map_err(|e| internal(&e))
        };
        let mut salt = hmac("salt")?[..16].to_vec();
        salt[0] &= 0x7f;
        let password = hex(&hmac("password")?);
        let srp_name = pool_id.split_once('_').map_or("", |(_, name)| name);
        let verifier = Verifier::for_password(srp_name, username, &password, &salt)
            .map_err(|e| internal(&e))?;
        let verifier = Arc::new(verifier);
        if self.decoys.len() >= DECOYS_KEPT {
            self.decoys.clear();
        }
        self.decoys.insert(key, verifier.clone());
        Ok(verifier)
    }

    /// Puts a message in the outbox, dropping the oldest past [`OUTBOX_LIMIT`].
    pub(crate) fn deliver(&mut self, message: Message) {
        if self.outbox.len() >= OUTBOX_LIMIT {
            self.outbox.pop_front();
        }
        self.outbox.push_back(message);
    }

    /// Sweeps out what has expired, at most once per [`SWEEP_EVERY`].
    pub(crate) fn sweep_now_and_then(&mut self) {
        let now = self.now();
        if self
            .last_sweep
            .is_none_or(|last| now < last || later(last, SWEEP_EVERY) <= now)
        {
            self.sweep();
        }
    }

    /// Forgets expired sessions (after [`EXPIRED_SESSION_KEPT`]), expired access
    /// tokens and expired refresh tokens, whether or not anyone uses them again.
    pub(crate) fn sweep(&mut self) {
        let now = self.now();
        self.last_sweep = Some(now);
        self.sessions
            .retain(|_, waiting| later(waiting.expires(), EXPIRED_SESSION_KEPT) > now);
        self.account_sessions
            .retain(|_, session| session.expires > now);
        self.access_tokens.retain(|_, grant| grant.expires > now);
        self.refresh_tokens.retain(|_, r| r.grant.expires > now);
    }

    pub(crate) fn pool_of_client(&self, client_id: &str) -> Result<(&Pool, &AppClient), ApiError> {
        let pool = self
            .client_pools
            .get(client_id)
            .and_then(|pool| self.pools.get(pool))
            .ok_or_else(|| {
                ApiError::resource_not_found(format!(
                    "User pool client {client_id} does not exist."
                ))
            })?;
        Ok((pool, &pool.clients[client_id]))
    }

    /// Adds an empty pool (clients and users in `config` are ignored); returns its id.
    pub(crate) fn insert_pool(&mut self, mut config: PoolConfig) -> Result<String, ApiError> {
        let id = match config.id.clone() {
            Some(id) => id,
            None => format!("{}_{}", config.region, alphanumeric(9)?),
        };
        if !id.contains('_') {
            return Err(ApiError::invalid_parameter(format!(
                "user pool id {id:?} must look like <region>_<name>"
            )));
        }
        if self.pools.contains_key(&id) {
            return Err(ApiError::new(
                "ResourceExistsException",
                format!("pool {id} exists"),
            ));
        }
        if let Some(passkeys) = &config.web_authn {
            crate::auth::check_web_authn_config(passkeys)?;
        }
        config.clients.clear();
        config.users.clear();
        let custom_auth = config.custom_challenge.clone().map(CustomAuth::question);
        self.pools.insert(
            id.clone(),
            Pool {
                id: id.clone(),
                config,
                clients: HashMap::new(),
                users: BTreeMap::new(),
                custom_auth,
            },
        );
        Ok(id)
    }

    /// Adds an app client to a pool.
    pub(crate) fn insert_client(
        &mut self,
        pool_id: &str,
        config: AppClientConfig,
    ) -> Result<crate::AppClientInfo, ApiError> {
        let id = match config.id.clone() {
            Some(id) => id,
            None => alphanumeric(26)?.to_lowercase(),
        };
        let secret = match (&config.secret, config.generate_secret) {
            (Some(secret), _) => Some(secret.clone()),
            (None, true) => Some(alphanumeric(51)?.to_lowercase()),
            (None, false) => None,
        };
        if self.client_pools.contains_key(&id) {
            return Err(ApiError::new(
                "ResourceExistsException",
                format!("client {id} exists"),
            ));
        }
        let info = crate::AppClientInfo {
            name: config.name.clone(),
            id: id.clone(),
            secret: secret.clone(),
        };
        self.pool_mut(pool_id)?.clients.insert(
            id.clone(),
            AppClient {
                id: id.clone(),
                config,
                secret,
            },
        );
        self.client_pools.insert(id, pool_id.to_owned());
        Ok(info)
    }

    /// Adds a user to a pool.
    pub(crate) fn insert_user(
        &mut self,
        pool_id: &str,
        config: UserConfig,
    ) -> Result<(), ApiError> {
        let pool = self.pool_mut(pool_id)?;
        if pool.users.contains_key(&config.username) {
            return Err(ApiError::new(
                "UsernameExistsException",
                "User account already exists",
            ));
        }
        let username = config.username.clone();
        let user = User::new(pool.srp_name(), config)?;
        pool.users.insert(username, user);
        Ok(())
    }

    pub(crate) fn pool_mut(&mut self, pool_id: &str) -> Result<&mut Pool, ApiError> {
        self.pools.get_mut(pool_id).ok_or_else(|| {
            ApiError::resource_not_found(format!("User pool {pool_id} does not exist."))
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

pub(crate) struct Pool {
    pub(crate) id: String,
    pub(crate) config: PoolConfig,
    pub(crate) clients: HashMap<String, AppClient>,
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) custom_auth: Option<CustomAuth>,
}

impl Pool {
    pub(crate) fn region(&self) -> &str {
        self.id.split('_').next().unwrap_or("us-east-1")
    }

    /// The SRP pool name: the part of the id after `_`.
    pub(crate) fn srp_name(&self) -> &str {
        self.id.split_once('_').map_or("", |(_, name)| name)
    }

    /// The canonical username for what the user typed: the username itself, or an
    /// alias or username attribute's value.
    pub(crate) fn resolve(&self, typed: &str) -> Option<&str> {
        if let Some((name, _)) = self.users.get_key_value(typed) {
            return Some(name);
        }
        let config = &self.config;
        self.users.values().find_map(|user| {
            config
                .alias_attributes
                .iter()
                .chain(&config.username_attributes)
                .any(|alias| user.attributes.get(alias).is_some_and(|v| v == typed))
                .then_some(user.username.as_str())
        })
    }
}

pub(crate) struct AppClient {
    pub(crate) id: String,
    pub(crate) config: AppClientConfig,
    pub(crate) secret: Option<String>,
}

impl AppClient {
    pub(crate) fn allows(&self, flow: AuthFlow) -> bool {
        self.config.auth_flows.is_empty()
            || self.config.auth_flows.iter().any(|f| f == flow.as_str())
    }
}

/// Where a user's account stands (Cognito's `UserStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserStatus {
    /// `UNCONFIRMED`: signed up, the confirmation code not yet given.
    Unconfirmed,
    /// `CONFIRMED`.
    Confirmed,
    /// `FORCE_CHANGE_PASSWORD`: a temporary password; sign-in asks for a new one.
    ForceChangePassword,
    /// `RESET_REQUIRED`: an administrator reset the password; sign-in is refused until
    /// the user sets a new one with the code sent.
    ResetRequired,
}

impl UserStatus {
    /// The name Cognito gives the status.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ResetRequired => "RESET_REQUIRED",
        }
    }
}

/// A code sent for an account operation (sign-up confirmation, password reset).
pub(crate) struct AccountCode {
    pub(crate) code: String,
    pub(crate) expires: SystemTime,
    /// Wrong codes given so far.
    pub(crate) wrong: u32,
    /// The attribute the code went to: verified once the code is given.
    pub(crate) attribute: String,
}

/// What an account `Session` (from SignUp, then ConfirmSignUp) stands for.
pub(crate) struct AccountSession {
    pub(crate) pool: String,
    pub(crate) client: String,
    pub(crate) username: String,
    pub(crate) expires: SystemTime,
    /// `false`: waits for ConfirmSignUp; `true`: for the auto sign-in.
    pub(crate) confirmed: bool,
}

pub(crate) struct User {
    pub(crate) username: String,
    pub(crate) status: UserStatus,
    pub(crate) password: Option<String>,
    pub(crate) verifier: Option<Arc<Verifier>>,
    pub(crate) attributes: BTreeMap<String, String>,
    pub(crate) totp_secret: Option<String>,
    /// A secret from AssociateSoftwareToken(AccessToken) not yet verified.
    pub(crate) pending_totp: Option<String>,
    pub(crate) mfa_enabled: BTreeSet<MfaMethod>,
    pub(crate) mfa_preferred: Option<MfaMethod>,
    pub(crate) failed_attempts: u32,
    pub(crate) locked_until: Option<SystemTime>,
    pub(crate) devices: HashMap<String, Device>,
    /// The sign-up confirmation code waiting to be given.
    pub(crate) confirmation: Option<AccountCode>,
    /// The password-reset code waiting to be given.
    pub(crate) reset: Option<AccountCode>,
    /// Registered passkeys, and a registration under way.
    pub(crate) passkeys: Passkeys,
}

impl User {
    pub(crate) fn new(pool_srp_name: &str, config: UserConfig) -> Result<Self, ApiError> {
        let (status, password) = match (config.temporary_password, config.password) {
            (Some(temporary), _) => (UserStatus::ForceChangePassword, Some(temporary)),
            (None, password) => (UserStatus::Confirmed, password),
        };
        let mut attributes = config.attributes;
        if !attributes.contains_key("sub") {
            attributes.insert("sub".into(), uuid()?);
        }
        let mut mfa_enabled: BTreeSet<MfaMethod> = config.mfa_enabled.into_iter().collect();
        if config.totp_secret.is_some() {
            mfa_enabled.insert(MfaMethod::SoftwareToken);
        }
        let mut user = Self {
            username: config.username,
            status,
            password: None,
            verifier: None,
            attributes,
            totp_secret: config.totp_secret,
            pending_totp: None,
            mfa_enabled,
            mfa_preferred: config.mfa_preferred,
            failed_attempts: 0,
            locked_until: None,
            devices: HashMap::new(),
            confirmation: None,
            reset: None,
            passkeys: Passkeys::default(),
        };
        if let Some(password) = password {
            user.set_password(pool_srp_name, password)?;
        }
        Ok(user)
    }

    pub(crate) fn set_password(
        &mut self,
        pool_srp_name: &str,
        password: String,
    ) -> Result<(), ApiError> {
        let mut salt = random_bytes(16)?;
        // Non-negative, as Cognito's salts for real users are (pycognito, which cannot
        // read a negative SALT, works against AWS). Negative salts come from decoys.
        salt[0] &= 0x7f;
        let verifier = Verifier::for_password(pool_srp_name, &self.username, &password, &salt)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        self.verifier = Some(Arc::new(verifier));
        self.password = Some(password);
        Ok(())
    }

    /// Sets an attribute; a new `email` or `phone_number` is not verified yet.
    pub(crate) fn set_attribute(&mut self, name: &str, value: String) {
        if matches!(name, "email" | "phone_number") && self.attributes.get(name) != Some(&value) {
            self.attributes
                .insert(format!("{name}_verified"), "false".to_owned());
        }
        self.attributes.insert(name.to_owned(), value);
    }

    pub(crate) fn sub(&self) -> &str {
        self.attributes.get("sub").map_or("", String::as_str)
    }
}

pub(crate) struct Device {
    pub(crate) group_key: String,
    pub(crate) verifier: Option<Arc<Verifier>>,
    pub(crate) remembered: bool,
    pub(crate) name: Option<String>,
}

/// Who an access token or refresh token belongs to.
#[derive(Clone)]
pub(crate) struct Grant {
    pub(crate) pool: String,
    pub(crate) client: String,
    pub(crate) username: String,
    pub(crate) device_key: Option<String>,
    pub(crate) expires: SystemTime,
    /// The sign-in the tokens come from: a refresh token and the access tokens issued
    /// from it share it, so RevokeToken can find them.
    pub(crate) origin: String,
    /// Set by GlobalSignOut or RevokeToken: kept, so that its use is told apart from an
    /// unknown token.
    pub(crate) revoked: bool,
}

pub(crate) struct RefreshGrant {
    pub(crate) grant: Grant,
    pub(crate) auth_time: u64,
    /// Set when rotation replaced this token: it works until then, and is reported as
    /// reused after.
    pub(crate) rotated_until: Option<SystemTime>,
}
