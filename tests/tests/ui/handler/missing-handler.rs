// A handler set that lacks a challenge the flow can reach does not compile, and the
// message names the challenge. USER_SRP_AUTH can reach SMS_MFA; `Codes` has no handler
// for it.
use cognito_typestate::challenges::{
    EmailOtp, EmailOtpCode, MfaSelection, MfaSetup, NewPassword, NewPasswordRequired,
    SelectMfaType, SoftwareTokenMfa, SoftwareTokenMfaCode,
};
use cognito_typestate::handler::{
    Handle, Handler, MfaSetupChoice, SoftwareTokenSetup, TotpVerification,
};
use cognito_typestate::challenges::TotpSetup;
use cognito_typestate::{Client, Pending, flows::UserSrpAuth};

struct Codes;

impl Handler for Codes {
    type Error = String;
}

impl Handle<NewPasswordRequired> for Codes {
    async fn answer(&mut self, _: &Pending<NewPasswordRequired>) -> Result<NewPassword, String> {
        Ok(NewPassword::new("n3w-Passw0rd!"))
    }
}

impl Handle<SoftwareTokenMfa> for Codes {
    async fn answer(&mut self, _: &Pending<SoftwareTokenMfa>) -> Result<SoftwareTokenMfaCode, String> {
        Ok(SoftwareTokenMfaCode::new("123456"))
    }
}

impl Handle<EmailOtp> for Codes {
    async fn answer(&mut self, _: &Pending<EmailOtp>) -> Result<EmailOtpCode, String> {
        Ok(EmailOtpCode::new("123456"))
    }
}

impl Handle<SelectMfaType> for Codes {
    async fn answer(&mut self, p: &Pending<SelectMfaType>) -> Result<MfaSelection, String> {
        p.challenge().offered().first().and_then(|t| p.challenge().choose(t)).ok_or_else(|| "nothing offered".into())
    }
}

impl Handle<MfaSetup> for Codes {
    async fn answer(&mut self, _: &Pending<MfaSetup>) -> Result<MfaSetupChoice, String> {
        Ok(MfaSetupChoice::SoftwareToken)
    }
}

impl Handle<SoftwareTokenSetup> for Codes {
    async fn answer(&mut self, _: &TotpSetup) -> Result<TotpVerification, String> {
        Ok(TotpVerification::new("123456"))
    }
}

async fn sign_in(client: &Client) {
    let _ = client.sign_in(UserSrpAuth::new("alice", "pw"), &mut Codes).await;
}

fn main() {}
