//! `MFA_SETUP` with an authenticator app: a typed sub-machine over three calls.
//!
//! `AssociateSoftwareToken(S1)` → secret + S2 → `VerifySoftwareToken(S2, code)` → S3 →
//! `RespondToAuthChallenge(MFA_SETUP, S3)`. Each step consumes the value holding the
//! previous session, so a stale session cannot be sent (PROTOCOL.md §6).

use std::fmt;
use std::fmt::Write as _;

use crate::challenge::{Outcome, ResponseMap};
use crate::error::{Error, ProtocolError};
use crate::wire;
use crate::{Pending, Secret};

use super::{AfterMfaSetup, MfaSetup, MfaType};

impl Pending<MfaSetup> {
    /// Starts setting up an authenticator app: asks the service for a TOTP secret.
    ///
    /// Show the secret (or [`TotpSetup::otpauth_uri`] as a QR code) to the user, then
    /// [`verify`](TotpSetup::verify) the first code their app shows.
    pub async fn associate_software_token(self) -> Result<TotpSetup, Error> {
        if !self
            .challenge()
            .can_set_up()
            .contains(&MfaType::SoftwareToken)
        {
            return Err(Error::NotOffered {
                choice: MfaType::SoftwareToken.to_string(),
                offered: self
                    .challenge()
                    .can_set_up()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        self.ensure_fresh()?;
        let output = self
            .client()
            .call(&wire::AssociateSoftwareToken {
                session: self.session().cloned(),
                access_token: None,
            })
            .await?;
        let session = output
            .session
            .ok_or(ProtocolError::MissingSession("AssociateSoftwareToken"))?;
        Ok(TotpSetup {
            secret: output.secret_code,
            pending: self.renew_session(Some(session)),
        })
    }
}

/// An authenticator app being set up: holds the TOTP secret and the session of
/// `AssociateSoftwareToken`.
#[must_use = "the set-up finishes only when a code is verified"]
pub struct TotpSetup {
    secret: Secret,
    pending: Pending<MfaSetup>,
}

impl TotpSetup {
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

    /// Verifies the first code of the app (`VerifySoftwareToken`) and finishes the
    /// `MFA_SETUP` challenge with the session that call returns.
    ///
    /// A wrong code fails with `CodeMismatchException` or
    /// `EnableSoftwareTokenMFAException` (see [`Error::service_kind`]).
    pub async fn verify(
        self,
        code: impl Into<Secret>,
        friendly_device_name: Option<&str>,
    ) -> Result<AfterMfaSetup, Error> {
        self.pending.ensure_fresh()?;
        let output = self
            .pending
            .client()
            .call(&wire::VerifySoftwareToken {
                session: self.pending.session().cloned(),
                access_token: None,
                user_code: code.into(),
                friendly_device_name: friendly_device_name.map(str::to_owned),
            })
            .await?;
        match output.status.as_deref() {
            None | Some("SUCCESS") => {}
            Some(other) => return Err(ProtocolError::VerifyFailed(other.to_owned()).into()),
        }
        let session = output
            .session
            .ok_or(ProtocolError::MissingSession("VerifySoftwareToken"))?;
        let step = self
            .pending
            .renew_session(Some(session))
            .send(ResponseMap::new())
            .await?;
        AfterMfaSetup::from_step(step)
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
