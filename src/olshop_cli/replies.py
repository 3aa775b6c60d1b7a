"""Messages for buyers: built-in templates, the seller's own, safe rendering, wa.me links.

A template is plain text with variables written ``$name`` or ``${name}`` (Python's
`string.Template`; ``$$`` is a dollar sign, ``${name}nya`` puts letters right after one).
Only the variables in `VARIABLES` exist: a template naming another is refused, naming it
and the known ones. Values are inserted literally by `string.Template.substitute`, never
interpreted, so a customer called ``${x}`` or ``{0.__class__}`` prints as exactly that.

The seller's own templates are text files ``NAME.LANG.txt`` in the ledger's templates
folder; one with a built-in's name overrides it. Nothing here imports typer or rich, and
"now" is always passed in.
"""

from __future__ import annotations

import difflib
import os
import re
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from olshop_cli.errors import Conflict, InputError, NotFound
from olshop_cli.i18n import N_, _, ngettext, ui_lang
from olshop_cli.models import (
    BOOKED,
    CANCELLED,
    DONE,
    PAID,
    RELEASED,
    SHIPPED,
    Booking,
    Customer,
    Product,
    parse_iso,
    status_word,
)

if TYPE_CHECKING:
    from olshop_cli.hours import Hours
    from olshop_cli.ledger import Ledger

LANGS = ("id", "en")
LANG_NAMES = {"id": N_("Indonesian"), "en": N_("English")}  # for the seller: _() where shown

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# A second reminder sooner than this after the previous one may feel like pressure.
PRESSURE_WINDOW = timedelta(hours=4)
# Honorifics that have no English: an English message keeps the name alone (Bu and Pak stay).
INDONESIAN_ONLY_CALLS = frozenset({"Kak", "Gan", "Sis", "Mas", "Mbak", "Teh"})
# Where an empty $to or $call leaves its commas: "Hi , just" -> "Hi, just", ", !" -> "!".
_EMPTY_ADDRESS = [
    (re.compile(r",? \x00(?=[!?.])"), ""),
    (re.compile(r", \x00,"), ","),
    (re.compile(r",? \x00(?= )"), ""),
    (re.compile(r" \x00,"), ","),
    (re.compile(r"\x00"), ""),
]

# ----- the built-in templates ----------------------------------------------------------------
# Written for this product, in the register of a friendly Indonesian seller. Emoticons come
# after a sentence; with the `emoji` setting off they are taken out (see strip_emoji).

BUILTINS: dict[str, dict[str, str]] = {
    "greet": {
        "id": "$greeting, $to! Terima kasih sudah mampir ke $shop 😊 Ada yang bisa kami bantu?",
        "en": "$greeting, $to! Thanks for stopping by $shop 😊 How can we help you today?",
    },
    "ask-name": {
        "id": (
            "$greeting! Terima kasih sudah menghubungi $shop 😊 Sebelumnya, boleh tahu dengan "
            "$call siapa? Biar kami tidak salah panggil 🙏"
        ),
        "en": (
            "$greeting! Thanks for contacting $shop 😊 Before we go on, may we know your name, "
            "$call? We'd like to address you properly 🙏"
        ),
    },
    "format-order": {
        "id": (
            "$greeting, $to! Terima kasih sudah mau order di $shop 😊 Biar pesanannya cepat kami "
            "proses, boleh diisi format order ini ya:\n"
            "\n"
            "Nama lengkap:\n"
            "No. HP/WA:\n"
            "Alamat lengkap (jalan, nomor rumah, RT/RW, kelurahan, kecamatan, kota, kode pos):\n"
            "Pesanan (nama barang x jumlah):\n"
            "Ekspedisi (JNE, J&T, SiCepat, atau ambil sendiri):\n"
            "Catatan:\n"
            "\n"
            "Setelah formatnya kami terima, kami kirim total pembayaran beserta ongkirnya ya 🙏"
        ),
        "en": (
            "$greeting, $to! Thanks for ordering from $shop 😊 So we can process it quickly, "
            "please fill in this order form:\n"
            "\n"
            "Full name:\n"
            "Phone/WhatsApp:\n"
            "Full address (street, house number, RT/RW, kelurahan, kecamatan, city, postcode):\n"
            "Order (item x quantity):\n"
            "Courier (JNE, J&T, SiCepat, or pick up yourself):\n"
            "Notes:\n"
            "\n"
            "Once we have it, we'll send you the total with the shipping cost 🙏"
        ),
    },
    "thanks": {
        "id": (
            "Terima kasih banyak, $to, sudah belanja di $shop! Semoga barangnya cocok dan "
            "bermanfaat ya. Ditunggu orderan berikutnya 🙏"
        ),
        "en": (
            "Thank you so much for shopping at $shop, $to! We hope you enjoy it. "
            "See you again soon 🙏"
        ),
    },
    "sorry": {
        "id": (
            "Mohon maaf sekali, $to, atas ketidaknyamanannya 🙏 Kami cek dulu ya, "
            "nanti segera kami kabari lagi."
        ),
        "en": (
            "We're so sorry for the trouble, $to 🙏 Let us look into it, and we'll get back "
            "to you shortly."
        ),
    },
    "stockout": {
        "id": "Mohon maaf, $to, stok $product lagi habis 🙏 $offer",
        "en": "Sorry, $to, $product is out of stock at the moment 🙏 $offer",
    },
    "upsell": {
        "id": (
            "Oh iya $to, biasanya yang ambil $product juga sekalian ambil $addons. "
            "Mau sekalian ditambahkan ke pesanannya? 😊"
        ),
        "en": (
            "By the way, $to, people who get $product often add $addons. "
            "Shall we add that to your order too? 😊"
        ),
    },
    "remind": {
        "id": (
            "Halo $to, mau mengingatkan ya: pesanan $booking ($items) $awaiting. Mohon "
            "transfernya $pay_when, supaya barangnya tetap kami simpan untuk $to. Terima "
            "kasih 🙏"
        ),
        "en": (
            "Hi $to, just a friendly reminder: your order $booking ($items) $awaiting. Please "
            "complete the transfer $pay_when so we can keep it for you. Thank you 🙏"
        ),
    },
    "checkin": {
        "id": (
            "Halo $to, apa kabar? Semoga sehat dan semuanya lancar ya 😊 Pesanan $booking "
            "($items) masih kami simpan $held_until. Kalau ada kendala soal pembayaran atau "
            "mau ubah pesanan, kabari kami saja, pasti kami bantu 🙏"
        ),
        "en": (
            "Hi $to, how are you? We hope all is well 😊 Your order $booking ($items) is still "
            "set aside for you $held_until. If something got in the way of the payment, or "
            "you'd like to change the order, just let us know and we'll help 🙏"
        ),
    },
    "release": {
        "id": (
            "Halo $to, karena sampai batas waktunya belum ada transfer yang masuk, pesanan "
            "$booking ($items) kami batalkan dan barangnya kami lepas untuk pembeli lain ya 🙏 "
            "Kalau nanti masih berminat, kabari saja, kami cek lagi stoknya untuk $to. "
            "Terima kasih."
        ),
        "en": (
            "Hi $to, as no transfer reached us by the deadline, we've cancelled order $booking "
            "($items) and released the item for other buyers 🙏 If you'd still like it later, "
            "just message us and we'll check the stock for you. Thank you."
        ),
    },
    "away": {
        "id": (
            "$greeting, $to! Terima kasih sudah menghubungi $shop 😊 Pesannya sudah kami "
            "terima dan akan kami balas $next_reply. Mohon ditunggu ya 🙏"
        ),
        "en": (
            "$greeting, $to! Thanks for contacting $shop 😊 We've got your message and will "
            "reply $next_reply. Thank you for your patience 🙏"
        ),
    },
    "confirm": {
        "id": (
            "Halo $to, terima kasih sudah order di $shop 😊 Berikut rincian pesanan $booking:\n"
            "$lines\n"
            "$costs\n"
            "\n"
            "Mohon transfer $due paling lambat $deadline ke $bank ya.$exact Setelah "
            "transfer, kirim bukti transfernya di sini supaya pesanan bisa langsung kami "
            "proses 🙏"
        ),
        "en": (
            "Hi $to, thank you for your order at $shop 😊 Here are the details of order "
            "$booking:\n"
            "$lines\n"
            "$costs\n"
            "\n"
            "Please transfer $due by $deadline to $bank.$exact Once done, send us the "
            "transfer receipt here so we can process your order right away 🙏"
        ),
    },
    "paid": {
        "id": (
            "Terima kasih, $to! Pembayaran $paid untuk pesanan $booking sudah kami terima 🙏 "
            "Pesanannya segera kami kemas dan kirim, nanti nomor resinya kami kabari ya."
        ),
        "en": (
            "Thank you, $to! We've received your payment of $paid for order $booking 🙏 "
            "We'll pack and ship it soon and send you the tracking number."
        ),
    },
    "dp": {
        "id": (
            "Terima kasih, $to! DP $paid untuk pesanan $booking sudah kami terima 🙏 "
            "Sisanya $due, mohon ditransfer $pay_when ya. Barangnya tetap kami simpan "
            "untuk $to 😊"
        ),
        "en": (
            "Thank you, $to! We've received your down payment of $paid for order $booking 🙏 "
            "Please transfer the remaining $due $pay_when; we're keeping the item for you 😊"
        ),
    },
    "restock": {
        "id": (
            "Kabar baik, $to! $product yang kemarin $to tanyakan sudah tersedia lagi 😊 "
            "Harganya $price. Mau kami siapkan?"
        ),
        "en": (
            "Good news, $to! The $product you asked about is back in stock 😊 It's $price. "
            "Shall we set one aside for you?"
        ),
    },
    "refund": {
        "id": (
            "Halo $to, dana $refunded untuk pesanan $booking ($items) sudah kami kembalikan ya 🙏 "
            "Mohon dicek, dan kabari kami kalau belum masuk. Terima kasih atas pengertiannya."
        ),
        "en": (
            "Hi $to, we've sent back $refunded for order $booking ($items) 🙏 Please check, "
            "and let us know if it hasn't arrived. Thank you for understanding."
        ),
    },
    "shipped": {
        "id": (
            "Halo $to, pesanan $booking sudah kami kirim lewat $courier dengan nomor resi "
            "$tracking 📦 Resinya bisa dicek di situs atau aplikasi $courier ya. Semoga cepat "
            "sampai, terima kasih sudah belanja di $shop 🙏"
        ),
        "en": (
            "Hi $to, your order $booking is on its way with $courier, tracking number "
            "$tracking 📦 You can follow it on the $courier website or app. We hope it arrives "
            "soon, and thank you for shopping at $shop 🙏"
        ),
    },
    # How else a parcel goes (shipped_template picks the one that is true for a booking):
    # with an instant courier's driver, cash on delivery, or collected by the buyer.
    "shipped-instant": {
        "id": (
            "Halo $to, pesanan $booking sudah dalam perjalanan bersama driver $courier 🛵 "
            "Mohon ditunggu ya, dan pastikan ada yang bisa menerima paketnya.$trip Terima "
            "kasih sudah belanja di $shop 🙏"
        ),
        "en": (
            "Hi $to, your order $booking is on its way with a $courier driver 🛵 Please make "
            "sure someone is there to receive it.$trip Thank you for shopping at $shop 🙏"
        ),
    },
    "shipped-cod": {
        "id": (
            "Halo $to, pesanan $booking sudah kami kirim lewat $courier dengan nomor resi "
            "$tracking 📦 Karena pembayarannya COD, mohon siapkan $cod untuk dibayarkan ke "
            "kurir saat paketnya sampai ya. Semoga cepat sampai, terima kasih sudah belanja "
            "di $shop 🙏"
        ),
        "en": (
            "Hi $to, your order $booking is on its way with $courier, tracking number "
            "$tracking 📦 As it's cash on delivery, please have $cod ready to pay the courier "
            "when it arrives. We hope it arrives soon, and thank you for shopping at $shop 🙏"
        ),
    },
    "pickup": {
        "id": (
            "Halo $to, pesanan $booking ($items) sudah siap diambil 😊 Kabari kami dulu kapan "
            "mau datang ya, biar bisa langsung kami serahkan. Terima kasih sudah belanja di "
            "$shop 🙏"
        ),
        "en": (
            "Hi $to, your order $booking ($items) is ready for pickup 😊 Just let us know when "
            "you're coming, so we can hand it to you right away. Thank you for shopping at "
            "$shop 🙏"
        ),
    },
}
# The message for each way a parcel leaves (see shipped_template).
SHIPPED_TEMPLATES = ("shipped", "shipped-instant", "shipped-cod", "pickup")

