//! `MFA_SETUP` with an authenticator app: a typed sub-machine over three calls.
//!
//! `AssociateSoftwareToken(S1)` → secret + S2 → `VerifySoftwareToken(S2, code)` → S3 →
//! `RespondToAuthChallenge(MFA_SETUP, S3)`. Each step consumes the value holding the
//! previous session, so a stale session cannot be sent (PROTOCOL.md §6).

use crate::challenges::{AfterMfaSetup, MfaSetup, MfaType, TotpSetup};
use crate::error::{Error, ProtocolError, ServiceError};
use crate::pending::Pending;
use crate::retry::Rejected;
use crate::secret::Secret;
use crate::wire;

use super::not_offered;

impl Pending<MfaSetup> {
    /// Starts setting up an authenticator app: asks the service for a TOTP secret.
    ///
    /// Show the secret (or [`TotpSetup::otpauth_uri`] as a QR code) to the user, then
    /// [`verify`](TotpSetup::verify) the first code their app shows.
    pub async fn associate_software_token(self) -> Result<TotpSetup, Error> {
        let offered = self.challenge().can_set_up();
        if !offered.contains(&MfaType::SoftwareToken) {
            return Err(not_offered(&MfaType::SoftwareToken, offered));
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
        // It goes into an `otpauth://` URI and an authenticator app: base32 only.
        if !is_base32(output.secret_code.expose()) {
            return Err(ProtocolError::NotBase32("SecretCode").into());
        }
        Ok(TotpSetup {
            secret: output.secret_code,
            pending: self.renew_session(Some(session)),
        })
    }
}

/// RFC 4648 base32 (upper or lower case, `=` padding only at the end), as TOTP secrets
/// are written.
fn is_base32(text: &str) -> bool {
    let digits = text.trim_end_matches('=');
    !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(&b))
}

impl TotpSetup {
    /// Verifies the first code of the app (`VerifySoftwareToken`) and finishes the
    /// `MFA_SETUP` challenge with the session that call returns.
    ///
    /// A wrong code (`CodeMismatchException` or `EnableSoftwareTokenMFAException`)
    /// gives the set-up back in [`Rejected::Retry`] to verify another code, within the
    /// service's attempts.
    pub async fn verify(
        self,
        code: impl Into<Secret>,
        friendly_device_name: Option<&str>,
    ) -> Result<AfterMfaSetup, Rejected<Self>> {
        self.pending.ensure_fresh()?;
        let verified = self
            .pending
            .client()
            .call(&wire::VerifySoftwareToken {
                session: self.pending.session().cloned(),
                access_token: None,
                user_code: code.into(),
                friendly_device_name: friendly_device_name.map(str::to_owned),
            })
            .await;
        let output = match verified {
            Ok(output) => output,
            Err(Error::Service(error)) => return Err(self.refused(error)),
            Err(e) => return Err(e.into()),
        };
        match output.status.as_deref() {
            None | Some("SUCCESS") => {}
            Some(other) => {
                return Err(Error::from(ProtocolError::VerifyFailed(other.to_owned())).into());
            }
        }
        let session = output
            .session
            .ok_or(Error::from(ProtocolError::MissingSession(
                "VerifySoftwareToken",
            )))?;
        // The last call answers MFA_SETUP with nothing but the new session.
        Ok(self
            .pending
            .renew_session(Some(session))
            .respond_into::<AfterMfaSetup>(())
            .await
            .map_err(Error::from)?)
    }

    /// The set-up after a refused code: open again while attempts are left.
    fn refused(self, error: ServiceError) -> Rejected<Self> {
        let secret = self.secret;
        match self.pending.refused(error) {
            Rejected::Retry { pending, error } => Rejected::Retry {
                pending: Self { secret, pending },
                error,
            },
            Rejected::Failed(e) => Rejected::Failed(e),
        }
    }
}
