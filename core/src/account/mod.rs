//! The account around a sign-in: sign-up and its confirmation (then the auto sign-in),
//! a forgotten password, and what a signed-in user does with their tokens.
//!
#![doc = concat!("```mermaid\n", include_str!("../../docs/flows/lifecycle.mmd"), "```")]
//!
//! Each step is a state that can only be used as the protocol allows: a sign-up's
//! confirmation is answered once (a mistyped code hands it back, see
//! [`Rejected`]), the auto sign-in exists only on a
//! [`ConfirmedAccount`], and revoking or signing out everywhere consumes the tokens.
//!
//! ```no_run
//! use cognito_typestate::account::{SignUp, SignUpOutcome};
//! use cognito_typestate::flows::AutoSignIn;
//! use cognito_typestate::{Client, Error, Rejected};
//!
//! # fn ask(_: &str) -> String { String::new() }
//! async fn sign_up(client: &Client) -> Result<(), Error> {
//!     let mut pending = match client.sign_up(SignUp::new("alice").password("correct horse").attribute("email", "alice@example.com")).await? {
//!         SignUpOutcome::Confirmed(_) => return Ok(()),
//!         SignUpOutcome::ConfirmationRequired(pending) => pending,
//!     };
//!     let account = loop {
//!         match pending.confirm(ask("the code we e-mailed")).await {
//!             Ok(account) => break account,
//!             Err(Rejected::Retry { pending: again, .. }) => pending = again,
//!             Err(Rejected::Failed(e)) => return Err(e),
//!         }
//!     };
//!     if let Some(auto) = AutoSignIn::after(account) {
//!         let _first_step = client.initiate(auto).await?;
//!     }
//!     Ok(())
//! }
//! ```

pub(crate) mod passkeys;
mod reset;
mod sign_up;
mod signed_in;

pub use passkeys::PendingPasskeyRegistration;
pub use reset::PendingReset;
pub use sign_up::{ConfirmedAccount, PendingConfirmation, SignUp, SignUpOutcome};
pub use signed_in::{MfaPreference, MfaSetting};
pub(crate) use signed_in::{
    change_password, forget_device, global_sign_out, revoke, set_mfa_preference,
};

use crate::challenges::DeliveryMedium;
use crate::connection::Connection;
use crate::error::{Error, ServiceError};
use crate::retry::{Rejected, keeps_challenge};
use crate::wire::account::{self as wire, CodeDeliveryDetails};

/// The answers an account state had refused while staying open.
#[derive(Debug, Default)]
struct Refusals {
    count: u32,
    last: Option<ServiceError>,
}

impl Refusals {
    /// The answer about to be sent, counting from 1.
    fn attempt(&self) -> u32 {
        self.count.saturating_add(1)
    }

    fn last(&self) -> Option<&ServiceError> {
        self.last.as_ref()
    }

    /// `state` handed back after `operation` failed with `error` when the service keeps
    /// the state open for that refusal (the refusal noted through `note`); otherwise the
    /// state is spent.
    fn reject<P>(
        state: P,
        operation: &'static str,
        error: Error,
        note: impl FnOnce(&mut P) -> &mut Self,
    ) -> Rejected<P> {
        let error = match error {
            Error::Service(error) if keeps_challenge(operation, error.kind()).is_some() => error,
            other => return Rejected::Failed(other),
        };
        let mut state = state;
        let refusals = note(&mut state);
        refusals.count = refusals.count.saturating_add(1);
        refusals.last = Some(error.clone());
        Rejected::Retry {
            pending: state,
            error,
        }
    }
}

/// Keeps where the newest code went: a resend that says nothing leaves the old delivery.
fn newest_delivery(
    delivery: &mut Option<CodeDelivery>,
    sent: Option<CodeDelivery>,
) -> Option<&CodeDelivery> {
    if sent.is_some() {
        *delivery = sent;
    }
    delivery.as_ref()
}

/// Asks the service to send a code for `username` (`ResendConfirmationCode` or
/// `ForgotPassword`: the same shape).
async fn send_code(
    client: &Connection,
    operation: &'static str,
    username: &str,
) -> Result<Option<CodeDelivery>, Error> {
    let output = client
        .call(&wire::SendCode {
            operation,
            client_id: client.settings().client_id.clone(),
            secret_hash: client.hash_for(username),
            username: username.to_owned(),
        })
        .await?;
    Ok(output.code_delivery_details.map(CodeDelivery::from))
}

/// The moves between an account's states outside the sign-in flows, as
/// `(from, to, call)`, the states named by their types: what
/// [`graph::lifecycle`](crate::graph::lifecycle) draws around the sign-in's own states.
/// `[*]` is where a story starts or ends; `USER_AUTH` and `Tokens` join the auto
/// sign-in's graph.
pub(crate) fn moves() -> [(&'static str, &'static str, &'static str); 11] {
    let sign_up = short_name::<SignUp>();
    let pending = short_name::<PendingConfirmation>();
    let confirmed = short_name::<ConfirmedAccount>();
    let reset = short_name::<PendingReset>();
    let tokens = short_name::<crate::tokens::Tokens>();
    [
        ("[*]", sign_up, "SignUp::new"),
        (sign_up, pending, "Client::sign_up"),
        (sign_up, confirmed, "Client::sign_up, confirmed at once"),
        (pending, pending, "confirm refused, answer again"),
        (pending, confirmed, "confirm"),
        (confirmed, "USER_AUTH", "AutoSignIn::after"),
        (
            tokens,
            tokens,
            "change_password, set_mfa_preference, forget_device",
        ),
        (tokens, "[*]", "sign_out_everywhere, revoke"),
        ("[*]", reset, "Client::forgot_password, reset_required"),
        (reset, reset, "confirm refused, answer again"),
        (reset, "[*]", "confirm"),
    ]
}

/// The last segment of a type's path: `PendingConfirmation`.
fn short_name<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    name.rsplit("::").next().unwrap_or(name)
}

/// Where the service sent a code: `CodeDeliveryDetails`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDelivery {
    /// `SMS` or `EMAIL`.
    pub medium: Option<DeliveryMedium>,
    /// The masked address or phone number, e.g. `a***@e***.com`.
    pub destination: Option<String>,
    /// The attribute the code was sent to, e.g. `email`.
    pub attribute: Option<String>,
}

impl From<CodeDeliveryDetails> for CodeDelivery {
    fn from(details: CodeDeliveryDetails) -> Self {
        Self {
            medium: details.delivery_medium.map(|m| {
                m.parse()
                    .unwrap_or_else(|never: std::convert::Infallible| match never {})
            }),
            destination: details.destination,
            attribute: details.attribute_name,
        }
    }
}
