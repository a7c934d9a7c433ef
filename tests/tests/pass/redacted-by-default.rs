// A response field shows in `Debug` only when marked `public`; this one is not, so the
// value cannot be read back from the output: the assertion below must hold.
use cognito_typestate::ChallengeResponse;

#[derive(ChallengeResponse)]
struct Answer {
    #[param("ANSWER")]
    answer: String,
    #[param("HINT", public)]
    hint: String,
}

fn main() {
    let shown = format!(
        "{:?}",
        Answer {
            answer: "hunter2".into(),
            hint: "pet".into()
        }
    );
    assert!(
        !shown.contains("hunter2") && shown.contains("pet"),
        "{shown}"
    );
}
