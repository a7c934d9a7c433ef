//! The relying party built from a pool's settings. Registration and sign-in themselves
//! are tested over HTTP with a software authenticator (tests/passkeys/).

use url::Url;
use webauthn_rs_core::WebauthnCore;
use webauthn_rs_core::proto::UserVerificationPolicy;

use crate::config::{FactorConfiguration, UserVerification, WebAuthnConfig};

use super::{assertion_policy, check_config, origins, registration_policy};

fn allowed(config: &WebAuthnConfig, origin: &str) -> bool {
    let origin = Url::parse(origin).unwrap();
    origins(config)
        .unwrap()
        .iter()
        .any(|allowed| WebauthnCore::origins_match(false, true, &origin, allowed))
}

#[test]
fn default_origins_are_the_rp_id_over_https_and_localhost_over_http() {
    let localhost = WebAuthnConfig::new("localhost");
    for origin in [
        "http://localhost:3000",
        "https://localhost",
        "https://localhost:8443",
    ] {
        assert!(allowed(&localhost, origin), "{origin}");
    }
    for origin in [
        "http://127.0.0.1:3000",
        "http://sub.localhost:3000",
        "ftp://localhost",
    ] {
        assert!(!allowed(&localhost, origin), "{origin}");
    }
    let domain = WebAuthnConfig::new("example.com").allowed_origin("https://app.example.org");
    for origin in [
        "https://example.com",
        "https://example.com:444",
        "https://app.example.org",
    ] {
        assert!(allowed(&domain, origin), "{origin}");
    }
    for origin in [
        "http://example.com",
        "https://www.example.com",
        "http://localhost",
    ] {
        assert!(!allowed(&domain, origin), "{origin}");
    }
}

#[test]
fn a_relying_party_must_be_a_domain_with_http_origins() {
    assert!(check_config(&WebAuthnConfig::new("localhost")).is_ok());
    assert!(check_config(&WebAuthnConfig::new("auth.example.com")).is_ok());
    for bad in [
        "",
        "https://example.com",
        "example.com:443",
        "exa mple.com",
        "Example.com",
    ] {
        let refused = check_config(&WebAuthnConfig::new(bad)).unwrap_err();
        assert_eq!(refused.code, "InvalidParameterException", "{bad:?}");
    }
    for bad in ["example.com", "mailto:a@example.com", "not an origin"] {
        let config = WebAuthnConfig::new("example.com").allowed_origin(bad);
        assert!(check_config(&config).is_err(), "{bad:?}");
    }
}

#[test]
fn a_passkey_that_counts_as_mfa_must_be_verified() {
    let preferred = WebAuthnConfig::new("localhost");
    assert_eq!(
        registration_policy(&preferred),
        UserVerificationPolicy::Preferred
    );
    assert_eq!(
        assertion_policy(&preferred),
        UserVerificationPolicy::Preferred
    );
    let required = preferred
        .clone()
        .user_verification(UserVerification::Required);
    assert_eq!(
        assertion_policy(&required),
        UserVerificationPolicy::Required
    );
    let mfa = preferred.factor_configuration(FactorConfiguration::MultiFactorWithUserVerification);
    assert_eq!(registration_policy(&mfa), UserVerificationPolicy::Preferred);
    assert_eq!(assertion_policy(&mfa), UserVerificationPolicy::Required);
}
