//! The built-in steps whose answer is more than one `RespondToAuthChallenge`, and the
//! ones the library answers itself: how the driver runs them.

use super::{Drive, Handle, Handler, Prompt, SignInError, ask};
use crate::challenge::Challenge;
use crate::challenges::{
    AfterMfaSetup, AfterPassword, DevicePasswordVerifier, DeviceSrpAuth, EmailMfaSetup,
    FirstFactorChoice, FirstFactorOutcome, MfaSetup, PasswordAnswer, PasswordSrp, PasswordVerifier,
    SelectChallenge, TotpSetup,
};
use crate::error::{Error, ProtocolError, UnexpectedChallenge};
use crate::pending::Pending;
use crate::retry::Rejected;
use crate::secret::Secret;
use crate::steps::device::missing_credentials;
use crate::tokens::Tokens;
use crate::transport::BoxFuture;

/// How to set up a second factor when the service asks `MFA_SETUP`.
#[derive(Debug, Clone)]
pub enum MfaSetupChoice {
    /// An authenticator app: the driver calls `AssociateSoftwareToken` and asks
    /// `Handle<SoftwareTokenSetup>` for the first code.
    SoftwareToken,
    /// E-mail codes to this address (from [`MfaSetup::email`]).
    Email(EmailMfaSetup),
}

/// The authenticator-app part of `MFA_SETUP`: the handler is shown the new TOTP secret
/// (and its `otpauth://` URI, for a QR code) and answers with the app's first code.
#[derive(Debug, Clone, Copy)]
pub enum SoftwareTokenSetup {}

impl Prompt for SoftwareTokenSetup {
    type Input = TotpSetup;
    type Answer = TotpVerification;
}

/// The first code of a newly set-up authenticator app.
#[derive(Debug, Clone)]
pub struct TotpVerification {
    code: Secret,
    friendly_device_name: Option<String>,
}

impl TotpVerification {
    /// The code the app shows.
    pub fn new(code: impl Into<Secret>) -> Self {
        Self {
            code: code.into(),
            friendly_device_name: None,
        }
    }

    /// A name for the app, shown in the user's MFA settings.
    #[must_use]
    pub fn friendly_device_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_device_name = Some(name.into());
        self
    }
}

impl Prompt for MfaSetup {
    type Input = Pending<MfaSetup>;
    type Answer = MfaSetupChoice;
}

