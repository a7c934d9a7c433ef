//! Tests of the server half: known answers, hostile values, and properties.

mod unit {
    use super::super::*;
    use crate::srp::{SrpEphemeral, VerifierInputs, password_claim, timestamp};

    const POOL: &str = "AbCdEfGh1";

    fn sign(
        client: &SrpEphemeral,
        stored: &Verifier,
        b_hex: &str,
        password: &str,
        ts: &str,
    ) -> String {
        password_claim(
            client,
            &VerifierInputs {
                pool_name: POOL,
                user_id: "alice",
                password,
                salt_hex: stored.salt_hex(),
                srp_b_hex: b_hex,
                secret_block: "c2VjcmV0",
                timestamp: ts,
            },
        )
        .unwrap()
        .signature()
        .expose()
        .to_owned()
    }

    fn check(
        server: &ServerEphemeral,
        stored: &Verifier,
        a_hex: &str,
        ts: &str,
        signature: &str,
    ) -> bool {
        server
            .verify(
                stored,
                &Claim {
                    pool_name: POOL,
                    user_id: "alice",
                    srp_a_hex: a_hex,
                    secret_block: b"secret",
                    timestamp: ts,
                    signature,
                },
            )
            .unwrap()
    }

    #[test]
    fn the_right_password_passes_and_anything_else_fails() {
        // Both salt signs: 0x9c.. is negative as a Java BigInteger, 0x1c.. is not.
        for salt in [[0x9c; 16], [0x1c; 16]] {
            let stored = Verifier::for_password(POOL, "alice", "correct horse", &salt).unwrap();
            assert_eq!(stored.salt_hex().starts_with('-'), salt[0] >= 0x80);
            let server = ServerEphemeral::generate(&stored).unwrap();
            let client = SrpEphemeral::generate().unwrap();
            let ts = "Tue Mar 5 07:08:09 UTC 2024";
            let good = sign(&client, &stored, server.public_hex(), "correct horse", ts);
            assert!(check(&server, &stored, &client.public_hex(), ts, &good));
            let wrong = sign(&client, &stored, server.public_hex(), "correct horsf", ts);
            assert!(!check(&server, &stored, &client.public_hex(), ts, &wrong));
            // The same signature over another timestamp, or for another A, fails.
            assert!(!check(
                &server,
                &stored,
                &client.public_hex(),
                "Tue Mar 5 07:08:10 UTC 2024",
                &good
            ));
            let other = SrpEphemeral::generate().unwrap();
            assert!(!check(&server, &stored, &other.public_hex(), ts, &good));
            assert!(!check(
                &server,
                &stored,
                &client.public_hex(),
                ts,
                "not base64!"
            ));
        }
    }

    #[test]
    fn a_registered_device_verifier_checks_device_claims() {
        let registered = crate::srp::DeviceVerifier::from_parts(
            "-group",
            "us-east-1_dev",
            "device-pw",
            &[0xc4; 16],
        )
        .unwrap();
        let stored =
            Verifier::from_device_config(registered.salt(), registered.verifier()).unwrap();
        let server = ServerEphemeral::generate(&stored).unwrap();
        let client = SrpEphemeral::generate().unwrap();
        let ts = "Sun Nov 22 10:00:00 UTC 2026";
        let claim = password_claim(
            &client,
            &VerifierInputs {
                pool_name: "-group",
                user_id: "us-east-1_dev",
                password: "device-pw",
                salt_hex: stored.salt_hex(),
                srp_b_hex: server.public_hex(),
                secret_block: "c2VjcmV0",
                timestamp: ts,
            },
        )
        .unwrap();
        let verify = |user_id| {
            server
                .verify(
                    &stored,
                    &Claim {
                        pool_name: "-group",
                        user_id,
                        srp_a_hex: &client.public_hex(),
                        secret_block: b"secret",
                        timestamp: ts,
                        signature: claim.signature().expose(),
                    },
                )
                .unwrap()
        };
        assert!(verify("us-east-1_dev"));
        assert!(!verify("us-east-1_other"));
    }

    #[test]
    fn hostile_a_values_are_errors() {
        let stored = Verifier::for_password(POOL, "alice", "pw", &[1; 16]).unwrap();
        let server = ServerEphemeral::generate(&stored).unwrap();
        let n_hex = hex_lower(&GROUP.n);
        for (a, expected) in [
            ("0", SrpError::AIsZero),
            (n_hex.as_str(), SrpError::AIsZero),
        ] {
            let claim = Claim {
                pool_name: POOL,
                user_id: "alice",
                srp_a_hex: a,
                secret_block: b"",
                timestamp: "",
                signature: "",
            };
            assert_eq!(server.verify(&stored, &claim), Err(expected));
        }
        let claim = Claim {
            pool_name: POOL,
            user_id: "alice",
            srp_a_hex: "-5",
            secret_block: b"",
            timestamp: "",
            signature: "",
        };
        assert!(matches!(
            server.verify(&stored, &claim),
            Err(SrpError::Malformed { .. })
        ));
    }

