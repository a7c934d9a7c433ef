//! [`Pending::respond`]: the answer, sent once, read as the challenge's next outcome.

use crate::challenge::{Challenge, ChallengeResponse, Outcome};
use crate::pending::Pending;
use crate::retry::Rejected;

impl<C: Challenge> Pending<C> {
    /// Answers the challenge and returns what the service asks next.
    ///
    /// The library adds `USERNAME`, `SECRET_HASH`, `DEVICE_KEY` and the `Session`. When
    /// the flow was given a remembered device's credentials and the service asks the
    /// device to prove itself, that proof (two more calls) happens here too.
    ///
    /// A refused answer that the service lets the user correct (a mistyped code, a new
    /// password the policy refuses) gives this challenge back in
    /// [`Rejected::Retry`]; see [`crate::retry`]. `?` turns a rejection into an
    /// [`Error`](crate::Error).
    pub async fn respond(self, response: C::Response) -> Result<C::Next, Rejected<Self>> {
        self.respond_into::<C::Next>(response).await
    }

    /// Sends `answer` and reads the result as `O`: the one path every answer takes,
    /// including the library's own (SRP proofs, the SRP value after a factor choice).
    pub(crate) async fn respond_into<O: Outcome>(
        self,
        answer: impl ChallengeResponse,
    ) -> Result<O, Rejected<Self>> {
        let step = self.send(answer).await?;
        Ok(super::outcome(step).await?)
    }
}
