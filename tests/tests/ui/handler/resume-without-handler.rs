// A pending challenge resumed from storage is driven under the same check: its own
// challenge needs a handler too.
use cognito_typestate::challenges::SmsMfa;
use cognito_typestate::handler::{self, Handler};
use cognito_typestate::{Client, Detached};

struct Nobody;

impl Handler for Nobody {
    type Error = std::convert::Infallible;
}

async fn resume(client: &Client, stored: Detached<SmsMfa>) {
    let pending = stored.attach(client).unwrap();
    let _ = handler::drive(pending, &mut Nobody).await;
}

fn main() {}
