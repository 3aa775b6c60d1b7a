"""The shop's clock: time zones, "now", durations and deadlines as sellers type them.

Every datetime going in or out is timezone-aware. "Now" is always passed in, never read here
(except by `resolve_now`), so every answer can be replayed with OLSHOP_NOW.
"""

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from olshop_cli.errors import InputError
from olshop_cli.i18n import N_, _

ZONE_HINT = N_("Use a name like Asia/Jakarta, Asia/Makassar or Asia/Jayapura.")
NOW_HINT = N_("Set OLSHOP_NOW to an ISO 8601 time like 2026-11-25T09:00 or 2026-11-25T09:00+07:00.")
DURATION_HINT = N_("Type it like 24h, 2d, 1d12h, 90m, 3 jam or 2 hari.")
WHEN_HINT = N_(
    "Type it like besok 17:00, besok pagi, lusa, senin depan, tgl 25, akhir bulan, "
    "25 Nov 17:00, 2026-11-25 17:00 or +24h."
)

# Indonesia's three zones by the names printed on every clock and TV schedule.
_ZONE_ALIASES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
_ZONE_OFFSETS = {"wib": 7, "wita": 8, "wit": 9}

WEEKDAY_NAMES = {
    "monday": 0, "mon": 0, "senin": 0, "sen": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "selasa": 1, "sel": 1,
    "wednesday": 2, "wed": 2, "rabu": 2, "rab": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "kamis": 3, "kam": 3,
    "friday": 4, "fri": 4, "jumat": 4, "jum'at": 4, "jum": 4,
    "saturday": 5, "sat": 5, "sabtu": 5, "sab": 5,
    "sunday": 6, "sun": 6, "minggu": 6, "min": 6, "ahad": 6,
}  # fmt: skip

MONTH_NAMES = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "agus": 8, "ags": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip

_DAY_WORDS = {
    "hari ini": 0, "today": 0, "besok": 1, "bsk": 1, "tomorrow": 1,
    "lusa": 2, "day after tomorrow": 2,
}  # fmt: skip

# Parts of the day said without an hour, at the hour Indonesians mean by them (the README's
# "What you can type"); English words are read as the Indonesian part nearest them.
PART_DEFAULTS = {"pagi": 9, "siang": 12, "sore": 16, "malam": 19}
_PART_WORDS = {
    "pagi": "pagi", "morning": "pagi",
    "siang": "siang", "noon": "siang", "midday": "siang",
    "sore": "sore", "afternoon": "sore",
    "malam": "malam", "evening": "malam", "night": "malam",
}  # fmt: skip
_PART_WORD = re.compile(r"(?<![a-z])(" + "|".join(_PART_WORDS) + r")(?![a-z])")
# English phrases said the Indonesian way, so one set of rules reads both.
_ENGLISH_PHRASES = (
    (re.compile(r"\btonight\b"), "nanti malam"),
    (re.compile(r"\bthis (morning|afternoon|evening|noon)\b"), r"hari ini \1"),
    (re.compile(r"\b(?:in the|at) (morning|afternoon|evening|night|noon)\b"), r"\1"),
    (re.compile(r"\bend of (?:the )?month\b"), "akhir bulan"),
    (re.compile(r"\bend of (?:the )?week\b"), "akhir minggu"),
    (re.compile(r"\bnext week\b"), "minggu depan"),
    (re.compile(r"\bnext month\b"), "bulan depan"),
    (re.compile(r"\bnext ([a-z']+)"), r"\1 depan"),
)
# "tgl 25", "tanggal 25", "the 25th", "25th": a day of the month, no month named.
_MONTH_DAY_ONLY = re.compile(
    r"^(?:(?:tanggal|tgl\.?|the)\s*(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th))$"
)
_DAY_PREFIX = re.compile(r"(?:tanggal|tgl\.?|the)\s*$")

