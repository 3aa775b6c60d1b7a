"""How the shop is doing over a period: revenue, bookings, hit-and-run rate, best sellers.

Pure: takes bookings, customers, products and the period's bounds (aware datetimes in the
shop's time zone) and returns plain data; the CLI prints it. One pass over the bookings, so a
100,000-booking ledger costs what reading it costs.

What counts where:
- revenue and `paid`: bookings that were paid (now paid, shipped or done), counted at the
  moment they became fully paid (their last payment), for their booking total;
- `booked`: bookings made (created) in the period, whatever became of them;
- `released` / `cancelled`: by the moment they were closed;
- hit-and-run rate: released / (paid + released + cancelled) in the period: of the bookings
  whose payment question was settled, the share the buyer let lapse (the same rule as the
  warning on `olshop book`);
- average time to pay: from booking to full payment, over the bookings paid in the period;
- gross profit: over the bookings counted as paid whose every line has a cost price (taken
  at booking time), their goods total less quantity x cost; `costed` counts them;
- money in: every payment entry at its own moment (down payments included, whatever became
  of the booking since) less every refund entry at its moment; `refunds` and `kept` (money
  paid that the shop kept: a down payment forfeited, an overpayment kept as credit) each by
  the moment of their entry.

Closed bookings reach a report as sums per day (`by_day`, kept by the archive); sums written
before money in was counted are read by `money_of_old_sum`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from olshop_cli.errors import InputError
from olshop_cli.i18n import _
from olshop_cli.models import CANCELLED, DONE, PAID, RELEASED, SHIPPED, Booking, Customer, Product

PERIODS = ("week", "month", "year", "all")
TOP = 5
PAID_STATUSES = (PAID, SHIPPED, DONE)


@dataclass
class Period:
    """From `start` (None: from the first booking) to `end`, both included."""

    name: str
    start: datetime | None
    end: datetime

    @property
    def unit(self) -> str:
        """The chart's bar: a day for up to ~two months, else a month."""
        if self.start is None:
            return "month"
        return "day" if (self.end - self.start) <= timedelta(days=62) else "month"


def named_period(name: str, now: datetime) -> Period:
    """`week` (since Monday 00:00), `month` (since the 1st), `year` (since 1 January) or
    `all`, each up to now, in the time zone of `now` (the shop's)."""
    word = name.strip().lower()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if word == "week":
        start = midnight - timedelta(days=now.weekday())
    elif word == "month":
        start = midnight.replace(day=1)
    elif word == "year":
        start = midnight.replace(month=1, day=1)
    elif word == "all":
        start = None
    else:
        raise InputError(
            _("Unknown period '{name}'.").format(name=name),
            _("Use one of: {names}.").format(names=", ".join(PERIODS)),
        )
    return Period(word, start, now)


def day_bounds(text: str, now: datetime, end_of_day: bool) -> datetime:
    """`2026-11-01` -> that day's start (or its last second), in the shop's time zone; a full
    ISO moment (`2026-11-01T12:00`) as given; a day as sellers say it (when.parse_day:
    `kemarin`, `minggu lalu`, `tgl 5`); years 2000 to 2099."""
    from olshop_cli.when import check_year

    raw = text.strip()
    hint = _("Give it as YYYY-MM-DD, like 2026-11-01.")
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is not None:
        check_year(day, f"'{text}'", hint)
        moment = datetime(day.year, day.month, day.day, tzinfo=now.tzinfo)
        return moment + timedelta(days=1, seconds=-1) if end_of_day else moment
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        from olshop_cli.when import parse_day

        # As sellers say it: kemarin, senin, minggu lalu, bulan lalu, tgl 5, 25 Nov.
        day = parse_day(raw, now.date(), first=not end_of_day)
        check_year(day, f"'{text}'", hint)
        moment = datetime(day.year, day.month, day.day, tzinfo=now.tzinfo)
        return moment + timedelta(days=1, seconds=-1) if end_of_day else moment
    check_year(moment, f"'{text}'", hint)
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def custom_period(start: str | None, end: str | None, now: datetime) -> Period:
    """`--from DATE --to DATE`, both days included; a missing end is now."""
    first = day_bounds(start, now, end_of_day=False) if start else None
    last = day_bounds(end, now, end_of_day=True) if end else now
    if first is not None and first > last:
        raise InputError(
            _("The period starts ({start}) after it ends ({end}).").format(
                start=f"{first:%Y-%m-%d}", end=f"{last:%Y-%m-%d}"
            ),
            _("Give --from before --to."),
        )
    return Period("custom", first, last)


