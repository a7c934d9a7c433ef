//! `WEB_AUTHN` as USER_AUTH's first factor: preferred or chosen, its refusals, and how
//! it stands to MFA.

use cognito_typestate_emulator::{FactorConfiguration, UserConfig, WebAuthnConfig};
use serde_json::{Value, json};

use crate::support::{Authenticator, ORIGIN, PASSWORD, Setup, request_options};

fn tokens(answer: &Value) -> &Value {
    let result = &answer["AuthenticationResult"];
    assert!(result["AccessToken"].is_string(), "{answer}");
    assert!(result["RefreshToken"].is_string(), "{answer}");
    result
}

fn available(answer: &Value) -> Vec<&str> {
    assert_eq!(answer["ChallengeName"], "SELECT_CHALLENGE", "{answer}");
    answer["AvailableChallenges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect()
}

async fn set_mfa(setup: &Setup, mfa: &str) {
    setup
        .call(
            "SetUserPoolMfaConfig",
            json!({"UserPoolId": setup.pool.id(), "MfaConfiguration": mfa}),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_passkey_signs_in_preferred_or_chosen() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let mut authenticator = Authenticator::new();
    // Before a passkey: not offered, and preferring it falls back to the choice.
    let fallback = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    assert!(!available(&fallback).contains(&"WEB_AUTHN"));
    setup.enrolled("alice", &mut authenticator).await;
    let credential_id = setup.pool.passkeys("alice")[0].credential_id.clone();

    let challenge = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    assert_eq!(challenge["ChallengeName"], "WEB_AUTHN");
    let options = request_options(&challenge);
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["userVerification"], "preferred");
    assert!(options["timeout"].as_u64().unwrap() > 0);
    assert!(options["challenge"].as_str().unwrap().len() >= 43);
    assert_eq!(options["allowCredentials"][0]["type"], "public-key");
    assert_eq!(options["allowCredentials"][0]["id"], credential_id.as_str());
    assert!(options["allowCredentials"][0]["transports"].is_array());
    let answer = setup
        .answer_web_authn("alice", &challenge, &mut authenticator, ORIGIN)
        .await
        .unwrap();
    tokens(&answer);

    let select = setup.user_auth("alice", None).await.unwrap();
    assert!(available(&select).contains(&"WEB_AUTHN"));
    let challenge = setup
        .respond(
            "SELECT_CHALLENGE",
            &select["Session"],
            json!({"USERNAME": "alice", "ANSWER": "WEB_AUTHN"}),
        )
        .await
        .unwrap();
    let answer = setup
        .answer_web_authn("alice", &challenge, &mut authenticator, ORIGIN)
        .await
        .unwrap();
    tokens(&answer);
}

#[tokio::test]
async fn an_assertion_is_good_once_for_its_own_session() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let mut authenticator = Authenticator::new();
    setup.enrolled("alice", &mut authenticator).await;
    let challenge = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    let credential = authenticator
        .get(ORIGIN, &request_options(&challenge))
        .await;
    let session = &challenge["Session"];
    tokens(
        &setup
            .send_assertion("alice", session, &credential)
            .await
            .unwrap(),
    );
    let again = setup
        .send_assertion("alice", session, &credential)
        .await
        .unwrap_err();
    assert_eq!(again.code, "NotAuthorizedException");

    // Replayed into a new sign-in: it signs another challenge, and the sign-in ends.
    let fresh = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    let replayed = setup
        .send_assertion("alice", &fresh["Session"], &credential)
        .await
        .unwrap_err();
    assert_eq!(replayed.code, "NotAuthorizedException");
    assert!(replayed.message.contains("challenge"), "{replayed:?}");
    let after = setup
        .answer_web_authn("alice", &fresh, &mut authenticator, ORIGIN)
        .await
        .unwrap_err();
    assert_eq!(after.code, "NotAuthorizedException");
    assert!(after.message.contains("session"), "{after:?}");
}

#[tokio::test]
async fn a_wrong_origin_another_users_passkey_or_a_cloned_counter_is_refused() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let mut alice = Authenticator::new().counting();
    setup.enrolled("alice", &mut alice).await;
    let challenge = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    let refused = setup
        .answer_web_authn("alice", &challenge, &mut alice, "http://sub.localhost:3000")
        .await
        .unwrap_err();
    assert_eq!(refused.code, "NotAuthorizedException");
    assert!(refused.message.contains("origin"), "{refused:?}");

    // Bob's sign-in answered with Alice's passkey (the options tampered to name it).
    let mut bob = Authenticator::new();
    setup.enrolled("bob", &mut bob).await;
    let challenge = setup.user_auth("bob", Some("WEB_AUTHN")).await.unwrap();
    let mut options = request_options(&challenge);
    options["allowCredentials"][0]["id"] = json!(setup.pool.passkeys("alice")[0].credential_id);
    let credential = alice.get(ORIGIN, &options).await;
    let refused = setup
        .send_assertion("bob", &challenge["Session"], &credential)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "NotAuthorizedException");
    assert!(refused.message.contains("another user"), "{refused:?}");

    // A copy of Alice's key, whose counter lags behind the original's.
    let mut clone = alice.clone_keys();
    tokens(&setup.passkey_sign_in("alice", &mut alice).await.unwrap());
    tokens(&setup.passkey_sign_in("alice", &mut alice).await.unwrap());
    let counted = setup.pool.passkeys("alice")[0].sign_count;
    assert!(counted >= 2, "{counted}");
    let refused = setup
        .passkey_sign_in("alice", &mut clone)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "NotAuthorizedException");
    assert!(refused.message.contains("counter"), "{refused:?}");
    assert_eq!(setup.pool.passkeys("alice")[0].sign_count, counted);
}

