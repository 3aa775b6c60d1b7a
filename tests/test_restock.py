"""Restock notice: `reply stockout --to` remembers who asked; `product stock +N` lists them."""

from __future__ import annotations

import json

from olshop_cli.models import Product


def _asked(shop, sku: str) -> list[str]:
    return json.loads(shop(f"product show {sku} --json", ok=True).stdout)["asked_by"]


def _sold_out(shop) -> None:
    shop("product stock PAN-24 =0", ok=True)


def test_stockout_reply_records_and_restock_lists_then_clears(stocked):
    _sold_out(stocked)
    first = stocked("reply stockout --sku PAN-24 --to mike", ok=True)
    assert first.stdout.strip()  # the message itself is still printed
    assert "Noted: Mike Tan asked about PAN-24" in first.stderr
    stocked("reply stockout --sku PAN-24 --to siti", ok=True)
    again = stocked("reply stockout --sku pan-24 --to mike", ok=True)
    assert "Noted" not in again.stderr  # listed once
    assert _asked(stocked, "PAN-24") == ["mike", "siti"]

    result = stocked("product stock PAN-24 +5", ok=True)

    assert result.stdout.strip() == "5"
    assert "Back in stock! 2 asked about PAN-24 while sold out:" in result.stderr
    assert (
        "  Mike Tan  0812-3456-7890  ->  olshop reply restock --to mike --sku PAN-24"
        in result.stderr
    )
    assert "  Siti Rahmawati  0813-1111-2222  ->  olshop reply restock --to siti" in result.stderr
    assert _asked(stocked, "PAN-24") == []
    assert "Back in stock" not in stocked("product stock PAN-24 +1", ok=True).stderr


def test_not_recorded_while_available_or_without_a_buyer(stocked):
    before = stocked.ledger_bytes()
    result = stocked("reply stockout --sku PAN-24 --to mike", ok=True)  # 3 available
    assert "Noted" not in result.stderr
    stocked("reply stockout --sku PAN-24", ok=True)
    stocked("reply greet --to mike", ok=True)
    assert stocked.ledger_bytes() == before


def test_booking_ref_records_its_buyer(stocked):
    bid = stocked("book siti PAN-24:3", ok=True).stdout.strip()
    stocked(f"reply stockout --sku PAN-24 --booking {bid}", ok=True)
    assert _asked(stocked, "PAN-24") == ["siti"]


def test_available_counts_not_on_hand(stocked):
    """Sold out means nothing available: a cancel that frees stock also brings it back, but
    the notice comes with `product stock`; stock still short of reservations is no notice."""
    stocked("book mike PAN-24:3", ok=True)  # 3 on hand, 3 reserved: sold out
    stocked("reply stockout --sku PAN-24 --to siti", ok=True)
    assert _asked(stocked, "PAN-24") == ["siti"]
    result = stocked("product stock PAN-24 +1", ok=True)
    assert "Back in stock! 1 asked about PAN-24" in result.stderr
    assert "Siti Rahmawati" in result.stderr


def test_removed_customer_is_skipped(stocked):
    _sold_out(stocked)
    stocked("reply stockout --sku PAN-24 --to mike", ok=True)
    stocked("reply stockout --sku PAN-24 --to siti", ok=True)
    stocked("customer rm mike", ok=True)
    result = stocked("product stock PAN-24 +2", ok=True)
    assert "1 asked about PAN-24" in result.stderr
    assert "Mike" not in result.stderr


def test_refused_reply_records_nothing(stocked):
    stocked("customer add Tono", ok=True)
    _sold_out(stocked)
    stocked.refused("reply stockout --sku PAN-24 --to tono --wa", "no phone number")


def test_old_product_records_load_without_the_field():
    product = Product.from_dict({"sku": "A", "name": "A", "price": 1, "stock": 0})
    assert product.asked_by == []
    assert product.to_dict()["asked_by"] == []


def test_stock_back_by_release_or_cancel_tells_who_asked_and_restock_says_it_is_back(stocked):
    stocked("book mike PAN-24:3", ok=True)  # B1 holds every unit: sold out
    stocked("reply stockout --sku PAN-24 --to siti", ok=True)
    stocked.refused(
        "reply restock --sku PAN-24 --to siti",
        "PAN-24 is still sold out: 'restock' would say it is back.",
        "olshop product stock PAN-24 +N",
    )
    released = stocked("release B1 --force", ok=True)
    assert "Back in stock! 1 asked about PAN-24 while sold out:" in released.stderr
    assert "Siti Rahmawati  0813-1111-2222  ->  olshop reply restock --to siti --sku PAN-24" in (
        released.stderr
    )
    assert _asked(stocked, "PAN-24") == []
    text = stocked("reply restock --to siti --sku PAN-24", ok=True).stdout
    assert text == (
        "Kabar baik, Bu Siti! Wajan 24 cm yang kemarin Bu Siti tanyakan sudah tersedia lagi 😊 "
        "Harganya Rp150.000. Mau kami siapkan?\n"
    )
    english = stocked("reply restock --to siti --sku PAN-24 --lang en", ok=True).stdout
    assert english == (
        "Good news, Bu Siti! The Wajan 24 cm you asked about is back in stock 😊 It's "
        "Rp150.000. Shall we set one aside for you?\n"
    )
    # A cancel brings it back too.
    stocked("book siti PAN-24:3", ok=True)
    stocked("reply stockout --sku PAN-24 --to mike", ok=True)
    cancelled = stocked("cancel B2", ok=True)
    assert "olshop reply restock --to mike --sku PAN-24" in cancelled.stderr
