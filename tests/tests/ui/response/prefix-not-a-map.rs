use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct NewAttributes {
    #[param(prefix = "userAttributes.")]
    attributes: String,
}

fn main() {}
