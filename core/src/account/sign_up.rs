//! `SignUp`, `ConfirmSignUp` and `ResendConfirmationCode` as states.

use std::collections::BTreeMap;
use std::fmt;

use super::{CodeDelivery, Refusals, newest_delivery, send_code};
use crate::connection::Connection;
use crate::error::{Error, ServiceError};
use crate::retry::Rejected;
use crate::secret::Secret;
use crate::wire::account::{self as wire, Attribute};

/// A new account to register (`SignUp`). Build it, then pass it to
/// [`Client::sign_up`](crate::Client::sign_up).
#[derive(Debug, Clone)]
#[must_use = "a sign-up does nothing until it is sent"]
pub struct SignUp {
    username: String,
    password: Option<Secret>,
    attributes: BTreeMap<String, String>,
    client_metadata: BTreeMap<String, String>,
}

impl SignUp {
    /// An account for `username` (or the e-mail address, in pools that sign in with it).
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: None,
            attributes: BTreeMap::new(),
            client_metadata: BTreeMap::new(),
        }
    }

    /// The password. Leave it out in pools whose users sign in without one.
    pub fn password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// One user attribute, e.g. `email` or `phone_number`.
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// `ClientMetadata` for the pool's Lambda triggers.
    pub fn client_metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.client_metadata.insert(key.into(), value.into());
        self
    }

    /// Sends `SignUp`.
    pub(crate) async fn send(self, client: &Connection) -> Result<SignUpOutcome, Error> {
        let output = client
            .call(&wire::SignUp {
                client_id: client.settings().client_id.clone(),
                secret_hash: client.hash_for(&self.username),
                username: self.username.clone(),
                password: self.password,
                user_attributes: self
                    .attributes
                    .into_iter()
                    .map(|(name, value)| Attribute { name, value })
                    .collect(),
                client_metadata: self.client_metadata,
            })
            .await?;
        let account = Account {
            client: client.clone(),
            username: self.username,
            user_sub: output.user_sub,
            session: output.session,
        };
        Ok(if output.user_confirmed {
            SignUpOutcome::Confirmed(ConfirmedAccount(account))
        } else {
            SignUpOutcome::ConfirmationRequired(PendingConfirmation {
                account,
                delivery: output.code_delivery_details.map(CodeDelivery::from),
                refusals: Refusals::default(),
            })
        })
    }
}

/// What `SignUp` answered.
#[derive(Debug)]
#[must_use = "a sign-up must be confirmed before the user can sign in"]
pub enum SignUpOutcome {
    /// The pool confirmed the user at once (a pre-sign-up trigger, or no verification).
    Confirmed(ConfirmedAccount),
    /// A code was sent; the user confirms with it.
    ConfirmationRequired(PendingConfirmation),
}

/// What sign-up states share.
struct Account {
    client: Connection,
    username: String,
    user_sub: Option<String>,
    /// The sign-up `Session`: carried into `ConfirmSignUp` and then the auto sign-in.
    session: Option<Secret>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("username", &self.username)
            .field("user_sub", &self.user_sub)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// A signed-up account waiting for its confirmation code (`ConfirmSignUp`).
///
/// [`confirm`](Self::confirm) takes `self`, so it is answered once; a mistyped or expired
/// code gives it back in [`Rejected::Retry`] (ask for a new code with
/// [`resend_code`](Self::resend_code)).
#[derive(Debug)]
#[must_use = "the account cannot sign in until it is confirmed"]
pub struct PendingConfirmation {
    account: Account,
    delivery: Option<CodeDelivery>,
    refusals: Refusals,
}

impl PendingConfirmation {
    /// The confirmation of an account signed up earlier (`UserNotConfirmedException` at
    /// sign-in, or another device): no sign-up session, so no auto sign-in after it.
    pub(crate) fn for_user(client: &Connection, username: String) -> Self {
        Self {
            account: Account {
                client: client.clone(),
                username,
                user_sub: None,
                session: None,
            },
            delivery: None,
            refusals: Refusals::default(),
        }
    }

    /// The username the account was signed up with.
    pub fn username(&self) -> &str {
        &self.account.username
    }

    /// Where the code went, when the service said.
    pub fn delivery(&self) -> Option<&CodeDelivery> {
        self.delivery.as_ref()
    }

    /// How many codes this confirmation has had, counting the one about to be sent.
    pub fn attempt(&self) -> u32 {
        self.refusals.attempt()
    }

    /// Why the previous code was refused, after a [`Rejected::Retry`].
    pub fn rejection(&self) -> Option<&ServiceError> {
        self.refusals.last()
    }

    /// Confirms the account with the code (`ConfirmSignUp`).
    pub async fn confirm(
        self,
        code: impl Into<Secret>,
    ) -> Result<ConfirmedAccount, Rejected<Self>> {
        let account = &self.account;
        let sent = account
            .client
            .call(&wire::ConfirmSignUp {
                client_id: account.client.settings().client_id.clone(),
                secret_hash: account.client.hash_for(&account.username),
                username: account.username.clone(),
                confirmation_code: code.into(),
                session: account.session.clone(),
            })
            .await;
        match sent {
            Ok(output) => {
                let mut account = self.account;
                // Only the session ConfirmSignUp returns signs in; without one (the
                // sign-up's session expired) there is no auto sign-in.
                account.session = output.session;
                Ok(ConfirmedAccount(account))
            }
            Err(e) => Err(Refusals::reject(self, "ConfirmSignUp", e, |s| {
                &mut s.refusals
            })),
        }
    }

    /// Sends the code again (`ResendConfirmationCode`), e.g. after an
    /// `ExpiredCodeException`.
    pub async fn resend_code(&mut self) -> Result<Option<&CodeDelivery>, Error> {
        let account = &self.account;
        let sent = send_code(&account.client, "ResendConfirmationCode", &account.username).await?;
        Ok(newest_delivery(&mut self.delivery, sent))
    }
}

/// A confirmed account. When the sign-up returned a session (the app client allows
/// `USER_AUTH`), it can sign in without asking for the password again:
/// [`AutoSignIn::after`](crate::flows::AutoSignIn::after), once.
#[derive(Debug)]
pub struct ConfirmedAccount(Account);

impl ConfirmedAccount {
    /// The username the account was signed up with.
    pub fn username(&self) -> &str {
        &self.0.username
    }

    /// The user's `sub`, when the service returned it.
    pub fn user_sub(&self) -> Option<&str> {
        self.0.user_sub.as_deref()
    }

    /// Whether the auto sign-in is offered (the service returned a session).
    pub fn can_sign_in_automatically(&self) -> bool {
        self.0.session.is_some()
    }

    /// The username and the session for the auto sign-in, used once.
    pub(crate) fn into_session(self) -> Option<(String, Secret)> {
        let Account {
            username, session, ..
        } = self.0;
        session.map(|s| (username, s))
    }
}
