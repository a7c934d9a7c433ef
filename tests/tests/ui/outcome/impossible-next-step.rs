// Guarantee 3: after an MFA code the service cannot ask for another SMS code, so the
// type has no such variant.
use cognito_typestate::challenges::AfterMfa;

fn handle(step: AfterMfa) {
    if let AfterMfa::SmsMfa(_) = step {}
}

fn main() {}
