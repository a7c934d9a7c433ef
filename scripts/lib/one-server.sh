# Sourced by the test scripts that run one server in the background: a temporary folder
# `$work`, and `$server` (the server's pid, once set) stopped and the folder removed
# however the script ends.
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