_MINUTE, _HOUR, _DAY = 60, 3600, 86400
_DURATION_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "menit", "mnt"), _MINUTE),
    **dict.fromkeys(("h", "hrs", "hour", "hours", "jam"), _HOUR),
    **dict.fromkeys(("d", "day", "days", "hari"), _DAY),
    **dict.fromkeys(("w", "wk", "week", "weeks", "minggu", "mgg"), 7 * _DAY),
}
# Far beyond any deadline or extension; also keeps `now + duration` inside datetime's range.
_LONGEST = 3653 * _DAY
_DURATION_PART = re.compile(r"\s*(\d+)(?:[.,](\d+))?\s*([a-z]+)")

# "17:00", "17.00", "jam 17", "pukul 17.00", "jam 5 sore", "5pm". A bare number ("25" in
# "25 nov") is not a time: it needs a lead word, minutes or a part of the day.
_TIME = re.compile(
    r"(?<![\w./:-])"
    r"(?:(?P<lead>jam|pukul|pkl\.?|pk\.?|at)\s*)?"
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?"
    r"(?:\s*(?P<part>pagi|siang|sore|malam|am|pm))?"
    r"(?![\w./:-])"
)
_ZONE_WORD = re.compile(r"(?<![a-z])(wib|wita|wit)\b")
_ISO_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}(?::?\d{2})?)?$"
)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})([/-])(\d{1,2})(?:\2(\d{4}|\d{2}))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?([a-z]+)\.?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s+(\d{4}))?$")


class IndonesianZone(tzinfo):
    """WIB, WITA or WIT: a fixed offset (no daylight saving since 1964), so the shop's clock
    needs no time zone database loaded on every command. `key` as ZoneInfo has it."""

    def __init__(self, key: str, hours: int, abbr: str):
        self.key = key
        self._offset = timedelta(hours=hours)
        self._abbr = abbr

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self._abbr

    def __repr__(self) -> str:
        return f"IndonesianZone({self.key!r})"


_INDONESIA = {
    "asia/jakarta": ("Asia/Jakarta", 7, "WIB"),
    "asia/pontianak": ("Asia/Pontianak", 7, "WIB"),
    "asia/makassar": ("Asia/Makassar", 8, "WITA"),
    "asia/jayapura": ("Asia/Jayapura", 9, "WIT"),
}


def shop_zone(name: str) -> tzinfo:
    """Return the zone for an IANA name (case-insensitive) or WIB/WITA/WIT.

    Raises InputError naming the text when no such zone exists.
    """
    key = str(name).strip()
    key = _ZONE_ALIASES.get(key.lower(), key)
    if key.lower() in _INDONESIA:
        return IndonesianZone(*_INDONESIA[key.lower()])
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    if key:
        # Zone keys are case-sensitive file names; scanning them all is slow, so only on a miss.
        for candidate in available_timezones():
            if candidate.lower() == key.lower():
                return ZoneInfo(candidate)
    raise InputError(_("Unknown time zone '{name}'.").format(name=name), _(ZONE_HINT))


def _parse_iso(text: str) -> datetime | None:
    """ISO 8601 on any Python >= 3.10 (3.10's fromisoformat has no 'Z' nor basic format)."""
    s = text.strip().upper()
    if not re.match(r"^\d{4}-?\d{2}-?\d{2}", s):
        return None
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        pass
    # python-dateutil ships no inline types and types-python-dateutil is not a dependency.
    from dateutil.parser import isoparse  # type: ignore[import-untyped]

    try:
        return isoparse(s)
    except (ValueError, OverflowError):
        return None


def resolve_now(override: str | None, zone: tzinfo) -> datetime:
    """The current moment in `zone`, whole seconds; or the OLSHOP_NOW moment when given.

    A naive override is read as shop time, one with an offset is converted to `zone`. An
    empty override counts as unset. Raises InputError naming OLSHOP_NOW when unreadable.
    """
    if override is None or not override.strip():
        return datetime.now(zone).replace(microsecond=0)
    moment = _parse_iso(override)
    if moment is None:
        raise InputError(
            _("Cannot read OLSHOP_NOW='{text}' as a moment.").format(text=override), _(NOW_HINT)
        )
    try:
        moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    except OverflowError:
        raise InputError(
            _("OLSHOP_NOW='{text}' is outside the calendar.").format(text=override), _(NOW_HINT)
        ) from None
    check_year(moment, f"OLSHOP_NOW='{override}'", _(NOW_HINT))
    return moment.replace(microsecond=0)


