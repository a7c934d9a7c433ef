//! Compile-fail and compile-pass cases: every compile-time guarantee and every macro
//! misuse, with the message a user sees. Regenerate expectations with
//! `TRYBUILD=overwrite cargo test -p cognito-typestate-tests --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    t.pass("tests/pass/*.rs");
}
