import json
import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from olshop_cli.errors import InputError
from olshop_cli.hours import (
    END_OF_DAY,
    Hours,
    format_hours,
    from_dict,
    is_open,
    next_opening,
    parse_hours,
    to_dict,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = ALL_DAYS[:5]
SPLIT_SHIFT = "mon-fri 08:00-10:00,19:00-21:00; sat 09:00-12:00"


def t(text):
    return END_OF_DAY if text == "24:00" else time.fromisoformat(text)


def week(**days):
    """Hours from keyword days: week(mon="08:00-10:00,19:00-21:00")."""
    pairs = {key: [r.split("-") for r in spec.split(",")] for key, spec in days.items()}
    return Hours(tuple(tuple((t(a), t(b)) for a, b in pairs.get(key, ())) for key in ALL_DAYS))


def on(day, hour, minute=0):
    """A moment in the week of Monday 23 November 2026, Jakarta time."""
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=JAKARTA)


SPLIT = week(**dict.fromkeys(WORKDAYS, "08:00-10:00,19:00-21:00"), sat="09:00-12:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SPLIT_SHIFT, SPLIT),
        ("Mon-Fri 08.00-10.00, 19.00-21.00; Sat 09.00-12.00", SPLIT),
        ("monday-friday 8-10,19-21; saturday 9-12", SPLIT),
        ("senin-jumat 08:00-10:00,19:00-21:00; sabtu 09:00-12:00", SPLIT),
        ("sen-jum 08:00-10:00,19:00-21:00\nsab 09:00-12:00", SPLIT),
        ("Senin - Jumat jam 08.00-10.00, 19.00-21.00; Sabtu 09.00 s/d 12.00", SPLIT),
        ("mon,wed,fri 08:00-10:00", week(mon="08:00-10:00", wed="08:00-10:00", fri="08:00-10:00")),
        ("mon wed 08:00-10:00", week(mon="08:00-10:00", wed="08:00-10:00")),
        (
            "fri-mon 10:00-12:00",
            week(**dict.fromkeys(("fri", "sat", "sun", "mon"), "10:00-12:00")),
        ),
        ("sab-sen 10:00-12:00", week(**dict.fromkeys(("sat", "sun", "mon"), "10:00-12:00"))),
        ("jum'at 13:00-17:00", week(fri="13:00-17:00")),
        ("selasa,kamis 13:00-17:00", week(tue="13:00-17:00", thu="13:00-17:00")),
        ("minggu 10:00-12:00", week(sun="10:00-12:00")),
        ("ahad 10:00-12:00", week(sun="10:00-12:00")),
        ("daily 08:00-17:00", week(**dict.fromkeys(ALL_DAYS, "08:00-17:00"))),
        ("setiap hari 08:00-17:00", parse_hours("daily 08:00-17:00")),
        ("every day 08:00-17:00", parse_hours("daily 08:00-17:00")),
        ("08:00-17:00", parse_hours("daily 08:00-17:00")),
        (
            "daily 08:00-17:00; sun closed",
            week(**dict.fromkeys(ALL_DAYS[:6], "08:00-17:00")),
        ),
        ("setiap hari 08:00-17:00; minggu tutup", parse_hours("mon-sat 08:00-17:00")),
        ("sat,sun closed; sat 10:00-12:00", week(sat="10:00-12:00")),
        ("mon 20:00-24:00", week(mon="20:00-24:00")),
        ("mon 08:00-10:00; mon 19:00-21:00", week(mon="08:00-10:00,19:00-21:00")),
        ("mon 19:00-21:00; mon 08:00-10:00", week(mon="08:00-10:00,19:00-21:00")),
        ("mon 08:00-10:00; mon 10:00-12:00", week(mon="08:00-12:00")),
        (
            "mon-fri 08:00-12:00; wed 13:00-15:00",
            week(**{**dict.fromkeys(WORKDAYS, "08:00-12:00"), "wed": "08:00-12:00,13:00-15:00"}),
        ),
        ("closed", Hours()),
        ("tutup", Hours()),
        ("mon 08:00-10:00;", week(mon="08:00-10:00")),
    ],
)
def test_parse_hours(text, expected):
    assert parse_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "says", "names"),
    [
        ("", "No working hours", None),
        ("  ;  ", "No working hours", None),
        ("mon 08:00-10:00,09:00-11:00", "overlap", "08:00-10:00 and 09:00-11:00"),
        ("daily 08:00-17:00; sat 09:00-12:00", "overlap", "08:00-17:00 and 09:00-12:00"),
        ("mon 10:00-08:00", "must end after it starts", "10:00-08:00"),
        ("mon 10:00-10:00", "must end after it starts", "10:00-10:00"),
        ("fri 22:00-02:00", "must end after it starts", "22:00-02:00"),
        ("mon 24:00-24:00", "not a real time", "24:00"),
        ("mon 08:00-25:00", "not a real time", "25:00"),
        ("mon 08:60-10:00", "not a real time", "08:60"),
        ("xyz 08:00-10:00", "days of the week", "xyz"),
        ("monday-xyz 08:00-10:00", "days of the week", "monday-xyz"),
        ("mon", "Cannot read", "mon"),
        ("mon 08:00", "Cannot read", "08:00"),
        ("mon 08:00-10:00-12:00", "Cannot read", "08:00-10:00-12:00"),
        ("mon 8am-10am", "Cannot read", "8am"),
    ],
)
def test_parse_hours_refuses(text, says, names):
    with pytest.raises(InputError) as caught:
        parse_hours(text)
    assert says in caught.value.message
    if names:
        assert names in caught.value.message
        assert f"'{text}'" in caught.value.message
    assert re.search(r"(mon|fri) \d\d:\d\d-\d\d:\d\d", caught.value.hint)  # an example to copy


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        (SPLIT_SHIFT, SPLIT_SHIFT),
        ("senin-jumat 8-17; sabtu 9-12; minggu tutup", "mon-fri 08:00-17:00; sat 09:00-12:00"),
        ("daily 08:00-17:00", "daily 08:00-17:00"),
        ("daily 08:00-17:00; sun closed", "mon-sat 08:00-17:00"),
        ("mon,wed,fri 08:00-10:00", "mon,wed,fri 08:00-10:00"),
        ("fri-mon 10:00-12:00", "mon,fri-sun 10:00-12:00"),
        (
            "mon-wed 09:00-12:00; fri 09:00-12:00; thu 13:00-24:00",
            "mon-wed,fri 09:00-12:00; thu 13:00-24:00",
        ),
        ("sat-sun 10:00-14:00", "sat-sun 10:00-14:00"),
        ("closed", "closed"),
    ],
)
def test_format_hours_is_canonical_and_reads_back(text, canonical):
    hours = parse_hours(text)
    assert format_hours(hours) == canonical
    assert parse_hours(format_hours(hours)) == hours


