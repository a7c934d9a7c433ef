//! [`Pending<C>`]: a challenge the service is waiting for, answerable once.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::challenge::{
    Accepts, Challenge, ChallengeResponse, Outcome, OutcomeVariant, Parameters, ResponseMap, Step,
    Variant,
};
use crate::connection::{Connection, FlowContext};
use crate::error::{ConfigError, Error, ProtocolError, ServiceError, elapsed_since};
use crate::retry::{Rejected, keeps_challenge};
use crate::secret::Secret;

/// A challenge the service is waiting for an answer to.
///
/// It owns the `Session` and everything else the next request needs (the canonical
/// username, the device key, when the session was issued). [`respond`](Self::respond)
/// takes `self`, so a pending challenge is answered at most once, and only with
/// `C::Response`:
///
/// ```compile_fail
/// # use cognito_typestate::{Pending, challenges::{SmsMfa, SoftwareTokenMfaCode}};
/// # async fn f(pending: Pending<SmsMfa>) {
/// // An SMS challenge answered with a TOTP code does not compile.
/// pending.respond(SoftwareTokenMfaCode::new("123456")).await;
/// # }
/// ```
///
/// To keep a pending challenge between two HTTP requests of a web application,
/// serialise it and later [`attach`](Detached::attach) it again (see [`Detached`]).
#[must_use = "a pending challenge does nothing until it is answered"]
pub struct Pending<C: Challenge> {
    challenge: C,
    // Boxed: outcome enums hold one `Pending` per variant, next to `Tokens`.
    state: Box<PendingState>,
    client: Connection,
    /// Why the previous answer was refused (not stored: a resumed state starts clean).
    rejection: Option<Box<ServiceError>>,
}

/// The serialisable part of a [`Pending`]: what the service sent and the flow context.
#[derive(Clone, Serialize, Deserialize)]
struct PendingState {
    /// The connection's, shared (not copied) while attached.
    client_id: Arc<str>,
    /// `C::NAME` (borrowed) once read into a `Pending<C>`; as stored, when deserialised.
    challenge_name: Cow<'static, str>,
    #[serde(default)]
    parameters: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    available_challenges: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<Secret>,
    #[serde(flatten)]
    context: FlowContext,
    /// Unix time in milliseconds when the session was received.
    issued_at_ms: u64,
    /// Seconds the session stays valid.
    validity_secs: u64,
    /// Answers the service refused while keeping the challenge open.
    #[serde(default, skip_serializing_if = "is_zero")]
    refused: u32,
}

