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
from olshop_cli.i18n import N_, _

MAX_TEXT = 2_000  # characters in a name, note, address or any other text field
MAX_MONEY = 10_000_000_000  # as ledger.MAX_PRICE
MAX_CODE = 999  # as models.MAX_UNIQUE_CODE
MAX_UNITS = 1_000_000  # as ledger.MAX_UNITS
MAX_NUMBER = 10**12  # a booking number


# Each check names the field as the file spells it (`phone`, `lines 2 qty`): the seller
# finds it there, so it is not translated; the sentence around it is.


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _text(field: str, value: object, required: bool = False) -> str | None:
    """Why a text field is wrong (None: right)."""
    if value is None:
        return _("{field} is missing.").format(field=field) if required else None
    if not isinstance(value, str):
        return _("{field} is not text.").format(field=field)
    if required and not value.strip():
        return _("{field} is empty.").format(field=field)
    if len(value) > MAX_TEXT:
        return _("{field} is longer than {count} characters.").format(
            field=field, count=_thousands(MAX_TEXT)
        )
    if "\x00" in value:
        return _("{field} holds a NUL character.").format(field=field)
    return None


def _whole(field: str, value: object, low: int, high: int) -> str | None:
    if type(value) is not int:  # bool, float, "150rb" and NaN all fail here
        return _("{field} is not a whole number.").format(field=field)
    if not low <= value <= high:
        return _("{field} is not between {low} and {high}.").format(
            field=field, low=_thousands(low), high=_thousands(high)
        )
    return None


def _moment(field: str, value: object, required: bool = True) -> str | None:
    from olshop_cli.when import FIRST_YEAR, LAST_YEAR

    if value is None:
        return _("{field} is missing.").format(field=field) if required else None
    if not isinstance(value, str):
        return _("{field} is not a moment.").format(field=field)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return _("{field} is not an ISO 8601 moment like 2026-11-25T17:00:00+07:00.").format(
            field=field
        )
    if moment.tzinfo is None:
        return _("{field} has no UTC offset (like +07:00).").format(field=field)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return _("{field} is not in the years {first} to {last}.").format(
            field=field, first=FIRST_YEAR, last=LAST_YEAR
        )
    return None


def _entries(field: str, value: object) -> str | None:
    """Payments, refunds or kept money: a list of {"amount": rupiah > 0, "at": moment}."""
    if value is None:
        return None
    if not isinstance(value, list):
        return _("{field} is not a list.").format(field=field)
    for i, entry in enumerate(value, 1):
        if not isinstance(entry, dict):
            return _("{field} is not an object.").format(field=f"{field} {i}")
        why = _whole(f"{field} {i} amount", entry.get("amount"), 1, MAX_MONEY) or _moment(
            f"{field} {i} at", entry.get("at")
        )
        if why:
            return why
    return None