@pytest.mark.parametrize(
    ("moment", "open_now", "next_open"),
    [
        (on(0, 8, 0), True, on(0, 8, 0)),  # opening minute counts as open
        (on(0, 9, 59), True, on(0, 9, 59)),
        (on(0, 10, 0), False, on(0, 19, 0)),  # closing minute does not
        (on(0, 7, 0), False, on(0, 8, 0)),
        (on(0, 21, 30), False, on(1, 8, 0)),
        (on(4, 22, 0), False, on(5, 9, 0)),  # Friday night -> Saturday morning
        (on(5, 13, 0), False, on(7, 8, 0)),  # Saturday afternoon -> Monday
        (on(6, 12, 0), False, on(7, 8, 0)),  # Sunday, closed all day
    ],
)
def test_is_open_and_next_opening(moment, open_now, next_open):
    assert is_open(SPLIT, moment) is open_now
    assert next_opening(SPLIT, moment) == next_open


def test_next_opening_can_be_a_week_ahead():
    only_monday_morning = parse_hours("mon 08:00-09:00")
    assert next_opening(only_monday_morning, on(0, 10, 0)) == on(7, 8, 0)


def test_next_opening_is_none_without_hours():
    assert next_opening(Hours(), on(0, 10, 0)) is None
    assert Hours().is_empty and not SPLIT.is_empty


