"""The buyer's filled order form ("format order"), read as buyers send it back in a chat,
and what it comes to in this ledger.

`read_form` turns the text into fields: labels in any case, with or without a colon,
after numbering, bullets or emoji, in Indonesian or English (`Nama`, `No. HP/WA`, `Alamat
lengkap (jalan, RT/RW, ...)`, `Pesanan`, `Ekspedisi`, `Catatan`, `Name`, `Courier` ...);
a value on the label's line or on the lines under it (an address over three lines); the
kecamatan, city or postcode as fields of their own, added to the address. What it cannot
place is kept as `unread`, never dropped silently.

`understand` matches the fields to the ledger without changing it: the customer by phone
(any spelling), else by the same full name, else a new one; each item to a product by SKU
or words of its name (several matches are listed, never guessed); the courier and the
shipping cost. What stops a booking is a `Problem` (one sentence and what to do); `book`
then makes the customer and the booking in the change the caller holds.

Plain rules: nothing here reads files, the clock or the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from olshop_cli import couriers, names
from olshop_cli.errors import InputError, OlshopError
from olshop_cli.i18n import _

if TYPE_CHECKING:
    from olshop_cli.ledger import Ledger
    from olshop_cli.models import Booking, Customer, Product

NAME, PHONE, ADDRESS, PLACE, ITEMS, QTY, COURIER, ONGKIR, NOTE, PAYMENT = (
    "name",
    "phone",
    "address",
    "place",
    "items",
    "qty",
    "courier",
    "ongkir",
    "note",
    "payment",
)

# The labels buyers and sellers write, as `_label_key` reduces them (lower case, dots as
# spaces, no spaces around a slash, without a part in brackets).
LABELS: dict[str, str] = {}
for _field, _words in (
    (
        NAME,
        "nama, nama lengkap, nama penerima, nama pembeli, nama pemesan, nama customer, "
        "nama konsumen, nm, nama lgkp, penerima, atas nama, an, name, full name, recipient, "
        "recipient name, recipient's name, buyer name, your name, nama/name",
    ),
    (
        PHONE,
        "hp, no hp, nomor hp, nomer hp, no hp/wa, nomor hp/wa, no wa/hp, hp/wa, wa/hp, wa, "
        "no wa, nomor wa, nomer wa, whatsapp, no whatsapp, nomor whatsapp, telp, no telp, "
        "nomor telp, telepon, no telepon, nomor telepon, tlp, no tlp, telp/wa, no telp/wa, "
        "kontak, no kontak, handphone, no handphone, nohp, hp wa, wa hp, no hp wa, nomor, "
        "phone, phone number, phone/whatsapp, "
        "phone/wa, mobile, mobile number, whatsapp number, wa number, telephone, tel, "
        "contact, contact number",
    ),
    (
        ADDRESS,
        "alamat, almt, alamt, almat, alamat lgkp, almt lengkap, alamat lengkap, "
        "alamat pengiriman, alamat kirim, alamat rumah, "
        "alamat penerima, alamat tujuan, address, full address, shipping address, "
        "delivery address, home address",
    ),
    (
        PLACE,
        "kecamatan, kec, kelurahan, kel, desa, kel/desa, desa/kel, kelurahan/desa, "
        "desa/kelurahan, kota, kabupaten, kab, kota/kab, kab/kota, kota/kabupaten, "
        "kabupaten/kota, provinsi, prov, kode pos, kodepos, kd pos, rt/rw, rt, rw, patokan, "
        "city, district, subdistrict, regency, city/regency, province, postcode, "
        "postal code, post code, zip, zip code, landmark",
    ),
    (
        ITEMS,
        "pesanan, order, orderan, barang, nama barang, produk, nama produk, item, items, "
        "belanjaan, list order, list pesanan, daftar pesanan, detail pesanan, detail order, "
        "your order, products",
    ),
    (QTY, "jumlah, jml, qty, quantity, banyaknya, jumlah pesanan, jumlah barang"),
    (
        COURIER,
        "ekspedisi, expedisi, ekspedisi/kurir, kurir/ekspedisi, kurir, jasa kirim, "
        "jasa pengiriman, jasa ekspedisi, pengiriman, pilihan ekspedisi, pilihan kurir, "
        "courier, shipping, shipping courier, delivery, shipping method",
    ),
    (ONGKIR, "ongkir, ongkos kirim, biaya kirim, biaya ongkir, shipping cost, shipping fee"),
    (
        PAYMENT,
        "pembayaran, metode pembayaran, metode bayar, bayar, cara bayar, payment, payment method",
    ),
    (
        NOTE,
        "catatan, keterangan, ket, note, notes, catatan tambahan, pesan tambahan, request, "
        "remarks, note/request",
    ),
):
    for _label in _words.split(","):
        LABELS[" ".join(_label.split())] = _field

# Labels that start a field even without a colon inside an address, an item list or a note
# (where "kota" or "wa" could as well be words of the text): long, unmistakable words.
STRONG = frozenset(
    "nama alamat pesanan orderan ekspedisi kurir catatan keterangan ongkir jumlah "
    "name address courier notes".split()
)
# What buyers write in a field that has nothing for it.
NOTHING = frozenset(
    {"-", "--", "—", "–", ".", "..", "...", "nihil", "tidak ada", "tdk ada", "gak ada"}
    | {"ga ada", "nggak ada", "none", "n/a", "no", "nothing", "kosong"}
)
# Fields whose value may go over several lines.
MULTILINE = frozenset({ADDRESS, ITEMS, NOTE})
# The parts of an address that keep their word in it ("Kec. Coblong", "Kab. Bandung":
# Kabupaten Bandung and Kota Bandung are not the same place for a courier).
PLACE_PREFIX = {
    "kecamatan": "Kec.",
    "kec": "Kec.",
    "kelurahan": "Kel.",
    "kel": "Kel.",
    "desa": "Desa",
    "kabupaten": "Kab.",
    "kab": "Kab.",
    "kota": "Kota",
    "kota/kab": "Kota/Kab.",
    "kab/kota": "Kab./Kota",
    "kel/desa": "Kel./Desa",
    "desa/kel": "Desa/Kel.",
    "rt/rw": "RT/RW",
    "rt": "RT",
    "rw": "RW",
}

# What buyers put in front of a line: bullets, dashes, arrows, numbering ("1.", "2)").
_BULLETS = "-*•·▪◦‣►▶➤>~+=#|_"
_NUMBERING = re.compile(r"(?:\d{1,2}[.)]|\(\d{1,2}\)|[a-e][.)])\s+")
_SEPARATOR = re.compile(r"\s*[:：=]\s*|\s+[-–—]\s+")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_UNITS = r"(?:pcs|pc|pcs\.|buah|bh|biji|unit|units|set|pasang|psg|lusin|pack|pak|item|items)"
_QTY_ONLY = re.compile(rf"(?:[x×*]\s*)?(\d{{1,6}})\s*(?:[x×]|{_UNITS})?", re.I)
_QTY_PATTERNS = (
    re.compile(rf"(?P<name>.+?)\s*[x×*]\s*(?P<qty>\d{{1,6}})\s*{_UNITS}?$", re.I),  # Wajan x2
    re.compile(rf"(?P<name>.+?)\s*[(\[]\s*(?P<qty>\d{{1,6}})\s*{_UNITS}?\s*[)\]]$", re.I),
    re.compile(rf"(?P<name>.+?)\s*[:=]\s*(?P<qty>\d{{1,6}})\s*{_UNITS}?$", re.I),  # PAN-24: 2
    re.compile(rf"(?P<name>.+?)\s+(?P<qty>\d{{1,6}})\s*{_UNITS}$", re.I),  # spatula 2 pcs
    re.compile(r"(?P<name>.+?)\s+(?P<qty>\d{1,6})\s*[x×]$", re.I),  # spatula 2x
    re.compile(rf"^(?P<qty>\d{{1,6}})\s*(?:[x×]|{_UNITS})?\s+(?P<name>\D.*)$", re.I),  # 2 pcs X
)
# A price the buyer copied from the catalogue after the item: never the price booked.
_PRICE = re.compile(
    r"\s*(?:[-–@=]\s*)?\(?\s*(?:rp\.?|idr)\s*[\d.,]+\s*(?:rb|ribu|k|jt|juta)?\s*\)?\s*$"
    r"|\s*[-–@=]\s*[\d.,]+\s*(?:rb|ribu|k|jt|juta)\s*$",
    re.I,
)
# Words around an item's name that are not in it ("mau yang 24", "wajan ukuran 24").
_FILLER = frozenset(
    "mau beli order pesan yang ukuran uk size warna sama dan tolong ya kak nya the of".split()
)
# Between items on one line: a comma or semicolon (not inside a number), " dan ", " + ".
_ITEM_SPLIT = re.compile(r"\s*[;,](?!\d{3}\b)\s*|\s+(?:dan|and|\+|&)\s+(?=\d|[a-z])", re.I)


# A field olshop does not know, with a value that holds no number ("Warna: merah").
_OTHER_FIELD = re.compile(r"^[^\d:：=]{1,30}[:：=]\s*\D*$")


# A remark in brackets after an item, with words in it: "(kalau habis ganti 28 aja kak)".
_COMMENT = re.compile(
    rf"\s*\((?!\s*\d{{1,6}}\s*{_UNITS}?\s*\))(?=[^)]*[^\W\d_]{{3}})[^)]*\)\s*$", re.I
)
# An item with its quantity, then words that are not part of it: "spatula x 1 warna merah".
_TRAILING_WORDS = re.compile(
    rf"(?P<item>.+?\s*[x×*]\s*\d{{1,6}}\s*{_UNITS}?)\s+(?P<rest>[^\W\d_].*)", re.I
)
_COUNT = re.compile(rf"[x×*]\s*\d{{1,6}}(?:\s*{_UNITS})?(?=\s|$)", re.I)
_NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5,
}  # fmt: skip
_WORD_COUNT = re.compile(
    r"(?:(?<=\s)|^)(?:qty|jml|jumlah|sebanyak)?\s*(" + "|".join(_NUMBER_WORDS) + r")(?=\s|$)"
    r"|(?<=\s)(?:qty|jml|jumlah|sebanyak)\s*(\d{1,6})$",
    re.I,
)


def _after_counts(piece: str) -> list[str]:
    """`spatula x2 magnet x3` as two items: cut after each `xN` that more words follow."""
    parts, start = [], 0
    for found in _COUNT.finditer(piece):
        rest = piece[found.end() :].strip()
        if rest and re.match(r"[^\W\d_]", rest) and _COUNT.search(rest):
            parts.append(piece[start : found.end()])
            start = found.end()
    parts.append(piece[start:])
    return [part.strip() for part in parts if part.strip()]


def _number_words(piece: str) -> str:
    """`spatula dua`, `wajan 24 qty 2` as `spatula x2`, `wajan 24 x2`."""
    found = _WORD_COUNT.search(piece)
    if not found:
        return piece
    number = _NUMBER_WORDS[found.group(1).lower()] if found.group(1) else int(found.group(2))
    rest = (piece[: found.start()] + " " + piece[found.end() :]).strip()
    return f"{rest} x{number}" if rest else piece


def _is_decoration(ch: str) -> bool:
    """An emoji, a symbol, a joiner or a variation selector: what decorates a label."""
    return unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn", "Co", "Cs") or ch in "\ufe0f"


def tidy_line(line: str) -> str:
    """A line without the bullets, numbering and emoji in front or emoji at the end."""
    text = line.strip()
    while True:
        before = text
        text = text.lstrip(_BULLETS).lstrip()
        while text and _is_decoration(text[0]):
            text = text[1:].lstrip()
        numbered = _NUMBERING.match(text)
        if numbered:
            text = text[numbered.end() :]
        if text == before:
            break
    while text and (_is_decoration(text[-1]) or text[-1].isspace()):
        text = text[:-1]
    return text


def _label_key(text: str) -> str:
    text = _BRACKETS.sub("", text).lower().replace(".", " ")
    text = re.sub(r"\s*/\s*", "/", text)
    words = text.split()
    # "Pesanan saya", "Nama kamu", "My order": whose it is is not part of the label.
    while len(words) > 1 and words[-1] in _WHOSE:
        words.pop()
    while len(words) > 1 and words[0] in ("my", "your"):
        words.pop(0)
    return " ".join(words)


_WHOSE = frozenset({"saya", "aku", "ku", "kamu", "anda", "kakak", "kak", "nya"})


@dataclass
class Form:
    """The fields of a filled form as written: each a list of lines."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    # Lines that were no field olshop knows, as written (a greeting, "Warna: merah").
    unread: list[str] = field(default_factory=list)

    def text(self, name: str, sep: str = " ") -> str:
        parts = (part for part in self.fields.get(name, []) if part.casefold() not in NOTHING)
        return sep.join(parts).strip()


