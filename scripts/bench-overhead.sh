#!/usr/bin/env bash
# The run-time cost of the types in instructions, which do not move with the machine's
# other load: each side of benches/typed_outcome.rs run N times under callgrind, less
# the same program run 0 times, over N. Prints a table with the typed / untyped ratios.
# Needs valgrind (Debian's; installed when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/debian.sh
source scripts/lib/debian.sh
need_debian valgrind valgrind
cargo build --quiet --release -p cognito-typestate-bench --bin overhead-instructions
bin=target/release/overhead-instructions
runs=${RUNS:-20000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# instructions SIDE N: what callgrind counted for the whole program.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\)$/\1/p'
}

declare -A per_run
for side in read-untyped read-typed exchange-untyped exchange-typed; do
  base=$(instructions "$side" 0)
  total=$(instructions "$side" "$runs")
  per_run[$side]=$(( (total - base) / runs ))
done
echo "| step | untyped (instructions) | typed (instructions) | typed / untyped |"
echo "|---|---:|---:|---:|"
for step in read exchange; do
  u=${per_run[$step-untyped]} t=${per_run[$step-typed]}
  echo "| $step | $u | $t | $(python3 -c "print(f'{$t / $u:.3f}x')") |"
done
