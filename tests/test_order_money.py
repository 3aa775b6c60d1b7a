"""The money of an order: a price agreed per line, a discount, ongkir by a courier; the
total, what is owed after a down payment, and every view and report showing the parts."""

from __future__ import annotations

import csv
import io
import json

import pytest

ORDER = "book siti PAN-24:2@140rb SPAT-1 --discount 10% --ongkir 18rb --courier 'j&t' --service reg"


def booking(shop, bid: str) -> dict:
    return json.loads(shop(f"show {bid} --json", ok=True).stdout)


def test_an_order_with_agreed_prices_a_discount_and_ongkir(stocked):
    result = stocked(ORDER, ok=True)
    assert result.stdout == "B1\n"
    assert result.stderr == (
        "Booked B1 for Siti Rahmawati: 2x PAN-24, 1x SPAT-1, Rp301.500 (items Rp315.000, "
        "discount -Rp31.500, ongkir Rp18.000 J&T REG); pay by 2026-11-24 08:00.\n"
    )
    data = booking(stocked, "B1")
    assert [(ln["sku"], ln["qty"], ln["price"]) for ln in data["lines"]] == [
        ("PAN-24", 2, 140_000),  # agreed with the buyer (the list price is 150.000)
        ("SPAT-1", 1, 35_000),  # today's price
    ]
    # 280.000 + 35.000 = 315.000; 10 % off = 31.500; + 18.000 ongkir = 301.500
    assert (data["discount"], data["discount_text"], data["ongkir"]) == (31_500, "10%", 18_000)
    assert (data["courier"], data["service"], data["total"]) == ("J&T", "REG", 301_500)
    assert (data["paid"], data["owed"]) == (0, 301_500)
    shown = stocked("show B1", ok=True).stdout
    assert (
        "  discount   -Rp31.500 (10%)\n  ongkir     Rp18.000 (J&T REG)\n  total      Rp301.500\n"
        in shown
    )
    assert "shipment" not in shown  # a courier planned is not a parcel sent


def test_a_down_payment_then_the_balance(stocked):
    stocked(ORDER, ok=True)
    stocked("config set bank 'BCA 123 a.n. Toko'", ok=True)
    paid = stocked("pay B1 --amount 150rb", ok=True)
    assert "B1: received Rp150.000, Rp151.500 still to pay (stays booked)." in paid.stderr
    assert (booking(stocked, "B1")["owed"], booking(stocked, "B1")["status"]) == (151_500, "booked")
    listing = stocked("bookings", ok=True).stdout.splitlines()
    assert listing[0].split()[:6] == ["ID", "Customer", "Items", "Total", "Owed", "Status"]
    assert "Rp301.500  Rp151.500  booked" in listing[1]
    confirm = stocked("reply confirm --booking B1", ok=True).stdout
    assert confirm == (
        "Halo Bu Siti, terima kasih sudah order di toko kami 😊 Berikut rincian pesanan B1:\n"
        "- 2x Wajan 24 cm @ Rp140.000 = Rp280.000\n"
        "- 1x Spatula silikon @ Rp35.000 = Rp35.000\n"
        "Diskon (10%): -Rp31.500\n"
        "Ongkir (J&T REG): Rp18.000\n"
        "Total: Rp301.500\n"
        "Sudah dibayar: Rp150.000\n"
        "Sisa: Rp151.500\n"
        "\n"
        "Mohon transfer Rp151.500 paling lambat besok pukul 08.00 ke BCA 123 a.n. Toko ya. "
        "Setelah transfer, kirim bukti transfernya di sini supaya pesanan bisa langsung kami "
        "proses 🙏\n"
    )
    assert "Rp151.500" in stocked("reply remind --booking B1", ok=True).stdout
    assert "Sisanya Rp151.500" in stocked("reply dp --booking B1", ok=True).stdout
    stocked("pay B1", ok=True)  # the balance: what is owed, not the total again
    data = booking(stocked, "B1")
    assert (data["status"], data["paid"], data["owed"]) == ("paid", 301_500, 0)
    assert [p["amount"] for p in data["payments"]] == [150_000, 151_500]


