// A refused answer gives the challenge back in `Rejected::Retry`; the state that was
// answered is gone, so only the one handed back can be answered again.
use cognito_typestate::challenges::{SmsMfa, SmsMfaCode};
use cognito_typestate::{Pending, Rejected};

async fn answer(pending: Pending<SmsMfa>) {
    if let Err(Rejected::Retry { pending: again, .. }) =
        pending.respond(SmsMfaCode::new("111111")).await
    {
        let _ = again;
        let _ = pending.respond(SmsMfaCode::new("222222")).await;
    }
}

fn main() {}