# Every variable a template may use, what it holds, and (for those that need one) the flag
# that gives it. Variables without a flag always have a value.
VARIABLES: dict[str, str] = {
    "to": N_(
        "the buyer as you address them: honorific and name (Kak Mike), or the honorific alone"
    ),
    "call": N_("the buyer's honorific (Kak, Bu, Pak...), else the shop's default"),
    "name": N_("the buyer's nickname, else their first name"),
    "full_name": N_("the buyer's full name"),
    "greeting": N_("Selamat pagi/siang/sore/malam (Good morning/afternoon/evening) by the clock"),
    "shop": N_("the shop's name (config shop-name)"),
    "bank": N_("where to transfer (config bank)"),
    "next_reply": N_("when you reply next, from your working hours (hari ini pukul 19.00)"),
    "product": N_("the product's name"),
    "sku": N_("the product's SKU"),
    "price": N_("the product's price (Rp150.000)"),
    "restock": N_("when new stock is expected (Sabtu, 28 November)"),
    "offer": N_(
        "in-stock alternatives with prices, else the restock date, else an offer to notify"
    ),
    "addons": N_("up to two in-stock related add-ons with prices"),
    "booking": N_("the booking id (B12)"),
    "items": N_("the booked items on one line (2x Wajan 24 cm)"),
    "lines": N_("the booked items, one per line with prices"),
    "total": N_("the booking's total (Rp295.000)"),
    "costs": N_("discount and ongkir (where there are), total, and paid so far and what is left"),
    "due": N_("what is still to pay (the total minus payments)"),
    "awaiting": N_(
        "'sebesar Rp70.000 masih menunggu pembayaran', or after a down payment 'masih "
        "menunggu sisa pembayaran Rp130.000 (DP Rp140.000 sudah kami terima)'"
    ),
    "exact": N_(
        "for a booking with a kode unik, a sentence asking for that exact amount "
        "(it includes the code); empty without one"
    ),
    "paid": N_("what has been paid"),
    "deadline": N_("the payment deadline in words (besok pukul 17.00)"),
    "pay_when": N_("'paling lambat <deadline>', or 'hari ini' once the deadline has passed"),
    "held_until": N_("'sampai <deadline>', or 'sampai hari ini' once the deadline has passed"),
    "courier": N_("the courier of a shipped booking, in its usual spelling (J&T, SiCepat)"),
    "tracking": N_("the tracking number of a shipped booking"),
    "trip": N_(
        "for an instant courier, a sentence with the tracking link or driver details "
        "given with --tracking (empty without)"
    ),
    "cod": N_(
        "cash on delivery: what the buyer pays the courier (what is still owed), and the "
        "DP already received when there was one"
    ),
    "refunded": N_(
        "what was paid back on the booking, the latest refund ('kelebihan transfer "
        "Rp5.000' for money paid beyond a sold booking's total)"
    ),
}
_CUSTOMER_FLAG = N_("--to or --booking")  # NEEDS keeps it in English (--json); see flag_words
NEEDS: dict[str, str] = {
    "name": _CUSTOMER_FLAG,
    "full_name": _CUSTOMER_FLAG,
    **dict.fromkeys(("product", "sku", "price", "restock", "offer", "addons"), "--sku"),
    **dict.fromkeys(
        (
            "booking",
            "items",
            "lines",
            "total",
            "costs",
            "due",
            "awaiting",
            "paid",
            "exact",
            "deadline",
            "pay_when",
            "held_until",
            "courier",
            "tracking",
            "trip",
            "cod",
            "refunded",
        ),
        "--booking",
    ),
}
_FLAG_EXAMPLES = {
    _CUSTOMER_FLAG: "--to mike",
    "--sku": "--sku PAN-24",
    "--booking": "--booking B12",
}

