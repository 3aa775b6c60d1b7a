"""A real week of a small shop, walked in OLSHOP_NOW steps (issue 12's acceptance test).

Every figure and every text a buyer reads is checked against values worked out by hand in
the comments: a booking with two lines at agreed prices, 10 % off and Rp18.000 ongkir by
J&T; a down payment of half, then the balance; an overpayment paid back; a paid booking
cancelled with a refund; a shipped parcel that came back; an upsold item added by `edit`;
an overdue booking with a down payment refused by `release --overdue` until `--refund`; a
release that puts a sold-out item back on sale and tells the buyer who waited for it; and
the week's report.
"""

from __future__ import annotations

import json

from ledgerfile import read_ledger

MON, TUE, WED = (
    "2026-11-23T09:00:00+07:00",
    "2026-11-24T10:00:00+07:00",
    "2026-11-25T11:00:00+07:00",
)
THU, THU_PM = "2026-11-26T09:00:00+07:00", "2026-11-26T15:00:00+07:00"
FRI, SAT, SUN = (
    "2026-11-27T10:00:00+07:00",
    "2026-11-28T12:00:00+07:00",
    "2026-11-29T20:00:00+07:00",
)


def show(shop, bid: str) -> dict:
    return json.loads(shop(f"show {bid} --json", ok=True).stdout)


def available(shop, sku: str) -> int:
    return json.loads(shop(f"product show {sku} --json", ok=True).stdout)["available"]


def said(result) -> str:
    """What a command told the seller (stderr), on one line per message."""
    return result.stderr


