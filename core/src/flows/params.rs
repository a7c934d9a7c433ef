//! The flows' `AuthParameters`, typed like challenge answers: each key is declared
//! once, on the type that sends it. `USERNAME`, `SECRET_HASH` and `DEVICE_KEY` are added
//! by the connection.

use crate::ChallengeResponse;
use crate::challenges::FirstFactor;
use crate::secret::Secret;

/// `CUSTOM_AUTH` starting with an SRP password check: `CHALLENGE_NAME = SRP_A`, sent
/// with the [`SrpStart`](crate::challenges::SrpStart).
#[derive(ChallengeResponse)]
pub(crate) struct StartWithSrp {
    #[param("CHALLENGE_NAME", public)]
    challenge_name: &'static str,
}

impl StartWithSrp {
    pub(crate) fn new() -> Self {
        Self {
            challenge_name: "SRP_A",
        }
    }
}

/// `USER_AUTH`: the preferred first factor (sent with what it needs up front).
#[derive(ChallengeResponse)]
pub(crate) struct Preferred {
    #[param("PREFERRED_CHALLENGE", public)]
    factor: Option<FirstFactor>,
}

impl Preferred {
    pub(crate) fn new(factor: Option<FirstFactor>) -> Self {
        Self { factor }
    }
}

/// `REFRESH_TOKEN_AUTH`: the refresh token.
#[derive(ChallengeResponse)]
pub(crate) struct RefreshParameters {
    #[param("REFRESH_TOKEN")]
    refresh_token: Secret,
}

impl RefreshParameters {
    pub(crate) fn new(refresh_token: Secret) -> Self {
        Self { refresh_token }
    }
}
