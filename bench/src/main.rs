//! `srp-bench`: how long a `PASSWORD_VERIFIER` answer takes, measured in one run for
//! cognito-typestate, a plain OpenSSL-BN computation of the same maths, aws-cognito-srp
//! 0.2.6, pycognito and amazon-cognito-identity-js, all on the same inputs.
//!
//! Run it with `bash scripts/bench-srp.sh` (which installs the Python and JavaScript
//! clients first). Every implementation whose secret exponent can be set is first
//! checked to derive the same key as ours, so the timings compare equal work.

use std::process::Command;
use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use cognito_typestate::srp::{self, SrpEphemeral, VerifierInputs};
use sha2::{Digest, Sha256};

const POOL_ID: &str = "us-east-1_AbCdEfGh1";
const USER_ID: &str = "a1b2c3d4-user";
const PASSWORD: &str = "P@ssw0rd!";
const SALT: &str = "5b2c8e1f09d47a63c0ffee11d00dfeed";
const SECRET_BLOCK: &str = "c2VjcmV0LWJsb2NrLWJ5dGVz";
const TIMESTAMP: &str = "Tue Mar 5 07:08:09 UTC 2024";

/// 128 fixed pseudo-random bytes (a SHA-256 chain), so every run uses the same inputs.
fn fixed_bytes(label: &str) -> Vec<u8> {
    (0u8..4)
        .flat_map(|i| Sha256::digest([label.as_bytes(), &[i]].concat()))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::new(), |s, b| s + &format!("{b:02x}"))
}

/// Median wall time of `f` in milliseconds, after one warm-up call.
fn median_ms(iterations: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

struct Inputs {
    a: Vec<u8>,
    srp_b: String,
}

impl Inputs {
    fn verifier(&self) -> VerifierInputs<'_> {
        VerifierInputs {
            pool_name: POOL_ID
                .split_once('_')
                .map(|(_, name)| name)
                .unwrap_or_default(),
            user_id: USER_ID,
            password: PASSWORD,
            salt_hex: SALT,
            srp_b_hex: &self.srp_b,
            secret_block: SECRET_BLOCK,
            timestamp: TIMESTAMP,
        }
    }

    fn json(&self) -> String {
        serde_json::json!({
            "pool_id": POOL_ID, "user_id": USER_ID, "password": PASSWORD, "salt": SALT,
            "secret_block": SECRET_BLOCK, "timestamp": TIMESTAMP, "srp_b": self.srp_b,
            "a": hex(&self.a),
        })
        .to_string()
    }
}

/// The same maths written plainly on OpenSSL's BN, as a straightforward client would:
/// the baseline the "≤ 1.2× OpenSSL" target is measured against.
mod reference {
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    use openssl::bn::{BigNum, BigNumContext, BigNumRef};
    use sha2::{Digest, Sha256};

    pub(crate) struct Group {
        n: BigNum,
        g: BigNum,
        k: BigNum,
    }

    fn pad(x: &BigNumRef) -> Vec<u8> {
        let v = x.to_vec();
        if v.first().is_none_or(|b| *b >= 0x80) {
            [&[0][..], &v].concat()
        } else {
            v
        }
    }

    fn h(parts: &[&[u8]]) -> BigNum {
        let mut d = Sha256::new();
        for p in parts {
            d.update(p);
        }
        BigNum::from_slice(&d.finalize()).unwrap()
    }

    fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
        let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
        m.update(msg);
        m.finalize().into_bytes().to_vec()
    }

    impl Group {
        pub(crate) fn new() -> Self {
            let n = BigNum::get_rfc3526_prime_3072().unwrap();
            let g = BigNum::from_u32(2).unwrap();
            let k = h(&[&pad(&n), &pad(&g)]);
            Self { n, g, k }
        }

        /// `A` and the signature, from `a` and the challenge (SRP's own names).
        #[allow(clippy::many_single_char_names)]
        pub(crate) fn answer(&self, a: &[u8], inputs: &super::VerifierInputs<'_>) -> String {
            let mut ctx = BigNumContext::new().unwrap();
            let a = BigNum::from_slice(a).unwrap();
            let mut big_a = BigNum::new().unwrap();
            big_a.mod_exp(&self.g, &a, &self.n, &mut ctx).unwrap();
            let b = BigNum::from_hex_str(inputs.srp_b_hex).unwrap();
            let u = h(&[&pad(&big_a), &pad(&b)]);
            let salt = BigNum::from_hex_str(inputs.salt_hex).unwrap();
            let identity = Sha256::digest(
                format!("{}{}:{}", inputs.pool_name, inputs.user_id, inputs.password).as_bytes(),
            );
            let x = h(&[&pad(&salt), &identity]);
            let mut gx = BigNum::new().unwrap();
            gx.mod_exp(&self.g, &x, &self.n, &mut ctx).unwrap();
            let mut kgx = BigNum::new().unwrap();
            kgx.mod_mul(&self.k, &gx, &self.n, &mut ctx).unwrap();
            let mut base = BigNum::new().unwrap();
            base.mod_sub(&b, &kgx, &self.n, &mut ctx).unwrap();
            let mut ux = BigNum::new().unwrap();
            ux.checked_mul(&u, &x, &mut ctx).unwrap();
            let mut exponent = BigNum::new().unwrap();
            exponent.checked_add(&a, &ux).unwrap();
            let mut s = BigNum::new().unwrap();
            s.mod_exp(&base, &exponent, &self.n, &mut ctx).unwrap();
            let prk = hmac(&pad(&u), &pad(&s));
            let key = &hmac(&prk, b"Caldera Derived Key\x01")[..16];
            let block = super::STANDARD.decode(inputs.secret_block).unwrap();
            let message = [
                inputs.pool_name.as_bytes(),
                inputs.user_id.as_bytes(),
                &block,
                inputs.timestamp.as_bytes(),
            ]
            .concat();
            super::STANDARD.encode(hmac(key, &message))
        }
    }
}

