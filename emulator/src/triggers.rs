//! Custom-auth triggers as Rust closures, deciding the way Cognito's Define, Create and
//! Verify Auth Challenge Lambda triggers do.
//!
//! ```
//! use cognito_typestate_emulator::{CreatedChallenge, CustomAuth, Decision};
//!
//! // One question; the password is not asked.
//! let triggers = CustomAuth::new(
//!     |event| match event.session.last() {
//!         None => Decision::Challenge("CUSTOM_CHALLENGE".into()),
//!         Some(last) if last.challenge_result => Decision::IssueTokens,
//!         Some(_) if event.session.len() < 3 => Decision::Challenge("CUSTOM_CHALLENGE".into()),
//!         Some(_) => Decision::Fail,
//!     },
//!     |_event| CreatedChallenge::new()
//!         .public("question", "What is 6 × 7?")
//!         .private("answer", "42"),
//!     |event| event.private.get("answer").map(String::as_str) == Some(event.answer),
//! );
//! # let _ = triggers;
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::auth::{ChallengeName, SRP_A, constant_eq};
use crate::config::QuestionChallenge;

/// One finished step of a custom-auth sign-in (an entry of the Lambda event's
/// `request.session`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeResult {
    /// `SRP_A`, `PASSWORD_VERIFIER` or `CUSTOM_CHALLENGE`.
    pub challenge_name: String,
    /// Whether it was answered correctly.
    pub challenge_result: bool,
    /// What the create trigger attached to the challenge.
    pub challenge_metadata: Option<String>,
}

/// The Define Auth Challenge event.
#[derive(Debug)]
pub struct DefineEvent<'a> {
    /// The canonical username.
    pub username: &'a str,
    /// The user's attributes.
    pub user_attributes: &'a BTreeMap<String, String>,
    /// The steps so far.
    pub session: &'a [ChallengeResult],
    /// `ClientMetadata` of the call.
    pub client_metadata: &'a BTreeMap<String, String>,
}

/// What Define Auth Challenge decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// `issueTokens = true`.
    IssueTokens,
    /// `failAuthentication = true`: `NotAuthorizedException`.
    Fail,
    /// `challengeName`: `PASSWORD_VERIFIER` (after `SRP_A`) or `CUSTOM_CHALLENGE`.
    Challenge(String),
}

/// The Create Auth Challenge event.
#[derive(Debug)]
pub struct CreateEvent<'a> {
    /// The canonical username.
    pub username: &'a str,
    /// The user's attributes.
    pub user_attributes: &'a BTreeMap<String, String>,
    /// The challenge Define chose.
    pub challenge_name: &'a str,
    /// The steps so far.
    pub session: &'a [ChallengeResult],
}

/// What Create Auth Challenge returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreatedChallenge {
    /// `publicChallengeParameters`: sent to the client.
    pub public: BTreeMap<String, String>,
    /// `privateChallengeParameters`: seen only by Verify.
    pub private: BTreeMap<String, String>,
    /// `challengeMetadata`: kept in the session.
    pub metadata: Option<String>,
}

impl CreatedChallenge {
    /// No parameters yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A public challenge parameter.
    #[must_use]
    pub fn public(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.public.insert(key.into(), value.into());
        self
    }

    /// A private challenge parameter.
    #[must_use]
    pub fn private(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.private.insert(key.into(), value.into());
        self
    }

    /// The challenge metadata.
    #[must_use]
    pub fn metadata(mut self, metadata: impl Into<String>) -> Self {
        self.metadata = Some(metadata.into());
        self
    }
}

/// The Verify Auth Challenge Response event.
#[derive(Debug)]
pub struct VerifyEvent<'a> {
    /// The canonical username.
    pub username: &'a str,
    /// What Create put in `privateChallengeParameters`.
    pub private: &'a BTreeMap<String, String>,
    /// The client's `ANSWER`.
    pub answer: &'a str,
}

type DefineFn = dyn Fn(&DefineEvent<'_>) -> Decision + Send + Sync;
type CreateFn = dyn Fn(&CreateEvent<'_>) -> CreatedChallenge + Send + Sync;
type VerifyFn = dyn Fn(&VerifyEvent<'_>) -> bool + Send + Sync;

/// The three custom-auth triggers of a pool.
#[derive(Clone)]
pub struct CustomAuth {
    pub(crate) define: Arc<DefineFn>,
    pub(crate) create: Arc<CreateFn>,
    pub(crate) verify: Arc<VerifyFn>,
}

impl CustomAuth {
    /// Triggers from three closures.
    pub fn new(
        define: impl Fn(&DefineEvent<'_>) -> Decision + Send + Sync + 'static,
        create: impl Fn(&CreateEvent<'_>) -> CreatedChallenge + Send + Sync + 'static,
        verify: impl Fn(&VerifyEvent<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self {
            define: Arc::new(define),
            create: Arc::new(create),
            verify: Arc::new(verify),
        }
    }

    /// The classic example trigger set: optionally the password by SRP first, then
    /// one question (public parameter `question`) until it is answered or the attempts
    /// run out.
    pub fn question(config: QuestionChallenge) -> Self {
        let QuestionChallenge {
            question,
            answer,
            attempts,
            require_password,
        } = config;
        Self::new(
            move |event| {
                const CUSTOM: &str = ChallengeName::CustomChallenge.as_str();
                const PASSWORD: &str = ChallengeName::PasswordVerifier.as_str();
                let custom = || Decision::Challenge(CUSTOM.into());
                match event.session.last() {
                    None if require_password => Decision::Fail,
                    None => custom(),
                    Some(last) if last.challenge_name == SRP_A => {
                        Decision::Challenge(PASSWORD.into())
                    }
                    Some(last) if !last.challenge_result => {
                        let asked = event
                            .session
                            .iter()
                            .filter(|step| step.challenge_name == CUSTOM)
                            .count();
                        if last.challenge_name == CUSTOM && asked < attempts {
                            custom()
                        } else {
                            Decision::Fail
                        }
                    }
                    Some(last) if last.challenge_name == PASSWORD => custom(),
                    Some(_) => Decision::IssueTokens,
                }
            },
            move |_| {
                CreatedChallenge::new()
                    .public("question", question.clone())
                    .private("answer", answer.clone())
                    .metadata("QUESTION")
            },
            |event| {
                // Constant-time, like every other answer the emulator checks.
                event
                    .private
                    .get("answer")
                    .is_some_and(|answer| constant_eq(answer.as_bytes(), event.answer.as_bytes()))
            },
        )
    }
}

impl fmt::Debug for CustomAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomAuth").finish_non_exhaustive()
    }
}
