use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
enum Answer {
    Yes,
    No,
}

fn main() {}
