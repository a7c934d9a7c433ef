//! StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials,
//! DeleteWebAuthnCredential, and the emulator's admin view of passkeys.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_typestate_emulator::{AppClientConfig, PoolConfig, UserVerification, WebAuthnConfig};
use serde_json::{Value, json};

use crate::support::{Authenticator, ORIGIN, Setup, b64, passkey_pool};

#[tokio::test]
async fn registration_options_are_cognitos_json_and_the_passkey_is_listed() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let token = setup.access_token("alice").await;
    let options = setup.start(&token).await.unwrap();
    let sub = setup.pool.user("alice").unwrap().attributes["sub"].clone();
    assert_eq!(options["rp"]["id"], "localhost");
    assert!(options["rp"]["name"].is_string());
    assert_eq!(options["user"]["id"], b64(sub.as_bytes()));
    assert_eq!(options["user"]["name"], "alice");
    assert_eq!(options["user"]["displayName"], "alice");
    let challenge = options["challenge"].as_str().unwrap();
    assert!(challenge.len() >= 43 && !challenge.contains(['=', '+', '/']));
    let algs: Vec<i64> = options["pubKeyCredParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["type"], "public-key");
            p["alg"].as_i64().unwrap()
        })
        .collect();
    assert_eq!(algs, [-7, -257]);
    assert!(options["timeout"].as_u64().unwrap() > 0);
    assert_eq!(options["excludeCredentials"], json!([]));
    let selection = &options["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required");
    assert_eq!(selection["requireResidentKey"], true);
    assert_eq!(selection["userVerification"], "preferred");
    assert!(options.get("publicKey").is_none());

    let mut authenticator = Authenticator::new();
    let credential = authenticator.create(ORIGIN, &options).await;
    assert_eq!(
        setup.complete(&token, &credential).await.unwrap(),
        json!({})
    );

    let listed = setup
        .call("ListWebAuthnCredentials", json!({"AccessToken": token}))
        .await
        .unwrap();
    assert!(listed.get("NextToken").is_none(), "{listed}");
    let passkey = &listed["Credentials"][0];
    assert_eq!(passkey["CredentialId"], credential["id"]);
    assert_eq!(passkey["RelyingPartyId"], "localhost");
    assert_eq!(passkey["AuthenticatorAttachment"], "platform");
    assert_eq!(
        passkey["AuthenticatorTransports"],
        credential["response"]["transports"]
    );
    assert!(passkey["CreatedAt"].as_u64().unwrap() > 1_700_000_000);
    let summaries = setup.pool.passkeys("alice");
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].credential_id, credential["id"]);
    assert!(summaries[0].user_verified);

    // The next registration excludes it.
    let again = setup.start(&token).await.unwrap();
    assert_eq!(again["excludeCredentials"][0]["id"], credential["id"]);
    assert_eq!(again["excludeCredentials"][0]["type"], "public-key");
}

#[tokio::test]
async fn complete_needs_a_start_and_consumes_it() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let token = setup.access_token("alice").await;
    let no_start = setup
        .complete(&token, &json!({"id": "x"}))
        .await
        .unwrap_err();
    assert_eq!(no_start.code, "WebAuthnChallengeNotFoundException");

    let mut authenticator = Authenticator::new();
    let options = setup.start(&token).await.unwrap();
    let credential = authenticator.create(ORIGIN, &options).await;
    setup.complete(&token, &credential).await.unwrap();
    let twice = setup.complete(&token, &credential).await.unwrap_err();
    assert_eq!(twice.code, "WebAuthnChallengeNotFoundException");

    // A new Start replaces the pending one: the first options' answer is refused.
    let first = setup.start(&token).await.unwrap();
    let _second = setup.start(&token).await.unwrap();
    let stale = Authenticator::new().create(ORIGIN, &first).await;
    let refused = setup.complete(&token, &stale).await.unwrap_err();
    assert_eq!(refused.code, "WebAuthnChallengeNotFoundException");

    // A refused Complete consumes the registration too.
    let options = setup.start(&token).await.unwrap();
    let mut other = Authenticator::new();
    let foreign = other.create("http://sub.localhost:3000", &options).await;
    let refused = setup.complete(&token, &foreign).await.unwrap_err();
    assert_eq!(refused.code, "WebAuthnOriginNotAllowedException");
    let good = other.create(ORIGIN, &options).await;
    let gone = setup.complete(&token, &good).await.unwrap_err();
    assert_eq!(gone.code, "WebAuthnChallengeNotFoundException");

    // A registration waits five minutes on the emulator's clock.
    let options = setup.start(&token).await.unwrap();
    let late = Authenticator::new().create(ORIGIN, &options).await;
    setup.emulator.advance_clock(Duration::from_secs(301));
    let token = setup.access_token("alice").await;
    let expired = setup.complete(&token, &late).await.unwrap_err();
    assert_eq!(expired.code, "WebAuthnChallengeNotFoundException");
    assert_eq!(setup.pool.passkeys("alice").len(), 1);
}

