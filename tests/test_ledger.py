"""The ledger's rules, tested directly (no files, no CLI)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from olshop_cli.errors import Conflict, InputError, NotFound
from olshop_cli.ledger import Ledger, parse_item, parse_stock_change, slugify
from olshop_cli.models import Booking, parse_booking_id
from olshop_cli.when import shop_zone

JKT = shop_zone("Asia/Jakarta")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=JKT)
H = timedelta(hours=1)


@pytest.fixture
def ledger() -> Ledger:
    led = Ledger()
    led.add_product("PAN-24", "Wajan 24 cm", 150_000, NOW, stock=3, related=["SPAT-1"])
    led.add_product("SPAT-1", "Spatula silikon", 35_000, NOW, stock=10)
    led.add_customer("Mike Tan", NOW, nick="Mike", phone="0812-3456-7890")
    led.add_customer("Siti Rahmawati", NOW, call="bu", phone="+62 813 1111 2222")
    led.add_customer("Siti Aminah", NOW)
    return led


def test_book_reserves_stock_at_booking_price(ledger):
    booking = ledger.book("mike", ["pan-24:2", "SPAT-1"], NOW)
    assert booking.id == "B1"
    assert [(line.sku, line.qty, line.price) for line in booking.lines] == [
        ("PAN-24", 2, 150_000),
        ("SPAT-1", 1, 35_000),
    ]
    assert booking.total == 335_000
    assert ledger.available(ledger.products["PAN-24"]) == 1
    assert ledger.products["PAN-24"].stock == 3  # on hand unchanged until shipped
    # A later price change does not touch the booking.
    ledger.edit_product("PAN-24", price=999_000)
    assert booking.total == 335_000


def test_book_default_deadline_follows_setting(ledger):
    assert ledger.book("mike", ["SPAT-1"], NOW).deadline_at == NOW + 24 * H
    ledger.set_setting("deadline", "2d")
    assert ledger.book("mike", ["SPAT-1"], NOW).deadline_at == NOW + 48 * H


def test_book_same_sku_twice_is_summed_and_checked_together(ledger):
    with pytest.raises(Conflict, match="Only 3 of PAN-24"):
        ledger.book("mike", ["PAN-24:2", "pan-24:2"], NOW)
    assert ledger.bookings == {}


@pytest.mark.parametrize(
    "items, error, message",
    [
        (["PAN-24:4"], Conflict, "Only 3 of PAN-24 .* asked for 4"),
        (["PAN-24:0"], InputError, "must be 1 or more"),
        (["PAN-24:-1"], InputError, "must be 1 or more"),
        (["PAN-24:x"], InputError, "no usable quantity"),
        (["NOPE"], NotFound, "No product with SKU NOPE"),
        ([], InputError, "No items"),
    ],
)
def test_bad_bookings_change_nothing(ledger, items, error, message):
    with pytest.raises(error, match=message):
        ledger.book("mike", items, NOW)
    assert ledger.bookings == {} and ledger.next_booking == 1
    assert ledger.available(ledger.products["PAN-24"]) == 3


def test_deadline_in_the_past_is_refused(ledger):
    with pytest.raises(InputError, match="already past"):
        ledger.book("mike", ["SPAT-1"], NOW, deadline=NOW - H)


def test_booking_never_drives_stock_below_zero(ledger):
    ledger.book("mike", ["PAN-24:3"], NOW)
    with pytest.raises(Conflict, match="Only 0 of PAN-24"):
        ledger.book("siti rahm", ["PAN-24"], NOW)


@pytest.mark.parametrize(
    "ref, key",
    [
        ("mike", "mike"),
        ("MIKE", "mike"),
        ("Mike T", "mike"),
        ("081234567890", "mike"),
        ("+62 812-3456-7890", "mike"),
        ("6281234567890", "mike"),
        ("siti rahm", "siti"),
        ("siti-aminah", "siti-aminah"),
        ("siti amin", "siti-aminah"),
    ],
)
def test_customer_lookup(ledger, ref, key):
    assert ledger.find_customer(ref).key == key


def test_keys_are_short_and_unique(ledger):
    assert sorted(ledger.customers) == ["mike", "siti", "siti-aminah"]
    assert ledger.add_customer("Siti Aminah", NOW).key == "siti-aminah-2"
    assert ledger.add_customer("Siti Aminah", NOW).key == "siti-aminah-3"
    assert ledger.add_customer("Rina", NOW, nick="Nana").key == "nana"


def test_ambiguous_prefix_lists_candidates(ledger):
    with pytest.raises(Conflict) as err:
        ledger.find_customer("sit")
    assert "matches 2 customers" in err.value.message
    assert "Siti Rahmawati" in err.value.message and "Siti Aminah" in err.value.message


def test_unknown_customer_and_phone(ledger):
    with pytest.raises(NotFound, match="No customer matches 'budi'"):
        ledger.find_customer("budi")
    with pytest.raises(NotFound, match="phone number 0899"):
        ledger.find_customer("0899 9999 9999")


def test_duplicate_phone_names_the_owner(ledger):
    with pytest.raises(Conflict, match=r"already belongs to Mike Tan \(mike\)"):
        ledger.add_customer("Michael", NOW, phone="62 812 3456 7890")
    with pytest.raises(Conflict, match="Mike Tan"):
        ledger.edit_customer("siti rahm", phone="0812 3456 7890")
    # Keeping one's own number on edit is fine.
    assert ledger.edit_customer("mike", phone="+6281234567890").phone == "+6281234567890"


def test_honorific_default_and_own(ledger):
    mike, siti = ledger.find_customer("mike"), ledger.find_customer("siti rahm")
    assert ledger.call_of(mike) == "Kak" and ledger.call_of(siti) == "Bu"
    ledger.set_setting("call", "sis")
    assert ledger.call_of(mike) == "Sis"
    assert ledger.call_of(ledger.edit_customer("mike", call="Juragan")) == "Juragan"


def test_remove_customer_with_open_booking(ledger):
    ledger.book("mike", ["PAN-24:2"], NOW)
    with pytest.raises(Conflict, match="open bookings \\(B1\\)"):
        ledger.remove_customer("mike", NOW)
    assert "mike" in ledger.customers
    ledger.remove_customer("mike", NOW, force=True)
    assert "mike" not in ledger.customers
    assert [b.status for b in ledger.closed_now] == ["cancelled"]
    assert ledger.available(ledger.products["PAN-24"]) == 3


def test_full_happy_path_moves_stock_and_history(ledger):
    booking = ledger.book("mike", ["PAN-24:2"], NOW)
    ledger.pay("B1", NOW + H)
    assert booking.status == "paid" and ledger.available(ledger.products["PAN-24"]) == 1
    ledger.ship("b1", "jne", "JNE123", NOW + 2 * H)
    assert booking.courier == "JNE" and booking.tracking == "JNE123"
    assert ledger.products["PAN-24"].stock == 1
    assert ledger.available(ledger.products["PAN-24"]) == 1
    ledger.done("1", NOW + 48 * H)
    assert booking.status == "done" and 1 not in ledger.bookings
    assert ledger.closed_now == [booking]
    assert [e["event"] for e in booking.history] == ["booked", "paid", "shipped", "done"]
    assert booking.history[1]["at"] == "2026-11-23T09:00:00+07:00"


def test_partial_payment_stays_booked(ledger):
    booking = ledger.book("mike", ["PAN-24"], NOW)
    ledger.pay("B1", NOW, amount=100_000)
    assert booking.status == "booked" and booking.paid_amount == 100_000
    ledger.pay("B1", NOW, amount=60_000)
    assert booking.status == "paid" and booking.paid_amount == 160_000
    assert any("Rp10.000 more than its total" in n for n in ledger.notices)


@pytest.mark.parametrize(
    "setup, action, message",
    [
        ([], lambda led: led.ship("B1", "JNE", "X1", NOW), "B1 is booked, so it cannot be shipped"),
        ([], lambda led: led.done("B1", NOW), "B1 is booked, so it cannot be marked done"),
        (["pay"], lambda led: led.pay("B1", NOW), "B1 is already paid."),
        (  # a paid order can be cancelled, but only saying what happens to its money
            ["pay"],
            lambda led: led.cancel("B1", NOW),
            r"B1 holds Rp[\d.]+ paid, so it cannot be cancelled before you say",
        ),
        (["pay"], lambda led: led.release("B1", NOW, force=True), "B1 is paid"),
        (["pay"], lambda led: led.remind("B1", NOW), "only unpaid bookings get reminders"),
        (["pay"], lambda led: led.extend("B1", NOW, by=H), "only an unpaid booking"),
        (["cancel"], lambda led: led.pay("B1", NOW), "B1 is cancelled, so it cannot be paid"),
    ],
)
def test_illegal_moves_name_the_current_status(ledger, setup, action, message):
    ledger.book("mike", ["PAN-24"], NOW)
    for step in setup:
        getattr(ledger, step)("B1", NOW)
    with pytest.raises(Conflict, match=message):
        action(ledger)


def test_reminder_steps_then_release(ledger):
    booking = ledger.book("mike", ["PAN-24:2"], NOW, deadline=NOW + 2 * H)
    assert booking.next_step == "reminder"
    assert ledger.remind("B1", NOW + 3 * H)[1] == 1
    assert booking.next_step == "check-in"
    assert ledger.remind("B1", NOW + 9 * H)[1] == 2
    assert booking.next_step == "release"
    with pytest.raises(Conflict, match="next step is release"):
        ledger.remind("B1", NOW + 10 * H)
    assert [r["step"] for r in booking.reminders] == [1, 2]
    released = ledger.release("B1", NOW + 10 * H)
    assert released.status == "released" and released.reason == "deadline passed"
    assert ledger.available(ledger.products["PAN-24"]) == 3


def test_release_needs_force_before_deadline(ledger):
    ledger.book("mike", ["PAN-24"], NOW)
    with pytest.raises(Conflict, match="not overdue"):
        ledger.release("B1", NOW + H)
    assert ledger.bookings[1].status == "booked"
    assert ledger.release("B1", NOW + H, force=True).status == "released"


def test_overdue_and_due_soon(ledger):
    ledger.book("mike", ["SPAT-1"], NOW, deadline=NOW + 2 * H)
    ledger.book("siti rahm", ["SPAT-1"], NOW, deadline=NOW + 30 * H)
    later = NOW + 3 * H
    assert [b.id for b in ledger.overdue(later)] == ["B1"]
    assert [b.id for b in ledger.select_bookings(later, due_within=24 * H)] == []
    assert [b.id for b in ledger.select_bookings(later, due_within=28 * H)] == ["B2"]
    digest = ledger.digest(later)
    assert [b.id for b in digest.overdue] == ["B1"] and digest.due_soon == []
    assert [b.id for b in ledger.digest(NOW + 7 * H).due_soon] == ["B2"]


def test_today_orders_deadlines_written_in_other_offsets_by_the_moment(ledger):
    """The digest compares deadlines as text in the offset of now: one stored in UTC, or
    to the microsecond, is put in that offset first; a deadline at this very second counts
    as late only once the second has begun."""
    from datetime import timezone

    for _ in range(4):
        ledger.book("mike", ["SPAT-1"], NOW, deadline=NOW + 5 * H)
    ledger.bookings[1].deadline = (NOW + 3 * H).astimezone(timezone.utc).isoformat()  # 04:00Z
    ledger.bookings[2].deadline = (NOW + 2 * H + timedelta(microseconds=5)).isoformat()
    ledger.bookings[3].deadline = (NOW + 4 * H).isoformat(timespec="seconds")
    ledger.bookings[4].deadline = (NOW + 1 * H).isoformat(timespec="seconds")
    later = NOW + 10 * H
    assert [b.id for b in ledger.digest(later).overdue] == ["B4", "B2", "B1", "B3"]
    assert [b.id for b in ledger.overdue(later)] == ["B4", "B2", "B1", "B3"]
    at_b3 = NOW + 4 * H
    assert [b.id for b in ledger.digest(at_b3).overdue] == ["B4", "B2", "B1"]
    assert [b.id for b in ledger.digest(at_b3 + timedelta(microseconds=1)).overdue] == [
        "B4", "B2", "B1", "B3"
    ]  # fmt: skip
    assert [b.id for b in ledger.digest(NOW).due_soon] == ["B4", "B2", "B1", "B3"]


def test_extend_resets_reminders_and_counts_from_now_when_late(ledger):
    booking = ledger.book("mike", ["SPAT-1"], NOW, deadline=NOW + 2 * H)
    ledger.remind("B1", NOW + 5 * H)
    _, old = ledger.extend("B1", NOW + 5 * H, by=24 * H)
    assert old == NOW + 2 * H
    assert booking.deadline_at == NOW + 29 * H and booking.reminded == 0
    with pytest.raises(InputError, match="already past"):
        ledger.extend("B1", NOW + 5 * H, to=NOW)


def test_stock_adjustments(ledger):
    ledger.book("mike", ["PAN-24:2"], NOW)
    assert ledger.adjust_stock("PAN-24", "+5")[0].stock == 8
    assert ledger.adjust_stock("PAN-24", "-6")[0].stock == 2
    with pytest.raises(Conflict, match="open bookings hold 2"):
        ledger.adjust_stock("PAN-24", "=1")
    with pytest.raises(Conflict, match="negative"):
        ledger.adjust_stock("SPAT-1", "-11")
    assert ledger.adjust_stock("SPAT-1", "=0")[0].stock == 0
    assert [p.sku for p in ledger.sold_out()] == ["PAN-24", "SPAT-1"]
    ledger.edit_product("SPAT-1", listed=False)
    assert [p.sku for p in ledger.sold_out()] == ["PAN-24"]


def test_product_rules(ledger):
    with pytest.raises(Conflict, match="already exists"):
        ledger.add_product("pan-24", "Lagi", 1, NOW)
    with pytest.raises(InputError, match="negative"):
        ledger.add_product("X-1", "X", 1, NOW, stock=-1)
    with pytest.raises(NotFound, match="Did you mean PAN-24"):
        ledger.find_product("PAN-42")
    ledger.book("mike", ["SPAT-1"], NOW)
    with pytest.raises(Conflict, match="held by open bookings"):
        ledger.remove_product("SPAT-1")
    ledger.cancel("B1", NOW)
    ledger.remove_product("spat-1")
    assert ledger.products["PAN-24"].related == []


def test_related_unknown_sku_is_a_notice(ledger):
    ledger.add_product("PAN-28", "Wajan 28", 185_000, NOW, related=["PAN-24", "LID-28"])
    assert ledger.products["PAN-28"].related == ["PAN-24", "LID-28"]
    assert any("LID-28 is not in the ledger yet" in n for n in ledger.notices)
    with pytest.raises(InputError, match="itself"):
        ledger.edit_product("PAN-28", add_related=["pan-28"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("PAN-24", ("PAN-24", 1, None)),
        ("pan-24:3", ("PAN-24", 3, None)),
        (" spat-1:10 ", ("SPAT-1", 10, None)),
        ("PAN-24:2@140rb", ("PAN-24", 2, 140_000)),
        ("pan-24@Rp 139.500", ("PAN-24", 1, 139_500)),
    ],
)
def test_parse_item(text, expected):
    assert parse_item(text) == expected


@pytest.mark.parametrize(
    "text, expected", [("+5", ("+", 5)), ("-2", ("-", 2)), ("=10", ("=", 10)), ("7", ("=", 7))]
)
def test_parse_stock_change(text, expected):
    assert parse_stock_change(text) == expected


@pytest.mark.parametrize("text", ["", "+", "five", "+-2", "=1.5"])
def test_parse_stock_change_refuses(text):
    with pytest.raises(InputError):
        parse_stock_change(text)


@pytest.mark.parametrize("text, number", [("B12", 12), ("b7", 7), ("3", 3)])
def test_parse_booking_id(text, number):
    assert parse_booking_id(text) == number


@pytest.mark.parametrize("text", ["B", "B0", "X12", "B-1", ""])
def test_parse_booking_id_refuses(text):
    with pytest.raises(InputError, match="not a booking id"):
        parse_booking_id(text)


def test_slugify():
    assert slugify("Siti Rahmawati") == "siti-rahmawati"
    assert slugify("Ñoño  O'Brien") == "nono-o-brien"


def test_booking_round_trips_through_dict(ledger):
    booking = ledger.book("mike", ["PAN-24:2", "SPAT-1"], NOW, note="bungkus rapi")
    ledger.pay("B1", NOW)
    again = Booking.from_dict(booking.to_dict())
    assert again == booking and again.total == 335_000


def test_removed_customer_keys_are_not_reused(ledger):
    ledger.remove_customer("mike", NOW)
    assert ledger.add_customer("Mike Lee", NOW, nick="Mike").key == "mike-lee"
    with pytest.raises(Conflict, match="belonged to a removed customer"):
        ledger.add_customer("Mike Chan", NOW, key="mike")


@pytest.mark.parametrize(
    "action, message",
    [
        (lambda led: led.add_product("X-1", "X", 10**11, NOW), "more than olshop accepts"),
        (lambda led: led.add_product("X-1", "X", 1, NOW, stock=10**7), "Stock of 10000000"),
        (lambda led: led.edit_product("PAN-24", price=-1), "cannot be negative"),
        (lambda led: led.adjust_stock("PAN-24", "+9999999"), "more than olshop accepts"),
        (lambda led: led.book("mike", ["SPAT-1:9999999"], NOW), "more than olshop accepts"),
    ],
)
def test_typos_with_too_many_zeros_are_refused(ledger, action, message):
    with pytest.raises(InputError, match=message):
        action(ledger)
    assert ledger.products["PAN-24"].stock == 3 and "X-1" not in ledger.products


def test_booking_round_trips_through_its_stored_form_field_by_field():
    """from_dict builds positionally: every field must land where it belongs."""
    from olshop_cli.models import Booking, Line

    booking = Booking(
        number=7,
        customer="mike",
        customer_name="Mike Tan",
        lines=[Line("PAN-24", "Wajan", 2, 150_000), Line("SPAT-1", "Spatula", 1, 35_000)],
        created="2026-11-23T08:00:00+07:00",
        deadline="2026-11-24T08:00:00+07:00",
        status="shipped",
        reminded=2,
        reminders=[{"step": 1, "at": "x"}],
        payments=[{"amount": 335_000, "at": "y"}],
        courier="JNE",
        tracking="X1",
        note="rapi",
        reason="-",
        closed="2026-11-25T08:00:00+07:00",
        history=[{"at": "z", "event": "booked", "detail": ""}],
    )
    stored = booking.to_dict()
    assert stored["total"] == 335_000 and stored["id"] == "B7"
    assert Booking.from_dict(stored) == booking
    with pytest.raises(TypeError):
        Booking.from_dict({**stored, "colour": "red"})
