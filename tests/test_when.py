import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import olshop_cli
from olshop_cli.errors import InputError
from olshop_cli.when import (
    format_duration,
    format_moment,
    parse_day,
    parse_duration,
    parse_when,
    resolve_now,
    shop_zone,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
# Friday 20 November 2026, 10:30:15 in Jakarta.
NOW = datetime(2026, 11, 20, 10, 30, 15, tzinfo=JAKARTA)


def at(month, day, hour, minute, year=2026, zone=JAKARTA):
    return datetime(year, month, day, hour, minute, tzinfo=zone)


# --- shop_zone ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Asia/Jakarta", "Asia/Jakarta"),
        ("Asia/Makassar", "Asia/Makassar"),
        ("Asia/Jayapura", "Asia/Jayapura"),
        ("asia/jakarta", "Asia/Jakarta"),
        (" Asia/Jakarta ", "Asia/Jakarta"),
        ("WIB", "Asia/Jakarta"),
        ("wita", "Asia/Makassar"),
        ("WIT", "Asia/Jayapura"),
        ("UTC", "UTC"),
    ],
)
def test_shop_zone(name, key):
    assert shop_zone(name).key == key


@pytest.mark.parametrize("name", ["Asia/Bandung", "Jakarta", "Asia", "", "../etc", "/etc/passwd"])
def test_shop_zone_refuses_unknown(name):
    with pytest.raises(InputError) as caught:
        shop_zone(name)
    assert f"'{name}'" in caught.value.message
    assert "Asia/Jakarta" in caught.value.hint


# --- resolve_now -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("2026-11-20T10:30:15", NOW),
        ("2026-11-20 10:30:15", NOW),
        ("2026-11-20T10:30:15.987654", NOW),
        ("2026-11-20T10:30:15+07:00", NOW),
        ("2026-11-20T11:30:15+08:00", NOW),
        ("2026-11-20T03:30:15Z", NOW),
        ("2026-11-20T03:30:15z", NOW),
        ("20261120T103015", NOW),
        ("2026-11-20", at(11, 20, 0, 0)),
    ],
)
def test_resolve_now_reads_olshop_now(override, expected):
    now = resolve_now(override, JAKARTA)
    assert now == expected
    assert now.tzinfo is JAKARTA
    assert now.microsecond == 0


def test_resolve_now_converts_an_offset_to_the_shop_zone_wall_clock():
    now = resolve_now("2026-11-20T12:00+07:00", ZoneInfo("Asia/Jayapura"))
    assert (now.hour, now.utcoffset()) == (14, timedelta(hours=9))


@pytest.mark.parametrize("override", [None, "", "  "])
def test_resolve_now_without_override_is_the_real_clock(override):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    now = resolve_now(override, JAKARTA)
    after = datetime.now(timezone.utc)
    assert before <= now <= after
    assert now.tzinfo is JAKARTA
    assert now.microsecond == 0


@pytest.mark.parametrize(
    "override",
    ["yesterday", "2026-13-01T00:00", "2026-11-20T25:00", "now", "9999-12-31T23:00-05:00"],
)
def test_resolve_now_refuses_a_bad_override(override):
    with pytest.raises(InputError) as caught:
        resolve_now(override, JAKARTA)
    assert "OLSHOP_NOW" in caught.value.message
    assert override in caught.value.message


# --- parse_duration ----------------------------------------------------------------------

H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", 24 * H),
        ("+24h", 24 * H),
        ("2d", 2 * D),
        ("1d12h", D + 12 * H),
        ("1d 12h", D + 12 * H),
        ("1 hari 12 jam", D + 12 * H),
        ("90m", 90 * M),
        ("30 menit", 30 * M),
        ("30 mnt", 30 * M),
        ("3 jam", 3 * H),
        ("2 hari", 2 * D),
        ("1w", 7 * D),
        ("1 minggu", 7 * D),
        ("1 week", 7 * D),
        ("2 days", 2 * D),
        ("3 hours", 3 * H),
        ("1 hour", H),
        ("45 min", 45 * M),
        ("1,5 jam", 90 * M),
        ("1.5h", 90 * M),
        ("2 jam lagi", 2 * H),
        ("  3H ", 3 * H),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0h", "longer than zero"),
        ("0 menit", "longer than zero"),
        ("-2h", "longer than zero"),
        ("", "Cannot read"),
        ("abc", "Cannot read"),
        ("24", "Cannot read"),
        ("h", "Cannot read"),
        ("2 bulan", "Cannot read"),
        ("2d 3x", "Cannot read"),
        ("besok", "Cannot read"),
        ("99999999999d", "longer than ten years"),
        ("11 years", "Cannot read"),
    ],
)
def test_parse_duration_refuses(text, says):
    with pytest.raises(InputError) as caught:
        parse_duration(text)
    assert says in caught.value.message
    assert f"'{text}'" in caught.value.message
    assert "24h" in caught.value.hint


