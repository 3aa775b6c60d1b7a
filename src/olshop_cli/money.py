"""Money as Indonesian sellers type it, always whole rupiah (int), never float."""

import re

from olshop_cli.errors import InputError
from olshop_cli.i18n import N_, _

HINT = N_("Type it like 150000, 150.000, 150rb or 1,5jt.")

_MULTIPLIERS = {
    "": 1,
    "k": 1_000,
    "rb": 1_000,
    "ribu": 1_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
}

# Currency marks people put around a price: "Rp 150.000,-", "Rp. 150rb", "IDR 150000".
_PREFIX = re.compile(r"^(?:rp\.?|idr)\s*")
_TRAILER = re.compile(r"\s*[.,]-$")
_SHAPE = re.compile(r"^(?P<number>[\d.,]+)\s*(?P<suffix>ribu|rb|k|juta|jt)?\.?$")

# Number shapes, each yielding (whole digits, fraction digits).
_DOT_GROUPS = re.compile(r"^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$")  # 1.500.000,00
_COMMA_GROUPS = re.compile(r"^(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$")  # 1,500,000.00
_COMMA_DECIMAL = re.compile(r"^(\d+),(\d+)$")  # 150,00  1,5
_DOT_DECIMAL = re.compile(r"^(\d+)\.(\d+)$")  # 1.5  150.00


def _split_number(number: str, has_suffix: bool) -> tuple[str, str] | None:
    """Return (whole digits, fraction digits) or None when the shape is not a number.

    A comma is the Indonesian decimal mark. A dot before exactly three digits groups
    thousands. "150,000" (comma before three digits) groups thousands too, but only without a
    suffix: "1,250jt" is one and a quarter million, as an Indonesian writes it.
    """
    if number.isdigit():
        return number, ""
    if m := _DOT_GROUPS.match(number):
        return m[1].replace(".", ""), m[2] or ""
    if not has_suffix and (m := _COMMA_GROUPS.match(number)):
        return m[1].replace(",", ""), m[2] or ""
    if m := _COMMA_DECIMAL.match(number):
        return m[1], m[2]
    if m := _DOT_DECIMAL.match(number):
        return m[1], m[2]
    return None


def parse_money(text: str) -> int:
    """Read an amount as typed ("150.000", "150rb", "1,5jt", "Rp 150.000,-") as whole rupiah.

    Promises a non-negative int. Raises InputError naming the text when it is empty, not a
    number, negative, or not a whole number of rupiah (``1,2345rb``).
    """
    raw = str(text)
    s = re.sub(r"\s+", " ", raw).strip().lower()
    negative = s.startswith("-")
    s = s.lstrip("-").strip()
    s = _PREFIX.sub("", s)
    if s.startswith("-"):  # "Rp -5.000"
        negative = True
        s = s[1:].strip()
    s = _TRAILER.sub("", s)

    shape = _SHAPE.match(s)
    parts = shape and _split_number(shape["number"], bool(shape["suffix"]))
    if shape is None or not parts:
        raise InputError(_("Cannot read '{text}' as money.").format(text=raw), _(HINT))
    if negative:
        raise InputError(
            _("Money cannot be negative: '{text}'.").format(text=raw),
            _("Type the amount without a minus."),
        )

    whole, fraction = parts
    scale = 10 ** len(fraction)
    # Exact integer arithmetic: (whole.fraction × multiplier) must land on a whole rupiah.
    scaled = (int(whole) * scale + int(fraction or "0")) * _MULTIPLIERS[shape["suffix"] or ""]
    amount, rest = divmod(scaled, scale)
    if rest:
        raise InputError(_("'{text}' is not a whole number of rupiah.").format(text=raw), _(HINT))
    return amount


def format_money(amount: int) -> str:
    """Show rupiah the Indonesian way: ``Rp150.000``, ``Rp0``, ``-Rp5.000``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")
