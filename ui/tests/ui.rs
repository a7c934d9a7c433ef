//! Compile-fail cases: every compile-time guarantee and every macro misuse, with the
//! message a user sees. Regenerate expectations with
//! `TRYBUILD=overwrite cargo test -p cognito-typestate-ui --test ui` and review the diff.
//!
//! The cases live in `tests/tests/ui/<family>/` (`tests/ui` here links there). They run
//! from this crate because trybuild builds the test crate's dependencies again in a
//! project of its own: here they are the library's alone, and only type-checked (the
//! compile-pass programs are test targets of `cognito-typestate-tests`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
