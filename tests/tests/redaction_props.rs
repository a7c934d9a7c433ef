//! Property tests: for random secret strings, no public type's `Debug` or `Display`
//! shows them (as text, or as the byte list a derived `Debug` of a body prints).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use cognito_typestate::challenge::Parameters;
use cognito_typestate::challenges::{
    AfterMfaSetup, AfterPassword, CustomAnswer, EmailOtpCode, NewPassword, PasswordAnswer,
    PasswordClaim, SelectChallenge, SmsMfa, SmsMfaCode, SmsOtpCode, SoftwareTokenMfaCode,
    WebAuthnCredential,
};
use cognito_typestate::flows::{
    CustomAuth, RefreshTokenAuth, TokensFromRefreshToken, UserAuth, UserAuthSrp, UserPasswordAuth,
    UserSrpAuth,
};
use cognito_typestate::handler::{FirstFactorAnswer, TotpVerification};
use cognito_typestate::srp::{self, DeviceVerifier, SrpEphemeral, VerifierInputs};
use cognito_typestate::{Challenge, Detached, DeviceCredentials, Error, Rejected, Secret, Tokens};
use proptest::prelude::*;
use serde_json::json;

#[path = "support/script.rs"]
mod script;

use script::{Script, block_on, challenge, tokens};

/// The secrets of one case: long enough, and of an alphabet distinctive enough, that
/// finding one in printed text cannot be a coincidence.
#[derive(Debug, Clone)]
struct Secrets {
    password: String,
    new_password: String,
    code: String,
    session: String,
    access: String,
    id: String,
    refresh: String,
    client_secret: String,
    device_password: String,
    answer: String,
    credential: String,
    totp_secret: String,
}

fn secret() -> impl Strategy<Value = String> {
    "[QXZJKVW][qxzjkvwQXZJKVW0-9]{11,24}"
}

/// A TOTP secret: base32, which the client checks before using it.
fn base32_secret() -> impl Strategy<Value = String> {
    "[QXZJKVW][QXZJKVW2-7]{15,24}"
}

fn secrets() -> impl Strategy<Value = Secrets> {
    (
        (secret(), secret(), secret(), secret(), secret(), secret()),
        (
            secret(),
            secret(),
            secret(),
            secret(),
            secret(),
            base32_secret(),
        ),
    )
        .prop_map(|(a, b)| Secrets {
            password: a.0,
            new_password: a.1,
            code: a.2,
            session: a.3,
            access: a.4,
            id: a.5,
            refresh: b.0,
            client_secret: b.1,
            device_password: b.2,
            answer: b.3,
            credential: b.4,
            totp_secret: b.5,
        })
}

impl Secrets {
    fn all(&self) -> [&str; 12] {
        [
            &self.password,
            &self.new_password,
            &self.code,
            &self.session,
            &self.access,
            &self.id,
            &self.refresh,
            &self.client_secret,
            &self.device_password,
            &self.answer,
            &self.credential,
            &self.totp_secret,
        ]
    }
}

/// Everything printed in a case, labelled by what printed it.
#[derive(Default)]
struct Printed(Vec<(String, String)>);

impl Printed {
    fn debug(&mut self, what: &str, value: &impl std::fmt::Debug) {
        self.0
            .push((format!("{what} (Debug)"), format!("{value:?}")));
        self.0
            .push((format!("{what} (alternate Debug)"), format!("{value:#?}")));
    }

    fn both(&mut self, what: &str, value: &(impl std::fmt::Debug + std::fmt::Display)) {
        self.debug(what, value);
        self.0
            .push((format!("{what} (Display)"), value.to_string()));
    }

    fn raw(&mut self, what: &str, text: String) {
        self.0.push((what.to_owned(), text));
    }