def _place(line: str, label: str, value: str) -> str:
    """A part of the address as it goes into it: a line written without a colon as it is
    ("Kab. Bandung", "Kota Baru Parahyangan"); `Kecamatan: Coblong` as "Kec. Coblong"."""
    if not value or line.startswith(f"{label} {value}"):
        return line
    prefix = PLACE_PREFIX.get(_label_key(label))
    if prefix and not value.lower().startswith(prefix.lower().rstrip(".")[:3]):
        return f"{prefix} {value}"
    return value


def _label_of(text: str, inside: str | None) -> tuple[str, str, str] | None:
    """(field, the label as written, the value) when the line starts with a label."""
    separator = _SEPARATOR.search(text)
    if separator and separator.start() > 0:
        label = _label_key(text[: separator.start()])
        if label in LABELS:
            return LABELS[label], text[: separator.start()], text[separator.end() :].strip()
    # No separator: "Nama Siti Aminah", "No HP 0812...", "Alamat" alone on its line.
    words = text.split()
    for size in range(min(len(words), 4), 0, -1):
        label = _label_key(" ".join(words[:size]))
        if label not in LABELS:
            continue
        name, value = LABELS[label], " ".join(words[size:])
        from olshop_cli.phone import looks_like_phone

        if name == PHONE and value and not looks_like_phone(_phone_part(value) or "-"):
            return None  # "wa aja ya kak": words of a note, not a phone
        if name == ITEMS and value and not re.search(r"\d", value):
            return None  # "Order ya kak": a greeting; "Order 2 wajan 24" is an order
        if (
            value
            and inside in MULTILINE
            and label not in STRONG
            and name != PHONE
            and not (name == PLACE and inside == ADDRESS)
        ):
            return None  # "kota" in the middle of an address is a word of it
        return name, " ".join(words[:size]), value
    return None


