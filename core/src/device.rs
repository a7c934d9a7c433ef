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

use serde::{Deserialize, Serialize};

use crate::challenge::{ResponseMap, Step};
use crate::challenges::{AfterDeviceSrp, DevicePasswordVerifier, DeviceSrpAuth, DeviceSrpStart};
use crate::client::Client;
use crate::error::Error;
use crate::srp::{self, DeviceVerifier, SrpEphemeral, VerifierInputs};
use crate::transport::BoxFuture;
use crate::{ChallengeResponse, Outcome, Pending, Secret, Tokens, wire};

/// What a remembered device needs to sign in: store it (it serialises to JSON) and pass
/// it to the next sign-in's flow with `.device(credentials)`.
///
/// The device password is a secret: it is redacted in `Debug`, wiped on drop, and written
/// in plain text only when serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCredentials {
    /// `DeviceKey`, sent as `DEVICE_KEY`.
    pub device_key: String,
    /// `DeviceGroupKey`: SRP's "pool name" for the device.
    pub device_group_key: String,
    /// The device password the verifier was made from.
    pub device_password: Secret,
}

/// A device registered with [`Client::confirm_device`].
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

impl Client {
    /// Registers the device the service started tracking with this sign-in
    /// (`NewDeviceMetadata`): makes a device password, salt and verifier and calls
    /// `ConfirmDevice`. Fails with [`Error::NotOffered`] when the tokens carry no new
    /// device (the pool does not track devices, or the sign-in used one).
    pub async fn confirm_device(
        &self,
        tokens: &Tokens,
        device_name: impl Into<String>,
    ) -> Result<RememberedDevice, Error> {
        let metadata = tokens
            .new_device_metadata()
            .ok_or_else(|| Error::NotOffered {
                choice: "ConfirmDevice".into(),
                offered: "no NewDeviceMetadata in these tokens".into(),
            })?;
        let verifier = DeviceVerifier::generate(&metadata.device_group_key, &metadata.device_key)?;
        let output = self
            .call(&wire::ConfirmDevice {
                access_token: tokens.access_token().clone(),
                device_key: metadata.device_key.clone(),
                device_secret_verifier_config: Some(wire::DeviceSecretVerifierConfig {
                    password_verifier: verifier.verifier().to_owned(),
                    salt: verifier.salt().to_owned(),
                }),
                device_name: Some(device_name.into()),
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
}

impl Client {
    /// Marks a device remembered (it then skips MFA) or not (`UpdateDeviceStatus`).
    /// Needed after [`confirm_device`](Self::confirm_device) when
    /// [`RememberedDevice::user_confirmation_necessary`] is true: the pool remembers
    /// devices only when the user says so.
    pub async fn set_device_remembered(
        &self,
        tokens: &Tokens,
        device_key: &str,
        remembered: bool,
    ) -> Result<(), Error> {
        self.call(&wire::UpdateDeviceStatus {
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
}

impl Pending<DeviceSrpAuth> {
    /// Answers `DEVICE_SRP_AUTH` and the `DEVICE_PASSWORD_VERIFIER` that follows with the
    /// device's credentials. Flows given `.device(credentials)` do this for you.
    pub async fn respond_with_device(
        self,
        credentials: &DeviceCredentials,
    ) -> Result<Tokens, Error> {
        Tokens::from_step(prove_device(self, credentials).await?)
    }
}

/// Answers a `DEVICE_SRP_AUTH` step with the flow's device credentials, if it has them;
/// any other step passes through unchanged.
pub(crate) fn follow(step: Step) -> BoxFuture<'static, Result<Step, Error>> {
    Box::pin(async move {
        let is_device_challenge = step.response.challenge_name.as_deref()
            == Some(<DeviceSrpAuth as crate::Challenge>::NAME);
        let Some(credentials) = step.context.device.clone().filter(|_| is_device_challenge) else {
            return Ok(step);
        };
        let pending =
            <Pending<DeviceSrpAuth> as crate::challenge::OutcomeVariant>::from_step(step)?;
        prove_device(pending, &credentials).await
    })
}

/// Device SRP: `SRP_A`, then the signature over the device's verifier inputs.
async fn prove_device(
    pending: Pending<DeviceSrpAuth>,
    credentials: &DeviceCredentials,
) -> Result<Step, Error> {
    let ephemeral = SrpEphemeral::generate()?;
    let start = DeviceSrpStart {
        srp_a: ephemeral.public_hex(),
    };
    let mut map = ResponseMap::new();
    start.write(&mut map);
    let AfterDeviceSrp::DevicePasswordVerifier(verifier) =
        AfterDeviceSrp::from_step(pending.send(map).await?)?;
    send_device_claim(verifier, &ephemeral, credentials).await
}

async fn send_device_claim(
    pending: Pending<DevicePasswordVerifier>,
    ephemeral: &SrpEphemeral,
    credentials: &DeviceCredentials,
) -> Result<Step, Error> {
    let challenge = pending.challenge();
    let timestamp = srp::timestamp(pending.client().now());
    let claim = srp::password_claim(
        ephemeral,
        &VerifierInputs {
            pool_name: &credentials.device_group_key,
            user_id: &credentials.device_key,
            password: credentials.device_password.expose(),
            salt_hex: &challenge.salt,
            srp_b_hex: &challenge.srp_b,
            secret_block: &challenge.secret_block,
            timestamp: &timestamp,
        },
    )?;
    let mut map = ResponseMap::new();
    claim.write(&mut map);
    pending.send(map).await
}