# The template for each reminder step of a booking (1: reminder, models.CHECKIN: check-in).
STEP_TEMPLATES = {1: "remind", 2: "checkin"}

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def flag_words(flag: str) -> str:
    """What gives a variable (a NEEDS value) as the seller reads it: `--to or --booking`
    in their language; a lone flag as it is typed."""
    return _(flag) if flag == _CUSTOMER_FLAG else flag


def _joined(items: list[str], pair: str) -> str:
    """`a and b and c` (pair: N_("{first} and {second}")), in the seller's language."""
    text = items[0]
    for item in items[1:]:
        text = _(pair).format(first=text, second=item)
    return text


_AND = N_("{first} and {second}")
_OR = N_("{first} or {second}")
_OWN_FILE = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]{0,39})\.(?P<lang>id|en)\.txt$")


class MissingValues(InputError):
    """A template needs values the command was not given; names every one, with its flag."""

    def __init__(self, template: str, missing: list[tuple[str, str, str | None]]):
        self.missing = [name for name, _flag, _reason in missing]
        groups: dict[str, list[str]] = {}
        reasons: list[str] = []
        for name, flag, reason in missing:
            groups.setdefault(flag, []).append(f"${name}")
            if reason and reason not in reasons:
                reasons.append(reason)
        needs = _joined(
            [
                _("{flag} (for {variables})").format(
                    flag=flag_words(flag), variables=", ".join(names)
                )
                for flag, names in groups.items()
            ],
            _AND,
        )
        message = " ".join(
            [_("The template '{name}' needs {needs}.").format(name=template, needs=needs), *reasons]
        )
        example = " ".join(_FLAG_EXAMPLES.get(flag, flag) for flag in groups)
        super().__init__(
            message,
            _(
                "Like: olshop reply {name} {example}; "
                "or give a value yourself: --set {variable}=..."
            ).format(name=template, example=example, variable=missing[0][0]),
        )


class UnknownVariables(InputError):
    """A template names variables that do not exist; names them and the known ones."""

    def __init__(self, where: str, unknown: list[str], fix: str):
        self.unknown = unknown
        names = ", ".join(f"${name}" for name in unknown)
        tips = []
        for name in unknown:
            # "$namenya": Indonesian suffixes glue onto a variable; braces keep them apart.
            stem = next(
                (k for k in sorted(VARIABLES, key=len, reverse=True) if name.startswith(k)), None
            )
            if stem:
                rest = name[len(stem) :]
                tips.append(
                    _("Write {braced} to put letters right after {variable}.").format(
                        braced=f"${{{stem}}}{rest}", variable=f"${stem}"
                    )
                )
            elif close := difflib.get_close_matches(name, list(VARIABLES), n=1):
                tips.append(_("Did you mean {variable}?").format(variable=f"${close[0]}"))
        known = ", ".join(f"${name}" for name in VARIABLES)
        super().__init__(
            ngettext(
                "{where} uses the unknown variable {names}. Known variables: {known}.",
                "{where} uses the unknown variables {names}. Known variables: {known}.",
                len(unknown),
            ).format(where=where, names=names, known=known),
            " ".join([*tips, fix]),
        )


# ----- words for times -----------------------------------------------------------------------


def _clock(moment: datetime, lang: str) -> str:
    return f"{moment:%H:%M}" if lang == "en" else f"{moment:%H.%M}"


def moment_words(moment: datetime, lang: str) -> str:
    """`Selasa, 24 November pukul 17.00` / `Tuesday 24 November at 17:00` (no "today")."""
    if lang == "en":
        return f"{moment:%A} {moment.day} {moment:%B} at {_clock(moment, lang)}"
    return (
        f"{DAYS_ID[moment.weekday()]}, {moment.day} {MONTHS_ID[moment.month - 1]} "
        f"pukul {_clock(moment, lang)}"
    )


def date_words(day: date, today: date, lang: str) -> str:
    """A day as a buyer reads it: `hari ini`, `besok`, `kemarin`, else `Sabtu, 28 November`
    (English `today`, `tomorrow`, `yesterday`, `Saturday 28 November`); the year only when
    it is not this one."""
    relative = {0: ("hari ini", "today"), 1: ("besok", "tomorrow"), -1: ("kemarin", "yesterday")}
    ahead = (day - today).days
    if ahead in relative:
        return relative[ahead][1 if lang == "en" else 0]
    year = f" {day.year}" if day.year != today.year else ""
    if lang == "en":
        return f"{day:%A} {day.day} {day:%B}{year}"
    return f"{DAYS_ID[day.weekday()]}, {day.day} {MONTHS_ID[day.month - 1]}{year}"


def when_words(moment: datetime, now: datetime, lang: str) -> str:
    """A moment relative to now, on now's clock: `hari ini pukul 17.00`, `besok pukul 17.00`,
    else `Selasa, 24 November pukul 17.00` (English `today at 17:00`, `tomorrow at 17:00`,
    `Tuesday 24 November at 17:00`)."""
    moment = moment.astimezone(now.tzinfo)
    day = date_words(moment.date(), now.date(), lang)
    joiner = " at " if lang == "en" else " pukul "
    return f"{day}{joiner}{_clock(moment, lang)}"


def greeting(moment: datetime, lang: str) -> str:
    """The greeting for the time of day on the shop's clock.

    Indonesian: pagi from 04:00, siang from 11:00, sore from 15:00, malam from 18:30.
    English: morning from 04:00, afternoon from 12:00, evening from 18:00.
    """
    minutes = moment.hour * 60 + moment.minute
    bounds: tuple[tuple[int, str], ...]
    if lang == "en":
        bounds = ((4 * 60, "Good evening"), (12 * 60, "Good morning"), (18 * 60, "Good afternoon"))
    else:
        bounds = (
            (4 * 60, "Selamat malam"),
            (11 * 60, "Selamat pagi"),
            (15 * 60, "Selamat siang"),
            (18 * 60 + 30, "Selamat sore"),
        )
    for limit, words in bounds:
        if minutes < limit:
            return words
    return "Good evening" if lang == "en" else "Selamat malam"


