//! Custom authentication and `USER_AUTH`'s first factors: `CUSTOM_CHALLENGE`,
//! `SELECT_CHALLENGE`, `WEB_AUTHN`.

use std::collections::BTreeMap;

use super::{AfterCustomChallenge, AfterMfa, FirstFactor, FirstFactorOutcome};
use crate::secret::Secret;
use crate::webauthn::{AuthenticationResponse, Authenticator, CredentialRequestOptions};
use crate::{Challenge, ChallengeResponse};

/// `CUSTOM_CHALLENGE` with its parameters as a map: whatever the application's
/// CreateAuthChallenge trigger put in `publicChallengeParameters`. Declare your own
/// typed challenge with `#[derive(Challenge)]` to read them as fields instead.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
pub struct CustomChallenge {
    /// Every parameter the trigger set (plus `USERNAME`).
    #[param(rest)]
    pub parameters: BTreeMap<String, String>,
}

/// Answers a `CUSTOM_CHALLENGE` with `ANSWER`.
#[derive(Clone, ChallengeResponse)]
pub struct CustomAnswer {
    #[param("ANSWER")]
    answer: Secret,
}

impl CustomAnswer {
    /// The answer the VerifyAuthChallengeResponse trigger checks.
    pub fn new(answer: impl Into<Secret>) -> Self {
        Self {
            answer: answer.into(),
        }
    }
}

/// `SELECT_CHALLENGE`: `USER_AUTH` without a preference; the user picks a first factor.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "SELECT_CHALLENGE", response = FirstFactorChoice, next = FirstFactorOutcome, handler = manual)]
pub struct SelectChallenge {
    #[param(available_challenges)]
    available: Vec<FirstFactor>,
}

impl SelectChallenge {
    /// The first factors the service offered.
    pub fn available(&self) -> &[FirstFactor] {
        &self.available
    }

    /// The answer choosing `factor`, if offered.
    pub(crate) fn choose(&self, factor: FirstFactor) -> Option<FirstFactorChoice> {
        self.available.contains(&factor).then(|| FirstFactorChoice {
            answer: factor,
            password: None,
            credential: None,
        })
    }

    /// Sign in with the password, if offered.
    pub fn password(&self, password: impl Into<Secret>) -> Option<FirstFactorChoice> {
        self.choose(FirstFactor::Password).map(|mut c| {
            c.password = Some(password.into());
            c
        })
    }

    /// Have a code e-mailed, if offered; an [`EmailOtp`](super::EmailOtp) challenge follows.
    pub fn email_otp(&self) -> Option<FirstFactorChoice> {
        self.choose(FirstFactor::EmailOtp)
    }

    /// Have a code texted, if offered; an [`SmsOtp`](super::SmsOtp) challenge follows.
    pub fn sms_otp(&self) -> Option<FirstFactorChoice> {
        self.choose(FirstFactor::SmsOtp)
    }

    /// Ask for a passkey assertion, if offered; a [`WebAuthn`] challenge follows.
    pub fn web_authn(&self) -> Option<FirstFactorChoice> {
        self.choose(FirstFactor::WebAuthn)
    }
}

/// Answers [`SelectChallenge`]; built by its methods, so only an offered factor can be
/// chosen.
#[derive(Clone, ChallengeResponse)]
pub struct FirstFactorChoice {
    #[param("ANSWER", public)]
    answer: FirstFactor,
    #[param("PASSWORD")]
    password: Option<Secret>,
    #[param("CREDENTIAL")]
    credential: Option<Secret>,
}

/// `WEB_AUTHN`: the service sent passkey request options; answer with the browser's or
/// platform authenticator's assertion.
///
/// What follows is [`AfterMfa`]: tokens (or the remembered-device proof), never a
/// second factor. A pool whose `WebAuthnConfiguration` is `SINGLE_FACTOR` does not offer
/// passkeys while it requires MFA; with `MULTI_FACTOR_WITH_USER_VERIFICATION` a
/// user-verified passkey satisfies MFA itself.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "WEB_AUTHN", response = WebAuthnCredential, next = AfterMfa)]
pub struct WebAuthn {
    /// `CREDENTIAL_REQUEST_OPTIONS`: what to ask the authenticator for.
    #[param("CREDENTIAL_REQUEST_OPTIONS", json)]
    pub request_options: CredentialRequestOptions,
}

impl WebAuthn {
    /// Asks `authenticator` to sign the request options and wraps its assertion as the
    /// answer: what a handler's `Handle<WebAuthn>` usually does.
    ///
    /// ```no_run
    /// # use cognito_typestate::challenges::{AfterMfa, FirstFactor, FirstFactorOutcome};
    /// # use cognito_typestate::webauthn::Authenticator;
    /// # async fn run(client: cognito_typestate::Client, mut authenticator: impl Authenticator<Error = std::io::Error> + Send)
    /// #     -> Result<(), Box<dyn std::error::Error>> {
    /// use cognito_typestate::flows::UserAuth;
    ///
    /// let flow = UserAuth::new("alice").prefer(FirstFactor::WebAuthn);
    /// if let FirstFactorOutcome::WebAuthn(pending) = client.initiate(flow).await? {
    ///     let assertion = pending.challenge().assert_with(&mut authenticator).await?;
    ///     if let AfterMfa::Authenticated(tokens) = pending.respond(assertion).await? {
    ///         println!("signed in, {:?}", tokens.expires_in());
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn assert_with<A: Authenticator>(
        &self,
        authenticator: &mut A,
    ) -> Result<WebAuthnCredential, A::Error> {
        let assertion = authenticator.get(&self.request_options).await?;
        Ok(WebAuthnCredential::from_response(&assertion))
    }
}

/// Answers [`WebAuthn`] with the `AuthenticationResponseJSON` of the assertion.
#[derive(Clone, ChallengeResponse)]
pub struct WebAuthnCredential {
    #[param("CREDENTIAL")]
    credential: Secret,
}

impl WebAuthnCredential {
    /// The assertion, already serialised as `AuthenticationResponseJSON` (e.g. from a
    /// browser's `credential.toJSON()`).
    pub fn new(credential_json: impl Into<Secret>) -> Self {
        Self {
            credential: credential_json.into(),
        }
    }

    /// The authenticator's typed answer.
    pub fn from_response(response: &AuthenticationResponse) -> Self {
        // Plain data with string keys: serialising it cannot fail.
        let json = serde_json::to_string(response).unwrap_or_default();
        Self::new(json)
    }
}
