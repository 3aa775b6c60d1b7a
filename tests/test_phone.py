import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import olshop_cli
from olshop_cli.errors import InputError
from olshop_cli.phone import (
    _ID_MOBILE_TYPED,
    format_phone,
    looks_like_phone,
    normalize_phone,
    wa_number,
)

SITI = "+6281234567890"


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("0812-3456-7890", SITI),
        ("+62 812 3456 7890", SITI),
        ("+62-812-3456-7890", SITI),
        ("6281234567890", SITI),
        ("62 812 3456 7890", SITI),
        ("(0812) 3456 7890", SITI),
        ("081234567890", SITI),
        ("0812.3456.7890", SITI),
        ("812 3456 7890", SITI),
        ("+62 0812 3456 7890", SITI),  # the trunk 0 people keep after +62
        ("0062 812 3456 7890", SITI),
        ("  0812 3456 7890  ", SITI),
        ("0811-234-567", "+62811234567"),
        ("021 1234567", "+62211234567"),
        ("62 21 1234567", "+62211234567"),  # not the 0622 area code
        ("(021) 2345-6789", "+622123456789"),
        ("+60 12-345 6789", "+60123456789"),
        ("+1 415 555 0100", "+14155550100"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_normalize_phone(text, e164):
    assert normalize_phone(text) == e164


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "+",
        "abc",
        "0812-ABCD-7890",
        "1-800-FLOWERS",
        "0812",
        "12345",
        "1234567",
        "62 812",
        "+62 812",
        "081234567890123456",
        "0812 3456 7890 ext 12",
        "+62 812#3456",
    ],
)
def test_normalize_phone_refuses(text):
    with pytest.raises(InputError) as caught:
        normalize_phone(text)
    assert f"'{text}'" in caught.value.message
    assert "0812-3456-7890" in caught.value.hint


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        (SITI, "0812-3456-7890"),
        ("+62811234567", "0811-234-567"),
        ("+62211234567", "021-1234567"),
        ("+60123456789", "+60 12-345 6789"),
        ("+14155550100", "+1 415-555-0100"),
        ("not a phone", "not a phone"),  # a listing never fails on one odd record
    ],
)
def test_format_phone(e164, shown):
    assert format_phone(e164) == shown


def test_mobile_numbers_are_formatted_as_phonenumbers_formats_them():
    """format_phone skips loading phonenumbers for Indonesian mobiles: every prefix and length
    (080x and 084x, which it must leave to phonenumbers, included) gives phonenumbers' text."""
    import random

    from olshop_cli.phone import _formatted

    rng = random.Random(7)
    seen = set()
    for prefix in range(80, 90):
        for length in range(8, 14):
            for _ in range(40):
                digits = "".join(rng.choice("0123456789") for _ in range(length - 2))
                e164 = f"+62{prefix}{digits}"
                assert format_phone(e164) == _formatted(e164), e164
                seen.add(format_phone(e164).count("-"))
    assert {0, 1, 2} <= seen  # unformatted, landline-like and mobile shapes all came up


def test_mobile_numbers_are_read_as_phonenumbers_reads_them():
    """normalize_phone reads Indonesian mobiles without phonenumbers: every prefix (080x and
    084x included, which it leaves to phonenumbers), every length and the usual spellings give
    what phonenumbers gives, a refusal included."""
    import random

    from olshop_cli.errors import InputError
    from olshop_cli.phone import _parsed

    def slow(text: str) -> str:
        try:
            return _parsed(text, InputError("no"))
        except InputError:
            return "refused"

    def fast(text: str) -> str:
        try:
            return normalize_phone(text)
        except InputError:
            return "refused"

    rng = random.Random(11)
    fast_ones = 0
    for prefix in range(80, 90):
        for length in range(7, 15):
            for _ in range(15):
                rest = "".join(rng.choice("0123456789") for _ in range(length - 2))
                national = f"{prefix}{rest}"
                for typed, candidate in (
                    (f"0{national}", f"0{national}"),
                    (f"+62 {national[:3]}-{national[3:7]}-{national[7:]}", f"+62{national}"),
                    (f"62{national}", f"+62{national}"),
                    (national, national),
                ):
                    assert fast(typed) == slow(candidate), typed
                    fast_ones += _ID_MOBILE_TYPED.fullmatch(candidate) is not None
    assert fast_ones > 1000  # the fast path was taken, and agreed every time


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        (SITI, "6281234567890"),
        ("+60123456789", "60123456789"),
        ("0812-3456-7890", "6281234567890"),
        (" +6281234567890 ", "6281234567890"),
    ],
)
def test_wa_number(text, digits):
    assert wa_number(text) == digits


def test_wa_number_refuses_what_is_no_phone():
    with pytest.raises(InputError, match="'siti'"):
        wa_number("siti")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0812-3456-7890", True),
        ("+62 812 3456 7890", True),
        ("(0812) 3456.7890", True),
        ("6281234567890", True),
        ("12345678", True),
        ("1234567", False),
        ("0812", False),
        ("siti", False),
        ("Siti 0812", False),
        ("0812-3456-789x", False),
        ("++6281234567890", False),
        ("", False),
        ("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", False),  # Arabic-Indic digits
    ],
)
def test_looks_like_phone(text, expected):
    assert looks_like_phone(text) is expected


def test_looks_like_phone_does_not_load_phonenumbers():
    code = (
        "import sys; from olshop_cli.phone import looks_like_phone; "
        "looks_like_phone('0812-3456-7890'); print('phonenumbers' in sys.modules)"
    )
    src = str(Path(olshop_cli.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"


# Whatever is typed, the answer is a value or an InputError, never a traceback.
TYPED = st.text(alphabet="0123456789 :./-+,'abcdefhijklmnoprstuwzRpjtk()", max_size=25)


@given(TYPED | st.text(max_size=10))
def test_normalize_phone_never_crashes(text):
    try:
        assert re.fullmatch(r"\+[1-9]\d{5,14}", normalize_phone(text))
    except InputError:
        pass
