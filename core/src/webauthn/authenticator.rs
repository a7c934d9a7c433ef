//! What makes and uses passkeys, as the library asks for them.

use std::future::Future;

use super::{
    AuthenticationResponse, CredentialCreationOptions, CredentialRequestOptions,
    RegistrationResponse,
};

/// Something that creates passkeys and signs with them: a browser reached through the
/// application's own front end, a platform API, a hardware key, or (feature
/// `software-authenticator`) `SoftwareAuthenticator`.
#[cfg_attr(
    feature = "software-authenticator",
    doc = "See [`SoftwareAuthenticator`](super::SoftwareAuthenticator)."
)]
///
/// The two methods are WebAuthn's `navigator.credentials.create` and `.get`, with the
/// options and answers in their JSON forms. The authenticator (or the browser in front
/// of it) supplies the origin the client data names; the relying party checks it.
///
/// ```
/// use cognito_typestate::webauthn::{
///     AuthenticationResponse, Authenticator, CredentialCreationOptions,
///     CredentialRequestOptions, RegistrationResponse,
/// };
///
/// /// Hands the options to the browser page and waits for its answer.
/// struct BrowserPage {
///     // e.g. a channel to the web socket of the signed-in page
/// }
///
/// #[derive(Debug)]
/// struct PageClosed;
///
/// impl Authenticator for BrowserPage {
///     type Error = PageClosed;
///
///     async fn create(&mut self, options: &CredentialCreationOptions) -> Result<RegistrationResponse, PageClosed> {
///         // send `serde_json::to_string(options)` to the page, which calls
///         // `navigator.credentials.create` and sends back `credential.toJSON()`
///         # let _ = options;
///         Err(PageClosed)
///     }
///
///     async fn get(&mut self, options: &CredentialRequestOptions) -> Result<AuthenticationResponse, PageClosed> {
///         # let _ = options;
///         Err(PageClosed)
///     }
/// }
/// ```
pub trait Authenticator {
    /// Why the authenticator gave no answer (the user cancelled, no matching passkey).
    type Error;

    /// Creates a passkey for `options.rp` and `options.user`.
    fn create(
        &mut self,
        options: &CredentialCreationOptions,
    ) -> impl Future<Output = Result<RegistrationResponse, Self::Error>> + Send;

    /// Signs `options.challenge` with one of the passkeys `options` allows.
    fn get(
        &mut self,
        options: &CredentialRequestOptions,
    ) -> impl Future<Output = Result<AuthenticationResponse, Self::Error>> + Send;
}
