// An application outcome for USER_SRP_AUTH lists only states USER_SRP_AUTH can produce:
// CUSTOM_CHALLENGE comes from CUSTOM_AUTH, never from a password sign-in.
use cognito_typestate::challenges::CustomChallenge;
use cognito_typestate::flows::UserSrpAuth;
use cognito_typestate::{Outcome, Pending, Tokens};

#[derive(Debug, Outcome)]
enum MyPool {
    Authenticated(Tokens),
    Custom(Pending<CustomChallenge>),
}

fn main() {
    let _ = UserSrpAuth::new("alice", "pw").outcome::<MyPool>();
}