def test_open_until_midnight():
    late = parse_hours("mon 20:00-24:00; tue 00:00-02:00")
    assert is_open(late, on(0, 23, 59)) is True
    assert is_open(late, datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=JAKARTA)) is True
    assert is_open(late, on(1, 1, 0)) is True
    assert is_open(late, on(1, 2, 0)) is False


def test_hours_are_read_on_the_moments_own_clock():
    # 07:30 in Jakarta is 08:30 in Makassar: a Makassar moment is judged by Makassar's clock.
    makassar = on(0, 7, 30).astimezone(ZoneInfo("Asia/Makassar"))
    assert is_open(SPLIT, makassar) is True
    assert is_open(SPLIT, on(0, 7, 30)) is False
    nxt = next_opening(SPLIT, on(0, 10, 30).astimezone(ZoneInfo("Asia/Makassar")))
    assert (nxt.hour, nxt.tzinfo) == (19, ZoneInfo("Asia/Makassar"))


def test_to_dict_is_json_and_reads_back():
    hours = parse_hours(SPLIT_SHIFT + "; sun 20:00-24:00")
    stored = json.loads(json.dumps(to_dict(hours)))
    assert stored["mon"] == [["08:00", "10:00"], ["19:00", "21:00"]]
    assert stored["sat"] == [["09:00", "12:00"]]
    assert stored["sun"] == [["20:00", "24:00"]]
    assert list(stored) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert from_dict(stored) == hours


def test_from_dict_treats_missing_days_as_closed():
    assert from_dict({"sat": [["09:00", "12:00"]]}) == week(sat="09:00-12:00")
    assert from_dict({}) == Hours()


@pytest.mark.parametrize(
    ("stored", "names"),
    [
        ({"xyz": []}, "xyz"),
        ({"mon": [["08:00"]]}, "mon"),
        ({"mon": None}, "mon"),
        ({"mon": [["10:00", "09:00"]]}, "10:00-09:00"),
        ({"mon": [["08:00", "25:00"]]}, "25:00"),
        ({"mon": [["08:00", "10:00"], ["09:00", "11:00"]]}, "overlap"),
        (["mon"], "['mon']"),
    ],
)
def test_from_dict_refuses_damaged_data(stored, names):
    with pytest.raises(InputError) as caught:
        from_dict(stored)
    assert names in caught.value.message


def test_hours_refuses_inconsistent_ranges():
    with pytest.raises(ValueError):
        Hours((((t("10:00"), t("09:00")),),) + ((),) * 6)
    with pytest.raises(ValueError):
        Hours((((t("08:00"), t("10:00")), (t("09:00"), t("11:00"))),) + ((),) * 6)
    with pytest.raises(ValueError):
        Hours(((),) * 6)


# Any week of quarter-hour ranges survives format -> parse and to_dict -> from_dict. The points
# are distinct, so ranges never touch (touching ranges are stored merged).
_quarters = st.lists(st.integers(min_value=0, max_value=96), unique=True, max_size=6).map(sorted)


def _day_ranges(points):
    bounds = [END_OF_DAY if p == 96 else time(p // 4, p % 4 * 15) for p in points]
    return tuple(zip(bounds[0::2], bounds[1::2], strict=False))


@given(st.lists(_quarters, min_size=7, max_size=7))
def test_round_trips(days):
    hours = Hours(tuple(_day_ranges(points) for points in days))
    assert parse_hours(format_hours(hours)) == hours
    assert from_dict(to_dict(hours)) == hours


# Whatever is typed, the answer is a value or an InputError, never a traceback.
TYPED = st.text(alphabet="0123456789 :./-+,'abcdefhijklmnoprstuwzRpjtk()", max_size=25)


@given(TYPED | st.text(max_size=10))
def test_parse_hours_never_crashes(text):
    try:
        hours = parse_hours(text)
    except InputError:
        return
    assert parse_hours(format_hours(hours)) == hours
