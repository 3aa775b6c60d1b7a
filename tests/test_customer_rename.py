"""`olshop customer edit KEY --key NEW`: a customer's key changed everywhere it is kept, in
one change that `undo` takes back; and `Ledger.rename_customer`, the operation under it."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from ledgerfile import manifest

from olshop_cli import store as store_module
from olshop_cli import tables
from olshop_cli.errors import Conflict, InputError, NotFound
from olshop_cli.ledger import KeyChange, Ledger
from olshop_cli.models import Booking, Customer, Line, Product
from olshop_cli.store import Store

# ----- a buyer with a history: open and closed bookings over two months ---------------------

OCT_5 = "2026-10-05T10:00:00+07:00"
OCT_10 = "2026-10-10T10:00:00+07:00"
OCT_14 = "2026-10-14T10:00:00+07:00"
NOV_10 = "2026-11-10T10:00:00+07:00"
NOV_12 = "2026-11-12T10:00:00+07:00"
NOV_20 = "2026-11-20T10:00:00+07:00"
NOW = "2026-11-23T08:00:00+07:00"
RK_BOOKINGS = {"B1", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10"}


@pytest.fixture
def rina(shop):
    """Rina Kusuma, key `rk` (not a start of her name: `customer show rk` finds no one once it
    is gone), with bookings done, cancelled and released (in October and November: their
    shares sit in two months' sums), booked with a down payment and a reminder, paid,
    shipped; on the waiting list of a sold-out pan, and marked as a hit-and-run buyer.
    Mike buys on the same days."""
    shop.set_now(OCT_5)
    shop('product add PAN-24 "Wajan 24 cm" --price 150rb --stock 3', ok=True)
    shop('product add SPAT-1 "Spatula silikon" --price 35rb --stock 30', ok=True)
    shop('customer add "Mike Tan" --nick Mike --phone 0812-3456-7890', ok=True)
    shop('customer add "Rina Kusuma" --key rk --phone 0857-1234-5678 --channel ig', ok=True)
    for command in ("book rk SPAT-1", "pay B1", "ship B1 --courier JNE --tracking JN1", "done B1"):
        shop(command, ok=True)
    shop("book mike SPAT-1", ok=True)  # B2
    shop("pay B2", ok=True)
    shop.set_now(OCT_10)
    shop("book rk SPAT-1:2", ok=True)  # B3
    shop("cancel B3", ok=True)
    shop("book rk PAN-24", ok=True)  # B4, never paid
    shop.set_now(OCT_14)
    shop("release --overdue", ok=True)
    shop.set_now(NOV_10)
    shop("book rk SPAT-1", ok=True)  # B5: paid and done in November
    shop("pay B5 --amount 35rb --method qris", ok=True)
    shop("ship B5 --courier JNE --tracking JN5", ok=True)
    shop("done B5", ok=True)
    shop("book rk SPAT-1", ok=True)  # B6 and B7, released
    shop("book rk SPAT-1", ok=True)
    shop.set_now(NOV_12)
    shop("release --overdue", ok=True)
    shop.set_now(NOV_20)
    shop("book rk SPAT-1", ok=True)  # B8: a down payment, then a reminder
    shop("pay B8 --amount 10rb", ok=True)
    shop("book rk SPAT-1", ok=True)  # B9: paid
    shop("pay B9", ok=True)
    shop("book rk SPAT-1", ok=True)  # B10: shipped
    shop("pay B10", ok=True)
    shop("ship B10 --courier JNE --tracking JN10", ok=True)
    shop("book mike PAN-24:3", ok=True)  # B11: the pans are gone
    shop("reply stockout --sku PAN-24 --to rk", ok=True)
    shop.set_now(NOW)
    shop("remind B8", ok=True)
    return shop


def as_json(shop, command: str):
    return json.loads(shop(command, ok=True).stdout)


def statuses(shop, key: str) -> dict[str, str]:
    found = as_json(shop, f"bookings --customer {key} --all --json")
    return {b["id"]: b["status"] for b in found}


def buyers(shop, command: str) -> dict[str, tuple]:
    return {
        r["key"]: (r["revenue"], r["bookings"]) for r in as_json(shop, command)["top_customers"]
    }


def current_data(shop) -> dict[str, bytes]:
    """The data files the ledger's current version names, by part."""
    files = manifest(shop.home)["files"]
    return {part: (shop.home / "data" / e["file"]).read_bytes() for part, e in files.items()}


REPORTS = ("report --period all --json", "report --from 2026-10-01 --to 2026-10-31 --json")


def test_the_fixture_has_what_a_rename_must_carry(rina):
    assert statuses(rina, "rk") == {
        "B1": "done", "B3": "cancelled", "B4": "released", "B5": "done", "B6": "released",
        "B7": "released", "B8": "booked", "B9": "paid", "B10": "shipped",
    }  # fmt: skip
    assert "rk" in buyers(rina, REPORTS[0]) and "rk" in buyers(rina, REPORTS[1])
    assert as_json(rina, "customer show rk --json")["hit_and_run"] is True
    assert as_json(rina, "product show PAN-24 --json")["asked_by"] == ["rk"]
    assert json.loads(current_data(rina)["shop"])["meta"]["1"]["hit_and_run"] == ["rk"]


def test_a_new_key_carries_every_booking_open_and_closed(rina):
    before = as_json(rina, "customer show rk --json")
    reports = [buyers(rina, command) for command in REPORTS]
    open_before = as_json(rina, "bookings --json")

    result = rina("customer edit rk --key rina", ok=True)

    assert result.stdout == "rina\n"
    assert "the key 'rk' is now 'rina', with 9 bookings" in result.stderr
    after = as_json(rina, "customer show rina --json")
    assert after["key"] == "rina"
    assert {k: v for k, v in after.items() if k not in ("key", "bookings")} == {
        k: v for k, v in before.items() if k not in ("key", "bookings")
    }  # the same person: name, phone, history counts, hit-and-run
    assert [b["id"] for b in after["bookings"]] == [b["id"] for b in before["bookings"]]
    assert {b["customer"] for b in after["bookings"]} == {"rina"}
    assert set(statuses(rina, "rina")) == RK_BOOKINGS
    for bid in sorted(RK_BOOKINGS):  # open and archived alike
        assert as_json(rina, f"show {bid} --json")["customer"] == "rina", bid
    assert as_json(rina, "bookings --customer rina --status released --json")[0]["id"] == "B4"
    # the open bookings' index follows: the listing and today still find them
    assert as_json(rina, "bookings --json") == [
        {**b, "customer": "rina" if b["customer"] == "rk" else b["customer"]} for b in open_before
    ]
    assert as_json(rina, "customer show 0857-1234-5678 --json")["key"] == "rina"
    assert as_json(rina, "product show PAN-24 --json")["asked_by"] == ["rina"]
    for command, was in zip(REPORTS, reports, strict=True):  # one buyer, under the new key
        now = buyers(rina, command)
        assert "rk" not in now
        assert now["rina"] == was["rk"]
        assert now["mike"] == was["mike"]
    # the stored hit-and-run list names her new key: listings mark her, booking warns
    assert {b["hit_and_run"] for b in as_json(rina, "bookings --customer rina --json")} == {True}
    assert "3 of 8 bookings by Rina Kusuma were released" in rina("book rina SPAT-1").stderr
    doctor = rina("doctor", ok=True)
    assert "The ledger is healthy" in doctor.stderr and "problem" not in doctor.stdout
    rina.refused("customer show rk", "No customer matches 'rk'")


def test_the_old_key_is_left_in_no_file_and_is_free_again(rina):
    assert any(b'"rk"' in blob for blob in current_data(rina).values())

    rina("customer edit rk --key rina", ok=True)

    left = [part for part, blob in current_data(rina).items() if b'"rk"' in blob]
    assert left == []
    assert "rk" not in json.loads(current_data(rina)["shop"])["meta"]["1"]["retired_keys"]
    rina('customer add "Rudi Kurniawan" --key rk', ok=True)  # no booking names it any more
    assert statuses(rina, "rk") == {}
    assert as_json(rina, "customer show rk --json")["bookings"] == []


def test_undo_brings_the_old_key_back_with_every_booking(rina):
    files = manifest(rina.home)["files"]
    shown = [as_json(rina, c) for c in ("customer show rk --json", "bookings --all --json")]
    reports = [as_json(rina, command) for command in REPORTS]
    rina("customer edit rk --key kusuma --note langganan", ok=True)

    undone = rina("undo", ok=True)

    assert "customer edit rk --key kusuma" in undone.stderr
    assert manifest(rina.home)["files"] == files  # the very files of before, not a copy
    assert [as_json(rina, c) for c in ("customer show rk --json", "bookings --all --json")] == shown
    assert [as_json(rina, command) for command in REPORTS] == reports
    rina.refused("customer show kusuma", "No customer matches 'kusuma'")


def test_the_key_changes_with_other_details_in_one_change(rina):
    rina('customer edit rk --key rina --name "Rina K. Kusuma" --phone 0857-9999-0000', ok=True)

    saved = as_json(rina, "customer show rina --json")
    assert (saved["name"], saved["phone"]) == ("Rina K. Kusuma", "+6285799990000")
    assert as_json(rina, "customer show 0857-9999-0000 --json")["key"] == "rina"
    rina.refused("customer show 0857-1234-5678", "No customer has the phone number")
    changes = [entry["command"] for entry in as_json(rina, "backup list --json")[:2]]
    assert changes == [  # one change, newest first
        "olshop customer edit rk --key rina --name 'Rina K. Kusuma' --phone 0857-9999-0000",
        "olshop remind B8",
    ]
    rina("undo", ok=True)
    assert as_json(rina, "customer show 0857-1234-5678 --json")["key"] == "rk"


def test_a_key_typed_loosely_is_read_as_a_key(rina):
    rina("customer edit rk --key ＲＩＮＡ–Ｋ", ok=True)  # full-width letters, an en dash

    assert set(statuses(rina, "rina-k")) == RK_BOOKINGS


def test_the_same_key_moved_twice_lands_once(rina):
    rina("customer edit rk --key rina", ok=True)
    rina("customer edit rina --key rk", ok=True)

    assert set(statuses(rina, "rk")) == RK_BOOKINGS
    assert "rina" not in buyers(rina, REPORTS[0])
    assert "The ledger is healthy" in rina("doctor", ok=True).stderr


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("customer edit rk --key mike", ["The key 'mike' is taken by Mike Tan", "--key mike-2"]),
        ("customer edit rk --key budi", ["belonged to a removed customer", "--key budi-2"]),
        (
            "customer edit rk --key RK",
            ["'rk' is already the key of Rina Kusuma", "leave --key out"],
        ),
        ("customer edit rk --key 'Rina K'", ["'Rina K' cannot be a customer key", "--key rina-k"]),
        ("customer edit rk --key 2024", ["'2024' cannot be a customer key", "with a letter"]),
        ("customer edit rk --key -rina", ["cannot be a customer key", "--key rina"]),
        ("customer edit rk --key rina--k", ["cannot be a customer key", "--key rina-k"]),
        ("customer edit rk --key rina_k", ["cannot be a customer key", "--key rina-k"]),
        (["customer", "edit", "rk", "--key", "r" * 41], ["cannot be a customer key", "up to 40"]),
        (["customer", "edit", "rk", "--key", ""], ["cannot be a customer key"]),
        ("customer edit nobody --key rina", ["No customer matches 'nobody'"]),
        (  # another option refused: the key does not change either
            "customer edit rk --key rina --phone 0812-3456-7890",
            ["already belongs to Mike Tan (mike)"],
        ),
        ("customer edit rk --key rina --channel line", ["Unknown channel 'line'"]),
    ],
)
def test_a_key_that_cannot_be_given_is_refused(rina, command, expected):
    rina('customer add "Budi Santoso"', ok=True)
    rina("customer rm budi", ok=True)

    rina.refused(command, *expected)

    assert set(statuses(rina, "rk")) == RK_BOOKINGS


