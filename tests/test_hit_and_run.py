"""Hit-and-run memory: history counts, the warning on `book`, the mark in `bookings`."""

from __future__ import annotations

import json

import pytest
from ledgerfile import read_ledger, write_ledger

from olshop_cli.ledger import History
from olshop_cli.models import Booking, Line

DAY2 = "2026-11-25T08:00:00+07:00"


def _lapse(shop, times: int, customer: str = "mike") -> None:
    """Book and let it lapse `times` times (released after the deadline)."""
    for _ in range(times):
        shop.set_now("2026-11-23T08:00:00+07:00")
        bid = shop(f"book {customer} SPAT-1 --deadline 1h", ok=True).stdout.strip()
        shop.set_now("2026-11-23T10:00:00+07:00")
        shop(f"release {bid}", ok=True)


def _paid(shop, customer: str = "mike") -> str:
    bid = shop(f"book {customer} SPAT-1", ok=True).stdout.strip()
    shop(f"pay {bid}", ok=True)
    return bid


def _booking(status: str, total: int = 10_000) -> Booking:
    return Booking(
        number=1,
        customer="mike",
        customer_name="Mike Tan",
        lines=[Line(sku="X", name="X", qty=1, price=total)],
        created="2026-11-23T08:00:00+07:00",
        deadline="2026-11-24T08:00:00+07:00",
        status=status,
    )


@pytest.mark.parametrize(
    ("statuses", "flagged"),
    [
        ([], False),
        (["booked", "booked"], False),  # nothing settled yet
        (["released"], True),  # 1 of 1
        (["released", "done"], True),  # 1 of 2
        (["released", "done", "paid"], True),  # 1 of 3: exactly a third
        (["released", "done", "paid", "shipped"], False),  # 1 of 4
        (["released", "cancelled", "done", "done"], False),  # 1 of 4
        (["released", "released", "done", "done", "done", "done"], True),  # 2 of 6
        (["cancelled", "cancelled"], False),  # cancelled by hand is not hit and run
    ],
)
def test_threshold(statuses, flagged):
    history = History()
    for status in statuses:
        history.add(_booking(status))
    assert history.hit_and_run is flagged


def test_history_counts_and_spent():
    history = History()
    for status, total in [("done", 100), ("shipped", 20), ("paid", 3), ("released", 1000),
                          ("cancelled", 5000), ("booked", 7)]:  # fmt: skip
        history.add(_booking(status, total))
    assert history.to_dict() == {
        "bookings": 6,
        "paid": 3,
        "released": 1,
        "cancelled": 1,
        "spent": 123,
    }
    assert history.settled == 5


def test_customer_show_history_json_reads_archive(stocked):
    _lapse(stocked, 2)
    bid = _paid(stocked)
    stocked(f"ship {bid} --courier JNE --tracking X1", ok=True)
    stocked(f"done {bid}", ok=True)  # archived
    stocked("book mike PAN-24", ok=True)  # open, unpaid
    data = json.loads(stocked("customer show mike --json", ok=True).stdout)
    assert data["history"] == {
        "bookings": 4,
        "paid": 1,
        "released": 2,
        "cancelled": 0,
        "spent": 35_000,
    }
    assert data["hit_and_run"] is True
    assert len(data["bookings"]) == 4


def test_customer_show_text(stocked):
    _lapse(stocked, 1)
    _paid(stocked)
    out = stocked("customer show mike", ok=True).stdout
    assert "bookings  2: 1 paid, 1 released, 0 cancelled" in out
    assert "spent     Rp35.000" in out
    assert "warning   hit and run: 1 of 2 bookings by Mike Tan was released" in out


def test_customer_show_no_warning_for_good_buyer(stocked):
    _paid(stocked)
    out = stocked("customer show mike", ok=True).stdout
    assert "hit and run" not in out


def test_book_warns_with_counts(stocked):
    _lapse(stocked, 2)
    _paid(stocked)
    result = stocked("book mike SPAT-1", ok=True)
    assert result.stdout.strip().startswith("B")
    assert (
        "Warning: 2 of 3 bookings by Mike Tan were released; consider asking for payment first."
        in result.stderr
    )


def test_book_warns_once_singular(stocked):
    _lapse(stocked, 1)
    result = stocked("book mike SPAT-1", ok=True)
    assert "Warning: 1 of 1 booking by Mike Tan was released;" in result.stderr


def test_no_warning_below_threshold_or_for_others(stocked):
    _lapse(stocked, 1)
    for _ in range(3):
        _paid(stocked)
    assert " released" not in stocked("book mike SPAT-1", ok=True).stderr  # no hit-and-run word
    assert " released" not in stocked("book siti SPAT-1", ok=True).stderr


