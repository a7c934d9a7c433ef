//! Our SRP maths against amazon-cognito-identity-js 6.3.21, on fresh random cases that
//! `scripts/srp-crosscheck.js` generates every run (`SRP_CROSSCHECK_CASES` names the
//! file; `scripts/test-interop.sh` sets it).
//!
//! Covers PROTOCOL.md §8 pitfalls 1 (days 1–9 unpadded), 2 (English names), 3 (PAD of
//! k, u, S and salts), 4 (negative and high-bit salts), and the device variant of
//! §5.10 (`generateHashDevice`, device-mode key and signature).
#![cfg(feature = "interop")]

use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_typestate::srp::{self, DeviceVerifier, SrpEphemeral, VerifierInputs};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    users: Vec<UserCase>,
    devices: Vec<DeviceCase>,
}

#[derive(Deserialize)]
struct UserCase {
    pool_name: String,
    user_id: String,
    password: String,
    #[serde(flatten)]
    answer: Answer,
}

/// One `PASSWORD_VERIFIER` computation as the JavaScript helper did it.
#[derive(Deserialize)]
struct Answer {
    a: String,
    srp_a: String,
    srp_b: String,
    salt: String,
    secret_block: String,
    epoch: u64,
    timestamp: String,
    key: String,
    signature: String,
}

#[derive(Deserialize)]
struct DeviceCase {
    device_group_key: String,
    device_key: String,
    device_password: String,
    salt_padded_hex: String,
    verifier_padded_hex: String,
    sign_in: Answer,
}

fn cases() -> Cases {
    let path = std::env::var("SRP_CROSSCHECK_CASES").unwrap_or_else(|_| {
        panic!("SRP_CROSSCHECK_CASES is not set: run through scripts/test-interop.sh, which generates the cases")
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn unhex(hex: &str) -> Vec<u8> {
    let padded = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_owned()
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).expect("hex from the generator"))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::new(), |s, b| s + &format!("{b:02x}"))
}

/// Checks A, the timestamp, the HKDF key and the signature of one computation.
fn check(case: &str, pool_name: &str, user_id: &str, password: &str, answer: &Answer) {
    let ephemeral = SrpEphemeral::from_secret(&unhex(&answer.a)).unwrap();
    assert_eq!(ephemeral.public_hex(), answer.srp_a, "{case}: A");
    let timestamp = srp::timestamp(UNIX_EPOCH + Duration::from_secs(answer.epoch));
    assert_eq!(timestamp, answer.timestamp, "{case}: TIMESTAMP");
    let inputs = VerifierInputs {
        pool_name,
        user_id,
        password,
        salt_hex: &answer.salt,
        srp_b_hex: &answer.srp_b,
        secret_block: &answer.secret_block,
        timestamp: &timestamp,
    };
    let key = srp::derive_key(&ephemeral, &inputs).unwrap();
    assert_eq!(
        hex(&key),
        answer.key,
        "{case}: HKDF key (salt {})",
        answer.salt
    );
    let claim = srp::password_claim(&ephemeral, &inputs).unwrap();
    assert_eq!(
        claim.signature().expose(),
        answer.signature,
        "{case}: signature"
    );
}

#[test]
fn user_srp_matches_amazon_cognito_identity_js() {
    let cases = cases();
    assert!(cases.users.len() >= 120, "only {} cases", cases.users.len());
    // The generator's spread, so that a quietly narrowed generator fails here.
    let negative = cases
        .users
        .iter()
        .filter(|c| c.answer.salt.starts_with('-'));
    assert!(negative.count() >= 40);
    let single_digit_day = |c: &&UserCase| {
        c.answer
            .timestamp
            .split(' ')
            .nth(2)
            .is_some_and(|d| d.len() == 1)
    };
    assert!(cases.users.iter().filter(single_digit_day).count() >= 60);
    assert!(cases.users.iter().any(|c| !c.password.is_ascii()));
    for (i, case) in cases.users.iter().enumerate() {
        check(
            &format!("user case {i}"),
            &case.pool_name,
            &case.user_id,
            &case.password,
            &case.answer,
        );
    }
}

#[test]
fn device_srp_matches_amazon_cognito_identity_js() {
    let cases = cases();
    assert!(
        cases.devices.len() >= 30,
        "only {} cases",
        cases.devices.len()
    );
    for (i, case) in cases.devices.iter().enumerate() {
        let salt = unhex(&case.salt_padded_hex);
        let registered = DeviceVerifier::from_parts(
            &case.device_group_key,
            &case.device_key,
            &case.device_password,
            &salt,
        )
        .unwrap();
        assert_eq!(
            registered.salt(),
            STANDARD.encode(&salt),
            "device case {i}: salt"
        );
        assert_eq!(
            registered.verifier(),
            STANDARD.encode(unhex(&case.verifier_padded_hex)),
            "device case {i}: verifier"
        );
        check(
            &format!("device case {i}"),
            &case.device_group_key,
            &case.device_key,
            &case.device_password,
            &case.sign_in,
        );
    }
}