# ----- the ledger's operation -----------------------------------------------------------------


def test_rename_customer_in_a_plain_ledger():
    rk = Customer("rk", "Rina Kusuma", phone="+6285712345678", counts=None)
    mike = Customer("mike", "Mike Tan", phone="+6281234567890")
    pan = Product("PAN-24", "Wajan 24 cm", 150_000, stock=0, asked_by=["mike", "rk"])
    line = Line("SPAT-1", "Spatula", 1, 35_000)
    bookings = [Booking(n, key, "x", [line], NOW, NOW) for n, key in ((1, "rk"), (2, "mike"))]
    ledger = Ledger([rk, mike], [pan], bookings, hit_and_run=["rk"], retired_keys=["budi"])

    renamed = ledger.rename_customer("rk", "Rina")

    assert renamed.key == "rina" and renamed.phone == rk.phone and renamed.name == rk.name
    assert sorted(ledger.customers) == ["mike", "rina"]
    assert [(b.number, b.customer) for b in ledger.bookings.values()] == [(1, "rina"), (2, "mike")]
    assert ledger.products["PAN-24"].asked_by == ["mike", "rina"]
    assert ledger.marked == {"rina"}
    assert ledger.find_customer("0857 1234 5678") is renamed
    assert ledger.renamed == [KeyChange("rk", "rina", 1)]
    assert ledger.retired_keys == {"budi"} and ledger.dirty
    for new, error in (("mike", Conflict), ("budi", Conflict), ("rina", InputError),
                       ("r k", InputError), ("42", InputError)):  # fmt: skip
        with pytest.raises(error):
            ledger.rename_customer("rina", new)
    with pytest.raises(NotFound):
        ledger.rename_customer("rk", "rini")
    assert ledger.renamed == [KeyChange("rk", "rina", 1)]  # the refusals changed nothing