# --- parse_when --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # durations from now
        ("+24h", NOW + 24 * H),
        ("24h", NOW + 24 * H),
        ("2d", NOW + 2 * D),
        ("1d12h", NOW + D + 12 * H),
        ("3 jam", NOW + 3 * H),
        ("2 jam lagi", NOW + 2 * H),
        ("dalam 2 hari", NOW + 2 * D),
        ("in 90m", NOW + 90 * M),
        # ISO
        ("2026-11-25T17:00", at(11, 25, 17, 0)),
        ("2026-11-25 17:00", at(11, 25, 17, 0)),
        ("2026-11-25T17:00:00", at(11, 25, 17, 0)),
        ("2026-11-25", at(11, 25, 23, 59)),
        ("2026-11-25T17:00+08:00", at(11, 25, 16, 0)),
        ("2026-11-25T10:00Z", at(11, 25, 17, 0)),
        ("2026-11-25 jam 5 sore", at(11, 25, 17, 0)),
        # a time alone: today, or tomorrow once past
        ("17:00", at(11, 20, 17, 0)),
        ("17.00", at(11, 20, 17, 0)),
        ("jam 17", at(11, 20, 17, 0)),
        ("pukul 17.00", at(11, 20, 17, 0)),
        ("pkl. 17.00", at(11, 20, 17, 0)),
        ("jam 5 sore", at(11, 20, 17, 0)),
        ("jam 1 siang", at(11, 20, 13, 0)),
        ("jam 17 sore", at(11, 20, 17, 0)),  # a 24-hour hour the word can name
        ("jam 20 malam", at(11, 20, 20, 0)),
        ("jam 7 malam", at(11, 20, 19, 0)),
        ("jam 12 siang", at(11, 20, 12, 0)),
        ("jam 11 siang", at(11, 20, 11, 0)),
        ("jam 10 siang", at(11, 21, 10, 0)),
        ("jam 9 pagi", at(11, 21, 9, 0)),
        ("jam 12 malam", at(11, 21, 0, 0)),
        ("jam 2 malam", at(11, 21, 2, 0)),
        ("5pm", at(11, 20, 17, 0)),
        ("9 am", at(11, 21, 9, 0)),
        ("09:00", at(11, 21, 9, 0)),
        ("10:30", at(11, 21, 10, 30)),  # 10:30:00 is before NOW (10:30:15)
        ("10:31", at(11, 20, 10, 31)),
        ("24:00", at(11, 21, 0, 0)),
        # day words
        ("hari ini", at(11, 20, 23, 59)),
        ("today", at(11, 20, 23, 59)),
        ("besok", at(11, 21, 23, 59)),
        ("bsk", at(11, 21, 23, 59)),
        ("tomorrow", at(11, 21, 23, 59)),
        ("lusa", at(11, 22, 23, 59)),
        ("hari ini 09:00", at(11, 20, 9, 0)),  # an explicit day is kept even when past
        # weekdays: the next one; today (a Friday) only with a time still ahead
        ("Senin", at(11, 23, 23, 59)),
        ("hari senin", at(11, 23, 23, 59)),
        ("selasa", at(11, 24, 23, 59)),
        ("Rabu", at(11, 25, 23, 59)),
        ("kamis", at(11, 26, 23, 59)),
        ("Jumat", at(11, 27, 23, 59)),
        ("Jum'at", at(11, 27, 23, 59)),
        ("Jum\u2019at", at(11, 27, 23, 59)),
        ("sabtu", at(11, 21, 23, 59)),
        ("Minggu", at(11, 22, 23, 59)),
        ("ahad", at(11, 22, 23, 59)),
        ("monday", at(11, 23, 23, 59)),
        ("Mon", at(11, 23, 23, 59)),
        ("tue", at(11, 24, 23, 59)),
        ("thursday", at(11, 26, 23, 59)),
        ("fri", at(11, 27, 23, 59)),
        ("Sun", at(11, 22, 23, 59)),
        ("jumat 11:00", at(11, 20, 11, 0)),
        ("jumat 10:00", at(11, 27, 10, 0)),
        ("Senin 10:00", at(11, 23, 10, 0)),
        # day and month
        ("25 Nov", at(11, 25, 23, 59)),
        ("25 November", at(11, 25, 23, 59)),
        ("25 nov.", at(11, 25, 23, 59)),
        ("25 Nov 2026", at(11, 25, 23, 59)),
        ("25/11", at(11, 25, 23, 59)),
        ("25/11/2026", at(11, 25, 23, 59)),
        ("25/11/26", at(11, 25, 23, 59)),
        ("25-11-2026", at(11, 25, 23, 59)),
        ("nov 25", at(11, 25, 23, 59)),
        ("tgl 25 nov", at(11, 25, 23, 59)),
        ("20 Nov", at(11, 20, 23, 59)),  # today has not passed
        ("19 Nov", at(11, 19, 23, 59, year=2027)),  # already passed: next year
        ("1 Januari", at(1, 1, 23, 59, year=2027)),
        ("5 Jan 2027", at(1, 5, 23, 59, year=2027)),
        ("1 Desember", at(12, 1, 23, 59)),
        ("1 des", at(12, 1, 23, 59)),
        ("1 Dec", at(12, 1, 23, 59)),
        ("17 Agustus", at(8, 17, 23, 59, year=2027)),
        ("17 Agu", at(8, 17, 23, 59, year=2027)),
        ("17 Agt", at(8, 17, 23, 59, year=2027)),
        ("17 agus", at(8, 17, 23, 59, year=2027)),
        ("17 Aug", at(8, 17, 23, 59, year=2027)),
        ("1 Mei", at(5, 1, 23, 59, year=2027)),
        ("1 May", at(5, 1, 23, 59, year=2027)),
        ("1 Okt", at(10, 1, 23, 59, year=2027)),
        ("1 Oct", at(10, 1, 23, 59, year=2027)),
        ("14 Februari", at(2, 14, 23, 59, year=2027)),
        ("1 Maret", at(3, 1, 23, 59, year=2027)),
        ("1 Juni", at(6, 1, 23, 59, year=2027)),
        ("1 Juli", at(7, 1, 23, 59, year=2027)),
        ("1 Sep", at(9, 1, 23, 59, year=2027)),
        ("29 Feb", at(2, 29, 23, 59, year=2028)),
        # day with time, either order
        ("besok 17:00", at(11, 21, 17, 0)),
        ("besok jam 10", at(11, 21, 10, 0)),
        ("lusa 09.30", at(11, 22, 9, 30)),
        ("25 Nov 17:00", at(11, 25, 17, 0)),
        ("25 Nov, 17:00", at(11, 25, 17, 0)),
        ("17:00 25 Nov", at(11, 25, 17, 0)),
        ("jam 10 besok", at(11, 21, 10, 0)),
        ("tomorrow at 5pm", at(11, 21, 17, 0)),
        ("25/11/2026 17.00", at(11, 25, 17, 0)),
        ("  BESOK    17:00  ", at(11, 21, 17, 0)),
        # zone words: read in that zone, answered in the shop's
        ("besok jam 17.00 WIB", at(11, 21, 17, 0)),
        ("besok jam 17.00 WITA", at(11, 21, 16, 0)),
        ("besok 18:00 wit", at(11, 21, 16, 0)),
    ],
)
def test_parse_when(text, expected):
    result = parse_when(text, NOW)
    assert result == expected
    assert result.tzinfo is NOW.tzinfo
    assert result.utcoffset() == timedelta(hours=7)


