"""`olshop edit ID` (and `olshop booking edit ID`): a booking changed in place, same id,
stock re-reserved in the same change, recorded in its history and undoable; and the
shop's `dp-minimum`, a down payment that holds a pre-order past its deadline.

The `stocked` shop: PAN-24 Rp150.000 (3 on hand), SPAT-1 Rp35.000 (10 on hand), customers
mike and siti. OLSHOP_NOW is Monday 2026-11-23 08:00 +07:00.
"""

from __future__ import annotations

import json

from ledgerfile import read_ledger

ORDER = "book siti PAN-24:2@140rb --discount 10% --ongkir 18rb --courier 'J&T'"


def booking(shop, bid: str = "B1") -> dict:
    return json.loads(shop(f"show {bid} --json", ok=True).stdout)


def product(shop, sku: str) -> dict:
    return json.loads(shop(f"product show {sku} --json", ok=True).stdout)


def test_an_upsold_item_is_added_to_the_same_booking_and_its_stock_reserved(stocked):
    stocked(ORDER, ok=True)  # 280.000 - 28.000 + 18.000 = 270.000
    result = stocked("edit B1 --add SPAT-1:2", ok=True)
    # items 280.000 + 70.000 = 350.000; 10 % follows the items: 35.000 off; + 18.000
    assert result.stderr == (
        "B1 changed: added 2x SPAT-1 @ Rp35.000; discount 10% (-Rp35.000); "
        "total Rp270.000 -> Rp333.000.\n"
        "Tell the buyer the new total: olshop reply confirm --booking B1\n"
    )
    data = booking(stocked)
    assert data["id"] == "B1" and data["total"] == 333_000 and data["discount"] == 35_000
    assert [(ln["sku"], ln["qty"], ln["price"]) for ln in data["lines"]] == [
        ("PAN-24", 2, 140_000),
        ("SPAT-1", 2, 35_000),
    ]
    assert (product(stocked, "SPAT-1")["reserved"], product(stocked, "SPAT-1")["available"]) == (
        2,
        8,
    )
    assert data["history"][-1]["event"] == "edited"
    assert stocked("bookings --json", ok=True).stdout.count('"id"') == 1  # no second booking
    confirm = stocked("reply confirm --booking B1", ok=True).stdout
    assert "- 2x Spatula silikon @ Rp35.000 = Rp70.000\n" in confirm
    assert "Total: Rp333.000\n" in confirm


def test_booking_edit_is_the_same_command(stocked):
    stocked(ORDER, ok=True)
    stocked("booking edit B1 --set PAN-24:1", ok=True)
    assert booking(stocked)["total"] == 140_000 - 14_000 + 18_000


def test_an_edit_that_would_oversell_is_refused_with_what_is_available(stocked):
    stocked(ORDER, ok=True)  # holds 2 of the 3 PAN-24
    stocked.refused(
        "edit B1 --set PAN-24:5",
        "Only 1 more of PAN-24 (Wajan 24 cm) available; B1 holds 2 and would need 5.",
        "--set PAN-24:3",
    )
    stocked("book mike PAN-24", ok=True)  # the last one
    stocked.refused(
        "edit B1 --add PAN-24", "Only 0 more of PAN-24", "olshop product stock PAN-24 +N"
    )


def test_refusals_leave_the_ledger_unchanged(stocked):
    stocked(ORDER, ok=True)
    stocked.refused("edit B1", "Nothing to change on B1")
    stocked.refused("edit B1 --remove SPAT-1", "B1 has no SPAT-1; it has PAN-24.")
    stocked.refused("edit B1 --remove PAN-24", "leave B1 with no items", "olshop cancel B1")
    stocked.refused("edit B1 --add PAN-24@120rb", "PAN-24 is in B1 at Rp140.000 a unit")
    stocked.refused("edit B1 --price PAN-24", "is not SKU=PRICE")
    stocked.refused("edit B1 --discount 500rb", "more than the items")
    stocked.refused("edit B1 --courier '' ", "Ongkir needs its courier")
    stocked.refused("edit B1 --tracking JX1", "B1 is not shipped yet")
    stocked.refused("edit B1 --deadline '2026-11-20 10:00'", "already past")
    stocked.refused("edit B9 --note x", "There is no booking B9")