def _normalize(text: str) -> str:
    s = str(text).lower().replace("\u2019", "'").replace("`", "'")
    # "25 Nov, 17:00" is two words, but "1,5 jam" keeps its decimal comma.
    s = re.sub(r"(?<!\d),|,(?!\d)", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _duration_seconds(s: str) -> int | None:
    """Seconds in a normalized duration ("+1d12h", "1,5 jam", "-2d"), None if not one."""
    sign = -1 if s.startswith("-") else 1
    s = s[1:] if s[:1] in ("+", "-") else s
    total, pos = 0, 0
    while pos < len(s):
        part = _DURATION_PART.match(s, pos)
        if not part or part[3] not in _DURATION_UNITS:
            return None
        # "1,5 jam" is 90 minutes: integer maths, fractions of a second dropped.
        fraction = part[2] or ""
        scale = 10 ** len(fraction)
        total += (int(part[1]) * scale + int(fraction or "0")) * _DURATION_UNITS[part[3]] // scale
        pos = part.end()
    return sign * total if pos else None


def parse_duration(text: str) -> timedelta:
    """Read a positive length of time: ``24h``, ``+24h``, ``2d``, ``1d12h``, ``90m``, ``3 jam``.

    Units: m/min/menit, h/jam/hour(s), d/hari/day(s), w/minggu/week(s); parts add up
    (``1 hari 12 jam``); a decimal comma or dot is allowed (``1,5 jam``); a trailing ``lagi``
    is ignored. Raises InputError naming the text when it is not a duration, not > 0, or over
    ten years.
    """
    raw = str(text)
    s = re.sub(r"\s+lagi$", "", _normalize(raw))
    seconds = _duration_seconds(s) if s else None
    if seconds is None:
        raise InputError(
            _("Cannot read '{text}' as a duration.").format(text=raw), _(DURATION_HINT)
        )
    if seconds <= 0:
        raise InputError(
            _("A duration must be longer than zero, not '{text}'.").format(text=raw),
            _(DURATION_HINT),
        )
    if seconds > _LONGEST:
        raise InputError(
            _("The duration '{text}' is longer than ten years.").format(text=raw), _(DURATION_HINT)
        )
    return timedelta(seconds=seconds)


# The 12-hour clock as said in Indonesian: which hours each part of the day names, and the
# 24-hour clock hour they mean. "jam 12 malam" is the midnight that ends the day (hour 24);
# "jam 2 malam" is before dawn. Hours the word cannot name ("jam 9 siang") are refused.
_PARTS_OF_DAY = {
    "pagi": {**{h: h for h in range(1, 12)}, 12: 0},
    "siang": {10: 10, 11: 11, 12: 12, **{h: h + 12 for h in range(1, 6)}},
    "sore": {h: h + 12 for h in range(1, 9)},
    "malam": {**{h: h for h in range(1, 6)}, **{h: h + 12 for h in range(6, 12)}, 12: 24},
}


def _clock(hour: str, minute: str | None, part: str | None) -> tuple[int, int] | None:
    """(hour, minute) on a 24 h clock; hour 24 means the midnight that ends the day."""
    h, m = int(hour), int(minute or 0)
    if part in ("am", "pm"):
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if part == "pm" else 0)
    elif part and h <= 12:
        if h not in _PARTS_OF_DAY[part]:
            return None
        h = _PARTS_OF_DAY[part][h]
    elif part and h not in _PARTS_OF_DAY[part].values():  # "jam 13 pagi": not a morning hour
        return None
    if m > 59 or h > 24 or (h == 24 and m):
        return None
    return h, m


