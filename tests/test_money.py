import pytest
from hypothesis import given
from hypothesis import strategies as st

from olshop_cli.errors import InputError
from olshop_cli.money import format_money, parse_money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150000", 150_000),
        ("150.000", 150_000),
        ("150,000", 150_000),
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("150rb", 150_000),
        ("150 rb", 150_000),
        ("150ribu", 150_000),
        ("150k", 150_000),
        ("150K", 150_000),
        ("1,5jt", 1_500_000),
        ("1.5jt", 1_500_000),
        ("1jt", 1_000_000),
        ("2 juta", 2_000_000),
        ("1,25jt", 1_250_000),
        ("1.500rb", 1_500_000),  # a dot before three digits groups thousands, suffix or not
        ("Rp 150.000", 150_000),
        ("Rp150.000", 150_000),
        ("Rp. 150.000", 150_000),
        ("rp150rb", 150_000),
        ("IDR 150000", 150_000),
        ("Rp150.000,-", 150_000),
        ("Rp 150.000,00", 150_000),
        ("150,00", 150),  # comma is the decimal mark
        ("1.500.000,00", 1_500_000),
        ("0", 0),
        ("  49.900  ", 49_900),
        ("2,5rb", 2_500),
        # as issue 16 lists them
        ("150 ribu", 150_000),
        ("1,5 juta", 1_500_000),
        ("Rp 150.000,-", 150_000),
        ("IDR 150,000", 150_000),
        ("150.000,00", 150_000),
        ("idr150rb", 150_000),
        ("Rp 1,5 jt", 1_500_000),
    ],
)
def test_parse_money_reads_what_sellers_type(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1,2345rb", "not a whole number of rupiah"),
        ("1,5", "not a whole number of rupiah"),
        ("150.5", "not a whole number of rupiah"),
        ("-5000", "cannot be negative"),
        ("-Rp5.000", "cannot be negative"),
        ("Rp -5.000", "cannot be negative"),
        ("", "Cannot read"),
        ("   ", "Cannot read"),
        ("abc", "Cannot read"),
        ("12x", "Cannot read"),
        ("1.2.3", "Cannot read"),
        ("rb", "Cannot read"),
        ("150 000", "Cannot read"),
        ("1,50,000", "Cannot read"),
        ("1,500,000rb", "Cannot read"),
        ("150rbu", "Cannot read"),
        ("Rp", "Cannot read"),
    ],
)
def test_parse_money_refuses_with_the_text_named(text, says):
    with pytest.raises(InputError) as caught:
        parse_money(text)
    assert says in caught.value.message
    assert f"'{text}'" in caught.value.message
    assert "150rb" in caught.value.hint or "minus" in caught.value.hint


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (150_000, "Rp150.000"),
        (0, "Rp0"),
        (999, "Rp999"),
        (1_000, "Rp1.000"),
        (1_500_000, "Rp1.500.000"),
        (-5_000, "-Rp5.000"),
    ],
)
def test_format_money(amount, shown):
    assert format_money(amount) == shown


@given(st.integers(min_value=0, max_value=10**15))
def test_formatted_money_reads_back(amount):
    assert parse_money(format_money(amount)) == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_plain_digits_read_as_themselves(amount):
    assert parse_money(str(amount)) == amount


# Whatever is typed, the answer is a value or an InputError, never a traceback.
TYPED = st.text(alphabet="0123456789 :./-+,'abcdefhijklmnoprstuwzRpjtk()", max_size=25)


@given(TYPED | st.text(max_size=10))
def test_parse_money_never_crashes(text):
    try:
        assert parse_money(text) >= 0
    except InputError:
        pass