def _one_of(field: str, value: object, allowed: tuple, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if value not in allowed:
        return _("{field} is not one of: {choices}.").format(
            field=field, choices=", ".join(map(str, allowed))
        )
    return None


LIST_OF_TEXT = N_("{field} is not a list of text.")
LIST_OF_ENTRIES = N_("{field} is not a list of entries.")


def _list_of(field: str, value: object, kind: type, message: str) -> str | None:
    """`message` (LIST_OF_TEXT or LIST_OF_ENTRIES) unless `value` is a list of `kind`."""
    if value is None or (isinstance(value, list) and all(isinstance(v, kind) for v in value)):
        return None
    return _(message).format(field=field)


def _bool(field: str, value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    return _("{field} is not true or false.").format(field=field)


def customer_problems(item: dict) -> list[str]:
    """What is wrong with one customer record, a sentence each."""
    from olshop_cli.models import CHANNELS
    from olshop_cli.phone import normalize_phone

    found = [
        _text("key", item.get("key"), required=True),
        _text("name", item.get("name"), required=True),
        _text("call", item.get("call")),
        _text("nick", item.get("nick")),
        _one_of("channel", item.get("channel"), CHANNELS),
        _text("address", item.get("address")),
        _text("note", item.get("note")),
        _moment("created", item.get("created"), required=False),
    ]
    key = item.get("key")
    if isinstance(key, str) and key and not _KEY_CHARS.issuperset(key):
        found.append(_("{field} may hold only a-z, 0-9 and dashes.").format(field="key"))
    phone = item.get("phone")
    if phone is not None:
        try:
            right = isinstance(phone, str) and normalize_phone(phone) == phone
        except OlshopError:
            right = False
        if not right:
            found.append(
                _("{field} is not a phone number as olshop stores them (+62812...).").format(
                    field="phone"
                )
            )
    return [why for why in found if why]


_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def product_problems(item: dict) -> list[str]:
    """What is wrong with one product record, a sentence each."""
    from olshop_cli.models import normalize_sku

    sku = item.get("sku")
    cost = item.get("cost")
    found = [
        _text("sku", sku, required=True),
        _text("name", item.get("name"), required=True),
        _whole("price", item.get("price"), 0, MAX_MONEY),
        _whole("stock", item.get("stock"), 0, MAX_UNITS),
        None if cost is None else _whole("cost", cost, 0, MAX_MONEY),
        _bool("listed", item.get("listed")),
        _text("note", item.get("note")),
        _text("restock", item.get("restock")),
    ]
    if isinstance(sku, str) and sku:
        try:
            if normalize_sku(sku) != sku:
                found.append(
                    _("{field} is not written as olshop keeps SKUs ({sku}).").format(
                        field="sku", sku=normalize_sku(sku)
                    )
                )
        except OlshopError:
            found.append(
                _("{field} is not a usable SKU (letters, digits and dashes).").format(field="sku")
            )
    for name in ("related", "asked_by"):
        found.append(_list_of(name, item.get(name), str, LIST_OF_TEXT))
    return [why for why in found if why]


def booking_problems(item: dict) -> list[str]:
    """What is wrong with one booking record, a sentence each."""
    from olshop_cli.models import STATUSES

    found = [
        _whole("number", item.get("number"), 1, MAX_NUMBER),
        _text("customer", item.get("customer"), required=True),
        _text("customer_name", item.get("customer_name"), required=True),
        _one_of("status", item.get("status"), STATUSES, required=True),
        _moment("created", item.get("created")),
        _moment("deadline", item.get("deadline")),
        _moment("closed", item.get("closed"), required=False),
        _whole("reminded", item.get("reminded", 0), 0, 1000),
        _entries("payments", item.get("payments")),
        _entries("refunds", item.get("refunds")),
        _entries("kept", item.get("kept")),
        _whole("discount", item.get("discount", 0), 0, MAX_MONEY),
        _whole("ongkir", item.get("ongkir", 0), 0, MAX_MONEY),
        _bool("held_by_dp", item.get("held_by_dp")),
        _bool("pickup", item.get("pickup")),
        _bool("cod", item.get("cod")),
        _whole("unique_code", item.get("unique_code", 0), -MAX_CODE, MAX_CODE),
    ]
    for name in ("courier", "tracking", "note", "reason", "service", "discount_text"):
        found.append(_text(name, item.get(name)))
    lines = item.get("lines")
    if not isinstance(lines, list) or not lines:
        found.append(_("{field} has no items.").format(field="lines"))
    else:
        for i, line in enumerate(lines, 1):
            if not isinstance(line, dict):
                found.append(_("{field} is not an object.").format(field=f"lines {i}"))
                continue
            cost = line.get("cost")
            found += [
                _text(f"lines {i} sku", line.get("sku"), required=True),
                _text(f"lines {i} name", line.get("name"), required=True),
                _whole(f"lines {i} qty", line.get("qty"), 1, MAX_UNITS),
                _whole(f"lines {i} price", line.get("price"), 0, MAX_MONEY),
                None if cost is None else _whole(f"lines {i} cost", cost, 0, MAX_MONEY),
            ]
    for name in ("reminders", "history"):
        found.append(_list_of(name, item.get(name), dict, LIST_OF_ENTRIES))
    return [why for why in found if why]


def settings_problems(settings: object) -> list[str]:
    """What is wrong with the exported settings, a sentence each."""
    from olshop_cli.settings import validate

    if settings is None:
        return []
    if not isinstance(settings, dict):
        return [_("{field} is not an object.").format(field="settings")]
    found = []
    for key, value in settings.items():
        if not isinstance(value, str):
            found.append(_("{field} is not text.").format(field=key))
            continue
        try:
            if validate(str(key), value) != value.strip():
                found.append(_("{field} is not written as olshop keeps it.").format(field=key))
        except OlshopError as exc:
            found.append(f"{key}: {exc.message}")
    return found


def document_problems(data: dict) -> list[str]:
    """Every problem of an export's records, as `customers #3 (mike): phone is not ...`;
    duplicate keys, SKUs and booking numbers too."""
    problems = [f"settings: {why}" for why in settings_problems(data.get("settings"))]
    checks: list[tuple[str, str, Callable[[dict], list[str]]]] = [
        ("customers", "key", customer_problems),
        ("products", "sku", product_problems),
        ("bookings", "number", booking_problems),
    ]
    for table, key, check in checks:
        records = data.get(table) or []
        if not isinstance(records, list):
            problems.append(_("{field} is not a list.").format(field=table))
            continue
        seen: set[Any] = set()
        for i, item in enumerate(records, 1):
            if not isinstance(item, dict):
                problems.append(_("{field} is not an object.").format(field=f"{table} #{i}"))
                continue
            ident = item.get(key)
            label = f"{table} #{i}" + (f" ({ident})" if isinstance(ident, str | int) else "")
            problems += [f"{label}: {why}" for why in check(item)]
            if isinstance(ident, str | int) and not isinstance(ident, bool):
                if ident in seen:
                    twice = _("{field} {value} is there twice.").format(field=key, value=ident)
                    problems.append(f"{label}: {twice}")
                seen.add(ident)
    return problems