def test_rename_customer_through_the_store_reads_only_their_archive_files(shop, monkeypatch):
    """600 closed bookings in three archive files and three months' sums: renaming a buyer
    whose bookings are all in the second reads that one archive file and that month's
    sums, and every one of their bookings (and only theirs) moves."""
    monkeypatch.setattr(store_module, "DURABLE", False)
    home = shop.home
    with Store(home).change() as ledger:
        at = datetime.fromisoformat(OCT_5)
        ledger.add_product("SPAT-1", "Spatula", 35_000, at, stock=1000)
        ledger.add_customer("Mike Tan", at)
        ledger.add_customer("Rina Kusuma", at, key="rk", phone="0857-1234-5678")
        for month, who, count in (("09", "mike", 250), ("10", "rk", 50), ("10", "mike", 200),
                                  ("11", "mike", 100)):  # fmt: skip
            at = datetime.fromisoformat(f"2026-{month}-05T10:00:00+07:00")
            for _ in range(count):
                booking = ledger.book(who, ["SPAT-1"], at)
                ledger.pay(booking.id, at)
                ledger.ship(booking.id, "JNE", f"JN{booking.number}", at)
                ledger.done(booking.id, at)
    names = set(manifest(home)["files"])
    assert {"archive-0001", "archive-0002", "archive-0003"} <= names
    assert {"days-2026-09", "days-2026-10", "days-2026-11"} <= names

    read: list[str] = []
    was = tables.Files._read

    def spy(files, entry):
        read.append(entry["file"].split(".")[0])
        return was(files, entry)

    monkeypatch.setattr(tables.Files, "_read", spy)
    with Store(home).change() as ledger:
        renamed = ledger.rename_customer("rk", "rina")
        assert ledger.renamed[0].bookings == 50
    monkeypatch.setattr(tables.Files, "_read", was)

    assert renamed.key == "rina"
    assert {n for n in read if n.startswith("archive-")} == {"archive-0002"}
    assert {n for n in read if n.startswith(("days-", "months-"))} <= {
        "days-2026-10",
        "months-2026",
    }
    ledger = Store(home).load()
    assert [b.number for b in ledger.bookings_of("rina")] == list(range(251, 301))
    assert ledger.bookings_of("rk") == [] and ledger.archive.numbers_of("rk") == []
    assert len(ledger.archive.numbers_of("mike")) == 550
    october = next(ledger.archive.days("2026-10-01", "2026-10-31", months=True))
    assert october["customers"]["rina"][:2] == [50 * 35_000, 50]
    assert "rk" not in october["customers"] and october["customers"]["mike"][1] == 200