# What a chat app puts in front of each copied message: "[08.15, 23/11/2026] Bu Endah: "
# (WhatsApp on a computer), "23/11/26 08.15 - Bu Endah: " (a chat exported from a phone).
_CHAT = re.compile(
    r"^\s*(?:\[\d{1,2}[.:]\d{2}(?:[.:]\d{2})?(?:\s*[AP]M)?,\s*\d{1,2}/\d{1,2}/\d{2,4}\]"
    r"|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}[.:]\d{2}(?:\s*[AP]M)?\s+-)\s*[^:]{1,40}:\s?",
    re.I,
)
# Dashes a phone or a chat puts between digits.
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe63\uff0d]")
# A field's label after a comma, semicolon or bar on one line: "Nama: Wati, No HP: 0858...".
_NEXT_FIELD = re.compile(r"\s*[,;|]\s*(?=([^,;|:：=]{1,30}?)\s*[:：=])")


def _one_line_fields(line: str) -> list[str]:
    """A line holding several fields ("Nama: Wati, No HP: 0858..., Alamat: ...") as one
    line a field; any other line as it is."""
    parts, start = [], 0
    for found in _NEXT_FIELD.finditer(line):
        if _label_key(tidy_line(found.group(1))) in LABELS and _SEPARATOR.search(line, 0):
            parts.append(line[start : found.start()])
            start = found.end()
    parts.append(line[start:])
    return parts if len(parts) > 1 else [line]