@dataclass
class Ranked:
    """A product, customer or channel with what it brought in."""

    key: str
    name: str
    revenue: int = 0
    count: int = 0  # units for products, bookings for customers and channels


@dataclass
class Report:
    period: Period
    revenue: int = 0
    booked: int = 0
    paid: int = 0
    released: int = 0
    cancelled: int = 0
    pay_seconds: int = 0  # summed booking -> payment times, for the average
    ongkir: int = 0  # shipping paid by the buyers of those bookings: not revenue
    discounts: int = 0  # given on those bookings (revenue is after them)
    profit: int = 0  # gross profit of the paid bookings whose costs are all known
    costed: int = 0  # how many of the paid bookings those are
    money_in: int = 0  # payments less refunds, each at its own moment
    payments: int = 0  # every payment entry in the period (down payments included)
    refunds: int = 0  # every refund entry in the period
    kept: int = 0  # money paid that the shop kept (forfeited down payments, credit)
    products: list[Ranked] = field(default_factory=list)  # top ones, best first
    customers: list[Ranked] = field(default_factory=list)
    channels: list[Ranked] = field(default_factory=list)  # all of them, best first
    series: list[tuple[str, int]] = field(default_factory=list)  # (day or month, revenue)

    @property
    def settled(self) -> int:
        return self.paid + self.released + self.cancelled

    @property
    def hit_and_run_rate(self) -> float | None:
        return self.released / self.settled if self.settled else None

    @property
    def average_pay_seconds(self) -> int | None:
        return round(self.pay_seconds / self.paid) if self.paid else None

    def to_dict(self) -> dict:
        """Everything, as JSON-ready data (money in whole rupiah, times in seconds)."""
        rate = self.hit_and_run_rate
        return {
            "period": {
                "name": self.period.name,
                "from": self.period.start.isoformat(timespec="seconds")
                if self.period.start
                else None,
                "to": self.period.end.isoformat(timespec="seconds"),
                "unit": self.period.unit,
            },
            "revenue": self.revenue,
            "ongkir": self.ongkir,
            "discounts": self.discounts,
            "gross_profit": {"amount": self.profit, "bookings": self.costed},
            "money_in": self.money_in,
            "payments": self.payments,
            "refunds": self.refunds,
            "kept": self.kept,
            "bookings": {
                "booked": self.booked,
                "paid": self.paid,
                "released": self.released,
                "cancelled": self.cancelled,
            },
            "hit_and_run_rate": round(rate, 4) if rate is not None else None,
            "average_seconds_to_pay": self.average_pay_seconds,
            "top_products": [_ranked(r, "sku", "units") for r in self.products],
            "top_customers": [_ranked(r, "key", "bookings") for r in self.customers],
            "channels": [_ranked(r, "channel", "bookings") for r in self.channels],
            "series": [{"at": at, "revenue": amount} for at, amount in self.series],
        }


def _ranked(item: Ranked, key: str, count: str) -> dict:
    data = {key: item.key, "name": item.name, "revenue": item.revenue, count: item.count}
    if key == "channel":
        del data["name"]
    return data


def paid_at(booking: Booking) -> str | None:
    """When the booking became fully paid (ISO text), None if it never was."""
    if booking.status not in PAID_STATUSES:
        return None
    if booking.cod and booking.owed:  # shipped cash on delivery: paid when the money comes
        return None
    if booking.payments:
        return booking.payments[-1]["at"]
    for entry in booking.history:  # imported without payments: the history still says
        if entry.get("event") == PAID:
            return entry["at"]
    return booking.created


# The money figures every new sum carries (a sum without "money_in" is from before them).
MONEY_KEYS = ("money_in", "payments", "refunds", "kept")


def _record() -> dict:
    """An empty share of a report (what `events` adds up)."""
    return {"booked": 0, "paid": 0, "released": 0, "cancelled": 0, "revenue": 0,
            "pay_seconds": 0, "first_paid": None, "products": {}, "customers": {},
            "profit": 0, "costed": 0, "money_in": 0, "payments": 0, "refunds": 0,
            "kept": 0}  # fmt: skip


