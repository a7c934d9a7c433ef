// A passkey registration completes once: the service accepts one credential per
// challenge, so a second credential needs a new registration.
use cognito_typestate::webauthn::RegistrationResponse;
use cognito_typestate::{Client, Tokens};

async fn register(client: &Client, tokens: &Tokens, first: RegistrationResponse, second: RegistrationResponse) {
    let registration = client.start_passkey_registration(tokens).await.unwrap();
    let _ = registration.complete(first).await;
    let _ = registration.complete(second).await;
}

fn main() {}