def test_the_report_counts_the_goods_as_revenue_and_ongkir_apart(stocked):
    stocked(ORDER, ok=True)
    stocked("book mike SPAT-1", ok=True)
    stocked("pay B1", ok=True)
    stocked("pay B2", ok=True)
    report = json.loads(stocked("report --period week --json", ok=True).stdout)
    assert report["revenue"] == 283_500 + 35_000  # items less the discount, both bookings
    assert (report["ongkir"], report["discounts"]) == (18_000, 31_500)
    text = stocked("report --period week", ok=True).stdout
    assert (
        "  discounts    Rp31.500 given\n" in text and "  ongkir       Rp18.000 collected\n" in text
    )
    rows = list(csv.reader(io.StringIO(stocked("report --period week --csv", ok=True).stdout)))
    assert ["summary", "ongkir", "", "", "18000"] in rows


def test_exports_carry_the_parts(stocked):
    stocked(ORDER, ok=True)
    stocked("book mike SPAT-1", ok=True)
    out = stocked("export --format csv --table bookings", ok=True).stdout
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["B1"]["total"], rows["B1"]["discount"], rows["B1"]["ongkir"]) == (
        "301500",
        "31500",
        "18000",
    )
    assert (rows["B1"]["courier"], rows["B1"]["service"]) == ("J&T", "REG")
    assert (rows["B2"]["discount"], rows["B2"]["ongkir"], rows["B2"]["service"]) == ("0", "0", "")
    exported = {b["id"]: b for b in json.loads(stocked("export", ok=True).stdout)["bookings"]}
    assert "discount" not in exported["B2"] and "ongkir" not in exported["B2"]  # as before


@pytest.mark.parametrize(
    ("command", "phrases"),
    [
        ("book siti PAN-24 --discount 200rb", ["more than the items (Rp150.000)"]),
        ("book siti PAN-24 --discount 110%", ["'110%' is not between 0 and 100 %"]),
        ("book siti PAN-24 --discount sepuluh%", ["Cannot read 'sepuluh%' as a discount"]),
        ("book siti PAN-24 --ongkir 18rb", ["Ongkir needs its courier", "--courier"]),
        ("book siti PAN-24 --ongkir gratis --courier JNE", ["Cannot read 'gratis' as money"]),
        ("book siti PAN-24@140rb PAN-24@150rb", ["PAN-24 is given twice at different prices"]),
        ("book siti PAN-24@murah", ["Cannot read 'murah' as money"]),
    ],
)
def test_bad_order_money_is_refused(stocked, command, phrases):
    stocked.refused(command, *phrases)


def test_each_payment_is_an_entry_with_how_it_was_paid(stocked):
    stocked(ORDER, ok=True)
    stocked(
        "pay B1 --amount 150rb --method QRIS --ref 0034512",
        now="2026-11-23T09:00:00+07:00",
        ok=True,
    )
    stocked(
        "pay B1 --method tf --note 'sisa, dari rekening suami'",
        now="2026-11-23T20:00:00+07:00",
        ok=True,
    )
    payments = booking(stocked, "B1")["payments"]
    assert payments == [
        {"amount": 150_000, "at": "2026-11-23T09:00:00+07:00", "method": "qris", "ref": "0034512"},
        {
            "amount": 151_500,
            "at": "2026-11-23T20:00:00+07:00",
            "method": "transfer",
            "note": "sisa, dari rekening suami",
        },
    ]
    history = stocked("show B1", ok=True).stdout
    assert "payment  received Rp150.000 by QRIS, ref 0034512" in history
    assert "paid  received Rp151.500 by transfer" in history
    stocked("book mike SPAT-1", ok=True)
    stocked.refused("pay B2 --method gopay", "'gopay' is not a way of paying", "qris, cash, cod")
