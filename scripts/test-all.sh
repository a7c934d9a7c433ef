#!/usr/bin/env bash
# Runs every test: unit and doc tests, runtime tests, the trybuild compile-fail suite,
# the emulator tests and the quickstart, and the interop tests: moto, cognito-local,
# ministack and third-party clients against the emulator (installed and started here).
set -euo pipefail
cd "$(dirname "$0")/.."
# Binaries and examples built with the workspace's features, so nothing builds twice.
cargo build --workspace --bins --examples
cargo test --workspace
# The quickstart is the README's first command: it must keep working.
target/debug/examples/quickstart
target/debug/examples/diagrams target/flow-diagrams
target/debug/examples/custom_challenge
target/debug/examples/device
target/debug/examples/resume
# The same app on two instances sharing Redis (installs and starts redis-server on 127.0.0.1).
bash scripts/test-redis.sh
target/debug/examples/embedding
target/debug/examples/lifecycle
target/debug/examples/passkeys
# In headless Chromium: the passkeys page with a virtual authenticator, and the docs'
# flow diagrams drawn by Mermaid (installs chromium, selenium, mermaid).
bash scripts/test-browser.sh
# Generated hostile responses through every flow and mutated stored states (the
# README's "Reliability" figures come from a 1,000,000-case release run of the same).
target/debug/fuzz-responses --cases 20000 --seed "${FUZZ_SEED:-1}"
# `signin` runs against three servers in test-interop.sh.
bash scripts/test-interop.sh