    #[test]
    fn timestamps_are_canonicalised_like_cognito() {
        for (sent, canonical) in [
            (
                "Tue Mar 5 07:08:09 UTC 2024",
                Some("Tue Mar 5 07:08:09 UTC 2024"),
            ),
            (
                "Tue Mar 05 07:08:09 UTC 2024",
                Some("Tue Mar 5 07:08:09 UTC 2024"),
            ),
            // A wrong weekday parses; the canonical form has the right one.
            (
                "Mon Mar 5 07:08:09 UTC 2024",
                Some("Tue Mar 5 07:08:09 UTC 2024"),
            ),
            (
                "Sat Feb 29 23:59:59 UTC 2020",
                Some("Sat Feb 29 23:59:59 UTC 2020"),
            ),
            (
                "Thu Jan 1 00:00:00 UTC 1970",
                Some("Thu Jan 1 00:00:00 UTC 1970"),
            ),
            ("Di Mär 5 07:08:09 UTC 2024", None),
            ("Tue Mar 5 7:08:09 UTC 2024", None),
            ("Tue Mar 5 07:08:09 CET 2024", None),
            ("Tue Mar 5 07:08:09 UTC 2024 extra", None),
            ("Tue Mar 0 07:08:09 UTC 2024", None),
            ("", None),
        ] {
            assert_eq!(
                parse_timestamp(sent).map(timestamp).as_deref(),
                canonical,
                "{sent:?}"
            );
        }
        // Every day of a leap year round-trips through the client's formatter.
        let start = UNIX_EPOCH + Duration::from_secs(1_704_067_200); // 2024-01-01
        for day in 0..366 {
            let at = start + Duration::from_secs(day * 86_400 + 3_723);
            assert_eq!(parse_timestamp(&timestamp(at)), Some(at));
        }
    }
}

mod proptests {
    use proptest::prelude::*;

    use super::super::*;
    use crate::srp::{DeviceVerifier, SrpEphemeral, VerifierInputs, password_claim, timestamp};

    /// 9999-12-31T23:59:59Z.
    const LAST: u64 = 253_402_300_799;

