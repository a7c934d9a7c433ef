// MFA_SETUP may go through an authenticator app, whose first code is asked separately:
// a handler for MFA_SETUP alone is not enough.
use cognito_typestate::challenges::MfaSetup;
use cognito_typestate::handler::{self, Handle, Handler, MfaSetupChoice};
use cognito_typestate::Pending;

struct SetUp;

impl Handler for SetUp {
    type Error = std::convert::Infallible;
}

impl Handle<MfaSetup> for SetUp {
    async fn answer(&mut self, _: &Pending<MfaSetup>) -> Result<MfaSetupChoice, Self::Error> {
        Ok(MfaSetupChoice::SoftwareToken)
    }
}

async fn finish(pending: Pending<MfaSetup>) {
    let _ = handler::drive(pending, &mut SetUp).await;
}

fn main() {}
