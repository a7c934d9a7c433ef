#!/usr/bin/env python3
"""Writes the ```mermaid blocks of a Markdown file as an HTML page the way rustdoc
writes them (`pre.language-mermaid`), with the given header, for scripts/browser/docs.py.

Usage: readme_diagrams.py README.md header.html out/index.html
"""

import html
import os
import re
import sys


def main() -> int:
    markdown, header, out = sys.argv[1:4]
    with open(markdown, encoding="utf-8") as f:
        blocks = re.findall(r"^```mermaid\n(.*?)^```", f.read(), re.S | re.M)
    if not blocks:
        print(f"readme_diagrams: no mermaid block in {markdown}", file=sys.stderr)
        return 1
    with open(header, encoding="utf-8") as f:
        head = f.read()
    body = "\n".join(
        f'<pre class="language-mermaid"><code>{html.escape(block)}</code></pre>'
        for block in blocks
    )
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"<!DOCTYPE html><html><head>{head}</head><body>\n{body}\n</body></html>\n")
    print(f"readme_diagrams: {len(blocks)} diagram(s) from {markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
