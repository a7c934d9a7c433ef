// Guarantee 2: a detached (stored) pending challenge cannot also be answered.
use cognito_typestate::Pending;
use cognito_typestate::challenges::{SmsMfa, SmsMfaCode};

async fn answer(pending: Pending<SmsMfa>) {
    let saved = pending.detach();
    let _ = pending.respond(SmsMfaCode::new("111111")).await;
    drop(saved);
}

fn main() {}