/// aws-cognito-srp's full answer: `get_auth_parameters` (A) then `verify`. Its `a` is
/// random and private, so its result cannot be compared, only timed.
fn aws_cognito_srp(inputs: &Inputs) -> String {
    use aws_cognito_srp::{SrpClient, User};
    let client = SrpClient::new(User::new(POOL_ID, USER_ID, PASSWORD), "client-id", None);
    let _ = client.get_auth_parameters();
    client
        .verify(SECRET_BLOCK, USER_ID, SALT, &inputs.srp_b)
        .unwrap()
        .password_claim_signature
}

struct External {
    ms: f64,
    key: String,
}

/// Runs one of the interpreter benchmarks next to this crate.
fn external(program: &str, script: &str, inputs: &Inputs) -> Result<External, String> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(program)
        .arg(format!("{dir}/{script}"))
        .arg(inputs.json())
        .arg("10")
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{program} {script} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("{script}: {e}"))?;
    Ok(External {
        ms: value["ms"].as_f64().ok_or("no ms")?,
        key: value["key"].as_str().ok_or("no key")?.to_owned(),
    })
}

fn main() -> Result<(), String> {
    let inputs = Inputs {
        a: fixed_bytes("a"),
        srp_b: srp::public_value(&fixed_bytes("b")).map_err(|e| e.to_string())?,
    };
    let verifier = inputs.verifier();
    let group = reference::Group::new();

    // Equal work first: everyone whose `a` can be set derives our key and signature.
    let ephemeral = SrpEphemeral::from_secret(&inputs.a).map_err(|e| e.to_string())?;
    let ours = srp::password_claim(&ephemeral, &verifier).map_err(|e| e.to_string())?;
    let our_key = hex(&srp::derive_key(&ephemeral, &verifier).map_err(|e| e.to_string())?);
    assert_eq!(
        group.answer(&inputs.a, &verifier),
        ours.signature().expose(),
        "the OpenSSL reference disagrees"
    );
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let js = external("node", "js_srp.js", &inputs)?;
    let python = external(
        &format!("{root}/.oracles/pycognito/bin/python"),
        "python_srp.py",
        &inputs,
    )?;
    assert_eq!(js.key, our_key, "amazon-cognito-identity-js disagrees");
    assert_eq!(python.key, our_key, "pycognito disagrees");

    let iterations = 200;
    let full = median_ms(iterations, || {
        let eph = SrpEphemeral::generate().unwrap();
        srp::password_claim(&eph, &verifier).unwrap();
    });
    let critical = median_ms(iterations, || {
        srp::password_claim(&ephemeral, &verifier).unwrap();
    });
    let make_a = median_ms(iterations, || {
        SrpEphemeral::generate().unwrap();
    });
    let openssl = median_ms(iterations, || {
        group.answer(&inputs.a, &verifier);
    });
    let aws = median_ms(iterations / 4, || {
        aws_cognito_srp(&inputs);
    });

    println!("SRP PASSWORD_VERIFIER answer, median of {iterations} (interpreters: 10), one run\n");
    println!("| implementation | ms | ratio to ours (full) |");
    println!("|---|---:|---:|");
    for (name, ms) in [
        ("cognito-typestate, full (A + answer)", full),
        ("cognito-typestate, A only (before SRP_B)", make_a),
        ("cognito-typestate, critical path (A ready)", critical),
        ("OpenSSL BN reference, full", openssl),
        ("aws-cognito-srp 0.2.6, full", aws),
        ("pycognito 2024.5.1, full", python.ms),
        ("amazon-cognito-identity-js 6.3.21, full", js.ms),
    ] {
        println!("| {name} | {ms:.3} | {:.2} |", ms / full);
    }
    println!("\n| target | measured | met |");
    println!("|---|---:|---|");
    let targets = [
        (
            "full ≤ 1.2 × OpenSSL reference",
            full / openssl,
            full / openssl <= 1.2,
        ),
        (
            "aws-cognito-srp full / ours full ≥ 3.5",
            aws / full,
            aws / full >= 3.5,
        ),
        (
            "aws-cognito-srp full / ours critical ≥ 6",
            aws / critical,
            aws / critical >= 6.0,
        ),
    ];
    for (name, ratio, met) in targets {
        println!(
            "| {name} | {ratio:.2} | {} |",
            if met { "yes" } else { "NO" }
        );
    }
    Ok(())
}