def test_taking_items_off_frees_stock_and_tells_who_waited(stocked):
    stocked("book mike PAN-24:3", ok=True)
    stocked("reply stockout --to siti --sku PAN-24", ok=True)  # siti asks: she is waiting
    result = stocked("edit B1 --set PAN-24:2", ok=True)
    assert product(stocked, "PAN-24")["available"] == 1
    assert "Back in stock! 1 asked about PAN-24 while sold out:" in result.stderr
    assert "olshop reply restock --to siti --sku PAN-24" in result.stderr


def test_edit_is_undone_by_undo(stocked):
    stocked(ORDER, ok=True)
    before = read_ledger(stocked.home)
    stocked("edit B1 --add SPAT-1 --note 'bubble wrap'", ok=True)
    assert booking(stocked)["note"] == "bubble wrap"
    stocked("undo", ok=True)
    assert booking(stocked)["total"] == 270_000
    assert booking(stocked)["note"] is None
    assert product(stocked, "SPAT-1")["reserved"] == 0
    assert read_ledger(stocked.home) == before


def test_a_field_taken_off_is_gone_from_the_stored_booking(stocked):
    """TinyDB merges an update into the stored document; the store replaces it whole."""
    stocked(ORDER, ok=True)
    stocked("edit B1 --ongkir 0 --discount 0", ok=True)
    data = booking(stocked)
    assert "ongkir" not in data and "discount" not in data and data["total"] == 280_000
    (stored,) = read_ledger(stocked.home)["bookings"].values()  # as the ledger file holds it
    assert "ongkir" not in stored and "discount" not in stored
    assert "healthy" in stocked("doctor", ok=True).stderr


def test_a_paid_booking_that_owes_more_is_booked_again(stocked):
    stocked(ORDER, ok=True)
    stocked("pay B1", ok=True)
    assert booking(stocked)["status"] == "paid"
    stocked.set_now("2026-11-23T10:00:00+07:00")
    result = stocked("edit B1 --add SPAT-1", ok=True)
    # 315.000 - 31.500 + 18.000 = 301.500; paid 270.000: 31.500 left
    assert (
        "B1 owes more now, so it is booked again: Rp31.500 left to pay by 2026-11-24 10:00."
        in result.stderr
    )
    data = booking(stocked)
    assert (data["status"], data["owed"], data["total"]) == ("booked", 31_500, 301_500)
    assert [e["event"] for e in data["history"]][-2:] == ["edited", "booked"]
    # and the buyer is asked for the balance, not told it is paid
    stocked.refused("reply paid --booking B1", "still has Rp31.500 to pay")
    assert "Rp31.500" in stocked("reply dp --booking B1", ok=True).stdout
    stocked("pay B1", ok=True)
    assert booking(stocked)["status"] == "paid"
    history = json.loads(stocked("customer show siti --json", ok=True).stdout)["history"]
    assert (history["paid"], history["spent"]) == (1, 301_500)


def test_a_paid_booking_that_costs_less_owes_money_back(stocked):
    stocked("book siti PAN-24:2 SPAT-1", ok=True)  # 335.000
    stocked("pay B1", ok=True)
    result = stocked("edit B1 --remove SPAT-1", ok=True)
    assert "B1 now has Rp35.000 paid beyond its total" in result.stderr
    assert booking(stocked)["owed_back"] == 35_000
    assert "Paid too much" in stocked("today", ok=True).stdout
    stocked("refund B1", ok=True)
    assert "owed_back" not in booking(stocked)


def test_a_down_payment_that_covers_a_smaller_order_makes_it_paid(stocked):
    stocked("book siti PAN-24:2", ok=True)  # 300.000
    stocked("pay B1 --amount 150rb", ok=True)
    result = stocked("edit B1 --set PAN-24:1", ok=True)
    assert "B1 is paid in full now." in result.stderr
    assert booking(stocked)["status"] == "paid"


