"""Phone numbers as buyers give them, stored once as E.164 (``+6281234567890``).

`phonenumbers` is imported inside the functions that need it: it is slow to load and most
commands never touch a phone number.
"""

import re

from olshop_cli.errors import InputError
from olshop_cli.i18n import N_, _

HINT = N_("Type it like 0812-3456-7890 or +62 812 3456 7890.")

# What people put between digits; letters are refused, since phonenumbers would otherwise read
# them as a keypad vanity number ("0812-ABC").
_ALLOWED = re.compile(r"^\+?[\d\s\-.()/]+$")
_SEPARATORS = re.compile(r"[\s\-.()/]")


def normalize_phone(text: str) -> str:
    """Return the E.164 form of a typed number (``0812-3456-7890`` -> ``+6281234567890``).

    Without a ``+`` the number is Indonesian: ``0812...``, ``812...`` and ``62812...`` are all
    the same number, and ``0062...`` counts as ``+62...``. With ``+`` any country is kept as
    its own E.164. Raises InputError naming the text when it is not a possible number.
    """
    raw = str(text)
    s = raw.strip()
    bad = InputError(_("Cannot read '{text}' as a phone number.").format(text=raw), _(HINT))
    if not s or not _ALLOWED.match(s):
        raise bad
    digits = _SEPARATORS.sub("", s).lstrip("+")
    if s.startswith("+"):
        candidate = "+" + digits
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif digits.startswith("62"):
        # As copied from WhatsApp. No Indonesian number dialled at home starts with 62 (the
        # trunk prefix is 0), so this is the country code, not an area code.
        candidate = "+" + digits
    else:
        candidate = digits
    mobile = _ID_MOBILE_TYPED.fullmatch(candidate)
    if mobile:  # nearly every buyer's: no need to load phonenumbers (a test compares the two)
        return "+62" + mobile.group(1)
    return _parsed(candidate, bad)


# An Indonesian mobile number as normalize_phone has it before parsing: +62 812..., 0812...
# or 812... (the number itself 8[1-35-9] and 8 to 11 more digits, as _ID_MOBILE below).
_ID_MOBILE_TYPED = re.compile(r"(?:\+62|0)?(8[1-35-9]\d{7,10})")


def _parsed(candidate: str, bad: InputError) -> str:
    """The E.164 form of a candidate number through phonenumbers, any country."""
    import phonenumbers

    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException:
        raise bad from None
    # Strictly IS_POSSIBLE: "possible local only" (no area code) cannot be dialled from a phone.
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise bad
    # Indonesian metadata accepts 7 digits; with an area code or as a mobile it is at least 8.
    if number.country_code == 62 and len(str(number.national_number)) < 8:
        raise bad
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if len(e164) > 16:  # E.164 allows 15 digits; the ID metadata alone lets 17 through
        raise bad
    return e164


# Indonesian mobile numbers (08x with x not 0 or 4, 9 to 12 digits after the 0), which are
# nearly every buyer's: formatted here as phonenumbers formats them (a test compares the two
# over thousands of numbers), so a listing of 400 parcels does not load its metadata.
_ID_MOBILE = re.compile(r"\+62(8[1-35-9]\d{7,10})")


def format_phone(e164: str) -> str:
    """Show a stored number: Indonesian ones nationally (``0812-3456-7890``), others as
    international (``+60 12-345 6789``). Text that is not a number is returned unchanged, so a
    listing never fails on one odd record.
    """
    mobile = _ID_MOBILE.fullmatch(e164)
    if mobile:
        n = mobile.group(1)
        cut = 6 if len(n) == 9 else 7
        return f"0{n[:3]}-{n[3:cut]}-{n[cut:]}"
    return _formatted(e164)


def _formatted(e164: str) -> str:
    """format_phone through phonenumbers, for any number."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 62:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        # Landlines come as "(021) 1234567"; sellers write "021-1234567".
        return re.sub(r"\s+", "-", national.replace("(", "").replace(")", "").strip())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def wa_number(e164: str) -> str:
    """Digits only, no ``+``, as wa.me links want (``6281234567890``).

    An E.164 number is used as is (no import needed); anything else is normalized first, so a
    typed ``0812-3456-7890`` gives the same link.
    """
    if re.fullmatch(r"\+\d{6,15}", e164.strip()):
        return e164.strip()[1:]
    return normalize_phone(e164)[1:]


def looks_like_phone(text: str) -> bool:
    """Cheap guess whether a lookup means a phone: without spaces, dashes, dots, parentheses and
    a leading ``+``, at least 8 characters, all digits 0-9. Never raises; imports nothing.
    """
    s = re.sub(r"[\s\-.()]", "", str(text))
    s = s[1:] if s.startswith("+") else s
    return re.fullmatch(r"[0-9]{8,}", s) is not None
