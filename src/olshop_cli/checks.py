"""Every record of a whole-ledger export checked against the rules the commands keep, before
`olshop import` writes anything: each problem named by record and field.

A command can only store what its rules accept (a price in whole rupiah, a known channel, a
phone read as E.164, a moment with its offset...); a file can hold anything. What passes
here reads back as the commands would have written it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from olshop_cli.errors import OlshopError

MAX_TEXT = 2_000  # characters in a name, note, address or any other text field
MAX_MONEY = 10_000_000_000  # as ledger.MAX_PRICE
MAX_CODE = 999  # as models.MAX_UNIQUE_CODE
MAX_UNITS = 1_000_000  # as ledger.MAX_UNITS
MAX_NUMBER = 10**12  # a booking number


def _text(value: object, required: bool = False) -> str | None:
    """Why a text field is wrong (None: right)."""
    if value is None:
        return "is missing" if required else None
    if not isinstance(value, str):
        return "is not text"
    if required and not value.strip():
        return "is empty"
    if len(value) > MAX_TEXT:
        return f"is longer than {MAX_TEXT} characters"
    if "\x00" in value:
        return "holds a NUL character"
    return None


def _whole(value: object, low: int, high: int) -> str | None:
    if type(value) is not int:  # bool, float, "150rb" and NaN all fail here
        return "is not a whole number"
    if not low <= value <= high:
        return f"is not between {low:,} and {high:,}".replace(",", ".")
    return None


def _moment(value: object, required: bool = True) -> str | None:
    from olshop_cli.when import FIRST_YEAR, LAST_YEAR

    if value is None:
        return "is missing" if required else None
    if not isinstance(value, str):
        return "is not a moment"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return "is not an ISO 8601 moment like 2026-11-25T17:00:00+07:00"
    if moment.tzinfo is None:
        return "has no UTC offset (like +07:00)"
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return f"is not in the years {FIRST_YEAR} to {LAST_YEAR}"
    return None


def _entries(value: object) -> str | None:
    """Payments, refunds or kept money: a list of {"amount": rupiah > 0, "at": moment}."""
    if value is None:
        return None
    if not isinstance(value, list):
        return "is not a list"
    for i, entry in enumerate(value, 1):
        if not isinstance(entry, dict):
            return f"entry {i} is not an object"
        why = _whole(entry.get("amount"), 1, MAX_MONEY) or _moment(entry.get("at"))
        if why:
            return f"entry {i}: its amount or moment {why}"
    return None


def _one_of(value: object, allowed: tuple, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if value not in allowed:
        return f"is not one of: {', '.join(map(str, allowed))}"
    return None


def _list_of(value: object, kind: type, what: str) -> str | None:
    if value is None or (isinstance(value, list) and all(isinstance(v, kind) for v in value)):
        return None
    return f"is not a list of {what}"


def _bool(value: object) -> str | None:
    return None if value is None or isinstance(value, bool) else "is not true or false"


def customer_problems(item: dict) -> list[tuple[str, str]]:
    from olshop_cli.models import CHANNELS
    from olshop_cli.phone import normalize_phone

    found = [
        ("key", _text(item.get("key"), required=True)),
        ("name", _text(item.get("name"), required=True)),
        ("call", _text(item.get("call"))),
        ("nick", _text(item.get("nick"))),
        ("channel", _one_of(item.get("channel"), CHANNELS)),
        ("address", _text(item.get("address"))),
        ("note", _text(item.get("note"))),
        ("created", _moment(item.get("created"), required=False)),
    ]
    key = item.get("key")
    if isinstance(key, str) and key and not _KEY_CHARS.issuperset(key):
        found.append(("key", "may hold only a-z, 0-9 and dashes"))
    phone = item.get("phone")
    if phone is not None:
        try:
            right = isinstance(phone, str) and normalize_phone(phone) == phone
        except OlshopError:
            right = False
        if not right:
            found.append(("phone", "is not a phone number as olshop stores them (+62812...)"))
    return [(field, why) for field, why in found if why]


_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def product_problems(item: dict) -> list[tuple[str, str]]:
    from olshop_cli.models import normalize_sku

    sku = item.get("sku")
    found = [
        ("sku", _text(sku, required=True)),
        ("name", _text(item.get("name"), required=True)),
        ("price", _whole(item.get("price"), 0, MAX_MONEY)),
        ("stock", _whole(item.get("stock"), 0, MAX_UNITS)),
        ("cost", None if item.get("cost") is None else _whole(item.get("cost"), 0, MAX_MONEY)),
        ("listed", _bool(item.get("listed"))),
        ("note", _text(item.get("note"))),
        ("restock", _text(item.get("restock"))),
    ]
    if isinstance(sku, str) and sku:
        try:
            if normalize_sku(sku) != sku:
                found.append(("sku", f"is not written as olshop keeps SKUs ({normalize_sku(sku)})"))
        except OlshopError:
            found.append(("sku", "is not a usable SKU (letters, digits and dashes)"))
    for name in ("related", "asked_by"):
        found.append((name, _list_of(item.get(name), str, "text")))
    return [(field, why) for field, why in found if why]


def booking_problems(item: dict) -> list[tuple[str, str]]:
    from olshop_cli.models import STATUSES

    found = [
        ("number", _whole(item.get("number"), 1, MAX_NUMBER)),
        ("customer", _text(item.get("customer"), required=True)),
        ("customer_name", _text(item.get("customer_name"), required=True)),
        ("status", _one_of(item.get("status"), STATUSES, required=True)),
        ("created", _moment(item.get("created"))),
        ("deadline", _moment(item.get("deadline"))),
        ("closed", _moment(item.get("closed"), required=False)),
        ("reminded", _whole(item.get("reminded", 0), 0, 1000)),
        ("payments", _entries(item.get("payments"))),
        ("refunds", _entries(item.get("refunds"))),
        ("kept", _entries(item.get("kept"))),
        ("discount", _whole(item.get("discount", 0), 0, MAX_MONEY)),
        ("ongkir", _whole(item.get("ongkir", 0), 0, MAX_MONEY)),
        ("held_by_dp", _bool(item.get("held_by_dp"))),
        ("pickup", _bool(item.get("pickup"))),
        ("cod", _bool(item.get("cod"))),
        ("unique_code", _whole(item.get("unique_code", 0), -MAX_CODE, MAX_CODE)),
    ]
    for name in ("courier", "tracking", "note", "reason", "service", "discount_text"):
        found.append((name, _text(item.get(name))))
    lines = item.get("lines")
    if not isinstance(lines, list) or not lines:
        found.append(("lines", "has no items"))
    else:
        for i, line in enumerate(lines, 1):
            if not isinstance(line, dict):
                found.append((f"lines {i}", "is not an object"))
                continue
            for name, why in (
                ("sku", _text(line.get("sku"), required=True)),
                ("name", _text(line.get("name"), required=True)),
                ("qty", _whole(line.get("qty"), 1, MAX_UNITS)),
                ("price", _whole(line.get("price"), 0, MAX_MONEY)),
                ("cost", None if line.get("cost") is None else _whole(line["cost"], 0, MAX_MONEY)),
            ):
                found.append((f"lines {i} {name}", why))
    for name in ("reminders", "history"):
        found.append((name, _list_of(item.get(name), dict, "entries")))
    return [(field, why) for field, why in found if why]


def settings_problems(settings: object) -> list[tuple[str, str]]:
    from olshop_cli.settings import validate

    if settings is None:
        return []
    if not isinstance(settings, dict):
        return [("settings", "is not an object")]
    found = []
    for key, value in settings.items():
        if not isinstance(value, str):
            found.append((str(key), "is not text"))
            continue
        try:
            if validate(str(key), value) != value.strip():
                found.append((str(key), "is not written as olshop keeps it"))
        except OlshopError as exc:
            found.append((str(key), exc.message))
    return found


def document_problems(data: dict) -> list[str]:
    """Every problem of an export's records, as `customers #3 (mike): phone is not ...`;
    duplicate keys, SKUs and booking numbers too."""
    problems = [f"settings: {key} {why}" for key, why in settings_problems(data.get("settings"))]
    checks: list[tuple[str, str, Callable[[dict], list[tuple[str, str]]]]] = [
        ("customers", "key", customer_problems),
        ("products", "sku", product_problems),
        ("bookings", "number", booking_problems),
    ]
    for table, key, check in checks:
        records = data.get(table) or []
        if not isinstance(records, list):
            problems.append(f"{table}: is not a list")
            continue
        seen: set[Any] = set()
        for i, item in enumerate(records, 1):
            if not isinstance(item, dict):
                problems.append(f"{table} #{i}: is not an object")
                continue
            ident = item.get(key)
            label = f"{table} #{i}" + (f" ({ident})" if isinstance(ident, str | int) else "")
            for field, why in check(item):
                problems.append(f"{label}: {field} {why}")
            if isinstance(ident, str | int) and not isinstance(ident, bool):
                if ident in seen:
                    problems.append(f"{label}: {key} {ident} is there twice")
                seen.add(ident)
    return problems