def test_a_shipped_booking_can_only_have_its_tracking_courier_and_note_fixed(stocked):
    stocked(ORDER, ok=True)
    stocked("pay B1", ok=True)
    stocked("ship B1 --courier jne --tracking JN01", ok=True)
    stocked.refused("edit B1 --add SPAT-1", "B1 is shipped: its parcel has left")
    stocked("edit B1 --tracking JN02 --courier 'J&T'", ok=True)
    data = booking(stocked)
    assert (data["tracking"], data["courier"]) == ("JN02", "J&T")
    assert "tracking JN02 (was JN01)" in data["history"][-1]["detail"]
    stocked("done B1", ok=True)
    stocked.refused("edit B1 --note x", "B1 is done, so it cannot be changed.")


def test_edit_moves_the_deadline_and_starts_the_reminders_over(stocked):
    stocked("book siti PAN-24", ok=True)
    stocked.set_now("2026-11-24T09:00:00+07:00")
    stocked("remind B1", ok=True)
    stocked("edit B1 --deadline '2026-11-26 17:00'", ok=True)
    data = booking(stocked)
    assert (data["deadline"], data["reminded"], data["overdue"]) == (
        "2026-11-26T17:00:00+07:00",
        0,
        False,
    )


# ----- dp-minimum: a down payment holds a pre-order past its deadline -----------------------


def test_dp_minimum_setting_is_checked(stocked):
    stocked.refused("config set dp-minimum 150%", "not a percentage from 1% to 100%")
    stocked.refused("config set dp-minimum banyak", "not an amount or a percentage")
    stocked("config set dp-minimum '50 %'", ok=True)
    assert stocked("config get dp-minimum", ok=True).stdout == "50%\n"
    stocked("config set dp-minimum none", ok=True)
    assert stocked("config get dp-minimum", ok=True).stdout == "\n"


def test_a_dp_below_the_minimum_does_not_hold_the_booking(stocked):
    stocked("config set dp-minimum 50%", ok=True)
    stocked("book siti PAN-24:2", ok=True)  # 300.000: the minimum is 150.000
    stocked("pay B1 --amount 149rb", ok=True)
    stocked.set_now("2026-11-25T08:00:00+07:00")
    assert booking(stocked)["overdue"] is True


def test_a_dp_of_the_minimum_holds_the_booking_until_the_balance_has_a_date(stocked):
    stocked("config set dp-minimum 50%", ok=True)
    stocked("book siti PAN-24:2", ok=True)  # 300.000
    paid = stocked("pay B1 --amount 150rb", ok=True)
    assert "B1 is held by its DP (Rp150.000, the shop's minimum is Rp150.000)" in paid.stderr
    stocked.set_now("2026-11-30T08:00:00+07:00")  # a week after its deadline
    data = booking(stocked)
    assert (data["held_by_dp"], data["overdue"], data["owed"]) == (True, False, 150_000)
    assert stocked("bookings --overdue --json", ok=True).stdout.strip() == "[]"
    release = stocked("release --overdue", ok=True)
    assert "Nothing overdue" in release.stderr
    assert booking(stocked)["status"] == "booked"
    today = stocked("today", ok=True).stdout
    assert "0 overdue" in today and "1 held by a DP" in today
    assert "Held by a DP (pre-orders)" in today
    # the buyer hears the balance is due when the order is ready, never a passed deadline
    dp = stocked("reply dp --booking B1", ok=True).stdout
    assert "Sisanya Rp150.000, mohon ditransfer nanti saat pesanannya siap dikirim ya." in dp
    stocked.refused("remind B1", "held by its down payment", "olshop extend B1 --to")
    stocked.refused("reply remind --booking B1", "held by its down payment")
    stocked.refused("reply confirm --booking B1", "held by its down payment")
    # the seller sets when the balance is due: from then the deadline rules apply to it
    stocked("extend B1 --to '2026-12-05 17:00'", ok=True)
    data = booking(stocked)
    assert "held_by_dp" not in data and data["history"][-1]["detail"] == (
        "balance due by 2026-12-05 17:00"
    )
    stocked.set_now("2026-12-06T08:00:00+07:00")
    assert booking(stocked)["overdue"] is True
    refused = stocked("release B1")
    assert refused.exit_code == 1 and "holds Rp150.000 paid" in refused.stderr
    stocked("release B1 --refund", ok=True)
    assert booking(stocked)["refunds"][0]["amount"] == 150_000


