//! Codes sent by SMS or e-mail: into the outbox, asked for with a masked destination.

use serde_json::{Value, json};

use crate::Message;
use crate::error::Result;
use crate::random::numeric_code;
use crate::state::State;

use super::CodeChallenge;
use super::session::{AuthSession, CodeStep, Step, store_challenge};

/// Sends a code to the outbox and asks for it.
pub(super) fn send_code_challenge(
    state: &mut State,
    session: AuthSession,
    challenge: CodeChallenge,
    digits: usize,
    enrolling: bool,
) -> Result<Value> {
    let (medium, attribute) = if challenge.texted() {
        ("SMS", "phone_number")
    } else {
        ("EMAIL", "email")
    };
    let user = &state.pools[&session.pool].users[&session.username];
    let destination = user.attributes.get(attribute).cloned().unwrap_or_default();
    let code = numeric_code(digits)?;
    state.deliver(Message {
        pool_id: session.pool.clone(),
        username: session.username.clone(),
        medium: medium.to_owned(),
        destination: destination.clone(),
        code: code.clone(),
        challenge: challenge.as_str().to_owned(),
    });
    let parameters = json!({
        "USER_ID_FOR_SRP": session.username,
        "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
        "CODE_DELIVERY_DESTINATION": mask(&destination, medium),
    });
    let step = Step::Code(CodeStep {
        challenge,
        code: Some(code),
        enrolling,
    });
    store_challenge(state, session, step, parameters)
}

/// `+*******1234` and `a***@e***`, as Cognito masks destinations. By characters, not
/// bytes: an attribute may hold any text.
pub(super) fn mask(destination: &str, medium: &str) -> String {
    if medium == "SMS" {
        let chars: Vec<char> = destination.chars().collect();
        let keep = chars.len().saturating_sub(4);
        let tail: String = chars[keep..].iter().collect();
        format!("+{}{tail}", "*".repeat(keep.saturating_sub(1)))
    } else {
        let (local, domain) = destination.split_once('@').unwrap_or((destination, ""));
        let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        format!("{}***@{}***", first(local), first(domain))
    }
}
