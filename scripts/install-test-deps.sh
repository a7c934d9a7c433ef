#!/usr/bin/env bash
# Installs everything the test scripts need beyond the Rust toolchain, ahead of them:
# Debian's chromium, chromium-driver and redis-server, the third-party Cognito servers
# and clients (install-oracles.sh), Selenium and Mermaid. Every test script installs
# what it needs itself when it is missing; `.ci/run` runs this in the background while
# the workspace compiles, so the downloads overlap with the compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/debian.sh
source scripts/lib/debian.sh
# One apt-get for every package (apt takes one lock at a time).
need_debian "chromium chromium-driver redis-server" \
  /usr/bin/chromium /usr/bin/chromedriver redis-server redis-cli
bash scripts/install-oracles.sh
# shellcheck source=lib/browser-deps.sh
source scripts/lib/browser-deps.sh
echo "test dependencies installed"
