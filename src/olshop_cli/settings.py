"""The shop's settings: what `olshop config get|set` reads and writes, with validation."""

from __future__ import annotations

from collections.abc import Mapping

from olshop_cli.errors import InputError, NotFound

DEFAULTS: dict[str, str] = {
    "shop-name": "",
    "call": "Kak",
    "deadline": "24h",
    "timezone": "Asia/Jakarta",
    "bank": "",
    "lang": "id",
    "ui-lang": "id",
    "emoji": "on",
    "backups": "20",
    "hit-and-run": "warn",
    "dp-on-release": "ask",
    "dp-minimum": "",
    "unique-code": "off",
}
DESCRIPTIONS = {
    "shop-name": "the shop's name, used in messages to buyers",
    "call": "default honorific for customers without their own (Kak, Sis, Bu...)",
    "deadline": "payment deadline given to a new booking (24h, 2d...)",
    "timezone": "the shop's time zone (Asia/Jakarta, Asia/Makassar, Asia/Jayapura)",
    "bank": "bank account text for payment messages, e.g. 'BCA 1234567890 a.n. Siti'",
    "lang": "language of messages to buyers: id or en",
    "ui-lang": "language olshop speaks to you in: id or en ($OLSHOP_UI_LANG for one command)",
    "emoji": "emoticons in messages to buyers: on or off",
    "backups": "how many earlier versions of the ledger to keep for undo (1-1000)",
    "hit-and-run": "booking for a buyer who often let bookings lapse: warn, refuse or off",
    "dp-on-release": "money paid on a booking that is released: ask, refund or keep",
    "dp-minimum": "a down payment that holds a booking past its deadline (pre-orders): "
    "an amount (100rb) or a percentage of the total (50%); empty for none",
    "unique-code": "a kode unik (1-999) on each new booking's total, so a transfer's amount "
    "names its booking: on (added), discount (taken off the total) or off",
}
NO_WORDS = ("", "none", "off", "no", "0", "tidak")
MONEY_CHOICES = ("ask", "refund", "keep")
ON_WORDS = {"on": "on", "yes": "on", "true": "on", "1": "on", "ya": "on"}
# The kode unik taken off the total instead of added, as a seller may say it.
DISCOUNT_WORDS = ("discount", "diskon", "minus", "kurang", "potong", "off-total")
OFF_WORDS = {"off": "off", "no": "off", "false": "off", "0": "off", "tidak": "off"}


def check_key(key: str) -> str:
    """The setting's name as stored, or a refusal listing the known ones."""
    name = key.strip().lower().replace("_", "-")
    if name not in DEFAULTS:
        raise NotFound(f"There is no setting '{key}'.", f"Settings: {', '.join(DEFAULTS)}.")
    return name


def validate(key: str, value: str) -> str:
    """Return the value as it will be stored, or refuse it with what to type instead."""
    from olshop_cli import when
    from olshop_cli.models import normalize_call

    key = check_key(key)
    value = value.strip()
    if key == "call":
        return normalize_call(value)
    if key == "deadline":
        when.parse_duration(value)
        return value
    if key == "timezone":
        # Stored by its IANA name, however it was typed (wib, asia/makassar).
        return getattr(when.shop_zone(value), "key", value)
    if key in ("lang", "ui-lang"):
        if value.lower() not in ("id", "en"):
            raise InputError(f"Unknown language '{value}'.", "Use id (Indonesian) or en.")
        return value.lower()
    if key == "emoji":
        word = value.lower()
        if word in ON_WORDS:
            return ON_WORDS[word]
        if word in OFF_WORDS:
            return OFF_WORDS[word]
        raise InputError(f"'{value}' is not on or off.", "Use on or off.")
    if key == "backups":
        from olshop_cli.models import whole_number

        number = whole_number(value)
        if number is None or not 1 <= number <= 1000:
            raise InputError(f"'{value}' is not a number of backups.", "Use 1 to 1000, like 20.")
        return str(number)
    if key == "hit-and-run":
        word = value.lower()
        if word not in ("warn", "refuse", "off"):
            raise InputError(f"'{value}' is not a hit-and-run rule.", "Use warn, refuse or off.")
        return word
    if key == "dp-on-release":
        word = value.lower()
        if word not in MONEY_CHOICES:
            raise InputError(
                f"'{value}' is not what happens to the money.", "Use ask, refund or keep."
            )
        return word
    if key == "unique-code":
        word = value.lower()
        if word in ON_WORDS or word in ("add", "plus", "tambah"):
            return "on"
        if word in DISCOUNT_WORDS:
            return "discount"
        if word in OFF_WORDS or word in NO_WORDS:
            return "off"
        raise InputError(
            f"'{value}' is not a kode unik rule.",
            "Use on (added to the total), discount (taken off it) or off.",
        )
    if key == "dp-minimum":
        if value.lower() in NO_WORDS:
            return ""
        dp_minimum(value)
        return value.replace(" ", "")
    return value


def dp_minimum(value: str) -> tuple[int, int | None] | None:
    """The `dp-minimum` setting as (amount, None) or (0, percent); None when it is empty."""
    from olshop_cli.money import parse_money

    raw = value.strip().replace(" ", "")
    if raw.lower() in NO_WORDS:
        return None
    hint = "Give an amount (100rb) or a percentage of the total (50%), or none."
    if raw.endswith("%"):
        from olshop_cli.models import whole_number

        percent = whole_number(raw[:-1])
        if percent is None or not 1 <= percent <= 100:
            raise InputError(f"'{value}' is not a percentage from 1% to 100%.", hint)
        return 0, percent
    try:
        amount = parse_money(raw)
    except InputError:
        raise InputError(f"'{value}' is not an amount or a percentage.", hint) from None
    if amount <= 0:
        raise InputError("A minimum down payment must be more than Rp0.", hint)
    return amount, None


# What `olshop init` asks for, in this order: the working hours are kept beside the
# settings (`hours`, as hours.to_dict gives them), the others are settings.
SETUP_KEYS = ("shop-name", "bank", "hours", "deadline", "lang", "ui-lang")


def checked_setup(chosen: Mapping[str, str]) -> dict[str, object]:
    """Every value `olshop init` was given, as it will be stored (the hours as
    hours.to_dict gives them), all checked before any is stored: a bad one is refused
    with what to type instead."""
    from olshop_cli.hours import parse_hours, to_dict

    stored: dict[str, object] = {}
    for key, text in chosen.items():
        if key == "hours":
            stored[key] = to_dict(parse_hours(text))
        else:
            stored[check_key(key)] = validate(key, text)
    return stored


def setup_text(stored: dict, key: str) -> str:
    """A value `olshop init` asks for, as the seller types it: the stored one or the
    default (working hours as `mon-fri 08:00-17:00`; "" when there are none)."""
    if key != "hours":
        value = stored.get(key, DEFAULTS[key])
        return value if isinstance(value, str) else DEFAULTS[key]
    from olshop_cli.hours import format_hours, from_dict

    if not stored.get("hours"):
        return ""
    try:
        return format_hours(from_dict(stored["hours"]))
    except InputError:  # hours edited by hand into something unreadable: ask afresh
        return ""


def effective(stored: dict) -> dict[str, str]:
    """Every setting with its value: the stored one or the default."""
    return {key: stored.get(key, default) for key, default in DEFAULTS.items()}
