#!/usr/bin/env bash
# Installs the third-party Cognito servers the interop tests run against, into
# project-local folders under .oracles/ (git-ignored). Idempotent: a second run
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

cognito_local_version=5.3.0
if [ "$(node -p "require('$dir/cognito-local/node_modules/cognito-local/package.json').version" 2>/dev/null)" != "$cognito_local_version" ]; then
  echo "installing cognito-local@$cognito_local_version into .oracles/cognito-local" >&2
  mkdir -p "$dir/cognito-local"
  (cd "$dir/cognito-local" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$dir/cognito-local" && npm install --silent --no-audit --no-fund "cognito-local@$cognito_local_version")
fi
