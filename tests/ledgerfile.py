"""Read and write `olshop.json` the way a person with a text editor and `json` would: one
table a line (JSON Lines), independent of olshop's own storage code."""

from __future__ import annotations

import json
from pathlib import Path

ORDER = ("products", "bookings", "customers")


def read_ledger(home: Path) -> dict:
    """The ledger file's lines merged into one document."""
    data: dict = {}
    for line in (home / "olshop.json").read_text(encoding="utf-8").splitlines():
        data.update(json.loads(line))
    return data


def write_ledger(home: Path, data: dict) -> None:
    """Write a document back in the same layout: meta and settings, then one table a line."""
    header = {k: v for k, v in data.items() if k not in ORDER}
    lines = [json.dumps(header)] + [json.dumps({name: data[name]}) for name in ORDER]
    (home / "olshop.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
