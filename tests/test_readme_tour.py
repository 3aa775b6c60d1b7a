"""The README's tour is a real run: every ```console block, run again now in a fresh demo
shop (tools/tour.py), prints exactly what the README shows."""

from __future__ import annotations

import difflib
from pathlib import Path

from devtools import tool

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_tour_is_what_the_commands_print_now():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count("```console") >= 5, "the README's tour has its console blocks"
    fresh = tool("tour").run(text)
    diff = "\n".join(
        difflib.unified_diff(text.split("\n"), fresh.split("\n"), "README.md", "now", lineterm="")
    )
    assert fresh == text, diff[:4000] + "\n(python tools/tour.py update README.md)"


def test_the_tour_is_in_indonesian_with_the_english_interface_shown_once():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = text[text.index("## Sehari berjualan") : text.index("## Commands")]
    assert "Lewat tenggat: belum bayar" in tour  # today's digest, in Indonesian
    assert tour.count("OLSHOP_UI_LANG=en olshop") == 1
    assert "Overdue: unpaid past the deadline" in tour  # ... and once in English
