"""Bookings through the command line: book, list, pay, ship, done, cancel, extend, remind,
release, show, today."""

from __future__ import annotations

import json

import pytest

TUESDAY_6PM = "2026-11-24T18:00:00+07:00"


def bookings_json(shop, *flags: str) -> list[dict]:
    return json.loads(shop(["bookings", "--json", *flags], ok=True).stdout)


def available(shop, sku: str) -> int:
    return json.loads(shop(f"product show {sku} --json", ok=True).stdout)["available"]


def test_book_prints_the_id_and_reserves(stocked):
    result = stocked("book mike PAN-24:2 SPAT-1 --deadline 'besok 17:00' --note 'bungkus kado'")
    assert result.exit_code == 0
    assert result.stdout == "B1\n"
    assert "Booked B1 for Mike Tan: 2x PAN-24, 1x SPAT-1, Rp335.000" in result.stderr
    assert "pay by 2026-11-24 17:00" in result.stderr
    (booking,) = bookings_json(stocked)
    assert booking["deadline"] == "2026-11-24T17:00:00+07:00"
    assert booking["total"] == 335_000 and booking["note"] == "bungkus kado"
    assert available(stocked, "PAN-24") == 1
    assert stocked("book siti SPAT-1", ok=True).stdout == "B2\n"


@pytest.mark.parametrize(
    "command, message, code",
    [
        ("book mike PAN-24:4", "Only 2 of PAN-24 (Wajan 24 cm) available; asked for 4.", 1),
        ("book mike PAN-24:0", "must be 1 or more", 1),
        ("book nobody PAN-24", "No customer matches 'nobody'", 1),
        ("book mike NOSKU", "No product with SKU NOSKU", 1),
        ("book mike PAN-24 --deadline 'kapan-kapan'", "kapan-kapan", 1),
        ("book mike PAN-24 --deadline 2026-11-01", "already past", 1),
        ("book mike", "Missing argument", 2),
        ("pay B9", "There is no booking B9", 1),
        ("pay X1", "'X1' is not a booking id", 1),
        ("pay B1 --amount 12x", "Cannot read '12x' as money", 1),
        ("ship B1 --courier JNE --tracking JNE1", "B1 is booked, so it cannot be shipped", 1),
        ("ship B1 --courier JNE", "Missing option '--tracking'", 2),
        ("done B1", "B1 is booked, so it cannot be marked done", 1),
        ("release B1", "B1 is not overdue", 1),
        ("extend B1", "Say how long to extend", 1),
        ("extend B1 --by lama", "lama", 1),
        ("remind", "give a booking id or --overdue", 2),
        ("remind B1 --overdue", "give a booking id or --overdue", 2),
        ("release", "give a booking id or --overdue", 2),
        ("bookings --status lunas", "Unknown status 'lunas'", 1),
        ("bookings --due-within soon", "soon", 1),
    ],
)
def test_refusals_leave_the_ledger_unchanged(stocked, command, message, code):
    stocked("book mike PAN-24 --deadline 'besok 17:00'", ok=True)
    before = stocked.ledger_bytes()
    result = stocked(command)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
    assert stocked.ledger_bytes() == before


def test_listing_filters(stocked):
    stocked("book mike PAN-24 --deadline '17:00'", ok=True)
    stocked("book siti SPAT-1 --deadline 'lusa 12:00'", ok=True)
    stocked("book siti SPAT-1:2 --deadline 'besok 09:00'", ok=True)
    stocked("pay B3", ok=True)
    assert [b["id"] for b in bookings_json(stocked)] == ["B1", "B2", "B3"]
    assert [b["id"] for b in bookings_json(stocked, "--status", "paid")] == ["B3"]
    assert [b["id"] for b in bookings_json(stocked, "--customer", "siti")] == ["B2", "B3"]
    assert [b["id"] for b in bookings_json(stocked, "--due-within", "12h")] == ["B1"]
    assert bookings_json(stocked, "--overdue") == []
    stocked.set_now("2026-11-23T17:30:00+07:00")
    (late,) = bookings_json(stocked, "--overdue")
    assert late["id"] == "B1" and late["overdue"] is True
    assert late["late_seconds"] == 30 * 60 and late["next_step"] == "reminder"
    text = stocked("bookings --overdue", ok=True).stdout
    assert "30m late" in text and "olshop remind B1" in text
    assert "No bookings match." in stocked("bookings --status shipped").stderr


