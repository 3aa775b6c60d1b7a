"""Money on a booking is never dropped: a down payment on a booking that is released or
cancelled is paid back or kept, each an entry with its date, and the seller must say which."""

from __future__ import annotations

import csv
import io
import json
import re

TUESDAY = "2026-11-24T09:00:00+07:00"  # the default 24h deadline of Monday 08:00 has passed


def booking(shop, bid: str) -> dict:
    return json.loads(shop(f"show {bid} --json", ok=True).stdout)


def test_release_of_a_booking_holding_a_down_payment_needs_refund_or_keep(stocked):
    stocked("book mike PAN-24", ok=True)  # B1, Rp150.000
    stocked("pay B1 --amount 50rb", ok=True)
    stocked.set_now(TUESDAY)
    stocked.refused(
        "release B1",
        "B1 holds Rp50.000 paid, so it cannot be released before you say what happens to "
        "that money.",
        "olshop release B1 --refund",
        "--keep",
        "olshop config set dp-on-release refund",
    )
    stocked.refused("release B1 --refund --keep", "give --refund or --keep, not both", code=2)
    done = stocked("release B1 --refund", ok=True)
    assert done.stdout == "B1\n"
    assert (
        "Released B1 (Mike Tan, 1h late; never reminded): 1x PAN-24 (now 3 available) back; "
        "Rp50.000 paid back." in done.stderr
    )
    data = booking(stocked, "B1")
    assert data["status"] == "released" and data["paid"] == 50_000
    assert data["refunds"] == [{"amount": 50_000, "at": TUESDAY}]
    assert [h["event"] for h in data["history"]][-2:] == ["released", "refunded"]
    shown = stocked("show B1", ok=True).stdout
    assert re.search(r"\n  paid back +Rp50\.000\n", shown) and re.search(
        r"\n  paid +Rp50\.000\n", shown
    )
    stocked.refused("release B1 --refund", "B1 is released")  # settled once, not twice


def test_keep_records_the_down_payment_as_kept(stocked):
    stocked("book siti SPAT-1:2", ok=True)
    stocked("pay B1 --amount 20rb", ok=True)
    stocked("release B1 --keep", now=TUESDAY, ok=True)
    data = booking(stocked, "B1")
    assert data["kept"] == [{"amount": 20_000, "at": TUESDAY}] and "refunds" not in data
    shown = stocked("show B1", ok=True).stdout
    assert re.search(r"\n  kept +Rp20\.000\n", shown)
    assert re.search(r"kept +Rp20\.000 paid stays with the shop\n", shown)


def test_release_overdue_leaves_the_bookings_holding_money_and_names_them(stocked):
    stocked("book mike PAN-24", ok=True)  # B1: a down payment
    stocked("book siti SPAT-1", ok=True)  # B2
    stocked("book mike SPAT-1", ok=True)  # B3
    stocked("pay B1 --amount 50rb", ok=True)
    stocked.set_now(TUESDAY)
    dry = stocked("release --overdue --dry-run", ok=True)
    assert "Would release B2" in dry.stderr and "Would release B3" in dry.stderr
    assert "Would release B1" not in dry.stderr
    assert "B1 (Mike Tan) holds Rp50.000 paid, so it would not be released." in dry.stderr
    before = stocked.ledger_bytes()
    assert stocked.ledger_bytes() == before
    result = stocked("release --overdue", ok=True)
    assert result.stdout == "B2\nB3\n"
    assert "B1 (Mike Tan) holds Rp50.000 paid, so it was not released." in result.stderr
    assert "olshop release B1 --refund (or --keep)" in result.stderr
    assert booking(stocked, "B1")["status"] == "booked"
    # Only B1 is left: nothing to do but refuse, changing nothing.
    stocked.refused("release --overdue", "B1 holds Rp50.000 paid")
    stocked("config set dp-on-release keep", ok=True)
    assert stocked("release --overdue", ok=True).stdout == "B1\n"
    assert booking(stocked, "B1")["kept"] == [{"amount": 50_000, "at": TUESDAY}]


