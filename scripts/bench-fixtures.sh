#!/usr/bin/env bash
# The emulator as a test fixture against its peers, in one run: start until ready,
# memory, one and 100 sign-ins (scripts/bench-fixtures.py). Installs the peers into
# .oracles/ and builds the release binaries first; everything listens on 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-oracles.sh
cargo build --quiet --release -p cognito-typestate-emulator -p cognito-typestate-bench \
  --bin cognito-typestate-emulator --bin fixture-signins
.oracles/moto/bin/python scripts/bench-fixtures.py "$root"
