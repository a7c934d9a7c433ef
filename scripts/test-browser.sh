#!/usr/bin/env bash
# The browser tests, in headless Chromium through WebDriver:
# - the passkeys example's page (examples/examples/passkeys/) with a virtual
#   authenticator: password sign-in, passkey registration, sign-out, passkey sign-in.
#   Saves docs/passkeys-signed-in.png.
# - the built rustdoc's flow diagrams: the crate's Mermaid header must draw an SVG for
#   every ```mermaid block.
#
# Installs what it needs: Debian's chromium and chromium-driver when missing, selenium
# (pinned) into .oracles/selenium and the mermaid npm package (pinned) into
# .oracles/mermaid. Selenium Manager is never used (the driver and the browser are given
# explicitly); the tests use loopback only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=lib/browser-deps.sh
source scripts/lib/browser-deps.sh

# The workspace's features, as test-all.sh builds: nothing builds twice.
cargo build --workspace --example passkeys

# shellcheck source=lib/one-server.sh
source scripts/lib/one-server.sh

# Port 0: the app picks a free port on 127.0.0.1 and prints it.
target/debug/examples/passkeys --serve 0 >"$work/server.log" 2>&1 &
server=$!
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/^listening on \(http:\/\/localhost:[0-9]*\)$/\1/p' "$work/server.log")
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "test-browser: the passkeys app exited before listening:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "test-browser: the passkeys app did not start listening in 30 s:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

mkdir -p docs
# SE_OFFLINE: should Selenium Manager ever be asked, it must not download.
SE_OFFLINE=true SE_AVOID_STATS=true "$venv/bin/python" scripts/browser/passkeys.py \
  --url "$url" --chromium "$chromium" --chromedriver "$chromedriver" \
  --profile "$work/profile" --screenshot docs/passkeys-signed-in.png \
  --failure-screenshot target/passkeys-failure.png || {
  status=$?
  echo "test-browser: failed; the app's output:" >&2
  cat "$work/server.log" >&2
  exit "$status"
}

# The docs, with the crate's Mermaid header importing the local copy instead of the CDN.
cdn='https://cdn.jsdelivr.net/npm/mermaid@11/dist/'
if ! grep -qF "$cdn" core/docs/mermaid.html; then
  echo "test-browser: core/docs/mermaid.html no longer imports $cdn; update this script" >&2
  exit 1
fi
sed "s#$cdn#/_mermaid/#" core/docs/mermaid.html >"$work/mermaid-local.html"
RUSTDOCFLAGS="--html-in-header $work/mermaid-local.html" \
  cargo doc --quiet -p cognito-typestate --no-deps
# The README's diagrams too (what GitHub draws), on a page of their own with the same header.
python3 scripts/browser/readme_diagrams.py README.md "$work/mermaid-local.html" \
  target/doc/readme-diagrams/index.html
"$venv/bin/python" scripts/browser/docs.py --docs target/doc \
  --folder cognito_typestate --folder readme-diagrams \
  --mermaid "$mermaid/package/dist" --minimum 10 \
  --chromium "$chromium" --chromedriver "$chromedriver" --profile "$work/docs-profile" \
  --failure-screenshot target/docs-failure.png
