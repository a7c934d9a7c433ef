//! Tests of cognito-typestate live under `tests/`.
