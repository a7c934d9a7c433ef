//! Remembered devices (PROTOCOL.md §5.10): register a device after a sign-in, store its
//! credentials, and let later sign-ins answer `DEVICE_SRP_AUTH` with them.
//!
//! ```no_run
//! # async fn demo(client: cognito_typestate::Client) -> Result<(), cognito_typestate::Error> {
//! use cognito_typestate::challenges::AfterPassword;
//! use cognito_typestate::flows::UserSrpAuth;
//!
//! // First sign-in: the pool tracks devices, so the tokens carry NewDeviceMetadata.
//! let AfterPassword::Authenticated(tokens) = client.initiate(UserSrpAuth::new("alice", "pw")).await?
//! else { return Ok(()) };
//! let device = client.confirm_device(&tokens, "Alice's laptop").await?;
//! let stored = serde_json::to_string(device.credentials()).unwrap(); // keep it somewhere safe
//!
//! // Later: DEVICE_KEY goes with every step and DEVICE_SRP_AUTH is answered for you.
//! let credentials = serde_json::from_str(&stored).unwrap();
//! match client.initiate(UserSrpAuth::new("alice", "pw").device(credentials)).await {
//!     // The device was forgotten on the server: drop the stored credentials and
//!     // sign in again without them (MFA applies again).
//!     Err(e) if e.is_unknown_device() => { client.initiate(UserSrpAuth::new("alice", "pw")).await?; }
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```

use super::srp::{Identity, claim};
use crate::challenge::{Challenge, Outcome, OutcomeVariant, Step};
use crate::challenges::{AfterDeviceSrp, DeviceSrpAuth, SrpStart};
use crate::connection::Connection;
pub use crate::connection::DeviceCredentials;
use crate::error::{ConfigError, Error};
use crate::pending::Pending;
use crate::srp::{DeviceVerifier, SrpEphemeral};
use crate::tokens::Tokens;
use crate::wire;
pub use crate::wire::NewDeviceMetadata;

/// A device registered with [`Client::confirm_device`](crate::Client::confirm_device).
#[derive(Debug, Clone)]
pub struct RememberedDevice {
    credentials: DeviceCredentials,
    user_confirmation_necessary: bool,
}

impl RememberedDevice {
    /// The credentials to store and pass to later sign-ins.
    pub fn credentials(&self) -> &DeviceCredentials {
        &self.credentials
    }

    /// Takes the credentials out.
    pub fn into_credentials(self) -> DeviceCredentials {
        self.credentials
    }

    /// `UserConfirmationNecessary`: the pool remembers devices only when the user opts
    /// in, so the device skips MFA only after `UpdateDeviceStatus(remembered)`.
    pub fn user_confirmation_necessary(&self) -> bool {
        self.user_confirmation_necessary
    }
}

/// `ConfirmDevice` for the device the service started tracking with this sign-in, with
/// a generated device password, salt and verifier.
pub(crate) async fn confirm(
    client: &Connection,
    tokens: &Tokens,
    device_name: String,
) -> Result<RememberedDevice, Error> {
    let metadata = tokens
        .new_device_metadata()
        .ok_or_else(|| Error::NotOffered {
            choice: "ConfirmDevice".into(),
            offered: "no NewDeviceMetadata in these tokens".into(),
        })?;
    let verifier = DeviceVerifier::generate(&metadata.device_group_key, &metadata.device_key)?;
    let output = client
        .call(&wire::ConfirmDevice {
            access_token: tokens.access_token().clone(),
            device_key: metadata.device_key.clone(),
            device_secret_verifier_config: Some(wire::DeviceSecretVerifierConfig {
                password_verifier: verifier.verifier().to_owned(),
                salt: verifier.salt().to_owned(),
            }),
            device_name: Some(device_name),
        })
        .await?;
    Ok(RememberedDevice {
        credentials: DeviceCredentials {
            device_key: metadata.device_key.clone(),
            device_group_key: metadata.device_group_key.clone(),
            device_password: verifier.password().clone(),
        },
        user_confirmation_necessary: output.user_confirmation_necessary,
    })
}

/// `UpdateDeviceStatus`: remembered or not.
pub(crate) async fn set_remembered(
    client: &Connection,
    tokens: &Tokens,
    device_key: &str,
    remembered: bool,
) -> Result<(), Error> {
    client
        .call(&wire::UpdateDeviceStatus {
            access_token: tokens.access_token().clone(),
            device_key: device_key.to_owned(),
            device_remembered_status: if remembered {
                "remembered"
            } else {
                "not_remembered"
            }
            .to_owned(),
        })
        .await?;
    Ok(())
}

impl Pending<DeviceSrpAuth> {
    /// Answers `DEVICE_SRP_AUTH` and the `DEVICE_PASSWORD_VERIFIER` that follows with the
    /// device's credentials. Flows given `.device(credentials)` do this for you.
    pub async fn respond_with_device(
        self,
        credentials: &DeviceCredentials,
    ) -> Result<Tokens, Error> {
        <Tokens as Outcome>::from_step(prove(self, credentials).await?)
    }
}

/// When the service asks `DEVICE_SRP_AUTH` and the flow was given the device's
/// credentials, answers it (two calls) and returns the answer to the proof; any other
/// step is returned as it is.
pub(crate) async fn prove_if_asked(step: Step) -> Result<Step, Error> {
    let asked = step.challenge_name() == Some(<DeviceSrpAuth as Challenge>::NAME);
    let Some(credentials) = step.context.device.clone().filter(|_| asked) else {
        return Ok(step);
    };
    // Boxed: every flow awaits this, and most never prove a device; unboxed, the proof's
    // two calls would sit in each flow's future.
    Box::pin(prove(
        Pending::<DeviceSrpAuth>::from_step(step)?,
        &credentials,
    ))
    .await
}

/// Device SRP: `SRP_A`, then the proof over the device's verifier inputs. Both answers
/// are sent with `send`, not `respond`, so this never asks for a device proof again.
async fn prove(
    pending: Pending<DeviceSrpAuth>,
    credentials: &DeviceCredentials,
) -> Result<Step, Error> {
    let ephemeral = SrpEphemeral::generate()?;
    let step = pending.send(SrpStart::new(&ephemeral)).await?;
    let AfterDeviceSrp::DevicePasswordVerifier(verifier) = AfterDeviceSrp::from_step(step)?;
    let claim = claim(&verifier, &ephemeral, &Identity::device(credentials))?;
    Ok(verifier.send(claim).await?)
}

/// The error for a `DEVICE_SRP_AUTH` that reached the application's handlers: the flow
/// had a device key without the credentials to answer with.
pub(crate) fn missing_credentials() -> Error {
    ConfigError::MissingDeviceCredentials.into()
}
