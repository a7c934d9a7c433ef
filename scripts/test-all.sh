#!/usr/bin/env bash
# Runs every test: unit and doc tests, runtime tests, the trybuild compile-fail suite,
# the emulator tests and the quickstart, and the interop tests: moto, cognito-local,
# ministack and third-party clients against the emulator (installed and started here).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/step.sh
source scripts/lib/step.sh
# Binaries and examples built with the workspace's features, so nothing builds twice.
step cargo build --workspace --bins --examples
step cargo test --workspace
# The quickstart is the README's first command: it must keep working.
step target/debug/examples/quickstart
step target/debug/examples/diagrams target/flow-diagrams
step target/debug/examples/custom_challenge
step target/debug/examples/device
step target/debug/examples/resume
# The same app on two instances sharing Redis (installs and starts redis-server on 127.0.0.1).
step bash scripts/test-redis.sh
step target/debug/examples/embedding
step target/debug/examples/lifecycle
step target/debug/examples/passkeys
# In headless Chromium: the passkeys page with a virtual authenticator, and the docs'
# flow diagrams drawn by Mermaid (installs chromium, selenium, mermaid).
step bash scripts/test-browser.sh
# Generated hostile responses through every flow and mutated stored states (the
# README's "Reliability" figures come from a 1,000,000-case release run of the same).
step target/debug/fuzz-responses --cases 20000 --seed "${FUZZ_SEED:-1}"
# `signin` runs against three servers in test-interop.sh.
step bash scripts/test-interop.sh
