use cognito_typestate::Client;

async fn sign_in(client: &Client) {
    let _ = client.initiate(("alice", "password")).await;
}

fn main() {}