def _upcoming(day: int, month: int, today: date) -> date | None:
    """The next day-month on or after today (29 Feb waits for a leap year)."""
    for year in range(today.year, today.year + 5):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _exact(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _month_day(day: int, today: date) -> date | None:
    """The next `day` of a month on or after today: this month's, or the next month that
    has one ("tgl 31" in November is 31 December)."""
    year, month = today.year, today.month
    for _step in range(13):
        candidate = _exact(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = year + month // 12, month % 12 + 1
    return None


def _day(rest: str, today: date) -> tuple[str, date | int | None]:
    """Classify the day part: ("none", None), ("weekday", 0-6) or ("date", date | None).

    ("date", None) means it looked like a date but no such day exists; ("bad", None) means
    it was not a day at all.
    """
    if not rest:
        return "none", None
    if rest.removeprefix("the ") in _DAY_WORDS:  # "the day after tomorrow"
        return "date", today + timedelta(days=_DAY_WORDS[rest.removeprefix("the ")])
    if rest == "nanti":  # "later today": only with a time or a part of the day, see caller
        return "date", today
    if rest == "akhir bulan":
        return "date", _month_end(today.year, today.month)
    if rest in ("akhir minggu", "akhir pekan"):  # this week's Sunday (today on a Sunday)
        return "date", today + timedelta(days=6 - today.weekday())
    if m := re.match(r"^(hari\s+)?([a-z']+)\s+depan$", rest):
        if m[2] in ("minggu", "pekan", "mgg") and not m[1]:  # next week: a week from today
            return "date", today + timedelta(days=7)
        if m[2] in ("bulan", "bln") and not m[1]:  # the same day next month, or its last day
            end = _month_end(today.year + today.month // 12, today.month % 12 + 1)
            return "date", end.replace(day=min(today.day, end.day))
        if m[2] in WEEKDAY_NAMES:  # that day in next calendar week (weeks start on Monday)
            monday = today + timedelta(days=7 - today.weekday())
            return "date", monday + timedelta(days=WEEKDAY_NAMES[m[2]])
        return "bad", None
    if m := _MONTH_DAY_ONLY.match(rest):
        return "date", _month_day(int(m[1] or m[2]), today)
    # "Rabu, 25 November 2026" as olshop writes it: the weekday must be the date's.
    if (m := re.match(r"^(?:hari\s+)?([a-z']+)\s+(.*\d.*)$", rest)) and m[1] in WEEKDAY_NAMES:
        kind, day = _day(m[2], today)
        if kind != "date":
            return "bad", None
        if isinstance(day, date) and day.weekday() != WEEKDAY_NAMES[m[1]]:
            return "date", None
        return kind, day
    rest = re.sub(r"^(?:hari|tanggal|tgl\.?|on|the)\s*", "", rest)
    if rest in WEEKDAY_NAMES:
        return "weekday", WEEKDAY_NAMES[rest]
    if m := _ISO_DAY.match(rest):
        return "date", _exact(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC_DAY.match(rest):
        day, month, year = int(m[1]), int(m[3]), m[4]
    elif (m := _DAY_MONTH.match(rest)) and m[2] in MONTH_NAMES:
        day, month, year = int(m[1]), MONTH_NAMES[m[2]], m[3]
    elif (m := _MONTH_DAY.match(rest)) and m[1] in MONTH_NAMES:
        day, month, year = int(m[2]), MONTH_NAMES[m[1]], m[3]
    else:
        return "bad", None
    if year is None:
        return "date", _upcoming(day, month, today)
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    return "date", _exact(full_year, month, day)


def _at(day: date, clock: tuple[int, int], zone: tzinfo | None) -> datetime:
    hour, minute = clock
    if hour == 24:
        return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def parse_when(text: str, now: datetime) -> datetime:
    """Read a deadline as typed and return it as an aware datetime in now's zone.

    Forms: a duration from now (``+24h``, ``2d``, ``3 jam lagi``); ISO (``2026-11-25T17:00``,
    with or without offset); a time (``17:00``, ``17.00``, ``jam 17``, ``jam 5 sore``, ``5pm``)
    meaning its next occurrence; a day (``hari ini``, ``besok``, ``lusa``, weekday names,
    ``25 Nov``, ``25/11/2026``, ``2026-11-25``) optionally with a time before or after it. A day
    without a time means 23:59 that day; a weekday means the next one (today only when a time
    still ahead is given); a day-month already past this year means next year. A WIB/WITA/WIT
    word reads the moment in that zone. Past moments are returned, not refused.

    Also: a part of the day (``besok pagi``, ``nanti sore jam 7``; PART_DEFAULTS without an
    hour; ``nanti`` is today), ``senin depan`` (that day in next calendar week, weeks from
    Monday), ``minggu depan`` (+7 days), ``bulan depan`` (same day, clamped to the month's
    end), ``tgl 25`` (this month's 25th, or the next month's once past), ``akhir bulan``,
    ``akhir minggu`` (this Sunday), olshop's own ``Rabu, 25 November 2026 pukul 17.00``
    (the weekday must match), and the English ``tomorrow morning``, ``tonight``,
    ``next monday``, ``next week``, ``the 25th``, ``end of the month`` and so on.
    Raises InputError naming the text when unreadable or impossible (``31 Feb``, ``25:00``).
    """
    raw = str(text)
    try:
        moment = _parse_when(raw, now)
    except OverflowError:  # e.g. the year 9999 pushed past the calendar by an offset
        raise InputError(
            _("'{text}' is outside the calendar.").format(text=raw), _(WHEN_HINT)
        ) from None
    wall = moment.replace(tzinfo=None)
    if moment.astimezone(timezone.utc).astimezone(moment.tzinfo).replace(tzinfo=None) != wall:
        # A zone with daylight saving skips this hour (an hour that happens twice is read as
        # its first time, fold 0).
        raise InputError(
            _("'{text}' does not exist in the shop's time zone: the clocks jump over it.").format(
                text=raw
            ),
            _("Give a time an hour later."),
        )
    if moment - now > timedelta(seconds=_LONGEST):  # whatever way it was written
        raise InputError(
            _("The deadline '{text}' is more than ten years ahead.").format(text=raw), _(WHEN_HINT)
        )
    check_year(moment, f"'{raw}'", _(WHEN_HINT))
    return moment


FIRST_YEAR, LAST_YEAR = 2000, 2099  # the years olshop works in: a date outside is a typo


def check_year(moment: datetime | date, what: str, hint: str) -> None:
    """Refuse a moment outside FIRST_YEAR..LAST_YEAR, naming it as `what`."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InputError(
            _("{what} is in the year {year}; olshop works with {first} to {last}.").format(
                what=what, year=moment.year, first=FIRST_YEAR, last=LAST_YEAR
            ),
            hint,
        )


def _parse_when(raw: str, now: datetime) -> datetime:
    s = _normalize(raw)

    duration = re.sub(r"^(?:in|dalam)\s+|\s+lagi$", "", s)
    seconds = _duration_seconds(duration) if duration else None
    if seconds is not None:
        if seconds <= 0:
            raise InputError(
                _("A deadline offset must be ahead of now, not '{text}'.").format(text=raw),
                _(WHEN_HINT),
            )
        if seconds > _LONGEST:
            raise InputError(
                _("The deadline '{text}' is more than ten years ahead.").format(text=raw),
                _(WHEN_HINT),
            )
        # Elapsed time, so go through UTC: correct even across a DST change in `now`'s zone.
        return (now.astimezone(timezone.utc) + timedelta(seconds=seconds)).astimezone(now.tzinfo)

    if _ISO_MOMENT.match(s):
        moment = _parse_iso(s)
        if moment is None:
            raise InputError(
                _("'{text}' is not a real date and time.").format(text=raw), _(WHEN_HINT)
            )
        if moment.tzinfo is None:
            return moment.replace(tzinfo=now.tzinfo)
        return moment.astimezone(now.tzinfo)

    local_now = now
    if zone_word := _ZONE_WORD.search(s):
        local_now = now.astimezone(timezone(timedelta(hours=_ZONE_OFFSETS[zone_word[1]])))
        s = _normalize(s[: zone_word.start()] + " " + s[zone_word.end() :])
    today = local_now.date()

    for phrase, indonesian in _ENGLISH_PHRASES:
        s = phrase.sub(indonesian, s)
    # A time needs a lead word, minutes or a part of the day; "25 sore" after "tgl" is the
    # 25th in the afternoon, not 25 o'clock.
    times = [
        m
        for m in _TIME.finditer(s)
        if m["lead"] or m["m"] or (m["part"] and not _DAY_PREFIX.search(s, 0, m.start()))
    ]
    if len(times) > 1 or not s:
        raise InputError(
            _("Cannot read '{text}' as a date or time.").format(text=raw), _(WHEN_HINT)
        )
    clock = None
    rest = s
    found = times[0] if times else None
    if found:
        rest = _normalize(s[: found.start()] + " " + s[found.end() :])
    parts = _PART_WORD.findall(rest)
    if len(parts) > 1:
        raise InputError(
            _("Cannot read '{text}' as a date or time.").format(text=raw), _(WHEN_HINT)
        )
    part = _PART_WORDS[parts[0]] if parts else None
    if part:
        rest = _normalize(_PART_WORD.sub(" ", rest))
    if found:
        clock = _clock(found["h"], found["m"], found["part"] or part)
        if clock and part and found["part"] and clock[0] not in _PARTS_OF_DAY[part].values():
            clock = None  # "besok pagi jam 5 sore": two different parts of the day
        if clock is None:
            raise InputError(
                _("'{text}' is not a real time of day.").format(text=raw), _(WHEN_HINT)
            )
    elif part:
        clock = (PART_DEFAULTS[part], 0)

    kind, day = _day(rest, today)
    if kind == "bad" or (kind == "none" and clock is None) or (rest == "nanti" and not clock):
        raise InputError(
            _("Cannot read '{text}' as a date or time.").format(text=raw), _(WHEN_HINT)
        )
    if kind == "date" and day is None:
        raise InputError(_("'{text}' is not a real date.").format(text=raw), _(WHEN_HINT))

    zone = local_now.tzinfo
    if (
        rest == "nanti"
        and found
        and not found["part"]
        and not part
        and clock
        and 1 <= clock[0] <= 11
        and _at(today, clock, zone) <= local_now
    ):
        clock = (clock[0] + 12, clock[1])  # "nanti jam 5" said at 09:00: 17:00, not 05:00
    if kind == "none":
        assert clock is not None  # a bare "none" day without a time was refused above
        result = _at(today, clock, zone)
        if result <= local_now:
            result = _at(today + timedelta(days=1), clock, zone)
    elif kind == "weekday":
        assert isinstance(day, int)  # _day gives a weekday as 0-6
        ahead = (day - today.weekday()) % 7
        if clock is None:
            result = _at(today + timedelta(days=ahead or 7), (23, 59), zone)
        else:
            result = _at(today + timedelta(days=ahead), clock, zone)
            if result <= local_now:
                result = _at(today + timedelta(days=ahead + 7), clock, zone)
    else:
        assert isinstance(day, date)  # "bad" and a missing date were refused above
        result = _at(day, clock or (23, 59), zone)
    return result.astimezone(now.tzinfo) if local_now is not now else result


# A report's first or last day as sellers say it, looking back: words for days gone by.
_PAST_PHRASES = (
    (re.compile(r"\byesterday\b"), "kemarin"),
    (re.compile(r"\blast week\b"), "minggu lalu"),
    (re.compile(r"\blast month\b"), "bulan lalu"),
    (re.compile(r"\bthis week\b"), "minggu ini"),
    (re.compile(r"\bthis month\b"), "bulan ini"),
    (re.compile(r"\bthis year\b"), "tahun ini"),
    (re.compile(r"\bstart of (?:the )?month\b"), "awal bulan"),
    (re.compile(r"\blast ([a-z']+)\b"), r"\1 lalu"),
    *_ENGLISH_PHRASES,
)
_PAST_DAYS = {"kemarin": 1, "kmrn": 1, "kemarin lusa": 2, "hari ini": 0, "today": 0}


def parse_day(text: str, today: date, first: bool) -> date:
    """A report's `first` (else last) day as typed, looking back: ``kemarin``, a weekday
    (the last one, today included), ``senin lalu`` (that day last week), ``minggu lalu``
    and ``bulan lalu`` (their first or last day), ``minggu ini``, ``bulan ini`` and
    ``tahun ini`` (likewise), ``awal bulan``, ``akhir bulan``, ``tgl 5``, ``25/11``,
    ``25 Nov`` and olshop's own ``Rabu, 25 November 2026``; as a first day, one without
    its month or year that is still ahead is last month's or last year's. English too
    (``yesterday``, ``last week``, ``last friday``, ``the 5th``)."""
    s = _normalize(text)
    for phrase, indonesian in _PAST_PHRASES:
        s = phrase.sub(indonesian, s)
    monday = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    spans = {
        "minggu ini": (monday, monday + timedelta(days=6)),
        "pekan ini": (monday, monday + timedelta(days=6)),
        "minggu lalu": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "pekan lalu": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "bulan ini": (month_start, _month_end(today.year, today.month)),
        "bulan lalu": (
            (month_start - timedelta(days=1)).replace(day=1),
            month_start - timedelta(days=1),
        ),
        "tahun ini": (date(today.year, 1, 1), date(today.year, 12, 31)),
        "awal bulan": (month_start, month_start),
        "awal minggu": (monday, monday),
    }
    if s in spans:
        return spans[s][0 if first else 1]
    if s in _PAST_DAYS:
        return today - timedelta(days=_PAST_DAYS[s])
    if (m := re.match(r"^(?:hari\s+)?([a-z']+)\s+lalu$", s)) and m[1] in WEEKDAY_NAMES:
        return monday - timedelta(days=7) + timedelta(days=WEEKDAY_NAMES[m[1]])
    kind, day = _day(s, today)
    if kind == "weekday":
        assert isinstance(day, int)
        return today - timedelta(days=(today.weekday() - day) % 7)
    if kind == "date" and isinstance(day, date):
        if re.search(r"\d{4}|depan|akhir", s):
            return day  # a year given, or a day ahead by its words
        # Without its month or year: this month's or this year's; as a first day, one
        # still ahead is last month's or last year's ("tgl 25" on the 3rd).
        only_day = _MONTH_DAY_ONLY.match(s) is not None
        back = today
        while True:
            found = _exact(back.year, back.month if only_day else day.month, day.day)
            if found is not None and not (first and found > today):
                return found
            back = (
                (back.replace(day=1) - timedelta(days=1))
                if only_day
                else back.replace(year=back.year - 1, day=1)
            )
    if kind == "date":
        raise InputError(_("'{text}' is not a real date.").format(text=text), _(DAY_HINT))
    raise InputError(_("'{text}' is not a date.").format(text=text), _(DAY_HINT))


DAY_HINT = N_(
    "Give a day like 2026-11-01, kemarin, senin, minggu lalu, bulan lalu, tgl 5 or 25 Nov."
)


_ONE_MINUTE, _NO_TIME = timedelta(minutes=1), timedelta(0)


def format_duration(td: timedelta) -> str:
    """Short human length: ``45m``, ``3h 5m``, ``2d 4h``; ``0m`` under a minute (in the
    seller's language: ``2 hari 4 jam``).

    Seconds are dropped (rounded down), at most the two largest units are shown, and a
    negative length gets a leading ``-``.
    """
    from olshop_cli.i18n import _

    minutes = abs(td) // _ONE_MINUTE
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    day, hour, minute = _("{n}d"), _("{n}h"), _("{n}m")  # 2 hari, 4 jam, 5 menit
    if days:
        text = day.format(n=days) + (" " + hour.format(n=hours) if hours else "")
    elif hours:
        text = hour.format(n=hours) + (" " + minute.format(n=mins) if mins else "")
    else:
        text = minute.format(n=mins)
    return "-" + text if td < _NO_TIME and minutes else text


def format_moment(dt: datetime, now: datetime) -> str:
    """A moment for the seller's tables: ``2026-11-25 17:00`` in dt's own zone, no seconds.

    `now` is taken so the signature can grow relative forms; the output is always absolute
    today, which keeps tables sortable and scripts stable.
    """
    return dt.strftime("%Y-%m-%d %H:%M")
