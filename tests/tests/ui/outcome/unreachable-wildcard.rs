// Guarantee 3: an outcome lists exactly what may follow; a catch-all after every
// variant is dead code, rejected under `deny(unreachable_patterns)`.
#![deny(unreachable_patterns)]
use cognito_typestate::challenges::AfterMfa;

fn handle(step: AfterMfa) -> &'static str {
    match step {
        AfterMfa::Authenticated(_) => "signed in",
        AfterMfa::DeviceSrpAuth(_) => "device",
        _ => "something else",
    }
}

fn main() {}
