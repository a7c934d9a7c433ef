// USER_SRP_AUTH cannot produce SELECT_CHALLENGE (that is USER_AUTH), so its outcome
// type has no such variant.
use cognito_typestate::challenges::AfterPassword;
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::Client;

async fn sign_in(client: &Client) {
    if let Ok(AfterPassword::SelectChallenge(_)) = client.initiate(UserSrpAuth::new("alice", "pw")).await {}
}

fn main() {}