impl<H> Drive<H> for MfaSetup
where
    H: Handle<MfaSetup> + Handle<SoftwareTokenSetup>,
{
    type Then = AfterMfaSetup;

    fn drive(
        pending: Pending<Self>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<AfterMfaSetup, SignInError<H::Error>>> {
        Box::pin(async move {
            let choice = ask::<MfaSetup, H>(handler, &pending).await?;
            match choice {
                MfaSetupChoice::Email(answer) => Ok(pending.respond(answer).await?),
                MfaSetupChoice::SoftwareToken => {
                    let mut setup = pending.associate_software_token().await?;
                    for _ in 0..super::MAX_STEPS {
                        let verification = ask::<SoftwareTokenSetup, H>(handler, &setup).await?;
                        let name = verification.friendly_device_name.as_deref();
                        match setup.verify(verification.code, name).await {
                            Ok(next) => return Ok(next),
                            Err(Rejected::Retry { pending, .. }) => setup = pending,
                            Err(Rejected::Failed(e)) => return Err(e.into()),
                        }
                    }
                    Err(Error::from(ProtocolError::StepBudget {
                        steps: super::MAX_STEPS,
                    })
                    .into())
                }
            }
        })
    }
}

/// `PASSWORD_SRP` is answered with the password; the driver runs SRP and answers the
/// `PASSWORD_VERIFIER` that follows.
impl Prompt for PasswordSrp {
    type Input = Pending<PasswordSrp>;
    type Answer = PasswordAnswer;
}

impl<H: Handle<PasswordSrp>> Drive<H> for PasswordSrp {
    type Then = AfterPassword;

    fn drive(
        pending: Pending<Self>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<AfterPassword, SignInError<H::Error>>> {
        Box::pin(async move {
            let answer = ask(handler, &pending).await?;
            Ok(pending
                .respond_with_password(answer.into_password())
                .await?)
        })
    }
}

/// A first factor chosen at `SELECT_CHALLENGE`.
#[derive(Debug, Clone)]
pub enum FirstFactorAnswer {
    /// A choice sent as it is (from [`SelectChallenge::password`],
    /// [`SelectChallenge::email_otp`], ...).
    Choice(FirstFactorChoice),
    /// `PASSWORD_SRP`: the driver proves this password with SRP.
    PasswordSrp(Secret),
}

impl From<FirstFactorChoice> for FirstFactorAnswer {
    fn from(choice: FirstFactorChoice) -> Self {
        Self::Choice(choice)
    }
}

impl Prompt for SelectChallenge {
    type Input = Pending<SelectChallenge>;
    type Answer = FirstFactorAnswer;
}

impl<H: Handle<SelectChallenge>> Drive<H> for SelectChallenge {
    type Then = FirstFactorOutcome;

    fn drive(
        pending: Pending<Self>,
        handler: &mut H,
    ) -> BoxFuture<'_, Result<FirstFactorOutcome, SignInError<H::Error>>> {
        Box::pin(async move {
            let answer = ask(handler, &pending).await?;
            Ok(match answer {
                FirstFactorAnswer::Choice(choice) => pending.respond(choice).await?,
                FirstFactorAnswer::PasswordSrp(password) => {
                    pending.password_srp(password).await?.into()
                }
            })
        })
    }
}

/// `DEVICE_SRP_AUTH` is answered with the device credentials given to the flow
/// (`.device(credentials)`), before the driver sees it. It reaches the driver only when
/// the flow had a device key without credentials, which is an error.
impl Prompt for DeviceSrpAuth {
    type Input = Pending<DeviceSrpAuth>;
    type Answer = std::convert::Infallible;
}

impl<H: Handler> Drive<H> for DeviceSrpAuth {
    type Then = Tokens;

    fn drive(
        pending: Pending<Self>,
        _: &mut H,
    ) -> BoxFuture<'_, Result<Tokens, SignInError<H::Error>>> {
        // With credentials, the library proved the device already: asked again, it is the
        // server that does not follow the protocol.
        let error = if pending.has_device() {
            ProtocolError::DeviceProofRepeated.into()
        } else {
            missing_credentials()
        };
        Box::pin(async move { Err(error.into()) })
    }
}

/// The verifier steps are answered inside the library's SRP exchanges (the flows that
/// start SRP, `PASSWORD_SRP`, `DEVICE_SRP_AUTH`); one that reaches the driver was not
/// started by this client and cannot be answered.
macro_rules! answered_inside_srp {
    ($($challenge:ty),*) => {$(
        impl Prompt for $challenge {
            type Input = Pending<$challenge>;
            type Answer = std::convert::Infallible;
        }

        impl<H: Handler> Drive<H> for $challenge {
            type Then = Tokens;

            fn drive(
                pending: Pending<Self>,
                _: &mut H,
            ) -> BoxFuture<'_, Result<Tokens, SignInError<H::Error>>> {
                Box::pin(async move { Err(unanswerable(&pending).into()) })
            }
        }
    )*};
}

answered_inside_srp!(PasswordVerifier, DevicePasswordVerifier);

/// An SRP verifier step this client did not start: reported as unexpected.
fn unanswerable<C: Challenge>(pending: &Pending<C>) -> Error {
    Error::UnexpectedChallenge(Box::new(UnexpectedChallenge {
        name: C::NAME.to_owned(),
        parameters: pending.parameters().clone(),
        available_challenges: Vec::new(),
        session: None,
        expected: Vec::new(),
    }))
}
