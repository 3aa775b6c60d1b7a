"""`olshop report`: money in (every payment on its own day, less refunds), kept money, and
gross profit from cost prices taken at booking time; the same figures through the archive's
per-day sums, older sums included; and `--cost` on products."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest

from olshop_cli import report as reports
from olshop_cli.store import Store
from olshop_cli.when import shop_zone

NOW = "2026-11-23T08:00:00+07:00"


def at(day: int, hour: int = 9) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:00:00+07:00"


def figures(shop, period: str) -> dict:
    return json.loads(shop(f"report {period} --json", now=NOW, ok=True).stdout)


def money(data: dict) -> tuple[int, int, int, int]:
    return data["money_in"], data["payments"], data["refunds"], data["kept"]


def day(n: int) -> str:
    return f"--from 2026-11-{n:02d} --to 2026-11-{n:02d}"


def test_a_down_payment_is_money_in_on_its_day_the_revenue_when_paid_in_full(stocked):
    stocked("book siti PAN-24 --ongkir 18rb --courier jne", now=at(2), ok=True)  # Rp168.000
    stocked("pay B1 --amount 50rb", now=at(2, 10), ok=True)
    stocked("pay B1", now=at(4, 15), ok=True)  # the balance, Rp118.000

    first = figures(stocked, day(2))
    assert money(first) == (50_000, 50_000, 0, 0)
    assert (first["revenue"], first["ongkir"], first["bookings"]["paid"]) == (0, 0, 0)
    assert first["bookings"]["booked"] == 1
    balance = figures(stocked, day(4))
    assert money(balance) == (118_000, 118_000, 0, 0)
    assert (balance["revenue"], balance["ongkir"], balance["bookings"]["paid"]) == (
        150_000,
        18_000,
        1,
    )
    assert figures(stocked, day(3))["money_in"] == 0
    month = figures(stocked, "--period month")
    assert money(month) == (168_000, 168_000, 0, 0)  # = revenue + ongkir, paid in full
    text = stocked(f"report {day(2)}", now=NOW, ok=True).stdout
    assert "\n  money in     Rp50.000 in payments\n" in text
    assert "kept" not in text and "gross profit" not in text


def test_an_overpayment_paid_back_or_kept_as_credit(stocked):
    stocked("book mike SPAT-1", now=at(2), ok=True)  # B1 Rp35.000
    stocked("pay B1 --amount 50rb", now=at(2, 10), ok=True)
    stocked("refund B1", now=at(3, 10), ok=True)  # Rp15.000 paid back
    stocked("book mike SPAT-1", now=at(2, 11), ok=True)  # B2 Rp35.000
    stocked("pay B2 --amount 40rb", now=at(2, 12), ok=True)
    stocked("refund B2 --credit", now=at(3, 11), ok=True)  # Rp5.000 kept as credit

    assert money(figures(stocked, day(2))) == (90_000, 90_000, 0, 0)
    third = figures(stocked, day(3))
    assert money(third) == (-15_000, 0, 15_000, 5_000) and third["revenue"] == 0
    month = figures(stocked, "--period month")
    assert money(month) == (75_000, 90_000, 15_000, 5_000) and month["revenue"] == 70_000

    text = stocked("report", now=NOW, ok=True).stdout
    assert "\n  money in     Rp75.000 (payments Rp90.000, paid back Rp15.000)\n" in text
    assert "\n  kept         Rp5.000 paid and kept\n" in text
    day_text = stocked(f"report {day(3)}", now=NOW, ok=True).stdout
    assert "\n  money in     -Rp15.000 (payments Rp0, paid back Rp15.000)\n" in day_text
    rows = list(csv.reader(io.StringIO(stocked("report --csv", now=NOW, ok=True).stdout)))
    summary = {r[1]: r for r in rows if r[0] == "summary"}
    assert summary["money_in"] == ["summary", "money_in", "", "", "75000"]
    assert (summary["payments"][4], summary["refunds"][4], summary["kept"][4]) == (
        "90000",
        "15000",
        "5000",
    )


def test_a_paid_booking_cancelled_with_a_refund_leaves_revenue_and_money_in(stocked):
    stocked("book mike PAN-24", now=at(2), ok=True)
    stocked("pay B1", now=at(2, 10), ok=True)
    before = figures(stocked, "--period month")
    assert (before["revenue"], before["money_in"]) == (150_000, 150_000)
    stocked("cancel B1 --refund", now=at(5, 10), ok=True)

    month = figures(stocked, "--period month")
    assert (month["revenue"], month["bookings"]["paid"], month["bookings"]["cancelled"]) == (
        0,
        0,
        1,
    )
    assert money(month) == (0, 150_000, 150_000, 0)  # paid, then paid back
    assert money(figures(stocked, day(2))) == (150_000, 150_000, 0, 0)
    assert money(figures(stocked, day(5))) == (-150_000, 0, 150_000, 0)


def test_a_released_booking_whose_down_payment_the_shop_kept(stocked):
    stocked("book siti SPAT-1:2", now=at(2), ok=True)  # Rp70.000, pay by 3 Nov 09:00
    stocked("pay B1 --amount 20rb", now=at(2, 10), ok=True)
    stocked("release B1 --keep", now=at(4), ok=True)

    month = figures(stocked, "--period month")
    assert money(month) == (20_000, 20_000, 0, 20_000)
    assert (month["revenue"], month["bookings"]["released"]) == (0, 1)
    assert money(figures(stocked, day(4))) == (0, 0, 0, 20_000)
    text = stocked("report", now=NOW, ok=True).stdout
    assert "\n  kept         Rp20.000 paid and kept\n" in text
    released_day = stocked(f"report {day(4)}", now=NOW, ok=True)
    assert "Nothing happened" not in released_day.stderr


def _without_period(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "period"}


def test_closed_bookings_read_from_the_day_sums_give_the_same_money(stocked):
    """Every booking above, closed and archived: the month (day sums) and the year (month
    sums for January-October) read the same as reading each booking."""
    stocked("product stock PAN-24 +10", ok=True)
    stocked("product edit PAN-24 --cost 95rb", ok=True)
    # October: a down payment, then the balance, then done (archived in October's sums)
    stocked(
        "book siti PAN-24 --ongkir 18rb --courier jne", now="2026-10-06T09:00:00+07:00", ok=True
    )
    stocked("pay B1 --amount 50rb", now="2026-10-06T10:00:00+07:00", ok=True)
    stocked("pay B1", now="2026-10-08T10:00:00+07:00", ok=True)
    stocked("ship B1 --courier JNE --tracking J1", now="2026-10-08T11:00:00+07:00", ok=True)
    stocked("done B1", now="2026-10-10T11:00:00+07:00", ok=True)
    # November: overpaid and refunded, done; paid and cancelled; a kept down payment
    stocked("book mike SPAT-1", now=at(2), ok=True)  # B2
    stocked("pay B2 --amount 50rb", now=at(2, 10), ok=True)
    stocked("refund B2", now=at(3, 10), ok=True)
    stocked("ship B2 --courier JNE --tracking J2", now=at(3, 11), ok=True)
    stocked("done B2", now=at(5), ok=True)
    stocked("book mike PAN-24:2", now=at(6), ok=True)  # B3
    stocked("pay B3", now=at(6, 10), ok=True)
    stocked("cancel B3 --refund", now=at(7), ok=True)
    stocked("book siti SPAT-1:2", now=at(8), ok=True)  # B4
    stocked("pay B4 --amount 20rb", now=at(8, 10), ok=True)
    stocked("release B4 --keep", now=at(10), ok=True)
    stocked("book siti PAN-24", now=at(11), ok=True)  # B5: open, a down payment
    stocked("pay B5 --amount 30rb", now=at(11, 10), ok=True)
    open_ones = json.loads(stocked("bookings --json", now=NOW, ok=True).stdout)
    assert [b["id"] for b in open_ones] == ["B5"]  # the others are in the archive

    summed = figures(stocked, "--period month")
    each = figures(stocked, "--from 2026-11-01 --to 2026-11-23T07:59")  # every booking read
    assert _without_period(summed) == _without_period(each)
    # 50.000 + 300.000 + 20.000 + 30.000 in; 15.000 + 300.000 back; 20.000 kept
    assert money(summed) == (85_000, 400_000, 315_000, 20_000)
    assert summed["revenue"] == 35_000 and summed["gross_profit"] == {"amount": 0, "bookings": 0}

    year = figures(stocked, "--period year")
    each_year = figures(stocked, "--from 2026-01-01 --to 2026-11-23T07:59")
    assert _without_period(year) == _without_period(each_year)
    assert money(year) == (253_000, 568_000, 315_000, 20_000)  # October's 168.000 too
    assert year["gross_profit"] == {"amount": 55_000, "bookings": 1}  # B1: 150.000 - 95.000


def test_gross_profit_from_costs_taken_at_booking_time(stocked):
    stocked("product stock PAN-24 +5", ok=True)
    stocked("product edit PAN-24 --cost 95rb", ok=True)
    stocked("product edit SPAT-1 --cost 20rb", ok=True)
    stocked("book siti PAN-24:2 SPAT-1 --discount 10rb", now=at(2), ok=True)  # B1
    stocked("product edit SPAT-1 --cost ''", ok=True)  # cost not known any more
    stocked("book mike PAN-24 SPAT-1", now=at(3), ok=True)  # B2: SPAT-1 without a cost
    stocked("product edit PAN-24 --cost 120rb", ok=True)  # after B1: B1 keeps 95.000
    stocked("book mike PAN-24", now=at(4), ok=True)  # B3 at the new cost
    for bid in ("B1", "B2", "B3"):
        stocked(f"pay {bid}", now=at(5), ok=True)

    lines = json.loads(stocked("show B1 --json", ok=True).stdout)["lines"]
    assert [(ln["sku"], ln["cost"]) for ln in lines] == [("PAN-24", 95_000), ("SPAT-1", 20_000)]
    lines = json.loads(stocked("show B2 --json", ok=True).stdout)["lines"]
    assert lines[0]["cost"] == 95_000 and "cost" not in lines[1]

    data = figures(stocked, "--period month")
    # B1: 300.000 + 35.000 - 10.000 = 325.000 less 2 x 95.000 + 20.000 = 115.000
    # B3: 150.000 less 120.000 = 30.000; B2 has a line without a cost: left out
    assert data["gross_profit"] == {"amount": 145_000, "bookings": 2}
    assert data["bookings"]["paid"] == 3 and data["revenue"] == 325_000 + 185_000 + 150_000
    text = stocked("report", now=NOW, ok=True).stdout
    assert "\n  gross profit  Rp145.000 from 2 of 3 paid bookings with cost prices\n" in text
    assert "\n  revenue       Rp660.000 from 3 paid bookings\n" in text
    rows = list(csv.reader(io.StringIO(stocked("report --csv", now=NOW, ok=True).stdout)))
    assert ["summary", "gross_profit", "", "2", "145000"] in rows

    stocked("product edit PAN-24 --cost 10rb", ok=True)  # later costs change nothing sold
    assert figures(stocked, "--period month")["gross_profit"]["amount"] == 145_000


def test_product_cost_is_stored_shown_and_cleared(stocked):
    added = stocked('product add TAS-1 "Tas anyaman" --price 85rb --cost 50.000', ok=True)
    assert "Added TAS-1 Tas anyaman at Rp85.000 (cost Rp50.000), 0 on hand." in added.stderr
    shown = stocked("product show TAS-1", ok=True).stdout
    assert "\n  cost       Rp50.000 (Rp35.000 a unit below the price)\n" in shown
    listed = {p["sku"]: p for p in json.loads(stocked("product list --json", ok=True).stdout)}
    assert listed["TAS-1"]["cost"] == 50_000
    assert "cost" not in listed["PAN-24"]  # no cost price: the product reads as before
    assert "cost" not in stocked("product show PAN-24", ok=True).stdout

    stocked("product edit TAS-1 --cost 45rb", ok=True)
    assert json.loads(stocked("product show TAS-1 --json", ok=True).stdout)["cost"] == 45_000
    stocked("product edit TAS-1 --cost ''", ok=True)
    data = json.loads(stocked("product show TAS-1 --json", ok=True).stdout)
    assert "cost" not in data and data["price"] == 85_000


def test_product_cost_in_the_csv_export_and_import(stocked, tmp_path):
    stocked("product edit PAN-24 --cost 95rb", ok=True)
    exported = tmp_path / "products.csv"
    stocked(f"export --format csv --table products --output {exported}", ok=True)
    rows = list(csv.DictReader(io.StringIO(exported.read_text())))
    assert list(rows[0]) == [
        "sku", "name", "price", "stock", "related", "restock", "listed", "note", "cost"
    ]  # fmt: skip
    assert {r["sku"]: r["cost"] for r in rows} == {"PAN-24": "95000", "SPAT-1": ""}
    exported.write_text(
        exported.read_text().replace(",95000\n", ",90rb\n") + "LID-24,Tutup,25rb,4,,,yes,,12rb\n"
    )
    assert "1 added, 2 updated" in stocked(f"import {exported}", ok=True).stderr
    costs = {p["sku"]: p.get("cost") for p in json.loads(stocked("product list --json").stdout)}
    assert costs == {"LID-24": 12_000, "PAN-24": 90_000, "SPAT-1": None}
    old = tmp_path / "old.csv"  # a CSV from before cost prices: costs stay as they are
    old.write_text("sku,name,price\nPAN-24,Wajan 24 cm,155rb\n")
    stocked(f"import {old}", ok=True)
    pan = json.loads(stocked("product show PAN-24 --json", ok=True).stdout)
    assert (pan["price"], pan["cost"]) == (155_000, 90_000)


@pytest.mark.parametrize(
    ("command", "phrases"),
    [
        ('product add TAS-1 "Tas" --price 85rb --cost -5rb', ["Money cannot be negative: '-5rb'"]),
        ('product add TAS-1 "Tas" --price 85rb --cost murah', ["Cannot read 'murah' as money"]),
        ('product add TAS-1 "Tas" --price 85rb --cost 99jt000', ["Cannot read '99jt000'"]),
        (
            'product add TAS-1 "Tas" --price 85rb --cost 20000000000',
            ["A cost price of Rp20.000.000.000 is more than olshop accepts for one item."],
        ),
        ("product edit PAN-24 --cost=-90rb", ["Money cannot be negative: '-90rb'"]),
        ("product edit PAN-24 --cost sembilan", ["Cannot read 'sembilan' as money"]),
        ("product edit NOPE --cost 90rb", ["NOPE"]),
    ],
)
def test_bad_cost_is_refused(stocked, command, phrases):
    stocked.refused(command, *phrases)


def test_lines_without_cost_are_stored_as_before(stocked):
    stocked("book mike PAN-24 SPAT-1", ok=True)
    lines = json.loads(stocked("show B1 --json", ok=True).stdout)["lines"]
    assert [list(ln) for ln in lines] == [["sku", "name", "qty", "price"]] * 2


# ----- sums written before money in was counted -----------------------------------------


def _old(summed: dict) -> dict:
    """A day's or month's sum as olshop wrote it before money in and gross profit."""
    return {k: v for k, v in summed.items() if k not in (*reports.MONEY_KEYS, "profit", "costed")}


def test_old_day_and_month_sums_read_their_money_in_as_revenue_plus_ongkir():
    zone = shop_zone("Asia/Jakarta")
    now = datetime(2026, 11, 23, 8, tzinfo=zone)
    old_day = {  # by hand, the fields an older olshop summed for a day
        "day": "2026-10-06", "booked": 2, "paid": 1, "released": 1, "cancelled": 0,
        "revenue": 150_000, "ongkir": 18_000, "discounts": 0, "pay_seconds": 3600,
        "first_paid": "2026-10-06T10:00:00+07:00",
        "products": {"PAN-24": [150_000, 1, "Wajan"]}, "customers": {"mike": [150_000, 1, "Mike"]},
    }  # fmt: skip
    old_month = {
        "month": "2026-09", "booked": 3, "paid": 2, "released": 0, "cancelled": 1,
        "revenue": 300_000, "ongkir": 0, "discounts": 10_000, "pay_seconds": 7200,
        "first_paid": "2026-09-02T10:00:00+07:00",
        "products": {"PAN-24": [300_000, 2, "Wajan"]}, "customers": {"mike": [300_000, 2, "Mike"]},
    }  # fmt: skip
    new_day = {**reports._record(), "day": "2026-10-07", "booked": 1, "money_in": 20_000,
               "payments": 20_000}  # fmt: skip
    period = reports.custom_period("2026-09-01", "2026-10-31", now)
    report = reports.build([], {}, {}, period, [old_month, old_day, new_day])
    assert (report.revenue, report.ongkir, report.booked) == (450_000, 18_000, 6)
    # the old sums: revenue + ongkir (168.000 + 300.000); the new day as it says
    assert (report.money_in, report.payments, report.refunds, report.kept) == (
        488_000,
        488_000,
        0,
        0,
    )
    assert (report.profit, report.costed) == (0, 0)
    assert reports.money_of_old_sum(new_day) is new_day  # a newer sum is read as it is


def test_an_old_day_sum_that_gets_new_bookings_keeps_its_money(tmp_path, monkeypatch, shop):
    """A day summed by an older olshop, then a booking closing onto that same day: the day's
    and its month's money in are the old part (revenue + ongkir) plus the new part."""
    zone = shop_zone("Asia/Jakarta")
    oct6 = datetime(2026, 10, 6, 9, tzinfo=zone)
    home = tmp_path / "old-shop"
    store = Store(home)
    with store.change() as ledger:
        ledger.add_product("PAN-24", "Wajan", 150_000, oct6 - timedelta(days=1), stock=10)
        ledger.add_customer("Mike", oct6 - timedelta(days=1))
    real, real_read = reports.by_day, reports.money_of_old_sum
    monkeypatch.setattr(reports, "by_day", lambda bookings: {  # the older olshop's sums
        d: _old(s) for d, s in real(bookings).items()
    })  # fmt: skip
    monkeypatch.setattr(reports, "money_of_old_sum", lambda summed: summed)
    with store.change() as ledger:  # B1 paid in full on 6 October, done on the 8th
        ledger.book("mike", ["PAN-24"], oct6, ongkir=18_000, courier="JNE")
        ledger.pay("B1", oct6 + timedelta(hours=1))
        ledger.ship("B1", "JNE", "J1", oct6 + timedelta(hours=2))
        ledger.done("B1", oct6 + timedelta(days=2))
    archive = store.load().archive
    assert [("money_in" in d) for d in archive.days("2026-10-01", "2026-10-31")] == [False]
    assert [("money_in" in d) for d in archive.days(None, "2026-10-31", months=True)] == [False]
    monkeypatch.setattr(reports, "by_day", real)
    monkeypatch.setattr(reports, "money_of_old_sum", real_read)
    monkeypatch.setenv("OLSHOP_HOME", str(home))
    old_year = figures(shop, "--period year")
    assert money(old_year) == (168_000, 168_000, 0, 0)  # read from the old month sum
    with store.change() as ledger:  # B2: a down payment on 6 October, the rest on the 7th
        ledger.book("mike", ["PAN-24"], oct6 + timedelta(hours=3))
        ledger.pay("B2", oct6 + timedelta(hours=4), 50_000)
        ledger.pay("B2", oct6 + timedelta(days=1))
        ledger.ship("B2", "JNE", "J2", oct6 + timedelta(days=1, hours=1))
        ledger.done("B2", oct6 + timedelta(days=3))
    days = {d["day"]: d for d in store.load().archive.days("2026-10-01", "2026-10-31")}
    assert (days["2026-10-06"]["money_in"], days["2026-10-07"]["money_in"]) == (218_000, 100_000)

    year = figures(shop, "--period year")  # October as its month sum
    assert money(year) == (318_000, 318_000, 0, 0) and year["revenue"] == 300_000
    assert money(figures(shop, "--from 2026-10-06 --to 2026-10-06")) == (218_000, 218_000, 0, 0)
