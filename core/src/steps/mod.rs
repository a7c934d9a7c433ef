//! How a pending challenge is answered: one `RespondToAuthChallenge`, then what the
//! answer means.
//!
//! Every service answer, whether to `InitiateAuth` or to a challenge, becomes a typed
//! outcome in [`outcome`]: that is where the remembered device's proof runs, as an
//! explicit step, when the flow was given device credentials and the service asks for
//! them. The SRP answers (`PASSWORD_VERIFIER` from the password) and the
//! authenticator-app set-up (`MFA_SETUP`) are steps of their own here too.

use std::fmt::Display;

use crate::challenge::{Outcome, Step};
use crate::error::Error;

pub mod device;
mod mfa_setup;
mod respond;
pub(crate) mod srp;

/// The one place a service answer becomes a typed outcome. When the flow carries device
/// credentials and the service asked `DEVICE_SRP_AUTH`, the device proves itself first
/// (two more calls, see [`device::prove_if_asked`]).
pub(crate) async fn outcome<O: Outcome>(step: Step) -> Result<O, Error> {
    O::from_step(device::prove_if_asked(step).await?)
}

/// An answer that chose something the service did not offer.
pub(crate) fn not_offered<T: Display>(choice: &T, offered: &[T]) -> Error {
    Error::NotOffered {
        choice: choice.to_string(),
        offered: offered
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}
