#!/usr/bin/env bash
# SRP speed, one run: cognito-typestate against an OpenSSL-BN reference, aws-cognito-srp,
# pycognito and amazon-cognito-identity-js on the same inputs (bench/src/main.rs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-oracles.sh
if [ "$(.oracles/pycognito/bin/pip show pycognito 2>/dev/null | sed -n 's/^Version: //p')" != "2024.5.1" ]; then
  echo "installing pycognito==2024.5.1 into .oracles/pycognito" >&2
  python3 -m venv .oracles/pycognito
  .oracles/pycognito/bin/pip install --quiet --disable-pip-version-check "pycognito==2024.5.1"
fi
cargo run --release --quiet -p cognito-typestate-bench --bin srp-bench
