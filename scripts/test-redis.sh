#!/usr/bin/env bash
# The `resume` web app on two instances sharing Redis: a sign-in started on one is
# answered on the other, a replay is refused by the store (GETDEL, the atomic take), and
# two concurrent takes of one key give it to one. Starts Debian's redis-server on
# 127.0.0.1 (installing it when missing), without persistence, and stops it however the
# test ends.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=lib/debian.sh
source scripts/lib/debian.sh
need_debian redis-server redis-server redis-cli

# The workspace's features, as test-all.sh builds: nothing builds twice.
cargo build --quiet --workspace --example resume

# shellcheck source=lib/one-server.sh
source scripts/lib/one-server.sh

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$work" \
  >"$work/redis.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "test-redis: redis-server exited:" >&2
    cat "$work/redis.log" >&2
    exit 1
  fi
  sleep 0.1
done

target/debug/examples/resume --redis "redis://127.0.0.1:$port"

# Nothing left behind: every stashed state was taken.
left=$(redis-cli -h 127.0.0.1 -p "$port" --scan --pattern 'cognito-signin:*' | wc -l)
if [ "$left" -ne 0 ]; then
  echo "test-redis: $left stored state(s) left in Redis" >&2
  exit 1
fi
echo "resume on two instances with Redis: passed"
