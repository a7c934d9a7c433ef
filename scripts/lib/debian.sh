# Sourced by the test scripts that need programs from Debian's packages.
#
# need_debian "PACKAGES" PROGRAM...: installs PACKAGES with apt-get unless every PROGRAM
# (a name on PATH or a path) is there already; exits with an error when one is still
# missing afterwards, so a test never passes by skipping.
need_debian() {
  local packages=$1 program missing=
  shift
  for program in "$@"; do
    command -v "$program" >/dev/null || missing=yes
  done
  if [ -n "$missing" ]; then
    echo "installing Debian's $packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    # shellcheck disable=SC2086 # a list of package names
    apt-get install -y -qq $packages >/dev/null || true
  fi
  for program in "$@"; do
    if ! command -v "$program" >/dev/null; then
      echo "$(basename "$0"): $program is missing and could not be installed" >&2
      exit 1
    fi
  done
}