def test_a_week_of_orders(shop):
    # ----- Monday 08:00: the shop is set up -------------------------------------------------
    shop("config set shop-name 'Dapur Siti'", ok=True)
    shop("config set bank 'BCA 1234567890 a.n. Siti Aminah'", ok=True)
    shop("product add PAN-24 'Wajan 24 cm' --price 150rb --cost 95rb --stock 5", ok=True)
    shop("product add SPAT-1 'Spatula silikon' --price 35rb --cost 15rb --stock 10", ok=True)
    shop("product add TUT-24 'Tutup kaca 24 cm' --price 60rb --cost 35rb --stock 2", ok=True)
    shop("customer add 'Siti Rahmawati' --call Bu --phone 081311112222", ok=True)
    shop("customer add 'Mike Tan' --nick Mike --phone 081234567890", ok=True)
    shop("customer add 'Dewi Lestari' --call Mbak --phone 081355556666", ok=True)
    shop("customer add 'Rina Wijaya' --phone 081377778888", ok=True)
    shop("customer add 'Budi Santoso' --call Pak --phone 081399990000", ok=True)

    # ----- Monday 09:00: B1, two lines at agreed prices, 10 % off, ongkir by J&T ---------------
    shop.set_now(MON)
    booked = shop(
        "book siti PAN-24:2@140rb SPAT-1@30rb --discount 10% --ongkir 18rb --courier 'J&T' "
        "--service REG",
        ok=True,
    )
    # items 2 x 140.000 + 30.000 = 310.000; 10 % = 31.000; + 18.000 = 297.000
    assert booked.stdout == "B1\n"
    assert said(booked) == (
        "Booked B1 for Siti Rahmawati: 2x PAN-24, 1x SPAT-1, Rp297.000 (items Rp310.000, "
        "discount -Rp31.000, ongkir Rp18.000 J&T REG); pay by 2026-11-24 09:00.\n"
    )
    assert shop("reply confirm --booking B1", ok=True).stdout == (
        "Halo Bu Siti, terima kasih sudah order di Dapur Siti 😊 Berikut rincian pesanan B1:\n"
        "- 2x Wajan 24 cm @ Rp140.000 = Rp280.000\n"
        "- 1x Spatula silikon @ Rp30.000 = Rp30.000\n"
        "Diskon (10%): -Rp31.000\n"
        "Ongkir (J&T REG): Rp18.000\n"
        "Total: Rp297.000\n"
        "\n"
        "Mohon transfer Rp297.000 paling lambat besok pukul 09.00 ke BCA 1234567890 a.n. "
        "Siti Aminah ya. Setelah transfer, kirim bukti transfernya di sini supaya pesanan "
        "bisa langsung kami proses 🙏\n"
    )
    # a DP of half: 297.000 / 2 = 148.500, the same left
    paid = shop("pay B1 --amount 148.500 --method transfer", ok=True)
    assert said(paid) == "B1: received Rp148.500, Rp148.500 still to pay (stays booked).\n"
    assert shop("reply dp --booking B1", ok=True).stdout == (
        "Terima kasih, Bu Siti! DP Rp148.500 untuk pesanan B1 sudah kami terima 🙏 Sisanya "
        "Rp148.500, mohon ditransfer paling lambat besok pukul 09.00 ya. Barangnya tetap kami "
        "simpan untuk Bu Siti 😊\n"
    )
    shop.refused("reply paid --booking B1", "B1 still has Rp148.500 to pay")
    today = shop("today", ok=True).stdout
    assert "0 overdue · 1 due within 24h · 0 to ship" in today
    assert "Rp297.000  Rp148.500  booked" in today  # total, then what is owed

    # ----- Tuesday: the balance; B2 paid Rp5.000 too much, paid back ---------------------------
    shop.set_now(TUE)
    paid = shop("pay B1 --method transfer", ok=True)
    assert said(paid) == "B1 paid (Rp297.000). Next: olshop ship B1 --courier JNE --tracking ...\n"
    assert [p["amount"] for p in show(shop, "B1")["payments"]] == [148_500, 148_500]
    assert shop("reply paid --booking B1", ok=True).stdout == (
        "Terima kasih, Bu Siti! Pembayaran Rp297.000 untuk pesanan B1 sudah kami terima 🙏 "
        "Pesanannya segera kami kemas dan kirim, nanti nomor resinya kami kabari ya.\n"
    )
    shop("book mike TUT-24 SPAT-1", ok=True)  # 60.000 + 35.000 = 95.000
    over = shop("pay B2 --amount 100rb --method qris", ok=True)
    assert "B2 received Rp5.000 more than its total" in said(over)
    today = shop("today", ok=True).stdout
    assert "2 to ship" in today and "1 to pay back" in today
    assert "B2  Mike Tan  Rp100.000  Rp95.000    Rp5.000  olshop refund B2" in today
    assert said(shop("refund B2", ok=True)) == "B2: Rp5.000 paid back.\n"
    assert "to pay back" not in shop("today", ok=True).stdout
    assert shop("reply refund --booking B2", ok=True).stdout == (
        "Halo Kak Mike, dana kelebihan transfer Rp5.000 untuk pesanan B2 (1x Tutup kaca 24 cm, "
        "1x Spatula silikon) sudah kami kembalikan ya 🙏 Mohon dicek, dan kabari kami kalau "
        "belum masuk. Terima kasih atas pengertiannya.\n"
    )

    # ----- Wednesday: B3 paid then cancelled with a refund; B1 and B2 shipped ----------------
    shop.set_now(WED)
    shop("book dewi PAN-24", ok=True)
    shop("pay B3", ok=True)
    assert available(shop, "PAN-24") == 2  # 5 - 2 (B1) - 1 (B3)
    cancelled = shop("cancel B3 --refund --reason 'salah pilih ukuran'", ok=True)
    assert said(cancelled) == "B3 cancelled; 1x PAN-24 back in stock; Rp150.000 paid back.\n"
    assert available(shop, "PAN-24") == 3
    assert shop("reply refund --booking B3", ok=True).stdout == (
        "Halo Mbak Dewi, dana Rp150.000 untuk pesanan B3 (1x Wajan 24 cm) sudah kami "
        "kembalikan ya 🙏 Mohon dicek, dan kabari kami kalau belum masuk. Terima kasih atas "
        "pengertiannya.\n"
    )
    shop("ship B1 --courier 'J&T' --tracking JT0001", ok=True)
    shop("ship B2 --courier JNE --tracking JN0002", ok=True)
    # replies that would be untrue are refused, and change nothing
    shop.refused(
        "reply release --booking B1",
        "B1 is shipped: 'release' would tell the buyer their payment never came.",
        "olshop reply shipped --booking B1",
    )
    shop.refused(
        "reply remind --booking B1",
        "B1 is shipped: 'remind' would ask for money the buyer does not owe.",
    )

    # ----- Thursday: B4 upsold by edit, a DP; B5 sells the last lid, Budi asks for one --------
    shop.set_now(THU)
    shop("book rina PAN-24", ok=True)
    edited = shop("edit B4 --add SPAT-1", ok=True)
    assert said(edited).startswith(
        "B4 changed: added 1x SPAT-1 @ Rp35.000; total Rp150.000 -> Rp185.000.\n"
    )
    b4 = show(shop, "B4")
    assert (b4["id"], b4["total"], [ln["sku"] for ln in b4["lines"]]) == (
        "B4",
        185_000,
        ["PAN-24", "SPAT-1"],
    )
    assert available(shop, "SPAT-1") == 10 - 1 - 1 - 1  # B1 and B2 shipped, B4 holds one
    shop("pay B4 --amount 50rb", ok=True)  # 135.000 left
    shop("book dewi TUT-24", ok=True)  # the last lid: 2 - 1 (B2, shipped) - 1
    assert available(shop, "TUT-24") == 0
    asked = shop("reply stockout --to budi --sku TUT-24", ok=True)
    assert asked.stdout == (
        "Mohon maaf, Pak Budi, stok Tutup kaca 24 cm lagi habis 🙏 Mau kami kabari kalau "
        "stoknya sudah ada lagi?\n"
    )

    # ----- Thursday afternoon: B2's parcel comes back broken ---------------------------------
    shop.set_now(THU_PM)
    returned = shop("return B2 --no-restock --refund --reason 'kaca pecah di jalan'", ok=True)
    # paid 100.000, 5.000 already paid back: 95.000 to pay back
    assert said(returned) == (
        "B2 came back and is cancelled; nothing back on the shelf; Rp95.000 paid back.\n"
    )
    assert available(shop, "TUT-24") == 0  # nothing back on the shelf

    # ----- Friday: B4 and B5 are overdue; B4 holds a DP -------------------------------------
    shop.set_now(FRI)
    today = shop("today", ok=True).stdout
    assert "2 overdue · 0 due within 24h · 0 to ship · 1 in transit · 1 sold out" in today
    assert "Rp185.000  Rp135.000  booked" in today
    released = shop("release --overdue", ok=True)
    assert released.stdout == "B5\n"  # B4 is left: its DP is not decided about
    assert (
        "B4 (Rina Wijaya) holds Rp50.000 paid, so it was not released. Say what happens to the "
        "money: olshop release B4 --refund (or --keep)." in said(released)
    )
    assert show(shop, "B4")["status"] == "booked"
    # B5's lid is back on sale: the buyer who waited is named, with the message to send
    assert (
        "Back in stock! 1 asked about TUT-24 while sold out:\n"
        "  Budi Santoso  0813-9999-0000  ->  olshop reply restock --to budi --sku TUT-24\n"
    ) in said(released)
    assert available(shop, "TUT-24") == 1
    assert shop("reply restock --to budi --sku TUT-24", ok=True).stdout == (
        "Kabar baik, Pak Budi! Tutup kaca 24 cm yang kemarin Pak Budi tanyakan sudah "
        "tersedia lagi 😊 Harganya Rp60.000. Mau kami siapkan?\n"
    )
    released = shop("release --overdue --refund", ok=True)
    assert released.stdout == "B4\n"
    b4 = show(shop, "B4")
    assert (b4["status"], b4["refunds"][0]["amount"]) == ("released", 50_000)
    assert available(shop, "PAN-24") == 5 - 2  # only B1's two have left the shelf

    # ----- Saturday: B1 arrives --------------------------------------------------------------
    shop.set_now(SAT)
    shop("done B1", ok=True)

    # ----- Sunday evening: the week's report ------------------------------------------------
    shop.set_now(SUN)
    report = json.loads(shop("report --period week --json", ok=True).stdout)
    # revenue: B1 only (B2 and B3 were paid, then cancelled): 310.000 - 31.000 = 279.000
    assert report["revenue"] == 279_000
    assert (report["ongkir"], report["discounts"]) == (18_000, 31_000)
    assert report["bookings"] == {"booked": 5, "paid": 1, "released": 2, "cancelled": 2}
    assert report["hit_and_run_rate"] == 0.4  # 2 released of 1 + 2 + 2 settled
    # money in: 148.500 + 148.500 (B1) + 100.000 (B2) + 150.000 (B3) + 50.000 (B4) = 597.000
    # paid back: 5.000 + 95.000 (B2) + 150.000 (B3) + 50.000 (B4) = 300.000
    # money in = 597.000 - 300.000 = 297.000: B1, ongkir included
    assert (report["payments"], report["refunds"]) == (597_000, 300_000)
    assert (report["money_in"], report["kept"]) == (297_000, 0)
    # gross profit of B1: 279.000 - (2 x 95.000 + 15.000) = 74.000, its lines all costed
    assert report["gross_profit"] == {"amount": 74_000, "bookings": 1}
    text = shop("report --period week", ok=True).stdout
    assert text.startswith(
        "Report: 2026-11-23 00:00 to 2026-11-29 20:00\n"
        "  revenue       Rp279.000 from 1 paid booking\n"
        "  gross profit  Rp74.000 from 1 of 1 paid booking with cost prices\n"
        "  discounts     Rp31.000 given\n"
        "  ongkir        Rp18.000 collected\n"
        "  money in      Rp297.000 (payments Rp597.000, paid back Rp300.000)\n"
        "  bookings      5 made, 1 paid, 2 released, 2 cancelled\n"
        "  hit and run   40.0% (2 released of 5 settled)\n"
    )

    # every rupiah is an entry with a date, in the ledger the seller can open
    ledger = read_ledger(shop.home)
    entries = [
        (b["id"], kind, e["amount"], e["at"][:10])
        for b in ledger["archive"].values()
        for kind in ("payments", "refunds", "kept")
        for e in b.get(kind, [])
    ]
    assert sorted(entries) == sorted(
        [
            ("B1", "payments", 148_500, "2026-11-23"),
            ("B1", "payments", 148_500, "2026-11-24"),
            ("B2", "payments", 100_000, "2026-11-24"),
            ("B2", "refunds", 5_000, "2026-11-24"),
            ("B2", "refunds", 95_000, "2026-11-26"),
            ("B3", "payments", 150_000, "2026-11-25"),
            ("B3", "refunds", 150_000, "2026-11-25"),
            ("B4", "payments", 50_000, "2026-11-26"),
            ("B4", "refunds", 50_000, "2026-11-27"),
        ]
    )
