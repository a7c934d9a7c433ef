//! Passkeys end to end with the typed client: a software authenticator registers a
//! passkey with the emulator (a WebAuthn relying party verifying with webauthn-rs) and
//! signs in with it, preferred or chosen in SELECT_CHALLENGE; listing and deleting;
//! what the relying party refuses comes back as typed errors.

use cognito_typestate::challenges::{AfterMfa, FirstFactor, FirstFactorOutcome};
use cognito_typestate::flows::{UserAuth, UserPasswordAuth};
use cognito_typestate::webauthn::{Authenticator as _, SoftwareAuthenticator};
use cognito_typestate::{Client, Error, ServiceErrorKind, Tokens};
use cognito_typestate_emulator::{
    FactorConfiguration, FirstFactor as PoolFactor, Mfa, PoolConfig, UserConfig, UserVerification,
    WebAuthnConfig,
};

mod common;
#[path = "support/setup.rs"]
mod setup;

use setup::Setup;

const PASSWORD: &str = "Corr3ct-horse!";
const ORIGIN: &str = "http://localhost:3000";

/// A pool whose relying party is `localhost`, with passkeys among the first factors.
fn pool(passkeys: WebAuthnConfig) -> PoolConfig {
    let mut pool = PoolConfig {
        web_authn: Some(passkeys),
        ..PoolConfig::default()
    };
    pool.first_factors.push(PoolFactor::WebAuthn);
    pool
}

impl Setup {
    async fn passkeys(passkeys: WebAuthnConfig) -> Self {
        let setup = Self::pool(pool(passkeys)).await;
        setup
            .pool
            .create_user(UserConfig::new("alice").password(PASSWORD))
            .unwrap();
        setup
    }

    async fn password_sign_in(&self) -> Tokens {
        let flow = UserPasswordAuth::new("alice", PASSWORD);
        match self.client().initiate(flow).await.unwrap() {
            cognito_typestate::challenges::AfterPassword::Authenticated(tokens) => tokens,
            other => panic!("expected tokens, got {other:?}"),
        }
    }
}

/// Registers a new passkey of `authenticator` for alice.
async fn register(client: &Client, tokens: &Tokens, authenticator: &mut SoftwareAuthenticator) {
    let registration = client.start_passkey_registration(tokens).await.unwrap();
    let credential = authenticator.create(registration.options()).await.unwrap();
    registration.complete(credential).await.unwrap();
}

/// `USER_AUTH` preferring `WEB_AUTHN`, answered by `authenticator`.
async fn passkey_sign_in(
    client: &Client,
    authenticator: &mut SoftwareAuthenticator,
) -> Result<AfterMfa, Error> {
    let flow = UserAuth::new("alice").prefer(FirstFactor::WebAuthn);
    let FirstFactorOutcome::WebAuthn(pending) = client.initiate(flow).await? else {
        panic!("expected WEB_AUTHN");
    };
    let assertion = pending
        .challenge()
        .assert_with(authenticator)
        .await
        .unwrap();
    Ok(pending.respond(assertion).await?)
}

fn signed_in(after: AfterMfa) -> Tokens {
    match after {
        AfterMfa::Authenticated(tokens) => tokens,
        other @ AfterMfa::DeviceSrpAuth(_) => panic!("expected tokens, got {other:?}"),
    }
}

