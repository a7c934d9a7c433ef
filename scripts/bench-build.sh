#!/usr/bin/env bash
# What an application pays to build on this crate, against the same application on the
# AWS SDK: one run, both built cold (fresh target folders, sources fetched beforehand),
# release, -j2. Prints CPU-seconds, crates compiled, binary size (and stripped), peak
# memory, and the ratios ours / the SDK's.
#
# The application: a USER_SRP_AUTH sign-in start whose answer is matched exhaustively.
# On this crate the SRP proof is the library's; the SDK has no SRP, so its application
# only starts the flow (it would need a big-integer crate on top to finish it).
#
#   bash scripts/bench-build.sh            # this crate with its default features
#   OURS_FEATURES=', default-features = false, features = ["reqwest"]' bash scripts/bench-build.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=${JOBS:-2}

mkdir -p "$work/ours/src" "$work/sdk/src"
cat >"$work/ours/Cargo.toml" <<TOML
[package]
name = "ours"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
cognito-typestate = { path = "$root/core" ${OURS_FEATURES:-} }
tokio = { version = "1", features = ["rt", "macros"] }

[workspace]
TOML
cat >"$work/ours/src/main.rs" <<'RUST'
use cognito_typestate::challenges::AfterPassword;
use cognito_typestate::{Client, flows::UserSrpAuth};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder("app-client-id").region("eu-west-1").user_pool_id("eu-west-1_Pool").build()?;
    let flow = UserSrpAuth::new("alice", std::env::var("PASSWORD")?);
    match client.initiate(flow).await? {
        AfterPassword::Authenticated(tokens) => println!("{}", tokens.access_token().expose()),
        AfterPassword::NewPasswordRequired(_) => println!("new password"),
        AfterPassword::SmsMfa(_) => println!("SMS code"),
        AfterPassword::SoftwareTokenMfa(_) => println!("authenticator code"),
        AfterPassword::EmailOtp(_) => println!("e-mail code"),
        AfterPassword::SelectMfaType(_) => println!("choose MFA"),
        AfterPassword::MfaSetup(_) => println!("set up MFA"),
        AfterPassword::DeviceSrpAuth(_) => println!("device"),
    }
    Ok(())
}
RUST
cat >"$work/sdk/Cargo.toml" <<'TOML'
[package]
name = "sdk"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-cognitoidentityprovider = "1"
tokio = { version = "1", features = ["rt", "macros"] }

[workspace]
TOML
cat >"$work/sdk/src/main.rs" <<'RUST'
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::from_env().region("eu-west-1").load().await;
    let client = aws_sdk_cognitoidentityprovider::Client::new(&config);
    let answer = client
        .initiate_auth()
        .client_id("app-client-id")
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("SRP_A", "0") // the SDK has no SRP: a big-integer crate would
        .send()
        .await?;
    if let Some(tokens) = answer.authentication_result() {
        println!("{}", tokens.access_token().unwrap_or_default());
        return Ok(());
    }
    match answer.challenge_name() {
        Some(ChallengeNameType::PasswordVerifier) => println!("SRP proof"),
        Some(ChallengeNameType::NewPasswordRequired) => println!("new password"),
        Some(ChallengeNameType::SmsMfa) => println!("SMS code"),
        Some(ChallengeNameType::SoftwareTokenMfa) => println!("authenticator code"),
        Some(ChallengeNameType::EmailOtp) => println!("e-mail code"),
        Some(ChallengeNameType::SelectMfaType) => println!("choose MFA"),
        Some(ChallengeNameType::MfaSetup) => println!("set up MFA"),
        Some(ChallengeNameType::DeviceSrpAuth) => println!("device"),
        Some(other) => println!("{other:?}"),
        None => println!("nothing"),
    }
    Ok(())
}
RUST

# One cold build: "cpu crates bytes stripped_bytes peak_kib".
build() {
  local app=$1
  (cd "$work/$app" && cargo fetch --quiet)
  local log="$work/$app.log"
  (cd "$work/$app" && CARGO_TARGET_DIR="$work/$app/target" /usr/bin/time -f '%U %S %M' -o "$work/$app.time" \
    cargo build --release -j"$jobs" >"$log" 2>&1) || { cat "$log" >&2; exit 1; }
  local user sys peak
  read -r user sys peak <"$work/$app.time"
  local crates
  crates=$(grep -c '^ *Compiling ' "$log")
  local binary="$work/$app/target/release/$app"
  cp "$binary" "$work/$app.stripped"
  strip "$work/$app.stripped"
  echo "$(python3 -c "print(round($user + $sys, 1))") $crates $(stat -c %s "$binary") $(stat -c %s "$work/$app.stripped") $peak"
}

echo "building the application on cognito-typestate (cold, release, -j$jobs)..." >&2
read -r o_cpu o_crates o_size o_stripped o_peak < <(build ours)
echo "building the application on aws-sdk-cognitoidentityprovider + aws-config..." >&2
read -r s_cpu s_crates s_size s_stripped s_peak < <(build sdk)
sdk_version=$(grep -A1 'name = "aws-sdk-cognitoidentityprovider"' "$work/sdk/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p')

python3 - "$o_cpu" "$o_crates" "$o_size" "$o_stripped" "$o_peak" \
  "$s_cpu" "$s_crates" "$s_size" "$s_stripped" "$s_peak" "$sdk_version" <<'PY'
import sys
o = [float(x) for x in sys.argv[1:6]]
s = [float(x) for x in sys.argv[6:11]]
rows = [
    ("CPU-seconds", lambda v: f"{v:.0f}", 0),
    ("crates compiled", lambda v: f"{v:.0f}", 1),
    ("binary (MB)", lambda v: f"{v / 1e6:.1f}", 2),
    ("binary, stripped (MB)", lambda v: f"{v / 1e6:.1f}", 3),
    ("peak memory (MiB)", lambda v: f"{v / 1024:.0f}", 4),
]
print(f"| | cognito-typestate | aws-sdk-cognitoidentityprovider {sys.argv[11]} + aws-config | ratio |")
print("|---|---|---|---|")
for name, fmt, i in rows:
    print(f"| {name} | {fmt(o[i])} | {fmt(s[i])} | {o[i] / s[i]:.2f}x |")
PY
