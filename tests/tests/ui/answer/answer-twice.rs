// Guarantee 2: a session is used once; answering consumes the pending challenge.
use cognito_typestate::Pending;
use cognito_typestate::challenges::{SmsMfa, SmsMfaCode};

async fn answer(pending: Pending<SmsMfa>) {
    let _ = pending.respond(SmsMfaCode::new("111111")).await;
    let _ = pending.respond(SmsMfaCode::new("222222")).await;
}

fn main() {}
