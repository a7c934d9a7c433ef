//! What a signed-in user does with their tokens: change the password, set the MFA
//! preference, forget a device, sign out everywhere, revoke the refresh token.

use crate::connection::Connection;
use crate::error::Error;
use crate::secret::Secret;
use crate::tokens::Tokens;
use crate::wire::account::{self as wire, MfaSettings};

/// How one second factor is set for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaSetting {
    /// Not used.
    Disabled,
    /// Used when the pool asks for MFA, the user choosing among the enabled ones.
    Enabled,
    /// Enabled and asked first.
    Preferred,
}

impl MfaSetting {
    fn wire(self) -> MfaSettings {
        MfaSettings {
            enabled: self != Self::Disabled,
            preferred_mfa: self == Self::Preferred,
        }
    }
}

/// The user's MFA preference (`SetUserMFAPreference`); factors left unset stay as
/// they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct MfaPreference {
    sms: Option<MfaSetting>,
    software_token: Option<MfaSetting>,
    email: Option<MfaSetting>,
}

impl MfaPreference {
    /// A preference that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Text-message codes.
    pub fn sms(mut self, setting: MfaSetting) -> Self {
        self.sms = Some(setting);
        self
    }

    /// An authenticator app.
    pub fn software_token(mut self, setting: MfaSetting) -> Self {
        self.software_token = Some(setting);
        self
    }

    /// E-mailed codes.
    pub fn email(mut self, setting: MfaSetting) -> Self {
        self.email = Some(setting);
        self
    }
}

pub(crate) async fn change_password(
    client: &Connection,
    tokens: &Tokens,
    previous: Secret,
    proposed: Secret,
) -> Result<(), Error> {
    client
        .call(&wire::ChangePassword {
            access_token: tokens.access_token().clone(),
            previous_password: previous,
            proposed_password: proposed,
        })
        .await?;
    Ok(())
}

pub(crate) async fn set_mfa_preference(
    client: &Connection,
    tokens: &Tokens,
    preference: MfaPreference,
) -> Result<(), Error> {
    client
        .call(&wire::SetUserMfaPreference {
            access_token: tokens.access_token().clone(),
            sms: preference.sms.map(MfaSetting::wire),
            software_token: preference.software_token.map(MfaSetting::wire),
            email: preference.email.map(MfaSetting::wire),
        })
        .await?;
    Ok(())
}

pub(crate) async fn forget_device(
    client: &Connection,
    tokens: &Tokens,
    device_key: &str,
) -> Result<(), Error> {
    client
        .call(&wire::ForgetDevice {
            access_token: tokens.access_token().clone(),
            device_key: device_key.to_owned(),
        })
        .await?;
    Ok(())
}

pub(crate) async fn global_sign_out(client: &Connection, tokens: &Tokens) -> Result<(), Error> {
    client
        .call(&wire::GlobalSignOut {
            access_token: tokens.access_token().clone(),
        })
        .await?;
    Ok(())
}

/// `RevokeToken` on the refresh token; tokens without one have nothing to revoke.
pub(crate) async fn revoke(client: &Connection, tokens: &Tokens) -> Result<(), Error> {
    let Some(refresh_token) = tokens.refresh_token() else {
        return Ok(());
    };
    let settings = client.settings();
    client
        .call(&wire::RevokeToken {
            token: refresh_token.clone(),
            client_id: settings.client_id.clone(),
            client_secret: settings.client_secret.clone(),
        })
        .await?;
    Ok(())
}
