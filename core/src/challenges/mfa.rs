//! Choosing and setting up a second factor: `SELECT_MFA_TYPE`, `MFA_SETUP`.

use std::fmt;
use std::fmt::Write as _;

use super::{AfterMfaSelection, AfterMfaSetup, MfaType, MfaTypes};
use crate::pending::Pending;
use crate::secret::Secret;
use crate::{Challenge, ChallengeResponse};

/// `SELECT_MFA_TYPE`: the user has several second factors and must pick one.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "SELECT_MFA_TYPE", response = MfaSelection, next = AfterMfaSelection)]
pub struct SelectMfaType {
    #[param("MFAS_CAN_CHOOSE")]
    offered: MfaTypes,
}

impl SelectMfaType {
    /// The factors the service offered.
    pub fn offered(&self) -> &[MfaType] {
        &self.offered.0
    }

    /// The answer choosing `factor`, if the service offered it. This is the only way
    /// to build a [`MfaSelection`], so an answer can only name an offered factor.
    pub fn choose(&self, factor: &MfaType) -> Option<MfaSelection> {
        self.offered().contains(factor).then(|| MfaSelection {
            answer: factor.clone(),
        })
    }
}

/// Answers [`SelectMfaType`]; built by [`SelectMfaType::choose`].
#[derive(Clone, ChallengeResponse)]
pub struct MfaSelection {
    #[param("ANSWER", public)]
    answer: MfaType,
}

/// `MFA_SETUP`: the pool requires a second factor the user has not set up.
///
/// For an authenticator app, run the sub-machine that starts at
/// [`Pending::<MfaSetup>::associate_software_token`](Pending::associate_software_token).
/// For e-mail, answer with [`MfaSetup::email`]; an `EMAIL_OTP` challenge follows.
/// For SMS, the user needs a `phone_number` attribute; set it and sign in again.
#[derive(Debug, Clone, Challenge)]
#[challenge(name = "MFA_SETUP", response = EmailMfaSetup, next = AfterMfaSetup, handler = manual)]
pub struct MfaSetup {
    #[param("MFAS_CAN_SETUP")]
    can_set_up: MfaTypes,
}

impl MfaSetup {
    /// The factors the user may set up now.
    pub fn can_set_up(&self) -> &[MfaType] {
        &self.can_set_up.0
    }

    /// The answer that sets up e-mail MFA with `address`, if the service offered it.
    pub fn email(&self, address: impl Into<String>) -> Option<EmailMfaSetup> {
        self.can_set_up()
            .contains(&MfaType::Email)
            .then(|| EmailMfaSetup {
                email: address.into(),
            })
    }
}

/// Answers [`MfaSetup`] by setting up e-mail MFA; built by [`MfaSetup::email`].
#[derive(Clone, ChallengeResponse)]
pub struct EmailMfaSetup {
    #[param("EMAIL")]
    email: String,
}

/// An authenticator app being set up: holds the TOTP secret and the session of
/// `AssociateSoftwareToken`.
#[must_use = "the set-up finishes only when a code is verified"]
pub struct TotpSetup {
    pub(crate) secret: Secret,
    pub(crate) pending: Pending<MfaSetup>,
}

impl TotpSetup {
    /// How many codes this set-up has had, counting the one about to be verified.
    pub fn attempt(&self) -> u32 {
        self.pending.attempt()
    }

    /// Why the previous code was refused, when this set-up came back in a
    /// [`Rejected::Retry`](crate::Rejected::Retry).
    pub fn rejection(&self) -> Option<&crate::ServiceError> {
        self.pending.rejection()
    }

    /// The base32 TOTP secret (`SecretCode`) to enter into the authenticator app.
    pub fn secret_code(&self) -> &Secret {
        &self.secret
    }

    /// The `otpauth://totp/...` URI authenticator apps read from a QR code.
    pub fn otpauth_uri(&self, issuer: &str) -> Secret {
        let account = self.pending.username();
        Secret::new(format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}",
            percent_encode(issuer),
            percent_encode(account),
            self.secret.expose(),
            percent_encode(issuer)
        ))
    }
}

impl fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpSetup")
            .field("secret", &self.secret)
            .field("username", &self.pending.username())
            .finish_non_exhaustive()
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn percent_encoding_keeps_unreserved_only() {
        assert_eq!(super::percent_encode("My App"), "My%20App");
        assert_eq!(super::percent_encode("a@b.c"), "a%40b.c");
        assert_eq!(super::percent_encode("Zoë"), "Zo%C3%AB");
    }
}
