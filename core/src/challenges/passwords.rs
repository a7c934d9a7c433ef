//! Passwords: `NEW_PASSWORD_REQUIRED`, `PASSWORD`, and the SRP steps `PASSWORD_SRP` and
//! `PASSWORD_VERIFIER`.

use std::collections::BTreeMap;

use super::{AfterNewPassword, AfterPassword, AfterPasswordSrp};
use crate::secret::Secret;
use crate::srp::{SignedClaim, SrpEphemeral};
use crate::{Challenge, ChallengeResponse};

/// `NEW_PASSWORD_REQUIRED`: the user signed in with a temporary password and must
/// choose a new one, and fill in any required attribute that has no value yet.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "NEW_PASSWORD_REQUIRED", response = NewPassword, next = AfterNewPassword)]
pub struct NewPasswordRequired {
    #[param("userAttributes", json, default)]
    user_attributes: BTreeMap<String, serde_json::Value>,
    #[param("requiredAttributes", json, default)]
    required_attributes: Vec<String>,
}

impl NewPasswordRequired {
    /// The user's current attributes as the service sent them.
    pub fn user_attributes(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.user_attributes
    }

    /// The attributes the answer must set, without the `userAttributes.` prefix.
    pub fn required_attributes(&self) -> impl Iterator<Item = &str> {
        self.required_attributes
            .iter()
            .map(|a| a.strip_prefix("userAttributes.").unwrap_or(a))
    }
}

/// Answers [`NewPasswordRequired`].
///
/// ```
/// use cognito_typestate::challenges::NewPassword;
///
/// let answer = NewPassword::new("a new, long passphrase").attribute("given_name", "Alice");
/// assert!(!format!("{answer:?}").contains("passphrase"));
/// ```
#[derive(Clone, ChallengeResponse)]
pub struct NewPassword {
    #[param("NEW_PASSWORD")]
    password: Secret,
    #[param(prefix = "userAttributes.", public)]
    attributes: BTreeMap<String, String>,
}

impl NewPassword {
    /// The new password.
    pub fn new(password: impl Into<Secret>) -> Self {
        Self {
            password: password.into(),
            attributes: BTreeMap::new(),
        }
    }

    /// Sets one attribute, e.g. one of [`NewPasswordRequired::required_attributes`].
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// Sets several attributes.
    #[must_use]
    pub fn attributes<K: Into<String>, V: Into<String>>(
        mut self,
        attributes: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.attributes
            .extend(attributes.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }
}

/// `PASSWORD_VERIFIER`: the SRP step of `USER_SRP_AUTH` (and of `CUSTOM_AUTH` or
/// `USER_AUTH` with SRP). The flows answer it from the password; applications never
/// see it unless they drive SRP themselves.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "PASSWORD_VERIFIER", response = PasswordClaim, next = AfterPassword, handler = manual)]
pub struct PasswordVerifier {
    /// `SALT`: a signed hex integer (it may be negative).
    #[param("SALT")]
    pub salt: String,
    /// `SRP_B`: the server's public value, hex.
    #[param("SRP_B")]
    pub srp_b: String,
    /// `SECRET_BLOCK`: opaque base64, echoed back.
    #[param("SECRET_BLOCK")]
    pub secret_block: String,
    /// `USER_ID_FOR_SRP`: the user's canonical name, even when an alias was typed.
    #[param("USER_ID_FOR_SRP")]
    pub user_id_for_srp: String,
}

/// The SRP proof that answers [`PasswordVerifier`] and [`DevicePasswordVerifier`](super::DevicePasswordVerifier).
/// Built by [`srp`](crate::srp) from the password; it has no public constructor.
#[derive(Clone, ChallengeResponse)]
pub struct PasswordClaim {
    #[param("PASSWORD_CLAIM_SECRET_BLOCK")]
    pub(crate) secret_block: String,
    #[param("PASSWORD_CLAIM_SIGNATURE")]
    pub(crate) signature: Secret,
    #[param("TIMESTAMP", public)]
    pub(crate) timestamp: String,
}

impl From<SignedClaim> for PasswordClaim {
    fn from(claim: SignedClaim) -> Self {
        let (secret_block, signature, timestamp) = claim.into_parts();
        Self {
            secret_block,
            signature,
            timestamp,
        }
    }
}

impl PasswordClaim {
    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub fn signature(&self) -> &Secret {
        &self.signature
    }

    /// `TIMESTAMP` that was signed.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }
}

/// `PASSWORD`: `USER_AUTH` asks for the password.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "PASSWORD", response = PasswordAnswer, next = AfterPassword)]
pub struct Password {}

/// Answers [`Password`].
#[derive(Clone, ChallengeResponse)]
pub struct PasswordAnswer {
    #[param("PASSWORD")]
    password: Secret,
}

impl PasswordAnswer {
    /// The password.
    pub fn new(password: impl Into<Secret>) -> Self {
        Self {
            password: password.into(),
        }
    }

    pub(crate) fn into_password(self) -> Secret {
        self.password
    }
}

/// `PASSWORD_SRP`: `USER_AUTH` asks for the SRP public value.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "PASSWORD_SRP", response = SrpStart, next = AfterPasswordSrp, handler = manual)]
pub struct PasswordSrp {}

/// `SRP_A`, the client's public value: answers [`PasswordSrp`] and
/// [`DeviceSrpAuth`](super::DeviceSrpAuth), and starts `USER_SRP_AUTH`. Built by the
/// SRP flows.
#[derive(Clone, ChallengeResponse)]
pub struct SrpStart {
    #[param("SRP_A")]
    srp_a: String,
}

impl SrpStart {
    pub(crate) fn new(ephemeral: &SrpEphemeral) -> Self {
        Self {
            srp_a: ephemeral.public_hex(),
        }
    }
}
