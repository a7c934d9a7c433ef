//! Reproducers of what `fuzz-responses` (bench) found, kept as plain tests: a stored
//! `Detached` state read back from storage must never make the library panic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use cognito_typestate::challenges::SmsMfa;
use cognito_typestate::{Client, Detached};
use serde_json::json;

#[path = "support/script.rs"]
mod script;

fn stored(issued_at_ms: u64, validity_secs: u64) -> String {
    json!({
        "client_id": "client-1",
        "challenge_name": "SMS_MFA",
        "parameters": {},
        "session": "S1",
        "username": "alice",
        "issued_at_ms": issued_at_ms,
        "validity_secs": validity_secs,
    })
    .to_string()
}

fn client() -> Client {
    script::Script::default().client(|b| b)
}

/// `Detached` accepts any `validity_secs`; printing the attached state (its `Debug`
/// shows `expires_at`) or asking `expires_at()` then adds it to a `SystemTime`, which
/// panics with "overflow when adding duration to instant" for huge values.
#[test]
fn a_stored_state_with_a_huge_validity_prints_and_tells_its_expiry() {
    let client = client();
    for (issued_at_ms, validity_secs) in [
        (1_800_000_000_000, u64::MAX),
        (1_800_000_000_000, 1 << 63),
        (u64::MAX, 180),
        (u64::MAX, u64::MAX),
        (0, u64::MAX),
    ] {
        let text = stored(issued_at_ms, validity_secs);
        let detached: Detached<SmsMfa> = serde_json::from_str(&text).unwrap();
        let pending = detached.attach(&client).unwrap();
        let printed = catch_unwind(AssertUnwindSafe(|| format!("{pending:?}")));
        assert!(printed.is_ok(), "Debug of a resumed state panicked: {text}");
        let expiry = catch_unwind(AssertUnwindSafe(|| pending.expires_at()));
        assert!(
            expiry.is_ok(),
            "expires_at() of a resumed state panicked: {text}"
        );
    }
}
