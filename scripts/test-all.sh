#!/usr/bin/env bash
# Runs every test: unit and doc tests, runtime tests, the trybuild compile-fail suite,
# the emulator tests and the quickstart, and the interop tests: moto, cognito-local,
# ministack and third-party clients against the emulator (installed and started here).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
# The quickstart is the README's first command: it must keep working.
cargo run --quiet -p examples --example quickstart
cargo run --quiet -p examples --example diagrams -- target/flow-diagrams
bash scripts/test-interop.sh
