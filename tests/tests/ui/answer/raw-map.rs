// Guarantee 1: no stringly-typed answers.
use std::collections::HashMap;

use cognito_typestate::Pending;
use cognito_typestate::challenges::SmsMfa;

async fn answer(pending: Pending<SmsMfa>) {
    let map = HashMap::from([("SMS_MFA_CODE".to_string(), "123456".to_string())]);
    let _ = pending.respond(map).await;
}

fn main() {}
