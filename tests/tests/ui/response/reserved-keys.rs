// USERNAME, SECRET_HASH and DEVICE_KEY are written by the library from the sign-in state.
use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER")]
    answer: String,
    #[param("USERNAME")]
    username: String,
    #[param("SECRET_HASH")]
    secret_hash: String,
    #[param("DEVICE_KEY")]
    device_key: String,
}

fn main() {}
