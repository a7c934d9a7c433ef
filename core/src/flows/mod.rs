//! The `InitiateAuth` flows, each with its own typed first outcome.
//!
//! | flow | `AuthFlow` | first outcome |
//! |---|---|---|
//! | [`UserSrpAuth`] | `USER_SRP_AUTH` (`PASSWORD_VERIFIER` answered for you) | [`AfterPassword`] |
//! | [`UserPasswordAuth`] | `USER_PASSWORD_AUTH` | [`AfterPassword`] |
//! | [`CustomAuth`] | `CUSTOM_AUTH`, optionally SRP first | [`AfterCustomChallenge`] or your own outcome |
//! | [`UserAuth`] | `USER_AUTH` | [`FirstFactorOutcome`] |
//! | [`UserAuthSrp`] | `USER_AUTH` preferring `PASSWORD_SRP` | [`AfterPassword`] |
//! | [`RefreshTokenAuth`] | `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN` | [`Tokens`] |
//! | [`TokensFromRefreshToken`] | the `GetTokensFromRefreshToken` operation | [`Tokens`] |
//!
//! [`AfterPassword`]: crate::challenges::AfterPassword
//! [`AfterCustomChallenge`]: crate::challenges::AfterCustomChallenge
//! [`FirstFactorOutcome`]: crate::challenges::FirstFactorOutcome
//! [`Tokens`]: crate::Tokens

use std::collections::BTreeMap;
use std::future::Future;

use crate::challenge::{ChallengeResponse, Outcome, ResponseMap, Step};
use crate::connection::{Connection, DeviceCredentials, FlowContext, SendUsername};
use crate::error::Error;
use crate::secret::Secret;
use crate::steps;

mod auto;
mod custom;
mod params;
mod password;
mod refresh;
mod user_auth;

pub use auto::AutoSignIn;
pub use custom::CustomAuth;
pub use password::{UserPasswordAuth, UserSrpAuth};
pub use refresh::{RefreshTokenAuth, TokensFromRefreshToken};
pub use user_auth::{UserAuth, UserAuthSrp};

mod sealed {
    pub trait Sealed {}
}

/// A way to start signing in. Pass one to [`Client::initiate`](crate::Client::initiate).
///
/// Implemented by the flows of this module only: each knows its `AuthParameters` and
/// which outcome the service may answer with.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sign-in flow",
    label = "not a flow",
    note = "start with one of `cognito_typestate::flows`: `UserSrpAuth::new(username, password)`, `UserPasswordAuth`, `CustomAuth`, `UserAuth`, `RefreshTokenAuth`, ..."
)]
pub trait Flow: sealed::Sealed + Send {
    /// The `AuthFlow` it starts (for GetTokensFromRefreshToken, the operation).
    const AUTH_FLOW: &'static str;
    /// What the service may answer the first call with.
    type Outcome: Outcome;

    /// Runs the flow's first call(s).
    #[doc(hidden)]
    fn start(
        self,
        client: &Connection,
    ) -> impl Future<Output = Result<Self::Outcome, Error>> + Send;
}

/// Options every flow takes: a remembered device and metadata for Lambda triggers.
#[derive(Debug, Clone, Default)]
struct Options {
    device_key: Option<String>,
    device: Option<DeviceCredentials>,
    client_metadata: BTreeMap<String, String>,
}

impl Options {
    fn context(&self, username: &str) -> FlowContext {
        FlowContext {
            username: username.to_owned(),
            device_key: self.device_key.clone(),
            device: self.device.clone(),
            client_metadata: self.client_metadata.clone(),
        }
    }
}

/// `InitiateAuth` with the flow's typed `AuthParameters`, read as `O` (after the
/// device's proof, if the flow has a device and the service asks for it).
async fn initiate<O: Outcome>(
    client: &Connection,
    auth_flow: &'static str,
    parameters: &(impl ChallengeResponse + ?Sized),
    context: FlowContext,
    username: SendUsername,
) -> Result<O, Error> {
    initiate_in(client, auth_flow, parameters, context, username, None).await
}

/// [`initiate`] continuing an earlier `Session` (the auto sign-in after a sign-up).
async fn initiate_in<O: Outcome>(
    client: &Connection,
    auth_flow: &'static str,
    parameters: &(impl ChallengeResponse + ?Sized),
    context: FlowContext,
    username: SendUsername,
    session: Option<Secret>,
) -> Result<O, Error> {
    let parameters = ResponseMap::of(parameters).into_inner();
    let response = client
        .initiate_auth(auth_flow, parameters, &context, username, session)
        .await?;
    steps::outcome(Step::new(client.clone(), response, context)).await
}

macro_rules! flow_options {
    ($($flow:ident $(<$g:ident>)?),*) => {$(
        impl $(<$g>)? $flow $(<$g>)? {
            /// Signs in with a device remembered at an earlier sign-in (see
            /// [`Client::confirm_device`](crate::Client::confirm_device)): `DEVICE_KEY` goes with every step and
            /// `DEVICE_SRP_AUTH` is answered with the credentials.
            #[must_use]
            pub fn device(mut self, credentials: DeviceCredentials) -> Self {
                self.options.device_key = Some(credentials.device_key.clone());
                self.options.device = Some(credentials);
                self
            }

            /// Sends `DEVICE_KEY` with every step without the device's credentials:
            /// `DEVICE_SRP_AUTH` then reaches you as a pending challenge (answer it with
            /// `Pending::<DeviceSrpAuth>::respond_with_device`).
            #[must_use]
            pub fn device_key(mut self, device_key: impl Into<String>) -> Self {
                self.options.device_key = Some(device_key.into());
                self.options.device = None;
                self
            }

            /// Sends `ClientMetadata` to the pool's Lambda triggers with every step.
            #[must_use]
            pub fn client_metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.client_metadata.insert(key.into(), value.into());
                self
            }
        }
    )*};
}

flow_options!(
    UserPasswordAuth<O>,
    UserSrpAuth<O>,
    CustomAuth<O>,
    UserAuth<O>,
    UserAuthSrp<O>,
    RefreshTokenAuth,
    TokensFromRefreshToken
);