def test_a_dp_paid_in_full_later_clears_the_hold(stocked):
    stocked("config set dp-minimum 100rb", ok=True)
    stocked("book siti PAN-24", ok=True)
    stocked("pay B1 --amount 100rb", ok=True)
    assert booking(stocked)["held_by_dp"] is True
    stocked("pay B1", ok=True)
    data = booking(stocked)
    assert data["status"] == "paid" and "held_by_dp" not in data


def test_an_added_line_keeps_the_cost_price_of_the_day(stocked):
    stocked("product edit SPAT-1 --cost 15rb", ok=True)
    stocked("book siti PAN-24", ok=True)
    stocked("edit B1 --add SPAT-1", ok=True)
    stocked("product edit SPAT-1 --cost 20rb", ok=True)  # a later cost rewrites nothing
    lines = {ln["sku"]: ln for ln in booking(stocked)["lines"]}
    assert lines["SPAT-1"]["cost"] == 15_000 and "cost" not in lines["PAN-24"]


# ----- what a seller found trying it: money after refunds, holds after edits ----------------


def test_owed_counts_what_was_paid_back(stocked):
    stocked("book siti SPAT-1:3", ok=True)  # 105.000
    stocked("pay B1 --amount 110rb", ok=True)  # 5.000 too much
    stocked("refund B1", ok=True)  # paid back: 105.000 stays
    stocked("edit B1 --set SPAT-1:5", ok=True)  # 175.000: 70.000 left
    data = booking(stocked)
    assert (data["status"], data["owed"]) == ("booked", 70_000)
    assert "  owed       Rp70.000\n" in stocked("show B1", ok=True).stdout
    confirm = stocked("reply confirm --booking B1", ok=True).stdout
    assert "Sudah dibayar: Rp105.000\nSisa: Rp70.000\n" in confirm
    assert "Mohon transfer Rp70.000" in confirm
    paid = stocked("pay B1", ok=True)
    assert paid.stderr.startswith("B1 paid (Rp175.000).")
    assert [p["amount"] for p in booking(stocked)["payments"]] == [110_000, 70_000]


def test_remind_after_a_down_payment_asks_for_the_rest_and_names_the_dp(stocked):
    stocked("book siti PAN-24", ok=True)  # 150.000
    stocked("pay B1 --amount 50rb", ok=True)
    stocked.set_now("2026-11-24T09:00:00+07:00")
    text = stocked("reply remind --booking B1", ok=True).stdout
    assert (
        "pesanan B1 (1x Wajan 24 cm) masih menunggu sisa pembayaran Rp100.000 "
        "(DP Rp50.000 sudah kami terima). Mohon transfernya hari ini kalau masih berminat"
    ) in text
    english = stocked("reply remind --booking B1 --lang en", ok=True).stdout
    assert (
        "your order B1 (1x Wajan 24 cm) is still waiting for the remaining Rp100.000 "
        "(we've received your Rp50.000 down payment)."
    ) in english


def test_an_edit_that_takes_the_dp_under_the_minimum_lets_the_booking_go(stocked):
    stocked("config set dp-minimum 50%", ok=True)
    stocked("book siti PAN-24", ok=True)  # 150.000
    stocked("pay B1 --amount 75rb", ok=True)  # held
    stocked.set_now("2026-11-27T09:00:00+07:00")  # its own deadline long past
    result = stocked("edit B1 --add PAN-24", ok=True)  # 300.000: 75.000 is 25 %
    assert (
        "B1 is no longer held by its DP: the DP of Rp75.000 is under the minimum (Rp150.000) "
        "now. The rest, Rp225.000, is due by 2026-11-28 09:00." in result.stderr
    )
    assert "olshop reply confirm --booking B1" in result.stderr
    data = booking(stocked)
    assert "held_by_dp" not in data and data["overdue"] is False
    assert data["deadline"] == "2026-11-28T09:00:00+07:00"


