//! Reproducers of what `fuzz-responses` (bench) found, kept as plain tests: a stored
//! `Detached` state read back from storage must never make the library panic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use cognito_typestate::challenges::SmsMfa;
use std::time::SystemTime;

use cognito_typestate::{Client, ConfigError, Detached, Error};
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

/// `Detached` reads any `validity_secs` and issue time; attaching refuses an issue time
/// in the future and cuts the validity to the client's, and printing the attached state
/// (its `Debug` shows `expires_at`) or asking `expires_at()` must not panic (it did:
/// "overflow when adding duration to instant" for huge values).
#[test]
fn a_stored_state_with_a_huge_validity_prints_and_tells_its_expiry() {
    let client = client();
    for (issued_at_ms, validity_secs, attaches) in [
        (1_700_000_000_000, u64::MAX, true),
        (1_700_000_000_000, 1 << 63, true),
        (u64::MAX, 180, false),
        (u64::MAX, u64::MAX, false),
        (0, u64::MAX, true),
    ] {
        let text = stored(issued_at_ms, validity_secs);
        let detached: Detached<SmsMfa> = serde_json::from_str(&text).unwrap();
        let pending = match detached.attach(&client) {
            Ok(pending) => pending,
            Err(Error::Config(ConfigError::IssuedInTheFuture { .. })) if !attaches => continue,
            Err(e) => panic!("{text}: {e:?}"),
        };
        assert!(attaches, "an issue time in the future was accepted: {text}");
        assert!(pending.expires_at() <= SystemTime::now() + client.session_validity());
        let printed = catch_unwind(AssertUnwindSafe(|| format!("{pending:?}")));
        assert!(printed.is_ok(), "Debug of a resumed state panicked: {text}");
        let expiry = catch_unwind(AssertUnwindSafe(|| pending.expires_at()));
        assert!(
            expiry.is_ok(),
            "expires_at() of a resumed state panicked: {text}"
        );
    }
}
