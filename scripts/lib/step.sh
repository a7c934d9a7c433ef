# Sourced by .ci/run and scripts/test-all.sh: `step COMMAND...` runs a command and then
# prints how long it took, so a slow CI run says where its minutes went.
step() {
  local start=$SECONDS
  "$@"
  echo "step: $((SECONDS - start)) s: $*" >&2
}
