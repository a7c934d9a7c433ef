// A handler answers its challenge with that challenge's response type only: an SMS
// code handler cannot return a TOTP code.
use cognito_typestate::challenges::{SmsMfa, SoftwareTokenMfaCode};
use cognito_typestate::handler::{Handle, Handler};
use cognito_typestate::Pending;

struct Codes;

impl Handler for Codes {
    type Error = std::convert::Infallible;
}

impl Handle<SmsMfa> for Codes {
    async fn answer(&mut self, _: &Pending<SmsMfa>) -> Result<SoftwareTokenMfaCode, Self::Error> {
        Ok(SoftwareTokenMfaCode::new("123456"))
    }
}

fn main() {}