// `skip_serializing_if` hands the field over by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl<C: Challenge> Pending<C> {
    /// The challenge's typed parameters.
    pub fn challenge(&self) -> &C {
        &self.challenge
    }

    /// The username the next answer is sent for: the canonical name once the service
    /// has named the user (`USER_ID_FOR_SRP`), what the user typed before that.
    pub fn username(&self) -> &str {
        &self.state.context.username
    }

    /// The raw `ChallengeParameters` as the service sent them.
    pub fn parameters(&self) -> &BTreeMap<String, String> {
        &self.state.parameters
    }

    /// When the session stops being accepted: after this, answering fails locally
    /// with [`Error::SessionExpired`] and nothing is sent.
    pub fn expires_at(&self) -> SystemTime {
        // Both parts are bounded on the way in (see `Detached::attach`); saturate anyway.
        let issued = self.issued_at();
        issued.checked_add(self.validity()).unwrap_or(issued)
    }

    /// Detaches the pending challenge from its client so it can be stored.
    pub fn detach(self) -> Detached<C> {
        Detached {
            challenge: self.challenge,
            state: self.state,
        }
    }

    /// How many answers this challenge has had, counting the one about to be sent:
    /// 1, then one more after each refusal that kept the challenge open.
    pub fn attempt(&self) -> u32 {
        self.state.refused.saturating_add(1)
    }

    /// Why the previous answer was refused, when this state came back in a
    /// [`Rejected::Retry`].
    pub fn rejection(&self) -> Option<&ServiceError> {
        self.rejection.as_deref()
    }

    /// Sends `answer` in one `RespondToAuthChallenge`, with the plumbing keys and the
    /// session added. A refusal that keeps the challenge open gives the pending state
    /// back ([`Rejected::Retry`]); anything else consumes it. What a successful answer
    /// means is read by the caller (see `steps::respond`).
    pub(crate) async fn send(self, answer: impl ChallengeResponse) -> Result<Step, Rejected<Self>> {
        self.ensure_fresh()?;
        let responses = ResponseMap::of(&answer).into_inner();
        let session = self.state.session.clone();
        let sent = self
            .client
            .respond_to_challenge(
                C::NAME,
                self.attempt(),
                session,
                responses,
                &self.state.context,
            )
            .await;
        match sent {
            Ok(response) => Ok(Step::new(self.client, response, self.state.context)),
            Err(Error::Service(error)) => Err(self.refused(error)),
            Err(e) => Err(Rejected::Failed(e)),
        }
    }

    /// The state after the service refused an answer: open again if the service keeps
    /// the challenge for this refusal and attempts are left, spent otherwise.
    pub(crate) fn refused(mut self, error: ServiceError) -> Rejected<Self> {
        let refused = self.state.refused.saturating_add(1);
        match keeps_challenge(C::NAME, error.kind()) {
            Some(limit) if limit.is_none_or(|limit| refused < limit) => {
                self.state.refused = refused;
                self.rejection = Some(Box::new(error.clone()));
                Rejected::Retry {
                    pending: self,
                    error,
                }
            }
            _ => Rejected::Failed(Error::Service(error)),
        }
    }

    /// Continues with the next session of a multi-call step (`MFA_SETUP`), which is
    /// valid from now on.
    pub(crate) fn renew_session(mut self, session: Option<Secret>) -> Self {
        self.state.session = session;
        self.state.issued_at_ms = unix_millis(self.client.time());
        self
    }

    /// Whether the flow was given a remembered device's credentials.
    pub(crate) fn has_device(&self) -> bool {
        self.state.context.device.is_some()
    }

    pub(crate) fn client(&self) -> &Connection {
        &self.client
    }

    pub(crate) fn session(&self) -> Option<&Secret> {
        self.state.session.as_ref()
    }

    pub(crate) fn ensure_fresh(&self) -> Result<(), Error> {
        let elapsed = elapsed_since(self.issued_at(), self.client.time());
        if elapsed >= self.validity() {
            return Err(Error::SessionExpired {
                challenge: C::NAME.to_owned(),
                elapsed,
                validity: self.validity(),
            });
        }
        Ok(())
    }

    fn issued_at(&self) -> SystemTime {
        UNIX_EPOCH
            .checked_add(Duration::from_millis(self.state.issued_at_ms))
            .unwrap_or(UNIX_EPOCH)
    }

    fn validity(&self) -> Duration {
        Duration::from_secs(self.state.validity_secs)
    }
}

impl<C: Challenge> OutcomeVariant for Pending<C> {
    const ACCEPTS: Accepts = Accepts::Challenge(C::NAME);
    const NEXT: fn() -> &'static [Variant] = || <C::Next as Outcome>::VARIANTS;

    fn from_step(step: Step) -> Result<Self, Error> {
        let Step {
            client,
            response,
            mut context,
        } = step;
        let challenge = C::from_parameters(&Parameters::new(
            &response.challenge_parameters,
            &response.available_challenges,
        ))
        .map_err(|source| ProtocolError::Parameter {
            challenge: C::NAME.to_owned(),
            source,
        })?;
        context.follow(&response.challenge_parameters);
        let issued_at_ms = unix_millis(client.time());
        let state = PendingState {
            client_id: Arc::clone(&client.settings().client_id),
            challenge_name: Cow::Borrowed(C::NAME),
            parameters: response.challenge_parameters,
            available_challenges: response.available_challenges,
            session: response.session,
            context,
            issued_at_ms,
            validity_secs: client.settings().session_validity.as_secs(),
            refused: 0,
        };
        Ok(Self {
            challenge,
            state: Box::new(state),
            client,
            rejection: None,
        })
    }
}

