//! Outcome selection: which variant of an outcome a service answer is, and the
//! compile-time check that no two variants accept the same step.

use super::{Accepts, Step, Variant};
use crate::error::{Error, ProtocolError, UnexpectedChallenge};

/// Which variant of `variants` accepts `step`, or the typed error when none does.
pub fn select(step: &Step, variants: &'static [Variant]) -> Result<usize, Error> {
    let r = &step.response;
    let wanted = match (&r.challenge_name, &r.authentication_result) {
        (Some(challenge), Some(_)) => {
            return Err(ProtocolError::TokensAndChallenge {
                challenge: challenge.clone(),
            }
            .into());
        }
        (None, None) => return Err(ProtocolError::NeitherTokensNorChallenge.into()),
        (None, Some(_)) => Accepts::Tokens,
        (Some(name), None) => variants
            .iter()
            .map(|v| v.accepts)
            .find(|a| matches!(a, Accepts::Challenge(n) if n == name))
            .unwrap_or(Accepts::Challenge("")),
    };
    variants
        .iter()
        .position(|v| v.accepts == wanted)
        .ok_or_else(|| unexpected(step, variants))
}

fn unexpected(step: &Step, variants: &'static [Variant]) -> Error {
    let r = &step.response;
    let expected = variants
        .iter()
        .map(|v| match v.accepts {
            Accepts::Tokens => "tokens",
            Accepts::Challenge(name) => name,
        })
        .collect();
    match &r.challenge_name {
        Some(name) => Error::UnexpectedChallenge(Box::new(UnexpectedChallenge {
            name: name.clone(),
            parameters: r.challenge_parameters.clone(),
            available_challenges: r.available_challenges.clone(),
            session: r.session.clone(),
            expected,
        })),
        None => ProtocolError::UnexpectedTokens { expected }.into(),
    }
}

/// The index [`select`] returned is always in range; this only keeps the generated
/// `match` total without a panic.
pub fn no_variant(variants: &'static [Variant]) -> Error {
    let _ = variants;
    Error::Internal("an outcome selected a variant it does not have")
}

/// The index of the first variant that accepts the same step as an earlier one, or
/// `usize::MAX`. The derive turns an index into a compile error naming the variant.
pub const fn first_duplicate(variants: &[Variant]) -> usize {
    let mut j = 1;
    while j < variants.len() {
        let mut i = 0;
        while i < j {
            if accepts_eq(variants[i].accepts, variants[j].accepts) {
                return j;
            }
            i += 1;
        }
        j += 1;
    }
    usize::MAX
}

const fn accepts_eq(a: Accepts, b: Accepts) -> bool {
    match (a, b) {
        (Accepts::Tokens, Accepts::Tokens) => true,
        (Accepts::Challenge(x), Accepts::Challenge(y)) => str_eq(x, y),
        _ => false,
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_found_by_index() {
        const fn v(accepts: Accepts) -> Variant {
            Variant {
                name: "v",
                accepts,
                next: || &[],
            }
        }
        let distinct = [
            v(Accepts::Tokens),
            v(Accepts::Challenge("SMS_MFA")),
            v(Accepts::Challenge("SMS_OTP")),
        ];
        assert_eq!(first_duplicate(&distinct), usize::MAX);
        let dup = [
            v(Accepts::Challenge("SMS_MFA")),
            v(Accepts::Tokens),
            v(Accepts::Challenge("SMS_MFA")),
        ];
        assert_eq!(first_duplicate(&dup), 2);
    }
}
