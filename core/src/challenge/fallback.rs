//! What stands in for a type a derive could not read, so one mistake gives one error.

use super::{ChallengeResponse, Outcome, ResponseMap, Step, Variant};
use crate::error::Error;

/// Stands in for a response or outcome type the derive could not read, so one mistake
/// gives one error.
#[derive(Debug)]
pub enum Invalid {}

impl ChallengeResponse for Invalid {
    fn write(&self, _: &mut ResponseMap) {}
}

impl Outcome for Invalid {
    const VARIANTS: &'static [Variant] = &[];

    fn from_step(_: Step) -> Result<Self, Error> {
        Err(Error::Internal(
            "an outcome type that failed to derive was used",
        ))
    }
}
