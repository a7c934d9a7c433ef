//! Known-answer and hostile-input tests of the client half.

use super::*;
use std::time::{Duration, UNIX_EPOCH};

fn num(hex: &str) -> BigNum {
    BigNum::from_hex_str(hex).unwrap()
}

fn inputs<'a>(salt_hex: &'a str, srp_b_hex: &'a str) -> VerifierInputs<'a> {
    VerifierInputs {
        pool_name: "AbCdEfGh1",
        user_id: "a1b2c3d4-user",
        password: "P@ssw0rd!",
        salt_hex,
        srp_b_hex,
        secret_block: "c2VjcmV0LWJsb2NrLWJ5dGVz",
        timestamp: "Tue Mar 5 07:08:09 UTC 2024",
    }
}

/// PROTOCOL.md §5.9: vectors from amazon-cognito-identity-js, reproduced in Python.
#[test]
fn known_answer_vectors() {
    let eph = SrpEphemeral::from_secret(&[0xaa; 32]).unwrap();
    assert!(
        eph.public_hex()
            .starts_with("94a9554a71a4e65ecc9ce50e2188604e")
    );
    let b = public_value(&[0xbb; 32]).unwrap();
    assert!(b.starts_with("56aa8d8a6ff255000be1003709f544c0"));
    for (salt, okm, signature) in [
        (
            "7c9a2b",
            "42db4e561c7918f1db674a3baaaad382",
            "b1K+Z53OaWkldylZ+Ef0W1MS+n47QVdKlNFsIFnCRUg=",
        ),
        (
            "f00d",
            "e9f241c6a27ed02e7e39fe442f006bd7",
            "21R64jqrtJVVkZB0nUdni8EoLeGINPrey50TBUhkobQ=",
        ),
        (
            "-16e462a84f2df159eee0c14642974ee7",
            "a671e75cce66913bc83bc8fa7208a295",
            "ciO6s5fAZKsfGuFbD/3r94ZsEa0imjWFKhZGiXS3q3Y=",
        ),
    ] {
        assert_eq!(
            hex_bytes(&derive_key(&eph, &inputs(salt, &b)).unwrap()),
            okm,
            "salt {salt}"
        );
        let claim = password_claim(&eph, &inputs(salt, &b)).unwrap();
        assert_eq!(claim.signature().expose(), signature, "salt {salt}");
    }
}

#[test]
fn k_and_u_match_the_reference() {
    assert_eq!(
        hex_lower(&GROUP.k),
        "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
    );
    let eph = SrpEphemeral::from_secret(&[0xaa; 32]).unwrap();
    let b = num(&public_value(&[0xbb; 32]).unwrap());
    let u = hash_to_int(&[&pad(&eph.big_a), &pad(&b)]).unwrap();
    assert_eq!(
        hex_lower(&u),
        "759be75c10f654fe8884d2f675c6dc85f5069cef02f5165d2e9d11a74c008f62"
    );
}

#[test]
fn pad_is_minimal_twos_complement() {
    assert_eq!(pad(&GROUP.n).len(), 385);
    assert_eq!(pad(&num("2")), [0x02]);
    assert_eq!(pad(&num("ec")), [0x00, 0xec]);
    assert_eq!(pad(&num("0")), [0x00]);
    for (salt, bytes) in [
        ("-ec", &[0xff, 0x14][..]),
        ("-80", &[0x80]),
        ("-14", &[0xec]),
        ("-8000", &[0x80, 0x00]),
        ("-8001", &[0xff, 0x7f, 0xff]),
        ("-100", &[0xff, 0x00]),
        ("7f", &[0x7f]),
        ("80", &[0x00, 0x80]),
        (
            "-16e462a84f2df159eee0c14642974ee7",
            &[
                0xe9, 0x1b, 0x9d, 0x57, 0xb0, 0xd2, 0x0e, 0xa6, 0x11, 0x1f, 0x3e, 0xb9, 0xbd, 0x68,
                0xb1, 0x19,
            ],
        ),
    ] {
        let parsed = parse_signed_hex("SALT", salt).unwrap();
        assert_eq!(signed_bytes(&parsed), bytes, "{salt}");
    }
}

#[test]
fn public_hex_is_lowercase_without_leading_zeros() {
    assert_eq!(hex_lower(&num("0F00")), "f00");
    assert_eq!(hex_lower(&num("0")), "0");
    assert_eq!(public_value(&[1]).unwrap(), "2");
}

#[test]
fn hostile_b_values_are_rejected() {
    let eph = SrpEphemeral::from_secret(&[0xaa; 32]).unwrap();
    assert_eq!(
        derive_key(&eph, &inputs("7c", "0")).unwrap_err(),
        SrpError::BIsZero
    );
    assert_eq!(
        derive_key(&eph, &inputs("7c", N_HEX)).unwrap_err(),
        SrpError::BIsZero
    );
    let long = "1".repeat(800);
    assert_eq!(
        derive_key(&eph, &inputs("7c", &long)).unwrap_err(),
        SrpError::BTooLong(400)
    );
    assert!(matches!(
        derive_key(&eph, &inputs("7c", "xyz")),
        Err(SrpError::Malformed { what: "SRP_B", .. })
    ));
    assert!(matches!(
        derive_key(&eph, &inputs("-", "02")),
        Err(SrpError::Malformed { what: "SALT", .. })
    ));
    for short in [&[][..], &[1], &[0xff; 31], &[0x7f; 32]] {
        assert!(matches!(
            SrpEphemeral::from_secret(short).map(|_| ()),
            Err(SrpError::WeakSecret(_))
        ));
    }
    assert!(SrpEphemeral::from_secret(&[0x80; 32]).is_ok());
}

#[test]
fn timestamp_is_english_with_an_unpadded_day() {
    // 2024-03-05T07:08:09Z
    let t = UNIX_EPOCH + Duration::from_secs(1_709_622_489);
    assert_eq!(timestamp(t), "Tue Mar 5 07:08:09 UTC 2024");
    // 2000-02-29T23:59:59Z, a leap day
    assert_eq!(
        timestamp(UNIX_EPOCH + Duration::from_secs(951_868_799)),
        "Tue Feb 29 23:59:59 UTC 2000"
    );
    assert_eq!(timestamp(UNIX_EPOCH), "Thu Jan 1 00:00:00 UTC 1970");
    // 2026-11-22T12:00:00Z: two-digit day
    assert_eq!(
        timestamp(UNIX_EPOCH + Duration::from_secs(1_795_348_800)),
        "Sun Nov 22 12:00:00 UTC 2026"
    );
}

#[test]
fn secret_block_is_read_as_base64_or_base64url() {
    assert_eq!(
        decode_secret_block("c2VjcmV0LWJsb2NrLWJ5dGVz").unwrap(),
        b"secret-block-bytes"
    );
    assert_eq!(decode_secret_block("c2VjcmV0").unwrap(), b"secret");
    // moto's SECRET_BLOCK is a UUID: valid base64url.
    assert_eq!(
        decode_secret_block("cf294143-d053-4723-aded-b9508ae2b291")
            .unwrap()
            .len(),
        27
    );
    assert!(decode_secret_block("not base64!").is_err());
}

#[test]
fn generated_ephemerals_differ() {
    let a = SrpEphemeral::generate().unwrap();
    let b = SrpEphemeral::generate().unwrap();
    assert_ne!(a.public_hex(), b.public_hex());
    assert!(!format!("{a:?}").contains(&hex_lower(&a.a.0)));
}