def test_paying_shipping_and_done(stocked):
    stocked("book mike PAN-24:2", ok=True)
    partial = stocked("pay B1 --amount 100rb", ok=True)
    assert "received Rp100.000, Rp200.000 still to pay" in partial.stderr
    assert bookings_json(stocked)[0]["status"] == "booked"
    paid = stocked("pay B1 --amount 200.000", ok=True)
    assert "B1 paid (Rp300.000)" in paid.stderr and "olshop ship B1" in paid.stderr
    assert available(stocked, "PAN-24") == 1
    shipped = stocked("ship B1 --courier jne --tracking JNE0012345", ok=True)
    assert "B1 shipped with JNE JNE0012345" in shipped.stderr
    product = json.loads(stocked("product show PAN-24 --json", ok=True).stdout)
    assert (product["stock"], product["reserved"], product["available"]) == (1, 0, 1)
    stocked("done B1", ok=True)
    assert bookings_json(stocked) == []
    (closed,) = bookings_json(stocked, "--all")
    assert closed["status"] == "done"
    assert [h["event"] for h in closed["history"]] == [
        "booked",
        "payment",
        "paid",
        "shipped",
        "done",
    ]
    assert closed["courier"] == "JNE" and closed["tracking"] == "JNE0012345"
    shown = stocked("show B1", ok=True).stdout
    assert "done" in shown and "JNE JNE0012345" in shown and "history:" in shown


def test_cancel_returns_stock(stocked):
    stocked("book mike PAN-24:3", ok=True)
    assert available(stocked, "PAN-24") == 0
    result = stocked("cancel B1 --reason 'salah ukuran'", ok=True)
    assert "B1 cancelled" in result.stderr
    assert available(stocked, "PAN-24") == 3
    (closed,) = bookings_json(stocked, "--status", "cancelled")
    assert closed["reason"] == "salah ukuran"


def test_extend_by_and_to(stocked):
    stocked("book mike PAN-24 --deadline 'besok 17:00'", ok=True)
    result = stocked("extend B1 --by 1d", ok=True)
    assert "B1: pay by 2026-11-25 17:00 (was 2026-11-24 17:00)" in result.stderr
    stocked("extend B1 --to '27 Nov 12:00'", ok=True)
    assert bookings_json(stocked)[0]["deadline"] == "2026-11-27T12:00:00+07:00"


def test_remind_twice_then_release(stocked):
    stocked("book mike PAN-24:2 --deadline 'besok 17:00'", ok=True)
    stocked.set_now(TUESDAY_6PM)
    first = stocked("remind B1", ok=True)
    assert first.stdout.startswith("Halo Kak Mike, mau mengingatkan ya: pesanan B1")
    assert "hari ini kalau masih berminat" in first.stdout
    assert "B1" in first.stdout and "Rp300.000" in first.stdout
    assert "Recorded reminder for B1" in first.stderr
    stocked.set_now("2026-11-25T09:00:00+07:00")
    second = stocked("remind B1", ok=True)
    assert "apa kabar" in second.stdout and second.stdout != first.stdout
    third = stocked("remind B1")
    assert third.exit_code == 1 and "next step is release" in third.stderr
    (booking,) = bookings_json(stocked)
    assert [r["step"] for r in booking["reminders"]] == [1, 2]
    assert booking["next_step"] == "release"
    before = stocked.ledger_bytes()
    dry = stocked("release --overdue --dry-run", ok=True)
    assert "Would release B1 (Mike Tan" in dry.stderr and "nothing was changed" in dry.stderr
    assert "2x PAN-24 (now 3 available)" in dry.stderr
    assert stocked.ledger_bytes() == before
    done = stocked("release --overdue", ok=True)
    assert done.stdout == "B1\n"
    assert available(stocked, "PAN-24") == 3
    assert bookings_json(stocked, "--status", "released")[0]["reason"] == "deadline passed"