def read_form(text: str) -> Form:
    """The fields of a filled form, as written (see the module's text)."""
    from olshop_cli.phone import looks_like_phone
    from olshop_cli.text import safe

    form = Form()
    current: str | None = None
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", safe(text)))
    lines = [part for raw in text.splitlines() for part in _one_line_fields(_CHAT.sub("", raw))]
    for raw in lines:
        line = tidy_line(raw)
        if not line:
            continue
        found = _label_of(line, current)
        if found is not None:
            name, label, value = found
            if name == PLACE:  # a part of the address: "Kec. Coblong", "Kab. Bandung"
                form.fields.setdefault(ADDRESS, []).append(_place(line, label, value))
                current = ADDRESS
                continue
            form.fields.setdefault(name, [])
            if value:
                form.fields[name].append(value)
            current = name
            continue
        values = form.fields.get(current, []) if current else []
        if current == ITEMS and _OTHER_FIELD.match(line):
            form.unread.append(line)  # "Warna: merah" under the items: no item, no quantity
        elif current in MULTILINE or (current is not None and not values):
            form.fields.setdefault(current, []).append(line)  # type: ignore[arg-type]
        elif not form.fields.get(PHONE) and looks_like_phone(_phone_part(line) or "-"):
            form.fields[PHONE] = [line]  # a number on its own line
        else:
            form.unread.append(line)
    return form


