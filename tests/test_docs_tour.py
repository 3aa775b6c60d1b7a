"""docs/guide.md is a real run: every console block's output is what olshop prints now."""

from __future__ import annotations

import difflib
from pathlib import Path

from devtools import tool

ROOT = Path(__file__).resolve().parent.parent


def test_the_guide_shows_what_olshop_prints():
    path = ROOT / "docs" / "guide.md"
    text = path.read_text(encoding="utf-8")
    fresh = tool("tour").run(text)
    diff = list(
        difflib.unified_diff(
            text.splitlines(), fresh.splitlines(), "docs/guide.md", "now", lineterm="", n=1
        )
    )
    assert fresh == text, (
        "\n".join(diff[:60]) + "\n(python tools/tour.py update docs/guide.md, then check the prose)"
    )