def test_remind_overdue_in_bulk_and_english(stocked):
    stocked("config set lang en", ok=True)
    stocked("book mike PAN-24 --deadline '10:00'", ok=True)
    stocked("book siti SPAT-1 --deadline '11:00'", ok=True)
    stocked("book siti SPAT-1 --deadline 'besok'", ok=True)
    stocked.set_now("2026-11-23T12:00:00+07:00")
    result = stocked("remind --overdue", ok=True)
    assert "== B1 · Mike Tan · 0812-3456-7890 · reminder 1 ==" in result.stdout
    assert "Hi Mike, just a friendly reminder" in result.stdout  # English: no Kak
    assert "Hi Bu Siti" in result.stdout and "B3" not in result.stdout
    # Right after, the check-ins would press the buyers: left for later, nothing recorded.
    soon = stocked("remind --overdue --json", ok=True)
    assert json.loads(soon.stdout) == []
    assert "Left for later: B1 was reminded just now" in soon.stderr
    assert "(olshop remind B2 --anyway)" in soon.stderr
    as_json = json.loads(stocked("remind --overdue --json --anyway", ok=True).stdout)
    assert [(r["booking"], r["step"]) for r in as_json] == [("B1", 2), ("B2", 2)]
    again = stocked("remind --overdue", ok=True)
    assert again.stdout == "" and "B1 had its reminder and check-in" in again.stderr


def test_release_by_id_with_force(stocked):
    stocked("book mike PAN-24", ok=True)
    assert stocked("release B1 --force", ok=True).stdout == "B1\n"
    assert bookings_json(stocked, "--status", "released")[0]["reason"] == "released early"


def test_today_text_and_json(stocked):
    stocked("book mike PAN-24:3 --deadline '10:00'", ok=True)  # overdue at noon, sells out
    stocked("book siti SPAT-1 --deadline 'besok 09:00'", ok=True)  # due soon
    stocked("book siti SPAT-1", ok=True)
    stocked("pay B3", ok=True)  # to ship
    stocked.set_now("2026-11-23T12:00:00+07:00")
    text = stocked("today", ok=True).stdout
    assert "1 overdue · 1 due within 24h · 1 to ship · 0 in transit · 1 sold out" in text
    assert "olshop remind B1" in text and "2h late" in text
    assert "Sold out but still listed" in text and "PAN-24" in text
    data = json.loads(stocked("today --json", ok=True).stdout)
    assert data["counts"] == {
        "overdue": 1,
        "due_soon": 1,
        "to_ship": 1,
        "in_transit": 0,
        "sold_out": 1,
        "owed_back": 0,
        "held_by_dp": 0,
    }
    assert [b["id"] for b in data["overdue"]] == ["B1"]
    assert [b["id"] for b in data["due_soon"]] == ["B2"]
    assert [p["sku"] for p in data["sold_out"]] == ["PAN-24"]
    assert data["now"] == "2026-11-23T12:00:00+07:00"