def _phone_part(text: str) -> str | None:
    """The number in what was written as the phone ("0812-3456-7890 (WA)")."""
    found = re.search(r"\+?\(?\d[\d\s\-.()/]{6,}\d", text)
    return found.group(0).strip() if found else None


def split_items(lines: list[str], extra: list[str] | None = None) -> list[tuple[str, int, bool]]:
    """Each item as (what names it, quantity, whether a quantity was written): one per
    line or comma-separated; `Wajan 24 x2`, `2 pcs spatula`, `PAN-24 (2)`, `spatula: 3`,
    `wajan 24 qty 2`, `spatula dua`; `spatula x2 magnet x3` is two. A quantity alone
    ("2 pcs") goes with the item before it. Words after an item's quantity ("warna
    merah", "(kalau habis ganti 28)") are not part of it: they go to `extra`."""
    out: list[tuple[str, int, bool]] = []
    for line in lines:
        for piece in (p for part in _ITEM_SPLIT.split(line) for p in _after_counts(part)):
            piece = _PRICE.sub("", tidy_line(piece)).strip(" .,-")
            comment = _COMMENT.search(piece)
            if comment and extra is not None:
                extra.append(comment.group(0).strip())
                piece = piece[: comment.start()].strip(" .,-")
            piece = _number_words(piece)
            trailing = _TRAILING_WORDS.fullmatch(piece)
            if trailing and extra is not None:
                extra.append(trailing["rest"])
                piece = trailing["item"]
            if not piece:
                continue
            alone = _QTY_ONLY.fullmatch(piece)
            if alone and out and not out[-1][2]:
                out[-1] = (out[-1][0], int(alone.group(1)), True)
                continue
            for pattern in _QTY_PATTERNS:
                found = pattern.fullmatch(piece)
                if found:
                    out.append((found["name"].strip(" .,-"), int(found["qty"]), True))
                    break
            else:
                out.append((piece, 1, False))
    return out


@dataclass
class Problem:
    """What stops the form from being booked: one sentence, and what to do."""

    message: str
    hint: str | None = None


@dataclass
class Line:
    product: Product
    qty: int
    typed: str

    @property
    def amount(self) -> int:
        return self.product.price * self.qty


@dataclass
class Plan:
    """What a form comes to in the ledger: nothing here is stored until `book`."""

    customer: Customer | None = None  # a customer already in the ledger
    name: str | None = None  # as the form gives it
    phone: str | None = None  # E.164
    address: str | None = None
    fill: dict[str, str] = field(default_factory=dict)  # what the customer lacks
    differs: list[tuple[str, str, str]] = field(default_factory=list)  # (field, kept, form)
    lines: list[Line] = field(default_factory=list)
    courier: str | None = None
    service: str | None = None
    pickup: bool = False
    cod: bool = False  # the buyer pays the courier on delivery
    ongkir: int = 0
    discount: int = 0
    discount_text: str | None = None
    note: str | None = None
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # unmatched items left out
    unread: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, no reason to stop

    @property
    def items_total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return self.items_total - self.discount + self.ongkir


def _same_text(a: str | None, b: str | None) -> bool:
    def plain(text: str | None) -> str:
        return " ".join(re.sub(r"[^\w]+", " ", (text or "").casefold()).split())

    return plain(a) == plain(b)


def _problem(error: OlshopError) -> Problem:
    return Problem(error.message, error.hint)