    /// A secret exponent the client accepts: 32 to 64 bytes, the top bit set (at least
    /// 256 significant bits).
    fn exponent() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 32..64).prop_map(|mut e| {
            e[0] |= 0x80;
            e
        })
    }

    /// Salts of both signs (as Java reads them) and of every length Cognito uses.
    fn salt() -> impl Strategy<Value = Vec<u8>> {
        (0x00u8..=0xff, proptest::collection::vec(any::<u8>(), 0..32))
            .prop_map(|(top, rest)| [&[top][..], &rest].concat())
    }

    #[derive(Clone)]
    struct Case {
        pool: String,
        user: String,
        password: String,
        block: Vec<u8>,
        ts: String,
    }

    /// Signs as the client, and checks as the server with the given claim parts.
    fn sign(
        client: &SrpEphemeral,
        stored: &Verifier,
        server: &ServerEphemeral,
        case: &Case,
    ) -> String {
        password_claim(
            client,
            &VerifierInputs {
                pool_name: &case.pool,
                user_id: &case.user,
                password: &case.password,
                salt_hex: stored.salt_hex(),
                srp_b_hex: server.public_hex(),
                secret_block: &STANDARD.encode(&case.block),
                timestamp: &case.ts,
            },
        )
        .unwrap()
        .signature()
        .expose()
        .to_owned()
    }

    fn verify(
        server: &ServerEphemeral,
        stored: &Verifier,
        client: &SrpEphemeral,
        case: &Case,
        block: &[u8],
        ts: &str,
        signature: &str,
    ) -> bool {
        server
            .verify(
                stored,
                &Claim {
                    pool_name: &case.pool,
                    user_id: &case.user,
                    srp_a_hex: &client.public_hex(),
                    secret_block: block,
                    timestamp: ts,
                    signature,
                },
            )
            .unwrap()
    }

    fn flip(bytes: &mut [u8], index: usize, mask: u8) {
        let i = index % bytes.len();
        bytes[i] ^= mask;
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Every instant from 1970 to 9999 reads back from its `TIMESTAMP`, with the
        /// day of month as written or zero-padded.
        #[test]
        fn timestamps_round_trip(secs in 0..=LAST) {
            let at = UNIX_EPOCH + Duration::from_secs(secs);
            let text = timestamp(at);
            prop_assert_eq!(parse_timestamp(&text), Some(at), "{}", text);
            let fields: Vec<&str> = text.split(' ').collect();
            prop_assert!(!fields[2].starts_with('0'), "{}", text);
            let padded = format!("{} {} {:0>2} {} {} {}", fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
            prop_assert_eq!(parse_timestamp(&padded), Some(at), "{}", padded);
        }

        /// The salt the service stores comes back as the same signed integer.
        #[test]
        fn signed_salts_round_trip(bytes in salt()) {
            let value = signed_from_bytes(&bytes).unwrap();
            prop_assert_eq!(value.is_negative(), bytes[0] >= 0x80);
            let hex = signed_hex(&value);
            let back = parse_signed_hex("SALT", &hex).unwrap();
            prop_assert_eq!(back.to_vec(), value.to_vec());
            prop_assert_eq!(back.is_negative(), value.is_negative());
        }
    }

    proptest! {
        // Each case runs about ten 3072-bit exponentiations.
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The client's claim passes the server's check if and only if the password
        /// matches; any flipped byte of the signature, the secret block or the
        /// timestamp fails it.
        #[test]
        fn client_and_server_agree(
            pool in "[A-Za-z0-9]{1,12}",
            user in "\\PC{1,24}",
            password in "\\PC{1,32}",
            other in "\\PC{1,32}",
            salt in salt(),
            a in exponent(),
            b in exponent(),
            block in proptest::collection::vec(any::<u8>(), 1..96),
            secs in 0..=LAST,
            index in any::<usize>(),
            mask in 1u8..=255,
        ) {
            prop_assume!(password != other);
            let stored = Verifier::for_password(&pool, &user, &password, &salt).unwrap();
            prop_assert_eq!(stored.salt_hex().starts_with('-'), salt[0] >= 0x80);
            let client = SrpEphemeral::from_secret(&a).unwrap();
            let server = ServerEphemeral::from_secret(&stored, &b).unwrap();
            let ts = timestamp(UNIX_EPOCH + Duration::from_secs(secs));
            let case = Case { pool, user, password, block, ts };
            let good = sign(&client, &stored, &server, &case);
            prop_assert!(verify(&server, &stored, &client, &case, &case.block, &case.ts, &good));

            let wrong = sign(&client, &stored, &server, &Case { password: other, ..case.clone() });
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &wrong));

            let mut signature = STANDARD.decode(&good).unwrap();
            flip(&mut signature, index, mask);
            let signature = STANDARD.encode(&signature);
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &signature));

            let mut block = case.block.clone();
            flip(&mut block, index, mask);
            prop_assert!(!verify(&server, &stored, &client, &case, &block, &case.ts, &good));

            // Flipping within ASCII keeps the timestamp a string.
            let mut ts = case.ts.clone().into_bytes();
            flip(&mut ts, index, (mask & 0x7f).max(1));
            let ts = String::from_utf8(ts).unwrap();
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &ts, &good));
        }

        /// A device's registered verifier checks the device's claim: right device
        /// password and key pass, anything else fails.
        #[test]
        fn device_verifiers_agree(
            group in "-?[A-Za-z0-9]{1,12}",
            key in "[a-z]{2}-[a-z]+-[0-9]_[0-9a-f-]{1,36}",
            password in "[A-Za-z0-9+/]{8,56}={0,2}",
            other in "[A-Za-z0-9+/]{8,56}={0,2}",
            salt in proptest::collection::vec(any::<u8>(), 1..32),
            a in exponent(),
            b in exponent(),
            secs in 0..=LAST,
            index in any::<usize>(),
            mask in 1u8..=255,
        ) {
            prop_assume!(password != other);
            let registered = DeviceVerifier::from_parts(&group, &key, &password, &salt).unwrap();
            let stored = Verifier::from_device_config(registered.salt(), registered.verifier()).unwrap();
            let client = SrpEphemeral::from_secret(&a).unwrap();
            let server = ServerEphemeral::from_secret(&stored, &b).unwrap();
            let ts = timestamp(UNIX_EPOCH + Duration::from_secs(secs));
            let case = Case { pool: group, user: key, password, block: b"device-block".to_vec(), ts };
            let good = sign(&client, &stored, &server, &case);
            prop_assert!(verify(&server, &stored, &client, &case, &case.block, &case.ts, &good));
            let wrong = sign(&client, &stored, &server, &Case { password: other, ..case.clone() });
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &wrong));
            let other_key = Case { user: format!("{}x", case.user), ..case.clone() };
            prop_assert!(!verify(&server, &stored, &client, &other_key, &other_key.block, &other_key.ts, &good));
            let mut signature = STANDARD.decode(&good).unwrap();
            flip(&mut signature, index, mask);
            let signature = STANDARD.encode(&signature);
            prop_assert!(!verify(&server, &stored, &client, &case, &case.block, &case.ts, &signature));
        }
    }
}
