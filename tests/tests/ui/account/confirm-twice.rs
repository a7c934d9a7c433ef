// A sign-up's confirmation is answered once: `confirm` takes it.
use cognito_typestate::account::PendingConfirmation;

async fn confirm(pending: PendingConfirmation) {
    let _ = pending.confirm("123456").await;
    let _ = pending.confirm("654321").await;
}

fn main() {}