#[tokio::test]
async fn a_deleted_passkey_is_no_longer_offered() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let mut authenticator = Authenticator::new();
    setup.enrolled("alice", &mut authenticator).await;
    let pending = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    let id = setup.pool.passkeys("alice")[0].credential_id.clone();
    let token = setup.access_token("alice").await;
    setup
        .call(
            "DeleteWebAuthnCredential",
            json!({"AccessToken": token, "CredentialId": id}),
        )
        .await
        .unwrap();
    // A sign-in started before the deletion cannot finish with it.
    let refused = setup
        .answer_web_authn("alice", &pending, &mut authenticator, ORIGIN)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "NotAuthorizedException");
    let select = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    assert_eq!(available(&select), ["PASSWORD", "PASSWORD_SRP"]);
}

#[tokio::test]
async fn an_unverified_passkey_signs_in_as_one_factor() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let mut authenticator = Authenticator::unverifying();
    setup.enrolled("alice", &mut authenticator).await;
    assert!(!setup.pool.passkeys("alice")[0].user_verified);
    tokens(
        &setup
            .passkey_sign_in("alice", &mut authenticator)
            .await
            .unwrap(),
    );

    // A passkey registered verified must stay verified.
    let mut verified = Authenticator::new();
    setup.enrolled("bob", &mut verified).await;
    let challenge = setup.user_auth("bob", Some("WEB_AUTHN")).await.unwrap();
    let mut options = request_options(&challenge);
    options["userVerification"] = json!("discouraged");
    let credential = verified.get(ORIGIN, &options).await;
    let refused = setup
        .send_assertion("bob", &challenge["Session"], &credential)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "NotAuthorizedException");
}

#[tokio::test]
async fn a_verified_passkey_satisfies_required_mfa() {
    let config = WebAuthnConfig::new("localhost")
        .factor_configuration(FactorConfiguration::MultiFactorWithUserVerification);
    let setup = Setup::new(config).await;
    let mut authenticator = Authenticator::unverifying();
    setup.enrolled("alice", &mut authenticator).await;
    set_mfa(&setup, "ON").await;
    assert!(available(&setup.user_auth("alice", None).await.unwrap()).contains(&"WEB_AUTHN"));

    let challenge = setup.user_auth("alice", Some("WEB_AUTHN")).await.unwrap();
    let mut options = request_options(&challenge);
    assert_eq!(options["userVerification"], "required");
    // A client that skips verification is refused.
    options["userVerification"] = json!("discouraged");
    let credential = authenticator.get(ORIGIN, &options).await;
    let refused = setup
        .send_assertion("alice", &challenge["Session"], &credential)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "NotAuthorizedException");
    assert!(refused.message.contains("verified"), "{refused:?}");

    // Verified: tokens, and no MFA challenge although MFA is required.
    tokens(
        &setup
            .passkey_sign_in("alice", &mut authenticator)
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn a_single_factor_passkey_is_refused_while_mfa_is_required() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let mut authenticator = Authenticator::new();
    setup.enrolled("alice", &mut authenticator).await;
    set_mfa(&setup, "ON").await;
    let refused = setup
        .user_auth("alice", Some("WEB_AUTHN"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, "InvalidParameterException");
    let select = setup.user_auth("alice", None).await.unwrap();
    assert!(!available(&select).contains(&"WEB_AUTHN"));
    let refused = setup
        .respond(
            "SELECT_CHALLENGE",
            &select["Session"],
            json!({"USERNAME": "alice", "ANSWER": "WEB_AUTHN"}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code, "InvalidParameterException");
}

#[tokio::test]
async fn a_passkey_sign_in_asks_for_no_mfa() {
    let setup = Setup::new(WebAuthnConfig::new("localhost")).await;
    let carol = UserConfig::new("carol")
        .password(PASSWORD)
        .totp_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    setup.pool.create_user(carol).unwrap();
    let mut authenticator = Authenticator::new();
    setup.enrolled("carol", &mut authenticator).await;
    set_mfa(&setup, "OPTIONAL").await;
    let password = setup
        .call(
            "InitiateAuth",
            json!({
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": setup.client_id,
                "AuthParameters": {"USERNAME": "carol", "PASSWORD": PASSWORD},
            }),
        )
        .await
        .unwrap();
    assert_eq!(password["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    tokens(
        &setup
            .passkey_sign_in("carol", &mut authenticator)
            .await
            .unwrap(),
    );
}
