//! `use_published_signing_key`: the process's tokens are signed with the key in the
//! crate's source, published under each emulator's own key id; it only takes effect
//! before a key is made. Its own test binary: the signing key is process-wide.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_typestate_emulator::{Emulator, PoolConfig, use_published_signing_key};
use openssl::pkey::PKey;

#[tokio::test]
async fn the_published_key_signs_once_chosen_before_any_emulator() {
    assert!(use_published_signing_key().unwrap());
    assert!(
        !use_published_signing_key().unwrap(),
        "the key is chosen once"
    );

    let emulator = Emulator::start().await.unwrap();
    let pool = emulator.create_pool(PoolConfig::default()).unwrap();
    let jwks: serde_json::Value = reqwest::get(format!(
        "{}{}/.well-known/jwks.json",
        emulator.endpoint(),
        pool.id()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();

    let published = PKey::private_key_from_pem(include_bytes!("../src/published-test-key.pem"))
        .unwrap()
        .rsa()
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["n"], URL_SAFE_NO_PAD.encode(published.n().to_vec()));
    assert_eq!(key["e"], URL_SAFE_NO_PAD.encode(published.e().to_vec()));
}