def test_today_shows_the_most_urgent_ten_of_each_list(stocked):
    """A morning digest stays readable with a backlog; the rest is one command away."""
    stocked("product stock SPAT-1 =100", ok=True)
    for hour in range(12):  # B1 (due 09:00) .. B12 (due 20:00), all overdue by 23:00
        stocked(f"book siti SPAT-1 --deadline '{9 + hour}:00'", ok=True)
    stocked.set_now("2026-11-23T23:00:00+07:00")
    text = stocked("today", ok=True).stdout
    assert "12 overdue" in text
    assert "B10 " in text and "B11 " not in text  # longest overdue first
    assert "... and 2 more: olshop bookings --overdue" in text
    full = stocked("today --all", ok=True).stdout
    assert "B12 " in full and "more:" not in full
    data = json.loads(stocked("today --json", ok=True).stdout)
    assert len(data["overdue"]) == data["counts"]["overdue"] == 12
    assert data["overdue"][0]["id"] == "B1"


def test_today_on_an_empty_shop(shop):
    result = shop("today", ok=True)
    assert "Nothing needs you right now." in result.stdout


def test_demo_fills_an_empty_ledger_once(shop):
    result = shop("demo", ok=True)
    assert "Demo shop ready" in result.stderr
    data = json.loads(shop("today --json", ok=True).stdout)
    assert data["shop"] == "Dapur Mungil"
    assert data["counts"] == {
        "overdue": 3,
        "due_soon": 1,
        "to_ship": 1,
        "in_transit": 1,
        "sold_out": 2,
        "owed_back": 0,
        "held_by_dp": 0,
    }
    assert [b["next_step"] for b in data["overdue"]] == ["release", "check-in", "reminder"]
    before = shop.ledger_bytes()
    again = shop("demo")
    assert again.exit_code == 1 and "already has data" in again.stderr
    assert shop.ledger_bytes() == before


def test_unexpected_error_names_the_ledger(stocked, monkeypatch):
    from olshop_cli.ledger import Ledger

    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(Ledger, "digest", broken)
    result = stocked("today")
    assert result.exit_code == 1
    assert "olshop failed unexpectedly (ZeroDivisionError: oops)" in result.stderr
    assert str(stocked.home) in result.stderr


def test_remind_dry_run_records_nothing(stocked):
    stocked("book mike PAN-24 --deadline '10:00'", ok=True)
    stocked.set_now("2026-11-23T12:00:00+07:00")
    before = stocked.ledger_bytes()
    result = stocked("remind --overdue --dry-run", ok=True)
    assert "Halo Kak Mike" in result.stdout
    assert "Not recorded (dry run): reminder for B1." in result.stderr
    assert stocked.ledger_bytes() == before


def test_every_payment_and_step_is_saved_even_when_nothing_else_changes(stocked):
    """A second part payment changes only the list of payments (the status stays booked):
    it must be saved all the same, and so must each reminder and extension."""
    stocked("book mike PAN-24", ok=True)
    stocked("pay B1 --amount 10rb", ok=True)
    stocked("pay B1 --amount 20rb", ok=True)
    stocked("pay B1 --amount 5rb", ok=True)
    stocked("remind B1", ok=True)
    stocked("extend B1 --by 1d", ok=True)
    shown = json.loads(stocked("show B1 --json", ok=True).stdout)
    assert [p["amount"] for p in shown["payments"]] == [10_000, 20_000, 5_000]
    assert shown["paid"] == 35_000
    assert [h["event"] for h in shown["history"]] == [
        "booked",
        "payment",
        "payment",
        "payment",
        "reminded",
        "extended",
    ]


def test_a_sold_out_item_is_refused_with_what_to_do_instead(stocked):
    stocked("book mike PAN-24:3", ok=True)
    stocked.refused(
        "book siti PAN-24",
        "Only 0 of PAN-24 (Wajan 24 cm) available; asked for 1.",
        "Add stock: olshop product stock PAN-24 +N, or tell the buyer: "
        "olshop reply stockout --sku PAN-24",
    )
    # typed by words of its name, the hint still names the SKU to type
    stocked("product stock PAN-24 +1", ok=True)
    stocked.refused(
        'book siti "wajan 24:2"',
        "Only 1 of PAN-24 (Wajan 24 cm) available; asked for 2.",
        "Book 1 or fewer, or add stock: olshop product stock PAN-24 +N",
    )
