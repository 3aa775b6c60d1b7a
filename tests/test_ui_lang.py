"""The seller's interface language (issue 15): the main commands run with the shop's
`ui-lang` set to id and to en, and the exact lines the seller reads are checked in both.

The shop is set up in English (conftest's OLSHOP_UI_LANG=en); each test then sets the
shop's `ui-lang` and removes OLSHOP_UI_LANG, so the setting is what chooses the language
(`OLSHOP_UI_LANG` is tested as the one-command override). Every command runs as in a fresh
process: the interface language is asked again, not remembered from the last command.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import olshop_cli
from olshop_cli import i18n

SRC = str(Path(olshop_cli.__file__).parents[1])
NOON = "2026-11-23T12:00:00+07:00"
LANGS = ("id", "en")


@pytest.fixture(autouse=True)
def fresh_language(monkeypatch):
    """Wide lines, and the interface language forgotten before and after each test (the
    next test, in this process, asks again)."""
    monkeypatch.setenv("COLUMNS", "120")
    i18n.set_source(None)
    yield
    i18n.set_source(None)


class Seller:
    """`olshop` as the seller runs it: each command as in a new process."""

    def __init__(self, shop):
        self.shop = shop

    def __call__(self, command, ok: bool | None = None):
        i18n.set_source(None)  # a new process: no language remembered, no shop read yet
        return self.shop(command, ok=ok)

    def lines(self, command) -> tuple[list[str], list[str]]:
        result = self(command, ok=True)
        return result.stdout.splitlines(), result.stderr.splitlines()

    def refused(self, command, code: int = 1):
        """A refusal: the exit code, nothing on stdout, the ledger untouched; stderr's lines."""
        before = self.shop.ledger_bytes()
        result = self(command)
        assert result.exit_code == code, (command, result.stdout, result.stderr)
        assert result.stdout == ""
        assert self.shop.ledger_bytes() == before, f"{command!r} changed the ledger"
        return result.stderr.splitlines()

    def speaks(self, lang: str) -> None:
        """The shop's `ui-lang` set to `lang`; no OLSHOP_UI_LANG from here on."""
        self.shop.monkeypatch.setenv("OLSHOP_UI_LANG", "en")
        self(f"config set ui-lang {lang}", ok=True)
        self.shop.monkeypatch.delenv("OLSHOP_UI_LANG")


@pytest.fixture
def seller(shop) -> Seller:
    """An empty shop, nothing set: the language is the default one."""
    shop.monkeypatch.delenv("OLSHOP_UI_LANG")
    return Seller(shop)


@pytest.fixture
def busy(shop) -> Seller:
    """Monday noon: B1 (Mike, 2x PAN-24) 2h past its deadline, B2 (Siti, SPAT-1) due
    tomorrow, B3 (Siti, the last TOPLES-1) paid, B4 (Mike, SPAT-1) shipped."""
    for command in [
        'product add PAN-24 "Wajan 24 cm" --price 150rb --stock 3',
        'product add SPAT-1 "Spatula silikon" --price 35.000 --stock 10',
        'product add TOPLES-1 "Toples kaca" --price 20rb --stock 1',
        'customer add "Mike Tan" --nick Mike --phone 0812-3456-7890 --channel wa',
        'customer add "Siti Rahmawati" --call Bu --phone "+62 813 1111 2222"',
        "book mike PAN-24:2 --deadline 10:00",
        "book siti SPAT-1 --deadline 'besok 17:00'",
        "book siti TOPLES-1 --deadline 'besok 17:00'",
        "pay B3",
        "book mike SPAT-1 --deadline 'besok 17:00'",
        "pay B4",
        "ship B4 --courier jne --tracking JNE1",
    ]:
        shop(command, ok=True)
    shop.set_now(NOON)
    return Seller(shop)


def in_lang(lang: str, id_text, en_text):
    return id_text if lang == "id" else en_text


# ----- today: the digest -------------------------------------------------------------------

