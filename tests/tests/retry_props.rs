//! Property tests of retries against a scripted transport: `Pending::respond` never
//! sends an answer twice; a refusal listed in `retry::keeps_challenge` gives the
//! challenge back in `Rejected::Retry` with `attempt()` counting up, any other refusal
//! is `Rejected::Failed`; `InitiateAuth` is sent at most `max_attempts` times.

use cognito_typestate::challenges::{
    AfterCustomChallenge, AfterPassword, CustomAnswer, EmailOtpCode, FirstFactorOutcome,
    NewPassword, SmsMfaCode, SmsOtpCode, SoftwareTokenMfaCode,
};
use cognito_typestate::flows::{
    CustomAuth, RefreshTokenAuth, TokensFromRefreshToken, UserAuth, UserPasswordAuth,
};
use cognito_typestate::retry::keeps_challenge;
use cognito_typestate::{
    Challenge, Error, Pending, Rejected, ServiceErrorKind, TransportErrorKind,
};
use proptest::prelude::*;
use serde_json::json;

#[path = "support/script.rs"]
mod script;

use script::{Answer, Script, block_on, challenge, tokens};

/// Refusals a service may send to an answer: those that keep some challenge open, and
/// those that end a sign-in (retryable ones included: answers are never resent).
const REFUSALS: &[&str] = &[
    "CodeMismatchException",
    "InvalidPasswordException",
    "PasswordHistoryPolicyViolationException",
    "InvalidParameterException",
    "EnableSoftwareTokenMFAException",
    "ExpiredCodeException",
    "NotAuthorizedException",
    "TooManyRequestsException",
    "InternalErrorException",
    "UserNotFoundException",
    "BrandNewException",
];

/// The challenges whose answers the test refuses, and how a flow reaches each.
const CHALLENGES: &[&str] = &[
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "NEW_PASSWORD_REQUIRED",
    "CUSTOM_CHALLENGE",
    "SMS_OTP",
];

/// What refusing a sequence of answers did.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    /// How many answers were given (each one `respond`).
    answers: usize,
    /// Whether the sign-in ended in tokens.
    signed_in: bool,
}

/// Answers `pending` with `answer(i)` while the service refuses with `refusals[i]`,
/// checking each rejection against `keeps_challenge`; then answers once more if the
/// challenge is still open (the script then sends tokens).
async fn refuse<C: Challenge>(
    mut pending: Pending<C>,
    answer: impl Fn(usize) -> C::Response,
    refusals: &[&str],
) -> Result<Run, TestCaseError> {
    for (i, code) in refusals.iter().enumerate() {
        prop_assert_eq!(pending.attempt() as usize, i + 1);
        let kind = ServiceErrorKind::from_code(code);
        let kept = keeps_challenge(C::NAME, kind).is_some();
        match pending.respond(answer(i)).await {
            Err(Rejected::Retry {
                pending: again,
                error,
            }) => {
                prop_assert!(
                    kept,
                    "{} refused with {} is not in keeps_challenge, yet Retry",
                    C::NAME,
                    code
                );
                prop_assert_eq!(error.code(), *code);
                prop_assert_eq!(again.attempt() as usize, i + 2);
                prop_assert_eq!(
                    again.rejection().map(cognito_typestate::ServiceError::kind),
                    Some(kind)
                );
                pending = again;
            }
            Err(Rejected::Failed(e)) => {
                prop_assert!(
                    !kept,
                    "{} refused with {} keeps the challenge, yet Failed: {:?}",
                    C::NAME,
                    code,
                    e
                );
                prop_assert_eq!(e.service_kind(), Some(kind));
                return Ok(Run {
                    answers: i + 1,
                    signed_in: false,
                });
            }
            Ok(_) => {
                return Err(TestCaseError::fail(
                    "the script refused, yet respond succeeded",
                ));
            }
        }
    }
    let next = pending.respond(answer(refusals.len())).await;
    prop_assert!(next.is_ok(), "{:?}", next.err());
    Ok(Run {
        answers: refusals.len() + 1,
        signed_in: true,
    })
}

