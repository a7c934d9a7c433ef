#!/usr/bin/env python3
"""Renders the built rustdoc's flow diagrams in headless Chromium and checks each one.

Every page of the docs folder with a ```mermaid block (rustdoc's `pre.language-mermaid`)
is opened from a server on 127.0.0.1; the crate's Mermaid header (core/docs/mermaid.html,
put in by `cargo doc`) must turn every block into an SVG diagram that Mermaid drew
without a syntax error. Mermaid itself is served from a local copy (`--mermaid`, the
npm package's `dist` folder): nothing is fetched from a CDN.

Run by scripts/test-browser.sh. Exits non-zero on any failure.
"""

import argparse
import functools
import http.server
import mimetypes
import os
import sys
import threading
import time

from chromium import browser, run_reported
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

# Where the local Mermaid is served, as the test header imports it.
MERMAID_PATH = "/_mermaid"


class Failure(Exception):
    """A page did not render as it should."""


def pages_with_diagrams(doc_root: str, folders: list[str]) -> dict[str, int]:
    """The HTML pages in `folders` under `doc_root` with mermaid blocks, and how many
    each has."""
    found = {}
    walked = (entry for top in folders for entry in os.walk(os.path.join(doc_root, top)))
    for folder, _, files in walked:
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as page:
                count = page.read().count('class="language-mermaid"')
            if count:
                found[os.path.relpath(path, doc_root)] = count
    return dict(sorted(found.items()))


class Handler(http.server.SimpleHTTPRequestHandler):
    """The docs folder, with the Mermaid package under MERMAID_PATH."""

    def __init__(self, *args, doc_root: str, mermaid: str, **kwargs):
        self.mermaid = mermaid
        super().__init__(*args, directory=doc_root, **kwargs)

    def translate_path(self, path: str) -> str:
        if path.startswith(MERMAID_PATH + "/"):
            relative = path[len(MERMAID_PATH) + 1 :].split("?", 1)[0]
            return os.path.join(self.mermaid, *relative.split("/"))
        return super().translate_path(path)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base's name
        pass


def serve(doc_root: str, mermaid: str) -> http.server.ThreadingHTTPServer:
    # Module scripts need a JavaScript type; Python 3.11 does not know `.mjs`.
    mimetypes.add_type("text/javascript", ".mjs")
    handler = functools.partial(Handler, doc_root=doc_root, mermaid=mermaid)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# A diagram is done when Mermaid drew its states or its error picture; one that does
# not parse stays empty (the parse error goes to the console, printed on failure).
RENDERED = """
const diagrams = [...document.querySelectorAll("div.mermaid")];
return {
  left: document.querySelectorAll("pre.language-mermaid").length,
  done: diagrams.filter((d) => d.querySelector("svg g.node, .error-icon, .error-text")).length,
  errors: diagrams.flatMap((d, i) => (d.querySelector(".error-icon, .error-text") ? [i + 1] : [])),
  states: diagrams.map((d) => d.querySelectorAll("svg g.node").length),
};
"""


def check(driver: webdriver.Chrome, url: str, page: str, expected: int) -> list[int]:
    """Opens one page; the number of states Mermaid drew in each of its diagrams."""
    driver.get(f"{url}/{page}")

    def done(d):
        state = d.execute_script(RENDERED)
        return state if state["left"] == 0 and state["done"] == expected else False

    try:
        state = WebDriverWait(driver, 30, poll_frequency=0.1).until(done)
    except TimeoutException:
        state = driver.execute_script(RENDERED)
        raise Failure(
            f"{page}: {expected} mermaid block(s), {state['done']} drawn, "
            f"{state['left']} left as code after 30 s"
        ) from None
    if state["errors"]:
        raise Failure(f"{page}: Mermaid drew an error for diagram(s) {state['errors']}")
    if any(states == 0 for states in state["states"]):
        raise Failure(f"{page}: a diagram was not drawn: states per diagram {state['states']}")
    return state["states"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", required=True, help="cargo doc's output (target/doc)")
    parser.add_argument(
        "--folder", action="append", required=True, help="a folder of --docs to check"
    )
    parser.add_argument("--mermaid", required=True, help="the mermaid package's dist folder")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--profile", required=True, help="a new, empty profile folder")
    parser.add_argument("--minimum", type=int, default=1, help="diagrams there must be")
    parser.add_argument("--failure-screenshot", help="PNG of the page when a check fails")
    args = parser.parse_args()

    pages = pages_with_diagrams(args.docs, args.folder)
    total = sum(pages.values())
    if total < args.minimum:
        print(f"FAILED: {total} mermaid block(s) in {args.docs}, fewer than {args.minimum}")
        return 1

    started = time.monotonic()
    server = serve(args.docs, args.mermaid)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    driver = browser(args.chromium, args.chromedriver, args.profile)

    def run() -> None:
        for page, expected in pages.items():
            states = check(driver, url, page, expected)
            print(f"- {page}: {expected} diagram(s), states drawn {states}")

    try:
        passed = run_reported(driver, run, (Failure,), args.failure_screenshot)
    finally:
        server.shutdown()
    if not passed:
        return 1
    print(
        f"docs in Chromium: {total} diagram(s) on {len(pages)} page(s) drawn "
        f"in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
