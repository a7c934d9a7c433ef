#!/usr/bin/env bash
# Packages the publishable crates as `cargo publish` would, then type-checks each from its
# package alone (unpacked, nothing else from this checkout), so a file left out of a
# package or a dependency without a version fails here rather than on crates.io.
#
# `cargo package` verifies by building every package in full; checking the unpacked
# packages against the build's own target directory finds the same missing files and
# manifests, and shares the dependencies already checked by clippy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
crates=(cognito-typestate-macros cognito-typestate cognito-typestate-emulator)
version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="cognito-typestate"))')

# --allow-dirty: a local run may have changes; CI's clone has none.
cargo package --quiet --allow-dirty --no-verify "${crates[@]/#/-p}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
members=() patches=()
for crate in "${crates[@]}"; do
  tar -xzf "target/package/$crate-$version.crate" -C "$work"
  members+=("\"$crate-$version\"")
  patches+=("$crate = { path = \"$crate-$version\" }")
done
# The packages name each other by version, as on crates.io; the patch points those
# names at the unpacked packages. The lock file keeps every other version as built here.
{
  echo "[workspace]"
  echo "resolver = \"3\""
  echo "members = [$(IFS=,; echo "${members[*]}")]"
  echo "[patch.crates-io]"
  printf '%s\n' "${patches[@]}"
} >"$work/Cargo.toml"
cp Cargo.lock "$work/"
CARGO_TARGET_DIR="$root/target" cargo check --quiet --manifest-path "$work/Cargo.toml" --workspace
echo "packages check from their .crate files: ${crates[*]}"