def understand(
    ledger: Ledger,
    form: Form,
    courier: str | None = None,
    ongkir: int | None = None,
    skip_unmatched: bool = False,
    discount: str | None = None,
) -> Plan:
    """What the form comes to in this ledger (the ledger is not changed). `courier` and
    `ongkir`, when given, stand instead of the form's; `discount` as `book` takes it."""
    from olshop_cli.models import TEXT_LIMITS, check_text

    plan = Plan(unread=list(form.unread))
    plan.name = _name_case(form.text(NAME)) or None
    address = form.text(ADDRESS, ", ")
    plan.address = re.sub(r",\s*,", ",", re.sub(r"\s*,\s*", ", ", address)).strip(" ,") or None
    plan.note = form.text(NOTE, "; ") or None
    for value, what, limit in (
        (plan.name, "name", TEXT_LIMITS["name"]),
        (plan.address, "address", TEXT_LIMITS["text"]),
        (plan.note, "note", TEXT_LIMITS["text"]),
    ):
        try:
            check_text(value, what, limit)
        except InputError as error:
            plan.problems.append(_problem(error))
    _find_customer(ledger, form, plan)
    _match_items(ledger, form, plan, skip_unmatched)
    _shipping(form, plan, courier, ongkir)
    _booked_before(ledger, plan)
    if discount and discount.strip() and plan.lines:
        from olshop_cli.ledger import parse_discount

        try:
            plan.discount, plan.discount_text = parse_discount(discount, plan.items_total)
        except InputError as error:
            plan.problems.append(_problem(error))
    return plan


def _name_case(name: str) -> str:
    """A name typed all in small or all in capital letters as names are written ("ibu
    ratna dewi", "SRI WAHYUNI" -> "Ibu Ratna Dewi", "Sri Wahyuni"); any other as typed."""
    if not (name.islower() or name.isupper()):
        return name
    return " ".join(word[:1].upper() + word[1:].lower() for word in name.split())


def _booked_before(ledger: Ledger, plan: Plan) -> None:
    """A buyer who already has an open booking, not yet shipped, with an item of this form
    (the same order sent twice?): said before anything is booked."""
    from olshop_cli.models import RESERVING_STATUSES

    if plan.customer is None or not plan.lines:
        return
    skus = {line.product.sku for line in plan.lines}
    for other in ledger.open_bookings_of(plan.customer):
        same = [line.sku for line in other.lines if line.sku in skus]
        if other.status in RESERVING_STATUSES and same:
            plan.notes.append(
                _("{name} already has {id} open with {skus}: is this the same order?").format(
                    name=plan.customer.name, id=other.id, skus=", ".join(same)
                )
            )


def _find_customer(ledger: Ledger, form: Form, plan: Plan) -> None:
    from olshop_cli.phone import normalize_phone

    written = form.text(PHONE)
    if written:
        try:
            plan.phone = normalize_phone(_phone_part(written) or written)
        except InputError:
            plan.problems.append(
                Problem(
                    _("The phone on the form, '{text}', is not a phone number.").format(
                        text=written
                    ),
                    _("Correct it in the form, like 0812-3456-7890, and read it again."),
                )
            )
            return
    customer = ledger._phone_owner(plan.phone) if plan.phone else None
    if customer is None and plan.name:
        # The same full name (without "Bu", titles or emoji) and no other phone kept.
        real = names.parse(plan.name).real.casefold()
        same = [
            c
            for c in ledger.customers.values()
            if names.parse(c.name).real.casefold() == real
            and not (plan.phone and c.phone and c.phone != plan.phone)
        ]
        if len(same) > 1:
            plan.problems.append(
                _problem(
                    ledger._which_customer(
                        plan.name, same, _("Add the buyer's phone number to the form.")
                    )
                )
            )
            return
        customer = same[0] if same else None
    if customer is None:
        if not plan.name:
            plan.problems.append(
                Problem(
                    _("The form has no name, and no customer has its phone number.")
                    if plan.phone
                    else _("The form has no name and no phone number."),
                    _("Add a line like 'Nama: Siti Aminah' to the form."),
                )
            )
        return
    plan.customer = customer
    for what, kept, given in (
        ("name", customer.name, plan.name),
        ("address", customer.address, plan.address),
        ("phone", customer.phone, plan.phone),
    ):
        if not given:
            continue
        if not kept:
            plan.fill[what] = given
        elif what == "name" and names.parse(given).real.casefold() in (
            names.parse(kept).real.casefold(),
            names.parse(kept).calling.casefold(),
        ):
            continue  # "Bu Siti Aminah" or "Siti" for Siti Aminah: the same buyer's name
        elif not _same_text(kept, given):
            plan.differs.append((what, kept, given))