# Monday 23 November 2026, 09:00 in Jakarta (issue 16's clock).
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what already worked on that Monday
        ("besok", at(11, 24, 23, 59)),
        ("besok jam 5 sore", at(11, 24, 17, 0)),
        ("lusa jam 10", at(11, 25, 10, 0)),
        ("senin", at(11, 30, 23, 59)),
        ("2 hari lagi", MONDAY + 2 * D),
        ("3 jam lagi", MONDAY + 3 * H),
        ("25/11", at(11, 25, 23, 59)),
        ("25 Nov jam 5 sore", at(11, 25, 17, 0)),
        ("jumat jam 12 siang", at(11, 27, 12, 0)),
        ("hari ini jam 20.00", at(11, 23, 20, 0)),
        ("jam 9 malam", at(11, 23, 21, 0)),
        ("1 minggu", MONDAY + 7 * D),
        ("25 November pukul 17.00", at(11, 25, 17, 0)),
        ("jam 7 malam", at(11, 23, 19, 0)),
        ("tomorrow at 5pm", at(11, 24, 17, 0)),
        # parts of the day: pagi 09:00, siang 12:00, sore 16:00, malam 19:00 without an hour
        ("besok pagi", at(11, 24, 9, 0)),
        ("tomorrow morning", at(11, 24, 9, 0)),
        ("nanti malam", at(11, 23, 19, 0)),
        ("tonight", at(11, 23, 19, 0)),
        ("nanti sore", at(11, 23, 16, 0)),
        ("this afternoon", at(11, 23, 16, 0)),
        ("nanti sore jam 7", at(11, 23, 19, 0)),
        ("this evening", at(11, 23, 19, 0)),
        ("this evening at 7", at(11, 23, 19, 0)),
        ("tonight at 7pm", at(11, 23, 19, 0)),
        ("lusa siang", at(11, 25, 12, 0)),
        ("day after tomorrow at noon", at(11, 25, 12, 0)),
        ("hari ini sore", at(11, 23, 16, 0)),
        ("sore hari ini", at(11, 23, 16, 0)),
        ("nanti siang", at(11, 23, 12, 0)),
        ("nanti pagi", at(11, 23, 9, 0)),  # "nanti" is today, kept even when past
        ("nanti jam 5", at(11, 23, 17, 0)),  # 05:00 has passed at 09:00: the afternoon
        ("nanti jam 10", at(11, 23, 10, 0)),  # still ahead this morning
        ("nanti jam 17.30", at(11, 23, 17, 30)),
        ("this morning", at(11, 23, 9, 0)),
        ("besok pagi jam 10", at(11, 24, 10, 0)),
        ("besok jam 10 pagi", at(11, 24, 10, 0)),
        ("besok malam", at(11, 24, 19, 0)),
        ("tomorrow night", at(11, 24, 19, 0)),
        ("tomorrow at 9 at night", at(11, 24, 21, 0)),
        ("besok malam jam 12", at(11, 25, 0, 0)),  # the midnight that ends tomorrow
        ("senin pagi", at(11, 30, 9, 0)),  # today's 09:00 is not ahead
        ("jumat sore", at(11, 27, 16, 0)),
        ("sore", at(11, 23, 16, 0)),  # a part alone: its next time, like a time alone
        ("pagi", at(11, 24, 9, 0)),
        # the named day in next calendar week (weeks start on Monday)
        ("senin depan", at(11, 30, 23, 59)),
        ("next monday", at(11, 30, 23, 59)),
        ("Senin depan pukul 08.00", at(11, 30, 8, 0)),  # as olshop writes a reply time
        ("next Monday at 08:00", at(11, 30, 8, 0)),
        ("rabu depan", at(12, 2, 23, 59)),
        ("next wednesday", at(12, 2, 23, 59)),
        ("jumat depan jam 10", at(12, 4, 10, 0)),
        ("hari minggu depan", at(12, 6, 23, 59)),  # Sunday; "minggu depan" is next week
        ("next sunday", at(12, 6, 23, 59)),
        # next week: seven days on; next month: the same day, or that month's last
        ("minggu depan", at(11, 30, 23, 59)),
        ("pekan depan", at(11, 30, 23, 59)),
        ("next week", at(11, 30, 23, 59)),
        ("minggu depan jam 10", at(11, 30, 10, 0)),
        ("next week at 10:00", at(11, 30, 10, 0)),
        ("bulan depan", at(12, 23, 23, 59)),
        ("next month", at(12, 23, 23, 59)),
        ("bulan depan jam 17.00", at(12, 23, 17, 0)),
        # a day of the month: this month's, or next month's once it has passed
        ("tgl 25", at(11, 25, 23, 59)),
        ("tanggal 25", at(11, 25, 23, 59)),
        ("the 25th", at(11, 25, 23, 59)),
        ("25th", at(11, 25, 23, 59)),
        ("tanggal 25 jam 17.00", at(11, 25, 17, 0)),
        ("the 25th at 17:00", at(11, 25, 17, 0)),
        ("the 25th at 5pm", at(11, 25, 17, 0)),
        ("tgl 25 sore", at(11, 25, 16, 0)),
        ("tgl. 23", at(11, 23, 23, 59)),  # today has not passed
        ("tgl 20", at(12, 20, 23, 59)),
        ("the 20th", at(12, 20, 23, 59)),
        ("tgl 31", at(12, 31, 23, 59)),  # November has no 31st: the next month that has
        ("25th November", at(11, 25, 23, 59)),
        ("25th of November", at(11, 25, 23, 59)),
        ("November 25th", at(11, 25, 23, 59)),
        # ends of the month and the week (the week ends on Sunday)
        ("akhir bulan", at(11, 30, 23, 59)),
        ("end of the month", at(11, 30, 23, 59)),
        ("end of month", at(11, 30, 23, 59)),
        ("akhir bulan jam 12 siang", at(11, 30, 12, 0)),
        ("akhir minggu", at(11, 29, 23, 59)),
        ("akhir pekan", at(11, 29, 23, 59)),
        ("end of the week", at(11, 29, 23, 59)),
        ("end of week", at(11, 29, 23, 59)),
        # the dates olshop writes itself, in both languages
        ("Rabu, 25 November 2026 pukul 17.00", at(11, 25, 17, 0)),
        ("Rabu 25 Nov 2026 17.00", at(11, 25, 17, 0)),
        ("Rabu, 25 November pukul 17.00", at(11, 25, 17, 0)),
        ("Rabu, 25 November 2026 pukul 17.00 WIB", at(11, 25, 17, 0)),
        ("Wednesday, 25 November 2026 at 17:00", at(11, 25, 17, 0)),
        ("Wednesday 25 November at 17:00", at(11, 25, 17, 0)),
        ("Wed 25 Nov 2026 17:00", at(11, 25, 17, 0)),
        ("hari rabu tanggal 25", at(11, 25, 23, 59)),
    ],
)
def test_parse_when_as_sellers_type_it(text, expected):
    result = parse_when(text, MONDAY)
    assert result == expected
    assert result.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (at(1, 31, 9, 0), "bulan depan", at(2, 28, 23, 59)),  # clamped to February's end
        (at(1, 31, 9, 0), "next month", at(2, 28, 23, 59)),
        (at(12, 15, 9, 0), "bulan depan", at(1, 15, 23, 59, year=2027)),
        (at(12, 20, 9, 0), "tgl 5", at(1, 5, 23, 59, year=2027)),
        (at(2, 10, 9, 0), "tgl 30", at(3, 30, 23, 59)),
        (at(2, 10, 9, 0), "akhir bulan", at(2, 28, 23, 59)),
        (at(11, 29, 9, 0), "akhir minggu", at(11, 29, 23, 59)),  # on Sunday: today
        (at(11, 29, 9, 0), "senin depan", at(11, 30, 23, 59)),  # Sunday: next week starts tomorrow
        (at(11, 29, 9, 0), "minggu depan", at(12, 6, 23, 59)),
        (at(11, 25, 9, 0), "senin depan", at(11, 30, 23, 59)),
        (at(11, 25, 9, 0), "rabu depan", at(12, 2, 23, 59)),
        (at(11, 23, 20, 0), "nanti malam", at(11, 23, 19, 0)),  # past: kept, for book to refuse
    ],
)
def test_parse_when_calendar_edges(now, text, expected):
    assert parse_when(text, now) == expected


