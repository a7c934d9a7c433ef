#!/usr/bin/env bash
# Runs every test: unit and doc tests, runtime tests, the trybuild compile-fail suite,
# and the interop tests against moto and cognito-local (installed and started here).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
bash scripts/test-interop.sh