def next_reply_words(hours: Hours | None, now: datetime, lang: str) -> tuple[str, str]:
    """When the buyer gets a reply, and why: (words, "open" | "later" | "no-hours").

    Open now: `sebentar lagi` / `shortly`. Outside hours, the next opening: `hari ini pukul
    19.00`, `besok pukul 08.00`, `Senin pukul 08.00`, `Senin depan pukul 08.00` a week
    ahead (English `today at 19:00`, `tomorrow at 08:00`, `on Monday at 08:00`, `next Monday
    at 08:00`). No hours: `secepatnya` / `as soon as we can`.
    """
    from olshop_cli.hours import is_open, next_opening

    en = lang == "en"
    if hours is None or hours.is_empty:
        return ("as soon as we can" if en else "secepatnya"), "no-hours"
    if is_open(hours, now):
        return ("shortly" if en else "sebentar lagi"), "open"
    opening = next_opening(hours, now)
    if opening is None:  # cannot happen with non-empty hours; say something true anyway
        return ("as soon as we can" if en else "secepatnya"), "no-hours"
    ahead = (opening.date() - now.date()).days
    clock = _clock(opening, lang)
    if ahead == 0:
        return (f"today at {clock}" if en else f"hari ini pukul {clock}"), "later"
    if ahead == 1:
        return (f"tomorrow at {clock}" if en else f"besok pukul {clock}"), "later"
    if en:
        day = f"{opening:%A}"
        return (f"next {day} at {clock}" if ahead >= 7 else f"on {day} at {clock}"), "later"
    day = DAYS_ID[opening.weekday()]
    return (f"{day} depan pukul {clock}" if ahead >= 7 else f"{day} pukul {clock}"), "later"


def shop_hours(ledger: Ledger) -> Hours | None:
    """The shop's working hours, or None when none are set."""
    stored = ledger.settings.get("hours")
    if not stored:
        return None
    from olshop_cli.hours import from_dict

    hours = from_dict(stored)
    return None if hours.is_empty else hours


# ----- what to offer -------------------------------------------------------------------------


def in_stock_related(ledger: Ledger, product: Product) -> list[Product]:
    """The product's related products that are listed and available, cheapest first."""
    found = []
    for sku in product.related:
        other = ledger.products.get(sku)
        if other is None or other.sku == product.sku or not other.listed:
            continue
        if ledger.available(other) > 0:
            found.append(other)
    return sorted(found, key=lambda p: (p.price, p.sku))


def is_addon(product: Product, other: Product) -> bool:
    """Whether a related product goes *with* this one rather than *instead* of it.

    The ledger keeps one list of related SKUs for both. An add-on costs less and is related
    one way (a spatula for a pan); a product related both ways (the 24 and 28 cm pans) or
    costing as much or more is an alternative.
    """
    return other.price < product.price and product.sku not in other.related


def alternatives(ledger: Ledger, product: Product, limit: int = 2) -> list[Product]:
    """Up to `limit` in-stock alternatives to offer for a sold-out product, cheapest first."""
    return [p for p in in_stock_related(ledger, product) if not is_addon(product, p)][:limit]


def addons(ledger: Ledger, product: Product, limit: int = 2) -> list[Product]:
    """Up to `limit` in-stock add-ons to suggest with a product, cheapest first."""
    return [p for p in in_stock_related(ledger, product) if is_addon(product, p)][:limit]


def _priced(products: list[Product], lang: str) -> str:
    from olshop_cli.money import format_money

    names = [f"{p.name} ({format_money(p.price)})" for p in products]
    joiner = " and " if lang == "en" else " dan "
    return joiner.join(names)


def _restock_day(product: Product, today: date) -> date | None:
    if not product.restock:
        return None
    try:
        day = date.fromisoformat(product.restock[:10])
    except ValueError:
        return None
    return day if day >= today else None


def offer_words(ledger: Ledger, product: Product, today: date, lang: str) -> str:
    """For a sold-out product: up to two in-stock alternatives with prices (cheapest first),
    else the restock date when one is ahead, else an offer to tell the buyer when it is back."""
    en = lang == "en"
    others = alternatives(ledger, product)
    if others:
        listed = _priced(others, lang)
        if en:
            ask = "Would you like one of them?" if len(others) > 1 else "Shall we set it aside?"
            return f"Instead, we have {listed} in stock. {ask}"
        ask = "Mau pilih salah satunya?" if len(others) > 1 else "Mau kami siapkan?"
        return f"Sebagai gantinya, ada {listed} yang masih tersedia. {ask}"
    restock = _restock_day(product, today)
    if restock is not None:
        day = date_words(restock, today, lang)
        if en:
            on = "" if day in ("today", "tomorrow") else "on "
            return f"We expect new stock {on}{day}. Shall we let you know when it arrives?"
        return f"Stok barunya kami perkirakan datang {day}. Mau kami kabari begitu datang?"
    if en:
        return "Shall we let you know when it is back in stock?"
    return "Mau kami kabari kalau stoknya sudah ada lagi?"


# ----- the values a template is filled with --------------------------------------------------


