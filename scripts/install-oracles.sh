#!/usr/bin/env bash
# Installs the third-party Cognito servers and SRP clients the interop tests and the
# cross-checks run against, into project-local folders under .oracles/ (git-ignored). Idempotent: a second run
# only checks that the pinned versions are present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.oracles"
mkdir -p "$dir"

moto_version=5.2.5
if ! "$dir/moto/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$moto_version')" 2>/dev/null; then
  echo "installing moto[server]==$moto_version into .oracles/moto" >&2
  python3 -m venv "$dir/moto"
  "$dir/moto/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version" "boto3==1.44.5"
fi
# pycognito (SRP through boto3) signs in to the emulator in scripts/clients/.
if [ "$("$dir/moto/bin/pip" show pycognito 2>/dev/null | sed -n 's/^Version: //p')" != "2024.5.1" ]; then
  echo "installing pycognito==2024.5.1 into .oracles/moto" >&2
  "$dir/moto/bin/pip" install --quiet --disable-pip-version-check "pycognito==2024.5.1" "boto3==1.44.5"
fi

# ministack pins an older boto3, so it gets its own virtualenv.
ministack_version=1.5.33
if [ "$("$dir/ministack/bin/pip" show ministack 2>/dev/null | sed -n 's/^Version: //p')" != "$ministack_version" ]; then
  echo "installing ministack==$ministack_version into .oracles/ministack" >&2
  python3 -m venv "$dir/ministack"
  "$dir/ministack/bin/pip" install --quiet --disable-pip-version-check "ministack==$ministack_version"
fi

# npm_package FOLDER PACKAGE VERSION: installs PACKAGE@VERSION into .oracles/FOLDER.
npm_package() {
  local folder=$1 package=$2 version=$3
  if [ "$(node -p "require('$dir/$folder/node_modules/$package/package.json').version" 2>/dev/null)" != "$version" ]; then
    echo "installing $package@$version into .oracles/$folder" >&2
    mkdir -p "$dir/$folder"
    (cd "$dir/$folder" && { [ -f package.json ] || echo '{"private":true}' > package.json; })
    (cd "$dir/$folder" && npm install --silent --no-audit --no-fund "$package@$version")
  fi
}
npm_package cognito-local cognito-local 5.3.0
npm_package identity-js amazon-cognito-identity-js 6.3.21
