"""The shop's working hours: when the seller answers chats, and when the next reply comes.

A day's ranges are half-open (open at the start, closed at the end). ``24:00`` as an end is
stored as `END_OF_DAY` (``time.max``), since `datetime.time` has no hour 24.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from olshop_cli.errors import InputError
from olshop_cli.i18n import N_, _
from olshop_cli.when import WEEKDAY_NAMES

HINT = N_("Type it like: mon-fri 08:00-17:00; sat 09:00-12:00; sun closed.")
END_OF_DAY = time.max
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Range = tuple[time, time]

_EVERY_DAY = re.compile(r"^(?:daily|every ?day|setiap hari|tiap hari)$")
_CLOSED = re.compile(r"^(?P<days>.*?)\s*\b(?:closed|tutup|libur)$")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")


@dataclass(frozen=True)
class Hours:
    """Opening ranges per weekday (0 = Monday .. 6 = Sunday), each sorted and non-overlapping.

    Build it with `parse_hours` or `from_dict`; ``Hours()`` is a shop with no hours at all.
    """

    days: tuple[tuple[Range, ...], ...] = ((),) * 7

    def __post_init__(self):
        if len(self.days) != 7:
            raise ValueError("Hours needs exactly 7 days")
        for ranges in self.days:
            for start, end in ranges:
                if start >= end:
                    raise ValueError(f"range {start}-{end} does not move forward")
            for (_start, end), (start, _end) in zip(ranges, ranges[1:], strict=False):
                if start < end:
                    raise ValueError("ranges must be sorted and must not overlap")

    @property
    def is_empty(self) -> bool:
        """True when the shop has no opening hours on any day."""
        return not any(self.days)


def _fmt_time(t: time) -> str:
    return "24:00" if t == END_OF_DAY else t.strftime("%H:%M")


def _fmt_range(r: Range) -> str:
    return f"{_fmt_time(r[0])}-{_fmt_time(r[1])}"


def _read_time(text: str, whole: str, *, end: bool) -> time:
    m = _CLOCK.match(text.strip())
    if not m:
        raise InputError(
            _("Cannot read '{text}' in '{whole}' as a time of day.").format(
                text=text.strip(), whole=whole
            ),
            _(HINT),
        )
    hour, minute = int(m[1]), int(m[2] or 0)
    if end and hour == 24 and minute == 0:
        return END_OF_DAY
    if hour > 23 or minute > 59:
        raise InputError(
            _("'{text}' in '{whole}' is not a real time of day.").format(
                text=text.strip(), whole=whole
            ),
            _(HINT),
        )
    return time(hour, minute)


def _range(start: str, end: str, whole: str) -> Range:
    opens = _read_time(start, whole, end=False)
    closes = _read_time(end, whole, end=True)
    if opens >= closes:
        raise InputError(
            _("The range '{range}' in '{whole}' must end after it starts.").format(
                range=f"{start.strip()}-{end.strip()}", whole=whole
            ),
            _("Split a night across midnight: fri 22:00-24:00; sat 00:00-02:00."),
        )
    return opens, closes


def _read_ranges(text: str, whole: str) -> list[Range]:
    ranges = []
    for piece in text.split(","):
        bounds = piece.split("-")
        if len(bounds) != 2:
            raise InputError(
                _("Cannot read '{text}' in '{whole}' as hours.").format(
                    text=piece.strip(), whole=whole
                ),
                _(HINT),
            )
        ranges.append(_range(bounds[0], bounds[1], whole))
    return ranges


def _read_days(text: str, whole: str) -> list[int]:
    """Weekday numbers from ``mon-fri``, ``fri-mon`` (wraps), ``mon,wed,fri``, ``daily``."""
    # "senin-jumat jam 08.00-17.00": the filler word belongs to no day.
    text = re.sub(r"\b(?:jam|pukul)\b", " ", text).strip()
    if not text or _EVERY_DAY.match(text):
        return list(range(7))  # a clause without days applies to every day
    days: list[int] = []
    for item in re.split(r"[\s,]+", text):
        first, _dash, last = item.partition("-")
        if first not in WEEKDAY_NAMES or (last and last not in WEEKDAY_NAMES):
            raise InputError(
                _("Cannot read '{text}' in '{whole}' as days of the week.").format(
                    text=item, whole=whole
                ),
                _(HINT),
            )
        start = WEEKDAY_NAMES[first]
        stop = WEEKDAY_NAMES[last] if last else start
        days += [(start + i) % 7 for i in range((stop - start) % 7 + 1)]
    return days


def _merge(ranges: list[Range], whole: str) -> tuple[Range, ...]:
    """Sort, refuse overlaps, and join ranges that touch (10-12 and 12-14 are 10-14)."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            raise InputError(
                _("The hours {first} and {second} overlap in '{whole}'.").format(
                    first=_fmt_range(merged[-1]), second=_fmt_range((start, end)), whole=whole
                ),
                _(HINT),
            )
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def parse_hours(text: str) -> Hours:
    """Read working hours such as ``mon-fri 08:00-10:00,19:00-21:00; sat 09:00-12:00``.

    Clauses are separated by ``;`` (or new lines). Days: English (``mon``, ``monday``) or
    Indonesian (``sen``, ``senin``) names, ranges (``mon-fri``, wrapping ``fri-mon``), lists
    (``mon,wed,fri``), ``daily``/``setiap hari``/``every day``, or none (every day). Times:
    ``08:00``, ``08.00`` or ``8``; ``24:00`` only as an end. A later clause adds to a day;
    ``closed``/``tutup``/``libur`` clears it. Raises InputError naming the text for empty
    text, unknown days, overlapping ranges, or a range that does not end after it starts.
    """
    whole = str(text).strip()
    s = re.sub(r"[\u2013\u2014]", "-", whole.lower().replace("\u2019", "'").replace("`", "'"))
    s = re.sub(r"\s*(?:-|\bs/d\b|\bs\.d\.?|\bsampai\b|\bto\b)\s*", "-", s)
    s = re.sub(r"\s*,\s*", ",", s)
    clauses = [c.strip() for c in re.split(r"[;\n]", s) if c.strip()]
    if not clauses:
        raise InputError(_("No working hours were given."), _(HINT))

    week: list[list[Range]] = [[] for _ in range(7)]
    for clause in clauses:
        if closed := _CLOSED.match(clause):
            for day in _read_days(closed["days"], whole):
                week[day] = []
            continue
        first_digit = re.search(r"\d", clause)
        if not first_digit:
            raise InputError(
                _("Cannot read '{text}' in '{whole}' as working hours.").format(
                    text=clause, whole=whole
                ),
                _(HINT),
            )
        days = _read_days(clause[: first_digit.start()], whole)
        ranges = _read_ranges(clause[first_digit.start() :], whole)
        for day in days:
            week[day] = week[day] + ranges
    # Merge last, so a clause may repeat a day without order mattering; overlaps are refused.
    return Hours(tuple(_merge(ranges, whole) for ranges in week))


