//! Passkeys of a signed-in user: registering one (`StartWebAuthnRegistration`, then
//! `CompleteWebAuthnRegistration`), listing and deleting them.

use crate::connection::Connection;
use crate::error::{Error, ProtocolError};
use crate::secret::Secret;
use crate::tokens::Tokens;
use crate::webauthn::{CredentialCreationOptions, Passkey, RegistrationResponse};
use crate::wire::account as wire;

/// A passkey registration waiting for the authenticator's new credential.
///
/// Get one from [`Client::start_passkey_registration`](crate::Client::start_passkey_registration);
/// hand [`options`](Self::options) to the authenticator (in a browser,
/// `navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })`)
/// and its answer to [`complete`](Self::complete). Completing consumes the registration:
/// the service accepts one credential per challenge.
#[must_use = "the passkey is not registered until the registration is completed"]
pub struct PendingPasskeyRegistration {
    client: Connection,
    access_token: Secret,
    options: CredentialCreationOptions,
}

impl std::fmt::Debug for PendingPasskeyRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The access token is a secret; the options are public.
        f.debug_struct("PendingPasskeyRegistration")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl PendingPasskeyRegistration {
    /// What the authenticator is asked to create: relying party, user, challenge,
    /// algorithms and the credentials the user already has.
    pub fn options(&self) -> &CredentialCreationOptions {
        &self.options
    }

    /// Registers the authenticator's credential (`CompleteWebAuthnRegistration`).
    ///
    /// On a `WebAuthn*` rejection (wrong relying party or origin, expired challenge) the
    /// registration is over: start a new one.
    pub async fn complete(self, credential: RegistrationResponse) -> Result<(), Error> {
        self.client
            .call(&wire::CompleteWebAuthnRegistration {
                access_token: self.access_token,
                credential,
            })
            .await?;
        Ok(())
    }
}

pub(crate) async fn start_registration(
    client: &Connection,
    tokens: &Tokens,
) -> Result<PendingPasskeyRegistration, Error> {
    let output = client
        .call(&wire::StartWebAuthnRegistration {
            access_token: tokens.access_token().clone(),
        })
        .await?;
    Ok(PendingPasskeyRegistration {
        client: client.clone(),
        access_token: tokens.access_token().clone(),
        options: output.credential_creation_options,
    })
}

/// Every page of `ListWebAuthnCredentials`.
pub(crate) async fn list(client: &Connection, tokens: &Tokens) -> Result<Vec<Passkey>, Error> {
    let mut passkeys = Vec::new();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let page = client
            .call(&wire::ListWebAuthnCredentials {
                access_token: tokens.access_token().clone(),
                next_token: next_token.take(),
                max_results: None,
            })
            .await?;
        passkeys.extend(page.credentials);
        match page.next_token {
            Some(token) if !token.is_empty() => next_token = Some(token),
            _ => return Ok(passkeys),
        }
    }
    Err(ProtocolError::EndlessPages {
        operation: "ListWebAuthnCredentials",
        pages: MAX_PAGES,
    }
    .into())
}

/// Far more pages than any user's passkeys fill; stops a server that pages forever.
const MAX_PAGES: usize = 100;

pub(crate) async fn delete(
    client: &Connection,
    tokens: &Tokens,
    credential_id: &str,
) -> Result<(), Error> {
    client
        .call(&wire::DeleteWebAuthnCredential {
            access_token: tokens.access_token().clone(),
            credential_id: credential_id.to_owned(),
        })
        .await?;
    Ok(())
}
