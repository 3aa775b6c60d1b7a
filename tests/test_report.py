"""`olshop report`: figures checked against sums computed here, and period boundaries in the
shop's time zone."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from olshop_cli.store import Store

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(BENCH))
    home = tmp_path_factory.mktemp("gen") / "shop"
    generate(2000, home, quiet=True)
    return home


def _expected(home: Path, start: datetime, end: datetime) -> dict:
    """The month's figures, computed independently from the stored bookings."""
    ledger = Store(home).load()
    customers = ledger.customers
    revenue = paid = booked = released = cancelled = 0
    wait = 0.0
    products: dict[str, int] = {}
    buyers: dict[str, int] = {}
    channels: dict[str, int] = {}
    days: dict[str, int] = {}

    def within(text):
        return text is not None and start <= datetime.fromisoformat(text) <= end

    for b in ledger.all_bookings():
        booked += within(b.created)
        released += b.status == "released" and within(b.closed)
        cancelled += b.status == "cancelled" and within(b.closed)
        if b.status in ("paid", "shipped", "done") and within(b.payments[-1]["at"]):
            at = datetime.fromisoformat(b.payments[-1]["at"])
            total = sum(line.qty * line.price for line in b.lines)
            paid += 1
            revenue += total
            wait += (at - datetime.fromisoformat(b.created)).total_seconds()
            for line in b.lines:
                products[line.sku] = products.get(line.sku, 0) + line.qty * line.price
            buyers[b.customer] = buyers.get(b.customer, 0) + total
            channel = customers[b.customer].channel or "unknown"
            channels[channel] = channels.get(channel, 0) + total
            day = at.astimezone(start.tzinfo).strftime("%Y-%m-%d")
            days[day] = days.get(day, 0) + total
    return {
        "revenue": revenue,
        "bookings": {"booked": booked, "paid": paid, "released": released, "cancelled": cancelled},
        "rate": released / (paid + released + cancelled),
        "wait": round(wait / paid),
        "products": sorted(products.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        "buyers": sorted(buyers.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        "channels": channels,
        "days": days,
    }


def test_month_figures_match_independent_sums(shop, generated, monkeypatch):
    monkeypatch.setenv("OLSHOP_HOME", str(generated))
    data = json.loads(shop("report --period month --json", ok=True).stdout)
    start = datetime.fromisoformat("2026-11-01T00:00:00+07:00")
    end = datetime.fromisoformat("2026-11-23T08:00:00+07:00")
    want = _expected(generated, start, end)

    assert data["period"]["from"] == "2026-11-01T00:00:00+07:00"
    assert data["period"]["to"] == "2026-11-23T08:00:00+07:00"
    assert want["bookings"]["paid"] > 10  # the generated month has real activity
    assert data["revenue"] == want["revenue"]
    assert data["bookings"] == want["bookings"]
    assert data["hit_and_run_rate"] == pytest.approx(want["rate"], abs=1e-4)
    assert data["average_seconds_to_pay"] == want["wait"]
    assert [(p["sku"], p["revenue"]) for p in data["top_products"]] == want["products"]
    assert [(c["key"], c["revenue"]) for c in data["top_customers"]] == want["buyers"]
    assert {c["channel"]: c["revenue"] for c in data["channels"]} == want["channels"]
    series = {s["at"]: s["revenue"] for s in data["series"]}
    assert len(series) == 23  # 1 to 23 November, empty days included
    assert {k: v for k, v in series.items() if v} == want["days"]
    assert sum(series.values()) == data["revenue"]


def test_all_time_revenue_is_every_paid_booking(shop, generated, monkeypatch):
    monkeypatch.setenv("OLSHOP_HOME", str(generated))
    data = json.loads(shop("report --period all --json", ok=True).stdout)
    bookings = list(Store(generated).load().all_bookings())
    paid = [b for b in bookings if b.status in ("paid", "shipped", "done")]
    assert data["revenue"] == sum(b.total for b in paid)
    assert data["bookings"]["booked"] == len(bookings) == 2000
    assert data["bookings"]["released"] == sum(b.status == "released" for b in bookings)
    assert data["period"]["unit"] == "month"
    assert sum(s["revenue"] for s in data["series"]) == data["revenue"]


def test_text_report_has_figures_and_chart(shop, generated, monkeypatch):
    monkeypatch.setenv("OLSHOP_HOME", str(generated))
    data = json.loads(shop("report --json", ok=True).stdout)
    out = shop("report", ok=True).stdout
    from olshop_cli.money import format_money

    assert out.startswith("Report: 2026-11-01 00:00 to 2026-11-23 08:00")
    assert f"revenue      {format_money(data['revenue'])} from" in out
    assert "Top products" in out and "Top customers" in out and "Sales by channel" in out
    chart = out[out.index("Revenue per day") :].splitlines()[1:]
    assert len(chart) == 23
    best = max(data["series"], key=lambda s: s["revenue"])
    best_line = next(line for line in chart if best["at"] in line)
    assert best_line.endswith("█" * 30)


def test_csv_is_a_spreadsheet_table(shop, generated, monkeypatch):
    monkeypatch.setenv("OLSHOP_HOME", str(generated))
    data = json.loads(shop("report --period year --json", ok=True).stdout)
    rows = list(csv.reader(io.StringIO(shop("report --period year --csv", ok=True).stdout)))
    assert rows[0] == ["section", "key", "name", "count", "revenue"]
    summary = {r[1]: r for r in rows if r[0] == "summary"}
    assert int(summary["revenue"][4]) == data["revenue"]
    months = [r for r in rows if r[0] == "month"]
    assert [r[1] for r in months] == [f"2026-{m:02d}" for m in range(1, 12)]
    assert sum(int(r[4]) for r in months) == data["revenue"]


def _sale(shop, at: str) -> str:
    shop.set_now(at)
    bid = shop("book mike SPAT-1", ok=True).stdout.strip()
    shop(f"pay {bid}", ok=True)
    return bid


def _paid_ids_revenue(shop, command: str) -> tuple[int, int]:
    data = json.loads(shop(command + " --json", ok=True).stdout)
    return data["bookings"]["paid"], data["revenue"]


def test_month_boundary_in_the_shops_time_zone(stocked):
    _sale(stocked, "2026-10-31T21:30:00+07:00")  # October in Jakarta and in Jayapura (23:30)
    _sale(stocked, "2026-10-31T23:30:00+07:00")  # October in Jakarta, 1 Nov 01:30 in Jayapura
    _sale(stocked, "2026-11-01T00:30:00+09:00")  # 31 Oct 22:30 in Jakarta, November in Jayapura
    _sale(stocked, "2026-11-01T00:00:00+07:00")  # midnight: the first second of November
    stocked.set_now("2026-11-23T08:00:00+07:00")
    assert _paid_ids_revenue(stocked, "report --period month") == (1, 35_000)
    stocked("config set timezone Asia/Jayapura", ok=True)
    assert _paid_ids_revenue(stocked, "report --period month") == (3, 105_000)
    data = json.loads(stocked("report --period month --json", ok=True).stdout)
    assert data["period"]["from"] == "2026-11-01T00:00:00+09:00"


def test_week_starts_monday_midnight(stocked):
    _sale(stocked, "2026-11-22T23:59:59+07:00")  # Sunday
    _sale(stocked, "2026-11-23T00:00:00+07:00")  # Monday
    stocked.set_now("2026-11-23T08:00:00+07:00")
    data = json.loads(stocked("report --period week --json", ok=True).stdout)
    assert data["bookings"]["paid"] == 1
    assert data["series"] == [{"at": "2026-11-23", "revenue": 35_000}]


def test_from_to_includes_both_days(stocked):
    _sale(stocked, "2026-11-10T08:00:00+07:00")
    _sale(stocked, "2026-11-12T23:59:00+07:00")
    _sale(stocked, "2026-11-13T00:01:00+07:00")
    stocked.set_now("2026-11-23T08:00:00+07:00")
    assert _paid_ids_revenue(stocked, "report --from 2026-11-10 --to 2026-11-12") == (2, 70_000)
    data = json.loads(stocked("report --from 2026-11-11 --to 2026-11-13 --json", ok=True).stdout)
    assert [s["at"] for s in data["series"]] == ["2026-11-11", "2026-11-12", "2026-11-13"]


def test_released_cancelled_and_rate(stocked):
    stocked.set_now("2026-11-02T08:00:00+07:00")
    stocked("book mike SPAT-1 --deadline 1h", ok=True)  # B1: released
    stocked("book siti SPAT-1", ok=True)  # B2: cancelled
    stocked("book siti SPAT-1", ok=True)  # B3: paid
    stocked("book siti SPAT-1", ok=True)  # B4: still booked
    stocked.set_now("2026-11-02T12:00:00+07:00")
    stocked("release B1", ok=True)
    stocked("cancel B2", ok=True)
    stocked("pay B3", ok=True)
    stocked.set_now("2026-11-23T08:00:00+07:00")
    data = json.loads(stocked("report --json", ok=True).stdout)
    assert data["bookings"] == {"booked": 4, "paid": 1, "released": 1, "cancelled": 1}
    assert data["hit_and_run_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert data["average_seconds_to_pay"] == 4 * 3600
    assert data["top_customers"] == [
        {"key": "siti", "name": "Siti Rahmawati", "revenue": 35_000, "bookings": 1}
    ]


def test_empty_period(stocked):
    result = stocked("report", ok=True)
    assert "Nothing happened in this period." in result.stderr
    data = json.loads(stocked("report --json", ok=True).stdout)
    assert data["revenue"] == 0 and data["hit_and_run_rate"] is None


@pytest.mark.parametrize(
    ("command", "phrase", "code"),
    [
        ("report --period fortnight", "Unknown period 'fortnight'", 1),
        ("report --from 2026-11-20 --to 2026-11-01", "starts (2026-11-20) after it ends", 1),
        ("report --from kapan-kapan", "'kapan-kapan' is not a date", 1),
        ("report --from 'tgl 31 feb'", "is not a real date", 1),
        ("report --period week --from 2026-11-01", "", 2),
        ("report --json --csv", "", 2),
    ],
)
def test_refusals(stocked, command, phrase, code):
    stocked.refused(command, *([phrase] if phrase else []), code=code)


@pytest.mark.parametrize(
    ("words", "first", "last"),
    [
        (["--from", "minggu lalu", "--to", "minggu lalu"], "2026-11-16", "2026-11-22"),
        (["--from", "kemarin", "--to", "kemarin"], "2026-11-22", "2026-11-22"),
        (["--from", "bulan lalu", "--to", "bulan lalu"], "2026-10-01", "2026-10-31"),
        (["--from", "tgl 1", "--to", "hari ini"], "2026-11-01", "2026-11-23"),
        (["--from", "last friday", "--to", "yesterday"], "2026-11-20", "2026-11-22"),
    ],
)
def test_a_period_as_sellers_say_it(stocked, words, first, last):
    """Monday 23 November: the days looked back on, the whole first and last day."""
    data = json.loads(stocked(["report", *words, "--json"], ok=True).stdout)
    assert data["period"]["from"] == f"{first}T00:00:00+07:00"
    assert data["period"]["to"] == f"{last}T23:59:59+07:00"


def test_summed_days_give_exactly_the_report_of_every_booking(tmp_path):
    """Reports of whole days add up the archive's per-day sums instead of reading every
    closed booking: for every kind of period both ways give the same report, money in
    (down payments, refunds, kept money) and gross profit (costs taken at booking) included."""
    import random
    from datetime import datetime, timedelta

    from olshop_cli import report as reports
    from olshop_cli.store import Store
    from olshop_cli.when import shop_zone

    zone = shop_zone("Asia/Jakarta")
    now = datetime(2026, 11, 23, 15, 30, tzinfo=zone)
    store = Store(tmp_path / "shop")
    rng = random.Random(7)
    with store.change() as ledger:
        for sku, price, cost in (
            ("PAN-24", 150_000, 95_000),
            ("SPAT-1", 35_000, 20_000),
            ("TOPI", 49_900, None),  # no cost price: its bookings have no gross profit
        ):
            ledger.add_product(
                sku, sku.title(), price, now - timedelta(days=400), stock=10_000, cost=cost
            )
        for name in ("Mike", "Siti", "Budi", "Rina"):
            ledger.add_customer(name, now - timedelta(days=400), channel=rng.choice(["wa", "ig"]))
    moment = now - timedelta(days=100)  # 300 bookings, the last ones in this week
    for round_ in range(12):  # several commits: the sums are kept across changes
        with store.change() as ledger:
            if round_ == 6:  # a new cost price: bookings made before keep theirs
                ledger.edit_product("PAN-24", cost=110_000)
            for _ in range(25):
                moment += timedelta(hours=rng.randint(1, 15))
                items = [f"{rng.choice(['PAN-24', 'SPAT-1', 'TOPI'])}:{rng.randint(1, 3)}"]
                if rng.random() < 0.3:
                    items.append("TOPI" if "TOPI" not in items[0] else "SPAT-1")
                customer = rng.choice(["mike", "siti", "budi", "rina"])
                booking = ledger.book(customer, items, moment, moment + timedelta(days=1))
                fate = rng.random()
                later = moment + timedelta(hours=rng.randint(1, 40))
                if rng.random() < 0.4:  # a down payment first, on its own moment
                    ledger.pay(booking.id, moment + timedelta(minutes=30), booking.total // 3)
                money = rng.choice(["refund", "keep"])
                if fate < 0.6:
                    extra = rng.choice([0, 0, 5_000])  # now and then paid too much
                    ledger.pay(booking.id, later, booking.owed + extra)
                    if extra:
                        ledger.refund(
                            booking.id, later + timedelta(hours=3), credit=money == "keep"
                        )
                    if fate < 0.45:
                        ledger.ship(booking.id, "JNE", "J1", later)
                        ledger.done(booking.id, later + timedelta(days=2))
                    elif fate < 0.5:  # paid, then cancelled: out of revenue, money settled
                        ledger.cancel(booking.id, later + timedelta(hours=5), money=money)
                elif fate < 0.75:
                    ledger.cancel(booking.id, later, money=money)
                elif fate < 0.9:
                    ledger.release(booking.id, later + timedelta(days=2), money=money)
    ledger = store.load()
    periods = [reports.named_period(name, now) for name in reports.PERIODS]
    periods += [
        reports.custom_period("2026-09-01", "2026-09-30", now),
        reports.custom_period("2026-10-24", None, now),
        reports.custom_period(None, "2026-10-15", now),
    ]
    open_ones = sorted(ledger.bookings.values(), key=lambda b: b.number)
    assert open_ones and any(True for _ in ledger.archive.all())
    used_months = 0
    for period in periods:
        assert reports.whole_days(period, now)
        exact = reports.build(ledger.all_bookings(), ledger.customers, ledger.products, period)
        first = period.start.date().isoformat() if period.start else None
        days = ledger.archive.days(first, period.end.date().isoformat())
        summed = reports.build(open_ones, ledger.customers, ledger.products, period, days)
        assert summed.to_dict() == exact.to_dict(), period
        assert exact.paid > 0 or period.name == "week"  # not a vacuous comparison
        if period.unit == "month":  # whole months come as one sum each, the same report
            parts = list(ledger.archive.days(first, period.end.date().isoformat(), months=True))
            by_month = reports.build(open_ones, ledger.customers, ledger.products, period, parts)
            assert by_month.to_dict() == exact.to_dict(), period
            used_months += sum("month" in part for part in parts)
    assert used_months >= 3  # the year and all reports used month sums (Aug-Oct at least)
    everything = reports.build(ledger.all_bookings(), {}, {}, reports.named_period("all", now))
    # not vacuous: down payments, refunds, kept money and bookings without costs all occur
    assert everything.payments > everything.money_in > 0 and everything.kept > 0
    assert everything.money_in != everything.revenue + everything.ongkir
    assert 0 < everything.costed < everything.paid and everything.profit > 0
    noon = reports.custom_period("2026-01-01T12:00", None, now)
    assert not reports.whole_days(noon, now)  # read booking by booking