DIGEST = {
    "id": [
        "Toko Saya · Senin 23 Nov 2026 12:00",
        "1 lewat tenggat · 0 tenggat dalam 24 jam · 1 perlu dikirim · 1 dalam pengiriman · 1 habis",
        "",
        "Lewat tenggat: belum bayar (langkah berikutnya per pesanan)",
        "ID  Pembeli   Barang         Total  Status   Tenggat       Jatuh tempo  Berikutnya",
        "B1  Mike Tan  2x PAN-24  Rp300.000  dipesan  23 Nov 10:00  telat 2 jam  "
        "pengingat 1: olshop remind B1",
        "",
        "Lunas: packing dan kirim",
        "ID  Pembeli         Barang          Total  Status  Berikutnya",
        "B3  Siti Rahmawati  1x TOPLES-1  Rp20.000  lunas   kirim: olshop ship B3",
        "",
        "Dikirim: tandai selesai saat paket sampai",
        "ID  Pembeli   Barang        Total  Status   Berikutnya",
        "B4  Mike Tan  1x SPAT-1  Rp35.000  dikirim  saat sampai: olshop done B4",
        "",
        "Habis tapi masih tayang",
        "SKU       Nama         Stok  Dipesan  Stok masuk  Langkah",
        "TOPLES-1  Toples kaca     1        1              "
        "turunkan: olshop product edit TOPLES-1 --unlisted",
    ],
    "en": [
        "Your shop · Monday 23 Nov 2026 12:00",
        "1 overdue · 0 due within 24h · 1 to ship · 1 in transit · 1 sold out",
        "",
        "Overdue: unpaid past the deadline (next step for each)",
        "ID  Customer  Items          Total  Status  Deadline      Due      Next",
        "B1  Mike Tan  2x PAN-24  Rp300.000  booked  23 Nov 10:00  2h late  "
        "reminder 1: olshop remind B1",
        "",
        "Paid: pack and ship",
        "ID  Customer        Items           Total  Status  Next",
        "B3  Siti Rahmawati  1x TOPLES-1  Rp20.000  paid    ship: olshop ship B3",
        "",
        "Shipped: mark done when it arrives",
        "ID  Customer  Items         Total  Status   Next",
        "B4  Mike Tan  1x SPAT-1  Rp35.000  shipped  on arrival: olshop done B4",
        "",
        "Sold out but still listed",
        "SKU       Name         On hand  Reserved  Restock  Do",
        "TOPLES-1  Toples kaca        1         1           "
        "take it down: olshop product edit TOPLES-1 --unlisted",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_today_digest_headings_and_lines(busy, lang):
    busy.speaks(lang)

    out, err = busy.lines("today")

    assert out == DIGEST[lang]
    assert err == []


@pytest.mark.parametrize("lang", LANGS)
def test_today_with_nothing_to_do(seller, lang):
    seller.speaks(lang)

    out, _err = seller.lines("today")

    assert out[1:] == in_lang(
        lang,
        [
            "0 lewat tenggat · 0 tenggat dalam 24 jam · 0 perlu dikirim · 0 dalam pengiriman"
            " · 0 habis",
            "",
            "Belum ada yang perlu diurus sekarang.",
        ],
        [
            "0 overdue · 0 due within 24h · 0 to ship · 0 in transit · 0 sold out",
            "",
            "Nothing needs you right now.",
        ],
    )


# ----- the booking's life: book, pay (part, full, too much), ship, done, cancel -------------


@pytest.mark.parametrize("lang", LANGS)
def test_book(busy, lang):
    busy.speaks(lang)

    out, err = busy.lines("book siti PAN-24 --deadline 'besok 17:00'")

    assert out == ["B5"]
    assert err == [
        in_lang(
            lang,
            "Pesanan B5 untuk Siti Rahmawati dicatat: 1x PAN-24, Rp150.000; "
            "bayar paling lambat 2026-11-24 17:00.",
            "Booked B5 for Siti Rahmawati: 1x PAN-24, Rp150.000; pay by 2026-11-24 17:00.",
        )
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_book_warns_when_the_buyer_already_has_the_item_open(busy, lang):
    busy.speaks(lang)

    out, err = busy.lines("book siti SPAT-1:2 --deadline 'besok 17:00'")

    assert out == ["B5"]
    assert err[0] == in_lang(
        lang,
        "Perhatian: Siti Rahmawati masih punya pesanan B2 berisi SPAT-1; B5 memesannya lagi. "
        "Kalau keliru: olshop cancel B5",
        "Warning: Siti Rahmawati already has B2 open with SPAT-1; B5 books it again. "
        "If that was a mistake: olshop cancel B5",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_bookings_by_the_status_word_the_seller_reads(busy, lang):
    busy.speaks(lang)

    out, _err = busy.lines("bookings --status " + in_lang(lang, "lunas", "paid"))

    assert [line.split()[0] for line in out] == ["ID", "B3"]
    assert out[1].split()[-5:] == in_lang(
        lang, ["lunas", "kirim:", "olshop", "ship", "B3"], ["paid", "ship:", "olshop", "ship", "B3"]
    )


@pytest.mark.parametrize("lang", LANGS)
def test_pay_part_then_the_rest(busy, lang):
    busy.speaks(lang)

    part = busy.lines("pay B2 --amount 10rb")
    rest = busy.lines("pay B2")

    assert part == ([], [in_lang(lang,
        "B2: diterima Rp10.000, sisa Rp25.000 belum dibayar (tetap dipesan).",
        "B2: received Rp10.000, Rp25.000 still to pay (stays booked).")])  # fmt: skip
    assert rest == ([], [in_lang(lang,
        "B2 lunas (Rp35.000). Berikutnya: olshop ship B2 --courier JNE --tracking ...",
        "B2 paid (Rp35.000). Next: olshop ship B2 --courier JNE --tracking ...")])  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_pay_too_much_warns_first(busy, lang):
    busy.speaks(lang)

    _out, err = busy.lines("pay B1 --amount 400rb")

    assert err == in_lang(
        lang,
        [
            "Perhatian: B1 menerima Rp100.000 lebih dari totalnya: itu hak pembeli. "
            "Kembalikan: olshop refund B1 (atau jadikan saldo pembeli: olshop refund B1 --credit).",
            "B1 lunas (Rp400.000). Berikutnya: olshop ship B1 --courier JNE --tracking ...",
        ],
        [
            "Warning: B1 received Rp100.000 more than its total: that is owed back to the "
            "buyer. Pay it back: olshop refund B1 (or keep it as their credit: "
            "olshop refund B1 --credit).",
            "B1 paid (Rp400.000). Next: olshop ship B1 --courier JNE --tracking ...",
        ],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_ship(busy, lang):
    busy.speaks(lang)

    out, err = busy.lines("ship B3 --courier jne --tracking JNE123")

    assert out == []
    assert err == in_lang(
        lang,
        [
            "B3 dikirim lewat JNE JNE123. Setelah paket sampai: olshop done B3",
            "Kabari pembeli: olshop reply shipped --booking B3",
        ],
        [
            "B3 shipped with JNE JNE123. When it arrives: olshop done B3",
            "Tell the buyer: olshop reply shipped --booking B3",
        ],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_done(busy, lang):
    busy.speaks(lang)

    assert busy.lines("done B4") == ([], [in_lang(lang,
        "B4 selesai: paket sudah diterima Mike Tan.",
        "B4 done: Mike Tan has the parcel.")])  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_cancel(busy, lang):
    busy.speaks(lang)

    assert busy.lines("cancel B2") == ([], [in_lang(lang,
        "B2 dibatalkan; 1x SPAT-1 kembali ke stok.",
        "B2 cancelled; 1x SPAT-1 back in stock.")])  # fmt: skip


# ----- the listings --------------------------------------------------------------------------

BOOKINGS = {
    "id": [
        "ID  Pembeli         Barang           Total  Status   Tenggat       Jatuh tempo        "
        "Berikutnya",
        "B1  Mike Tan        2x PAN-24    Rp300.000  dipesan  23 Nov 10:00  telat 2 jam        "
        "pengingat 1: olshop remind B1",
        "B2  Siti Rahmawati  1x SPAT-1     Rp35.000  dipesan  24 Nov 17:00  1 hari 5 jam lagi  "
        "tunggu pembayaran",
        "B3  Siti Rahmawati  1x TOPLES-1   Rp20.000  lunas                                     "
        "kirim: olshop ship B3",
        "B4  Mike Tan        1x SPAT-1     Rp35.000  dikirim                                   "
        "saat sampai: olshop done B4",
    ],
    "en": [
        "ID  Customer        Items            Total  Status   Deadline      Due       Next",
        "B1  Mike Tan        2x PAN-24    Rp300.000  booked   23 Nov 10:00  2h late   "
        "reminder 1: olshop remind B1",
        "B2  Siti Rahmawati  1x SPAT-1     Rp35.000  booked   24 Nov 17:00  in 1d 5h  "
        "wait for payment",
        "B3  Siti Rahmawati  1x TOPLES-1   Rp20.000  paid                             "
        "ship: olshop ship B3",
        "B4  Mike Tan        1x SPAT-1     Rp35.000  shipped                          "
        "on arrival: olshop done B4",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_bookings_table(busy, lang):
    busy.speaks(lang)

    assert busy.lines("bookings") == (BOOKINGS[lang], [])


@pytest.mark.parametrize("lang", LANGS)
def test_bookings_overdue_only(busy, lang):
    busy.speaks(lang)

    out, _err = busy.lines("bookings --overdue")

    assert out == [DIGEST[lang][4], DIGEST[lang][5]]  # the digest's overdue table


@pytest.mark.parametrize("lang", LANGS)
def test_bookings_none_matching(busy, lang):
    busy.speaks(lang)

    assert busy.lines("bookings --status released") == (
        [],
        [in_lang(lang, "Tidak ada pesanan yang cocok.", "No bookings match.")],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_show_a_booking(busy, lang):
    busy.speaks(lang)

    out, _err = busy.lines("show B1")

    assert out == in_lang(
        lang,
        [
            "B1 · Mike Tan",
            "  pembeli     Mike Tan (mike)",
            "  barang      2x PAN-24 Wajan 24 cm @ Rp150.000",
            "  total       Rp300.000",
            "  status      dipesan",
            "  tenggat     2026-11-23 10:00 (telat 2 jam)",
            "  pengingat   0 terkirim",
            "  berikutnya  pengingat 1: olshop remind B1",
            "  riwayat:",
            "    2026-11-23 08:00  booked  pay by 2026-11-23 10:00",  # stored, as it was
        ],
        [
            "B1 · Mike Tan",
            "  customer   Mike Tan (mike)",
            "  items      2x PAN-24 Wajan 24 cm @ Rp150.000",
            "  total      Rp300.000",
            "  status     booked",
            "  deadline   2026-11-23 10:00 (2h late)",
            "  reminders  0 sent",
            "  next       reminder 1: olshop remind B1",
            "  history:",
            "    2026-11-23 08:00  booked  pay by 2026-11-23 10:00",
        ],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_product_list(busy, lang):
    busy.speaks(lang)

    out, _err = busy.lines("product list")

    assert out == in_lang(
        lang,
        [
            "SKU       Nama                 Harga  Stok  Dipesan  Tersedia         Stok masuk",
            "PAN-24    Wajan 24 cm      Rp150.000     3        2         1",
            "SPAT-1    Spatula silikon   Rp35.000     9        1         8",
            "TOPLES-1  Toples kaca       Rp20.000     1        1         0  HABIS",
        ],
        [
            "SKU       Name                 Price  On hand  Reserved  Available            Restock",
            "PAN-24    Wajan 24 cm      Rp150.000        3         2          1",
            "SPAT-1    Spatula silikon   Rp35.000        9         1          8",
            "TOPLES-1  Toples kaca       Rp20.000        1         1          0  SOLD OUT",
        ],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_product_add_and_stock(busy, lang):
    busy.speaks(lang)

    added = busy.lines('product add GELAS "Gelas kaca" --price 12rb --stock 6')
    stocked = busy.lines("product stock GELAS +4")

    assert added == (["GELAS"], [in_lang(lang,
        "GELAS Gelas kaca ditambahkan, harga Rp12.000, stok 6.",
        "Added GELAS Gelas kaca at Rp12.000, 6 on hand.")])  # fmt: skip
    assert stocked == (["10"], [in_lang(lang,
        "GELAS: stok 6 -> 10, 10 tersedia.",
        "GELAS: 6 -> 10 on hand, 10 available.")])  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_customer_list_and_add(busy, lang):
    busy.speaks(lang)

    added = busy.lines('customer add "Rudi Hartono" --phone 0812-0000-1111')
    out, _err = busy.lines("customer list")

    assert added == (["rudi"], [in_lang(lang,
        "Rudi Hartono ditambahkan dengan key 'rudi' (dipanggil Kak Rudi).",
        "Added Rudi Hartono as 'rudi' (you call them Kak Rudi).")])  # fmt: skip
    assert out == in_lang(
        lang,
        [
            "Key   Nama            Sapaan    HP              Via  Aktif",
            "mike  Mike Tan        Kak Mike  0812-3456-7890  wa       2",
            "rudi  Rudi Hartono    Kak Rudi  0812-0000-1111",
            "siti  Siti Rahmawati  Bu Siti   0813-1111-2222           2",
        ],
        [
            "Key   Name            Call      Phone           Channel  Open",
            "mike  Mike Tan        Kak Mike  0812-3456-7890  wa          2",
            "rudi  Rudi Hartono    Kak Rudi  0812-0000-1111",
            "siti  Siti Rahmawati  Bu Siti   0813-1111-2222              2",
        ],
    )


# ----- refusals: the message, the hint, the exit code, the ledger unchanged -----------------

REFUSALS = {
    "pay B9": (
        ["Gagal: Pesanan B9 tidak ada.", "  Lihat olshop bookings --all."],
        ["Error: There is no booking B9.", "  See olshop bookings --all."],
    ),
    "pay X1": (
        [
            "Gagal: 'X1' bukan ID pesanan, dan tidak ada pembeli yang cocok.",
            "  ID pesanan bentuknya seperti B12: lihat olshop bookings, atau olshop customer list.",
        ],
        [
            "Error: 'X1' is not a booking id, and no customer matches it.",
            "  Booking ids look like B12: see olshop bookings, or olshop customer list.",
        ],
    ),
    "ship B1 --courier JNE --tracking JNE1": (
        [
            "Gagal: B1 berstatus dipesan, jadi tidak bisa dikirim.",
            "  Catat pembayarannya dulu: olshop pay B1 (atau, kalau COD: "
            "olshop ship B1 --courier JNE --tracking ... --cod)",
        ],
        [
            "Error: B1 is booked, so it cannot be shipped.",
            "  Record the payment first: olshop pay B1 (or, cash on delivery: "
            "olshop ship B1 --courier JNE --tracking ... --cod)",
        ],
    ),
    "done B1": (
        [
            "Gagal: B1 berstatus dipesan, jadi tidak bisa ditandai selesai.",
            "  Kirim dulu: olshop ship B1 --courier JNE --tracking ...",
        ],
        [
            "Error: B1 is booked, so it cannot be marked done.",
            "  Ship it first: olshop ship B1 --courier JNE --tracking ...",
        ],
    ),
    "book mike PAN-24:5": (
        [
            "Gagal: PAN-24 (Wajan 24 cm) hanya tersedia 1; diminta 5.",
            "  Pesan 1 atau kurang, atau tambah stok: olshop product stock PAN-24 +N",
        ],
        [
            "Error: Only 1 of PAN-24 (Wajan 24 cm) available; asked for 5.",
            "  Book 1 or fewer, or add stock: olshop product stock PAN-24 +N",
        ],
    ),
    "book mike NOSKU": (
        ["Gagal: Tidak ada produk dengan SKU NOSKU.", "  Lihat olshop product list."],
        ["Error: No product with SKU NOSKU.", "  See olshop product list."],
    ),
    "book nobody PAN-24": (
        [
            "Gagal: Tidak ada pembeli yang cocok dengan 'nobody'.",
            '  Lihat olshop customer list, atau tambahkan: olshop customer add "nobody"',
        ],
        [
            "Error: No customer matches 'nobody'.",
            '  See olshop customer list, or add one: olshop customer add "nobody"',
        ],
    ),
    "bookings --status lunass": (
        [
            "Gagal: Status 'lunass' tidak dikenal.",
            "  Pakai salah satu: dipesan, lunas, dikirim, selesai, dibatalkan, dilepas.",
        ],
        [
            "Error: Unknown status 'lunass'.",
            "  Use one of: booked, paid, shipped, done, cancelled, released.",
        ],
    ),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command", list(REFUSALS))
def test_refusal_message_hint_and_exit_code(busy, lang, command):
    busy.speaks(lang)

    said = busy.refused(command)

    assert said == REFUSALS[command][LANGS.index(lang)]


# ----- click's usage errors and --help -------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_usage_error_missing_argument(busy, lang):
    busy.speaks(lang)

    said = busy.refused("book mike", code=2)

    assert said == in_lang(
        lang,
        [
            "Cara pakai: olshop book [OPTIONS] {customer} {items}...",
            "Ketik 'olshop book --help' untuk bantuan.",
            "",
            "Gagal: Argumen 'items' belum diisi.",
        ],
        [
            "Usage: olshop book [OPTIONS] {customer} {items}...",
            "Try 'olshop book --help' for help.",
            "",
            "Error: Missing argument 'items'.",
        ],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_usage_error_unknown_option(busy, lang):
    busy.speaks(lang)

    said = busy.refused("bookings --bogus", code=2)

    assert said[1:] == in_lang(
        lang,
        ["Ketik 'olshop bookings --help' untuk bantuan.", "", "Gagal: Opsi tidak dikenal: --bogus"],
        ["Try 'olshop bookings --help' for help.", "", "Error: No such option: --bogus"],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_usage_error_unknown_command_with_the_env(seller, lang):
    seller.shop.monkeypatch.setenv("OLSHOP_UI_LANG", lang)

    said = seller.refused("frobnicate", code=2)

    assert said == in_lang(
        lang,
        [
            "Cara pakai: olshop [OPTIONS] COMMAND [ARGS]...",
            "Ketik 'olshop --help' untuk bantuan.",
            "",
            "Gagal: Perintah 'frobnicate' tidak ada.",
        ],
        [
            "Usage: olshop [OPTIONS] COMMAND [ARGS]...",
            "Try 'olshop --help' for help.",
            "",
            "Error: No such command 'frobnicate'.",
        ],
    )


ROOT_HELP = {
    "id": [
        "Cara pakai: olshop [OPTIONS] COMMAND [ARGS]...",
        "",
        "  Pembukuan, balasan sopan dan ringkasan awal hari untuk penjual online",
        "  perorangan.",
    ],
    "en": [
        "Usage: olshop [OPTIONS] COMMAND [ARGS]...",
        "",
        "  The solo online seller's ledger, polite replies and start-of-day digest.",
    ],
}
ROOT_COMMANDS = {
    "id": [
        "  today      Awal hari: pesanan lewat tenggat (dengan langkah berikutnya),...",
        "  book       Catat pesanan untuk pembeli: stok langsung dipesan dan ID...",
        "  bookings   Daftar pesanan aktif (dipesan, lunas, dikirim); filter...",
        "  pay        Catat pembayaran, atau baca mutasi bank.",
        "  ship       Tandai pesanan lunas sudah dikirim, dengan kurir dan resi.",
        "  customer   Pembeli: nama, sapaan, nomor HP.",
        "  product    Barang jualan: harga, stok, produk terkait.",
    ],
    "en": [
        "  today      Start of the day: overdue bookings with the next step, due...",
        "  book       Book items for a customer: reserves the stock now and prints...",
        "  bookings   List open bookings (booked, paid, shipped); filters narrow it...",
        "  pay        Record a payment, or read a bank statement.",
        "  ship       Mark a paid booking shipped, with courier and tracking number.",
        "  customer   Your buyers: names, how to call them, phones.",
        "  product    What you sell: prices, stock on hand, related items.",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_olshop_help_with_the_env(seller, lang):
    seller.shop.monkeypatch.setenv("OLSHOP_UI_LANG", lang)

    out, _err = seller.lines("--help")

    assert out[: len(ROOT_HELP[lang])] == ROOT_HELP[lang]
    for line in ROOT_COMMANDS[lang]:
        assert line in out, (line, out)


BOOK_HELP = {
    "id": [
        "Cara pakai: olshop book [OPTIONS] {customer} {items}...",
        "",
        "  Catat pesanan untuk pembeli: stok langsung dipesan dan ID pesanan dicetak.",
        "",
        "  Total = barang - diskon + ongkir (+ kode unik bila toko memakainya: config",
        "  unique-code).",
        "",
        "  Contoh: olshop book mike PAN-24:2 SPAT-1 --deadline 'besok 17:00'",
    ],
    "en": [
        "Usage: olshop book [OPTIONS] {customer} {items}...",
        "",
        "  Book items for a customer: reserves the stock now and prints the booking id.",
        "",
        "  Total = items - discount + ongkir (+ kode unik when the shop uses them: config",
        "  unique-code).",
        "",
        "  Example: olshop book mike PAN-24:2 SPAT-1 --deadline 'besok 17:00'",
    ],
}
BOOK_OPTIONS = {
    "id": [
        "  customer  Key, nomor HP, atau awal nama.  [wajib]",
        "  -d, --deadline <str>  Tenggat bayar: 'besok 17:00', 'besok sore', 'senin",
        "                        depan', 'tgl 25 jam 17.00', +24h, 2d (bawaan: pengaturan",
        "                        tenggat toko).",
        "  --note <str>          Catatan untuk pesanan ini.",
        "  --ongkir <str>        Ongkir yang dibayar pembeli, mis. 18rb.",
    ],
    "en": [
        "  customer  Key, phone or the start of the name.  [required]",
        "  -d, --deadline <str>  Pay by: 'besok 17:00', 'besok sore', 'senin depan', 'tgl",
        "                        25 jam 17.00', +24h, 2d (default: the shop's deadline",
        "  --note <str>          A note on the booking.",
        "  --ongkir <str>        Shipping cost the buyer pays, e.g. 18rb.",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_book_help_with_the_env(seller, lang):
    seller.shop.monkeypatch.setenv("OLSHOP_UI_LANG", lang)

    out, _err = seller.lines("book --help")

    assert out[: len(BOOK_HELP[lang])] == BOOK_HELP[lang]
    for line in BOOK_OPTIONS[lang]:
        assert line in out, (line, out)


def test_help_headings_in_indonesian(seller):
    seller.shop.monkeypatch.setenv("OLSHOP_UI_LANG", "id")

    out, _err = seller.lines("book --help")

    assert "Opsi:" in out and "Argumen:" in out
    assert "  customer  Key, nomor HP, atau awal nama.  [wajib]" in out
    assert "  --help                Tampilkan pesan ini lalu keluar." in out


@pytest.mark.parametrize("command", ["--help", "book --help"])
def test_help_follows_the_shop_setting(busy, command):
    busy.speaks("en")

    out, _err = busy.lines(command)

    assert out[0].startswith("Usage: olshop")
    assert out[2] in (ROOT_HELP["en"][2], BOOK_HELP["en"][2])


# ----- choosing the language ----------------------------------------------------------------


def test_a_new_shop_speaks_indonesian(seller):
    out, err = seller.lines("today")
    assert err == [
        "Belum ada toko di sini: ketik olshop init untuk menyiapkannya "
        "(atau olshop demo untuk mencoba)."
    ]
    assert out[-1] == "Belum ada yang perlu diurus sekarang."

    added = seller.lines('customer add "Mike Tan" --phone 0812-3456-7890')

    assert added == (["mike"], ["Mike Tan ditambahkan dengan key 'mike' (dipanggil Kak Mike)."])
    assert seller("config get ui-lang", ok=True).stdout == "id\n"


def test_init_makes_a_shop_that_speaks_indonesian(seller):
    out, err = seller.lines('init --name "Toko Rina" --yes')

    assert out == []
    assert "1 pengaturan disimpan dalam satu perubahan (olshop undo membatalkannya)." in err


def test_the_env_overrides_the_shop_for_one_command(busy):
    busy.speaks("id")
    busy.shop.monkeypatch.setenv("OLSHOP_UI_LANG", "en")

    english = busy.lines("cancel B2")

    busy.shop.monkeypatch.delenv("OLSHOP_UI_LANG")
    indonesian = busy.lines("cancel B1")

    assert english == ([], ["B2 cancelled; 1x SPAT-1 back in stock."])
    assert indonesian == ([], ["B1 dibatalkan; 2x PAN-24 kembali ke stok."])
    assert busy("config get ui-lang", ok=True).stdout == "id\n"  # the setting kept


@pytest.mark.parametrize("typed", ["id", "ID", "id_ID.UTF-8", "id-ID", "indonesia", "in"])
def test_the_env_in_indonesian_over_a_shop_set_to_english(busy, typed):
    busy.speaks("en")
    busy.shop.monkeypatch.setenv("OLSHOP_UI_LANG", typed)

    assert busy.lines("done B4") == ([], ["B4 selesai: paket sudah diterima Mike Tan."])


@pytest.mark.parametrize("typed", ["", "fr", "jv"])
def test_an_env_olshop_cannot_speak_leaves_the_shop_setting(busy, typed):
    busy.speaks("en")
    busy.shop.monkeypatch.setenv("OLSHOP_UI_LANG", typed)

    assert busy.lines("done B4") == ([], ["B4 done: Mike Tan has the parcel."])


def test_the_buyers_language_is_its_own_setting(busy):
    busy.speaks("en")  # the seller reads English; the buyer still gets Indonesian (lang=id)

    result = busy("remind B1", ok=True)

    assert result.stdout.startswith("Halo Kak Mike, mau mengingatkan ya: pesanan B1")
    assert result.stderr == "Recorded reminder for B1 (check-in next).\n"


JSON_COMMANDS = ["today --json", "bookings --json", "product list --json", "customer list --json",
                 "show B1 --json", "config get --json"]  # fmt: skip


def test_json_is_the_same_in_both_languages(busy):
    said = {}
    for lang in LANGS:
        busy.speaks(lang)
        said[lang] = [busy(command, ok=True).stdout for command in JSON_COMMANDS]

    for command, in_id, in_en in zip(JSON_COMMANDS, said["id"], said["en"], strict=True):
        if command == "config get --json":  # the one difference: the setting itself
            assert json.loads(in_id)["ui-lang"] == "id" and json.loads(in_en)["ui-lang"] == "en"
            continue
        assert in_id == in_en, command
    today = json.loads(said["id"][0])
    assert today["overdue"][0]["status"] == "booked"
    assert today["overdue"][0]["next_step"] == "reminder"


# ----- a real process -----------------------------------------------------------------------


def test_a_real_process_speaks_indonesian_by_default(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OLSHOP_", "_OLSHOP"))}
    env.pop("LANG", None)
    env.update(OLSHOP_HOME=str(tmp_path / "shop"), OLSHOP_NOW=NOON, PYTHONPATH=SRC,
               COLUMNS="120")  # fmt: skip
    if "OLSHOP_I18N_MISSING" in os.environ:
        env["OLSHOP_I18N_MISSING"] = os.environ["OLSHOP_I18N_MISSING"]

    def olshop(*args: str, **more: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "olshop_cli", *args],
                              env=dict(env, **more), capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip

    today = olshop("today")
    added = olshop("product", "add", "PAN-24", "Wajan 24 cm", "--price", "150rb", "--stock", "3")
    english = olshop("product", "stock", "PAN-24", "+2", OLSHOP_UI_LANG="en")

    assert today.returncode == 0, today.stderr
    assert today.stdout.splitlines()[-1] == "Belum ada yang perlu diurus sekarang."
    assert added.stderr == "PAN-24 Wajan 24 cm ditambahkan, harga Rp150.000, stok 3.\n"
    assert english.stderr == "PAN-24: 3 -> 5 on hand, 5 available.\n"


# ----- the catalog itself -------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*(?:[!:][^{}]*)?\}")  # {name}, not JSON in a help text
# (A plural translation once given as one text kept only its first character: `{`.)


def broken_translations() -> dict[str, list[str]]:
    """Indonesian translations that do not fill the same {placeholders} as their message,
    or that `.format()` cannot fill."""
    from babel.messages.pofile import read_po

    po = i18n.LOCALE_DIR / "id" / "LC_MESSAGES" / "olshop.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    broken = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {m.group(0) for i in ids for m in PLACEHOLDER.finditer(i)}
        names = {p.strip("{}").split(":")[0].split("!")[0] for p in wanted}
        bad = []
        for text in texts:
            if set(PLACEHOLDER.findall(text)) != wanted:
                bad.append(text)
            elif wanted:
                try:
                    text.format(**dict.fromkeys(names, 1))
                except (ValueError, KeyError, IndexError):
                    bad.append(text)
        if bad:
            broken[ids[0]] = bad
    return broken


def test_every_translation_keeps_its_placeholders():
    assert broken_translations() == {}