def money_of_old_sum(summed: dict) -> dict:
    """A day's or month's sum as today's reports read it. Sums written before money in was
    counted have no "money_in": for them it is that day's revenue + ongkir (an older booking
    counted as paid in full at the moment it became paid: the best those sums can say), and
    no refunds or kept money. Newer sums are returned as they are."""
    if "money_in" in summed:
        return summed
    money = summed.get("revenue", 0) + summed.get("ongkir", 0)
    return {**summed, "money_in": money, "payments": money, "refunds": 0, "kept": 0}


def events(booking: Booking) -> list[tuple[str, dict]]:
    """What a booking brings to a report, each part at its moment (ISO text): made when
    created; released or cancelled when closed; paid, with its money, when fully paid; each
    payment, refund and kept entry at its own moment."""
    found: list[tuple[str, dict]] = [(booking.created, {"booked": 1})]
    if booking.status in (RELEASED, CANCELLED) and booking.closed:
        found.append((booking.closed, {booking.status: 1}))
    when = paid_at(booking)
    paid_share: dict | None = None
    if when is not None:
        products: dict[str, list] = {}
        for line in booking.lines:
            item = products.setdefault(line.sku, [0, 0, line.name])
            item[0] += line.amount
            item[1] += line.qty
        seconds = datetime.fromisoformat(when) - datetime.fromisoformat(booking.created)
        paid_share = {
            "paid": 1,
            "revenue": booking.goods_total,
            "ongkir": booking.ongkir,
            "discounts": booking.discount,
            "pay_seconds": int(seconds.total_seconds()),
            "first_paid": when,
            "products": products,
            "customers": {booking.customer: [booking.goods_total, 1, booking.customer_name]},
        }
        profit = booking.gross_profit
        if profit is not None:
            paid_share["profit"] = profit
            paid_share["costed"] = 1
        found.append((when, paid_share))
    for entry in booking.payments:
        amount = entry["amount"]
        if paid_share is not None and entry["at"] == when:
            # the payment that made it paid: one event with the sale (one date to read)
            paid_share["money_in"] = paid_share.get("money_in", 0) + amount
            paid_share["payments"] = paid_share.get("payments", 0) + amount
        else:
            found.append((entry["at"], {"money_in": amount, "payments": amount}))
    for entry in booking.refunds:
        found.append((entry["at"], {"money_in": -entry["amount"], "refunds": entry["amount"]}))
    for entry in booking.kept:
        found.append((entry["at"], {"kept": entry["amount"]}))
    return found


def add(into: dict, share: dict) -> None:
    """Add one share of a report (an event, or a day's sum) to another."""
    for key, value in share.items():
        if key in ("products", "customers"):
            ranked = into.setdefault(key, {})
            for name, (revenue, count, label) in value.items():
                item = ranked.get(name)
                if item is None:
                    ranked[name] = [revenue, count, label]
                else:
                    item[0] += revenue
                    item[1] += count
        elif key == "first_paid":
            first = into.get("first_paid")
            if value and (
                not first or datetime.fromisoformat(value) < datetime.fromisoformat(first)
            ):
                into["first_paid"] = value
        elif key not in ("day", "month"):
            into[key] = into.get(key, 0) + value


def by_day(bookings: Iterable[Booking]) -> dict[str, dict]:
    """The bookings' shares of any report, summed per day (the date each moment was
    recorded on): a report of whole days adds these up instead of reading every booking."""
    days: dict[str, dict] = {}
    for booking in bookings:
        for at, share in events(booking):
            add(days.setdefault(at[:10], _record()), share)
    return days


def whole_days(period: Period, now: datetime) -> bool:
    """True if the period starts at a midnight and ends now or at a day's last second, so
    that summing whole days gives exactly its report."""
    start, end = period.start, period.end
    starts = start is None or start.time() == datetime.min.time()
    return starts and (end == now or end.time() == END_OF_DAY)


END_OF_DAY = datetime.max.time().replace(microsecond=0)


