#!/usr/bin/env python3
"""Fails when a module of `core/src` imports from a layer above its own.

The layers are ARCHITECTURE.md's, bottom-up. A module may import from its own layer
and from any layer below it. `use crate::Name` through a crate-root re-export counts
as an import from the module that defines `Name` (read from `core/src/lib.rs`).

Usage: python3 scripts/check-layers.py [path/to/core/src]
"""

import re
import sys
from pathlib import Path

# Bottom-up; each row is one layer. Keep in step with ARCHITECTURE.md.
LAYERS = [
    ["secret", "wire", "webauthn"],
    ["srp", "secret_hash"],
    ["error"],
    ["transport"],
    ["resend", "connection"],
    ["challenge"],
    ["retry"],
    ["pending", "tokens", "store"],
    ["challenges"],
    ["steps"],
    ["flows", "account"],
    ["graph", "handler"],
    ["client", "builder", "private"],
]
LAYER_OF = {module: i for i, row in enumerate(LAYERS) for module in row}
# Derives are re-exported at the root from the macros crate; they implement the
# traits of `challenge`.
MACROS_CRATE_LAYER = "challenge"

USE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+crate::(.*?);", re.S | re.M)


def top_module(src: Path, file: Path) -> str:
    first = file.relative_to(src).parts[0]
    return first[:-3] if first.endswith(".rs") else first


def root_reexports(lib: str) -> dict:
    """`pub use module::{A, B}` in lib.rs: name -> defining top module."""
    names = {}
    for m in re.finditer(r"^pub use ([\w:]+?)(?:::\{([^}]*)\}|::(\w+))?;", lib, re.M):
        path, group, single = m.group(1), m.group(2), m.group(3)
        root = path.split("::")[0]
        module = MACROS_CRATE_LAYER if root == "cognito_typestate_macros" else root
        items = [single] if single else [i.strip() for i in (group or "").split(",")]
        if not group and not single:
            items = [path.split("::")[-1]]
            module = MACROS_CRATE_LAYER if root == "cognito_typestate_macros" else root
        for item in items:
            if item:
                names[item.split(" as ")[-1].strip()] = module
    return names


def imported_modules(tree: str, reexports: dict) -> list:
    """The top modules one `use crate::<tree>` names."""
    tree = re.sub(r"\s+", "", tree)
    if tree.startswith("{"):
        parts, depth, current = [], 0, ""
        for ch in tree[1:-1]:
            if ch == "," and depth == 0:
                parts.append(current)
                current = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            current += ch
        parts.append(current)
    else:
        parts = [tree]
    modules = []
    for part in filter(None, parts):
        head = re.split(r"::|\{|\s+as\s+", part)[0]
        if head in ("self", "*"):
            continue
        modules.append(reexports.get(head, head))
    return modules


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent / "core/src")
    reexports = root_reexports((src / "lib.rs").read_text())
    problems, checked = [], 0
    for file in sorted(src.rglob("*.rs")):
        if file.name == "lib.rs" and file.parent == src:
            continue
        module = top_module(src, file)
        if module not in LAYER_OF:
            problems.append(f"{file}: module `{module}` is in no layer (add it to LAYERS and ARCHITECTURE.md)")
            continue
        text = file.read_text()
        for m in USE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            for target in imported_modules(m.group(1), reexports):
                checked += 1
                if target not in LAYER_OF:
                    problems.append(f"{file}:{line}: `crate::{target}` is in no layer")
                elif LAYER_OF[target] > LAYER_OF[module]:
                    problems.append(
                        f"{file}:{line}: `{module}` (layer {LAYER_OF[module]}) imports "
                        f"`{target}` (layer {LAYER_OF[target]}), a layer above its own"
                    )
    for problem in problems:
        print(problem)
    print(f"layers: {checked} imports checked, {len(problems)} upward or unplaced")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
