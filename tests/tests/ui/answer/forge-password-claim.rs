// PASSWORD_VERIFIER is answered by the library's SRP, never by hand-made strings.
use cognito_typestate::challenges::PasswordClaim;

fn main() {
    let _ = PasswordClaim {
        secret_block: String::new(),
        signature: "c2lnbmF0dXJl".into(),
        timestamp: String::new(),
    };
}
