"""The seller's things as plain dataclasses, and the booking status rules.

Nothing here touches files or the terminal. Times are stored as ISO 8601 strings with their
offset (what the JSON ledger holds); helpers turn them into aware datetimes when needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from operator import itemgetter

from olshop_cli.errors import Conflict, InputError
from olshop_cli.i18n import N_, _
from olshop_cli.names import calling_name

CHANNELS = ("wa", "ig", "shopee", "tokopedia", "other")
CHANNEL_ALIASES = {
    "whatsapp": "wa",
    "instagram": "ig",
    "tokped": "tokopedia",
    "tokopedia": "tokopedia",
    "lainnya": "other",
}
KNOWN_CALLS = ("Kak", "Sis", "Gan", "Bro", "Mbak", "Mas", "Bu", "Pak")

BOOKED, PAID, SHIPPED, DONE, CANCELLED, RELEASED = (
    "booked",
    "paid",
    "shipped",
    "done",
    "cancelled",
    "released",
)
STATUSES = (BOOKED, PAID, SHIPPED, DONE, CANCELLED, RELEASED)
OPEN_STATUSES = (BOOKED, PAID, SHIPPED)
CLOSED_STATUSES = (DONE, CANCELLED, RELEASED)
# Stock stays reserved until the parcel leaves: shipping takes it off the shelf for good.
RESERVING_STATUSES = (BOOKED, PAID)
MOVES = {
    BOOKED: (PAID, CANCELLED, RELEASED),
    PAID: (SHIPPED, CANCELLED),  # a paid order cancelled: the money paid back or kept
    SHIPPED: (DONE, CANCELLED),  # a parcel that came back (olshop return)
}
# A move refused, as the seller reads it: "B3 is paid, so it cannot be cancelled."
VERBS = {
    PAID: N_("{bid} is {status}, so it cannot be paid."),
    SHIPPED: N_("{bid} is {status}, so it cannot be shipped."),
    DONE: N_("{bid} is {status}, so it cannot be marked done."),
    CANCELLED: N_("{bid} is {status}, so it cannot be cancelled."),
    RELEASED: N_("{bid} is {status}, so it cannot be released."),
}
# The statuses as the seller reads them in a sentence (stored, and in --json, as above).
STATUS_WORDS = {
    BOOKED: N_("booked"),
    PAID: N_("paid"),
    SHIPPED: N_("shipped"),
    DONE: N_("done"),
    CANCELLED: N_("cancelled"),
    RELEASED: N_("released"),
}

# A kode unik is one of 1..MAX_UNIQUE_CODE; the seller is told when fewer than
# UNIQUE_CODES_LOW are free.
MAX_UNIQUE_CODE = 999
UNIQUE_CODES_LOW = 100

# Reminder steps with a buyer who booked and went quiet (SPEC: remind, check in, release).
CHECKIN = 2  # after the reminder (step 1), the check-in; then release
STEP_NAMES = {0: "reminder", 1: "check-in", 2: "release"}


def status_word(status: str) -> str:
    """A status as the seller reads it, in their language (one not known: as stored)."""
    word = STATUS_WORDS.get(status)
    return _(word) if word else status


def iso(moment: datetime) -> str:
    """Store a moment as ISO 8601 with its offset, to the second."""
    return moment.isoformat(timespec="seconds")


@lru_cache(maxsize=4096)
def parse_iso(text: str) -> datetime:
    """Read back a stored moment (remembered: a listing asks for each deadline often)."""
    return datetime.fromisoformat(text)


def normalize_channel(text: str) -> str:
    """One of CHANNELS, from what was typed (`WA`, `whatsapp`, `tokped`...)."""
    word = text.strip().lower()
    word = CHANNEL_ALIASES.get(word, word)
    if word not in CHANNELS:
        raise InputError(
            _("Unknown channel '{text}'.").format(text=text),
            _("Use one of: {choices}.").format(choices=", ".join(CHANNELS)),
        )
    return word


def normalize_call(text: str) -> str:
    """An honorific: the known ones in their usual spelling, any other word kept as typed."""
    word = " ".join(text.split())
    if not word:
        raise InputError(_("The honorific is empty."), _("Type one like Kak, Bu, Pak or Mbak."))
    for known in KNOWN_CALLS:
        if known.lower() == word.lower():
            return known
    return word


# A SKU: letters A-Z, digits, dashes, dots and underscores, up to 40 (case-insensitive).
_SKU = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,39}")
# What a phone keyboard or a copy from a chat slips in: invisible characters, and dashes
# that look like "-" (a copied PAN–24 is PAN-24).
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"), "-")
TEXT_LIMITS = {"name": 200, "text": 1000}  # characters: a name; a note, address or reason
# The texts check_text names, as the seller reads them ("The note is 1200 characters long").
FIELD_WORDS = {
    "name": N_("name"),
    "nickname": N_("nickname"),
    "nick": N_("nick"),
    "call": N_("call"),
    "phone": N_("phone"),
    "channel": N_("channel"),
    "address": N_("address"),
    "note": N_("note"),
    "reason": N_("reason"),
}


def normalize_key(text: str) -> str:
    """A customer key as typed, read as meant: NFKC (full-width letters are letters), no
    invisible characters, look-alike dashes as "-", lower-case."""
    import unicodedata

    key = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)
    return key.strip().lower()


def normalize_sku(text: str) -> str:
    """A SKU as olshop keeps it: NFKC (full-width letters are letters), without invisible
    characters, look-alike dashes as "-", upper-case; refused unless 1 to 40 of A-Z, 0-9,
    "-", "." and "_"."""
    import unicodedata

    sku = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)
    sku = sku.strip().upper()
    if not _SKU.fullmatch(sku):
        raise InputError(
            _("'{text}' is not a usable SKU.").format(text=text),
            _("A SKU is 1 to 40 letters A-Z, digits, dashes, dots or underscores, like PAN-24."),
        )
    return sku


def tidy_name(value: str) -> str:
    """A name as kept: checked as check_text does, its spaces tidied (`  Siti   A ` ->
    `Siti A`)."""
    check_text(value, "name", TEXT_LIMITS["name"])
    return " ".join(value.split())


def check_text(value: str | None, what: str, limit: int = TEXT_LIMITS["text"]) -> str | None:
    """A name, note, address or other text as typed, if it is within `limit` characters and
    holds no NUL; else a refusal naming the field."""
    word = _(FIELD_WORDS[what]) if what in FIELD_WORDS else what
    if value is not None and len(value) > limit:
        raise InputError(
            _("The {what} is {length} characters long; olshop keeps at most {limit}.").format(
                what=word, length=len(value), limit=limit
            ),
            _("Shorten the {what}.").format(what=word),
        )
    if value is not None and "\x00" in value:
        raise InputError(
            _("The {what} holds a NUL character.").format(what=word),
            _("Type the {what} again.").format(what=word),
        )
    return value


@dataclass
class Customer:
    key: str
    name: str
    call: str | None = None  # None: use the shop's default honorific
    nick: str | None = None
    phone: str | None = None  # E.164, e.g. +6281234567890
    channel: str | None = None
    address: str | None = None
    note: str | None = None
    created: str | None = None
    # Running counts of this buyer's bookings (ledger.History.to_dict), kept by the ledger so
    # listings can flag hit-and-run buyers without reading the archive. None: not counted yet
    # (a customer from before the counts existed); the next booking counts them once.
    counts: dict | None = None

    @property
    def short_name(self) -> str:
        """What the seller calls them: the nickname, else the name they go by ("Hj. Siti
        Aminah" -> Siti, "Muhammad Rizal" -> Rizal: names.calling_name)."""
        return self.nick or calling_name(self.name)

    def to_dict(self) -> dict:
        # Not dataclasses.asdict: its deep copy costs ~10 us a record, 60 ms for 5,000.
        data = dict(self.__dict__)
        if self.counts is not None:
            data["counts"] = dict(self.counts)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Customer:
        return cls(**data)


@dataclass
class Product:
    sku: str
    name: str
    price: int
    stock: int = 0  # on hand, including what open bookings reserve
    related: list[str] = field(default_factory=list)
    restock: str | None = None  # ISO date the seller expects new stock
    listed: bool = True  # still on sale in the seller's shops
    note: str | None = None
    created: str | None = None
    # Keys of customers told it was sold out (`reply stockout --to`), to tell when it is back.
    asked_by: list[str] = field(default_factory=list)
    # What one unit costs the seller (whole rupiah), for the report's gross profit; stored
    # only when known, so products without one read and write as before.
    cost: int | None = None

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["related"] = list(self.related)
        data["asked_by"] = list(self.asked_by)
        if self.cost is None:
            del data["cost"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Product:
        return cls(**data)


@dataclass
class Line:
    sku: str
    name: str
    qty: int
    price: int  # unit price at booking time
    # The product's cost price at booking time (None: not known): a later change of the
    # cost does not rewrite the profit of what was sold. Stored only when known.
    cost: int | None = None

    @property
    def amount(self) -> int:
        return self.qty * self.price

    def to_dict(self) -> dict:
        if self.cost is None:  # as lines were written before costs existed
            return {"sku": self.sku, "name": self.name, "qty": self.qty, "price": self.price}
        return dict(self.__dict__)


_AMOUNT = itemgetter("amount")
# Booking fields written only when they hold something: bookings from before they existed
# read and write as before.
_OMITTED_WHEN_EMPTY = (
    "discount", "discount_text", "ongkir", "service", "held_by_dp", "unique_code", "pickup",
    "cod",
)  # fmt: skip  # of a payment, refund or kept entry


@dataclass
class Booking:
    number: int
    customer: str  # customer key
    customer_name: str  # as it was at booking time, so history reads right after edits
    lines: list[Line]
    created: str
    deadline: str
    status: str = BOOKED
    reminded: int = 0  # reminder steps sent since the deadline was last set
    reminders: list[dict] = field(default_factory=list)  # {"step", "at"}
    payments: list[dict] = field(default_factory=list)  # {"amount", "at"}
    courier: str | None = None
    tracking: str | None = None
    note: str | None = None
    reason: str | None = None  # why it was cancelled or released
    closed: str | None = None
    history: list[dict] = field(default_factory=list)  # {"at", "event", "detail"}
    # Money paid on a booking that closed without being sold: paid back, or kept by the shop
    # (a down payment forfeited). Each an entry {"amount", "at"}; stored only when there is one.
    refunds: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)
    # The order's own money besides its lines (stored only when given): a discount in rupiah
    # (and how it was typed, "10%"), and the shipping cost with the courier's service.
    discount: int = 0
    discount_text: str | None = None
    ongkir: int = 0
    service: str | None = None
    # A down payment of at least the shop's `dp-minimum` holds the booking past its deadline
    # (a pre-order): not overdue, never released for lateness, until the seller sets when the
    # balance is due (`olshop extend`). Stored only when true.
    held_by_dp: bool = False
    # The kode unik: a number from 1 to 999 added to the total (or, when the shop takes it
    # off, subtracted: stored negative) so that a transfer's amount alone names the booking.
    # 0: none. Stored only when there is one.
    unique_code: int = 0
    # How a shipped parcel went besides a courier with a tracking number (stored only when
    # true): the buyer picked it up (no courier, no tracking number), or cash on delivery
    # (the courier collects what is owed, so it shipped before it was paid).
    pickup: bool = False
    cod: bool = False

    @property
    def id(self) -> str:
        return f"B{self.number}"

    @property
    def total(self) -> int:
        """What the buyer pays: the items, less the discount, plus ongkir and the kode unik
        (less it, where the shop takes it off)."""
        return self.items_total - self.discount + self.ongkir + self.unique_code

    @property
    def items_total(self) -> int:
        return sum([line.qty * line.price for line in self.lines])

    @property
    def goods_total(self) -> int:
        """What the goods sold for: the items less the discount, with the kode unik (the
        shop keeps it, or gives it off, as it does a discount); ongkir is not revenue."""
        return self.items_total - self.discount + self.unique_code

    @property
    def gross_profit(self) -> int | None:
        """What the goods sold for less what they cost the seller, when every line's cost
        price is known (None otherwise)."""
        cost = 0
        for line in self.lines:
            if line.cost is None:
                return None
            cost += line.qty * line.cost
        return self.goods_total - cost

    @property
    def owed(self) -> int:
        """What is still to pay: the total less what was paid and not paid back (0 once
        paid in full)."""
        return max(self.total - self.net_paid, 0)

    @property
    def net_paid(self) -> int:
        """What the buyer paid and was not paid back (what counts towards the total)."""
        return self.paid_amount - self.refunded_amount

    @property
    def paid_amount(self) -> int:
        return sum(map(_AMOUNT, self.payments))

    @property
    def refunded_amount(self) -> int:
        return sum(map(_AMOUNT, self.refunds))

    @property
    def kept_amount(self) -> int:
        return sum(map(_AMOUNT, self.kept))

    @property
    def held_amount(self) -> int:
        """Money paid that is neither paid back nor kept: what a closing booking must settle."""
        return self.paid_amount - self.refunded_amount - self.kept_amount

    @property
    def owed_back(self) -> int:
        """Money paid beyond the total of a sold booking and not yet paid back or kept as
        the buyer's credit: owed to the buyer."""
        if self.status not in (PAID, SHIPPED, DONE):
            return 0
        return max(self.paid_amount - self.total - self.refunded_amount - self.kept_amount, 0)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def deadline_at(self) -> datetime:
        return parse_iso(self.deadline)

    def is_overdue(self, now: datetime) -> bool:
        """Booked, not paid, not held by a down payment, and the payment deadline has passed."""
        return self.status == BOOKED and not self.held_by_dp and self.deadline_at < now

    @property
    def next_step(self) -> str:
        """What to do next with an unpaid booking: reminder, check-in or release."""
        return STEP_NAMES[min(self.reminded, 2)]

    def record(self, now: datetime, event: str, detail: str = "") -> None:
        """Append to the booking's history."""
        self.history.append({"at": iso(now), "event": event, "detail": detail})

    def move(self, new_status: str, now: datetime, detail: str = "") -> None:
        """Change status if the rules allow it, recording the change; else refuse clearly."""
        check_move(self, new_status)
        self.status = new_status
        if new_status in CLOSED_STATUSES:
            self.closed = iso(now)
        self.record(now, new_status, detail)

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["lines"] = [line.to_dict() for line in self.lines]
        for name in ("reminders", "payments", "history"):
            data[name] = list(data[name])  # entries are never changed once written
        for name in ("refunds", "kept"):  # only where there is one: older bookings read as before
            if data[name]:
                data[name] = list(data[name])
            else:
                del data[name]
        for name in _OMITTED_WHEN_EMPTY:
            if not data[name]:
                del data[name]
        data["id"] = self.id
        data["total"] = self.total
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Booking:
        # Positional, field by field: twice as fast as cls(**data), and a listing builds
        # a thousand of these. Unknown fields are refused as cls(**data) would.
        if not _BOOKING_KEYS.issuperset(data):
            raise TypeError(f"unknown booking fields: {sorted(set(data) - _BOOKING_KEYS)}")
        get = data.get
        return cls(
            data["number"],
            data["customer"],
            data["customer_name"],
            [
                Line(ln["sku"], ln["name"], ln["qty"], ln["price"], ln.get("cost"))
                for ln in data["lines"]
            ],
            data["created"],
            data["deadline"],
            get("status", BOOKED),
            get("reminded", 0),
            get("reminders") or [],
            get("payments") or [],
            get("courier"),
            get("tracking"),
            get("note"),
            get("reason"),
            get("closed"),
            get("history") or [],
            get("refunds") or [],
            get("kept") or [],
            get("discount") or 0,
            get("discount_text"),
            get("ongkir") or 0,
            get("service"),
            get("held_by_dp", False),
            get("unique_code") or 0,
            get("pickup", False),
            get("cod", False),
        )


# What a stored booking may hold: its fields, and the id and total written for readers.
_BOOKING_KEYS = frozenset(Booking.__dataclass_fields__) | {"id", "total"}


# How a buyer pays, as the seller types it -> as it is stored.
PAYMENT_METHODS = ("transfer", "qris", "cash", "cod", "marketplace")
METHOD_ALIASES = {"tf": "transfer", "trf": "transfer", "bank": "transfer", "tunai": "cash",
                  "ewallet": "qris", "e-wallet": "qris", "shopee": "marketplace",
                  "tokopedia": "marketplace", "tokped": "marketplace"}  # fmt: skip


def normalize_method(text: str) -> str:
    """One of PAYMENT_METHODS from what was typed (`QRIS`, `tf`, `tunai`...)."""
    word = text.strip().lower()
    word = METHOD_ALIASES.get(word, word)
    if word not in PAYMENT_METHODS:
        raise InputError(
            _("'{text}' is not a way of paying.").format(text=text),
            _("Use one of: {choices}.").format(choices=", ".join(PAYMENT_METHODS)),
        )
    return word


def check_move(booking: Booking, new_status: str) -> None:
    """Refuse a status change SPEC.md does not allow, naming the current status."""
    current = booking.status
    if new_status in MOVES.get(current, ()):
        return
    bid = booking.id
    if current in CLOSED_STATUSES:
        hint = _("It is closed; make a new booking with `olshop book`.")
    elif new_status == SHIPPED and current == BOOKED:
        hint = _(
            "Record the payment first: olshop pay {id} (or, cash on delivery: olshop ship "
            "{id} --courier JNE --tracking ... --cod)"
        ).format(id=bid)
    elif new_status == DONE and current in (BOOKED, PAID):
        hint = _("Ship it first: olshop ship {bid} --courier JNE --tracking ...").format(bid=bid)
    elif new_status == PAID and current in (PAID, SHIPPED):
        raise Conflict(
            (
                _("{bid} is already paid and shipped.")
                if current == SHIPPED
                else _("{bid} is already paid.")
            ).format(bid=bid),
            _("Nothing is owed on it: olshop show {bid}").format(bid=bid),
        )
    elif new_status == PAID:
        hint = _("It is already paid.")
    elif new_status in (CANCELLED, RELEASED):
        hint = _("Only a booking that is not paid yet can be cancelled or released.")
    else:
        hint = None
    raise Conflict(_(VERBS[new_status]).format(bid=bid, status=status_word(current)), hint)


def whole_number(text: str) -> int | None:
    """Digits as typed, in any script (full-width ５ is 5), as a number; None if `text` is
    not digits alone. Past 18 digits, 10**19: more than any count or price olshop takes."""
    if text.isascii():
        digits = text.strip()
    else:
        import unicodedata

        digits = unicodedata.normalize("NFKC", text).strip()
    if not (digits.isascii() and digits.isdigit()):
        return None
    return int(digits) if len(digits) <= 18 else 10**19


def parse_booking_id(text: str) -> int:
    """`B12`, `b12` or `12` -> 12."""
    raw = text.strip()
    digits = raw[1:] if raw[:1] in ("B", "b") else raw
    number = whole_number(digits)
    if number is None or not 1 <= number <= 10**12:
        raise InputError(
            _("'{text}' is not a booking id.").format(text=text), _("Booking ids look like B12.")
        )
    return number
