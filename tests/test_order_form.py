"""`olshop order`: a buyer's filled order form ("format order"), read as buyers write it,
matched to the ledger (orderform.read_form/understand), and booked with --book."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime

import pytest

from olshop_cli import orderform
from olshop_cli.cli import app
from olshop_cli.ledger import Ledger
from olshop_cli.when import shop_zone

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=shop_zone("Asia/Jakarta"))
# the interface language and the catalog check reach a process started with a clean env
KEEP_ENV = ("OLSHOP_UI_LANG", "OLSHOP_I18N_MISSING")


@pytest.fixture
def ledger() -> Ledger:
    led = Ledger()
    led.add_product("PAN-24", "Wajan 24 cm", 150_000, NOW, stock=5)
    led.add_product("PAN-28", "Wajan 28 cm", 180_000, NOW, stock=5)
    led.add_product("SPAT-1", "Spatula silikon", 35_000, NOW, stock=10)
    led.add_product("MAG-1", "Magnet kulkas", 15_000, NOW, stock=20)
    led.add_customer(
        "Mike Tan", NOW, nick="Mike", phone="+62 812-3456-7890", address="Jl. Lama No. 1, Medan"
    )
    led.add_customer("Siti Rahmawati", NOW, call="bu", phone="0813 1111 2222")
    return led


def understood(ledger: Ledger, text: str, **options) -> orderform.Plan:
    return orderform.understand(ledger, orderform.read_form(text), **options)


def check_plan(plan: orderform.Plan, expected: dict) -> None:
    """Every key the row gives is checked; problems and unread are always checked (none
    unless the row names them: each expected problem a phrase of one problem's message)."""
    customer = plan.customer.key if plan.customer else None
    got = {
        "customer": customer,
        "name": plan.name,
        "phone": plan.phone,
        "address": plan.address,
        "lines": [(line.product.sku, line.qty) for line in plan.lines],
        "courier": plan.courier,
        "service": plan.service,
        "pickup": plan.pickup,
        "cod": plan.cod,
        "ongkir": plan.ongkir,
        "total": plan.total,
        "note": plan.note,
        "unread": plan.unread,
        "differs": [what for what, _kept, _given in plan.differs],
    }
    for key, value in expected.items():
        if key == "problems":
            continue
        assert got[key] == value, (key, got[key], value)
    if "unread" not in expected:
        assert plan.unread == [], plan.unread
    messages = [problem.message for problem in plan.problems]
    phrases = expected.get("problems", [])
    assert len(messages) == len(phrases), messages
    for phrase, message in zip(phrases, messages, strict=True):
        assert phrase in message, (phrase, message)


FORMS = [
    pytest.param(
        """\
Name: Dewi Lestari
Phone: 0857-1234-5678
Address: Jl. Kenanga No. 5, Sleman, Yogyakarta
Order: Wajan 24 x2
Courier: JNE REG
Notes: please wrap it with bubble wrap
""",
        dict(
            customer=None,
            name="Dewi Lestari",
            phone="+6285712345678",
            address="Jl. Kenanga No. 5, Sleman, Yogyakarta",
            lines=[("PAN-24", 2)],
            courier="JNE",
            service="REG",
            ongkir=0,
            total=300_000,
            note="please wrap it with bubble wrap",
        ),
        id="english-labels",
    ),
    pytest.param(
        """\
Nama: Rina Kusuma
No HP: 0821 9876 5432
Alamat: Jl. Melati 7 RT 02/RW 05, Bekasi Utara
Pesanan: 2 pcs spatula
Ekspedisi: J&T
Catatan: titip di pos satpam ya kak
""",
        dict(
            customer=None,
            name="Rina Kusuma",
            phone="+6282198765432",
            address="Jl. Melati 7 RT 02/RW 05, Bekasi Utara",
            lines=[("SPAT-1", 2)],
            courier="J&T",
            service=None,
            total=70_000,
            note="titip di pos satpam ya kak",
        ),
        id="indonesian-labels-2-pcs-spatula",
    ),
    pytest.param(
        """\
NAMA : BUDI SANTOSO
NO. WA : 081311112299
ALAMAT LENGKAP : JL. MAWAR 3, DEPOK
PESANAN : MAGNET KULKAS X3
KURIR : SICEPAT
""",
        dict(
            customer=None,
            name="Budi Santoso",  # written in capitals, kept as names are written
            phone="+6281311112299",
            address="JL. MAWAR 3, DEPOK",
            lines=[("MAG-1", 3)],
            courier="SiCepat",
            total=45_000,
            note=None,
        ),
        id="all-caps-labels",
    ),
    pytest.param(
        """\
Nama Ayu Wulandari
HP/WA 0878 5555 1212
Alamat Jl. Anggrek 9 Bogor
Pesanan PAN-24 (2)
Kurir AnterAja
""",
        dict(
            customer=None,
            name="Ayu Wulandari",
            phone="+6287855551212",
            address="Jl. Anggrek 9 Bogor",
            lines=[("PAN-24", 2)],
            courier="AnterAja",
            total=300_000,
        ),
        id="no-colons-sku-with-qty-in-brackets",
    ),
    pytest.param(
        """\
1. Nama : Fajar Nugroho
2. No HP : 0819-2222-3333
3. Alamat : Jl. Dahlia 12, Malang
4. Pesanan : Spatula silikon x1
5. Ekspedisi : JNE YES
""",
        dict(
            customer=None,
            name="Fajar Nugroho",
            address="Jl. Dahlia 12, Malang",
            lines=[("SPAT-1", 1)],
            courier="JNE",
            service="YES",
            total=35_000,
        ),
        id="numbered-labels",
    ),
    pytest.param(
        """\
- Nama: Lina Marlina
- No. WA: 0812-7777-8888
- Alamat: Perum Griya Asri Blok C2, Cimahi
- Pesanan: Wajan 24 cm x1, spatula x2
- Ekspedisi: J&T
""",
        dict(
            customer=None,
            name="Lina Marlina",
            phone="+6281277778888",
            address="Perum Griya Asri Blok C2, Cimahi",
            lines=[("PAN-24", 1), ("SPAT-1", 2)],
            courier="J&T",
            total=220_000,
        ),
        id="dash-bullets-items-comma-separated",
    ),
    pytest.param(
        """\
• Nama lengkap: Hendra Wijaya
• No HP: 0822 3333 4444
• Alamat: Jl. Cempaka 21, Surabaya
• Pesanan: MAG-1 x5
• Kurir: Pos
""",
        dict(
            customer=None,
            name="Hendra Wijaya",
            phone="+6282233334444",
            lines=[("MAG-1", 5)],
            courier="Pos Indonesia",
            total=75_000,
        ),
        id="dot-bullets-nama-lengkap-sku",
    ),
    pytest.param(
        """\
👤 Nama: Yuni Astuti
📱 No WA: 0813-5555-6666
🏠 Alamat: Jl. Teratai 4, Solo
🛒 Pesanan: Wajan 24 x1
🚚 Ekspedisi: SiCepat
📝 Catatan: -
""",
        dict(
            customer=None,
            name="Yuni Astuti",
            phone="+6281355556666",
            address="Jl. Teratai 4, Solo",
            lines=[("PAN-24", 1)],
            courier="SiCepat",
            total=150_000,
            note=None,
        ),
        id="emoji-labels-catatan-dash-is-no-note",
    ),
    pytest.param(
        """\
Nama:
Eko Prasetyo
No HP:
0856 4444 9999
Alamat lengkap:
Jl. Flamboyan 8
RT 03 RW 01, Kel. Sukamaju
Cibeunying Kaler
Pesanan:
Wajan 24 x1
Spatula silikon x2
Ekspedisi:
JNE REG
""",
        dict(
            customer=None,
            name="Eko Prasetyo",
            phone="+6285644449999",
            address="Jl. Flamboyan 8, RT 03 RW 01, Kel. Sukamaju, Cibeunying Kaler",
            lines=[("PAN-24", 1), ("SPAT-1", 2)],
            courier="JNE",
            service="REG",
            total=220_000,
        ),
        id="values-under-labels-multiline-address-items-per-line",
    ),
    pytest.param(
        """\
Nama: Sari Dewi
No HP: 0811-2233-4455
Alamat: Jl. Kamboja 2
Kecamatan: Coblong
Kota: Bandung
Kode pos: 40132
Pesanan: Magnet kulkas x2
Kurir: JNE
""",
        dict(
            customer=None,
            name="Sari Dewi",
            address="Jl. Kamboja 2, Kec. Coblong, Kota Bandung, 40132",
            lines=[("MAG-1", 2)],
            courier="JNE",
            total=30_000,
        ),
        id="kecamatan-kota-kodepos-joined-into-address",
    ),
    pytest.param(
        """\
Nama: Agus Salim
No HP: 0815 1212 3434
Alamat: Jl. Merpati 1, Semarang
Pesanan: Wajan 24 x1, Spatula silikon 2 pcs, Magnet kulkas x3
Ekspedisi: J&T
""",
        dict(
            customer=None,
            name="Agus Salim",
            lines=[("PAN-24", 1), ("SPAT-1", 2), ("MAG-1", 3)],
            courier="J&T",
            total=150_000 + 70_000 + 45_000,
        ),
        id="three-items-on-one-line",
    ),
    pytest.param(
        """\
Nama: Tono Hartono
No HP: 0816-8888-1111
Alamat: Jl. Kutilang 5, Jakarta Timur
Pesanan: Magnet kulkas
Jumlah: 3
Kurir: JNE
""",
        dict(customer=None, lines=[("MAG-1", 3)], courier="JNE", total=45_000),
        id="jumlah-for-a-single-item",
    ),
    pytest.param(
        """\
Nama Penerima: Rina Oktaviani
No. Telp: 0812-0000-1111
Alamat Pengiriman: Jl. Mangga 2, Cirebon
Nama Barang: Magnet kulkas
Jumlah: 4 pcs
Jasa Kirim: Lion Parcel
""",
        dict(
            customer=None,
            name="Rina Oktaviani",
            phone="+6281200001111",
            address="Jl. Mangga 2, Cirebon",
            lines=[("MAG-1", 4)],
            courier="Lion Parcel",
            total=60_000,
        ),
        id="marketplace-style-labels-jumlah-4-pcs",
    ),
    pytest.param(
        """\
Nama: Wulan Sari
No WA: 0817 2020 3030
Pesanan: Spatula silikon x1
Ekspedisi: J&T
""",
        dict(
            customer=None,
            name="Wulan Sari",
            address=None,
            lines=[("SPAT-1", 1)],
            courier="J&T",
            total=35_000,
        ),
        id="missing-address-still-bookable",
    ),
    pytest.param(
        """\
No HP: +62 812-3456-7890
Pesanan: Wajan 24 x1
Ekspedisi: JNE
""",
        dict(
            customer="mike",
            name=None,
            phone="+6281234567890",
            lines=[("PAN-24", 1)],
            courier="JNE",
            total=150_000,
        ),
        id="no-name-known-phone-plus62-spelling",
    ),
    pytest.param(
        """\
No HP: 0899 1111 0000
Pesanan: Wajan 24 x1
Ekspedisi: JNE
""",
        dict(
            customer=None,
            name=None,
            lines=[("PAN-24", 1)],
            problems=["no name, and no customer has its phone number"],
        ),
        id="no-name-unknown-phone",
    ),
    pytest.param(
        """\
Nama: Putri Ayu
No HP: 0812 9090 8080
Alamat: Jl. Kenari 3, Denpasar
Pesanan: Wajan 24 x1, Panci presto x1
Ekspedisi: JNE
""",
        dict(
            customer=None,
            lines=[("PAN-24", 1)],
            total=150_000,
            problems=["No product matches 'Panci presto'"],
        ),
        id="unknown-item",
    ),
    pytest.param(
        """\
Nama: Rudi Hartanto
No HP: 0812 9191 8181
Alamat: Jl. Pelikan 3, Palembang
Pesanan: Wajan x1
Ekspedisi: JNE
""",
        dict(customer=None, lines=[], problems=["'Wajan' matches 2 products"]),
        id="ambiguous-item",
    ),
    pytest.param(
        """\
Nama: Nina Karlina
No HP: besok saya kabari
Alamat: Jl. Elang 3, Makassar
Pesanan: Spatula silikon x1
Ekspedisi: JNE
""",
        dict(
            phone=None,
            lines=[("SPAT-1", 1)],
            problems=["'besok saya kabari', is not a phone number"],
        ),
        id="phone-that-is-not-a-phone",
    ),
    pytest.param(
        """\
Nama: Joko Susilo
No HP: 0812 4545 6767
Alamat: Jl. Rajawali 9, Klaten
Pesanan: Magnet kulkas x2
Ekspedisi: ambil sendiri
Catatan: -
""",
        dict(
            customer=None,
            lines=[("MAG-1", 2)],
            courier=None,
            pickup=True,
            ongkir=0,
            total=30_000,
            note="ambil sendiri",
        ),
        id="pickup",
    ),
    pytest.param(
        """\
Halo kak, mau order ya 🙏
Nama: Mega Sari
No HP: 0812 6161 7171
Alamat: Jl. Nuri 2, Tangerang
Pesanan: Spatula silikon x1
Ekspedisi: JNE
""",
        dict(
            customer=None,
            name="Mega Sari",
            lines=[("SPAT-1", 1)],
            courier="JNE",
            total=35_000,
            unread=["Halo kak, mau order ya"],
        ),
        id="greeting-before-the-form",
    ),
    pytest.param(
        """\
Nama: Mike Tan
No. HP/WA: 0812 3456 7890
Alamat: Jl. Baru No. 9, Binjai
Pesanan: Wajan 24 x1
Ekspedisi: J&T
""",
        dict(
            customer="mike",
            address="Jl. Baru No. 9, Binjai",
            differs=["address"],
            lines=[("PAN-24", 1)],
            courier="J&T",
            total=150_000,
        ),
        id="known-phone-other-address",
    ),
    pytest.param(
        """\
Full name: Mike Tan
Phone: +62 812-3456-7890
Address:
Jl. Baru 9
Binjai
Order:
- Wajan 24 cm (1 pcs)
- 2x spatula
Courier: J&T Express
Shipping cost: Rp 18.000
Notes: ring the bell
twice please
""",
        dict(
            customer="mike",
            address="Jl. Baru 9, Binjai",
            lines=[("PAN-24", 1), ("SPAT-1", 2)],
            courier="J&T",
            ongkir=18_000,
            total=150_000 + 70_000 + 18_000,
            note="ring the bell; twice please",
        ),
        id="english-multiline-with-ongkir",
    ),
    pytest.param(
        """\
Nama : Siti
HP : 0813-1111-2222
Orderan :
1. Wajan 24 x1
2. Magnet kulkas 3 pcs
Ongkir : 20.000
Ekspedisi : JNT
""",
        dict(
            customer="siti",
            lines=[("PAN-24", 1), ("MAG-1", 3)],
            courier="J&T",
            ongkir=20_000,
            total=150_000 + 45_000 + 20_000,
        ),
        id="numbered-items-call-name-known-phone",
    ),
    pytest.param(
        """\
Nama: Mike
No HP: 62812-3456-7890
Items: SPAT-1 (3); Magnet kulkas x2
Kurir: JNE
Ongkir: 18rb
""",
        dict(
            customer="mike",
            lines=[("SPAT-1", 3), ("MAG-1", 2)],
            courier="JNE",
            ongkir=18_000,
            total=105_000 + 30_000 + 18_000,
        ),
        id="62-spelling-semicolon-items",
    ),
    pytest.param(
        """\
Nama: Laras
No. HP: 0812-9999-1234 (WA)
Pesanan:
1 wajan 24
2 spatula silikon
Courier: pickup
""",
        dict(
            customer=None,
            phone="+6281299991234",
            lines=[("PAN-24", 1), ("SPAT-1", 2)],
            pickup=True,
            courier=None,
            total=220_000,
        ),
        id="qty-first-items-phone-with-wa-note",
    ),
    pytest.param(
        """\
Nama: Rina
HP: 0812 0000 1111
Pesanan: Wajan 24 x10
Kurir: JNE
""",
        dict(lines=[("PAN-24", 10)], problems=["Only 5 of PAN-24 (Wajan 24 cm) available"]),
        id="stock-short",
    ),
    pytest.param(
        """\
[08.15, 23/11/2026] Bu Endah: Nama lengkap: Endah Purwanti
[08.15, 23/11/2026] Bu Endah: No. HP/WA: 0812-3030-4040
[08.16, 23/11/2026] Bu Endah: Alamat: Jl. Flamboyan 2, Cirebon
[08.16, 23/11/2026] Bu Endah: Pesanan: spatula x2
[08.17, 23/11/2026] Bu Endah: Ekspedisi: JNE
""",
        # Copied from WhatsApp on a computer: the time and sender in front of each line.
        dict(name="Endah Purwanti", address="Jl. Flamboyan 2, Cirebon", lines=[("SPAT-1", 2)]),
        id="whatsapp-copy-with-timestamps",
    ),
    pytest.param(
        "Nama: Wati, No HP: 0858 1212 3434, Alamat: Jl. Kenari 4 Bekasi, "
        "Pesanan: magnet x3, Ekspedisi: JNE\n",
        dict(
            name="Wati",
            phone="+6285812123434",
            address="Jl. Kenari 4 Bekasi",
            lines=[("MAG-1", 3)],
            courier="JNE",
        ),
        id="every-field-on-one-line",
    ),
    pytest.param(
        """\
nama : ibu ratna dewi
no hp : 0812 7070 8080
almt : jl. kenanga gg 3 no 12, bantul
pesanan : wajan 24 qty 1, spatula dua
ekspedisi : jne
""",
        dict(
            name="Ibu Ratna Dewi",
            address="jl. kenanga gg 3 no 12, bantul",
            lines=[("PAN-24", 1), ("SPAT-1", 2)],
            courier="JNE",
        ),
        id="almt-lowercase-name-and-quantity-words",
    ),
    pytest.param(
        """\
Nama : Rahmat
No HP : 0817-9090-8080
Pesanan :
Wajan 24
Spatula
Jumlah : 1 dan 2
Ekspedisi : JNE
""",
        dict(lines=[("PAN-24", 1), ("SPAT-1", 2)], total=220_000),
        id="jumlah-for-two-items-in-order",
    ),
    pytest.param(
        """\
Nama : Rahmat
No HP : 0817-9090-8080
Pesanan :
Wajan 24
Spatula
Jumlah : 3
""",
        dict(lines=[("PAN-24", 1), ("SPAT-1", 1)], problems=["does not say which item"]),
        id="jumlah-for-which-item",
    ),
    pytest.param(
        """\
Nama: Mbak Lia
No HP: 0813-5555-6666
Pesanan: spatula x 3 warna merah, Wajan 24 x1 (kalau habis ganti 28 aja kak)
Ekspedisi: J&T COD
Catatan: bayar di tempat ya
""",
        dict(
            lines=[("SPAT-1", 3), ("PAN-24", 1)],
            courier="J&T",
            service=None,
            cod=True,
            note="COD; bayar di tempat ya",
            unread=["warna merah", "(kalau habis ganti 28 aja kak)"],
        ),
        id="cod-and-words-after-the-quantity",
    ),
    pytest.param(
        """\
Nama: Yuli
No HP: 0857 1234 4321
Pesanan: spatula x2 magnet x3
Pembayaran: COD
""",
        dict(lines=[("SPAT-1", 2), ("MAG-1", 3)], cod=True, note="COD"),
        id="two-items-without-a-comma-and-cod-as-payment",
    ),
    pytest.param(
        """\
Nama: Mega Sari
No HP: 0812 6161 7171
Pesanan: wajan 28 x0, spatula x1
Warna: merah
Ekspedisi: JNE
""",
        # A quantity of 0 is a problem; a field of its own under the items is not an item.
        dict(lines=[("SPAT-1", 1)], unread=["Warna: merah"], problems=["is 0"]),
        id="zero-quantity-and-a-field-under-the-items",
    ),
    pytest.param(
        """\
Nama: Mega Sari
No HP: 0812 6161 7171
Pesanan:
Spatula silikon 2
Wajan 24
Ekspedisi: JNE
""",
        # A number at the end is the quantity unless a product's name has it (Wajan 24).
        dict(lines=[("SPAT-1", 2), ("PAN-24", 1)], total=220_000),
        id="bare-number-after-the-name",
    ),
    pytest.param(
        """\
Order ya kak
Nama: Mega Sari
No HP: 0812 6161 7171
Pesanan: Spatula silikon x1
Ekspedisi: JNE
""",
        dict(lines=[("SPAT-1", 1)], unread=["Order ya kak"], total=35_000),
        id="greeting-starting-with-order",
    ),
    pytest.param(
        """\
Nama: Mega Sari
No HP: 0812 6161 7171
Pesanan saya:
Spatula silikon x1
Ekspedisi: JNE
""",
        dict(lines=[("SPAT-1", 1)], total=35_000),
        id="pesanan-saya-label",
    ),
    pytest.param(
        """\
Nama: Rani
No HP: 0812 6161 7172
Pesanan: Spatula silikon x1
Kurir: JNE (REG)
""",
        dict(courier="JNE", service="REG", lines=[("SPAT-1", 1)]),
        id="service-in-brackets",
    ),
]


@pytest.mark.parametrize("text, expected", FORMS)
def test_forms_as_buyers_write_them(ledger, text, expected):
    before = (dict(ledger.customers), dict(ledger.bookings))
    plan = understood(ledger, text)
    check_plan(plan, expected)
    assert (dict(ledger.customers), dict(ledger.bookings)) == before  # understand changes nothing


def test_ambiguous_item_lists_both_products(ledger):
    plan = understood(ledger, "Nama: Rudi\nNo HP: 0812 9191 8181\nPesanan: Wajan x1\n")
    (problem,) = plan.problems
    assert "PAN-24 (Wajan 24 cm)" in problem.message
    assert "PAN-28 (Wajan 28 cm)" in problem.message
    assert problem.hint and "SKU" in problem.hint


def test_unknown_item_names_it_and_skip_unmatched_leaves_it_out(ledger):
    text = "Nama: Putri\nNo HP: 0812 9090 8080\nPesanan: Wajan 24 x1, Panci presto x1\n"
    plan = understood(ledger, text, skip_unmatched=True)
    assert plan.problems == []
    assert [(line.product.sku, line.qty) for line in plan.lines] == [("PAN-24", 1)]
    (skipped,) = plan.skipped
    assert "Panci presto" in skipped.message


def test_command_line_courier_and_ongkir_stand_instead_of_the_forms(ledger):
    text = "Nama: Ana\nNo HP: 0812 1111 9999\nPesanan: spatula 2x\nKurir: JNE\nOngkir: 12k\n"
    plan = understood(ledger, text)
    assert (plan.courier, plan.ongkir, plan.total) == ("JNE", 12_000, 82_000)
    plan = understood(ledger, text, courier="sicepat", ongkir=9_000)
    assert (plan.courier, plan.ongkir, plan.total) == ("SiCepat", 9_000, 79_000)


def test_ongkir_without_courier_is_a_problem(ledger):
    plan = understood(ledger, "Nama: Ana\nNo HP: 0812 1111 9999\nPesanan: spatula\nOngkir: 15rb\n")
    assert [p.message for p in plan.problems] == ["Ongkir needs its courier."]


def test_split_items_spellings():
    assert orderform.split_items(
        ["Wajan 24 x2", "2 pcs spatula", "PAN-24 (2)", "magnet 3 pcs, spatula x1"]
    ) == [
        ("Wajan 24", 2, True),
        ("spatula", 2, True),
        ("PAN-24", 2, True),
        ("magnet", 3, True),
        ("spatula", 1, True),
    ]
    # A quantity alone goes with the item before it; no quantity is one.
    assert orderform.split_items(["Magnet kulkas", "3 pcs", "Spatula"]) == [
        ("Magnet kulkas", 3, True),
        ("Spatula", 1, False),
    ]


def test_name_alone_finds_the_customer_and_fills_the_address_they_lack(ledger):
    text = "Nama: Bu Siti Rahmawati\nAlamat: Jl. Pinus 4, Bogor\nPesanan: Wajan 24cm x 2\n"
    plan = understood(ledger, text)
    assert plan.customer is not None and plan.customer.key == "siti"
    assert plan.fill == {"address": "Jl. Pinus 4, Bogor"}
    assert [(line.product.sku, line.qty) for line in plan.lines] == [("PAN-24", 2)]


def test_kabupaten_line_of_an_address_is_kept(ledger):
    text = """\
Nama: Rani
No HP: 0812 6161 7171
Alamat:
Jl. Flamboyan 8 RT 03/RW 01
Kel. Sukamaju, Kec. Cibeunying
Kab. Bandung
Jawa Barat 40191
Pesanan: Spatula silikon x1
"""
    plan = understood(ledger, text)
    assert plan.address is not None
    # Kabupaten Bandung and Kota Bandung are different places for the courier.
    assert "Kab. Bandung" in plan.address, plan.address


def test_kabupaten_field_keeps_its_word(ledger):
    text = """\
Nama: Rani
No HP: 0812 6161 7171
Alamat: Jl. Flamboyan 8
Kabupaten: Bandung
Pesanan: Spatula silikon x1
"""
    address = understood(ledger, text).address or ""
    assert "Kab. Bandung" in address or "Kabupaten Bandung" in address, address


def test_place_name_starting_with_kota_is_kept(ledger):
    text = """\
Nama: Bu Siti Rahmawati
Alamat:
Kota Baru Parahyangan Blok A 12
Padalarang
Pesanan: Wajan 24 x1
"""
    plan = understood(ledger, text)
    assert plan.address == "Kota Baru Parahyangan Blok A 12, Padalarang"


# ----- the command line ---------------------------------------------------------------------

FORM = """\
Halo kak 🙏
Nama: Dewi Lestari
No HP: 0857-1234-5678
Alamat: Jl. Kenanga No. 5
Sleman
Pesanan: Wajan 24 x2, spatula x1
Ekspedisi: JNE REG
Ongkir: 18rb
Catatan: bungkus rapi
"""


def bookings_json(shop) -> list[dict]:
    return json.loads(shop("bookings --json", ok=True).stdout)


def customer_json(shop, key: str) -> dict:
    return json.loads(shop(f"customer show {key} --json", ok=True).stdout)


def customer_keys(shop) -> list[str]:
    return [c["key"] for c in json.loads(shop("customer list --json", ok=True).stdout)]


def form_file(tmp_path, text: str, name: str = "form.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def with_stdin(shop, args: list[str], text: str):
    result = shop.runner.invoke(app, args, input=text, catch_exceptions=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def shop3(stocked):
    """`stocked` (PAN-24 x3, SPAT-1 x10, mike, siti) with an address for Mike and a magnet."""
    stocked('customer edit mike --address "Jl. Lama No. 1, Medan"', ok=True)
    stocked('product add MAG-1 "Magnet kulkas" --price 15rb --stock 20', ok=True)
    return stocked


def test_preview_shows_what_it_understood_and_changes_nothing(shop3, tmp_path):
    before = shop3.ledger_bytes()
    result = shop3(["order", form_file(tmp_path, FORM)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "From the form:" in out
    assert "Dewi Lestari (dewi) · new customer" in out
    assert "phone     0857-1234-5678" in out
    assert "Jl. Kenanga No. 5, Sleman" in out
    assert "2x PAN-24 Wajan 24 cm @ Rp150.000 = Rp300.000" in out
    assert "1x SPAT-1 Spatula silikon @ Rp35.000 = Rp35.000" in out
    assert "JNE REG" in out and "Rp18.000" in out
    assert "Rp353.000" in out
    assert "bungkus rapi" in out
    assert "Not understood:" in out and "'Halo kak'" in out
    assert "add --book" in result.stderr
    assert shop3.ledger_bytes() == before
    assert bookings_json(shop3) == []


def test_book_makes_customer_and_booking_in_one_undoable_change(shop3, tmp_path):
    keys_before = customer_keys(shop3)
    result = shop3(["order", form_file(tmp_path, FORM), "--book"])
    assert result.exit_code == 0, result.stderr
    assert "New customer: Dewi Lestari (dewi)." in result.stderr
    assert "Booked B1 for Dewi Lestari: 2x PAN-24, 1x SPAT-1, Rp353.000" in result.stderr
    # the confirm reply to the buyer, with a link to their chat
    assert "https://wa.me/6285712345678?text=" in result.stdout
    assert "Rp353.000" in result.stdout
    (booking,) = bookings_json(shop3)
    assert booking["customer"] == "dewi"
    assert [(line["sku"], line["qty"]) for line in booking["lines"]] == [
        ("PAN-24", 2),
        ("SPAT-1", 1),
    ]
    assert (booking["courier"], booking["service"], booking["ongkir"]) == ("JNE", "REG", 18_000)
    assert booking["total"] == 353_000
    assert booking["note"] == "bungkus rapi"
    dewi = customer_json(shop3, "dewi")
    assert dewi["phone"] == "+6285712345678"
    assert dewi["address"] == "Jl. Kenanga No. 5, Sleman"

    undone = shop3("undo", ok=True)
    assert "order" in undone.stderr
    assert bookings_json(shop3) == []
    assert customer_keys(shop3) == keys_before


EXISTING = """\
Nama: Mike Tan
No. HP/WA: +62 812-3456-7890
Alamat: Jl. Baru No. 9, Binjai
Pesanan: Wajan 24 x1
Ekspedisi: J&T
"""


def test_book_for_a_known_phone_keeps_the_ledgers_address(shop3, tmp_path):
    keys_before = customer_keys(shop3)
    preview = shop3(["order", form_file(tmp_path, EXISTING)], ok=True)
    assert "Mike Tan (mike)" in preview.stdout and "in the ledger" in preview.stdout
    assert "Differs from the ledger" in preview.stdout
    assert "Jl. Baru No. 9, Binjai" in preview.stdout
    result = shop3(["order", form_file(tmp_path, EXISTING), "--book"], ok=True)
    assert "New customer" not in result.stderr
    (booking,) = bookings_json(shop3)
    assert booking["customer"] == "mike" and booking["courier"] == "J&T"
    assert customer_json(shop3, "mike")["address"] == "Jl. Lama No. 1, Medan"
    assert customer_keys(shop3) == keys_before


def test_book_with_update_customer_takes_the_forms_address(shop3, tmp_path):
    shop3(["order", form_file(tmp_path, EXISTING), "--book", "--update-customer"], ok=True)
    assert customer_json(shop3, "mike")["address"] == "Jl. Baru No. 9, Binjai"
    (booking,) = bookings_json(shop3)
    assert booking["customer"] == "mike"
    shop3("undo", ok=True)
    assert customer_json(shop3, "mike")["address"] == "Jl. Lama No. 1, Medan"
    assert bookings_json(shop3) == []


@pytest.mark.parametrize(
    "text, extra, message",
    [
        (
            "Nama: Putri\nNo HP: 0812 9090 8080\nPesanan: Wajan 24 x1, Panci presto x1\n",
            [],
            "No product matches 'Panci presto'",
        ),
        (
            "Nama: Putri\nNo HP: 0812 9090 8080\nPesanan: Wajan 24 x4\nKurir: JNE\n",
            [],
            "Only 3 of PAN-24 (Wajan 24 cm) available; asked for 4.",
        ),
        ("Nama: Putri\nNo HP: 0812 9090 8080\nCatatan: cepat ya\n", [], "The form has no items."),
        (
            "Nama: Putri\nNo HP: nanti saya kabari\nPesanan: spatula\n",
            [],
            "'nanti saya kabari', is not a phone number",
        ),
        (
            "Nama: Putri\nNo HP: 0812 9090 8080\nPesanan: spatula x1\n",
            ["--ongkir", "18rb"],
            "Ongkir needs its courier.",
        ),
    ],
    ids=["unknown-item", "stock-short", "no-items", "bad-phone", "ongkir-without-courier"],
)
@pytest.mark.parametrize("book", [False, True], ids=["preview", "book"])
def test_refusals_leave_the_ledger_byte_identical(shop3, tmp_path, text, extra, message, book):
    before = shop3.ledger_bytes()
    args = ["order", form_file(tmp_path, text), *extra] + (["--book"] if book else [])
    result = shop3(args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert message in result.stderr
    assert "Booked" not in result.stderr
    assert shop3.ledger_bytes() == before


def test_file_refusals(shop3, tmp_path):
    before = shop3.ledger_bytes()
    missing = shop3(["order", str(tmp_path / "nope.txt"), "--book"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: ") and "nope.txt" in missing.stderr
    empty = shop3(["order", form_file(tmp_path, "  \n\n"), "--book"])
    assert empty.exit_code == 1 and "Error: The form is empty." in empty.stderr
    nothing = shop3(["order", "--book"])
    assert nothing.exit_code == 1 and "Error: No form given." in nothing.stderr
    both = shop3(["order", form_file(tmp_path, FORM), "--paste", "--book"])
    assert both.exit_code == 2
    assert "give a FILE or --paste, not both" in both.stderr
    assert shop3.ledger_bytes() == before
    assert bookings_json(shop3) == []


def test_skip_unmatched_books_without_the_unknown_item(shop3, tmp_path):
    text = "Nama: Putri Ayu\nNo HP: 0812 9090 8080\nPesanan: Wajan 24 x1, Panci presto x1\n"
    result = shop3(["order", form_file(tmp_path, text), "--book", "--skip-unmatched"])
    assert result.exit_code == 0, result.stderr
    assert "Panci presto" in result.stdout  # shown as left out
    (booking,) = bookings_json(shop3)
    assert [(line["sku"], line["qty"]) for line in booking["lines"]] == [("PAN-24", 1)]
    assert booking["total"] == 150_000


def test_ongkir_with_courier_option_is_booked(shop3, tmp_path):
    text = "Nama: Putri\nNo HP: 0812 9090 8080\nPesanan: spatula x1\n"
    shop3(
        ["order", form_file(tmp_path, text), "--book", "--ongkir", "18rb", "--courier", "jnt"],
        ok=True,
    )
    (booking,) = bookings_json(shop3)
    assert (booking["courier"], booking["ongkir"], booking["total"]) == ("J&T", 18_000, 53_000)


def test_form_from_standard_input(shop3):
    text = "Nama: Laras Ati\nWA: 0813 7777 1212\nPesanan: MAG-1 (4)\nKurir: SiCepat\n"
    before = shop3.ledger_bytes()
    preview = with_stdin(shop3, ["order", "-"], text)
    assert preview.exit_code == 0, preview.stderr
    assert "4x MAG-1 Magnet kulkas" in preview.stdout and "Rp60.000" in preview.stdout
    assert shop3.ledger_bytes() == before
    booked = with_stdin(shop3, ["order", "-", "--book"], text)
    assert booked.exit_code == 0, booked.stderr
    (booking,) = bookings_json(shop3)
    assert booking["customer_name"] == "Laras Ati"
    assert [(line["sku"], line["qty"]) for line in booking["lines"]] == [("MAG-1", 4)]
    assert booking["courier"] == "SiCepat" and booking["total"] == 60_000


def test_subprocess_pipes_a_form_and_books_it(tmp_path, olshop_cmd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OLSHOP_") or k in KEEP_ENV}
    env.update(
        OLSHOP_HOME=str(tmp_path / "shop"),
        OLSHOP_NOW="2026-11-23T08:00:00+07:00",
        OLSHOP_UI_LANG="en",
        NO_COLOR="1",
    )

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [olshop_cmd, *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        return proc

    run("product", "add", "PAN-24", "Wajan 24 cm", "--price", "150rb", "--stock", "3")
    run("product", "add", "SPAT-1", "Spatula silikon", "--price", "35rb", "--stock", "10")
    booked = run("order", "-", "--book", stdin=FORM)
    assert "Booked B1 for Dewi Lestari" in booked.stderr
    assert "wa.me/6285712345678" in booked.stdout
    (booking,) = json.loads(run("bookings", "--json").stdout)
    assert [(line["sku"], line["qty"]) for line in booking["lines"]] == [
        ("PAN-24", 2),
        ("SPAT-1", 1),
    ]
    assert booking["total"] == 353_000 and booking["courier"] == "JNE"
    customer = json.loads(run("customer", "show", "dewi", "--json").stdout)
    assert customer["address"] == "Jl. Kenanga No. 5, Sleman"


@pytest.mark.skipif(os.name == "nt", reason="a pseudo-terminal is a POSIX thing")
@pytest.mark.parametrize("answer, booked", [("y", 1), ("n", 0)])
def test_at_a_terminal_it_asks_before_booking(tmp_path, olshop_cmd, answer, booked):
    """At a terminal (no --book) the seller is asked; yes books it, no leaves it."""
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if not k.startswith("OLSHOP_") or k in KEEP_ENV}
    env.update(
        OLSHOP_HOME=str(tmp_path / "shop"),
        OLSHOP_NOW="2026-11-23T08:00:00+07:00",
        OLSHOP_UI_LANG="en",
        NO_COLOR="1",
    )
    for args in (
        ["product", "add", "PAN-24", "Wajan 24 cm", "--price", "150rb", "--stock", "3"],
        ["product", "add", "SPAT-1", "Spatula silikon", "--price", "35rb", "--stock", "10"],
    ):
        subprocess.run([olshop_cmd, *args], env=env, capture_output=True, check=True, timeout=60)
    form = tmp_path / "form.txt"
    form.write_text(FORM, encoding="utf-8")
    main, side = pty.openpty()
    proc = subprocess.Popen(
        [olshop_cmd, "order", str(form)], stdin=side, stdout=side, stderr=side, env=env
    )
    os.close(side)
    seen = b""
    asked = False
    while True:
        ready, _w, _x = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        seen += chunk
        if not asked and b"Book it?" in seen:
            os.write(main, answer.encode() + b"\n")
            asked = True
    assert proc.wait(timeout=60) == 0, seen
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert asked and "From the form:" in text, text
    listed = subprocess.run(
        [olshop_cmd, "bookings", "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    assert len(json.loads(listed.stdout)) == booked
    if booked:
        assert "Booked B1 for Dewi Lestari" in text and "wa.me/6285712345678" in text
    else:
        assert "Nothing is booked yet" in text


def test_a_file_that_is_not_text_is_refused_with_what_to_give(shop3, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    before = shop3.ledger_bytes()
    result = shop3(["order", str(path), "--book"])
    assert result.exit_code == 1
    assert "is not a text file" in result.stderr
    assert "plain text file (UTF-8), or use --paste" in result.stderr
    assert shop3.ledger_bytes() == before


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the clipboard tool")
def test_paste_reads_the_clipboard_through_the_systems_tool(shop3, tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "xclip"
    saved = tmp_path / "clipboard.txt"
    saved.write_text(FORM, encoding="utf-8")
    fake.write_text(f"#!/bin/sh\nexec {shutil.which('cat')} '{saved}'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = shop3("order --paste")
    assert result.exit_code == 0, result.stderr
    assert "Dewi Lestari (dewi)" in result.stdout
    assert "2x PAN-24 Wajan 24 cm @ Rp150.000 = Rp300.000" in result.stdout


def test_paste_without_a_clipboard_tool_says_what_to_do(shop3, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no clipboard program anywhere
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr("os.name", "posix")
    before = shop3.ledger_bytes()
    result = shop3("order --paste --book")
    assert result.exit_code == 1
    assert "Cannot read the clipboard: no clipboard here" in result.stderr
    assert "olshop order -" in result.stderr
    assert shop3.ledger_bytes() == before


def test_a_typo_in_an_item_is_pointed_out_never_booked(ledger):
    plan = understood(ledger, "Nama: Yuli\nNo HP: 0857 1234 4321\nPesanan: sptula x2\n")
    assert plan.lines == []
    (problem,) = plan.problems
    assert problem.hint == "Did you mean SPAT-1 (Spatula silikon)?"


def test_an_order_like_an_open_booking_is_said_before_booking(shop3, tmp_path):
    form = "Nama: Mike Tan\nNo HP: 0812-3456-7890\nPesanan: spatula x1\nKurir: JNE\n"
    shop3("book mike SPAT-1", ok=True)
    result = shop3(["order", form_file(tmp_path, form)])
    assert result.exit_code == 0
    assert "Mike Tan already has B1 open with SPAT-1: is this the same order?" in result.stderr


def test_update_customer_shows_the_address_that_will_be_kept(shop3, tmp_path):
    form = "Nama: Mike Tan\nNo HP: 0812-3456-7890\nAlamat: Jl. Baru 2, Medan\nPesanan: spatula\n"
    path = form_file(tmp_path, form)
    kept = shop3(["order", path]).stdout
    assert "address   Jl. Lama No. 1, Medan" in kept and "the ledger's is kept" in kept
    taken = shop3(["order", path, "--update-customer"]).stdout
    assert "address    Jl. Baru 2, Medan" in taken and "to change  address" in taken
    assert "the form's is taken" in taken


def test_a_cod_order_gets_no_transfer_message(shop3, tmp_path):
    form = "Nama: Lia\nNo HP: 0813-5555-6666\nPesanan: spatula x1\nEkspedisi: COD\n"
    result = shop3(["order", form_file(tmp_path, form), "--book"])
    assert result.exit_code == 0, result.stderr
    assert "transfer" not in result.stdout.lower() and "wa.me" not in result.stdout
    assert "B1 is paid on delivery (COD), so there is no transfer message" in result.stderr
    (booking,) = bookings_json(shop3)
    assert booking["note"] == "COD"


def test_show_names_the_courier_chosen_on_the_form_before_any_ongkir(shop3, tmp_path):
    form = "Nama: Lia\nNo HP: 0813-5555-6666\nPesanan: spatula x1\nEkspedisi: JNE REG\n"
    shop3(["order", form_file(tmp_path, form), "--book"], ok=True)
    shown = shop3("show B1", ok=True).stdout
    assert "\n  courier    JNE REG\n" in shown, shown
    assert "ongkir" not in shown