    /// Where a secret shows: as text, or as the decimal byte list `{:?}` of a
    /// `Vec<u8>` body prints.
    fn leaks(&self, extra: &[&str], secrets: &Secrets) -> Vec<String> {
        let mut found = Vec::new();
        for secret in secrets.all().iter().chain(extra) {
            let bytes = format!("{:?}", secret.as_bytes());
            let bytes = bytes.trim_start_matches('[').trim_end_matches(']');
            for (what, text) in &self.0 {
                if text.contains(secret) || text.contains(bytes) {
                    found.push(format!("{what} shows {secret:?}: {text}"));
                }
            }
        }
        found
    }
}

/// Values built directly: answers, flows, SRP values, device credentials, tokens.
#[allow(clippy::too_many_lines)] // one list of every public type
fn built_values(s: &Secrets, printed: &mut Printed) -> Vec<String> {
    let secret = Secret::new(s.password.as_str());
    printed.both("Secret", &secret);
    printed.debug("Option<Secret>", &Some(secret.clone()));

    printed.debug("SmsMfaCode", &SmsMfaCode::new(s.code.as_str()));
    printed.debug(
        "SoftwareTokenMfaCode",
        &SoftwareTokenMfaCode::new(s.code.as_str()),
    );
    printed.debug("EmailOtpCode", &EmailOtpCode::new(s.code.as_str()));
    printed.debug("SmsOtpCode", &SmsOtpCode::new(s.code.as_str()));
    printed.debug(
        "NewPassword",
        &NewPassword::new(s.new_password.as_str()).attribute("name", "Al"),
    );
    printed.debug("PasswordAnswer", &PasswordAnswer::new(s.password.as_str()));
    printed.debug("CustomAnswer", &CustomAnswer::new(s.answer.as_str()));
    printed.debug(
        "WebAuthnCredential",
        &WebAuthnCredential::new(s.credential.as_str()),
    );
    printed.debug(
        "TotpVerification",
        &TotpVerification::new(s.code.as_str()).friendly_device_name("phone"),
    );
    printed.debug(
        "FirstFactorAnswer::PasswordSrp",
        &FirstFactorAnswer::PasswordSrp(Secret::new(s.password.as_str())),
    );
    let offered = BTreeMap::new();
    let available = ["PASSWORD".to_owned(), "WEB_AUTHN".to_owned()];
    let select = SelectChallenge::from_parameters(&Parameters::new(&offered, &available)).unwrap();
    let choice = select.password(s.password.as_str()).unwrap();
    printed.debug("FirstFactorChoice", &choice);
    printed.debug(
        "FirstFactorAnswer::Choice",
        &FirstFactorAnswer::from(choice),
    );

    // SRP: the exponent, the inputs, the claim.
    // At least 256 significant bits, as the client requires of an exponent.
    let exponent = &[&[0xff; 32][..], s.password.as_bytes()].concat();
    let ephemeral = SrpEphemeral::from_secret(exponent).unwrap();
    printed.debug("SrpEphemeral", &ephemeral);
    let exponent_hex = exponent.iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    });
    let server_b = srp::public_value(&[0xbb; 32]).unwrap();
    let timestamp = srp::timestamp(std::time::SystemTime::now());
    let inputs = VerifierInputs {
        pool_name: "Pool1",
        user_id: "alice",
        password: &s.password,
        salt_hex: "-7c9a2b",
        srp_b_hex: &server_b,
        secret_block: "c2VjcmV0",
        timestamp: &timestamp,
    };
    printed.debug("VerifierInputs", &inputs);
    let claim = srp::password_claim(&ephemeral, &inputs).unwrap();
    printed.debug("SignedClaim", &claim);
    let signature = claim.signature().expose().to_owned();
    printed.debug("PasswordClaim", &PasswordClaim::from(claim));
    let device =
        DeviceVerifier::from_parts("-group", "us-east-1_dev", &s.device_password, &[0x9c; 16])
            .unwrap();
    printed.debug("DeviceVerifier", &device);
    let credentials = DeviceCredentials {
        device_key: "us-east-1_dev".into(),
        device_group_key: "-group".into(),
        device_password: Secret::new(s.device_password.as_str()),
    };
    printed.debug("DeviceCredentials", &credentials);

    // Flows hold passwords and refresh tokens until they start.
    printed.debug(
        "UserSrpAuth",
        &UserSrpAuth::new("alice", s.password.as_str()),
    );
    printed.debug(
        "UserPasswordAuth",
        &UserPasswordAuth::new("alice", s.password.as_str()).device(credentials.clone()),
    );
    printed.debug(
        "CustomAuth",
        &CustomAuth::<cognito_typestate::challenges::AfterCustomChallenge>::with_srp(
            "alice",
            s.password.as_str(),
        ),
    );
    printed.debug(
        "UserAuth",
        &UserAuth::with_password("alice", s.password.as_str()),
    );
    printed.debug(
        "UserAuthSrp",
        &UserAuthSrp::new("alice", s.password.as_str()),
    );
    printed.debug(
        "RefreshTokenAuth",
        &RefreshTokenAuth::new(s.refresh.as_str()),
    );
    printed.debug(
        "TokensFromRefreshToken",
        &TokensFromRefreshToken::new(s.refresh.as_str()),
    );

    let tokens: Tokens = serde_json::from_value(json!({
        "AccessToken": s.access, "IdToken": s.id, "RefreshToken": s.refresh, "Username": "alice",
    }))
    .unwrap();
    printed.debug("Tokens", &tokens);
    vec![exponent_hex, signature]
}

