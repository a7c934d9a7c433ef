//! Runnable examples of cognito-typestate live under `examples/`.