def test_the_shop_setting_decides_for_release_but_not_for_cancel(stocked):
    stocked.refused("config set dp-on-release maybe", "'maybe' is not what happens to the money")
    stocked("config set dp-on-release refund", ok=True)
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("pay B1 --amount 50rb", ok=True)
    stocked("pay B2 --amount 10rb", ok=True)
    stocked.refused(
        "cancel B2",
        "B2 holds Rp10.000 paid, so it cannot be cancelled",
        "olshop cancel B2 --refund",
    )
    cancelled = stocked("cancel B2 --refund --reason 'ganti warna'", ok=True)
    assert cancelled.stderr == "B2 cancelled; 1x SPAT-1 back in stock; Rp10.000 paid back.\n"
    released = stocked("release B1", now=TUESDAY, ok=True)
    assert "Rp50.000 paid back" in released.stderr
    assert booking(stocked, "B1")["refunds"][0]["amount"] == 50_000


def test_removing_a_buyer_never_drops_their_down_payment(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("pay B1 --amount 50rb", ok=True)
    stocked.refused(
        "customer rm mike --force", "B1 holds Rp50.000 paid", "olshop cancel B1 --refund"
    )
    stocked("cancel B1 --keep", ok=True)
    stocked("customer rm mike --force", ok=True)
    assert booking(stocked, "B1")["kept"][0]["amount"] == 50_000


def test_replies_after_the_money_is_settled(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("pay B1 --amount 50rb", ok=True)
    stocked("pay B2 --amount 10rb", ok=True)
    stocked.set_now(TUESDAY)
    stocked.refused(
        "reply refund --booking B1", "B1 has nothing paid back", "olshop cancel B1 --refund"
    )
    stocked("release B1 --refund", ok=True)
    stocked("release B2 --keep", ok=True)
    # `release` says no transfer came: untrue once a down payment did.
    stocked.refused(
        "reply release --booking B1",
        "B1 had Rp50.000 paid: 'release' would say no payment came.",
        "Use: olshop reply refund --booking B1",
    )
    stocked.refused("reply release --booking B2", "B2 had Rp10.000 paid", "in your own words")
    refund = stocked("reply refund --booking B1", ok=True)
    assert refund.stdout == (
        "Halo Kak Mike, dana Rp50.000 untuk pesanan B1 (1x Wajan 24 cm) sudah kami kembalikan "
        "ya 🙏 Mohon dicek, dan kabari kami kalau belum masuk. Terima kasih atas pengertiannya.\n"
    )
    english = stocked("reply refund --booking B1 --lang en", ok=True).stdout
    assert english == (
        "Hi Mike, we've sent back Rp50.000 for order B1 (1x Wajan 24 cm) 🙏 Please check, "
        "and let us know if it hasn't arrived. Thank you for understanding.\n"
    )
    stocked.refused("reply refund --booking B2", "B2 has nothing paid back")


def test_exports_carry_every_refunded_and_kept_rupiah(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("book mike SPAT-1", ok=True)
    stocked("pay B1 --amount 50rb", ok=True)
    stocked("pay B2 --amount 10rb", ok=True)
    stocked.set_now(TUESDAY)
    stocked("release B1 --refund", ok=True)
    stocked("cancel B2 --keep", ok=True)
    rows = list(
        csv.DictReader(io.StringIO(stocked("export --format csv --table bookings", ok=True).stdout))
    )
    money = {r["id"]: (r["paid"], r["refunded"], r["kept"]) for r in rows}
    assert money == {
        "B1": ("50000", "50000", "0"),
        "B2": ("10000", "0", "10000"),
        "B3": ("0", "0", "0"),
    }
    exported = json.loads(stocked("export", ok=True).stdout)["bookings"]
    by_id = {b["id"]: b for b in exported}
    assert by_id["B1"]["refunds"] == [{"amount": 50_000, "at": TUESDAY}]
    assert "refunds" not in by_id["B3"] and "kept" not in by_id["B3"]  # older shape kept as is
    # What was exported comes back the same.
    other = stocked.home.parent / "other"
    (stocked.home.parent / "export.json").write_text(
        json.dumps(json.loads(stocked("export", ok=True).stdout))
    )
    stocked(f"--home {other} import {stocked.home.parent / 'export.json'}", ok=True)
    again = {
        b["id"]: b
        for b in json.loads(stocked(f"--home {other} export", ok=True).stdout)["bookings"]
    }
    assert (
        again["B1"]["refunds"] == by_id["B1"]["refunds"]
        and again["B2"]["kept"] == by_id["B2"]["kept"]
    )


def test_an_overpayment_is_owed_back_until_refunded_or_kept_as_credit(stocked):
    stocked("book mike PAN-24", ok=True)  # Rp150.000
    stocked("book siti SPAT-1", ok=True)
    paid = stocked("pay B1 --amount 170rb", ok=True)
    assert (
        "B1 received Rp20.000 more than its total: that is owed back to the buyer." in paid.stderr
    )
    assert "olshop refund B1" in paid.stderr and "--credit" in paid.stderr
    assert booking(stocked, "B1")["owed_back"] == 20_000
    today = stocked("today", ok=True).stdout
    assert " · 1 to pay back" in today
    assert "Paid too much: money owed back to the buyer" in today
    assert "B1  Mike Tan  Rp170.000  Rp150.000   Rp20.000  olshop refund B1 (or --credit)" in today
    assert [b["id"] for b in json.loads(stocked("today --json", ok=True).stdout)["owed_back"]] == [
        "B1"
    ]
    stocked("ship B1 --courier JNE --tracking JN1", ok=True)
    stocked.refused("done B1", "B1 still owes Rp20.000 back to the buyer.", "olshop refund B1")
    stocked.refused("refund B1 --amount 25rb", "Rp25.000 is not what B1 owes back (Rp20.000)")
    stocked.refused("refund B2", "B2 is booked: nothing is owed back on it.", "cancel B2 --refund")
    part = stocked("refund B1 --amount 5rb", now="2026-11-24T09:00:00+07:00", ok=True)
    assert part.stderr == "B1: Rp5.000 paid back; Rp15.000 still owed back.\n"
    stocked("refund B1 --credit", now="2026-11-24T10:00:00+07:00", ok=True)
    stocked.refused("refund B1", "B1 owes nothing back: what was paid beyond its total is settled.")
    data = booking(stocked, "B1")
    assert data["refunds"] == [{"amount": 5_000, "at": "2026-11-24T09:00:00+07:00"}]
    assert data["kept"] == [{"amount": 15_000, "at": "2026-11-24T10:00:00+07:00", "note": "credit"}]
    assert "owed_back" not in data
    assert "to pay back" not in stocked("today", ok=True).stdout
    stocked("done B1", ok=True)


def product(shop, sku: str) -> dict:
    return json.loads(shop(f"product show {sku} --json", ok=True).stdout)


def test_a_paid_order_cancelled_and_a_returned_parcel_settle_their_money(stocked):
    stocked("book mike PAN-24", ok=True)  # B1: paid, then cancelled before shipping
    stocked("book siti SPAT-1:2", ok=True)  # B2: shipped, came back
    stocked("book siti SPAT-1", ok=True)  # B3: shipped, came back damaged
    for bid in ("B1", "B2", "B3"):
        stocked(f"pay {bid}", ok=True)
    stocked("ship B2 --courier JNE --tracking JN2", ok=True)
    stocked("ship B3 --courier JNE --tracking JN3", ok=True)
    assert (product(stocked, "PAN-24")["available"], product(stocked, "SPAT-1")["stock"]) == (2, 7)
    stocked.refused("cancel B1", "B1 holds Rp150.000 paid, so it cannot be cancelled")
    cancelled = stocked("cancel B1 --refund --reason 'salah warna'", ok=True)
    assert cancelled.stderr == "B1 cancelled; 1x PAN-24 back in stock; Rp150.000 paid back.\n"
    assert product(stocked, "PAN-24")["available"] == 3
    stocked.refused("cancel B2", "B2 is shipped", "olshop return B2 --restock --refund")
    stocked.refused("return B2 --refund", "--restock or --no-restock", code=2)
    stocked.refused("return B1 --restock --refund", "B1 is cancelled: only a shipped parcel")
    back = stocked("return B2 --restock --refund", ok=True)
    assert back.stderr == (
        "B2 came back and is cancelled; 2x SPAT-1 back on the shelf; Rp70.000 paid back.\n"
    )
    damaged = stocked("return B3 --no-restock --keep --reason rusak", ok=True)
    assert "B3 came back and is cancelled; nothing back on the shelf; Rp35.000 kept." in (
        damaged.stderr
    )
    assert product(stocked, "SPAT-1")["stock"] == 9  # 7 + the 2 of B2; B3's one is gone
    for bid, money in (("B1", "refunds"), ("B2", "refunds"), ("B3", "kept")):
        data = booking(stocked, bid)
        assert data["status"] == "cancelled" and data[money][0]["amount"] == data["paid"]
    report = json.loads(stocked("report --period week --json", ok=True).stdout)
    assert (report["revenue"], report["bookings"]["cancelled"]) == (0, 3)  # none was sold
    shown = stocked("customer show siti", ok=True).stdout
    assert "2: 0 paid, 0 released, 2 cancelled" in shown


def test_every_refusal_after_a_release_with_money_points_at_what_fits(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("pay B1 --amount 50rb", ok=True)
    stocked("pay B2 --amount 10rb", ok=True)
    stocked.set_now(TUESDAY)
    stocked("release B1 --refund", ok=True)
    stocked("release B2 --keep", ok=True)
    for template in ("checkin", "remind", "dp", "release"):
        stocked.refused(f"reply {template} --booking B1", "Use: olshop reply refund --booking B1")
        stocked.refused(f"reply {template} --booking B2", "down payment is kept, in your own words")


def test_a_cancel_can_pay_back_part_and_keep_the_rest(stocked):
    stocked("book mike PAN-24", ok=True)  # Rp150.000
    stocked("pay B1", ok=True)
    stocked.refused("cancel B1 --refund --amount 200rb", "Rp200.000 is not part of the Rp150.000")
    stocked.refused("cancel B1 --keep --amount 20rb", "is not being refunded")
    done = stocked("cancel B1 --refund --amount 135rb --reason 'ongkos batal 10%'", ok=True)
    assert done.stderr == (
        "B1 cancelled; 1x PAN-24 back in stock; Rp135.000 paid back; Rp15.000 kept.\n"
    )
    data = booking(stocked, "B1")
    assert data["refunds"] == [{"amount": 135_000, "at": "2026-11-23T08:00:00+07:00"}]
    assert data["kept"] == [{"amount": 15_000, "at": "2026-11-23T08:00:00+07:00"}]
    assert "Rp135.000" in stocked("reply refund --booking B1", ok=True).stdout


def test_a_part_refund_needs_money_on_the_booking(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked.refused("cancel B1 --refund --amount 10rb", "B1 holds no money")


def test_a_dry_run_of_one_booking_holding_money_says_what_is_missing(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("pay B1 --amount 50rb", ok=True)
    stocked.set_now(TUESDAY)
    before = stocked.ledger_bytes()
    result = stocked("release B1 --dry-run", ok=True)
    assert "B1 (Mike Tan) holds Rp50.000 paid, so it would not be released." in result.stderr
    assert "olshop release B1 --refund (or --keep)" in result.stderr
    assert stocked.ledger_bytes() == before
    assert "Would release B1" in stocked("release B1 --dry-run --refund", ok=True).stderr


def test_refund_takes_the_amount_as_typed_after_the_id(stocked):
    stocked("book mike SPAT-1", ok=True)  # 35.000
    stocked("pay B1 --amount 50rb", ok=True)  # 15.000 too much
    assert stocked("refund B1 5rb", ok=True).stderr == (
        "B1: Rp5.000 paid back; Rp10.000 still owed back.\n"
    )
    stocked.refused("refund B1 5rb --amount 5rb", "give the amount once", code=2)
    assert booking(stocked, "B1")["owed_back"] == 10_000