@dataclass
class Situation:
    """What a message is about: the shop, the clock, and optionally a buyer, a booking and a
    product (a booking brings its buyer). `overrides` (from --set) win over everything;
    `notes` collects warnings for the seller (stderr) found while filling the template."""

    ledger: Ledger
    now: datetime
    lang: str = "id"
    customer: Customer | None = None
    booking: Booking | None = None
    product: Product | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.customer is None and self.booking is not None:
            self.customer = self.ledger.customers.get(self.booking.customer)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def value(self, name: str) -> str | None:
        """The value of one variable, or None when the command did not give what it needs."""
        if name in self.overrides:
            return self.overrides[name]
        if name not in VARIABLES:
            raise KeyError(name)
        return getattr(self, "_" + name)()

    def values(self, names: list[str], template: str) -> dict[str, str]:
        """Values for every name, or MissingValues naming all that are missing at once."""
        values, missing = {}, []
        for name in names:
            value = self.value(name)
            if value is None:
                missing.append((name, NEEDS.get(name, "--set"), self._why_missing(name)))
            else:
                values[name] = value
        if missing:
            raise MissingValues(template, missing)
        return values

    def _why_missing(self, name: str) -> str | None:
        if name == "restock" and self.product is not None:
            return _(
                "{sku} has no restock date ahead (olshop product edit {sku} --restock DATE)."
            ).format(sku=self.product.sku)
        b = self.booking
        if name in ("courier", "tracking", "cod") and b is not None:
            if b.pickup:
                return _(
                    "{bid} is picked up by the buyer: no courier (olshop reply pickup)."
                ).format(bid=b.id)
            if name == "tracking" and b.courier:
                return _("{bid} went with {courier} without a tracking number.").format(
                    bid=b.id, courier=b.courier
                )
            if name == "cod" and b.status == SHIPPED:
                return _("{bid} is not cash on delivery, or its COD is paid.").format(bid=b.id)
            return _(
                "{bid} is {status}, not shipped (olshop ship {bid} --courier JNE --tracking ...)."
            ).format(bid=b.id, status=status_word(b.status))
        return None

    # One method per variable: `_name` returns its value, or None when it is missing.

    @property
    def _english(self) -> bool:
        return self.lang == "en"

    def _call(self) -> str:
        call = (
            self.ledger.call_of(self.customer)
            if self.customer is not None
            else self.ledger.setting("call")
        )
        if self._english and call in INDONESIAN_ONLY_CALLS:
            return ""  # English has no Kak or Sis: the name alone, or no one ("Good morning!")
        return call

    def _name(self) -> str | None:
        if self.customer is not None:
            return self.customer.short_name
        if self.booking is not None:  # the customer was removed; the booking kept the name
            from olshop_cli.names import calling_name

            return calling_name(self.booking.customer_name)
        return None

    def _full_name(self) -> str | None:
        if self.customer is not None:
            return self.customer.name
        return self.booking.customer_name if self.booking is not None else None

    def _to(self) -> str:
        name = self.value("name")
        call = self.value("call")
        assert call is not None  # _call always has one (empty in English for Kak, Sis...)
        return " ".join(part for part in (call, name) if part)

    def _greeting(self) -> str:
        return greeting(self.now, self.lang)

    def _shop(self) -> str:
        return self.ledger.setting("shop-name") or ("our shop" if self._english else "toko kami")

    def _bank(self) -> str:
        bank = self.ledger.setting("bank")
        if bank:
            return bank
        self.note(
            _(
                "The shop has no bank account text, so the message says you will send it. "
                'Set it once: olshop config set bank "BCA 1234567890 a.n. Your Name"'
            )
        )
        return (
            "the account we will send you" if self._english else "rekening yang akan kami kirimkan"
        )

    def _next_reply(self) -> str:
        words, state = next_reply_words(shop_hours(self.ledger), self.now, self.lang)
        if state == "no-hours":
            self.note(
                _(
                    "No working hours are set, so the message cannot say when you reply. "
                    'Set them: olshop hours set "mon-fri 08:00-17:00; sat 09:00-12:00"'
                )
            )
        return words

    def _product(self) -> str | None:
        return self.product.name if self.product else None

    def _sku(self) -> str | None:
        return self.product.sku if self.product else None

    def _price(self) -> str | None:
        from olshop_cli.money import format_money

        return format_money(self.product.price) if self.product else None

    def _restock(self) -> str | None:
        if self.product is None:
            return None
        day = _restock_day(self.product, self.now.date())
        return None if day is None else date_words(day, self.now.date(), self.lang)

    def _offer(self) -> str | None:
        if self.product is None:
            return None
        available = self.ledger.available(self.product)
        if available > 0:
            self.note(
                _(
                    "{sku} still has {available} available; is it really out of stock? "
                    "(olshop product show {sku})"
                ).format(sku=self.product.sku, available=available)
            )
        return offer_words(self.ledger, self.product, self.now.date(), self.lang)

    def _addons(self) -> str | None:
        if self.product is None:
            return None
        found = addons(self.ledger, self.product)
        if not found:
            sku = self.product.sku
            raise Conflict(
                _(
                    "Nothing to suggest with {sku}: none of its related products is an add-on "
                    "in stock (listed, cheaper, and not related back as an alternative)."
                ).format(sku=sku),
                _(
                    "Relate an add-on: olshop product edit {sku} --related SKU "
                    "(related now: {related})."
                ).format(sku=sku, related=", ".join(self.product.related) or _("none")),
            )
        return _priced(found, self.lang)

    def _booking(self) -> str | None:
        return self.booking.id if self.booking else None

    def _items(self) -> str | None:
        if self.booking is None:
            return None
        return ", ".join(f"{line.qty}x {line.name}" for line in self.booking.lines)

    def _lines(self) -> str | None:
        from olshop_cli.money import format_money

        if self.booking is None:
            return None
        return "\n".join(
            f"- {line.qty}x {line.name} @ {format_money(line.price)} = {format_money(line.amount)}"
            for line in self.booking.lines
        )

    def _total(self) -> str | None:
        from olshop_cli.money import format_money

        return format_money(self.booking.total) if self.booking else None

    def _costs(self) -> str | None:
        """The money of the order under its lines, one part a line, each only where it
        applies: discount, ongkir with its courier, total, paid so far and what is left."""
        from olshop_cli.money import format_money

        b = self.booking
        if b is None:
            return None
        en = self._english
        rows = []
        if b.discount:
            label = "Discount" if en else "Diskon"
            percent = b.discount_text if b.discount_text and "%" in b.discount_text else ""
            rows.append(f"{label}{f' ({percent})' if percent else ''}: -{format_money(b.discount)}")
        if b.ongkir:
            from olshop_cli.couriers import normalize

            label = "Shipping" if en else "Ongkir"
            by = " ".join(x for x in (normalize(b.courier or ""), b.service) if x)
            rows.append(f"{label}{f' ({by})' if by else ''}: {format_money(b.ongkir)}")
        if b.unique_code:
            label = "Unique code" if en else "Kode unik"
            sign = "" if b.unique_code > 0 else "-"
            rows.append(f"{label}: {sign}{format_money(abs(b.unique_code))}")
        rows.append(f"Total: {format_money(b.total)}")
        if b.payments:
            rows.append(f"{'Paid so far' if en else 'Sudah dibayar'}: {format_money(b.net_paid)}")
            rows.append(f"{'Left to pay' if en else 'Sisa'}: {format_money(b.owed)}")
        return "\n".join(rows)

    def _due(self) -> str | None:
        from olshop_cli.money import format_money

        if self.booking is None:
            return None
        self._check_unpaid()
        return format_money(self.booking.owed)

    def _exact(self) -> str | None:
        """A sentence (with its leading space) asking for the exact amount, when the
        booking's total holds a kode unik; else empty."""
        from olshop_cli.money import format_money

        b = self.booking
        if b is None:
            return None
        if not b.unique_code or b.status != BOOKED:
            return ""
        code = format_money(abs(b.unique_code))
        if self._english:
            how = "includes" if b.unique_code > 0 else "is less"
            return (
                f" That amount {how} a unique code of {code} so we can recognise your transfer "
                "at once: please transfer exactly that, without rounding."
            )
        how = "sudah termasuk" if b.unique_code > 0 else "sudah dipotong"
        return (
            f" Nominal itu {how} kode unik {code} supaya transfer {self._to()} langsung kami "
            "kenali, jadi mohon ditransfer persis, tanpa dibulatkan."
        )

    def _paid(self) -> str | None:
        from olshop_cli.money import format_money

        if self.booking is None:
            return None
        if not self.booking.paid_amount:
            self.note(
                _(
                    "{bid} has no payment recorded yet; the message names its total. "
                    "Record it: olshop pay {bid}"
                ).format(bid=self.booking.id)
            )
            return format_money(self.booking.total)
        return format_money(self.booking.net_paid)

    def _check_unpaid(self) -> None:
        b = self.booking
        if b is not None and b.status != BOOKED and not (b.cod and b.owed):
            self.note(
                _("{bid} is {status}: nothing is left to pay.").format(
                    bid=b.id, status=status_word(b.status)
                )
            )

    def _deadline(self) -> str | None:
        if self.booking is None:
            return None
        self._check_unpaid()
        if self.booking.status == BOOKED and self.booking.is_overdue(self.now):
            self.note(
                _(
                    "{bid}'s deadline has passed. Give more time first: olshop extend {bid} --by 1d"
                ).format(bid=self.booking.id)
            )
        return when_words(self.booking.deadline_at, self.now, self.lang)

    def _held_until(self) -> str | None:
        """Until when the item stays set aside: the deadline, or the end of today once it
        has passed (the buyer is told before the release comes)."""
        if self.booking is None:
            return None
        self._check_unpaid()
        if self.booking.deadline_at <= self.now:
            return "until the end of today" if self._english else "sampai hari ini"
        due = when_words(self.booking.deadline_at, self.now, self.lang)
        return f"until {due}" if self._english else f"sampai {due}"

    def _pay_when(self) -> str | None:
        if self.booking is None:
            return None
        self._check_unpaid()
        if self.booking.held_by_dp:  # a pre-order: the balance is due when the item is ready
            return (
                "once your order is ready to ship"
                if self._english
                else "nanti saat pesanannya siap dikirim"
            )
        if self.booking.deadline_at <= self.now:
            return (
                "today if you still want it" if self._english else "hari ini kalau masih berminat"
            )
        due = when_words(self.booking.deadline_at, self.now, self.lang)
        return f"by {due}" if self._english else f"paling lambat {due}"

    def _refunded(self) -> str | None:
        from olshop_cli.money import format_money

        if self.booking is None or not self.booking.refunds:
            return None
        amount = format_money(self.booking.refunds[-1]["amount"])  # the one being told
        if self.booking.status in (PAID, SHIPPED, DONE):  # sold: it paid back a surplus
            return f"the {amount} you overpaid" if self._english else f"kelebihan transfer {amount}"
        return amount

    def _awaiting(self) -> str | None:
        """The money still awaited, said so that a down payment already made is not taken
        for the order's price."""
        from olshop_cli.money import format_money

        if self.booking is None:
            return None
        self._check_unpaid()
        due, paid = format_money(self.booking.owed), self.booking.net_paid
        if not paid:
            return (
                f"is still waiting for payment of {due}"
                if self._english
                else (f"sebesar {due} masih menunggu pembayaran")
            )
        if self._english:
            return (
                f"is still waiting for the remaining {due} (we've received your "
                f"{format_money(paid)} down payment)"
            )
        return f"masih menunggu sisa pembayaran {due} (DP {format_money(paid)} sudah kami terima)"

    def _courier(self) -> str | None:
        """The courier in its usual spelling, whatever was stored (`SICEPAT` from before
        couriers were matched is SiCepat), never quoted or shouted."""
        from olshop_cli.couriers import normalize

        b = self.booking
        if b is None or b.pickup or not b.courier:
            return None
        return normalize(b.courier) or None

    def _tracking(self) -> str | None:
        return self.booking.tracking if self.booking and self.booking.tracking else None

    def _trip(self) -> str | None:
        """For an instant courier: where to follow the trip (a link) or the driver's
        details, as a sentence with its leading space; empty when none was given."""
        if self.booking is None:
            return None
        info = self.booking.tracking or ""
        if not any(ch.isalnum() for ch in info):
            return ""
        if info.lower().startswith(("http://", "https://", "www.")):
            if self._english:
                return f" You can follow the trip here: {info}"
            return f" Perjalanannya bisa dipantau di sini: {info}"
        end = "" if info.endswith((".", "!", "?")) else "."
        if self._english:
            return f" Delivery details: {info}{end}"
        return f" Info pengirimannya: {info}{end}"

    def _cod(self) -> str | None:
        """What the buyer pays the courier on delivery: what is still owed, with the down
        payment already received when there was one. None unless it is owed cash on
        delivery."""
        from olshop_cli.money import format_money

        b = self.booking
        if b is None or not (b.cod and b.owed):
            return None
        due, paid = format_money(b.owed), b.net_paid
        if not paid:
            return due
        if self._english:
            return f"{due} (the rest: we've received your {format_money(paid)} down payment)"
        return f"{due} (sisanya, DP {format_money(paid)} sudah kami terima)"


