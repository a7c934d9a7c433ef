#!/usr/bin/env bash
# Compile time of the derives: 100 challenges and 100 answers declared with
# #[derive(Challenge)] / #[derive(ChallengeResponse)], against the same 200 items with
# the impls written out by hand (the derives' own expansion, as the snapshot tests in
# macros/tests/snapshots/ pin it). Both crates are built once for their dependencies,
# then rebuilt alone 5 times each, alternating, in one run; prints the median
# CPU-seconds of each and the ratio derived / hand-written. Then each crate's compiler
# run once more under callgrind: instructions, which do not move with the machine's
# other load as time does (needs valgrind, Debian's; installed when missing).
#
#   FAST_MACROS=1 bash scripts/bench-derive-compile.sh   # proc macros built optimised
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/debian.sh
source "$root/scripts/lib/debian.sh"
need_debian valgrind valgrind
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count=${COUNT:-100}
rounds=${ROUNDS:-5}

cat >"$work/Cargo.toml" <<TOML
[workspace]
members = ["derived", "hand"]
resolver = "2"
TOML
if [ -n "${FAST_MACROS:-}" ]; then
  # What an application can set: its proc macros (and build scripts) built optimised.
  printf '\n[profile.dev.build-override]\nopt-level = 3\n' >>"$work/Cargo.toml"
fi
for crate in derived hand; do
  mkdir -p "$work/$crate/src"
  cat >"$work/$crate/Cargo.toml" <<TOML
[package]
name = "$crate"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
cognito-typestate = { path = "$root/core", default-features = false }
TOML
done

python3 - "$root" "$work" "$count" <<'PY'
import re
import sys

root, work, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
challenge_impl = open(f"{root}/macros/tests/snapshots/challenge_sms_mfa.rs").read()
response_impl = open(f"{root}/macros/tests/snapshots/response_sms_mfa_code.rs").read()
header = (
    "#![allow(dead_code)]\n"
    "use cognito_typestate::challenges::{AfterMfa, DeliveryMedium};\n"
    "use cognito_typestate::Secret;\n"
)


def rename(text: str, i: int) -> str:
    # Longest first: SmsMfaCode before SmsMfa.
    text = re.sub(r"\bSmsMfaCode\b", f"Answer{i}", text)
    text = re.sub(r"\bSmsMfa\b", f"Challenge{i}", text)
    return text.replace('"SMS_MFA"', f'"CHALLENGE_{i}"')


structs = """
pub struct SmsMfa {
    pub destination: Option<String>,
    pub medium: Option<DeliveryMedium>,
}
pub struct SmsMfaCode {
    code: Secret,
}
"""
derived = header + "use cognito_typestate::{Challenge, ChallengeResponse};\n"
hand = header
for i in range(count):
    derived += rename("""
#[derive(Challenge)]
#[challenge(name = "SMS_MFA", response = SmsMfaCode, next = AfterMfa)]
pub struct SmsMfa {
    #[param("CODE_DELIVERY_DESTINATION")]
    pub destination: Option<String>,
    #[param("CODE_DELIVERY_DELIVERY_MEDIUM")]
    pub medium: Option<DeliveryMedium>,
}
#[derive(ChallengeResponse)]
pub struct SmsMfaCode {
    #[param("SMS_MFA_CODE")]
    code: Secret,
}
""", i)
    hand += rename(structs + challenge_impl + response_impl, i)
open(f"{work}/derived/src/lib.rs", "w").write(derived)
open(f"{work}/hand/src/lib.rs", "w").write(hand)
PY

export CARGO_TARGET_DIR="$work/target"
(cd "$work" && cargo build --quiet -p derived -p hand)

# CPU-seconds (user + system) of one rebuild of one crate.
rebuild() {
  touch "$work/$1/src/lib.rs"
  (cd "$work" && /usr/bin/time -f '%U %S' -o "$work/time" cargo build --quiet -p "$1")
  python3 -c "import sys; u, s = map(float, open(sys.argv[1]).read().split()); print(u + s)" "$work/time"
}
derived_times=()
hand_times=()
for _ in $(seq 1 "$rounds"); do
  derived_times+=("$(rebuild derived)")
  hand_times+=("$(rebuild hand)")
done
# Instructions of one compiler run of one crate: the workspace wrapper (applied to the
# two bench crates only, not to their dependencies) runs rustc under callgrind.
cat >"$work/callgrind-rustc" <<'SH'
#!/usr/bin/env bash
exec valgrind --quiet --tool=callgrind --callgrind-out-file="$CALLGRIND_OUT" "$@"
SH
chmod +x "$work/callgrind-rustc"
instructions() {
  touch "$work/$1/src/lib.rs"
  (cd "$work" && CALLGRIND_OUT="$work/cg.$1" RUSTC_WORKSPACE_WRAPPER="$work/callgrind-rustc" \
    cargo build --quiet -p "$1")
  sed -n 's/^summary: \([0-9]*\)$/\1/p' "$work/cg.$1"
}
derived_instructions=$(instructions derived)
hand_instructions=$(instructions hand)

python3 - "$count" "${derived_times[*]}" "${hand_times[*]}" \
  "$derived_instructions" "$hand_instructions" <<'PY'
import statistics
import sys

count = sys.argv[1]
derived = [float(x) for x in sys.argv[2].split()]
hand = [float(x) for x in sys.argv[3].split()]
d, h = statistics.median(derived), statistics.median(hand)
di, hi = int(sys.argv[4]), int(sys.argv[5])
print(f"| {count} challenges + {count} answers | CPU-seconds (median of {len(derived)}) | compiler instructions |")
print("|---|---:|---:|")
print(f"| with the derives | {d:.2f} | {di / 1e6:.0f} M |")
print(f"| written by hand | {h:.2f} | {hi / 1e6:.0f} M |")
print(f"| ratio | {d / h:.2f}x | {di / hi:.3f}x |")
PY
