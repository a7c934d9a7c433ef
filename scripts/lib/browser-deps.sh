# Sourced by scripts/test-browser.sh and scripts/install-test-deps.sh (with `root` set):
# installs what the browser tests need when missing and names it: $chromium and
# $chromedriver (Debian's), $venv (Selenium, pinned, in .oracles/selenium) and $mermaid
# (the npm package, pinned, unpacked in .oracles/mermaid).

chromium=/usr/bin/chromium
chromedriver=/usr/bin/chromedriver
# shellcheck source=debian.sh
source "$root/scripts/lib/debian.sh"
need_debian "chromium chromium-driver" "$chromium" "$chromedriver"

selenium_version=4.51.0  # 4.52+ needs a certifi newer than the registry has here
venv="$root/.oracles/selenium"
if ! "$venv/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$selenium_version')" 2>/dev/null; then
  echo "installing selenium==$selenium_version into .oracles/selenium" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium==$selenium_version"
fi

mermaid_version=11.17.2  # the major version core/docs/mermaid.html imports
mermaid="$root/.oracles/mermaid/$mermaid_version"
if [ ! -f "$mermaid/package/dist/mermaid.esm.min.mjs" ]; then
  echo "installing mermaid@$mermaid_version (npm registry) into .oracles/mermaid" >&2
  rm -rf "$mermaid"
  mkdir -p "$mermaid"
  (cd "$mermaid" && npm pack --silent "mermaid@$mermaid_version" >/dev/null && tar -xzf mermaid-*.tgz)
fi
