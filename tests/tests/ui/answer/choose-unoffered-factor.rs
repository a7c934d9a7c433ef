// SELECT_MFA_TYPE answers are built only from what the server offered.
use cognito_typestate::challenges::{MfaSelection, MfaType};

fn main() {
    let _ = MfaSelection { answer: MfaType::Email };
}