def test_a_paid_booking_booked_again_with_a_big_dp_is_held(stocked):
    stocked("config set dp-minimum 50%", ok=True)
    stocked("book siti PAN-24", ok=True)
    stocked("pay B1", ok=True)
    result = stocked("edit B1 --add SPAT-1", ok=True)  # 150.000 of 185.000 paid
    assert "B1 is held by its DP" in result.stderr
    assert "olshop reply dp --booking B1" in result.stderr
    assert booking(stocked)["held_by_dp"] is True


def test_an_item_named_by_two_options_is_refused(stocked):
    stocked(ORDER, ok=True)
    stocked.refused(
        "edit B1 --set PAN-24:3 --remove PAN-24", "PAN-24 is named by both --remove and --set"
    )
    stocked.refused("edit B1 --add SPAT-1 --remove SPAT-1", "named by both --remove and --add")
    stocked("edit B1 --add SPAT-1 --price SPAT-1=30rb", ok=True)  # added at an agreed price
    lines = {ln["sku"]: ln["price"] for ln in booking(stocked)["lines"]}
    assert lines == {"PAN-24": 140_000, "SPAT-1": 30_000}


def test_a_booking_with_nothing_to_pay_is_marked_paid_not_asked_for_rp0(stocked):
    stocked("book siti SPAT-1@0", ok=True)  # a gift
    stocked.refused("reply confirm --booking B1", "B1 has nothing left to pay", "olshop pay B1")
    stocked.refused("reply remind --booking B1", "would ask for Rp0")
    stocked("pay B1", ok=True)
    data = booking(stocked)
    assert (data["status"], data["payments"]) == ("paid", [])


def test_paying_a_paid_booking_says_so_plainly(stocked):
    stocked("book siti SPAT-1", ok=True)
    stocked("pay B1", ok=True)
    stocked.refused("pay B1 --amount 10rb", "B1 is already paid.", "Nothing is owed on it")


def test_a_closed_booking_shows_nothing_owed_and_refund_tells_the_latest(stocked):
    stocked("book mike SPAT-1:2", ok=True)  # 70.000
    stocked("pay B1 --amount 80rb", ok=True)
    stocked("refund B1", ok=True)  # 10.000 back
    stocked("cancel B1 --refund", ok=True)  # 70.000 back
    shown = stocked("show B1", ok=True).stdout
    assert "owed" not in shown and "  paid back  Rp80.000\n" in shown
    text = stocked("reply refund --booking B1", ok=True).stdout
    assert "dana Rp70.000 untuk pesanan B1" in text


def test_checkin_says_until_when_the_item_is_held(stocked):
    stocked("book siti PAN-24 --deadline 'besok 17:00'", ok=True)
    text = stocked("reply checkin --booking B1", ok=True).stdout
    assert "Pesanan B1 (1x Wajan 24 cm) masih kami simpan sampai besok pukul 17.00." in text
    english = stocked("reply checkin --booking B1 --lang en", ok=True).stdout
    assert "is still set aside for you until tomorrow at 17:00." in english
    stocked.set_now("2026-11-24T18:00:00+07:00")  # past it: the release may come after today
    assert "masih kami simpan sampai hari ini." in stocked("reply checkin --booking B1").stdout


def test_a_paid_booking_booked_again_by_an_edit_then_cancelled_counts_once(stocked):
    """The buyer's running counts (kept in the ledger for the hit-and-run mark) agree with
    their bookings counted afresh."""
    stocked("book siti PAN-24", ok=True)
    stocked("pay B1", ok=True)
    stocked("edit B1 --add SPAT-1", ok=True)  # booked again: no longer sold
    stocked("cancel B1 --refund", ok=True)
    (siti,) = [c for c in read_ledger(stocked.home)["customers"].values() if c["key"] == "siti"]
    assert siti["counts"] == {"bookings": 1, "paid": 0, "released": 0, "cancelled": 1, "spent": 0}
    history = json.loads(stocked("customer show siti --json", ok=True).stdout)["history"]
    assert history == siti["counts"]
