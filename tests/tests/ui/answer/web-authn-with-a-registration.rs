// A `WEB_AUTHN` challenge takes an assertion (`WebAuthnCredential`, built from an
// `AuthenticationResponse`), not a newly registered credential nor a code.
use cognito_typestate::Pending;
use cognito_typestate::challenges::{EmailOtpCode, WebAuthn};
use cognito_typestate::webauthn::RegistrationResponse;

async fn with_registration(pending: Pending<WebAuthn>, registration: RegistrationResponse) {
    let _ = pending.respond(registration).await;
}

async fn with_code(pending: Pending<WebAuthn>) {
    let _ = pending.respond(EmailOtpCode::new("123456")).await;
}

fn main() {}