/// Values met along scripted sign-ins: clients, outcomes, pending and detached states,
/// rejections, errors.
fn signed_in_values(s: &Secrets, printed: &mut Printed) -> (Script, String) {
    let script = Script::default();
    script
        .ok(&challenge("SMS_MFA", &s.session, &json!({"CODE_DELIVERY_DESTINATION": "+***1"})))
        .error(400, "CodeMismatchException")
        .error(400, "NotAuthorizedException")
        .ok(&challenge("SMS_MFA", &s.session, &json!({})))
        .ok(&challenge("BRAND_NEW", &s.session, &json!({"hint": "x"})))
        .ok(&challenge("MFA_SETUP", &s.session, &json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"})))
        .ok(&json!({"SecretCode": s.totp_secret, "Session": s.session}))
        .error(400, "EnableSoftwareTokenMFAException")
        .ok(&json!({"Status": "SUCCESS", "Session": s.session}))
        .ok(&json!({"AuthenticationResult": {"AccessToken": s.access, "IdToken": s.id, "RefreshToken": s.refresh,
            "NewDeviceMetadata": {"DeviceKey": "us-east-1_dev", "DeviceGroupKey": "-group"}}}))
        .ok(&json!({"UserConfirmationNecessary": false}))
        .ok(&tokens(&s.access, &s.id, &s.refresh));
    let client = script.client(|b| b.client_secret(s.client_secret.as_str()));
    printed.debug("Client", &client);

    let device_password = block_on(async {
        let first = client
            .initiate(UserPasswordAuth::new("alice", s.password.as_str()))
            .await
            .unwrap();
        printed.debug("AfterPassword", &first);
        let AfterPassword::SmsMfa(pending) = first else {
            panic!("scripted SMS_MFA")
        };
        printed.debug("Pending<SmsMfa>", &pending);
        let saved = serde_json::to_string(&pending).unwrap();
        let detached: Detached<SmsMfa> = serde_json::from_str(&saved).unwrap();
        printed.debug("Detached<SmsMfa>", &detached);
        let pending = detached.attach(&client).unwrap();

        // A wrong code keeps the challenge: the rejection and its state print safely.
        let rejected = pending
            .respond(SmsMfaCode::new(s.code.as_str()))
            .await
            .unwrap_err();
        printed.both("Rejected::Retry", &rejected);
        let Rejected::Retry { pending, error } = rejected else {
            panic!("CodeMismatchException keeps SMS_MFA")
        };
        printed.both("ServiceError", &error);
        printed.debug("Pending<SmsMfa> after a refusal", &pending);
        let failed = pending
            .respond(SmsMfaCode::new(s.code.as_str()))
            .await
            .unwrap_err();
        printed.both("Rejected::Failed", &failed);
        printed.both("Error::Service", &Error::from(failed));

        // A challenge nobody expects carries the session in the error.
        let AfterPassword::SmsMfa(pending) = client
            .initiate(UserPasswordAuth::new("alice", s.password.as_str()))
            .await
            .unwrap()
        else {
            panic!("scripted SMS_MFA")
        };
        let unexpected = Error::from(
            pending
                .respond(SmsMfaCode::new(s.code.as_str()))
                .await
                .unwrap_err(),
        );
        assert!(
            matches!(unexpected, Error::UnexpectedChallenge(_)),
            "{unexpected:?}"
        );
        printed.both("Error::UnexpectedChallenge", &unexpected);

        // The authenticator-app set-up holds the TOTP secret.
        let AfterPassword::MfaSetup(pending) = client
            .initiate(UserPasswordAuth::new("alice", s.password.as_str()))
            .await
            .unwrap()
        else {
            panic!("scripted MFA_SETUP")
        };
        let setup = pending.associate_software_token().await.unwrap();
        printed.debug("TotpSetup", &setup);
        printed.both("otpauth URI", &setup.otpauth_uri("Acme"));
        let rejected = setup
            .verify(s.code.as_str(), Some("phone"))
            .await
            .unwrap_err();
        printed.both("Rejected<TotpSetup>", &rejected);
        let setup = rejected
            .into_retry()
            .expect("EnableSoftwareTokenMFAException keeps MFA_SETUP");
        let AfterMfaSetup::Authenticated(tokens) =
            setup.verify(s.code.as_str(), None).await.unwrap()
        else {
            panic!("scripted tokens")
        };
        printed.debug("Tokens from a sign-in", &tokens);
        let device = client.confirm_device(&tokens, "laptop").await.unwrap();
        printed.debug("RememberedDevice", &device);
        let device_password = device.credentials().device_password.expose().to_owned();

        let refreshed = client
            .initiate(RefreshTokenAuth::from_tokens(&tokens).unwrap())
            .await
            .unwrap();
        printed.debug("Tokens from a refresh", &refreshed);
        device_password
    });
    (script, device_password)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// `Secret`, every answer type, SRP values, device credentials, flows, tokens,
    /// clients, pending and detached states, `Rejected` and `Error` values: neither
    /// `Debug` (plain or alternate) nor `Display` shows a secret.
    #[test]
    fn no_public_value_prints_a_secret(s in secrets()) {
        let mut printed = Printed::default();
        let mut extra = built_values(&s, &mut printed);
        // The device password the client generated is a secret too.
        let (_, generated) = signed_in_values(&s, &mut printed);
        extra.push(generated);
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let leaks = printed.leaks(&extra, &s);
        prop_assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    }

    /// `HttpRequest` and `HttpResponse` are what a logging transport prints: their
    /// `Debug` must not show the passwords, codes, sessions and tokens in the bodies.
    #[test]
    fn http_requests_and_responses_print_no_secret(s in secrets()) {
        let mut printed = Printed::default();
        let (script, _) = signed_in_values(&s, &mut printed);
        let mut http = Printed::default();
        for sent in script.sent() {
            http.raw(&format!("HttpRequest of {}", sent.operation), sent.request_debug);
            http.raw(&format!("HttpResponse to {}", sent.operation), sent.response_debug);
        }
        let leaks = http.leaks(&[], &s);
        let mut which: Vec<&str> = leaks.iter().filter_map(|l| l.split(" shows ").next()).collect();
        which.dedup();
        prop_assert!(
            leaks.is_empty(),
            "{} leaks, in: {}\nfirst: {}",
            leaks.len(),
            which.join(", "),
            leaks.first().map_or("", String::as_str)
        );
    }
}