# ----- what each template says about a booking ------------------------------------------------


def shipped_template(booking: Booking) -> str:
    """The message that is true for how a shipped booking went: `pickup` (the buyer
    collects it), `shipped-cod` (cash on delivery, still owed), `shipped-instant` (an
    instant courier's driver), else `shipped` (a courier with a tracking number)."""
    from olshop_cli.couriers import is_instant

    if booking.pickup:
        return "pickup"
    if booking.cod and booking.owed:
        return "shipped-cod"
    if is_instant(booking.courier) or not booking.tracking:
        return "shipped-instant"
    return "shipped"


# What each shipped message would say, for a refusal: "'pickup' would say <this>".
# (N_: in the seller's language where the refusal is made.)
_SHIPPED_SAYS = {
    "shipped": N_("it went by courier with a tracking number"),
    "shipped-instant": N_("a driver is bringing it"),
    "shipped-cod": N_("the buyer pays the courier on delivery"),
    "pickup": N_("it is ready to pick up"),
}


def _shipped_untrue(name: str, booking: Booking, instead: str) -> tuple[str, str | None] | None:
    """Why a shipped message (SHIPPED_TEMPLATES) is untrue for the booking; None if true."""
    from olshop_cli.money import format_money

    bid, status = booking.id, booking.status
    if status not in (SHIPPED, DONE):
        return (
            _(
                "{bid} is {status}, not shipped: '{name}' would say the parcel is on its way."
            ).format(bid=bid, status=status_word(status), name=name),
            _("Ship it first: olshop ship {bid} --courier JNE --tracking ...").format(bid=bid)
            if status in (BOOKED, PAID)
            else instead,
        )
    fits = shipped_template(booking)
    if name == fits:
        return None
    use = _("Use: {command}").format(command=f"olshop reply {fits} --booking {bid}")
    owed = format_money(booking.owed)
    if fits == "shipped-cod" and name == "shipped":
        return (
            _(
                "{bid} is cash on delivery: 'shipped' would not ask the buyer for the "
                "{owed} to pay the courier."
            ).format(bid=bid, owed=owed),
            use,
        )
    if fits == "pickup":
        how = _("{bid} is picked up by the buyer: '{name}' would say {says}.")
    elif fits == "shipped-cod":
        how = _("{bid} is cash on delivery ({owed} to pay the courier): '{name}' would say {says}.")
    elif fits == "shipped-instant" and booking.courier:
        how = _("{bid} went with {courier}, with no resi: '{name}' would say {says}.")
    elif fits == "shipped-instant":
        how = _("{bid} went with a driver, with no resi: '{name}' would say {says}.")
    elif booking.cod:
        how = _("{bid} had its cash on delivery paid already: '{name}' would say {says}.")
    else:
        how = _("{bid} went with {courier}, tracking number {tracking}: '{name}' would say {says}.")
    says = _(_SHIPPED_SAYS[name])
    return (
        how.format(
            bid=bid,
            name=name,
            says=says,
            owed=owed,
            courier=booking.courier,
            tracking=booking.tracking,
        ),
        use,
    )


# The refusal when a reminder-like template is sent for a booking no longer waiting
# for money: "B3 is paid: 'remind' would ask for money the buyer does not owe."
_WOULD_ASK = {
    "remind": N_("{bid} is {status}: 'remind' would ask for money the buyer does not owe."),
    "checkin": N_("{bid} is {status}: 'checkin' would say the payment is still awaited."),
    "confirm": N_("{bid} is {status}: 'confirm' would ask the buyer to transfer again."),
}


