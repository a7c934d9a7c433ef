#!/usr/bin/env bash
# Compile time of the derives: 100 challenges and 100 answers declared with
# #[derive(Challenge)] / #[derive(ChallengeResponse)], against the same 200 items with
# the impls written out by hand (the derives' own expansion, as the snapshot tests in
# macros/tests/snapshots/ pin it). Both crates are built once for their dependencies,
# then rebuilt alone 5 times each, alternating, in one run; prints the median
# CPU-seconds of each (the whole `cargo build`) and the ratio derived / hand-written.
# Then, under callgrind, the compiler's instructions (which do not move with the
# machine's other load as time does) for one such rebuild of each and for compiling
# each crate whole without incremental state (needs valgrind, Debian's; installed when
# missing).
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
# Compiler instructions for one crate, counted by callgrind: the workspace wrapper
# (applied to the two bench crates only, not to their dependencies) runs rustc under
# callgrind when CALLGRIND_OUT is set, and runs it as is otherwise.
cat >"$work/callgrind-rustc" <<'SH'
#!/usr/bin/env bash
if [ -z "${CALLGRIND_OUT:-}" ]; then exec "$@"; fi
exec valgrind --quiet --tool=callgrind --callgrind-out-file="$CALLGRIND_OUT" "$@"
SH
chmod +x "$work/callgrind-rustc"
# counted_build CRATE [ENV...]: the instructions of one build of CRATE after a touch.
counted_build() {
  local crate=$1
  shift
  touch "$work/$crate/src/lib.rs"
  (cd "$work" && env "$@" CALLGRIND_OUT="$work/cg.$crate" \
    RUSTC_WORKSPACE_WRAPPER="$work/callgrind-rustc" cargo build --quiet -p "$crate")
  sed -n 's/^summary: \([0-9]*\)$/\1/p' "$work/cg.$crate"
}
# The whole crate compiled without incremental state.
compile_instructions() {
  counted_build "$1" CARGO_INCREMENTAL=0
}
# An incremental rebuild like the timed ones: a first one through the wrapper,
# uncounted, makes the incremental state the counted one reuses (a build with another
# wrapper or setting would not).
rebuild_instructions() {
  touch "$work/$1/src/lib.rs"
  (cd "$work" && RUSTC_WORKSPACE_WRAPPER="$work/callgrind-rustc" cargo build --quiet -p "$1")
  counted_build "$1"
}
derived_compile=$(compile_instructions derived)
hand_compile=$(compile_instructions hand)
derived_rebuild=$(rebuild_instructions derived)
hand_rebuild=$(rebuild_instructions hand)

python3 - "$count" "${derived_times[*]}" "${hand_times[*]}" \
  "$derived_rebuild" "$hand_rebuild" "$derived_compile" "$hand_compile" <<'PY'
import statistics
import sys

count = sys.argv[1]
derived = [float(x) for x in sys.argv[2].split()]
hand = [float(x) for x in sys.argv[3].split()]
d, h = statistics.median(derived), statistics.median(hand)
dr, hr, dc, hc = (int(x) for x in sys.argv[4:8])
print(f"| {count} challenges + {count} answers | rebuild, CPU-seconds (median of {len(derived)}) "
      "| rebuild, compiler instructions | whole crate, compiler instructions |")
print("|---|---:|---:|---:|")
print(f"| with the derives | {d:.2f} | {dr / 1e6:.0f} M | {dc / 1e6:.0f} M |")
print(f"| written by hand | {h:.2f} | {hr / 1e6:.0f} M | {hc / 1e6:.0f} M |")
print(f"| ratio | {d / h:.2f}x | {dr / hr:.3f}x | {dc / hc:.3f}x |")
PY
