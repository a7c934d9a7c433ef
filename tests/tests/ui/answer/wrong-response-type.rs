// Guarantee 1: an SMS challenge cannot be answered with a TOTP code.
use cognito_typestate::Pending;
use cognito_typestate::challenges::{SmsMfa, SoftwareTokenMfaCode};

async fn answer(pending: Pending<SmsMfa>) {
    let _ = pending.respond(SoftwareTokenMfaCode::new("123456")).await;
}

fn main() {}