def untrue_for(name: str, booking: Booking) -> tuple[str, str | None] | None:
    """Why the template `name` would tell the buyer something untrue about this booking
    (its status or its money), with the template or command that fits instead; None if it
    is true. Templates that say nothing about a booking are always true."""
    from olshop_cli.money import format_money

    bid, status = booking.id, booking.status
    state = status_word(status)  # as the seller reads it
    owed = booking.owed
    closed = status in (RELEASED, CANCELLED)
    # What fits a booking as it stands: the template to use instead, named in every refusal.
    fits = {
        BOOKED: f"olshop reply remind --booking {bid}",
        PAID: f"olshop reply paid --booking {bid}",
        SHIPPED: f"olshop reply {shipped_template(booking)} --booking {bid}",
        DONE: f"olshop reply thanks --booking {bid}",
        RELEASED: f"olshop reply release --booking {bid}",
    }
    if booking.payments and status == BOOKED:
        fits[BOOKED] = f"olshop reply dp --booking {bid}"
    if booking.refunds and status in (RELEASED, CANCELLED):
        fits[status] = f"olshop reply refund --booking {bid}"
    if status in fits and not (status == RELEASED and booking.payments and not booking.refunds):
        instead = _("Use: {command}").format(command=fits[status])
    elif status == RELEASED:  # a down payment kept: no built-in says that
        instead = _("Tell the buyer the down payment is kept, in your own words.")
    else:
        instead = _("It is closed; to sell it again: olshop book {customer} ...").format(
            customer=booking.customer
        )
    record = _("Record it first: olshop pay {bid}").format(bid=bid)
    if name in ("remind", "checkin", "confirm") and status == BOOKED and booking.held_by_dp:
        return (
            _(
                "{bid} is held by its down payment with no date for the balance: '{name}' "
                "would name a deadline that no longer holds."
            ).format(bid=bid, name=name),
            _(
                "Set when the balance is due first: olshop extend {bid} --to '20 Des 17:00'; "
                "or thank for the DP: olshop reply dp --booking {bid}"
            ).format(bid=bid),
        )
    if name in ("remind", "checkin", "confirm"):
        if status == BOOKED and owed <= 0:
            return (
                _("{bid} has nothing left to pay: '{name}' would ask for Rp0.").format(
                    bid=bid, name=name
                ),
                _("Mark it paid: olshop pay {bid}").format(bid=bid),
            )
        if status == BOOKED:
            return None
        if closed:
            return (
                _(
                    "{bid} is {status}: '{name}' would tell the buyer it is still waiting for them."
                ).format(bid=bid, status=state, name=name),
                instead,
            )
        return _(_WOULD_ASK[name]).format(bid=bid, status=state), instead
    if name == "release":
        if status == RELEASED and booking.payments:  # it says no payment came: some did
            return (
                _("{bid} had {paid} paid: 'release' would say no payment came.").format(
                    bid=bid, paid=format_money(booking.paid_amount)
                ),
                instead,
            )
        if status == RELEASED:
            return None
        if status == BOOKED:
            return (
                _("{bid} is still booked: 'release' would tell the buyer it was let go.").format(
                    bid=bid
                ),
                instead
                if booking.payments
                else _("Release it first: olshop release {bid}").format(bid=bid),
            )
        if status == CANCELLED:
            return _("{bid} was cancelled, not released for lack of payment.").format(
                bid=bid
            ), instead
        return (
            _("{bid} is {status}: 'release' would tell the buyer their payment never came.").format(
                bid=bid, status=state
            ),
            instead,
        )
    if name == "paid":
        if status == PAID:
            return None
        if status == BOOKED and booking.payments:
            return (
                _(
                    "{bid} still has {owed} to pay: 'paid' would say it is paid and on its way."
                ).format(bid=bid, owed=format_money(owed)),
                instead,
            )
        if status == BOOKED:
            return _("{bid} has no payment recorded.").format(bid=bid), record
        if closed:
            return (
                _("{bid} is {status}: 'paid' would say it will be packed and shipped.").format(
                    bid=bid, status=state
                ),
                instead,
            )
        return (
            _("{bid} is already {status}: 'paid' would say it is still to be shipped.").format(
                bid=bid, status=state
            ),
            instead,
        )
    if name == "dp":
        if status == BOOKED and booking.payments:
            return None
        if status == BOOKED:
            return (
                _(
                    "{bid} has no payment recorded, so there is no down payment to thank for."
                ).format(bid=bid),
                _("Record it first: olshop pay {bid} --amount 50rb").format(bid=bid),
            )
        return (
            _("{bid} is {status}: 'dp' would say {owed} is still to pay.").format(
                bid=bid, status=state, owed=format_money(max(owed, 0))
            ),
            instead,
        )
    if name == "refund":
        if booking.refunds:
            return None
        return _("{bid} has nothing paid back: 'refund' would say money was returned.").format(
            bid=bid
        ), (
            _("Record it first: olshop cancel {bid} --refund (or release {bid} --refund)").format(
                bid=bid
            )
            if status == BOOKED
            else instead
        )
    if name in SHIPPED_TEMPLATES:
        return _shipped_untrue(name, booking, instead)
    return None


def untrue_for_product(name: str, ledger: Ledger, product: Product) -> tuple[str, str] | None:
    """Why `restock` (it is back) or `stockout` (it is out) would be untrue for the product
    as it stands; None if true."""
    available = ledger.available(product)
    if name == "restock" and available <= 0:
        return (
            _("{sku} is still sold out: 'restock' would say it is back.").format(sku=product.sku),
            _("Add the stock first: olshop product stock {sku} +N").format(sku=product.sku),
        )
    return None


# ----- templates: finding, checking, rendering ----------------------------------------------


@dataclass(frozen=True)
class Template:
    """One template text in one language, and where it came from."""

    name: str
    lang: str
    text: str
    source: str  # "built-in" or "own"
    path: Path | None = None

    @property
    def where(self) -> str:
        """How refusals name it: `The template 'x'` plus its file for the seller's own."""
        if self.path:
            return _("The template '{name}' ({path})").format(name=self.name, path=self.path)
        return _("The template '{name}'").format(name=self.name)


def check_name(name: str) -> str:
    """A template name as stored: lower case letters, digits and dashes."""
    key = name.strip().lower()
    if not _NAME.match(key):
        raise InputError(
            _("'{name}' is not a usable template name.").format(name=name),
            _("Use letters, digits and dashes, like promo or thanks-2."),
        )
    return key


def check_lang(lang: str) -> str:
    """`id` or `en` (any case), else a refusal."""
    code = lang.strip().lower()
    if code not in LANGS:
        raise InputError(
            _("Unknown language '{lang}'.").format(lang=lang),
            _("Use id (Indonesian) or en (English)."),
        )
    return code


def variables_in(text: str, where: str | None = None) -> list[str]:
    """The variables a template text uses, in order of first use.

    Raises InputError for a `$` that starts no variable (`$5`, `${x` without `}`), naming
    the line, since `string.Template` would fail on it when rendering.
    """
    found: list[str] = []
    pattern = string.Template.pattern
    for match in pattern.finditer(text):
        if match.group("invalid") is not None:
            start = match.start("invalid")
            line = text.count("\n", 0, start) + 1
            snippet = text[start : start + 12].split("\n")[0]
            raise InputError(
                _("{where} has a '$' that starts no variable on line {line} ({snippet}).").format(
                    where=where or _("The template"), line=line, snippet=repr(snippet)
                ),
                _("Write $$ for a dollar sign, and variables as $name or ${name}."),
            )
        name = match.group("named") or match.group("braced")
        if name and name not in found:
            found.append(name)
    return found


def check_template(template: Template) -> list[str]:
    """The variables it uses; refuses unknown ones, naming them and the known ones."""
    used = variables_in(template.text, template.where)
    unknown = [name for name in used if name not in VARIABLES]
    if unknown:
        raise UnknownVariables(
            template.where,
            unknown,
            _("Fix it with: olshop templates edit {name} --lang {lang}").format(
                name=template.name, lang=template.lang
            ),
        )
    return used


# Emoticons, pictographs, dingbats and their joiners/variation selectors.
_EMOJI = re.compile(
    "[ \t]*(?:[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d])+"
)


def strip_emoji(text: str) -> str:
    """Take emoticons out of a template text (never out of the values put in it).

    An emoticon ending a sentence leaves a full stop behind (`ya 🙏` -> `ya.`), one after
    punctuation just goes (`Siap! 😊` -> `Siap!`).
    """

    def replace(match: re.Match) -> str:
        before = text[: match.start()].rstrip(" \t")[-1:]
        after = text[match.end() :].lstrip(" \t")[:1]
        if not before or not (before.isalnum() or before in ")}_"):
            return ""
        if after in ("", "\n") or after.isupper() or after == "$":
            return "."
        return ""

    return _EMOJI.sub(replace, text)


