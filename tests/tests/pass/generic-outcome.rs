// Outcome enums can be generic, e.g. over the custom challenge type.
use cognito_typestate::challenges::CustomChallenge;
use cognito_typestate::{Challenge, Outcome, Pending, Tokens};

#[derive(Outcome)]
enum AfterCustom<C: Challenge> {
    Authenticated(Tokens),
    Custom(Pending<C>),
}

fn main() {
    assert_eq!(<AfterCustom<CustomChallenge> as Outcome>::VARIANTS.len(), 2);
}