/// How far ahead of this clock a stored issue time may be: the clocks of two servers of
/// one web application differ a little.
const CLOCK_SKEW_MS: u64 = 60_000;

fn unix_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl<C: Challenge + fmt::Debug> fmt::Debug for Pending<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("challenge", &self.challenge)
            .field("username", &self.state.context.username)
            .field("session", &self.state.session)
            .field("expires_at", &self.expires_at())
            .finish_non_exhaustive()
    }
}

/// Serialises the same form as [`Detached<C>`]: the session in plain text (treat the
/// output as a secret) and the challenge as the service sent it.
impl<C: Challenge> Serialize for Pending<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.state.serialize(serializer)
    }
}

/// A [`Pending<C>`] without its client: what an application stores between two HTTP
/// requests (in a server-side store, or an encrypted cookie; it holds the `Session`).
///
/// Deserialising checks that the stored challenge is a `C` and reads its parameters
/// again, so a stored `SMS_MFA` cannot come back as a `Pending<SoftwareTokenMfa>`.
///
/// ```no_run
/// # use cognito_typestate::{Client, Detached, Pending, challenges::SmsMfa};
/// # fn f(client: &Client, pending: Pending<SmsMfa>) -> Result<(), Box<dyn std::error::Error>> {
/// let saved = serde_json::to_string(&pending)?;
/// // ...next HTTP request...
/// let pending: Pending<SmsMfa> = serde_json::from_str::<Detached<SmsMfa>>(&saved)?.attach(client)?;
/// # Ok(()) }
/// ```
pub struct Detached<C: Challenge> {
    challenge: C,
    state: Box<PendingState>,
}

impl<C: Challenge> Detached<C> {
    /// Attaches the stored challenge to a connection again (the public way in is
    /// `Detached::attach`, in the client facade).
    ///
    /// Stored state is input like any other: the session's validity is cut to the
    /// client's, and an issue time later than now (beyond a minute of clock skew
    /// between servers) is refused.
    pub(crate) fn attach_to(self, client: &Connection) -> Result<Pending<C>, Error> {
        let settings = client.settings();
        if self.state.client_id != settings.client_id {
            return Err(ConfigError::WrongAppClient {
                challenge: C::NAME.to_owned(),
                stored: self.state.client_id.to_string(),
                client: settings.client_id.to_string(),
            }
            .into());
        }
        let now = unix_millis(client.time());
        if self.state.issued_at_ms > now.saturating_add(CLOCK_SKEW_MS) {
            return Err(ConfigError::IssuedInTheFuture {
                challenge: C::NAME.to_owned(),
            }
            .into());
        }
        let mut state = self.state;
        state.validity_secs = state.validity_secs.min(settings.session_validity.as_secs());
        Ok(Pending {
            challenge: self.challenge,
            state,
            client: client.clone(),
            rejection: None,
        })
    }

    /// The challenge's typed parameters.
    pub fn challenge(&self) -> &C {
        &self.challenge
    }
}

impl<C: Challenge + fmt::Debug> fmt::Debug for Detached<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detached")
            .field("challenge", &self.challenge)
            .field("username", &self.state.context.username)
            .finish_non_exhaustive()
    }
}

impl<C: Challenge> Serialize for Detached<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.state.serialize(serializer)
    }
}

impl<'de, C: Challenge> Deserialize<'de> for Detached<C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let state = Box::new(PendingState::deserialize(deserializer)?);
        if state.challenge_name != C::NAME {
            return Err(D::Error::custom(format_args!(
                "the stored pending challenge is `{}`, not `{}`",
                state.challenge_name,
                C::NAME
            )));
        }
        let challenge = C::from_parameters(&Parameters::new(
            &state.parameters,
            &state.available_challenges,
        ))
        .map_err(|e| D::Error::custom(format_args!("stored `{}`: {e}", C::NAME)))?;
        Ok(Self { challenge, state })
    }
}
