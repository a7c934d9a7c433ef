//! [`Step`]: one service answer on its way to becoming a typed state.

use crate::connection::{Connection, FlowContext};
use crate::wire::AuthResponse;

/// One service answer together with the sign-in context needed to continue from it.
///
/// An [`Outcome`](super::Outcome) reads itself from a `Step`; applications only meet it
/// when implementing that trait by hand.
#[derive(Debug)]
pub struct Step {
    pub(crate) client: Connection,
    pub(crate) response: AuthResponse,
    pub(crate) context: FlowContext,
}

impl Step {
    pub(crate) fn new(client: Connection, response: AuthResponse, context: FlowContext) -> Self {
        Self {
            client,
            response,
            context,
        }
    }

    /// The `ChallengeName` the service asked, if it asked one.
    pub fn challenge_name(&self) -> Option<&str> {
        self.response.challenge_name.as_deref()
    }
}