def test_refuse_setting_leaves_ledger_unchanged(stocked):
    _lapse(stocked, 2)
    stocked("config set hit-and-run refuse", ok=True)
    stocked.refused(
        "book mike SPAT-1",
        "Not booked: 2 of 2 bookings by Mike Tan were released.",
        "olshop config set hit-and-run warn",
    )
    # Other buyers book as before; `off` silences it.
    stocked("book siti SPAT-1", ok=True)
    stocked("config set hit-and-run off", ok=True)
    result = stocked("book mike SPAT-1", ok=True)
    assert "Warning" not in result.stderr


def test_setting_is_validated(stocked):
    stocked.refused("config set hit-and-run maybe", "not a hit-and-run rule", "warn, refuse or off")
    stocked("config set hit-and-run REFUSE", ok=True)
    assert stocked("config get hit-and-run", ok=True).stdout.strip() == "refuse"


def test_bookings_listing_marks_customer(stocked):
    _lapse(stocked, 1)
    stocked("book mike SPAT-1", ok=True)
    stocked("book siti SPAT-1", ok=True)
    result = stocked("bookings", ok=True)
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "Mike Tan !" in rows["B2"]
    assert "!" not in rows["B3"]
    assert result.stderr.count("! = ") == 1
    data = json.loads(stocked("bookings --json", ok=True).stdout)
    assert {b["id"]: b["hit_and_run"] for b in data} == {"B2": True, "B3": False}


def test_bookings_listing_without_marks_says_nothing(stocked):
    stocked("book siti SPAT-1", ok=True)
    result = stocked("bookings", ok=True)
    assert "!" not in result.stdout
    assert result.stderr == ""


def test_running_counts_follow_every_move(stocked, shop_home):
    """The counts the listing uses agree with a full count from the archive."""
    _lapse(stocked, 2)
    bid = _paid(stocked)
    stocked(f"ship {bid} --courier JNE --tracking X1", ok=True)
    stocked(f"done {bid}", ok=True)
    cancelled = stocked("book mike SPAT-1", ok=True).stdout.strip()
    stocked(f"cancel {cancelled}", ok=True)
    stocked("book mike SPAT-1", ok=True)
    stored = read_ledger(shop_home)
    mike = next(c for c in stored["customers"].values() if c["key"] == "mike")
    full = json.loads(stocked("customer show mike --json", ok=True).stdout)["history"]
    assert (
        mike["counts"]
        == full
        == {
            "bookings": 5,
            "paid": 1,
            "released": 2,
            "cancelled": 1,
            "spent": 35_000,
        }
    )


def test_customer_from_before_counts_is_counted_once_on_booking(stocked, shop_home):
    """A ledger written before the counts existed: `bookings` does not guess, `book` counts
    the customer once from the archive and warns."""
    _lapse(stocked, 2)
    stored = read_ledger(shop_home)
    for customer in stored["customers"].values():
        customer.pop("counts")
    write_ledger(shop_home, stored)
    stocked("book siti SPAT-1", ok=True)
    assert "!" not in stocked("bookings", ok=True).stdout
    result = stocked("book mike SPAT-1", ok=True)
    assert "2 of 2 bookings by Mike Tan were released" in result.stderr
    assert "Mike Tan !" in stocked("bookings", ok=True).stdout


def test_listings_mark_buyers_from_the_stored_list(stocked, shop_home):
    """Listings read the marked keys kept with the ledger, not 5,000 customers; the list
    follows the counts through every change, and doctor recounts it after a hand edit."""
    _lapse(stocked, 2)
    assert read_ledger(shop_home)["meta"]["shop:1"]["hit_and_run"] == ["mike"]
    stocked("book mike SPAT-1", ok=True)
    stocked("product add TOPI-1 Topi --price 40rb", ok=True)
    assert "Mike Tan !" in stocked("bookings", ok=True).stdout
    stored = read_ledger(shop_home)
    mike = next(c for c in stored["customers"].values() if c["key"] == "mike")
    mike["counts"]["released"] = 0
    write_ledger(shop_home, stored)
    report = stocked("doctor")
    assert report.exit_code == 1 and "hit-and-run buyers does not match" in report.stdout
    stocked("doctor --fix", ok=True)
    assert read_ledger(shop_home)["meta"]["shop:1"]["hit_and_run"] == []
    assert "!" not in stocked("bookings", ok=True).stdout


def test_today_marks_hit_and_run_buyers(stocked):
    _lapse(stocked, 2)
    stocked("book mike SPAT-1 --deadline 11:00", ok=True)
    stocked.set_now("2026-11-23T12:00:00+07:00")
    result = stocked("today", ok=True)
    assert "Mike Tan !" in result.stdout
    assert "! = the buyer let a third or more" in result.stderr
