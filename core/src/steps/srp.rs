//! The SRP answers: `SRP_A` to start, then the `PASSWORD_VERIFIER` (or
//! `DEVICE_PASSWORD_VERIFIER`) proof computed from the password.

use crate::challenge::{Challenge, Outcome};
use crate::challenges::{
    AfterPassword, AfterPasswordSrp, DevicePasswordVerifier, FirstFactor, PasswordClaim,
    PasswordSrp, PasswordVerifier, SelectChallenge, SrpStart,
};
use crate::connection::DeviceCredentials;
use crate::error::Error;
use crate::pending::Pending;
use crate::secret::Secret;
use crate::srp::{self, SrpEphemeral, SrpError, VerifierInputs};

use super::not_offered;

/// The identity SRP proves: the pool (or device group) name, the user id (or device
/// key) and the password (or device password).
pub(crate) struct Identity<'a> {
    pub(crate) pool_name: &'a str,
    pub(crate) user_id: &'a str,
    pub(crate) password: &'a Secret,
}

impl<'a> Identity<'a> {
    /// A device proves its key under its group with its device password.
    pub(crate) fn device(credentials: &'a DeviceCredentials) -> Self {
        Self {
            pool_name: &credentials.device_group_key,
            user_id: &credentials.device_key,
            password: &credentials.device_password,
        }
    }
}

/// A verifier step: the server's values the proof is computed over.
pub(crate) trait VerifierStep: Challenge<Response = PasswordClaim> {
    /// `SALT`, `SRP_B` and `SECRET_BLOCK` as the service sent them.
    fn server_values(&self) -> [&str; 3];
}

impl VerifierStep for PasswordVerifier {
    fn server_values(&self) -> [&str; 3] {
        [&self.salt, &self.srp_b, &self.secret_block]
    }
}

impl VerifierStep for DevicePasswordVerifier {
    fn server_values(&self) -> [&str; 3] {
        [&self.salt, &self.srp_b, &self.secret_block]
    }
}

/// Computes the proof for a verifier step (signed with the current `TIMESTAMP`) and
/// sends it; the result is read as `O`.
pub(crate) async fn prove<C: VerifierStep, O: Outcome>(
    pending: Pending<C>,
    ephemeral: &SrpEphemeral,
    identity: &Identity<'_>,
) -> Result<O, Error> {
    let claim = claim(&pending, ephemeral, identity)?;
    Ok(pending.respond_into::<O>(claim).await?)
}

/// The proof for a verifier step.
pub(crate) fn claim<C: VerifierStep>(
    pending: &Pending<C>,
    ephemeral: &SrpEphemeral,
    identity: &Identity<'_>,
) -> Result<PasswordClaim, Error> {
    let [salt_hex, srp_b_hex, secret_block] = pending.challenge().server_values();
    let timestamp = srp::timestamp(pending.client().time());
    let claim = srp::password_claim(
        ephemeral,
        &VerifierInputs {
            pool_name: identity.pool_name,
            user_id: identity.user_id,
            password: identity.password.expose(),
            salt_hex,
            srp_b_hex,
            secret_block,
            timestamp: &timestamp,
        },
    )?;
    Ok(claim.into())
}

/// Proves the user's password at `PASSWORD_VERIFIER`, with the canonical
/// `USER_ID_FOR_SRP` the service sent, and reads what follows as `O`.
pub(crate) async fn prove_password<O: Outcome>(
    pending: Pending<PasswordVerifier>,
    ephemeral: &SrpEphemeral,
    password: &Secret,
) -> Result<O, Error> {
    let pool_name = pending
        .client()
        .pool_name()
        .ok_or(SrpError::NoPoolName)?
        .to_owned();
    let user_id = pending.challenge().user_id_for_srp.clone();
    let identity = Identity {
        pool_name: &pool_name,
        user_id: &user_id,
        password,
    };
    prove(pending, ephemeral, &identity).await
}

/// After `SRP_A` was sent: the verifier step, proven with `password`.
pub(crate) async fn after_srp_start<O: Outcome>(
    next: AfterPasswordSrp,
    ephemeral: &SrpEphemeral,
    password: &Secret,
) -> Result<O, Error> {
    let AfterPasswordSrp::PasswordVerifier(pending) = next;
    prove_password(pending, ephemeral, password).await
}

/// The ephemeral given ahead of time, or a fresh one.
pub(crate) fn take_or_generate(ephemeral: Option<SrpEphemeral>) -> Result<SrpEphemeral, Error> {
    ephemeral.map_or_else(|| Ok(SrpEphemeral::generate()?), Ok)
}

impl Pending<SelectChallenge> {
    /// Chooses `PASSWORD_SRP` (if offered) and proves the password with SRP.
    pub async fn password_srp(self, password: impl Into<Secret>) -> Result<AfterPassword, Error> {
        let Some(choice) = self.challenge().choose(FirstFactor::PasswordSrp) else {
            return Err(not_offered(
                &FirstFactor::PasswordSrp,
                self.challenge().available(),
            ));
        };
        let ephemeral = SrpEphemeral::generate()?;
        let next = self
            .respond_into::<AfterPasswordSrp>((choice, SrpStart::new(&ephemeral)))
            .await?;
        after_srp_start(next, &ephemeral, &password.into()).await
    }
}

impl Pending<PasswordSrp> {
    /// Answers `PASSWORD_SRP` and the `PASSWORD_VERIFIER` that follows from `password`.
    pub async fn respond_with_password(
        self,
        password: impl Into<Secret>,
    ) -> Result<AfterPassword, Error> {
        let ephemeral = SrpEphemeral::generate()?;
        let next = self.respond(SrpStart::new(&ephemeral)).await?;
        after_srp_start(next, &ephemeral, &password.into()).await
    }
}
