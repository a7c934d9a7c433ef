#!/usr/bin/env bash
# Drives the passkeys example's page (examples/examples/passkeys/) in headless Chromium
# through WebDriver, with a virtual authenticator: password sign-in, passkey
# registration, sign-out, passkey sign-in. Saves docs/passkeys-signed-in.png.
#
# Installs what it needs: Debian's chromium and chromium-driver when missing, and
# selenium (pinned) into .oracles/selenium. Selenium Manager is never used (the driver
# and the browser are given explicitly); the only network used is loopback.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

chromium=/usr/bin/chromium
chromedriver=/usr/bin/chromedriver
if [ ! -x "$chromium" ] || [ ! -x "$chromedriver" ]; then
  echo "installing Debian's chromium and chromium-driver" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  apt-get install -y -qq chromium chromium-driver >/dev/null || true
fi
for bin in "$chromium" "$chromedriver"; do
  if [ ! -x "$bin" ]; then
    echo "test-browser: $bin is missing and could not be installed" >&2
    exit 1
  fi
done

selenium_version=4.51.0  # 4.52+ needs a certifi newer than the registry has here
venv="$root/.oracles/selenium"
if ! "$venv/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$selenium_version')" 2>/dev/null; then
  echo "installing selenium==$selenium_version into .oracles/selenium" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium==$selenium_version"
fi

cargo build -p examples --example passkeys

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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