fn marker(nonce: u32, i: usize) -> String {
    format!("answer-{nonce}-{i}")
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn respond_never_resends_and_retries_only_what_keeps_the_challenge(
        which in 0..CHALLENGES.len(),
        refusals in proptest::collection::vec(proptest::sample::select(REFUSALS), 0..8),
        nonce in any::<u32>(),
    ) {
        let name = CHALLENGES[which];
        let script = Script::default();
        let parameters = if name == "NEW_PASSWORD_REQUIRED" { json!({"requiredAttributes": "[]"}) } else { json!({}) };
        script.ok(&challenge(name, "S1", &parameters));
        for code in &refusals {
            script.error(400, code);
        }
        script.ok(&tokens("at", "it", "rt"));
        let client = script.client(|b| b);
        let m = move |i| marker(nonce, i);
        let run = block_on(async {
            match name {
                "CUSTOM_CHALLENGE" => {
                    let AfterCustomChallenge::CustomChallenge(p) = client.initiate(CustomAuth::<AfterCustomChallenge>::new("u")).await.unwrap() else { unreachable!() };
                    refuse(p, |i| CustomAnswer::new(m(i)), &refusals).await
                }
                "SMS_OTP" => {
                    let FirstFactorOutcome::SmsOtp(p) = client.initiate(UserAuth::new("u")).await.unwrap() else { unreachable!() };
                    refuse(p, |i| SmsOtpCode::new(m(i)), &refusals).await
                }
                _ => match client.initiate(UserPasswordAuth::new("u", "pw")).await.unwrap() {
                    AfterPassword::SmsMfa(p) => refuse(p, |i| SmsMfaCode::new(m(i)), &refusals).await,
                    AfterPassword::SoftwareTokenMfa(p) => refuse(p, |i| SoftwareTokenMfaCode::new(m(i)), &refusals).await,
                    AfterPassword::EmailOtp(p) => refuse(p, |i| EmailOtpCode::new(m(i)), &refusals).await,
                    AfterPassword::NewPasswordRequired(p) => refuse(p, |i| NewPassword::new(m(i)), &refusals).await,
                    other => panic!("{other:?}"),
                },
            }
        })?;
        // Exactly one RespondToAuthChallenge per answer, each answer in exactly one,
        // every one with the session it was issued.
        let responds: Vec<_> = script.sent().into_iter().filter(|s| s.operation == "RespondToAuthChallenge").collect();
        prop_assert_eq!(responds.len(), run.answers);
        for i in 0..run.answers {
            let carrying = responds.iter().filter(|s| s.body.to_string().contains(&m(i))).count();
            prop_assert_eq!(carrying, 1, "answer {} was sent {} times", i, carrying);
        }
        prop_assert!(responds.iter().all(|s| s.body["Session"] == "S1"));
        prop_assert!(responds.iter().all(|s| s.body["ChallengeName"] == name));
        // The sign-in ends in tokens exactly when every refusal kept the challenge.
        let all_kept = refusals.iter().all(|c| keeps_challenge(name, ServiceErrorKind::from_code(c)).is_some());
        prop_assert_eq!(run.signed_in, all_kept);
    }

    #[test]
    fn a_flow_start_is_sent_at_most_max_attempts_times(
        max_attempts in 0u32..6,
        failures in proptest::collection::vec(0usize..4, 0..8),
        flow in 0usize..5,
        ends_in_refusal in any::<bool>(),
    ) {
        let script = Script::default();
        for failure in &failures {
            match failure {
                0 => { script.error(400, "TooManyRequestsException"); }
                1 => { script.error(500, "InternalErrorException"); }
                2 => { script.push(Answer::Fail(TransportErrorKind::Connect)); }
                _ => { script.push(Answer::Fail(TransportErrorKind::Timeout)); }
            }
        }
        if ends_in_refusal {
            script.error(400, "NotAuthorizedException");
        } else {
            script.ok(&tokens("at", "it", "rt"));
        }
        let client = script.client(|b| b.max_attempts(max_attempts));
        let result: Result<(), Error> = block_on(async {
            match flow {
                0 => client.initiate(UserPasswordAuth::new("u", "pw")).await.map(drop),
                1 => client.initiate(CustomAuth::<AfterCustomChallenge>::new("u")).await.map(drop),
                2 => client.initiate(UserAuth::with_password("u", "pw")).await.map(drop),
                3 => client.initiate(RefreshTokenAuth::new("rt")).await.map(drop),
                _ => client.initiate(TokensFromRefreshToken::new("rt")).await.map(drop),
            }
        });
        // What a failure proves decides whether the start may be sent again: only
        // REFRESH_TOKEN_AUTH may be resent after a failure that leaves the first call in
        // doubt (an internal error, a timeout); the other starts may send a code, run a
        // trigger or rotate a token, so only a failure that proves nothing was processed
        // (throttled, no connection) lets them be sent again.
        let allowed = max_attempts.clamp(1, 10) as usize;
        let resent_after = |failure: usize| flow == 3 || matches!(failure, 0 | 2);
        let mut expected = 1;
        let mut stopped_at = None;
        for (i, failure) in failures.iter().enumerate() {
            if expected == allowed || !resent_after(*failure) {
                stopped_at = Some(i);
                break;
            }
            expected += 1;
        }
        let sent = script.sent();
        prop_assert_eq!(sent.len(), expected, "{:?}", sent.iter().map(|s| &s.operation).collect::<Vec<_>>());
        let operation = if flow == 4 { "GetTokensFromRefreshToken" } else { "InitiateAuth" };
        prop_assert!(sent.iter().all(|s| s.operation == operation));
        // Every attempt sends the same request.
        prop_assert!(sent.windows(2).all(|w| w[0].body == w[1].body));
        match (stopped_at, ends_in_refusal) {
            (None, false) => prop_assert!(result.is_ok(), "{:?}", result),
            (None, true) => prop_assert_eq!(result.unwrap_err().service_kind(), Some(ServiceErrorKind::NotAuthorized)),
            (Some(i), _) => {
                let e = result.unwrap_err();
                let kind = match failures[i] {
                    0 => e.service_kind() == Some(ServiceErrorKind::TooManyRequests),
                    1 => e.service_kind() == Some(ServiceErrorKind::InternalError),
                    2 => matches!(&e, Error::Transport(t) if t.kind == TransportErrorKind::Connect),
                    _ => matches!(&e, Error::Transport(t) if t.kind == TransportErrorKind::Timeout),
                };
                prop_assert!(kind, "failure {} ended in {:?}", failures[i], e);
            }
        }
    }
}