def build(
    bookings: Iterable[Booking],
    customers: Mapping[str, Customer],
    products: Mapping[str, Product],
    period: Period,
    days: Iterable[dict] = (),
) -> Report:
    """The report for `period`, from bookings (each counted by the moment of each event)
    and from summed days (records of `by_day` with their "day", already inside the period)."""
    start, end = period.start, period.end
    # Stored moments start with their local date and offsets are under a day: a date two
    # days out settles it without parsing (most of the archive, for a month's report).
    low = (start - timedelta(days=1)).date().isoformat() if start else ""
    high = (end + timedelta(days=1)).date().isoformat()
    zone = end.tzinfo
    total = _record()
    by_bucket: dict[str, int] = {}

    def bucket(day: str) -> str:
        return day if period.unit == "day" else day[:7]

    for booking in bookings:
        for at, share in events(booking):
            if at[:10] < low or at[:10] > high:
                continue
            moment = datetime.fromisoformat(at)
            if (start is not None and moment < start) or moment > end:
                continue
            add(total, share)
            if share.get("revenue"):
                key = bucket(f"{moment.astimezone(zone):%Y-%m-%d}")
                by_bucket[key] = by_bucket.get(key, 0) + share["revenue"]
    for day in days:
        day = money_of_old_sum(day)
        add(total, day)
        if day.get("revenue"):
            key = bucket(day["day"]) if "day" in day else day["month"]
            by_bucket[key] = by_bucket.get(key, 0) + day["revenue"]

    report = Report(period)
    for name in ("booked", "paid", "released", "cancelled", "revenue", "pay_seconds"):
        setattr(report, name, total[name])
    report.ongkir, report.discounts = total.get("ongkir", 0), total.get("discounts", 0)
    report.profit, report.costed = total["profit"], total["costed"]
    for name in MONEY_KEYS:
        setattr(report, name, total[name])
    by_product = {
        sku: Ranked(sku, products[sku].name if sku in products else label, revenue, count)
        for sku, (revenue, count, label) in total["products"].items()
    }
    by_customer: dict[str, Ranked] = {}
    by_channel: dict[str, Ranked] = {}
    for key, (revenue, count, label) in total["customers"].items():
        customer = customers.get(key)
        by_customer[key] = Ranked(key, customer.name if customer else label, revenue, count)
        channel = (customer.channel if customer else None) or "unknown"
        place = by_channel.setdefault(channel, Ranked(channel, channel))
        place.revenue += revenue
        place.count += count

    def best(items: dict[str, Ranked]) -> list[Ranked]:
        return sorted(items.values(), key=lambda r: (-r.revenue, r.key))

    report.products = best(by_product)[:TOP]
    report.customers = best(by_customer)[:TOP]
    report.channels = best(by_channel)
    first = total["first_paid"]
    report.series = _series(
        by_bucket, period, datetime.fromisoformat(first).astimezone(zone) if first else None
    )
    return report


def _series(by_bucket: dict[str, int], period: Period, first: datetime | None) -> list:
    """Every day (or month) of the period in order, empty ones included."""
    end = period.end.astimezone(period.end.tzinfo)
    begin = period.start or first
    if begin is None:
        return []
    out = []
    if period.unit == "day":
        day = begin.date()
        while day <= end.date():
            key = f"{day:%Y-%m-%d}"
            out.append((key, by_bucket.get(key, 0)))
            day += timedelta(days=1)
        return out
    year, month = begin.year, begin.month
    while (year, month) <= (end.year, end.month):
        key = f"{year:04d}-{month:02d}"
        out.append((key, by_bucket.get(key, 0)))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return out


EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: int, largest: int, width: int = 30) -> str:
    """A horizontal bar in plain text blocks, `width` full blocks for `largest`."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def csv_rows(report: Report) -> list[list[object]]:
    """One tidy table for a spreadsheet: section, key, name, count, revenue."""
    rows: list[list[object]] = [["section", "key", "name", "count", "revenue"]]
    data = report.to_dict()
    rows.append(["summary", "revenue", "", data["bookings"]["paid"], report.revenue])
    rows.append(["summary", "ongkir", "", "", report.ongkir])
    rows.append(["summary", "discounts", "", "", report.discounts])
    rows.append(["summary", "gross_profit", "", report.costed, report.profit])
    for name in MONEY_KEYS:
        rows.append(["summary", name, "", "", getattr(report, name)])
    for name in ("booked", "paid", "released", "cancelled"):
        rows.append(["summary", name, "", data["bookings"][name], ""])
    rate = report.hit_and_run_rate
    rows.append(["summary", "hit_and_run_rate", "", "", "" if rate is None else round(rate, 4)])
    rows.append(["summary", "average_seconds_to_pay", "", report.average_pay_seconds or "", ""])
    for item in report.products:
        rows.append(["product", item.key, item.name, item.count, item.revenue])
    for item in report.customers:
        rows.append(["customer", item.key, item.name, item.count, item.revenue])
    for item in report.channels:
        rows.append(["channel", item.key, "", item.count, item.revenue])
    for at, amount in report.series:
        rows.append([report.period.unit, at, "", "", amount])
    return rows
