//! The typed client against the in-process emulator: every flow and challenge the
//! emulator issues, and the rejections (hand-built requests where our client cannot
//! make the mistake). Third-party clients check the emulator in `scripts/`.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_typestate::challenges::{
    AfterCustomChallenge, AfterMfa, AfterMfaSelection, AfterMfaSetup, AfterNewPassword,
    AfterPassword, CustomAnswer, EmailOtpCode, FirstFactorOutcome, MfaType, NewPassword,
    SmsMfaCode, SmsOtpCode, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::{
    CustomAuth as CustomAuthFlow, RefreshTokenAuth, TokensFromRefreshToken, UserAuth, UserAuthSrp,
    UserPasswordAuth, UserSrpAuth,
};
use cognito_typestate::{Client, Error, ServiceErrorKind, Tokens};
use cognito_typestate_emulator::{
    AppClientConfig, CreatedChallenge, CustomAuth, Decision, DeviceTracking, Mfa, MfaMethod,
    PoolConfig, QuestionChallenge, UserConfig,
};
use serde_json::{Value, json};

mod common;
#[path = "support/setup.rs"]
mod setup;

use setup::Setup;

const PASSWORD: &str = "Corr3ct-horse!";

impl Setup {
    async fn plain() -> Self {
        Self::pool(PoolConfig::default()).await
    }

    fn user(&self, user: UserConfig) {
        self.pool.create_user(user).unwrap();
    }
}

fn totp_now(secret: &str) -> String {
    let key = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .unwrap();
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key)
        .generate_current()
        .unwrap()
}

fn expect_tokens(outcome: AfterPassword) -> Tokens {
    match outcome {
        AfterPassword::Authenticated(tokens) => tokens,
        other => panic!("expected tokens, got {other:?}"),
    }
}