def _match_items(ledger: Ledger, form: Form, plan: Plan, skip_unmatched: bool) -> None:
    from olshop_cli.errors import NotFound

    items = split_items(form.fields.get(ITEMS, []), plan.unread)
    quantity = form.text(QTY)
    if quantity:
        # "Jumlah: 2" for one item; "Jumlah: 1 dan 2" for two, in their order.
        numbers = [int(n) for n in re.findall(r"\d{1,6}", quantity)]
        words = re.sub(
            r"\d{1,6}|" + _UNITS + r"|\b(?:dan|and)\b|[\s,;&+/x×-]", "", quantity, flags=re.I
        )
        if not words and len(numbers) == len(items) and not any(i[2] for i in items):
            items = [(typed, n, True) for (typed, _q, _w), n in zip(items, numbers, strict=True)]
        else:
            plan.problems.append(
                Problem(
                    _("The form's quantity '{text}' does not say which item it is for.").format(
                        text=quantity
                    ),
                    _("Put each quantity next to its item in the form, like 'Wajan 24 x2'."),
                )
            )
    if not items:
        plan.problems.append(
            Problem(
                _("The form has no items."),
                _("Add a line like 'Pesanan: Wajan 24 x2' to the form."),
            )
        )
        return
    wanted: dict[str, Line] = {}
    for typed, qty, written in items:
        if qty < 1:
            plan.problems.append(
                Problem(
                    _("The quantity of '{text}' on the form is 0.").format(text=typed),
                    _("Correct it in the form, like 'Wajan 24 x2', and read it again."),
                )
            )
            continue
        try:
            product, qty = _find_item(ledger, typed, qty, written)
        except OlshopError as error:
            problem = _problem(error)
            generic = error.hint == _("See olshop product list.")  # no closer SKU or name
            if generic and isinstance(error, NotFound) and (close := _close_by_word(ledger, typed)):
                problem.hint = _("Did you mean {skus}?").format(skus=f" {_('or')} ".join(close))
            if skip_unmatched and isinstance(error, NotFound | InputError):
                plan.skipped.append(problem)
            else:
                plan.problems.append(problem)
            continue
        if product.sku in wanted:
            wanted[product.sku].qty += qty
        else:
            wanted[product.sku] = Line(product, qty, typed)
    plan.lines = list(wanted.values())
    if not plan.lines and not plan.problems:
        plan.problems.append(
            Problem(
                _("No item on the form is left to book."),
                _("Correct the items in the form and read it again."),
            )
        )
    for line in plan.lines:
        free = ledger.available(line.product)
        if line.qty > free:
            p = line.product
            message = _("Only {free} of {sku} ({name}) available; asked for {qty}.").format(
                free=max(free, 0), sku=p.sku, name=p.name, qty=line.qty
            )
            if p.restock:
                message += " " + _("Restock expected {date}.").format(date=p.restock)
            plan.problems.append(
                Problem(
                    message,
                    (
                        _("Book {free} or fewer, or add stock: olshop product stock {sku} +N")
                        if free > 0
                        else _(
                            "Add stock: olshop product stock {sku} +N, or tell the buyer: "
                            "olshop reply stockout --sku {sku}"
                        )
                    ).format(free=max(free, 0), sku=p.sku),
                )
            )


def _close_by_word(ledger: Ledger, typed: str) -> list[str]:
    """Products with a word close to a word typed ("sptula": Spatula silikon), at most
    three, for a refusal's hint: a typo is pointed out, never booked."""
    import difflib

    by_word: dict[str, list[Product]] = {}
    for product in ledger.products.values():
        for word in re.findall(r"[^\W\d_]{3,}", product.name.lower()):
            by_word.setdefault(word, []).append(product)
    found: dict[str, Product] = {}
    for word in re.findall(r"[^\W\d_]{3,}", typed.lower()):
        for close in difflib.get_close_matches(word, list(by_word), n=2, cutoff=0.75):
            for product in by_word[close]:
                found.setdefault(product.sku, product)
    if not found or len(found) > 3:
        return []
    return [f"{p.sku} ({p.name})" for _sku, p in sorted(found.items())]


def _find_item(ledger: Ledger, typed: str, qty: int, written: bool) -> tuple[Product, int]:
    """The product and quantity of an item. A number at the end is part of the name when a
    product has it ("Wajan 24"), else the quantity ("Spatula silikon 2")."""
    from olshop_cli.errors import NotFound

    try:
        return _find_product(ledger, typed), qty
    except NotFound:
        number = re.fullmatch(r"(.*\S)\s+(\d{1,3})", typed)
        if written or number is None or int(number[2]) < 1:
            raise
        try:
            return _find_product(ledger, number[1]), int(number[2])
        except NotFound:
            pass
        raise