def test_parse_when_answers_in_nows_zone():
    now = NOW.astimezone(ZoneInfo("Asia/Makassar"))
    result = parse_when("2026-11-25T17:00+07:00", now)
    assert (result.hour, result.tzinfo) == (18, now.tzinfo)
    assert parse_when("besok 17:00", now) == datetime(2026, 11, 21, 17, 0, tzinfo=now.tzinfo)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("17:00", at(11, 21, 17, 0)), ("jumat 17:00", at(11, 27, 17, 0))],
)
def test_a_time_equal_to_now_is_not_ahead(text, expected):
    assert parse_when(text, at(11, 20, 17, 0)) == expected


def test_parse_when_keeps_past_moments():
    assert parse_when("2026-01-01 09:00", NOW) == at(1, 1, 9, 0)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31 Feb", "not a real date"),
        ("30/02", "not a real date"),
        ("2026-02-30", "not a real date"),
        ("2026-02-30 10:00", "not a real date"),
        ("32 Nov", "not a real date"),
        ("25/13/2026", "not a real date"),
        ("25:00", "not a real time"),
        ("besok 17:60", "not a real time"),
        ("jam 9 siang", "not a real time"),
        ("jam 13 pagi", "not a real time"),
        ("jam 21 sore", "not a real time"),
        ("jam 14 malam", "not a real time"),
        ("13pm", "not a real time"),
        ("abc", "Cannot read"),
        ("", "Cannot read"),
        ("17", "Cannot read"),
        ("jam", "Cannot read"),
        ("besok besok", "Cannot read"),
        ("nanti", "Cannot read"),
        ("pagi sore", "Cannot read"),
        ("besok pagi sore", "Cannot read"),
        ("next foo", "Cannot read"),
        ("foo depan", "Cannot read"),
        ("tgl", "Cannot read"),
        ("akhir", "Cannot read"),
        ("pagi jam 13", "not a real time"),
        ("besok pagi jam 5 sore", "not a real time"),
        ("tomorrow morning at 5pm", "not a real time"),
        ("tgl 32", "not a real date"),
        ("tgl 0", "not a real date"),
        ("Senin, 25 November 2026", "not a real date"),  # 25 November 2026 is a Wednesday
        ("25 Foo", "Cannot read"),
        ("17:00 18:00", "Cannot read"),
        ("-2h", "ahead of now"),
        ("0m", "ahead of now"),
        ("99999999999d", "more than ten years"),
        ("9999-12-31T23:00-05:00", "outside the calendar"),
        ("31/12/9999 24:00", "outside the calendar"),
    ],
)
def test_parse_when_refuses(text, says):
    with pytest.raises(InputError) as caught:
        parse_when(text, NOW)
    assert says in caught.value.message
    assert f"'{text}'" in caught.value.message
    for example in ("besok 17:00", "lusa", "25 Nov 17:00", "2026-11-25 17:00", "+24h"):
        assert example in caught.value.hint


