#!/usr/bin/env bash
# Starts moto, cognito-local and ministack on 127.0.0.1, runs the interop tests against
# them, and stops the servers however the tests end. Meanwhile it generates the SRP
# cross-check cases with amazon-cognito-identity-js and runs the cross-check tests.
# Extra arguments go to `cargo test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/step.sh
source scripts/lib/step.sh
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

# The JavaScript cross-check cases take a while to compute (jsbn, about 0.8 s a case on
# one core): start them first. 120 user cases run every variant of the generator (day,
# salt sign, high bit, odd length: i mod 2, 3, 4, 5) twice; 30 device cases.
node scripts/srp-crosscheck.js "$logs/srp-cases.json" 120 2>"$logs/srp-cases.log" &
cases_pid=$!
pids+=($cases_pid)

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

# AUTH=true makes ministack check SECRET_HASH; admin calls are then SigV4-signed with
# these (local, made-up) credentials.
ms_port=$(free_port)
BIND_HOST=127.0.0.1 GATEWAY_PORT="$ms_port" IOT_MTLS_ENABLED=0 SFTP_ENABLED=0 \
  SERVICES=cognito-idp,sts AUTH=true AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test-secret \
  .oracles/ministack/bin/ministack >"$logs/ministack.log" 2>&1 &
pids+=($!)

step wait_for moto "http://127.0.0.1:$moto_port/" "$logs/moto.log"
step wait_for cognito-local "http://127.0.0.1:$cl_port/" "$logs/cognito-local.log"

step wait_for ministack "http://127.0.0.1:$ms_port/_ministack/health" "$logs/ministack.log"
export MINISTACK_ENDPOINT="http://127.0.0.1:$ms_port/"
MINISTACK_FIXTURE=$(.oracles/moto/bin/python scripts/provision-ministack.py "$MINISTACK_ENDPOINT")
export MINISTACK_FIXTURE

# The project's emulator, standalone, as other languages' tests use it; and the
# `signin` example CLI.
cargo build --quiet --workspace --bins --examples
emu_fifo="$logs/emulator.out"
target/debug/cognito-typestate-emulator --port 0 --config scripts/clients/emulator-pools.json \
  >"$emu_fifo" 2>"$logs/emulator.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$emu_fifo" ] && break; sleep 0.1; done
emulator=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["endpoint"])' "$emu_fifo")

export MOTO_ENDPOINT="http://127.0.0.1:$moto_port/"
export COGNITO_LOCAL_ENDPOINT="http://127.0.0.1:$cl_port/"
# The workspace's features, as test-all.sh builds (only the tests crate compiles again).
step cargo test --workspace --features cognito-typestate-tests/interop --test interop "$@"

# Third-party clients against the emulator must get what Cognito answers (--strict);
# against moto and ministack the same scenarios show where those servers differ.
matrix="$logs/matrix.jsonl"
step .oracles/moto/bin/python scripts/clients/pycognito_scenarios.py --server emulator \
  --endpoint "$emulator" --clock "${emulator}_emulator/clock" --outbox "${emulator}_emulator/outbox" \
  --strict | tee -a "$matrix"
step node scripts/clients/identity_js_scenarios.js --server emulator --endpoint "$emulator" \
  --outbox "${emulator}_emulator/outbox" --custom-pool us-east-1_CustomQA --custom-client customqa \
  --strict | tee -a "$matrix"
step .oracles/moto/bin/python scripts/clients/pycognito_scenarios.py --server moto --endpoint "$MOTO_ENDPOINT" >>"$matrix"
step .oracles/moto/bin/python scripts/clients/pycognito_scenarios.py --server ministack --endpoint "$MINISTACK_ENDPOINT" >>"$matrix"
step node scripts/clients/identity_js_scenarios.js --server moto --endpoint "$MOTO_ENDPOINT" >>"$matrix"
# cognito-local sends one fixed code (CODE above) and has no SRP: reported like moto.
step .oracles/moto/bin/python scripts/clients/pycognito_scenarios.py --server cognito-local \
  --endpoint "$COGNITO_LOCAL_ENDPOINT" --code 123456 >>"$matrix"
step node scripts/clients/identity_js_scenarios.js --server cognito-local --endpoint "$COGNITO_LOCAL_ENDPOINT" \
  --code 123456 >>"$matrix"
step python3 scripts/clients/matrix.py "$matrix"

# The `signin` example CLI, end to end: every flow and prompt on the emulator; what
# moto (password, new password, TOTP) and ministack (SRP, client secret) implement.
signin=target/debug/examples/signin
step .oracles/moto/bin/python scripts/clients/signin_cli.py --server emulator --endpoint "$emulator" --cli "$signin"
step .oracles/moto/bin/python scripts/clients/signin_cli.py --server moto --endpoint "$MOTO_ENDPOINT" --cli "$signin"
step .oracles/moto/bin/python scripts/clients/signin_cli.py --server ministack --endpoint "$MINISTACK_ENDPOINT" --cli "$signin"

if ! wait "$cases_pid"; then
  echo "generating the SRP cross-check cases failed:" >&2
  cat "$logs/srp-cases.log" >&2
  exit 1
fi
export SRP_CROSSCHECK_CASES="$logs/srp-cases.json"
step cargo test --workspace --features cognito-typestate-tests/interop --test crosscheck "$@"