def _find_product(ledger: Ledger, typed: str) -> Product:
    """The product an item names: as `find_product` has it, then with "24cm" read as "24
    cm" and words like "mau", "yang", "ukuran" left out."""
    from olshop_cli.errors import NotFound

    try:
        return ledger.find_product(typed)
    except NotFound as first:
        spaced = re.sub(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)", " ", typed)
        words = [w for w in spaced.split() if w.lower() not in _FILLER]
        again = " ".join(words)
        if not words or again == typed:
            raise
        try:
            return ledger.find_product(again)
        except NotFound:
            raise first from None


def _shipping(form: Form, plan: Plan, courier: str | None, ongkir: int | None) -> None:
    from olshop_cli.money import parse_money

    written = form.text(COURIER)
    payment = form.text(PAYMENT)
    # "COD" as the courier or the way to pay: kept on the booking, never asked to transfer.
    plan.cod = bool(re.search(r"\bcod\b", f"{written} {payment}", re.I))
    if plan.cod:
        written = re.sub(r"\s*\bcod\b\s*", " ", written, flags=re.I).strip(" /-,")
        plan.note = "; ".join(part for part in ("COD", plan.note) if part)
    elif payment and not re.search(
        r"\b(?:transfer|tf|trf|bca|bri|bni|mandiri|qris)", payment, re.I
    ):
        plan.unread.append(payment)
    chosen = courier if courier is not None else written
    if chosen:
        known, rest = couriers.split(chosen)
        if couriers.is_pickup(chosen):
            plan.pickup = True  # kept in the booking's note, in the words written
            if not plan.note or chosen.casefold() not in plan.note.casefold():
                plan.note = "; ".join(part for part in (chosen, plan.note) if part)
        elif courier is not None:
            plan.courier = couriers.normalize(courier)
        elif known is None:
            plan.unread.append(written)
            plan.notes.append(
                _("'{text}' is no courier olshop knows: give one with --courier.").format(
                    text=written
                )
            )
        else:
            plan.courier = known.name
            rest = rest.strip("()[] ")
            if re.fullmatch(r"[A-Za-z]{2,8}", rest):
                plan.service = rest.upper()
            elif rest:
                plan.unread.append(written)
    if ongkir is not None:
        plan.ongkir = ongkir
    elif form.text(ONGKIR):
        try:
            plan.ongkir = parse_money(form.text(ONGKIR))
        except InputError as error:
            plan.problems.append(
                Problem(error.message, _("Give the shipping cost with --ongkir, like 18rb."))
            )
    if plan.ongkir and not plan.courier:
        plan.problems.append(
            Problem(_("Ongkir needs its courier."), _("Add --courier, like --courier 'J&T'."))
        )


def book(
    ledger: Ledger,
    plan: Plan,
    now: datetime,
    update_customer: bool = False,
    deadline: datetime | None = None,
    note: str | None = None,
) -> tuple[Booking, Customer, bool]:
    """Make the customer (or fill in what they lack, and with `update_customer` take the
    form's name and address) and the booking, in the change the caller holds. Returns the
    booking, the customer, and whether the customer is new."""
    if plan.problems:
        first = plan.problems[0]
        raise InputError(first.message, first.hint)
    customer = plan.customer
    new = customer is None
    if customer is None:
        assert plan.name is not None  # understand() made a problem of a form without one
        customer = ledger.add_customer(plan.name, now, phone=plan.phone, address=plan.address)
    else:
        changes = dict(plan.fill)
        if update_customer:
            changes.update({what: given for what, _kept, given in plan.differs})
        if changes:
            customer = ledger.edit_customer(customer.key, **changes)
    notes = "; ".join(part for part in (plan.note, note) if part) or None
    booking = ledger.book(
        customer,
        [f"{line.product.sku}:{line.qty}" for line in plan.lines],
        now,
        deadline=deadline,
        note=notes,
        discount=plan.discount_text,
        ongkir=plan.ongkir,
        courier=plan.courier,
        service=plan.service,
    )
    return booking, customer, new