fn service_kind<E: Into<Error>>(result: Result<impl std::fmt::Debug, E>) -> ServiceErrorKind {
    match result.map_err(Into::into) {
        Err(Error::Service(e)) => e.kind(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn service_message(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Service(e)) => e.message().unwrap_or_default().to_owned(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// Claims of a JWT, and a check of its RS256 signature against the pool's JWKS.
async fn verified_claims(setup: &Setup, jwt: &str) -> Value {
    let jwks: Value = reqwest::get(format!(
        "{}{}/.well-known/jwks.json",
        setup.emulator.endpoint(),
        setup.pool.id()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let key = &jwks["keys"][0];
    let part = |name: &str| URL_SAFE_NO_PAD.decode(key[name].as_str().unwrap()).unwrap();
    let rsa = openssl::rsa::Rsa::from_public_components(
        openssl::bn::BigNum::from_slice(&part("n")).unwrap(),
        openssl::bn::BigNum::from_slice(&part("e")).unwrap(),
    )
    .unwrap();
    let public = openssl::pkey::PKey::from_rsa(rsa).unwrap();
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let mut verifier =
        openssl::sign::Verifier::new(openssl::hash::MessageDigest::sha256(), &public).unwrap();
    verifier.update(signed.as_bytes()).unwrap();
    assert!(
        verifier
            .verify(&URL_SAFE_NO_PAD.decode(signature).unwrap())
            .unwrap(),
        "the token's RS256 signature does not verify against the JWKS"
    );
    let (header, payload) = signed.split_once('.').unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], key["kid"]);
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn srp_sign_in_gives_rs256_tokens_with_cognitos_claims() {
    let setup = Setup::plain().await;
    setup.user(
        UserConfig::new("alice")
            .password(PASSWORD)
            .attribute("email", "alice@example.com")
            .attribute("email_verified", "true"),
    );
    let tokens = expect_tokens(
        setup
            .client()
            .initiate(UserSrpAuth::new("alice", PASSWORD))
            .await
            .unwrap(),
    );
    let access = verified_claims(&setup, tokens.access_token().expose()).await;
    let id = verified_claims(&setup, tokens.id_token().unwrap().expose()).await;
    let sub = setup.pool.user("alice").unwrap().attributes["sub"].clone();
    let issuer = format!("{}{}", setup.emulator.endpoint(), setup.pool.id());
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["client_id"], setup.app.id.as_str());
    assert_eq!(access["username"], "alice");
    assert_eq!(access["sub"], sub.as_str());
    assert_eq!(access["iss"], issuer.as_str());
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["aud"], setup.app.id.as_str());
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    let (iat, exp) = (
        access["iat"].as_u64().unwrap(),
        access["exp"].as_u64().unwrap(),
    );
    assert_eq!(exp - iat, 3600);
    assert_eq!(tokens.expires_in(), Some(Duration::from_secs(3600)));
    assert!(tokens.refresh_token().is_some());
}

#[tokio::test]
async fn wrong_passwords_are_rejected_and_lock_the_user_out() {
    let setup = Setup::pool(PoolConfig {
        lockout_after: 3,
        ..PoolConfig::default()
    })
    .await;
    setup.user(UserConfig::new("alice").password(PASSWORD));
    let client = setup.client();
    for attempt in 0..3 {
        let result = if attempt % 2 == 0 {
            client.initiate(UserSrpAuth::new("alice", "wrong")).await
        } else {
            client
                .initiate(UserPasswordAuth::new("alice", "wrong"))
                .await
        };
        assert_eq!(service_message(result), "Incorrect username or password.");
    }
    assert!(setup.pool.user("alice").unwrap().locked);
    // Locked: even the right password is refused, until the lockout ends.
    let locked = client.initiate(UserSrpAuth::new("alice", PASSWORD)).await;
    assert_eq!(service_message(locked), "Password attempts exceeded");
    setup.emulator.advance_clock(Duration::from_secs(901));
    expect_tokens(
        client
            .initiate(UserSrpAuth::new("alice", PASSWORD))
            .await
            .unwrap(),
    );
    // Unknown users: UserNotFoundException (PreventUserExistenceErrors off).
    let unknown = client.initiate(UserSrpAuth::new("nobody", PASSWORD)).await;
    assert_eq!(service_kind(unknown), ServiceErrorKind::UserNotFound);
}

#[tokio::test]
async fn hidden_user_existence_answers_unknown_users_with_a_decoy_challenge() {
    let setup = Setup::new(
        PoolConfig::default(),
        AppClientConfig {
            prevent_user_existence_errors: true,
            ..AppClientConfig::new("web")
        },
    )
    .await;
    let client = setup.client();
    // The decoy PASSWORD_VERIFIER is answered, and only then refused like a wrong password.
    let srp = client.initiate(UserSrpAuth::new("nobody", PASSWORD)).await;
    assert_eq!(service_kind(srp), ServiceErrorKind::NotAuthorized);
    let plain = client
        .initiate(UserPasswordAuth::new("nobody", PASSWORD))
        .await;
    assert_eq!(service_message(plain), "Incorrect username or password.");
}

#[tokio::test]
async fn secret_hash_is_checked_on_every_call_with_the_canonical_name() {
    let setup = Setup::new(
        PoolConfig {
            alias_attributes: vec!["email".into()],
            ..PoolConfig::default()
        },
        AppClientConfig::new("server").with_secret(),
    )
    .await;
    setup.user(
        UserConfig::new("alice")
            .password(PASSWORD)
            .attribute("email", "alice@example.com"),
    );
    // Alias sign-in: the typed name hashes InitiateAuth, the canonical one the rest,
    // and refresh.
    let tokens = expect_tokens(
        setup
            .client()
            .initiate(UserSrpAuth::new("alice@example.com", PASSWORD))
            .await
            .unwrap(),
    );
    assert_eq!(tokens.username(), "alice");
    let refresh = RefreshTokenAuth::from_tokens(&tokens).unwrap();
    setup.client().initiate(refresh).await.unwrap();

    let wrong = Client::builder(&setup.app.id)
        .endpoint(setup.emulator.endpoint())
        .user_pool_id(setup.pool.id())
        .client_secret("not-the-secret")
        .build()
        .unwrap();
    let refused = wrong.initiate(UserSrpAuth::new("alice", PASSWORD)).await;
    assert!(service_message(refused).starts_with("Unable to verify secret hash for client"));
    let (status, body) = setup
        .raw(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": setup.app.id,
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "NotAuthorizedException");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("configured for secret but secret was not received")
    );
}

#[tokio::test]
async fn temporary_password_then_required_totp_set_up_then_totp_sign_in() {
    let setup = Setup::pool(PoolConfig {
        mfa: Mfa::On,
        mfa_methods: vec![MfaMethod::SoftwareToken],
        required_attributes: vec!["given_name".into()],
        ..PoolConfig::default()
    })
    .await;
    setup.user(UserConfig::new("alice").temporary_password("Temp0rary-pw!"));
    let client = setup.client();
    let AfterPassword::NewPasswordRequired(pending) = client
        .initiate(UserSrpAuth::new("alice", "Temp0rary-pw!"))
        .await
        .unwrap()
    else {
        panic!("expected NEW_PASSWORD_REQUIRED");
    };
    assert_eq!(
        pending
            .challenge()
            .required_attributes()
            .collect::<Vec<_>>(),
        ["given_name"]
    );
    // The policy and the required attribute are enforced.
    let weak = pending.detach();
    let weak_json = serde_json::to_string(&weak).unwrap();
    let attach = || {
        serde_json::from_str::<
            cognito_typestate::Detached<cognito_typestate::challenges::NewPasswordRequired>,
        >(&weak_json)
        .unwrap()
        .attach(&client)
        .unwrap()
    };
    let refused = attach().respond(NewPassword::new("short")).await;
    assert_eq!(service_kind(refused), ServiceErrorKind::InvalidPassword);
    let AfterNewPassword::MfaSetup(setup_pending) = attach()
        .respond(NewPassword::new(PASSWORD).attribute("given_name", "Alice"))
        .await
        .unwrap()
    else {
        panic!("expected MFA_SETUP");
    };
    assert_eq!(
        setup_pending.challenge().can_set_up(),
        [MfaType::SoftwareToken]
    );
    let totp = setup_pending.associate_software_token().await.unwrap();
    let secret = totp.secret_code().expose().to_owned();
    assert_eq!(secret.len(), 52);
    let AfterMfaSetup::Authenticated(_) =
        totp.verify(totp_now(&secret), Some("phone")).await.unwrap()
    else {
        panic!("expected tokens after MFA_SETUP");
    };
    let user = setup.pool.user("alice").unwrap();
    assert!(user.confirmed);
    assert_eq!(user.attributes["given_name"], "Alice");
    assert_eq!(user.totp_secret.as_deref(), Some(secret.as_str()));

    // Next sign-in: SOFTWARE_TOKEN_MFA; a wrong code is CodeMismatch.
    let AfterPassword::SoftwareTokenMfa(mfa) = client
        .initiate(UserSrpAuth::new("alice", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected SOFTWARE_TOKEN_MFA");
    };
    let wrong = format!(
        "{:06}",
        (totp_now(&secret).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let detached = serde_json::to_string(&mfa.detach()).unwrap();
    let retry = || {
        serde_json::from_str::<
            cognito_typestate::Detached<cognito_typestate::challenges::SoftwareTokenMfa>,
        >(&detached)
        .unwrap()
        .attach(&client)
        .unwrap()
    };
    assert_eq!(
        service_kind(retry().respond(SoftwareTokenMfaCode::new(wrong)).await),
        ServiceErrorKind::CodeMismatch
    );
    let AfterMfa::Authenticated(_) = retry()
        .respond(SoftwareTokenMfaCode::new(totp_now(&secret)))
        .await
        .unwrap()
    else {
        panic!("expected tokens");
    };
}

#[tokio::test]
async fn sms_email_and_the_choice_between_them_use_the_outbox() {
    let setup = Setup::pool(PoolConfig {
        mfa: Mfa::Optional,
        ..PoolConfig::default()
    })
    .await;
    setup.user(
        UserConfig::new("sam")
            .password(PASSWORD)
            .attribute("phone_number", "+15555550123")
            .mfa(MfaMethod::Sms),
    );
    setup.user(
        UserConfig::new("eve")
            .password(PASSWORD)
            .attribute("email", "eve@example.com")
            .attribute("phone_number", "+15555550199")
            .mfa(MfaMethod::Email)
            .mfa(MfaMethod::Sms),
    );
    let client = setup.client();
    let AfterPassword::SmsMfa(sms) = client
        .initiate(UserSrpAuth::new("sam", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected SMS_MFA");
    };
    assert_eq!(sms.challenge().destination.as_deref(), Some("+*******0123"));
    let code = setup.pool.last_code("sam").unwrap();
    let AfterMfa::Authenticated(_) = sms.respond(SmsMfaCode::new(code)).await.unwrap() else {
        panic!()
    };
    let sent = setup.emulator.outbox();
    assert_eq!(
        (sent[0].medium.as_str(), sent[0].destination.as_str()),
        ("SMS", "+15555550123")
    );

    let AfterPassword::SelectMfaType(select) = client
        .initiate(UserSrpAuth::new("eve", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected SELECT_MFA_TYPE");
    };
    assert_eq!(select.challenge().offered(), [MfaType::Sms, MfaType::Email]);
    let choice = select.challenge().choose(&MfaType::Email).unwrap();
    let AfterMfaSelection::EmailOtp(email) = select.respond(choice).await.unwrap() else {
        panic!("expected EMAIL_OTP");
    };
    let code = setup.pool.last_code("eve").unwrap();
    assert_eq!(setup.emulator.outbox().last().unwrap().medium, "EMAIL");
    let AfterMfa::Authenticated(_) = email.respond(EmailOtpCode::new(code)).await.unwrap() else {
        panic!()
    };
}

#[tokio::test]
async fn user_auth_offers_first_factors_and_signs_in_without_a_password() {
    let setup = Setup::plain().await;
    setup.user(
        UserConfig::new("pat")
            .password(PASSWORD)
            .attribute("email", "pat@example.com"),
    );
    let client = setup.client();
    let FirstFactorOutcome::SelectChallenge(select) =
        client.initiate(UserAuth::new("pat")).await.unwrap()
    else {
        panic!("expected SELECT_CHALLENGE");
    };
    let offered: Vec<String> = select
        .challenge()
        .available()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(offered, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
    let choice = select.challenge().email_otp().unwrap();
    let FirstFactorOutcome::EmailOtp(otp) = select.respond(choice).await.unwrap() else {
        panic!("expected EMAIL_OTP");
    };
    let code = setup.pool.last_code("pat").unwrap();
    assert_eq!(code.len(), 8, "passwordless codes have 8 digits");
    let AfterMfa::Authenticated(_) = otp.respond(EmailOtpCode::new(code)).await.unwrap() else {
        panic!()
    };

    // The password as the first factor in the same call.
    let FirstFactorOutcome::Authenticated(_) = client
        .initiate(UserAuth::with_password("pat", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected tokens");
    };
}

#[tokio::test]
async fn user_auth_with_srp_or_a_texted_code() {
    let setup = Setup::pool(PoolConfig {
        mfa: Mfa::Optional,
        ..PoolConfig::default()
    })
    .await;
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    setup.user(
        UserConfig::new("sid")
            .password(PASSWORD)
            .attribute("phone_number", "+15555550177")
            .totp_secret(secret),
    );
    let client = setup.client();
    // PASSWORD_SRP is a password factor: MFA follows.
    let AfterPassword::SoftwareTokenMfa(_) = client
        .initiate(UserAuthSrp::new("sid", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected SOFTWARE_TOKEN_MFA after PASSWORD_SRP");
    };
    let wrong = client.initiate(UserAuthSrp::new("sid", "wrong")).await;
    assert_eq!(service_kind(wrong), ServiceErrorKind::NotAuthorized);
    // SMS_OTP is the whole sign-in: no MFA after it.
    let FirstFactorOutcome::SelectChallenge(select) =
        client.initiate(UserAuth::new("sid")).await.unwrap()
    else {
        panic!("expected SELECT_CHALLENGE");
    };
    let choice = select.challenge().sms_otp().unwrap();
    let FirstFactorOutcome::SmsOtp(otp) = select.respond(choice).await.unwrap() else {
        panic!("expected SMS_OTP")
    };
    let AfterMfa::Authenticated(_) = otp
        .respond(SmsOtpCode::new(setup.pool.last_code("sid").unwrap()))
        .await
        .unwrap()
    else {
        panic!("expected tokens");
    };
}

#[tokio::test]
async fn email_mfa_is_set_up_through_mfa_setup() {
    let setup = Setup::pool(PoolConfig {
        mfa: Mfa::On,
        mfa_methods: vec![MfaMethod::Email],
        ..PoolConfig::default()
    })
    .await;
    setup.user(UserConfig::new("em").password(PASSWORD));
    let client = setup.client();
    let AfterPassword::MfaSetup(pending) = client
        .initiate(UserSrpAuth::new("em", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected MFA_SETUP");
    };
    assert_eq!(pending.challenge().can_set_up(), [MfaType::Email]);
    let answer = pending.challenge().email("em@example.com").unwrap();
    let AfterMfaSetup::EmailOtp(otp) = pending.respond(answer).await.unwrap() else {
        panic!("expected EMAIL_OTP")
    };
    let sent = setup.emulator.outbox().pop().unwrap();
    assert_eq!(
        (sent.medium.as_str(), sent.destination.as_str()),
        ("EMAIL", "em@example.com")
    );
    let AfterMfa::Authenticated(_) = otp.respond(EmailOtpCode::new(sent.code)).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(
        setup.pool.user("em").unwrap().mfa_enabled,
        [MfaMethod::Email]
    );
    // From now on e-mail is the second factor.
    let AfterPassword::EmailOtp(_) = client
        .initiate(UserSrpAuth::new("em", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected EMAIL_OTP");
    };
}

#[tokio::test]
async fn custom_auth_without_a_password_uses_the_question_triggers() {
    let setup = Setup::new(
        PoolConfig {
            custom_challenge: Some(QuestionChallenge {
                question: "6 x 7?".into(),
                answer: "42".into(),
                attempts: 2,
                require_password: false,
            }),
            ..PoolConfig::default()
        },
        AppClientConfig::new("web"),
    )
    .await;
    setup.user(UserConfig::new("q"));
    let client = setup.client();
    let start = || client.initiate(CustomAuthFlow::<AfterCustomChallenge>::new("q"));
    let AfterCustomChallenge::CustomChallenge(ask) = start().await.unwrap() else {
        panic!("expected CUSTOM_CHALLENGE")
    };
    let AfterCustomChallenge::Authenticated(_) =
        ask.respond(CustomAnswer::new("42")).await.unwrap()
    else {
        panic!()
    };
    // Two wrong answers end the sign-in.
    let AfterCustomChallenge::CustomChallenge(ask) = start().await.unwrap() else {
        panic!()
    };
    let AfterCustomChallenge::CustomChallenge(ask) =
        ask.respond(CustomAnswer::new("41")).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(
        service_kind(ask.respond(CustomAnswer::new("40")).await),
        ServiceErrorKind::NotAuthorized
    );
}

#[tokio::test]
async fn custom_auth_after_srp_asks_the_triggers() {
    let setup = Setup::plain().await;
    setup.user(UserConfig::new("cam").password(PASSWORD));
    setup.pool.set_custom_auth(CustomAuth::new(
        |event| match event.session.last() {
            Some(last) if last.challenge_name == "SRP_A" => {
                Decision::Challenge("PASSWORD_VERIFIER".into())
            }
            Some(last) if last.challenge_name == "PASSWORD_VERIFIER" => {
                Decision::Challenge("CUSTOM_CHALLENGE".into())
            }
            Some(last) if last.challenge_result => Decision::IssueTokens,
            Some(_) if event.session.len() < 4 => Decision::Challenge("CUSTOM_CHALLENGE".into()),
            _ => Decision::Fail,
        },
        |event| {
            CreatedChallenge::new()
                .public("question", format!("{} × 7?", event.session.len() + 4))
                .private("answer", (7 * (event.session.len() + 4)).to_string())
        },
        |event| event.private.get("answer").map(String::as_str) == Some(event.answer),
    ));
    let client = setup.client();
    let AfterCustomChallenge::CustomChallenge(first) = client
        .initiate(CustomAuthFlow::with_srp("cam", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected CUSTOM_CHALLENGE after the password");
    };
    assert_eq!(
        first
            .challenge()
            .parameters
            .get("question")
            .map(String::as_str),
        Some("6 × 7?")
    );
    let AfterCustomChallenge::CustomChallenge(second) =
        first.respond(CustomAnswer::new("41")).await.unwrap()
    else {
        panic!("a wrong answer asks again");
    };
    assert_eq!(
        second
            .challenge()
            .parameters
            .get("question")
            .map(String::as_str),
        Some("7 × 7?")
    );
    let AfterCustomChallenge::Authenticated(_) =
        second.respond(CustomAnswer::new("49")).await.unwrap()
    else {
        panic!("expected tokens");
    };
    // A wrong password never reaches the triggers' question.
    let refused = client
        .initiate(CustomAuthFlow::<AfterCustomChallenge>::with_srp(
            "cam", "wrong",
        ))
        .await;
    assert_eq!(service_kind(refused), ServiceErrorKind::NotAuthorized);
}

#[tokio::test]
async fn a_remembered_device_skips_mfa_with_device_srp_and_a_forgotten_one_is_typed() {
    let setup = Setup::new(
        PoolConfig {
            mfa: Mfa::Optional,
            device_tracking: DeviceTracking::Always,
            ..PoolConfig::default()
        },
        AppClientConfig::new("web").with_secret(),
    )
    .await;
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    setup.user(
        UserConfig::new("dee")
            .password(PASSWORD)
            .totp_secret(secret),
    );
    let client = setup.client();
    let AfterPassword::SoftwareTokenMfa(mfa) = client
        .initiate(UserSrpAuth::new("dee", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected SOFTWARE_TOKEN_MFA");
    };
    let AfterMfa::Authenticated(tokens) = mfa
        .respond(SoftwareTokenMfaCode::new(totp_now(secret)))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(tokens.new_device_metadata().is_some());
    let device = client.confirm_device(&tokens, "laptop").await.unwrap();
    assert!(!device.user_confirmation_necessary());
    let credentials = device.into_credentials();
    let summary = setup.pool.user("dee").unwrap();
    assert!(summary.devices[0].confirmed && summary.devices[0].remembered);

    // No MFA now: the device proves itself with DEVICE_SRP_AUTH (answered by the client).
    let signed_in = expect_tokens(
        client
            .initiate(UserSrpAuth::new("dee", PASSWORD).device(credentials.clone()))
            .await
            .unwrap(),
    );
    assert_eq!(
        signed_in.device_key(),
        Some(credentials.device_key.as_str())
    );
    let refreshed = client
        .initiate(RefreshTokenAuth::from_tokens(&signed_in).unwrap())
        .await
        .unwrap();
    assert!(
        refreshed
            .access_token_claims()
            .unwrap()
            .contains_key("device_key")
    );

    // A wrong device password fails the device proof.
    let mut stolen = credentials.clone();
    stolen.device_password = cognito_typestate::Secret::new("d3JvbmcgZGV2aWNlIHBhc3N3b3Jk");
    let refused = client
        .initiate(UserSrpAuth::new("dee", PASSWORD).device(stolen))
        .await;
    assert_eq!(service_kind(refused), ServiceErrorKind::NotAuthorized);

    assert!(setup.pool.forget_device("dee", &credentials.device_key));
    let forgotten = client
        .initiate(UserSrpAuth::new("dee", PASSWORD).device(credentials))
        .await
        .unwrap_err();
    assert!(forgotten.is_unknown_device(), "{forgotten:?}");
}

#[tokio::test]
async fn a_device_the_user_must_confirm_skips_mfa_only_once_remembered() {
    let setup = Setup::pool(PoolConfig {
        mfa: Mfa::Optional,
        device_tracking: DeviceTracking::UserOptIn,
        ..PoolConfig::default()
    })
    .await;
    setup.user(
        UserConfig::new("uma")
            .password(PASSWORD)
            .attribute("phone_number", "+15555550142")
            .mfa(MfaMethod::Sms),
    );
    let client = setup.client();
    let sign_in_with_code = |outcome: AfterPassword| async {
        let AfterPassword::SmsMfa(sms) = outcome else {
            panic!("expected SMS_MFA, got {outcome:?}")
        };
        let AfterMfa::Authenticated(tokens) = sms
            .respond(SmsMfaCode::new(setup.pool.last_code("uma").unwrap()))
            .await
            .unwrap()
        else {
            panic!("expected tokens")
        };
        tokens
    };
    let tokens = sign_in_with_code(
        client
            .initiate(UserSrpAuth::new("uma", PASSWORD))
            .await
            .unwrap(),
    )
    .await;
    let device = client.confirm_device(&tokens, "tablet").await.unwrap();
    assert!(device.user_confirmation_necessary());
    let credentials = device.into_credentials();
    // Confirmed but not remembered: MFA still asked, then the device proves itself.
    let with_device = || UserSrpAuth::new("uma", PASSWORD).device(credentials.clone());
    let again = sign_in_with_code(client.initiate(with_device()).await.unwrap()).await;
    assert_eq!(again.device_key(), Some(credentials.device_key.as_str()));
    client
        .set_device_remembered(&again, &credentials.device_key, true)
        .await
        .unwrap();
    expect_tokens(client.initiate(with_device()).await.unwrap());
    client
        .set_device_remembered(&again, &credentials.device_key, false)
        .await
        .unwrap();
    sign_in_with_code(client.initiate(with_device()).await.unwrap()).await;
}

#[tokio::test]
async fn refresh_tokens_rotate_once_the_grace_period_ends() {
    let setup = Setup::new(
        PoolConfig::default(),
        AppClientConfig {
            refresh_token_rotation: true,
            rotation_grace_seconds: 10,
            ..AppClientConfig::new("web").with_secret()
        },
    )
    .await;
    setup.user(UserConfig::new("ria").password(PASSWORD));
    let client = setup.client();
    let first = expect_tokens(
        client
            .initiate(UserPasswordAuth::new("ria", PASSWORD))
            .await
            .unwrap(),
    );
    let second = client
        .initiate(TokensFromRefreshToken::from_tokens(&first).unwrap())
        .await
        .unwrap();
    let rotated = second.refresh_token().unwrap().expose().to_owned();
    assert_ne!(rotated, first.refresh_token().unwrap().expose());
    // Within the grace period the old token still works; after it, it is reuse.
    client
        .initiate(TokensFromRefreshToken::from_tokens(&first).unwrap())
        .await
        .unwrap();
    setup.emulator.advance_clock(Duration::from_secs(11));
    let reused = client
        .initiate(TokensFromRefreshToken::from_tokens(&first).unwrap())
        .await;
    assert_eq!(service_kind(reused), ServiceErrorKind::RefreshTokenReuse);
    client
        .initiate(TokensFromRefreshToken::new(rotated))
        .await
        .unwrap();
}

/// Hand-built PASSWORD_VERIFIER answers: what Cognito rejects and with which code.
mod rejections {
    use super::*;
    use cognito_typestate::srp::{self, SrpEphemeral, VerifierInputs};

    /// Starts USER_SRP_AUTH by hand; returns the ephemeral and the challenge parameters.
    async fn start(setup: &Setup) -> (SrpEphemeral, Value) {
        let ephemeral = SrpEphemeral::generate().unwrap();
        let (status, body) = setup
            .raw(
                "InitiateAuth",
                json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": setup.app.id,
                "AuthParameters": {"USERNAME": "alice", "SRP_A": ephemeral.public_hex()}}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body.get("Session").is_none(),
            "like AWS, no Session on PASSWORD_VERIFIER"
        );
        (ephemeral, body["ChallengeParameters"].clone())
    }

    fn claim(
        setup: &Setup,
        ephemeral: &SrpEphemeral,
        params: &Value,
        timestamp: &str,
        password: &str,
    ) -> Value {
        let pool_name = setup.pool.id().split_once('_').unwrap().1;
        let claim = srp::password_claim(
            ephemeral,
            &VerifierInputs {
                pool_name,
                user_id: params["USER_ID_FOR_SRP"].as_str().unwrap(),
                password,
                salt_hex: params["SALT"].as_str().unwrap(),
                srp_b_hex: params["SRP_B"].as_str().unwrap(),
                secret_block: params["SECRET_BLOCK"].as_str().unwrap(),
                timestamp,
            },
        )
        .unwrap();
        json!({"ClientId": setup.app.id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {
            "USERNAME": "alice", "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": claim.signature().expose()}})
    }

    async fn answer(
        setup: &Setup,
        timestamp: &str,
        password: &str,
        tamper: impl FnOnce(&mut Value),
    ) -> (u16, Value) {
        let (ephemeral, params) = start(setup).await;
        let mut body = claim(setup, &ephemeral, &params, timestamp, password);
        tamper(&mut body);
        setup.raw("RespondToAuthChallenge", body).await
    }

    async fn user() -> Setup {
        let setup = Setup::plain().await;
        setup.user(UserConfig::new("alice").password(PASSWORD));
        setup
    }

    #[tokio::test]
    async fn the_right_claim_signs_in() {
        let setup = user().await;
        let (status, body) = answer(&setup, "Tue Mar 5 07:08:09 UTC 2024", PASSWORD, |_| {}).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["AuthenticationResult"]["AccessToken"].is_string());
    }

    #[tokio::test]
    async fn a_zero_padded_day_looks_like_a_wrong_password() {
        let setup = user().await;
        // Correctly signed over the padded text: Cognito signs its own rendering.
        let (status, body) = answer(&setup, "Tue Mar 05 07:08:09 UTC 2024", PASSWORD, |_| {}).await;
        assert_eq!(
            (status, body["__type"].as_str()),
            (400, Some("NotAuthorizedException"))
        );
        assert_eq!(body["message"], "Incorrect username or password.");
        // A wrong weekday, likewise.
        let (_, body) = answer(&setup, "Mon Mar 5 07:08:09 UTC 2024", PASSWORD, |_| {}).await;
        assert_eq!(body["__type"], "NotAuthorizedException");
    }

    #[tokio::test]
    async fn a_non_english_timestamp_is_an_invalid_parameter() {
        let setup = user().await;
        let (_, body) = answer(&setup, "Di. März 5 07:08:09 UTC 2024", PASSWORD, |_| {}).await;
        assert_eq!(body["__type"], "InvalidParameterException");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("EEE MMM d HH:mm:ss z yyyy")
        );
    }

    #[tokio::test]
    async fn a_wrong_password_or_a_tampered_claim_is_refused() {
        let setup = user().await;
        let ts = "Tue Mar 5 07:08:09 UTC 2024";
        let (_, body) = answer(&setup, ts, "wrong", |_| {}).await;
        assert_eq!(body["message"], "Incorrect username or password.");
        let (_, body) = answer(&setup, ts, PASSWORD, |b| {
            let sig = b["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"]
                .as_str()
                .unwrap();
            let flipped = if sig.starts_with('A') {
                sig.replacen('A', "B", 1)
            } else {
                format!("A{}", &sig[1..])
            };
            b["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"] = json!(flipped);
        })
        .await;
        assert_eq!(body["__type"], "NotAuthorizedException");
        let (_, body) = answer(&setup, ts, PASSWORD, |b| {
            b["ChallengeResponses"]["PASSWORD_CLAIM_SECRET_BLOCK"] = json!("dGFtcGVyZWQ=");
        })
        .await;
        assert_eq!(body["__type"], "NotAuthorizedException");
    }

    #[tokio::test]
    async fn a_reused_or_stale_session_is_refused() {
        let setup = Setup::pool(PoolConfig {
            mfa: Mfa::Optional,
            ..PoolConfig::default()
        })
        .await;
        setup.user(
            UserConfig::new("alice")
                .password(PASSWORD)
                .attribute("phone_number", "+15555550100")
                .mfa(MfaMethod::Sms),
        );
        let (status, body) = answer(&setup, "Tue Mar 5 07:08:09 UTC 2024", PASSWORD, |_| {}).await;
        assert_eq!(
            (status, body["ChallengeName"].as_str()),
            (200, Some("SMS_MFA")),
            "{body}"
        );
        let session = body["Session"].as_str().unwrap().to_owned();
        let respond = |session: &str| {
            json!({"ClientId": setup.app.id, "ChallengeName": "SMS_MFA", "Session": session,
                   "ChallengeResponses": {"USERNAME": "alice", "SMS_MFA_CODE": setup.pool.last_code("alice").unwrap()}})
        };
        let (status, _) = setup.raw("RespondToAuthChallenge", respond(&session)).await;
        assert_eq!(status, 200);
        let (status, body) = setup.raw("RespondToAuthChallenge", respond(&session)).await;
        assert_eq!(status, 400);
        assert_eq!(body["__type"], "NotAuthorizedException");
        assert_eq!(body["message"], "Invalid session for the user.");

        let (_, body) = answer(&setup, "Tue Mar 5 07:08:09 UTC 2024", PASSWORD, |_| {}).await;
        let session = body["Session"].as_str().unwrap().to_owned();
        setup.emulator.advance_clock(Duration::from_secs(181));
        let (_, body) = setup.raw("RespondToAuthChallenge", respond(&session)).await;
        assert_eq!(body["__type"], "NotAuthorizedException");
        assert_eq!(
            body["message"],
            "Invalid session for the user, session is expired."
        );
    }
}

/// Answers the service refuses but keeps open come back typed, to be answered again.
mod retries {
    use cognito_typestate::challenges::{NewPasswordRequired, SmsMfa};
    use cognito_typestate::{Pending, Rejected};

    use super::*;

    /// A code that is not `code`.
    fn other_than(code: &str) -> String {
        format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
    }

    /// The refused answer's challenge, to answer again; panics on anything else.
    fn again<P, T: std::fmt::Debug>(result: Result<T, Rejected<P>>) -> P {
        match result {
            Err(Rejected::Retry { pending, error }) => {
                assert_eq!(error.kind(), ServiceErrorKind::CodeMismatch);
                pending
            }
            other => panic!("expected a retry, got {other:?}"),
        }
    }

    async fn sms_user() -> (Setup, Pending<SmsMfa>) {
        let setup = Setup::pool(PoolConfig {
            mfa: Mfa::On,
            ..PoolConfig::default()
        })
        .await;
        setup.user(
            UserConfig::new("sam")
                .password(PASSWORD)
                .attribute("phone_number", "+15555550123")
                .mfa(MfaMethod::Sms),
        );
        let AfterPassword::SmsMfa(sms) = setup
            .client()
            .initiate(UserSrpAuth::new("sam", PASSWORD))
            .await
            .unwrap()
        else {
            panic!("expected SMS_MFA");
        };
        (setup, sms)
    }

    #[tokio::test]
    async fn a_mistyped_sms_code_is_answered_again_in_the_same_session() {
        let (setup, sms) = sms_user().await;
        let code = setup.pool.last_code("sam").unwrap();
        let sent = setup.emulator.outbox().len();
        assert_eq!((sms.attempt(), sms.rejection()), (1, None));
        let sms = again(sms.respond(SmsMfaCode::new(other_than(&code))).await);
        assert_eq!(sms.attempt(), 2);
        assert_eq!(
            sms.rejection().map(cognito_typestate::ServiceError::kind),
            Some(ServiceErrorKind::CodeMismatch)
        );
        // No new message: the code sent first is still the one.
        assert_eq!(setup.emulator.outbox().len(), sent);
        // A retried state can be stored between two requests like any other.
        let stored = serde_json::to_string(&sms.detach()).unwrap();
        let sms = serde_json::from_str::<cognito_typestate::Detached<SmsMfa>>(&stored)
            .unwrap()
            .attach(&setup.client())
            .unwrap();
        assert_eq!(sms.attempt(), 2);
        let AfterMfa::Authenticated(_) = sms.respond(SmsMfaCode::new(code)).await.unwrap() else {
            panic!("expected tokens");
        };
    }

    #[tokio::test]
    async fn a_spent_session_is_not_offered_again() {
        let (setup, mut sms) = sms_user().await;
        let code = setup.pool.last_code("sam").unwrap();
        // The emulator takes three answers per session; the service documents no limit,
        // so the spent session shows on the next answer, which has no state to retry.
        for _ in 0..3 {
            sms = again(sms.respond(SmsMfaCode::new(other_than(&code))).await);
        }
        match sms.respond(SmsMfaCode::new(code)).await {
            Err(Rejected::Failed(e)) => {
                assert_eq!(e.service_kind(), Some(ServiceErrorKind::NotAuthorized));
            }
            other => panic!("expected the session to be spent, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn totp_email_and_texted_first_factor_codes_are_answered_again() {
        let setup = Setup::pool(PoolConfig {
            mfa: Mfa::Optional,
            ..PoolConfig::default()
        })
        .await;
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        setup.user(
            UserConfig::new("tom")
                .password(PASSWORD)
                .totp_secret(secret),
        );
        setup.user(
            UserConfig::new("eve")
                .password(PASSWORD)
                .attribute("email", "eve@example.com")
                .mfa(MfaMethod::Email),
        );
        setup.user(
            UserConfig::new("sid")
                .password(PASSWORD)
                .attribute("phone_number", "+15555550177"),
        );
        let client = setup.client();

        let AfterPassword::SoftwareTokenMfa(totp) = client
            .initiate(UserSrpAuth::new("tom", PASSWORD))
            .await
            .unwrap()
        else {
            panic!("expected SOFTWARE_TOKEN_MFA");
        };
        let totp = again(
            totp.respond(SoftwareTokenMfaCode::new(other_than(&totp_now(secret))))
                .await,
        );
        let AfterMfa::Authenticated(_) = totp
            .respond(SoftwareTokenMfaCode::new(totp_now(secret)))
            .await
            .unwrap()
        else {
            panic!("expected tokens after TOTP");
        };

        let AfterPassword::EmailOtp(email) = client
            .initiate(UserSrpAuth::new("eve", PASSWORD))
            .await
            .unwrap()
        else {
            panic!("expected EMAIL_OTP");
        };
        let code = setup.pool.last_code("eve").unwrap();
        let email = again(email.respond(EmailOtpCode::new(other_than(&code))).await);
        let AfterMfa::Authenticated(_) = email.respond(EmailOtpCode::new(code)).await.unwrap()
        else {
            panic!("expected tokens after EMAIL_OTP");
        };

        let FirstFactorOutcome::SelectChallenge(select) =
            client.initiate(UserAuth::new("sid")).await.unwrap()
        else {
            panic!("expected SELECT_CHALLENGE");
        };
        let choice = select.challenge().sms_otp().unwrap();
        let FirstFactorOutcome::SmsOtp(otp) = select.respond(choice).await.unwrap() else {
            panic!("expected SMS_OTP")
        };
        let code = setup.pool.last_code("sid").unwrap();
        let otp = again(otp.respond(SmsOtpCode::new(other_than(&code))).await);
        let AfterMfa::Authenticated(_) = otp.respond(SmsOtpCode::new(code)).await.unwrap() else {
            panic!("expected tokens after SMS_OTP");
        };
    }

    #[tokio::test]
    async fn a_refused_new_password_and_a_wrong_set_up_code_are_answered_again() {
        let setup = Setup::pool(PoolConfig {
            mfa: Mfa::On,
            mfa_methods: vec![MfaMethod::SoftwareToken],
            ..PoolConfig::default()
        })
        .await;
        setup.user(UserConfig::new("nat").temporary_password("Temp0rary-pw!"));
        let AfterPassword::NewPasswordRequired(pending) = setup
            .client()
            .initiate(UserSrpAuth::new("nat", "Temp0rary-pw!"))
            .await
            .unwrap()
        else {
            panic!("expected NEW_PASSWORD_REQUIRED");
        };
        let pending: Pending<NewPasswordRequired> =
            match pending.respond(NewPassword::new("short")).await {
                Err(Rejected::Retry { pending, error }) => {
                    assert_eq!(error.kind(), ServiceErrorKind::InvalidPassword);
                    pending
                }
                other => panic!("expected a retry, got {other:?}"),
            };
        let AfterNewPassword::MfaSetup(mfa_setup) =
            pending.respond(NewPassword::new(PASSWORD)).await.unwrap()
        else {
            panic!("expected MFA_SETUP");
        };
        let totp = mfa_setup.associate_software_token().await.unwrap();
        let secret = totp.secret_code().expose().to_owned();
        let totp = match totp.verify(other_than(&totp_now(&secret)), None).await {
            Err(Rejected::Retry { pending, error }) => {
                assert_eq!(error.kind(), ServiceErrorKind::EnableSoftwareTokenMfa);
                pending
            }
            other => panic!("expected a retry, got {other:?}"),
        };
        assert_eq!(totp.attempt(), 2);
        let AfterMfaSetup::Authenticated(_) = totp.verify(totp_now(&secret), None).await.unwrap()
        else {
            panic!("expected tokens after MFA_SETUP");
        };
    }
}

/// Flows read their answers as the application's own outcome, listing only what its
/// pool produces.
mod pool_shaped {
    use cognito_typestate::challenges::{NewPasswordRequired, SoftwareTokenMfa};
    use cognito_typestate::{Outcome, Pending};

    use super::*;

    /// A pool without MFA: tokens, or a new password for a user an admin created.
    #[derive(Debug, Outcome)]
    enum NoMfa {
        Authenticated(Tokens),
        NewPasswordRequired(Pending<NewPasswordRequired>),
    }

    /// A pool where every user has an authenticator app.
    #[derive(Debug, Outcome)]
    enum TotpPool {
        Authenticated(Tokens),
        Totp(Pending<SoftwareTokenMfa>),
    }

    #[tokio::test]
    async fn a_pool_without_mfa_signs_in_with_a_two_variant_match() {
        let setup = Setup::plain().await;
        setup.user(UserConfig::new("ann").temporary_password("Temp0rary-pw!"));
        let client = setup.client();
        for (password, flow_password) in [("Temp0rary-pw!", true), (PASSWORD, false)] {
            let tokens = match client
                .initiate(UserSrpAuth::new("ann", password).outcome::<NoMfa>())
                .await
                .unwrap()
            {
                NoMfa::Authenticated(tokens) => tokens,
                NoMfa::NewPasswordRequired(pending) => {
                    assert!(flow_password, "asked for a new password twice");
                    match pending.respond(NewPassword::new(PASSWORD)).await.unwrap() {
                        AfterNewPassword::Authenticated(tokens) => tokens,
                        other => panic!("expected tokens, got {other:?}"),
                    }
                }
            };
            assert_eq!(tokens.username(), "ann");
        }
    }

    #[tokio::test]
    async fn a_state_the_application_left_out_arrives_typed_with_what_the_server_sent() {
        let setup = Setup::pool(PoolConfig {
            mfa: Mfa::On,
            ..PoolConfig::default()
        })
        .await;
        setup.user(
            UserConfig::new("sam")
                .password(PASSWORD)
                .attribute("phone_number", "+15555550123")
                .mfa(MfaMethod::Sms),
        );
        let sent = setup
            .client()
            .initiate(UserPasswordAuth::new("sam", PASSWORD).outcome::<TotpPool>())
            .await;
        let Err(Error::UnexpectedChallenge(unexpected)) = sent else {
            panic!("expected an unexpected challenge, got {sent:?}");
        };
        assert_eq!(unexpected.name, "SMS_MFA");
        assert_eq!(unexpected.expected, ["tokens", "SOFTWARE_TOKEN_MFA"]);
        assert_eq!(
            unexpected.parameters["CODE_DELIVERY_DESTINATION"],
            "+*******0123"
        );
        assert!(unexpected.session.is_some());
    }
}
