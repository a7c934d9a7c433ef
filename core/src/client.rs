//! The public API of [`Client`], in one place: configuring it, starting a flow, the
//! handler-driven sign-in, and the calls made with a signed-in user's tokens.
//!
//! The facade only composes the layers below (ARCHITECTURE.md): the struct and how it
//! sends an operation are in `connection`, flows in `flows`, devices in `device`.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::account::{
    self, ConfirmedAccount, MfaPreference, PendingConfirmation, PendingPasskeyRegistration,
    PendingReset, SignUp, SignUpOutcome,
};
use crate::builder::ClientBuilder;
use crate::challenge::{Challenge, Outcome, Step};
use crate::connection::{Connection, FlowContext, decode, in_span, trace_label};
use crate::device::{self, RememberedDevice};
use crate::error::Error;
use crate::flows::Flow;
use crate::handler::{
    Handle, HandledBy, Handler, ResetCode, SignInError, SignUpCode, confirm_sign_up, drive,
    reset_password,
};
use crate::pending::{Detached, Pending};
use crate::secret::Secret;
use crate::tokens::Tokens;
use crate::transport::{BoxFuture, HttpResponse};
use crate::webauthn::Passkey;
use crate::wire::AuthResponse;

/// A client for one app client of one user pool. Cheap to clone; clones share the
/// transport.
///
/// ```no_run
/// use cognito_typestate::{Client, challenges::AfterPassword, flows::UserPasswordAuth};
///
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder("1example23456789")
///     .user_pool_id("eu-west-1_AbCdEf123") // the region comes from the pool id
///     .build()?;
/// match client.initiate(UserPasswordAuth::new("alice", "correct horse")).await? {
///     AfterPassword::Authenticated(tokens) => println!("signed in, token expires in {:?}", tokens.expires_in()),
///     other => println!("the service wants more: {other:?}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    connection: Connection,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.connection.fmt(f)
    }
}

impl Client {
    /// Starts configuring a client for the app client `client_id`.
    pub fn builder(client_id: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(client_id.into())
    }

    pub(crate) fn from_connection(connection: Connection) -> Self {
        Self { connection }
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.connection.settings().client_id
    }

    /// The user pool id, if configured (SRP needs it).
    pub fn user_pool_id(&self) -> Option<&str> {
        self.connection.settings().user_pool_id.as_deref()
    }

    /// How long a challenge `Session` stays valid.
    pub fn session_validity(&self) -> Duration {
        self.connection.settings().session_validity
    }

    /// The current time, from the configured clock.
    pub fn now(&self) -> SystemTime {
        self.connection.time()
    }

    /// `SECRET_HASH` for `username`, when the app client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<Secret> {
        self.connection.hash_for(username)
    }

    /// Starts a sign-in flow and returns its first typed outcome.
    pub async fn initiate<F: Flow>(&self, flow: F) -> Result<F::Outcome, Error> {
        // Boxed: the flow's future is kilobytes (its steps' states), and executors move
        // the future they are given; one allocation is cheaper than those copies.
        Box::pin(flow.start(&self.connection)).await
    }

    /// Reads one `InitiateAuth` or `RespondToAuthChallenge` answer, as it came over HTTP,
    /// as the outcome `O` for `username`: what [`initiate`](Self::initiate) does after its
    /// call. Not API (no semver guarantee): it lets the benchmarks time this step alone.
    #[doc(hidden)]
    pub fn __read_answer<O: Outcome>(
        &self,
        username: &str,
        response: &HttpResponse,
    ) -> Result<O, Error> {
        let answer = decode::<AuthResponse>("InitiateAuth", response)?;
        let context = FlowContext {
            username: username.to_owned(),
            ..FlowContext::default()
        };
        O::from_step(Step::new(self.connection.clone(), answer, context))
    }

    /// Runs `flow` to tokens, asking `handler` to answer each challenge.
    ///
    /// `handler` must implement [`Handle<C>`](crate::handler::Handle) for every challenge `C` the flow can
    /// reach, or this does not compile; see [`crate::handler`].
    pub fn sign_in<'a, F, H>(
        &'a self,
        flow: F,
        handler: &'a mut H,
    ) -> BoxFuture<'a, Result<Tokens, SignInError<H::Error>>>
    where
        F: Flow + 'a,
        F::Outcome: HandledBy<H>,
        H: Handler,
    {
        // A named future type (not `impl Future`) keeps a missing handler to one error.
        Box::pin(async move {
            let span = tracing::info_span!(
                "cognito.sign_in",
                flow = F::AUTH_FLOW,
                outcome = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let signed_in = async {
                let first = self.initiate(flow).await?;
                drive(first, handler).await
            };
            in_span(span, signed_in, |signed_in| match signed_in {
                Ok(_) => "tokens",
                Err(SignInError::Handler(_)) => "handler gave up",
                Err(SignInError::Cognito(e)) => trace_label(e),
            })
            .await
        })
    }

    /// Registers the device the service started tracking with this sign-in
    /// (`NewDeviceMetadata`): makes a device password, salt and verifier and calls
    /// `ConfirmDevice`. Fails with [`Error::NotOffered`] when the tokens carry no new
    /// device (the pool does not track devices, or the sign-in used one).
    pub async fn confirm_device(
        &self,
        tokens: &Tokens,
        device_name: impl Into<String>,
    ) -> Result<RememberedDevice, Error> {
        device::confirm(&self.connection, tokens, device_name.into()).await
    }

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
        device::set_remembered(&self.connection, tokens, device_key, remembered).await
    }
}

