"""List string literals in src/ that look like words for the seller but are not in _()."""

import ast
import re
import sys
from pathlib import Path

WORDS = re.compile(r"[A-Za-z]{2,}[ ,.:;!?'\-][^\n]*[A-Za-z]")
MARKERS = {"_", "N_", "ngettext", "known"}


def scan(path: Path):
    tree = ast.parse(path.read_text())
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            if (
                node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            ):
                skip.add(id(node.body[0].value))
        if isinstance(node, ast.keyword) and node.arg in ("help", "metavar", "short_help"):
            for sub in ast.walk(node.value):  # help texts: extracted from the source as they are
                skip.add(id(sub))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in MARKERS:
                for sub in ast.walk(node):
                    skip.add(id(sub))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            for sub in ast.walk(node):
                skip.add(id(sub))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if WORDS.search(text):
            yield node.lineno, text


if __name__ == "__main__":
    total = 0
    for arg in sys.argv[1:]:
        for path in sorted(Path(arg).rglob("*.py")) if Path(arg).is_dir() else [Path(arg)]:
            found = list(scan(path))
            total += len(found)
            for line, text in found:
                print(f"{path}:{line}: {text[:90]!r}")
    print(total, file=sys.stderr)