def _day_list(days: list[int]) -> str:
    """``mon-wed,fri`` for [0, 1, 2, 4]; ``daily`` for all seven."""
    if len(days) == 7:
        return "daily"
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        DAY_KEYS[run[0]] if len(run) == 1 else f"{DAY_KEYS[run[0]]}-{DAY_KEYS[run[-1]]}"
        for run in runs
    )


def format_hours(hours: Hours) -> str:
    """Canonical text that `parse_hours` reads back to an equal value.

    Days sharing the same ranges are grouped (``mon-fri 08:00-17:00; sat 09:00-12:00``);
    closed days are left out; a shop with no hours at all is ``closed``.
    """
    groups: dict[tuple[Range, ...], list[int]] = {}
    for day, ranges in enumerate(hours.days):
        if ranges:
            groups.setdefault(ranges, []).append(day)
    if not groups:
        return "closed"
    return "; ".join(
        f"{_day_list(days)} {','.join(_fmt_range(r) for r in ranges)}"
        for ranges, days in groups.items()
    )


def _open_at(ranges: tuple[Range, ...], t: time) -> bool:
    return any(start <= t and (t < end or end == END_OF_DAY) for start, end in ranges)


def is_open(hours: Hours, dt: datetime) -> bool:
    """True when `dt` (read on its own wall clock) falls inside an opening range."""
    return _open_at(hours.days[dt.weekday()], dt.time())


def next_opening(hours: Hours, dt: datetime) -> datetime | None:
    """`dt` itself when open, else the next range start after it (up to 7 days ahead).

    Computed in dt's own time zone. None when the shop has no hours at all.
    """
    if is_open(hours, dt):
        return dt
    for ahead in range(8):
        day = dt.date() + timedelta(days=ahead)
        for start, _end in hours.days[day.weekday()]:
            candidate = datetime.combine(day, start, tzinfo=dt.tzinfo)
            if candidate >= dt:
                return candidate
    return None


def to_dict(hours: Hours) -> dict[str, list[list[str]]]:
    """JSON-ready form: ``{"mon": [["08:00", "10:00"]], ..., "sun": []}``, all seven days."""
    return {
        key: [[_fmt_time(start), _fmt_time(end)] for start, end in ranges]
        for key, ranges in zip(DAY_KEYS, hours.days, strict=True)
    }


def from_dict(d: dict) -> Hours:
    """Rebuild Hours from `to_dict` output; missing days are closed.

    Raises InputError naming the offending entry when a key or a range cannot be read.
    """
    if not isinstance(d, dict):
        raise InputError(_("Cannot read {text} as working hours.").format(text=repr(d)), _(HINT))
    week: list[list[Range]] = [[] for _ in range(7)]
    for key, ranges in d.items():
        day = WEEKDAY_NAMES.get(str(key).lower())
        where = _("stored hours for {day}").format(day=key)
        if day is None:
            raise InputError(
                _("Cannot read '{text}' in stored working hours as a day.").format(text=key),
                _(HINT),
            )
        try:
            pairs = [(str(start), str(end)) for start, end in ranges]
        except (TypeError, ValueError):
            raise InputError(
                _("Cannot read {text} in {where} as hours.").format(text=repr(ranges), where=where),
                _(HINT),
            ) from None
        week[day] += [_range(start, end, where) for start, end in pairs]
    return Hours(tuple(_merge(ranges, _("stored working hours")) for ranges in week))