/// The account around a sign-in ([`crate::account`]).
impl Client {
    /// Registers a new account (`SignUp`): confirmed at once, or waiting for the code
    /// the service sent.
    pub async fn sign_up(&self, sign_up: SignUp) -> Result<SignUpOutcome, Error> {
        sign_up.send(&self.connection).await
    }

    /// Registers a new account and confirms it with codes `handler` answers (see
    /// [`handler::confirm_sign_up`](crate::handler::confirm_sign_up)).
    pub async fn sign_up_with<H: Handle<SignUpCode>>(
        &self,
        sign_up: SignUp,
        handler: &mut H,
    ) -> Result<ConfirmedAccount, SignInError<H::Error>> {
        let outcome = self.sign_up(sign_up).await?;
        confirm_sign_up(outcome, handler).await
    }

    /// Resets a forgotten password with the code and new password `handler` answers
    /// (see [`handler::reset_password`](crate::handler::reset_password)).
    pub async fn reset_password_with<H: Handle<ResetCode>>(
        &self,
        username: impl Into<String>,
        handler: &mut H,
    ) -> Result<(), SignInError<H::Error>> {
        let pending = self.forgot_password(username).await?;
        reset_password(pending, handler).await
    }

    /// The confirmation of an account signed up earlier, e.g. after sign-in failed with
    /// [`Error::is_user_not_confirmed`]. Ask for a code with
    /// [`PendingConfirmation::resend_code`] if the first one is lost.
    pub fn pending_confirmation(&self, username: impl Into<String>) -> PendingConfirmation {
        PendingConfirmation::for_user(&self.connection, username.into())
    }

    /// Starts a password reset (`ForgotPassword`): a code is sent to the user.
    pub async fn forgot_password(
        &self,
        username: impl Into<String>,
    ) -> Result<PendingReset, Error> {
        PendingReset::new(&self.connection, username.into())
            .send_code()
            .await
    }

    /// The reset an administrator started: sign-in failed with
    /// [`Error::is_password_reset_required`], and the code was sent then.
    pub fn reset_required(&self, username: impl Into<String>) -> PendingReset {
        PendingReset::new(&self.connection, username.into())
    }

    /// Changes the signed-in user's password (`ChangePassword`).
    pub async fn change_password(
        &self,
        tokens: &Tokens,
        previous: impl Into<Secret>,
        proposed: impl Into<Secret>,
    ) -> Result<(), Error> {
        account::change_password(&self.connection, tokens, previous.into(), proposed.into()).await
    }

    /// Sets which second factors the user has and prefers (`SetUserMFAPreference`).
    pub async fn set_mfa_preference(
        &self,
        tokens: &Tokens,
        preference: MfaPreference,
    ) -> Result<(), Error> {
        account::set_mfa_preference(&self.connection, tokens, preference).await
    }

    /// Forgets a remembered device (`ForgetDevice`): it no longer skips MFA.
    pub async fn forget_device(&self, tokens: &Tokens, device_key: &str) -> Result<(), Error> {
        account::forget_device(&self.connection, tokens, device_key).await
    }

    /// Starts registering a passkey for the signed-in user (`StartWebAuthnRegistration`).
    ///
    /// The pool needs passkeys enabled and a relying party; the tokens need the
    /// `aws.cognito.signin.user.admin` scope.
    ///
    /// ```no_run
    /// # async fn run(client: cognito_typestate::Client, tokens: cognito_typestate::Tokens,
    /// #     authenticator: impl Fn(&cognito_typestate::webauthn::CredentialCreationOptions)
    /// #         -> cognito_typestate::webauthn::RegistrationResponse)
    /// #     -> Result<(), cognito_typestate::Error> {
    /// let registration = client.start_passkey_registration(&tokens).await?;
    /// let credential = authenticator(registration.options());
    /// registration.complete(credential).await?;
    /// for passkey in client.list_passkeys(&tokens).await? {
    ///     println!("{} ({:?})", passkey.credential_id, passkey.friendly_credential_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn start_passkey_registration(
        &self,
        tokens: &Tokens,
    ) -> Result<PendingPasskeyRegistration, Error> {
        account::passkeys::start_registration(&self.connection, tokens).await
    }

    /// The user's passkeys (`ListWebAuthnCredentials`), every page.
    pub async fn list_passkeys(&self, tokens: &Tokens) -> Result<Vec<Passkey>, Error> {
        account::passkeys::list(&self.connection, tokens).await
    }

    /// Deletes one of the user's passkeys (`DeleteWebAuthnCredential`) by its
    /// [`credential_id`](Passkey::credential_id).
    pub async fn delete_passkey(&self, tokens: &Tokens, credential_id: &str) -> Result<(), Error> {
        account::passkeys::delete(&self.connection, tokens, credential_id).await
    }

    /// Signs the user out on every device (`GlobalSignOut`): all their access and refresh
    /// tokens stop working, these included, which is why they are taken.
    pub async fn sign_out_everywhere(&self, tokens: Tokens) -> Result<(), Error> {
        account::global_sign_out(&self.connection, &tokens).await
    }

    /// Revokes these tokens' refresh token (`RevokeToken`), and with it the access tokens
    /// issued from it. The tokens are taken: they are no use afterwards.
    pub async fn revoke(&self, tokens: Tokens) -> Result<(), Error> {
        account::revoke(&self.connection, &tokens).await
    }
}

impl<C: Challenge> Detached<C> {
    /// Attaches the stored challenge to a client again. The client must be for the same
    /// app client (`ClientId`) the sign-in started with.
    pub fn attach(self, client: &Client) -> Result<Pending<C>, Error> {
        self.attach_to(&client.connection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Client>();
    }
}