fn service_kind(error: &Error) -> ServiceErrorKind {
    match error {
        Error::Service(e) => e.kind(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn register_sign_in_list_and_delete() {
    let setup = Setup::passkeys(WebAuthnConfig::new("localhost")).await;
    let client = setup.client();
    let tokens = setup.password_sign_in().await;
    let mut authenticator = SoftwareAuthenticator::new(ORIGIN).unwrap();
    let registration = client.start_passkey_registration(&tokens).await.unwrap();
    assert_eq!(registration.options().rp.id.as_deref(), Some("localhost"));
    let credential = authenticator.create(registration.options()).await.unwrap();
    registration.complete(credential).await.unwrap();

    let listed = client.list_passkeys(&tokens).await.unwrap();
    let ids: Vec<_> = authenticator.credential_ids();
    assert_eq!(listed.len(), 1);
    let id = serde_json::to_value(&ids[0]).unwrap();
    assert_eq!(listed[0].credential_id, id.as_str().unwrap());
    assert_eq!(listed[0].relying_party_id.as_deref(), Some("localhost"));

    let tokens = signed_in(passkey_sign_in(&client, &mut authenticator).await.unwrap());
    assert_eq!(tokens.username(), "alice");
    // Twice: the sign counter moved on and the relying party accepted it.
    signed_in(passkey_sign_in(&client, &mut authenticator).await.unwrap());

    client
        .delete_passkey(&tokens, &listed[0].credential_id)
        .await
        .unwrap();
    assert!(client.list_passkeys(&tokens).await.unwrap().is_empty());
    // Without a passkey WEB_AUTHN is not what follows.
    let flow = UserAuth::new("alice").prefer(FirstFactor::WebAuthn);
    assert!(!matches!(
        client.initiate(flow).await,
        Ok(FirstFactorOutcome::WebAuthn(_))
    ));
}

#[tokio::test]
async fn passkey_chosen_in_select_challenge() {
    let setup = Setup::passkeys(WebAuthnConfig::new("localhost")).await;
    let client = setup.client();
    let tokens = setup.password_sign_in().await;
    let mut authenticator = SoftwareAuthenticator::new(ORIGIN).unwrap();
    register(&client, &tokens, &mut authenticator).await;

    let FirstFactorOutcome::SelectChallenge(select) =
        client.initiate(UserAuth::new("alice")).await.unwrap()
    else {
        panic!("expected SELECT_CHALLENGE");
    };
    let choice = select.challenge().web_authn().expect("WEB_AUTHN offered");
    let FirstFactorOutcome::WebAuthn(pending) = select.respond(choice).await.unwrap() else {
        panic!("expected WEB_AUTHN");
    };
    let assertion = pending
        .challenge()
        .assert_with(&mut authenticator)
        .await
        .unwrap();
    signed_in(pending.respond(assertion).await.unwrap());
}

#[tokio::test]
async fn origins_the_relying_party_does_not_allow_are_refused() {
    // Relying party example.com; pages on app.example.com are allowed, no others.
    let setup = Setup::passkeys(
        WebAuthnConfig::new("example.com").allowed_origin("https://app.example.com"),
    )
    .await;
    let client = setup.client();
    let tokens = setup.password_sign_in().await;

    // shop.example.com may use example.com's passkeys as far as the browser is
    // concerned; the relying party does not allow it.
    let registration = client.start_passkey_registration(&tokens).await.unwrap();
    let mut shop = SoftwareAuthenticator::new("https://shop.example.com").unwrap();
    let credential = shop.create(registration.options()).await.unwrap();
    let refused = registration.complete(credential).await.unwrap_err();
    assert_eq!(
        service_kind(&refused),
        ServiceErrorKind::WebAuthnOriginNotAllowed
    );

    let mut app = SoftwareAuthenticator::new("https://app.example.com").unwrap();
    register(&client, &tokens, &mut app).await;
    signed_in(passkey_sign_in(&client, &mut app).await.unwrap());
    // The same key, signing for shop.example.com.
    let mut moved = SoftwareAuthenticator::from_json(
        &app.to_json()
            .expose()
            .replace("https://app.example.com", "https://shop.example.com"),
    )
    .unwrap();
    let refused = passkey_sign_in(&client, &mut moved).await.unwrap_err();
    assert!(
        matches!(
            service_kind(&refused),
            ServiceErrorKind::WebAuthnOriginNotAllowed | ServiceErrorKind::NotAuthorized
        ),
        "{refused}"
    );
}

#[tokio::test]
async fn required_user_verification_refuses_an_unverified_passkey() {
    let setup = Setup::passkeys(
        WebAuthnConfig::new("localhost").user_verification(UserVerification::Required),
    )
    .await;
    let client = setup.client();
    let tokens = setup.password_sign_in().await;
    let registration = client.start_passkey_registration(&tokens).await.unwrap();
    // An authenticator that cannot verify refuses what the pool asks for; a client
    // that tells it verification is not needed gets a credential the pool refuses.
    let mut unverified = SoftwareAuthenticator::new(ORIGIN)
        .unwrap()
        .without_user_verification();
    assert!(unverified.create(registration.options()).await.is_err());
    let mut lowered = registration.options().clone();
    let selection = lowered
        .authenticator_selection
        .get_or_insert_with(Default::default);
    assert_eq!(
        selection.user_verification,
        Some(cognito_typestate::webauthn::UserVerification::Required)
    );
    selection.user_verification = Some(cognito_typestate::webauthn::UserVerification::Discouraged);
    let credential = unverified.create(&lowered).await.unwrap();
    registration.complete(credential).await.unwrap_err();
    assert!(client.list_passkeys(&tokens).await.unwrap().is_empty());

    let mut verified = SoftwareAuthenticator::new(ORIGIN).unwrap();
    register(&client, &tokens, &mut verified).await;
    signed_in(passkey_sign_in(&client, &mut verified).await.unwrap());
}

#[tokio::test]
async fn a_verified_passkey_satisfies_required_mfa() {
    let mut config = pool(
        WebAuthnConfig::new("localhost")
            .factor_configuration(FactorConfiguration::MultiFactorWithUserVerification),
    );
    config.mfa = Mfa::On;
    let setup = Setup::pool(config).await;
    setup
        .pool
        .create_user(
            UserConfig::new("alice")
                .password(PASSWORD)
                .totp_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
                .mfa(cognito_typestate_emulator::MfaMethod::SoftwareToken),
        )
        .unwrap();
    let client = setup.client();
    // The password sign-in needs the authenticator app's code...
    let flow = UserPasswordAuth::new("alice", PASSWORD);
    let cognito_typestate::challenges::AfterPassword::SoftwareTokenMfa(totp) =
        client.initiate(flow).await.unwrap()
    else {
        panic!("expected SOFTWARE_TOKEN_MFA");
    };
    let code = totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        totp_rs::Secret::Encoded("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into())
            .to_bytes()
            .unwrap(),
    )
    .generate_current()
    .unwrap();
    let tokens = signed_in(
        totp.respond(cognito_typestate::challenges::SoftwareTokenMfaCode::new(
            code,
        ))
        .await
        .unwrap(),
    );
    let mut authenticator = SoftwareAuthenticator::new(ORIGIN).unwrap();
    register(&client, &tokens, &mut authenticator).await;
    // ...the passkey's sign-in does not: tokens straight after WEB_AUTHN.
    signed_in(passkey_sign_in(&client, &mut authenticator).await.unwrap());
}

#[tokio::test]
async fn passkeys_not_configured_is_a_typed_error() {
    let setup = Setup::pool(PoolConfig::default()).await;
    setup
        .pool
        .create_user(UserConfig::new("alice").password(PASSWORD))
        .unwrap();
    let tokens = setup.password_sign_in().await;
    let refused = setup
        .client()
        .start_passkey_registration(&tokens)
        .await
        .unwrap_err();
    assert!(matches!(
        service_kind(&refused),
        ServiceErrorKind::WebAuthnConfigurationMissing | ServiceErrorKind::WebAuthnNotEnabled
    ));
}
