"""Read and write the ledger the way a person with a text editor, `json` and `hashlib` would,
independent of olshop's own storage code.

`olshop.json` (the manifest) names the current file of each part of the ledger in `data/`
with its size and SHA-256. `read_ledger` merges them into one document: `settings` and
`meta` (the shop file), `customers`, `products` and `bookings` (open ones), `archive`
(closed ones), `past` (each customer's closed booking numbers), `days` (the closed
bookings summed per day) and `phones` (phone -> customer); records are keyed `PART:DOC_ID` so
that `write_ledger` can put each back.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def manifest(home: Path) -> dict:
    return json.loads((home / "olshop.json").read_text(encoding="utf-8"))


def data_file(home: Path, part: str) -> Path:
    """The current file of one part of the ledger (`shop`, `customers-03`, `archive-0001`)."""
    return home / "data" / manifest(home)["files"][part]["file"]


def read_ledger(home: Path) -> dict:
    """Every part's tables merged into one document."""
    data: dict = {"settings": {}, "meta": {}, "customers": {}, "products": {}, "bookings": {},
                  "archive": {}, "past": {}, "days": {}}  # fmt: skip
    for part, entry in manifest(home)["files"].items():
        doc = json.loads((home / "data" / entry["file"]).read_text(encoding="utf-8"))
        for table, records in doc.items():
            merged = "archive" if part.startswith("archive-") else table
            for doc_id, record in records.items():
                data.setdefault(merged, {})[f"{part}:{doc_id}"] = record
    return data


def write_ledger(home: Path, data: dict) -> None:
    """Write a document from read_ledger back as a new version, as a careful person would:
    each part as a new file, then the manifest naming it with its size and SHA-256."""
    parts: dict[str, dict] = {}
    for merged, records in data.items():
        for key, record in records.items():
            part, doc_id = key.rsplit(":", 1)
            table = "bookings" if merged == "archive" else merged
            parts.setdefault(part, {}).setdefault(table, {})[doc_id] = record
    found = manifest(home)
    version = found["version"] + 1000
    for part, doc in parts.items():
        blob = json.dumps(doc).encode()
        name = f"{part}.{version}.json"
        (home / "data" / name).write_bytes(blob)
        found["files"][part] = {
            "file": name,
            "bytes": len(blob),
            "sha256": hashlib.sha256(blob).hexdigest(),
        }
    found["version"] = version
    (home / "olshop.json").write_text(json.dumps(found), encoding="utf-8")
