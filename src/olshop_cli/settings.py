"""The shop's settings: what `olshop config get|set` reads and writes, with validation."""

from __future__ import annotations

from collections.abc import Mapping

from olshop_cli.errors import InputError, NotFound
from olshop_cli.i18n import N_, _

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
# What each setting is, in English here (the catalog's id) and in the seller's language
# where it is shown: description(key).
DESCRIPTIONS = {
    "shop-name": N_("the shop's name, used in messages to buyers"),
    "call": N_("default honorific for customers without their own (Kak, Sis, Bu...)"),
    "deadline": N_("payment deadline given to a new booking (24h, 2d...)"),
    "timezone": N_("the shop's time zone (Asia/Jakarta, Asia/Makassar, Asia/Jayapura)"),
    "bank": N_("bank account text for payment messages, e.g. 'BCA 1234567890 a.n. Siti'"),
    "lang": N_("language of messages to buyers: id or en"),
    "ui-lang": N_("language olshop speaks to you in: id or en ($OLSHOP_UI_LANG for one command)"),
    "emoji": N_("emoticons in messages to buyers: on or off"),
    "backups": N_("how many earlier versions of the ledger to keep for undo (1-1000)"),
    "hit-and-run": N_("booking for a buyer who often let bookings lapse: warn, refuse or off"),
    "dp-on-release": N_("money paid on a booking that is released: ask, refund or keep"),
    "dp-minimum": N_(
        "a down payment that holds a booking past its deadline (pre-orders): "
        "an amount (100rb) or a percentage of the total (50%); empty for none"
    ),
    "unique-code": N_(
        "a kode unik (1-999) on each new booking's total, so a transfer's amount "
        "names its booking: on (added), discount (taken off the total) or off"
    ),
}
NO_WORDS = ("", "none", "off", "no", "0", "tidak")
MONEY_CHOICES = ("ask", "refund", "keep")
ON_WORDS = {"on": "on", "yes": "on", "true": "on", "1": "on", "ya": "on"}
# The kode unik taken off the total instead of added, as a seller may say it.
DISCOUNT_WORDS = ("discount", "diskon", "minus", "kurang", "potong", "off-total")
OFF_WORDS = {"off": "off", "no": "off", "false": "off", "0": "off", "tidak": "off"}


def description(key: str) -> str:
    """What the setting `key` is, in the seller's interface language."""
    return _(DESCRIPTIONS[check_key(key)])


def check_key(key: str) -> str:
    """The setting's name as stored, or a refusal listing the known ones."""
    name = key.strip().lower().replace("_", "-")
    if name not in DEFAULTS:
        raise NotFound(
            _("There is no setting '{key}'.").format(key=key),
            _("Settings: {names}.").format(names=", ".join(DEFAULTS)),
        )
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
            raise InputError(
                _("Unknown language '{value}'.").format(value=value),
                _("Use id (Indonesian) or en."),
            )
        return value.lower()
    if key == "emoji":
        word = value.lower()
        if word in ON_WORDS:
            return ON_WORDS[word]
        if word in OFF_WORDS:
            return OFF_WORDS[word]
        raise InputError(_("'{value}' is not on or off.").format(value=value), _("Use on or off."))
    if key == "backups":
        from olshop_cli.models import whole_number

        number = whole_number(value)
        if number is None or not 1 <= number <= 1000:
            raise InputError(
                _("'{value}' is not a number of backups.").format(value=value),
                _("Use 1 to 1000, like 20."),
            )
        return str(number)
    if key == "hit-and-run":
        word = value.lower()
        if word not in ("warn", "refuse", "off"):
            raise InputError(
                _("'{value}' is not a hit-and-run rule.").format(value=value),
                _("Use warn, refuse or off."),
            )
        return word
    if key == "dp-on-release":
        word = value.lower()
        if word not in MONEY_CHOICES:
            raise InputError(
                _("'{value}' is not what happens to the money.").format(value=value),
                _("Use ask, refund or keep."),
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
            _("'{value}' is not a kode unik rule.").format(value=value),
            _("Use on (added to the total), discount (taken off it) or off."),
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
    hint = _("Give an amount (100rb) or a percentage of the total (50%), or none.")
    if raw.endswith("%"):
        from olshop_cli.models import whole_number

        percent = whole_number(raw[:-1])
        if percent is None or not 1 <= percent <= 100:
            raise InputError(
                _("'{value}' is not a percentage from 1% to 100%.").format(value=value), hint
            )
        return 0, percent
    try:
        amount = parse_money(raw)
    except InputError:
        raise InputError(
            _("'{value}' is not an amount or a percentage.").format(value=value), hint
        ) from None
    if amount <= 0:
        raise InputError(_("A minimum down payment must be more than Rp0."), hint)
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