# --- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("td", "shown"),
    [
        (timedelta(0), "0m"),
        (timedelta(seconds=59), "0m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(minutes=45, seconds=59), "45m"),
        (timedelta(hours=3, minutes=5), "3h 5m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=2, hours=4, minutes=30), "2d 4h"),
        (timedelta(days=2, minutes=30), "2d"),
        (timedelta(days=12), "12d"),
        (timedelta(hours=-3, minutes=-5), "-3h 5m"),
    ],
)
def test_format_duration(td, shown):
    assert format_duration(td) == shown


@pytest.mark.parametrize(
    ("dt", "shown"),
    [
        (at(11, 25, 17, 0), "2026-11-25 17:00"),
        (datetime(2026, 11, 25, 17, 0, 59, tzinfo=JAKARTA), "2026-11-25 17:00"),
        (at(1, 5, 9, 7, year=2027), "2027-01-05 09:07"),
        (at(11, 25, 18, 0, zone=ZoneInfo("Asia/Makassar")), "2026-11-25 18:00"),
    ],
)
def test_format_moment(dt, shown):
    assert format_moment(dt, NOW) == shown


# --- start-up cost -----------------------------------------------------------------------


@pytest.mark.parametrize("module", ["money", "when", "phone", "hours"])
def test_parsers_import_nothing_heavy(module):
    heavy = ["typer", "rich", "tinydb", "phonenumbers", "dateutil"]
    code = f"import sys, olshop_cli.{module}; print([m for m in {heavy!r} if m in sys.modules])"
    env = {**os.environ, "PYTHONPATH": str(Path(olshop_cli.__file__).parents[1])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


# Whatever is typed, the answer is a value or an InputError, never a traceback.
TYPED = st.text(alphabet="0123456789 :./-+,'abcdefhijklmnoprstuwzRpjtk()", max_size=25)


@given(TYPED | st.text(max_size=10))
def test_parsers_never_crash(text):
    try:
        assert parse_when(text, NOW).tzinfo is NOW.tzinfo
    except InputError:
        pass
    try:
        assert parse_duration(text) > timedelta(0)
    except InputError:
        pass


def test_a_local_time_the_clocks_skip_is_refused_and_a_repeated_one_read_as_the_first():
    """In a zone with daylight saving (a shop may set any zone), 02:30 on the spring-forward
    night does not exist; 02:30 on the autumn night happens twice and is its first time."""
    from olshop_cli.when import shop_zone

    berlin = shop_zone("Europe/Berlin")
    now = datetime(2027, 3, 20, 9, 0, tzinfo=berlin)
    with pytest.raises(InputError, match="does not exist in the shop's time zone"):
        parse_when("2027-03-28 02:30", now)
    assert parse_when("2027-03-28 03:30", now).utcoffset() == timedelta(hours=2)
    autumn = parse_when("2027-10-31 02:30", now)
    assert autumn.utcoffset() == timedelta(hours=2) and autumn.fold == 0


# A report's first and last day as sellers type them, looking back; Monday 23 Nov 2026.
@pytest.mark.parametrize(
    "text, first, last",
    [
        ("hari ini", "2026-11-23", "2026-11-23"),
        ("today", "2026-11-23", "2026-11-23"),
        ("kemarin", "2026-11-22", "2026-11-22"),
        ("yesterday", "2026-11-22", "2026-11-22"),
        ("kemarin lusa", "2026-11-21", "2026-11-21"),
        ("senin", "2026-11-23", "2026-11-23"),  # today is Monday: today
        ("jumat", "2026-11-20", "2026-11-20"),  # the last Friday, not the next
        ("minggu", "2026-11-22", "2026-11-22"),
        ("senin lalu", "2026-11-16", "2026-11-16"),
        ("last friday", "2026-11-20", "2026-11-20"),
        ("minggu lalu", "2026-11-16", "2026-11-22"),
        ("pekan lalu", "2026-11-16", "2026-11-22"),
        ("last week", "2026-11-16", "2026-11-22"),
        ("minggu ini", "2026-11-23", "2026-11-29"),
        ("this week", "2026-11-23", "2026-11-29"),
        ("bulan lalu", "2026-10-01", "2026-10-31"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("bulan ini", "2026-11-01", "2026-11-30"),
        ("this month", "2026-11-01", "2026-11-30"),
        ("tahun ini", "2026-01-01", "2026-12-31"),
        ("awal bulan", "2026-11-01", "2026-11-01"),
        ("start of the month", "2026-11-01", "2026-11-01"),
        ("akhir bulan", "2026-11-30", "2026-11-30"),
        ("end of the month", "2026-11-30", "2026-11-30"),
        ("tgl 1", "2026-11-01", "2026-11-01"),
        ("tgl 23", "2026-11-23", "2026-11-23"),
        ("tgl 25", "2026-10-25", "2026-11-25"),  # as a first day: the last 25th gone by
        ("tanggal 31", "2026-10-31", "2026-10-31"),  # November has no 31st
        ("the 5th", "2026-11-05", "2026-11-05"),
        ("tgl 30", "2026-10-30", "2026-11-30"),
        ("25 Nov", "2025-11-25", "2026-11-25"),
        ("1 Nov", "2026-11-01", "2026-11-01"),
        ("1 Des", "2025-12-01", "2026-12-01"),  # as a first day: last December
        ("25/11", "2025-11-25", "2026-11-25"),
        ("1/11/2026", "2026-11-01", "2026-11-01"),
        ("Rabu, 25 November 2026", "2026-11-25", "2026-11-25"),
        ("November 1", "2026-11-01", "2026-11-01"),
    ],
)
def test_parse_day_for_a_report(text, first, last):
    today = MONDAY.date()
    assert parse_day(text, today, first=True).isoformat() == first
    assert parse_day(text, today, first=False).isoformat() == last


@pytest.mark.parametrize(
    "text, says",
    [
        ("kapan-kapan", "'kapan-kapan' is not a date"),
        ("31 Feb", "'31 Feb' is not a real date"),
        ("Selasa, 25 November 2026", "is not a real date"),  # 25 Nov 2026 is a Wednesday
        ("", "is not a date"),
    ],
)
def test_parse_day_refuses(text, says):
    with pytest.raises(InputError, match=says):
        parse_day(text, MONDAY.date(), first=True)