#[tokio::test]
async fn a_registration_from_another_origin_or_for_another_rp_is_refused() {
    let setup =
        Setup::new(WebAuthnConfig::new("localhost").allowed_origin("https://example.com")).await;
    let token = setup.access_token("alice").await;
    let mut authenticator = Authenticator::new();
    let refused = setup
        .register(&token, &mut authenticator, "http://sub.localhost:3000")
        .await
        .unwrap_err();
    assert_eq!(refused.code, "WebAuthnOriginNotAllowedException");

    // An allowed origin, but the authenticator signs for its own rp id.
    let mut options = setup.start(&token).await.unwrap();
    options["rp"]["id"] = json!("example.com");
    let credential = authenticator.create("https://example.com", &options).await;
    let refused = setup.complete(&token, &credential).await.unwrap_err();
    assert_eq!(refused.code, "WebAuthnRelyingPartyMismatchException");

    // The default origins: https://<rp id> and http://localhost, any port.
    for origin in ["https://localhost:8443", "http://localhost:5173"] {
        let mut fresh = Authenticator::new();
        setup.register(&token, &mut fresh, origin).await.unwrap();
    }
    assert!(setup.pool.passkeys("alice").len() == 2);
}

#[tokio::test]
async fn required_verification_refuses_an_unverified_registration() {
    let setup =
        Setup::new(WebAuthnConfig::new("localhost").user_verification(UserVerification::Required))
            .await;
    let token = setup.access_token("alice").await;
    let mut options = setup.start(&token).await.unwrap();
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );
    // A client that ignores the requirement.
    options["authenticatorSelection"]["userVerification"] = json!("discouraged");
    let credential = Authenticator::new().create(ORIGIN, &options).await;
    let refused = setup.complete(&token, &credential).await.unwrap_err();
    assert_eq!(refused.code, "NotAuthorizedException", "{refused:?}");
    assert!(refused.message.contains("verified"), "{refused:?}");
    assert!(setup.pool.passkeys("alice").is_empty());
}

#[tokio::test]
async fn a_credential_registered_already_or_completed_through_another_client_is_refused() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let alice = setup.access_token("alice").await;
    let bob = setup.access_token("bob").await;
    let options = setup.start(&alice).await.unwrap();
    let credential = Authenticator::new().create(ORIGIN, &options).await;
    setup.complete(&alice, &credential).await.unwrap();
    // Alice's registration replayed for Bob: with `none` attestation nothing signs the
    // client data, so it can be rewritten for Bob's challenge.
    let options = setup.start(&bob).await.unwrap();
    let encoded = credential["response"]["clientDataJSON"].as_str().unwrap();
    let mut client_data: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(encoded).unwrap()).unwrap();
    client_data["challenge"] = options["challenge"].clone();
    let mut replayed = credential.clone();
    replayed["response"]["clientDataJSON"] = json!(b64(client_data.to_string().as_bytes()));
    let refused = setup.complete(&bob, &replayed).await.unwrap_err();
    assert_eq!(refused.code, "InvalidParameterException", "{refused:?}");
    assert!(
        refused.message.contains("registered already"),
        "{refused:?}"
    );
    assert!(setup.pool.passkeys("bob").is_empty());

    let other = setup
        .pool
        .create_client(AppClientConfig::new("mobile"))
        .unwrap();
    let elsewhere = setup.access_token_via(&other.id, "alice").await;
    let options = setup.start(&alice).await.unwrap();
    let credential = Authenticator::new().create(ORIGIN, &options).await;
    let refused = setup.complete(&elsewhere, &credential).await.unwrap_err();
    assert_eq!(refused.code, "WebAuthnClientMismatchException");
}

#[tokio::test]
async fn passkeys_need_a_relying_party_and_the_first_factor() {
    let missing = Setup::with(passkey_pool()).await;
    let token = missing.access_token("alice").await;
    let refused = missing.start(&token).await.unwrap_err();
    assert_eq!(refused.code, "WebAuthnConfigurationMissingException");
    let listed = missing
        .call("ListWebAuthnCredentials", json!({"AccessToken": token}))
        .await
        .unwrap();
    assert_eq!(listed, json!({"Credentials": []}));

    let disabled = Setup::with(PoolConfig {
        web_authn: Some(WebAuthnConfig::new("localhost")),
        ..PoolConfig::default()
    })
    .await;
    let token = disabled.access_token("alice").await;
    let refused = disabled.start(&token).await.unwrap_err();
    assert_eq!(refused.code, "WebAuthnNotEnabledException");
    let refused = disabled.complete(&token, &json!({})).await.unwrap_err();
    assert_eq!(refused.code, "WebAuthnNotEnabledException");

    let unsigned = disabled
        .refusal("StartWebAuthnRegistration", json!({"AccessToken": "nope"}))
        .await;
    assert_eq!(unsigned, "NotAuthorizedException");

    let emulator = cognito_typestate_emulator::Emulator::start().await.unwrap();
    for bad in [
        WebAuthnConfig::new(""),
        WebAuthnConfig::new("https://example.com"),
        WebAuthnConfig::new("localhost").allowed_origin("not an origin"),
    ] {
        let config = PoolConfig {
            web_authn: Some(bad),
            ..PoolConfig::default()
        };
        assert!(emulator.create_pool(config).is_err());
    }
}

