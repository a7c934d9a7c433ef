// The auto sign-in exists only for a confirmed account, not for one waiting for its code.
use cognito_typestate::account::PendingConfirmation;
use cognito_typestate::flows::AutoSignIn;

fn auto(pending: PendingConfirmation) {
    let _ = AutoSignIn::after(pending);
}

fn main() {}
