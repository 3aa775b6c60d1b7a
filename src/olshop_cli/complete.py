"""What tab completion offers from the ledger: open bookings, customer keys and SKUs.

Called only while the shell asks for completions (never on a normal run). It reads the
committed version without a lock and creates nothing: a folder without a ledger offers
nothing. Each offer is (value, help); the value starts with what was typed, in the case it
was typed (`b` offers `b12`, `pan` offers `pan-24`: every lookup ignores case).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from olshop_cli.ledger import Ledger, fields_of

Offer = tuple[str, str]


def _ledger(home: Path) -> Ledger | None:
    from olshop_cli.store import Store

    shop = Store(home)
    return shop.load() if shop.current() is not None else None


def _offers(typed: str, candidates: Iterable[Offer]) -> list[Offer]:
    """The candidates that start with `typed` (any case), in the case it was typed: `p`
    offers `pan-24`, `P` offers `PAN-24`, `Mi` offers `Mike` (the shell keeps only offers
    that start with the very text typed)."""
    start = typed.casefold()
    spell = str.lower if typed.islower() else str.upper if typed.isupper() else str
    return [
        (typed + spell(value)[len(typed) :], help_)
        for value, help_ in candidates
        if value.casefold().startswith(start)
    ]


def bookings(home: Path, typed: str, statuses: Collection[str] | None = None) -> list[Offer]:
    """Open bookings (only those in `statuses` when given): `B12`, or `12` when a number was
    typed, with the buyer's name and the status as help."""
    ledger = _ledger(home)
    if ledger is None:
        return []
    prefix = "" if typed[:1].isdigit() else "B"
    found = fields_of(ledger.bookings, "status", "customer_name")
    return _offers(
        typed,
        (
            (f"{prefix}{number}", f"{name} · {status}")
            for number, (status, name) in sorted(found.items())
            if statuses is None or status in statuses
        ),
    )


def customers(home: Path, typed: str) -> list[Offer]:
    """Customer keys, with the customer's name as help."""
    ledger = _ledger(home)
    if ledger is None:
        return []
    found = fields_of(ledger.customers, "name")
    return _offers(typed, ((key, name) for key, (name,) in sorted(found.items())))


def skus(home: Path, typed: str) -> list[Offer]:
    """SKUs, with the product's name as help. `PAN-24:2` (a quantity typed) offers nothing."""
    if ":" in typed or "@" in typed:
        return []
    ledger = _ledger(home)
    if ledger is None:
        return []
    found = fields_of(ledger.products, "name")
    return _offers(typed, ((sku, name) for sku, (name,) in sorted(found.items())))
