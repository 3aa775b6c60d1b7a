"""The seller's interface in Indonesian: every message has its translation, the shipped
catalog is the compiled one, and no text for the seller bypasses `_()`."""

from __future__ import annotations

from pathlib import Path

import pytest
from devtools import tool

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_in_the_source_has_its_indonesian_translation():
    pytest.importorskip("babel")
    problems = tool("catalog").problems()
    assert problems == [], "\n".join(problems[:40]) + "\n(python tools/catalog.py update)"


def test_the_catalog_is_shipped_with_the_package():
    import olshop_cli.i18n as i18n

    for lang in ("id", "en"):
        assert (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "olshop.mo").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'olshop_cli = ["locale/*/LC_MESSAGES/*.mo"]' in pyproject


# Literals that look like words but are not for the seller's eyes, by file: formats,
# regular expressions, stored words, buyer templates (their own catalog: replies.py).
NOT_FOR_THE_SELLER: dict[str, int] = {
    "checks.py": 5,  # field names of the export file
    "cli/__init__.py": 6,  # module paths, option names, click's own error matched
    "cli/booking.py": 10,  # option names, commands
    "cli/common.py": 4,  # an encoding, a setting key, a command
    "cli/helptext.py": 11,  # click's English output, matched to be translated
    "cli/product.py": 1,
    "cli/order.py": 3,  # a setting key, option names
    "cli/reply.py": 11,  # clipboard programs and their options, an encoding
    "cli/shop.py": 12,  # setting keys, option names, commands
    "couriers.py": 11,  # couriers' own spellings, a field name, a stored detail
    "hours.py": 4,  # a regex, invariants of the parsed hours (not reachable by input)
    "ledger.py": 40,  # history details stored in the ledger, setting keys, commands
    "models.py": 2,
    "orderform.py": 20,  # labels and words buyers write in a form; Kab./Kota kept in addresses
    "paths.py": 2,
    "paymatch.py": 2,
    "settings.py": 20,  # setting keys and the words each accepts
    "statement.py": 30,  # bank CSV column names and regexes, BCA's header lines, encodings
    "store.py": 3,
    "tables.py": 1,
    "transfer.py": 1,
    "upgrade.py": 3,
    "when.py": 43,  # the words and phrases parse_when and parse_day read (besok pagi, last week)
}


def test_no_text_for_the_seller_bypasses_the_catalog():
    scan = tool("unwrapped").scan
    found = {}
    for path in sorted((ROOT / "src" / "olshop_cli").rglob("*.py")):
        name = str(path.relative_to(ROOT / "src" / "olshop_cli"))
        if name in ("replies.py", "demo.py"):  # buyers' texts and demo data
            continue
        hits = list(scan(path))
        if len(hits) > NOT_FOR_THE_SELLER.get(name, 0):
            found[name] = hits
    assert not found, "\n".join(f"{n}:{line}: {t!r}" for n, h in found.items() for line, t in h)
