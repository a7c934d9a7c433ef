// Everything an application declares for its own custom auth compiles and reads.
use std::collections::BTreeMap;

use cognito_typestate::challenge::Parameters;
use cognito_typestate::challenges::SoftwareTokenMfa;
use cognito_typestate::{Challenge, ChallengeResponse, Outcome, Pending, Tokens};

#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = QuizAnswer, next = AfterQuiz)]
struct Quiz {
    #[param("question")]
    question: String,
    #[param("choices", json)]
    choices: Vec<String>,
    #[param("attemptsLeft")]
    attempts_left: Option<u8>,
    #[param("strict", default)]
    strict: bool,
    #[param(rest)]
    other: BTreeMap<String, String>,
}

#[derive(ChallengeResponse)]
struct QuizAnswer {
    #[param("ANSWER", public)]
    choice: String,
    #[param("NOTE", public)]
    note: Option<String>,
    #[param(prefix = "meta.")]
    meta: BTreeMap<String, String>,
}

#[derive(Debug, Outcome)]
enum AfterQuiz {
    Authenticated(Tokens),
    Quiz(Pending<Quiz>),
    Totp(Pending<SoftwareTokenMfa>),
}

#[derive(Debug, Challenge)]
#[challenge(name = "MY_UNIT", response = Empty, next = Tokens, crate = ::cognito_typestate)]
struct Unit;

#[derive(ChallengeResponse)]
struct Empty;

fn main() {
    let params = BTreeMap::from([
        ("question".to_owned(), "2+2?".to_owned()),
        ("choices".to_owned(), r#"["3","4"]"#.to_owned()),
        ("USERNAME".to_owned(), "alice".to_owned()),
    ]);
    let quiz = Quiz::from_parameters(&Parameters::new(&params, &[])).unwrap();
    assert_eq!(quiz.choices, ["3", "4"]);
    assert_eq!(quiz.attempts_left, None);
    assert!(!quiz.strict);
    assert_eq!(quiz.other.keys().collect::<Vec<_>>(), ["USERNAME"]);
    assert_eq!(quiz.question, "2+2?");
    let names: Vec<_> = <AfterQuiz as Outcome>::VARIANTS
        .iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names, ["Authenticated", "Quiz", "Totp"]);
    let answer = QuizAnswer {
        choice: "4".into(),
        note: None,
        meta: BTreeMap::from([("k".into(), "v".into())]),
    };
    assert_eq!(
        format!("{answer:?}"),
        r#"QuizAnswer { choice: "4", note: None, meta: <redacted> }"#
    );
    assert_eq!(<Unit as Challenge>::NAME, "MY_UNIT");
    let _ = Empty;
}
