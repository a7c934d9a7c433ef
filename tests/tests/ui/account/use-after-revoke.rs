// Revoking takes the tokens: they cannot be used (or refreshed) afterwards.
use cognito_typestate::flows::RefreshTokenAuth;
use cognito_typestate::{Client, Tokens};

async fn revoke(client: &Client, tokens: Tokens) {
    let _ = client.revoke(tokens).await;
    let _ = client.initiate(RefreshTokenAuth::from_tokens(&tokens).unwrap()).await;
}

fn main() {}