def render(template: Template, situation: Situation, emoji: bool = True) -> str:
    """The message: the template filled in. Values go in literally (string.Template), so
    nothing a buyer or seller typed is ever interpreted. Refuses unknown variables and names
    every missing value with the flag that gives it."""
    used = check_template(template)
    values = situation.values(used, template.name)
    text = template.text if emoji else strip_emoji(template.text)
    empty = [name for name in ("to", "call") if values.get(name) == ""]
    for name in empty:  # marked, then taken out with the comma that went with it
        values[name] = "\x00"
    filled = string.Template(text).substitute(values)
    if empty:
        for pattern, replacement in _EMPTY_ADDRESS:
            filled = pattern.sub(replacement, filled)
    return filled


def read_template_file(path: Path) -> str:
    """A seller's template file as text (UTF-8, a BOM from Notepad tolerated), without the
    newline editors add at the end."""
    try:
        return path.read_text(encoding="utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError(
            _("{path} is not UTF-8 text.").format(path=path),
            _("Save it as UTF-8 in your editor, then try again."),
        ) from None
    except OSError as exc:
        raise InputError(
            _("Cannot read {path}: {why}.").format(path=path, why=exc.strerror)
        ) from None


def template_path(folder: Path, name: str, lang: str) -> Path:
    """Where the seller's own template NAME in LANG lives (whether or not it exists)."""
    return folder / f"{check_name(name)}.{check_lang(lang)}.txt"


def own_templates(folder: Path | None) -> tuple[dict[str, dict[str, Path]], list[Path]]:
    """The seller's template files: ({name: {lang: path}}, text files ignored for their name)."""
    found: dict[str, dict[str, Path]] = {}
    ignored: list[Path] = []
    if folder is None or not folder.is_dir():
        return found, ignored
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.lower().endswith(".txt"):
            continue
        match = _OWN_FILE.match(path.name)
        if match:
            found.setdefault(match["name"], {})[match["lang"]] = path
        else:
            ignored.append(path)
    return found, ignored


def find_template(name: str, lang: str, folder: Path | None) -> Template:
    """The template NAME in LANG: the seller's own file if there is one, else the built-in.

    Refuses an unknown name with the closest names, and a template of the seller's that has
    no text in this language.
    """
    key = name.strip().lower()
    lang = check_lang(lang)
    if folder is not None and _NAME.match(key):
        path = folder / f"{key}.{lang}.txt"
        if path.is_file():
            return Template(key, lang, read_template_file(path), "own", path)
    if key in BUILTINS:
        return Template(key, lang, BUILTINS[key][lang], "built-in")
    own, _ignored = own_templates(folder)
    if key in own:
        raise NotFound(
            _("Your template '{name}' has no {language} text.").format(
                name=key, language=_(LANG_NAMES[lang])
            ),
            _(
                "Write one: olshop templates edit {name} --lang {lang} (or use --lang {other})."
            ).format(name=key, lang=lang, other=next(iter(own[key]))),
        )
    names = sorted(set(BUILTINS) | set(own))
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
    if close:
        hint = _("Did you mean {names}? See olshop templates list.").format(
            names=_joined(close, _OR)
        )
    else:
        hint = _("Templates: {names}. See olshop templates list.").format(names=", ".join(names))
    raise NotFound(_("There is no template '{name}'.").format(name=name), hint)


def catalog(folder: Path | None) -> list[dict]:
    """Every template: name, languages, built-in or own, the variables its texts use, and
    any unknown ones (listed, not refused, so one bad file does not hide the others)."""
    own, _ignored = own_templates(folder)
    rows = []
    for name in sorted(set(BUILTINS) | set(own)):
        langs = [lang for lang in LANGS if name in BUILTINS or lang in own.get(name, {})]
        used: list[str] = []
        problems: list[str] = []
        for lang in langs:
            try:
                template = find_template(name, lang, folder)
                names = variables_in(template.text, template.where)
            except InputError as exc:
                problems.append(exc.message)
                continue
            used += [n for n in names if n not in used]
        rows.append(
            {
                "name": name,
                "languages": langs,
                "builtin": name in BUILTINS,
                "own": sorted(own.get(name, {})),
                "variables": used,
                "unknown": [n for n in used if n not in VARIABLES],
                "problems": problems,
            }
        )
    return rows


def copy_for_editing(folder: Path, name: str, lang: str) -> tuple[Path, str]:
    """Make sure the seller's file for NAME in LANG exists, for their editor.

    Returns (path, what happened): "exists", "copied" (from the built-in) or "new" (a
    short start for a template of their own).
    """
    path = template_path(folder, name, lang)
    if path.exists():
        return path, "exists"
    key = check_name(name)
    if key in BUILTINS:
        text, what = BUILTINS[key][lang], "copied"
    else:
        text, what = ("Hi $to, " if lang == "en" else "Halo $to, "), "new"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Private (0600), as every file olshop makes: templates name buyers and shops.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except FileExistsError:
        return path, "exists"
    except OSError as exc:
        raise InputError(
            _("Cannot write {path}: {why}.").format(path=path, why=exc.strerror)
        ) from None
    return path, what


# ----- sending -------------------------------------------------------------------------------


def wa_link(phone: str, text: str) -> str:
    """A WhatsApp click-to-chat link with the message filled in:
    `https://wa.me/6281234567890?text=...` (every character but letters, digits and `-._~`
    percent-encoded as UTF-8)."""
    from urllib.parse import quote

    from olshop_cli.phone import wa_number

    return f"https://wa.me/{wa_number(phone)}?text={quote(text, safe='')}"


def step_template(step: int) -> str:
    """The template for a booking's reminder step: 1 `remind`, 2 `checkin`."""
    return STEP_TEMPLATES[step]


def _hours_start(ledger: Ledger, now: datetime) -> str | None:
    """When the working hours start next (`tomorrow at 08:00`), if the shop is closed now;
    None within hours or when no hours are set."""
    from olshop_cli.hours import is_open

    hours = shop_hours(ledger)
    if hours is None or is_open(hours, now):
        return None
    return next_reply_words(hours, now, "en" if ui_lang() == "en" else "id")[0]


# The days of the week as the seller reads them (the buyer's are DAYS_ID, or English).
_WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def outside_hours(ledger: Ledger, now: datetime) -> str | None:
    """Why a reminder should wait (`22:00 on Monday is outside your working hours; they
    start tomorrow at 08:00`), or None within hours or when no hours are set."""
    words = _hours_start(ledger, now)
    if words is None:
        return None
    return _("{time} on {day} is outside your working hours; they start {when}").format(
        time=f"{now:%H:%M}", day=_(_WEEKDAYS[now.weekday()]), when=words
    )


def outside_hours_warning(ledger: Ledger, now: datetime) -> str | None:
    """A warning when a message goes out while the shop is closed, saying when hours
    start; None within hours or when no hours are set."""
    words = _hours_start(ledger, now)
    if words is None:
        return None
    return _(
        "{time} on {day} is outside your working hours, so the buyer gets this out of hours. "
        "Your hours start {when}; consider sending it then."
    ).format(time=f"{now:%H:%M}", day=_(_WEEKDAYS[now.weekday()]), when=words)


def pressure_warning(booking: Booking, now: datetime, previous: str | None) -> str | None:
    """A warning when the previous reminder of this booking went out less than
    PRESSURE_WINDOW ago; `previous` is its stored time (ISO), or None."""
    if not previous:
        return None
    from olshop_cli.when import format_duration

    since = now - parse_iso(previous)
    if timedelta(0) <= since < PRESSURE_WINDOW:
        if since < timedelta(minutes=1):
            return _(
                "{bid} was reminded just now; another message so soon may feel like pressure "
                "to the buyer."
            ).format(bid=booking.id)
        return _(
            "{bid} was reminded {duration} ago; another message so soon may feel like pressure "
            "to the buyer."
        ).format(bid=booking.id, duration=format_duration(since))
    return None