#[tokio::test]
async fn listing_pages_and_deleting() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let token = setup.access_token("alice").await;
    let (mut first, mut second) = (Authenticator::new(), Authenticator::new());
    setup.register(&token, &mut first, ORIGIN).await.unwrap();
    setup.register(&token, &mut second, ORIGIN).await.unwrap();

    let list = |body: Value| setup.call("ListWebAuthnCredentials", body);
    let page = list(json!({"AccessToken": token, "MaxResults": 1}))
        .await
        .unwrap();
    assert_eq!(page["Credentials"].as_array().unwrap().len(), 1);
    let next = page["NextToken"].clone();
    assert!(next.is_string(), "{page}");
    let rest = list(json!({"AccessToken": token, "MaxResults": 1, "NextToken": next}))
        .await
        .unwrap();
    assert_eq!(rest["Credentials"].as_array().unwrap().len(), 1);
    assert!(rest.get("NextToken").is_none(), "{rest}");
    let ids: Vec<Value> = [&page, &rest]
        .iter()
        .map(|p| p["Credentials"][0]["CredentialId"].clone())
        .collect();
    assert_ne!(ids[0], ids[1]);
    let all = list(json!({"AccessToken": token})).await.unwrap();
    assert_eq!(all["Credentials"].as_array().unwrap().len(), 2);
    for bad in [
        json!({"MaxResults": 0}),
        json!({"MaxResults": 21}),
        json!({"NextToken": "?"}),
    ] {
        let mut body = bad;
        body["AccessToken"] = json!(token);
        assert_eq!(
            setup.refusal("ListWebAuthnCredentials", body).await,
            "InvalidParameterException"
        );
    }

    let unknown = setup
        .refusal(
            "DeleteWebAuthnCredential",
            json!({"AccessToken": token, "CredentialId": "bm90LWEtcGFzc2tleQ"}),
        )
        .await;
    assert_eq!(unknown, "ResourceNotFoundException");
    let deleted = setup
        .call(
            "DeleteWebAuthnCredential",
            json!({"AccessToken": token, "CredentialId": ids[0]}),
        )
        .await
        .unwrap();
    assert_eq!(deleted, json!({}));
    // The page token still finds the passkey after the deleted one.
    let rest = list(json!({"AccessToken": token, "NextToken": next}))
        .await
        .unwrap();
    assert_eq!(rest["Credentials"][0]["CredentialId"], ids[1]);

    // The emulator's admin view, over HTTP and in Rust.
    let admin = setup
        .call(
            "AdminListWebAuthnCredentials",
            json!({"UserPoolId": setup.pool.id(), "Username": "alice"}),
        )
        .await
        .unwrap();
    assert_eq!(admin["Credentials"][0]["CredentialId"], ids[1]);
    assert!(!setup.pool.delete_passkey("alice", "bm90LWEtcGFzc2tleQ"));
    assert!(setup.pool.delete_passkey("alice", ids[1].as_str().unwrap()));
    assert!(setup.pool.passkeys("alice").is_empty());
    let gone = setup
        .refusal(
            "AdminDeleteWebAuthnCredential",
            json!({"UserPoolId": setup.pool.id(), "Username": "alice", "CredentialId": ids[1]}),
        )
        .await;
    assert_eq!(gone, "ResourceNotFoundException");
}

#[tokio::test]
async fn passkeys_set_up_over_http_admin_calls() {
    let setup = Setup::with(PoolConfig::default()).await;
    let configured = setup
        .call(
            "SetUserPoolMfaConfig",
            json!({
                "UserPoolId": setup.pool.id(),
                "MfaConfiguration": "OFF",
                "WebAuthnConfiguration": {"RelyingPartyId": "localhost", "UserVerification": "required"},
            }),
        )
        .await
        .unwrap();
    assert_eq!(
        configured["WebAuthnConfiguration"],
        json!({"RelyingPartyId": "localhost", "UserVerification": "required", "FactorConfiguration": "SINGLE_FACTOR"})
    );
    let token = setup.access_token("alice").await;
    // WEB_AUTHN is not among the default first factors.
    assert_eq!(
        setup.start(&token).await.unwrap_err().code,
        "WebAuthnNotEnabledException"
    );
    let created = setup
        .call(
            "CreateUserPool",
            json!({
                "PoolName": "passkeys",
                "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
            }),
        )
        .await
        .unwrap();
    assert!(created["UserPool"]["Id"].is_string());
}
