// Guarantee 3: every next step the protocol allows must be handled.
use cognito_typestate::challenges::AfterPassword;

fn handle(step: AfterPassword) -> &'static str {
    match step {
        AfterPassword::Authenticated(_) => "signed in",
        AfterPassword::SmsMfa(_) => "sms",
        AfterPassword::SoftwareTokenMfa(_) => "totp",
        AfterPassword::NewPasswordRequired(_) => "new password",
        AfterPassword::EmailOtp(_) => "email",
        AfterPassword::SelectMfaType(_) => "select",
        AfterPassword::DeviceSrpAuth(_) => "device",
    }
}

fn main() {}
