#!/usr/bin/env bash
# Starts moto and cognito-local on 127.0.0.1, runs the interop tests against them, and
# stops both servers however the tests end. Extra arguments go to `cargo test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-oracles.sh

logs=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$logs"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits until a POST to the server gets any HTTP answer.
wait_for() {
  local name=$1 url=$2 log=$3
  for _ in $(seq 1 150); do
    if python3 - "$url" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"{}", method="POST"), timeout=1)
except urllib.error.HTTPError:
    pass  # any HTTP answer means the server is up
PY
    sleep 0.2
  done
  echo "$name did not start; its log:" >&2
  cat "$log" >&2
  exit 1
}

moto_port=$(free_port)
MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true AWS_DEFAULT_REGION=us-east-1 \
  .oracles/moto/bin/moto_server -H 127.0.0.1 -p "$moto_port" >"$logs/moto.log" 2>&1 &
pids+=($!)

cl_port=$(free_port)
cl_dir="$logs/cognito-local"
mkdir -p "$cl_dir/.cognito"
echo '{"UserPoolDefaults":{"UsernameAttributes":[]}}' >"$cl_dir/.cognito/config.json"
(cd "$cl_dir" && CODE=123456 HOST=127.0.0.1 PORT="$cl_port" \
  exec node "$root/.oracles/cognito-local/node_modules/cognito-local/lib/bin/start.js") >"$logs/cognito-local.log" 2>&1 &
pids+=($!)

wait_for moto "http://127.0.0.1:$moto_port/" "$logs/moto.log"
wait_for cognito-local "http://127.0.0.1:$cl_port/" "$logs/cognito-local.log"

export MOTO_ENDPOINT="http://127.0.0.1:$moto_port/"
export COGNITO_LOCAL_ENDPOINT="http://127.0.0.1:$cl_port/"
cargo test -p cognito-typestate-tests --features interop --test interop "$@"
