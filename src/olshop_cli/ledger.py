"""The seller's ledger and its rules: customers, products and stock, bookings.

Plain Python: no files, no terminal. The store loads a `Ledger`, a command calls one of its
operations with "now" passed in, and the store writes the result if `dirty` is set. Every
operation checks everything before it changes anything, so a refusal leaves the ledger as
it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from olshop_cli import couriers, names
from olshop_cli import settings as shop_settings
from olshop_cli.errors import Conflict, InputError, NotFound
from olshop_cli.i18n import N_, _, ngettext
from olshop_cli.models import (
    BOOKED,
    CANCELLED,
    CHECKIN,
    DONE,
    MAX_UNIQUE_CODE,
    PAID,
    RELEASED,
    RESERVING_STATUSES,
    SHIPPED,
    TEXT_LIMITS,
    UNIQUE_CODES_LOW,
    Booking,
    Customer,
    Line,
    Product,
    check_move,
    check_text,
    iso,
    normalize_call,
    normalize_channel,
    normalize_key,
    normalize_method,
    normalize_sku,
    parse_booking_id,
    parse_iso,
    status_word,
    tidy_name,
    whole_number,
)

if TYPE_CHECKING:
    from olshop_cli.views import Digest, PackingList

# A booking that holds money refused for each closing command, until the seller says
# what happens to that money.
VERB = {
    "release": N_(
        "{bid} holds {amount} paid, so it cannot be released before you say what happens to "
        "that money."
    ),
    "cancel": N_(
        "{bid} holds {amount} paid, so it cannot be cancelled before you say what happens to "
        "that money."
    ),
    "return": N_(
        "{bid} holds {amount} paid, so it cannot be taken back before you say what happens to "
        "that money."
    ),
}
# Money paid beyond a booking's total, owed back to the buyer: received now, or left over
# after an edit.
OWED_BACK_RECEIVED = N_(
    "{bid} received {amount} more than its total: that is owed back to the buyer. Pay it "
    "back: olshop refund {bid} (or keep it as their credit: olshop refund {bid} --credit)."
)
OWED_BACK_EDITED = N_(
    "{bid} now has {amount} paid beyond its total: that is owed back to the buyer. Pay it "
    "back: olshop refund {bid} (or keep it as their credit: olshop refund {bid} --credit)."
)

# Beyond these a number is a typo, not a shop: refuse it rather than store it.
MAX_PRICE = 10_000_000_000  # Rp10 miliar
MAX_UNITS = 1_000_000


@runtime_checkable
class Searchable(Protocol):
    """Records kept by the store, which build only those that can match a search."""

    def search(self, test: Callable[[Any], bool], **equal: Any) -> list: ...

    def fields(self, *names: str) -> dict[Any, tuple]: ...


def fields_of(records: MutableMapping, *names: str) -> dict[Any, tuple]:
    """These fields of every record, by key (the store's records are not all built for it)."""
    if isinstance(records, Searchable):
        return records.fields(*names)
    return {key: tuple(getattr(r, name) for name in names) for key, r in records.items()}


def select(records: MutableMapping, test: Callable[[Any], bool], **equal: Any) -> list:
    """The records for which `test` is true, in key order. `equal` names field values every
    match has (status="paid"): the store builds only the records that have them."""
    if isinstance(records, Searchable):
        return records.search(test, **equal)
    return [record for _key, record in sorted(records.items()) if test(record)]


def check_price(price: int) -> int:
    """A price in whole rupiah, 0 to Rp10 miliar."""
    from olshop_cli.money import format_money

    if price < 0:
        raise InputError(_("The price cannot be negative."))
    if price > MAX_PRICE:
        raise InputError(
            _("{price} is more than olshop accepts for one item.").format(
                price=format_money(price)
            ),
            _("Check the zeros: 150rb is Rp150.000, 1,5jt is Rp1.500.000."),
        )
    return price


def check_cost(cost: int) -> int:
    """A cost price in whole rupiah, 0 to Rp10 miliar."""
    from olshop_cli.money import format_money

    if cost < 0:
        raise InputError(
            _("The cost price cannot be negative."), _("Give what one unit costs you.")
        )
    if cost > MAX_PRICE:
        raise InputError(
            _("A cost price of {cost} is more than olshop accepts for one item.").format(
                cost=format_money(cost)
            ),
            _("Check the zeros: 95rb is Rp95.000, 1,5jt is Rp1.500.000."),
        )
    return cost


def check_units(units: int, what: str) -> int:
    """A count of items, 0 to a million (`what`: "A quantity" or "Stock")."""
    stock = what == "Stock"
    if units < 0:
        if stock:
            raise InputError(_("Stock cannot be negative."), _("Give stock 0 or more."))
        raise InputError(_("A quantity cannot be negative."), _("Give a quantity 0 or more."))
    if units > MAX_UNITS:
        message = (
            _("Stock of {units} is more than olshop accepts.")
            if stock
            else _("A quantity of {units} is more than olshop accepts.")
        )
        raise InputError(message.format(units=units), _("Check the zeros."))
    return units


class ArchiveReader(Protocol):
    """Closed bookings, as the store keeps them."""

    def get(self, number: int) -> Booking | None: ...

    def all(self) -> Iterator[Booking]: ...

    def statuses(self, numbers: Set[int] | None = None) -> Iterator[tuple[int, str]]: ...

    def count(self) -> int: ...

    def numbers_of(self, customer: str) -> list[int]: ...

    def days(self, first: str | None, last: str, months: bool = False) -> Iterator[dict]: ...


class _NoArchive:
    def get(self, number: int) -> Booking | None:
        return None

    def numbers_of(self, customer: str) -> list[int]:
        return []

    def days(self, first: str | None, last: str, months: bool = False) -> Iterator[dict]:
        return iter(())

    def all(self) -> Iterator[Booking]:
        return iter(())

    def statuses(self, numbers: Set[int] | None = None) -> Iterator[tuple[int, str]]:
        return iter(())

    def count(self) -> int:
        return 0


# A customer key as `customer edit --key` takes one (after models.normalize_key): what
# slugify makes of a name - lower-case letters a-z, digits, single dashes between them - with
# a letter (a key is never read as a phone), and short enough to type all day.
KEY_FORM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_KEY = 40
# A lookup that matches several customers or products lists at most this many of them.
MAX_LISTED = 8


@dataclass(frozen=True)
class KeyChange:
    """A customer's key given up for another in this change. The ledger renames what it
    holds (the customer, their open bookings, the waiting lists, the hit-and-run list); the
    store renames the rest when it commits: the closed bookings, the customer's list of
    them and their shares of the summed days and months."""

    old: str
    new: str
    bookings: int  # open and closed bookings that now name `new`


# A buyer who let this share of their settled bookings lapse (at least one) is a known
# hit-and-run risk: one release in three is a pattern, one in ten is bad luck.
HIT_AND_RUN_SHARE = (1, 3)


@dataclass
class History:
    """One customer's record with the shop, counted over open and archived bookings.

    `paid` counts bookings that were paid (paid, shipped or done) and `spent` their totals;
    `settled` is every booking no longer waiting for payment (paid, released or cancelled).
    """

    bookings: int = 0
    paid: int = 0
    released: int = 0
    cancelled: int = 0
    spent: int = 0

    def add(self, booking: Booking) -> None:
        self.bookings += 1
        if booking.status in (PAID, SHIPPED, DONE):
            self.paid += 1
            self.spent += booking.total
        elif booking.status == RELEASED:
            self.released += 1
        elif booking.status == CANCELLED:
            self.cancelled += 1

    @property
    def settled(self) -> int:
        return self.paid + self.released + self.cancelled

    @property
    def hit_and_run(self) -> bool:
        """At least one release, and releases are a third or more of settled bookings."""
        share, of = HIT_AND_RUN_SHARE
        return self.released >= 1 and self.released * of >= self.settled * share

    def to_dict(self) -> dict:
        return {
            "bookings": self.bookings,
            "paid": self.paid,
            "released": self.released,
            "cancelled": self.cancelled,
            "spent": self.spent,
        }


def history_of(bookings: Iterable[Booking]) -> History:
    """Counts for one customer's bookings."""
    history = History()
    for booking in bookings:
        history.add(booking)
    return history


def hit_and_run_fact(name: str, history: History) -> str:
    """`2 of 3 bookings by Mike Tan were released`."""
    if history.settled == 1:
        text = ngettext(
            "{released} of {settled} booking by {name} was released",
            "{released} of {settled} booking by {name} were released",
            history.released,
        )
    else:
        text = ngettext(
            "{released} of {settled} bookings by {name} was released",
            "{released} of {settled} bookings by {name} were released",
            history.released,
        )
    return text.format(released=history.released, settled=history.settled, name=name)


def hit_and_run_warning(name: str, history: History) -> str:
    """The sentence the seller sees on booking for a known non-payer."""
    return _("{fact}; consider asking for payment first.").format(
        fact=hit_and_run_fact(name, history)
    )


def slugify(text: str) -> str:
    """`Siti Rahmawati` -> `siti-rahmawati` (ASCII, lower case, dashes); what an escape
    sequence in a pasted name holds never becomes part of a key."""
    from olshop_cli.text import safe

    plain = unicodedata.normalize("NFKD", safe(text, one_line=True))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def parse_item(text: str) -> tuple[str, int, int | None]:
    """`PAN-24` -> ("PAN-24", 1, None); `pan-24:3` -> ("PAN-24", 3, None); a price agreed
    with the buyer after `@`: `PAN-24:2@140rb` -> ("PAN-24", 2, 140000)."""
    product, qty, price = split_item(text)
    return normalize_sku(product), qty, price


def split_item(text: str) -> tuple[str, int, int | None]:
    """As parse_item, the product as typed (a SKU or words of its name: `wajan 24:2`)."""
    from olshop_cli.money import parse_money

    item, at, price_text = text.partition("@")
    price = None
    if at:
        price = check_price(parse_money(price_text))
    sku, sep, qty_text = item.partition(":")
    qty = 1
    if sep:
        negative = qty_text.strip().startswith("-")
        number = whole_number(qty_text.strip().removeprefix("-"))
        if number is None:
            raise InputError(
                _("'{text}' has no usable quantity.").format(text=text),
                _("Write items as SKU, SKU:QTY or SKU:QTY@PRICE, like PAN-24:2@140rb."),
            )
        qty = -number if negative else number
    if qty < 1:
        raise InputError(
            _("The quantity in '{text}' must be 1 or more.").format(text=text), _("Like PAN-24:2.")
        )
    check_units(qty, "A quantity")
    return sku.strip(), qty, price


def parse_discount(text: str, items_total: int) -> tuple[int, str]:
    """A discount as typed, `10%` or an amount (`20rb`), as (rupiah off the items, the text
    kept for the buyer's message). A percentage is rounded to the nearest rupiah."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    from olshop_cli.money import format_money, parse_money

    raw = text.strip()
    hint = _("Give an amount (--discount 20rb) or a percentage (--discount 10%).")
    if raw.endswith("%"):
        try:
            percent = Decimal(raw[:-1].strip().replace(",", "."))
        except InvalidOperation:
            raise InputError(
                _("Cannot read '{text}' as a discount.").format(text=text), hint
            ) from None
        if not percent.is_finite() or not 0 < percent <= 100:
            raise InputError(
                _("A discount of '{text}' is not between 0 and 100 %.").format(text=text), hint
            )
        amount = int((items_total * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        shown = f"{percent.normalize():f}%"
    else:
        amount = parse_money(raw)
        shown = format_money(amount)
    if amount > items_total:
        raise InputError(
            _("A discount of {amount} is more than the items ({items}).").format(
                amount=format_money(amount), items=format_money(items_total)
            ),
            hint,
        )
    return amount, shown


def parse_stock_change(text: str) -> tuple[str, int]:
    """`+5`, `-2` or `=10` (a bare number means `=`) -> (op, number)."""
    raw = text.strip().replace(" ", "")
    op = raw[:1] if raw[:1] in "+-=" else "="
    number = whole_number(raw[1:] if raw[:1] in "+-=" else raw)
    if number is None:
        raise InputError(
            _("'{text}' is not a stock change.").format(text=text),
            _("Use +5 to add, -2 to take away, =10 to set."),
        )
    return op, number


# The words of a product's name or SKU, and of what was typed to find one.
_WORD = re.compile(r"[^\W_]+")


def _has_words(product: Product, typed: list[str]) -> bool:
    """Whether every typed word starts a word of the product's name or SKU (or its SKU)."""
    sku = product.sku.lower()
    words = _WORD.findall(product.name.lower()) + _WORD.findall(sku)
    return all(sku.startswith(t) or any(w.startswith(t) for w in words) for t in typed)


def _hold(totals: dict[str, int], booking: Booking) -> None:
    """Add the units a booking holds (booked or paid: not yet shipped) to the totals."""
    if booking.status in RESERVING_STATUSES:
        for line in booking.lines:
            totals[line.sku] = totals.get(line.sku, 0) + line.qty


def _several(text: str, found: list, line, one: str, more: str, hint: str) -> Conflict:
    """The refusal of a lookup that matches several customers or products, never guessed:
    the first MAX_LISTED of `found` (sorted), a `line(item)` each, then how many more.
    `one` and `more` are the whole sentences ({text}, {count}, the list as {names} or
    {products}, {more})."""
    listed = "\n".join("  " + line(item) for item in found[:MAX_LISTED])
    message = more if len(found) > MAX_LISTED else one
    return Conflict(
        message.format(
            text=text,
            count=len(found),
            names=listed,
            products=listed,
            more=len(found) - MAX_LISTED,
        ),
        hint,
    )


class Ledger:
    """Customers, products, open bookings and settings, with the operations on them."""

    def __init__(
        self,
        customers: Iterable[Customer] | MutableMapping[str, Customer] = (),
        products: Iterable[Product] | MutableMapping[str, Product] = (),
        bookings: Iterable[Booking] | MutableMapping[int, Booking] = (),
        settings: dict | None = None,
        next_booking: int = 1,
        archive: ArchiveReader | None = None,
        retired_keys: Iterable[str] = (),
        hit_and_run: Iterable[str] | None = None,
        phone_index: Callable[[str], str | None] | None = None,
        called_index: Callable[[str], list[str] | None] | None = None,
        reserved: dict[str, int] | None = None,
        statement_log: Callable[[str], dict] | None = None,
        last_statement: dict | None = None,
    ):
        # The store hands over mappings that read records when first asked for (`book`
        # reads one customer, not 5,000); tests and imports may give plain lists.
        self.customers: MutableMapping[str, Customer] = (
            customers if isinstance(customers, MutableMapping) else {c.key: c for c in customers}
        )
        self.products: MutableMapping[str, Product] = (
            products if isinstance(products, MutableMapping) else {p.sku: p for p in products}
        )
        self.bookings: MutableMapping[int, Booking] = (
            bookings if isinstance(bookings, MutableMapping) else {b.number: b for b in bookings}
        )
        self.settings: dict = settings or {}
        self.next_booking = next_booking
        # Keys of removed customers are never given out again: old bookings still name them.
        self.retired_keys: set[str] = set(retired_keys)
        self.archive: ArchiveReader = archive or _NoArchive()
        self.closed_now: list[Booking] = []
        self.renamed: list[KeyChange] = []  # keys changed by this change, for the store
        self.notices: list[str] = []  # warnings for the seller, shown on stderr
        # SKU -> customers who asked about it while sold out, now that it is back (restock).
        self.asked_back: dict[str, list[Customer]] = {}
        self.dirty = False
        self.changed_at: datetime | None = None  # the shop's "now" of the change, for backups
        # Units held per SKU by open bookings as the store last kept them (None: count them
        # when asked), then kept in step with every booking a change touches.
        self._reserved: dict[str, int] | None = None if reserved is None else dict(reserved)
        # Keys of the buyers their running counts mark as hit-and-run, kept with the ledger so
        # a listing marks them without reading 5,000 customers (None: count them when asked).
        self._marked: set[str] | None = None if hit_and_run is None else set(hit_and_run)
        # The store's phone -> key index (None: look through the customers), and the
        # phones this change gave out (-> key) or freed (-> None).
        self._phone_index = phone_index
        self._called_index = called_index
        self._phones: dict[str, str | None] = {}
        # Bank statement rows already recorded as payments: month "YYYY-MM" -> {row key:
        # booking number}, as the store keeps them (None: kept here), and those this change
        # records; and what the last statement read left for the seller (for `today`).
        self._statement_log = statement_log
        self.statement_rows: dict[str, dict[str, int]] = {}
        self.last_statement: dict | None = last_statement

    # ----- settings ---------------------------------------------------------------------

    def setting(self, key: str) -> str:
        """A setting's value, the stored one or its default."""
        return self.settings.get(key, shop_settings.DEFAULTS[key])

    @property
    def keep_backups(self) -> int:
        """How many earlier versions of the ledger to keep for undo and restore."""
        return int(self.setting("backups"))

    def set_setting(self, key: str, value: str) -> str:
        """Validate and store a setting; returns the stored value."""
        key = shop_settings.check_key(key)
        stored = shop_settings.validate(key, value)
        self.settings[key] = stored
        self.dirty = True
        return stored

    def set_up(self, chosen: dict[str, str]) -> dict[str, str]:
        """Store what `olshop init` was given (settings and `hours`, as typed), every value
        checked before any is stored. Returns the values that changed, as the seller reads
        them ({"deadline": "2d", "hours": "mon-fri 08:00-17:00"}); the others are left."""
        from olshop_cli.hours import format_hours, from_dict

        changed: dict[str, str] = {}
        for key, value in shop_settings.checked_setup(chosen).items():
            if key == "hours":
                assert isinstance(value, dict)
                if self.settings.get("hours") != value:
                    self.set_hours(value)
                    changed[key] = format_hours(from_dict(value))
            elif self.setting(key) != value:
                self.settings[key] = value
                self.dirty = True
                changed[key] = str(value)
        return changed

    def set_hours(self, hours_dict: dict) -> None:
        """Store the working hours (as hours.to_dict gives them)."""
        self.settings["hours"] = hours_dict
        self.dirty = True

    # ----- customers --------------------------------------------------------------------

    def call_of(self, customer: Customer) -> str:
        """The honorific to use for this customer."""
        return customer.call or self.setting("call")

    def _phone_owner(self, phone: str, other_than: str | None = None) -> Customer | None:
        """The customer with this phone (E.164), other than `other_than`."""
        if self._phone_index is None:
            for customer in self.customers.values():
                if customer.phone == phone and customer.key != other_than:
                    return customer
            return None
        # Phones given out or freed by this change first, then the store's index.
        key = self._phones[phone] if phone in self._phones else self._phone_index(phone)
        owner = self.customers.get(key) if key and key != other_than else None
        return owner if owner is not None and owner.phone == phone else None

    def _phone_moved(self, old: str | None, new: str | None, key: str) -> None:
        if old and old != new:
            self._phones[old] = None
        if new:
            self._phones[new] = key

    def key_for_new(self, name: str) -> str:
        """The key a new customer of this name would get (add_customer)."""
        return self._new_key(names.parse(tidy_name(name)).full, None)

    def _new_key(self, name: str, nick: str | None) -> str:
        # Short keys are typed all day: the nickname or the name they go by ("Hj. Siti
        # Aminah" -> siti, "Muhammad Rizal Hakim" -> rizal), then the full name without
        # titles and emoji (siti-aminah), then the full name as kept.
        read = names.parse(name)
        candidates = [slugify(nick or ""), slugify(read.calling), slugify(read.real)]
        candidates += [slugify(name)]
        candidates = [c if not c.isdigit() else f"c-{c}" for c in candidates if c]
        for key in candidates:
            if key not in self.customers and key not in self.retired_keys:
                return key
        base = candidates[-1] if candidates else "customer"
        key, n = base, 2
        while key in self.customers or key in self.retired_keys:
            key, n = f"{base}-{n}", n + 1
        return key

    def add_customer(
        self,
        name: str,
        now: datetime,
        call: str | None = None,
        nick: str | None = None,
        phone: str | None = None,
        channel: str | None = None,
        address: str | None = None,
        note: str | None = None,
        key: str | None = None,
    ) -> Customer:
        """Add a customer; refuses an empty name, a taken key or a phone already saved."""
        name = tidy_name(name)
        check_text(nick, "nickname", TEXT_LIMITS["name"])
        check_text(address, "address")
        check_text(note, "note")
        if not name:
            raise InputError(
                _("The customer's name is empty."), _('Like: olshop customer add "Siti"')
            )
        if key is not None:
            key = slugify(key)
            if not key or key.isdigit():
                raise InputError(
                    _("A customer key needs letters."), _("Use something short like siti or mike.")
                )
            if key in self.customers:
                raise Conflict(
                    _("The key '{key}' is taken by {name}.").format(
                        key=key, name=self.customers[key].name
                    )
                )
            if key in self.retired_keys:
                raise Conflict(
                    _(
                        "The key '{key}' belonged to a removed customer and stays with their "
                        "bookings."
                    ).format(key=key),
                    _("Choose another --key."),
                )
        # As a phone's contacts hold it: "Bu Yanti Susanti" is Yanti Susanti, called Bu;
        # "Hj. Siti Aminah" keeps her title and is called Bu (names.parse). What the seller
        # gives (--call, --nick, --key) wins.
        read = names.parse(name)
        name = read.full
        call = call or read.call or read.implied
        customer = Customer(
            key=key or self._new_key(name, nick),
            name=name,
            call=normalize_call(call) if call else None,
            nick=nick.strip() or None if nick else None,
            phone=self._checked_phone(phone, None),
            channel=normalize_channel(channel) if channel else None,
            address=address or None,
            note=note or None,
            created=iso(now),
            counts=History().to_dict(),  # a new buyer has no bookings: counted from zero
        )
        self.customers[customer.key] = customer
        self._phone_moved(None, customer.phone, customer.key)
        self.dirty = True
        return customer

    def _checked_phone(self, phone: str | None, key: str | None) -> str | None:
        if not phone:
            return None
        from olshop_cli.phone import format_phone, normalize_phone

        number = normalize_phone(phone)
        owner = self._phone_owner(number, other_than=key)
        if owner:
            raise Conflict(
                _("{phone} already belongs to {name} ({key}).").format(
                    phone=format_phone(number), name=owner.name, key=owner.key
                ),
                _("Look at them with: olshop customer show {key}").format(key=owner.key),
            )
        return number

    def find_customer(self, ref: str) -> Customer:
        """By key, phone in any spelling, or the start of a key, nickname or name; "Pak
        Rudi" and "Bu Endang" as Rudi and Endang. A start that several customers share is
        refused with the list of them, never guessed; so is a key that is also what another
        customer is called (two buyers called Siti: the full name, phone or the other key
        tells them apart)."""
        text = " ".join(ref.split())
        low = text.lower()
        if not low:
            raise InputError(_("No customer given."), _("Name one by key, phone or name."))
        # A key is a slug with a letter (slugify, _new_key): a phone is never looked up as one.
        # Typed as a phone or a chat gives it (full-width, an invisible character): NFKC.
        key = normalize_key(low)
        could_be_key = re.fullmatch(r"[a-z0-9-]+", key) is not None and not key.isdigit()
        if could_be_key and key in self.customers:
            found = self.customers[key]
            # Two buyers called Siti: the key `siti` is one of them, but "siti" names the
            # other as well, so it is refused with both listed (never guessed). A name that
            # merely starts the same way (Andi, Andini) does not count. One pass; the
            # substring test in C first keeps it cheap on a big ledger.
            same = [
                c
                for c in self._called(low)
                if c is not found
                and (low in c.name.lower() or (c.nick is not None and low in c.nick.lower()))
                and low in (c.short_name.lower(), (c.nick or "").lower())
            ]
            if same:
                raise self._which_customer(
                    text,
                    [found, *same],
                    _("Type the full name or the phone number of the one you mean."),
                )
            return found
        from olshop_cli.phone import looks_like_phone

        if looks_like_phone(text):
            from olshop_cli.phone import normalize_phone

            owner = self._phone_owner(normalize_phone(text))
            if owner:
                return owner
            raise NotFound(
                _("No customer has the phone number {phone}.").format(phone=text),
                _("See olshop customer list, or add one: olshop customer add NAME --phone ..."),
            )
        # "Pak Rudi", "Bu Hj. Siti": the honorific or title typed in front is not the name.
        bare = names.strip_leading(text).lower()
        if bare != low:
            bare_key = normalize_key(bare)
            if re.fullmatch(r"[a-z0-9-]+", bare_key) and bare_key in self.customers:
                return self.customers[bare_key]
        typed = (low,) if bare == low else (low, bare)
        forms = names.lookup_forms

        def starts(customer: Customer) -> bool:
            name = customer.name.lower()
            for t in typed:
                if (
                    name.startswith(t)
                    or customer.key.startswith(t)
                    or (customer.nick is not None and customer.nick.lower().startswith(t))
                    # without titles or emoji, or from the name they go by: a part of the
                    # name (looked at only when what was typed is in it at all: cheap)
                    or (t in name and any(f.startswith(t) for f in forms(customer.name)))
                ):
                    return True
            return False

        # One pass over the customers: a key, nickname or name starting with what was
        # typed. More than one is refused, never guessed.
        matches = [c for c in self.customers.values() if starts(c)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise self._which_customer(text, matches)
        raise NotFound(
            _("No customer matches '{text}'.").format(text=text),
            _('See olshop customer list, or add one: olshop customer add "{text}"').format(
                text=text
            ),
        )

    def _called(self, word: str) -> Iterable[Customer]:
        """The customers who may be called `word`: from the store's index of the names
        customers go by, with those read or changed in this change; every customer when
        the ledger has no such index (a caller checks each)."""
        keys = self._called_index(word) if self._called_index is not None else None
        loaded = getattr(self.customers, "loaded", None)
        if keys is None or loaded is None:
            return self.customers.values()
        found = {c.key: c for c in loaded()}
        for key in keys:
            if key not in found and (customer := self.customers.get(key)) is not None:
                found[key] = customer
        return found.values()

    def _which_customer(
        self, text: str, matches: list[Customer], hint: str | None = None
    ) -> Conflict:
        """The refusal of a lookup that matches several customers: each with key, name and
        phone, for the seller to type the one meant."""
        from olshop_cli.phone import format_phone

        return _several(
            text,
            sorted(matches, key=lambda c: c.key),
            lambda c: f"{c.key} ({c.name})" + (f" · {format_phone(c.phone)}" if c.phone else ""),
            _("'{text}' matches {count} customers:\n{names}"),
            _("'{text}' matches {count} customers:\n{names}\n  ... and {more} more."),
            hint or _("Type more of the name, the phone number, or the key."),
        )

    def edit_customer(
        self, ref: str | Customer, key: str | None = None, **changes: str | None
    ) -> Customer:
        """Change the given fields (None leaves a field alone, "" clears it) and, with `key`,
        the customer's key (as rename_customer); an edit that gives nothing is refused (it
        would record a change that changed nothing). `ref` as find_customer, or the
        customer already found."""
        customer = ref if isinstance(ref, Customer) else self.find_customer(ref)
        new_key = None if key is None else self.check_new_key(customer, key)
        if new_key is None and all(value is None for value in changes.values()):
            raise InputError(
                _("Nothing to change for {key}: no new detail was given.").format(key=customer.key),
                _(
                    "Give what changes, like: olshop customer edit {key} --phone "
                    "0812-3456-7890 (see olshop customer edit --help)."
                ).format(key=customer.key),
            )
        updated = Customer(**customer.to_dict())
        for name, value in changes.items():
            if value is None:
                continue
            check_text(value, name, TEXT_LIMITS["name" if name in ("name", "nick") else "text"])
            if name == "name":
                value = " ".join(value.split())
                if not value:
                    raise InputError(_("The customer's name cannot be empty."))
                read = names.parse(value)  # "Bu Endang": called Bu, named Endang
                value = read.full
                implied = read.call or (None if customer.call else read.implied)
                if changes.get("call") is None and implied:
                    updated.call = normalize_call(implied)
            elif name == "call":
                value = normalize_call(value) if value else None
            elif name == "phone":
                value = self._checked_phone(value, customer.key)
            elif name == "channel":
                value = normalize_channel(value) if value else None
            else:
                value = value or None
            setattr(updated, name, value)
        self.customers[customer.key] = updated
        self._phone_moved(customer.phone, updated.phone, customer.key)
        if new_key is not None:
            updated = self._rename(updated, new_key)
        self.dirty = True
        return updated

    def check_new_key(self, customer: Customer, typed: str) -> str:
        """`typed` as the customer's new key (read as models.normalize_key reads a key), or a
        refusal saying what to type instead: their key already, not a key (KEY_FORM, up to
        MAX_KEY characters, a letter), another customer's, or a removed customer's (their
        old bookings still name it, so it is never given out again)."""
        key = normalize_key(typed)
        if key == customer.key:
            raise InputError(
                _("'{key}' is already the key of {name}.").format(key=key, name=customer.name),
                _("Give a different key, or leave --key out."),
            )
        fits = KEY_FORM.fullmatch(key) and len(key) <= MAX_KEY and re.search("[a-z]", key)
        if not fits:
            raise InputError(
                _("'{typed}' cannot be a customer key.").format(typed=" ".join(typed.split())),
                _(
                    "A key is up to {limit} letters a-z, digits and dashes, with a letter; "
                    "like: olshop customer edit {old} --key {suggested}"
                ).format(
                    limit=MAX_KEY, old=customer.key, suggested=self._key_like(typed, customer)
                ),
            )
        if key in self.customers:
            raise Conflict(
                _("The key '{key}' is taken by {name}.").format(
                    key=key, name=self.customers[key].name
                ),
                _("Choose a free one, like: olshop customer edit {old} --key {suggested}").format(
                    old=customer.key, suggested=self._key_like(key, customer)
                ),
            )
        if key in self.retired_keys:
            raise Conflict(
                _(
                    "The key '{key}' belonged to a removed customer and stays with their bookings."
                ).format(key=key),
                _("Choose a free one, like: olshop customer edit {old} --key {suggested}").format(
                    old=customer.key, suggested=self._key_like(key, customer)
                ),
            )
        return key

    def _key_like(self, typed: str, customer: Customer) -> str:
        """A free key close to what was typed (`siti-2` for a taken `siti`), else one made
        from the customer's name, for a refusal's hint."""
        base = slugify(typed)[:MAX_KEY].strip("-")
        if not re.search("[a-z]", base):
            return self._new_key(customer.name, customer.nick)
        key, n = base, 2
        while key in self.customers or key in self.retired_keys:
            key, n = f"{base}-{n}", n + 1
        return key

    def rename_customer(self, ref: str, new_key: str) -> Customer:
        """Give a customer a new key everywhere it is kept, in this one change: their record
        and phone, their open bookings (and the index of them), the waiting lists of
        sold-out products, the hit-and-run list; and, when the store commits (`renamed`),
        their closed bookings, the list of them and their shares of the summed days and
        months. The old key is left nowhere, so it is free again (no booking names it:
        unlike a removed customer's, it is not retired). Refuses what check_new_key refuses,
        changing nothing."""
        customer = self.find_customer(ref)
        return self._rename(customer, self.check_new_key(customer, new_key))

    def _rename(self, customer: Customer, key: str) -> Customer:
        old = customer.key
        renamed = Customer(**customer.to_dict())
        renamed.key = key
        open_ones = self._open_where(customer=old)
        closing = [b for b in self.closed_now if b.customer == old]  # not archived yet
        for booking in [*open_ones, *closing]:
            booking.customer = key  # the name booked under (customer_name) stays
        del self.customers[old]
        self.customers[key] = renamed
        self._phone_moved(customer.phone, None, old)
        self._phone_moved(None, renamed.phone, key)
        for sku, (asked,) in fields_of(self.products, "asked_by").items():
            if isinstance(asked, list) and old in asked:  # only the waiting lists naming them
                product = self.products[sku]
                product.asked_by = list(dict.fromkeys(key if k == old else k for k in asked))
        if self._marked is not None and old in self._marked:
            self._marked.discard(old)
            self._marked.add(key)
        moved = len(open_ones) + len(closing) + len(self.archive.numbers_of(old))
        self.renamed.append(KeyChange(old, key, moved))
        self.dirty = True
        return renamed

    def open_bookings_of(self, customer: Customer) -> list[Booking]:
        return self._open_where(customer=customer.key)

    def remove_customer(self, ref: str, now: datetime, force: bool = False) -> Customer:
        """Remove a customer. With open bookings only when forced: unpaid ones are cancelled,
        paid or shipped ones keep their record (and the name they were booked under)."""
        customer = self.find_customer(ref)
        open_ones = self.open_bookings_of(customer)
        if open_ones and not force:
            ids = ", ".join(b.id for b in open_ones)
            raise Conflict(
                _("{name} has open bookings ({ids}).").format(name=customer.name, ids=ids),
                _(
                    "Close them first, or remove anyway with: olshop customer rm {key} "
                    "--force (unpaid bookings are cancelled)."
                ).format(key=customer.key),
            )
        for booking in open_ones:  # every booking first: a refusal changes nothing
            if booking.status == BOOKED:
                self._money_choice(booking, None, "cancel")
        for booking in open_ones:
            if booking.status == BOOKED:
                self._close(booking, CANCELLED, now, "customer removed")
        del self.customers[customer.key]
        self._phone_moved(customer.phone, None, customer.key)
        self.marked.discard(customer.key)
        self.retired_keys.add(customer.key)
        self.dirty = True
        return customer

    # ----- products and stock -------------------------------------------------------------

    def reserved(self, sku: str) -> int:
        """Units of this SKU held by bookings that are booked or paid (not yet shipped)."""
        if self._reserved is None:
            self._reserved = self.count_reserved()
        return self._reserved.get(sku, 0)

    def all_reserved(self) -> dict[str, int]:
        """Units held per SKU by the open bookings that are booked or paid."""
        if self._reserved is None:
            self._reserved = self.count_reserved()
        return {sku: qty for sku, qty in self._reserved.items() if qty}

    def count_reserved(self) -> dict[str, int]:
        """The units held per SKU counted afresh from every open booking."""
        totals: dict[str, int] = {}
        for booking in self.bookings.values():
            _hold(totals, booking)
        return {sku: qty for sku, qty in totals.items() if qty}

    def recount(self) -> None:
        """Count the kept totals (reserved units, marked buyers) afresh."""
        self._reserved = self.count_reserved()
        self._marked = self.count_marked()
        self.dirty = True

    def available(self, product: Product) -> int:
        """On hand minus what open bookings reserve."""
        return product.stock - self.reserved(product.sku)

    def _changed_bookings(self, booking: Booking | None = None, held: bool = False) -> None:
        """Note a booking changed; `held`: whether it reserved stock before. The reserved
        totals, once counted, follow it (a release of 1,000 overdue bookings counts once)."""
        if booking is None:
            self._reserved = None
        elif self._reserved is not None:
            holds = booking.status in RESERVING_STATUSES and booking.number in self.bookings
            if holds != held:
                sign = 1 if holds else -1
                for line in booking.lines:
                    self._reserved[line.sku] = self._reserved.get(line.sku, 0) + sign * line.qty
        self.dirty = True

    def find_product(self, sku: str) -> Product:
        """The product with that SKU (case-insensitive), else the one product whose name and
        SKU hold every word typed ("wajan 24": Wajan Teflon 24 cm), each word as the start
        of one of theirs. Several such products are refused with the list of them; none, with
        the closest SKUs and names as the hint."""
        text = " ".join(sku.split())
        try:
            key: str | None = normalize_sku(text)
        except InputError:
            if not _WORD.search(text):
                raise
            key = None
        if key is not None and key in self.products:
            return self.products[key]
        typed = _WORD.findall(text.lower())
        matches = [p for p in self.products.values() if _has_words(p, typed)] if typed else []
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise _several(
                text,
                sorted(matches, key=lambda p: p.sku),
                lambda p: _("{sku} ({name}), stock {stock}, {available} available").format(
                    sku=p.sku, name=p.name, stock=p.stock, available=max(self.available(p), 0)
                ),
                _("'{text}' matches {count} products:\n{products}"),
                _("'{text}' matches {count} products:\n{products}\n  ... and {more} more."),
                _("Type more of the name, or use the SKU."),
            )
        close = self._close_products(text)
        hint = (
            _("Did you mean {skus}?").format(skus=f" {_('or')} ".join(close))
            if close
            else _("See olshop product list.")
        )
        if key is not None:
            raise NotFound(_("No product with SKU {sku}.").format(sku=key), hint)
        raise NotFound(_("No product matches '{text}'.").format(text=text), hint)

    def _close_products(self, text: str) -> list[str]:
        """The SKUs (with the name, when it is the name that is close) nearest to what was
        typed, for a refusal's hint: difflib on SKUs and on names, the closest first."""
        import difflib

        skus = list(self.products)
        by_name: dict[str, str] = {}
        for sku, (name,) in fields_of(self.products, "name").items():
            by_name.setdefault(str(name).lower(), sku)
        upper = text.upper()
        close = difflib.get_close_matches(upper, skus, n=3, cutoff=0.6)
        out = list(close)
        for name in difflib.get_close_matches(text.lower(), list(by_name), n=3, cutoff=0.6):
            sku = by_name[name]
            if sku not in close:
                out.append(f"{sku} ({self.products[sku].name})")
        return out[:3]

    def _check_related(self, sku: str, related: Iterable[str]) -> list[str]:
        out: list[str] = []
        for item in related:
            other = normalize_sku(item)
            if other == sku:
                raise InputError(_("{sku} cannot be related to itself.").format(sku=sku))
            if other not in self.products:
                self.notices.append(
                    _("{sku} is not in the ledger yet; it will be offered once you add it.").format(
                        sku=other
                    )
                )
            if other not in out:
                out.append(other)
        return out

    def add_product(
        self,
        sku: str,
        name: str,
        price: int,
        now: datetime,
        stock: int = 0,
        related: Iterable[str] = (),
        restock: str | None = None,
        note: str | None = None,
        cost: int | None = None,
    ) -> Product:
        """Add a product; refuses a SKU that exists, an empty name, negative stock. `cost`:
        what one unit costs the seller (None: not known), for the report's gross profit."""
        key = normalize_sku(sku)
        if key in self.products:
            raise Conflict(
                _("SKU {sku} already exists ({name}).").format(
                    sku=key, name=self.products[key].name
                ),
                _("Change it with: olshop product edit {sku} ...").format(sku=key),
            )
        name = tidy_name(name)
        check_text(note, "note")
        if not name:
            raise InputError(
                _("The product name is empty."), _('Like: olshop product add PAN-24 "Wajan 24 cm"')
            )
        check_units(stock, "Stock")
        check_price(price)
        if cost is not None:
            check_cost(cost)
        product = Product(
            sku=key,
            name=name,
            price=price,
            stock=stock,
            related=self._check_related(key, related),
            restock=restock,
            note=note or None,
            created=iso(now),
            cost=cost,
        )
        self.products[key] = product
        self.dirty = True
        return product

    def edit_product(
        self,
        sku: str,
        name: str | None = None,
        price: int | None = None,
        related: list[str] | None = None,
        add_related: Iterable[str] = (),
        remove_related: Iterable[str] = (),
        restock: str | None = None,
        listed: bool | None = None,
        note: str | None = None,
        cost: int | str | None = None,
    ) -> Product:
        """Change a product's details (stock changes go through adjust_stock). Like `restock`
        and `note`, a `cost` of "" clears it (None leaves it as it is)."""
        product = self.find_product(sku)
        updated = Product(**product.to_dict())
        if name is not None:
            updated.name = tidy_name(name)
            if not updated.name:
                raise InputError(_("The product name cannot be empty."))
        if price is not None:
            updated.price = check_price(price)
        if related is not None:
            updated.related = self._check_related(updated.sku, related)
        for item in self._check_related(updated.sku, add_related):
            if item not in updated.related:
                updated.related.append(item)
        for item in remove_related:
            other = normalize_sku(item)
            if other not in updated.related:
                raise NotFound(
                    _("{other} is not related to {sku}.").format(other=other, sku=updated.sku)
                )
            updated.related.remove(other)
        if restock is not None:
            updated.restock = restock or None
        if listed is not None:
            updated.listed = listed
        if note is not None:
            updated.note = check_text(note, "note") or None
        if isinstance(cost, int):
            updated.cost = check_cost(cost)
        elif cost is not None:
            updated.cost = None  # "": not known any more
        self.products[updated.sku] = updated
        self.dirty = True
        return updated

    def adjust_stock(self, sku: str, change: str) -> tuple[Product, int]:
        """Apply `+5`, `-2` or `=10` to on-hand stock; returns (product, old stock).

        Refuses to go below zero or below what open bookings reserve.
        """
        product = self.find_product(sku)
        op, number = parse_stock_change(change)
        old = product.stock
        was_free = self.available(product)
        new = {"+": old + number, "-": old - number, "=": number}[op]
        reserved = self.reserved(product.sku)
        if new > MAX_UNITS:
            check_units(new, "Stock")
        if new < 0:
            raise Conflict(
                _("{sku} has {old} on hand; taking {number} would make it negative.").format(
                    sku=product.sku, old=old, number=number
                ),
                _("Use = to set the count you see, like: olshop product stock {sku} =0").format(
                    sku=product.sku
                ),
            )
        if new < reserved:
            raise Conflict(
                _("{sku} would have {new} on hand but open bookings hold {reserved}.").format(
                    sku=product.sku, new=new, reserved=reserved
                ),
                _("Cancel or release those bookings first (olshop bookings --customer ... )."),
            )
        product.stock = new
        if new > old and product.restock:
            product.restock = None  # the expected restock has arrived
        self._back_on_sale(product, was_free)
        self.dirty = True
        return product, old

    def _back_on_sale(self, product: Product, was_free: int) -> None:
        """If stock came back to a sold-out product (restock, release, cancel...), hand over
        who asked about it (the CLI lists them, with the message to send) and start anew."""
        if was_free <= 0 < self.available(product) and product.asked_by:
            waiting = [self.customers[k] for k in product.asked_by if k in self.customers]
            self.asked_back.setdefault(product.sku, []).extend(waiting)
            product.asked_by = []

    def note_asked(self, sku: str, customer: Customer) -> bool:
        """Remember that this customer asked about a sold-out product, to tell them when it
        is back. False (and no change) if it is not sold out or they are already listed."""
        product = self.find_product(sku)
        if self.available(product) > 0 or customer.key in product.asked_by:
            return False
        product.asked_by = [*product.asked_by, customer.key]
        self.dirty = True
        return True

    def remove_product(self, sku: str) -> Product:
        """Remove a product no open booking holds; it also leaves other products' related lists."""
        product = self.find_product(sku)
        holding = [
            b.id
            for b in self.bookings.values()
            if b.status in RESERVING_STATUSES and any(line.sku == product.sku for line in b.lines)
        ]
        if holding:
            raise Conflict(
                _("{sku} is held by open bookings ({ids}).").format(
                    sku=product.sku, ids=", ".join(holding)
                ),
                _("Mark it as no longer sold instead: olshop product edit {sku} --unlisted").format(
                    sku=product.sku
                ),
            )
        del self.products[product.sku]
        for other in self.products.values():
            if product.sku in other.related:
                other.related.remove(product.sku)
        self.dirty = True
        return product

    # ----- bookings -----------------------------------------------------------------------

    def default_deadline(self, now: datetime) -> datetime:
        from olshop_cli.when import parse_duration

        return now + parse_duration(self.setting("deadline"))

    def book(
        self,
        customer_ref: str | Customer,
        items: Iterable[str],
        now: datetime,
        deadline: datetime | None = None,
        note: str | None = None,
        discount: str | None = None,
        ongkir: int = 0,
        courier: str | None = None,
        service: str | None = None,
    ) -> Booking:
        """Book items for a customer, reserving stock at once, at today's prices or the
        price agreed per line (`SKU:QTY@PRICE`); with a discount (`10%` or an amount) and the
        shipping cost (ongkir) by a courier and service. Total = items - discount + ongkir.
        The customer as find_customer has them, or the customer already found."""
        customer = (
            customer_ref if isinstance(customer_ref, Customer) else self.find_customer(customer_ref)
        )
        warning = self._check_hit_and_run(customer)
        wanted: dict[str, int] = {}
        agreed: dict[str, int | None] = {}
        for text in items:
            ref, qty, price = split_item(text)
            sku = self.find_product(ref).sku  # a SKU, or words of the name: "wajan 24"
            if sku in agreed and agreed[sku] != price:
                raise InputError(
                    _("{sku} is given twice at different prices.").format(sku=sku),
                    _("Give it once, like {sku}:{qty}@PRICE.").format(
                        sku=sku, qty=wanted[sku] + qty
                    ),
                )
            wanted[sku] = wanted.get(sku, 0) + qty
            agreed[sku] = price
        if not wanted:
            raise InputError(_("No items given."), _("Like: olshop book siti PAN-24:2"))
        check_price(ongkir)
        courier = couriers.normalize(courier) if courier else None
        if ongkir and not courier:
            raise InputError(
                _("Ongkir needs its courier."), _("Add --courier, like --courier 'J&T'.")
            )
        lines = []
        for sku, qty in wanted.items():
            product = self.find_product(sku)
            free = self.available(product)
            if qty > free:
                message = _("Only {free} of {sku} ({name}) available; asked for {qty}.").format(
                    free=max(free, 0), sku=product.sku, name=product.name, qty=qty
                )
                if product.restock:
                    message += " " + _("Restock expected {date}.").format(date=product.restock)
                hint = (
                    _("Book {free} or fewer, or add stock: olshop product stock {sku} +N")
                    if free > 0
                    else _(
                        "Add stock: olshop product stock {sku} +N, or tell the buyer: "
                        "olshop reply stockout --sku {sku}"
                    )
                )
                raise Conflict(message, hint.format(free=free, sku=product.sku))
            price = agreed[sku]
            if price is None:  # today's price
                price = product.price
            lines.append(
                Line(sku=product.sku, name=product.name, qty=qty, price=price, cost=product.cost)
            )
        off, off_text = 0, None
        if discount is not None and discount.strip():
            off, off_text = parse_discount(discount, sum(line.amount for line in lines))
        if deadline is None:
            deadline = self.default_deadline(now)
        elif deadline <= now:
            raise InputError(
                _("The deadline {deadline} is already past.").format(
                    deadline=f"{deadline:%Y-%m-%d %H:%M}"
                ),
                _("Give a later one, like --deadline 'besok 17:00' or --deadline 24h."),
            )
        booking = Booking(
            number=self.next_booking,
            customer=customer.key,
            customer_name=customer.name,
            lines=lines,
            created=iso(now),
            deadline=iso(deadline),
            note=check_text(note, "note") or None,
            courier=courier or None,
            discount=off,
            discount_text=off_text,
            ongkir=ongkir,
            service=service.strip().upper() if service and service.strip() else None,
        )
        self._give_code(booking)
        booking.record(now, BOOKED, f"pay by {deadline:%Y-%m-%d %H:%M}")
        if warning:
            self.notices.append(warning)
        self._warn_booked_again(customer, booking)
        self._tally(booking, BOOKED)
        self.bookings[booking.number] = booking
        self.next_booking += 1
        self._changed_bookings(booking, held=False)
        return booking

    def _warn_booked_again(self, customer: Customer, booking: Booking) -> None:
        """Tell the seller when this buyer already has an open booking, not yet shipped, for
        an item of the new one (booked twice by mistake?). It is booked all the same."""
        skus = {line.sku for line in booking.lines}
        others: list[str] = []
        again: list[str] = []
        for other in self.open_bookings_of(customer):
            if other.status not in RESERVING_STATUSES or other.number == booking.number:
                continue
            same = [line.sku for line in other.lines if line.sku in skus]
            if same:
                others.append(other.id)
                again.extend(sku for sku in same if sku not in again)
        if not others:
            return
        shown = ", ".join(others[:3])
        if len(others) > 3:
            shown = _("{ids} and {count} more").format(ids=shown, count=len(others) - 3)
        self.notices.append(
            _(
                "{name} already has {other} open with {skus}; {bid} books it again. "
                "If that was a mistake: olshop cancel {bid}"
            ).format(name=customer.name, other=shown, skus=", ".join(again), bid=booking.id)
        )

    def codes_in_use(self) -> set[int]:
        """The kode unik numbers open bookings hold (a closed booking frees its code)."""
        return {abs(code) for (code,) in fields_of(self.bookings, "unique_code").values() if code}

    def _give_code(self, booking: Booking) -> None:
        """Give a new booking a kode unik when the shop uses them (setting unique-code):
        one no other open booking holds, added to its total (or taken off, `discount`).
        The seller is told when few are left, and when none is (it is booked without)."""
        mode = self.setting("unique-code")
        if mode == "off" or booking.total <= 0:
            return
        # Taken off, the code leaves something to pay: below the total.
        top = MAX_UNIQUE_CODE if mode == "on" else min(MAX_UNIQUE_CODE, booking.total - 1)
        used = self.codes_in_use()
        free = MAX_UNIQUE_CODE - len(used)
        # Spread over the range from the booking number (not 1, 2, 3... in a row), the
        # same every time: a test or an undo gives the same code again.
        start = booking.number * 337 % top if top > 0 else 0
        code = next(
            (c for c in (*range(start + 1, top + 1), *range(1, start + 1)) if c not in used), 0
        )
        if not code:
            self.notices.append(
                _(
                    "{bid} has no kode unik: all {count} are held by open bookings. Close "
                    "finished ones to free theirs: olshop done ID (or cancel)."
                ).format(bid=booking.id, count=MAX_UNIQUE_CODE)
            )
            return
        booking.unique_code = code if mode == "on" else -code
        if free - 1 < UNIQUE_CODES_LOW:
            self.notices.append(
                _(
                    "Only {free} of the {count} kode unik are free now: each open booking holds "
                    "one until it is done, cancelled or released."
                ).format(free=free - 1, count=MAX_UNIQUE_CODE)
            )

    def _check_hit_and_run(self, customer: Customer) -> str | None:
        """The warning for booking for a known non-payer, or a refusal if the shop's
        `hit-and-run` setting says so."""
        mode = self.setting("hit-and-run")
        history = self.counts_of(customer)
        if mode == "off" or not history.hit_and_run:
            return None
        if mode == "refuse":
            raise Conflict(
                _("Not booked: {fact}.").format(fact=hit_and_run_fact(customer.name, history)),
                _("Ask for payment first; to book anyway: olshop config set hit-and-run warn"),
            )
        return hit_and_run_warning(customer.name, history)

    def find_booking(self, ref: str) -> Booking:
        """An open booking, or a closed one from the archive (for history and refusals)."""
        number = parse_booking_id(ref)
        if number in self.bookings:
            return self.bookings[number]
        for closed in self.closed_now:
            if closed.number == number:
                return closed
        archived = self.archive.get(number)
        if archived is not None:
            return archived
        raise NotFound(
            _("There is no booking {bid}.").format(bid=f"B{number}"),
            _("See olshop bookings --all."),
        )

    def booking_for(self, ref: str, command: str) -> Booking:
        """A booking by its id; or, given a customer (key, phone, name: find_customer), that
        customer's one unpaid booking for `command` ("pay": booked, or shipped cash on
        delivery still owed; "remind": booked). Several are refused with the list of them,
        none with what the customer has."""
        text = " ".join(ref.split())
        from olshop_cli.phone import looks_like_phone

        if re.fullmatch(r"[Bb]?\d+", text) and not looks_like_phone(text):
            return self.find_booking(text)
        try:
            customer = self.find_customer(text)
        except NotFound:
            raise NotFound(
                _("'{text}' is not a booking id, and no customer matches it.").format(text=text),
                _("Booking ids look like B12: see olshop bookings, or olshop customer list."),
            ) from None

        def waiting(booking: Booking) -> bool:
            if booking.status == BOOKED:
                return True
            return (
                command == "pay"
                and booking.cod
                and booking.status == SHIPPED
                and (booking.owed > 0)
            )

        open_ones = [b for b in self.open_bookings_of(customer) if waiting(b)]
        if len(open_ones) == 1:
            return open_ones[0]
        if not open_ones:
            raise NotFound(
                _("{name} ({key}) has no unpaid booking.").format(
                    name=customer.name, key=customer.key
                ),
                _("See their bookings: olshop bookings --customer {key} --all").format(
                    key=customer.key
                ),
            )
        from olshop_cli.money import format_money

        lines = "\n".join(
            "  "
            + _("{bid}: total {total}, owed {owed}, {status}").format(
                bid=b.id,
                total=format_money(b.total),
                owed=format_money(b.owed),
                status=status_word(b.status),
            )
            for b in open_ones
        )
        raise Conflict(
            _("{name} ({key}) has {count} unpaid bookings:\n{bookings}").format(
                name=customer.name, key=customer.key, count=len(open_ones), bookings=lines
            ),
            _("Name the one meant, like: olshop {command} {bid}").format(
                command=command, bid=open_ones[0].id
            ),
        )

    def counts_of(self, customer: Customer) -> History:
        """The customer's running counts; a customer not counted yet is counted once from
        every booking, archive included (only here: listings never read the archive)."""
        if customer.counts is None:
            customer.counts = self.history(customer).to_dict()
            self._mark(customer)
            self.dirty = True
        return History(**customer.counts)

    def _tally(self, booking: Booking, status: str) -> None:
        """Keep the buyer's running counts in step with a booking made, paid or closed."""
        customer = self.customers.get(booking.customer)
        if customer is None or customer.counts is None:
            return  # not counted yet: counts_of will count this booking from the ledger
        counts = dict(customer.counts)
        name = "bookings" if status == BOOKED else status
        if name in counts:
            counts[name] += 1
        if status == PAID:
            counts["spent"] += booking.total
        if status == CANCELLED and "paid" in counts:
            # Sold when it was cancelled (its last move before it was to paid or shipped, not
            # back to booked by an edit): it is sold no more.
            moves = [h.get("event") for h in booking.history[:-1]]
            last = next((e for e in reversed(moves) if e in (BOOKED, PAID, SHIPPED)), None)
            if last in (PAID, SHIPPED):
                counts["paid"] -= 1
                counts["spent"] -= booking.total
        customer.counts = counts
        self._mark(customer)

    def hit_and_run_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these customers are known hit-and-run buyers, from the running counts
        alone (no archive read: a customer not counted yet is not marked)."""
        return set(keys) & self.marked

    @property
    def marked(self) -> set[str]:
        """Keys of every customer whose running counts mark them as hit-and-run."""
        if self._marked is None:
            self._marked = self.count_marked()
        return self._marked

    def count_marked(self) -> set[str]:
        """The hit-and-run keys counted afresh from every customer's running counts."""
        return {
            c.key
            for c in self.customers.values()
            if c.counts is not None and History(**c.counts).hit_and_run
        }

    def _mark(self, customer: Customer) -> None:
        """Keep the marked keys in step with one customer's counts."""
        if self._marked is None:
            return
        if customer.counts is not None and History(**customer.counts).hit_and_run:
            self._marked.add(customer.key)
        else:
            self._marked.discard(customer.key)

    def _close(self, booking: Booking, status: str, now: datetime, detail: str = "") -> None:
        held = booking.status in RESERVING_STATUSES
        products = [self.products.get(line.sku) for line in booking.lines] if held else []
        was_free = [(p, self.available(p)) for p in products if p is not None and p.asked_by]
        booking.move(status, now, detail)
        self._tally(booking, status)
        del self.bookings[booking.number]
        self.closed_now.append(booking)
        self._changed_bookings(booking, held)
        for product, free in was_free:  # its units are on sale again
            self._back_on_sale(product, free)

    def pay(
        self,
        ref: str,
        now: datetime,
        amount: int | None = None,
        method: str | None = None,
        reference: str | None = None,
        note: str | None = None,
        row: tuple[str, str] | None = None,
    ) -> Booking:
        """Record a payment: an entry with its amount, moment and (when given) how it was
        paid, the bank's or app's reference and a note; for a transfer read from a bank
        statement, `row` (its key, the day the bank booked it), so that no later read
        records it again. The full total (or more) makes it paid; less stays booked."""
        booking = self.find_booking(ref)
        # Shipped cash on delivery and not paid yet: the money the courier collected, paid
        # over to the seller. It stays shipped.
        cod_due = booking.cod and booking.status == SHIPPED and booking.owed > 0
        # A transfer from a statement that a paid booking's buyer sent again (paid twice):
        # recorded, and owed back to them.
        again = row is not None and amount is not None and booking.status in (PAID, SHIPPED)
        again = again and not cod_due
        if not (again or cod_due):
            check_move(booking, PAID)
        if cod_due and not method:
            method = "cod"
        due = booking.owed
        if amount is None and due == 0:  # a gift, or covered already: nothing to receive
            booking.move(PAID, now, "nothing to pay")
            booking.held_by_dp = False
            self._tally(booking, PAID)
            self._changed_bookings(booking, held=True)
            return booking
        amount = due if amount is None else amount
        if amount <= 0:
            raise InputError(_("A payment must be more than Rp0."), _("Like --amount 150rb."))
        check_price(amount)
        entry: dict = {"amount": amount, "at": iso(now)}
        if method:
            entry["method"] = normalize_method(method)
        if reference and reference.strip():
            entry["ref"] = reference.strip()
        if note and note.strip():
            entry["note"] = note.strip()
        if row is not None:
            from olshop_cli.money import format_money

            key, day = row
            if key in self.recorded_rows([day[:7]]):
                raise Conflict(
                    _("The transfer of {day} ({amount}) is already recorded.").format(
                        day=day, amount=format_money(amount)
                    ),
                    _("Nothing to record twice."),
                )
            entry["statement"], entry["received"] = key, day
            self.statement_rows.setdefault(day[:7], {})[key] = booking.number
        booking.payments.append(entry)
        from olshop_cli.money import format_money

        received = f"received {format_money(amount)}"
        if "method" in entry:
            shown = (
                entry["method"].upper() if entry["method"] in ("qris", "cod") else entry["method"]
            )
            received += f" by {shown}"
        if "ref" in entry:
            received += f", ref {entry['ref']}"

        code = booking.unique_code
        if again:
            booking.record(now, "payment", f"{received} more than its total (paid twice?)")
            self._tell_owed_back(booking, OWED_BACK_RECEIVED)
            self._changed_bookings(booking, held=booking.status == PAID)
            return booking
        if cod_due:
            left = booking.owed
            booking.record(
                now,
                "payment",
                f"{received}; {format_money(left)} of the COD still to come"
                if left
                else f"{received}: the COD is paid",
            )
            if booking.owed_back:
                self._tell_owed_back(booking, OWED_BACK_RECEIVED)
            self._changed_bookings(booking, held=False)
            return booking
        if row is not None and code > 0 and booking.total - booking.net_paid == code:
            # The buyer's transfer left the kode unik off: the shop lets it go.
            booking.unique_code = 0
            booking.record(
                now, "edited", f"kode unik {format_money(code)} dropped: the transfer left it off"
            )
        if booking.net_paid >= booking.total:
            booking.move(PAID, now, received)
            booking.held_by_dp = False
            self._tally(booking, PAID)
            if booking.owed_back:
                self._tell_owed_back(booking, OWED_BACK_RECEIVED)
        else:
            booking.record(now, "payment", received)
            self._hold_by_dp(booking, now)
        self._changed_bookings(booking, held=True)
        return booking

    def recorded_rows(self, months: Iterable[str]) -> dict[str, int]:
        """Statement rows already recorded as payments (row key -> booking number), of
        the transfers of these months ("YYYY-MM")."""
        found: dict[str, int] = {}
        for month in set(months):
            if self._statement_log is not None:
                found.update(self._statement_log(month))
            found.update(self.statement_rows.get(month, {}))
        return found

    def _tell_owed_back(self, booking: Booking, how: str) -> None:
        """The notice for money paid beyond a booking's total (`how`: OWED_BACK_RECEIVED or
        OWED_BACK_EDITED, the whole sentence with {bid} and {amount})."""
        from olshop_cli.money import format_money

        self.notices.append(_(how).format(bid=booking.id, amount=format_money(booking.owed_back)))

    def dp_minimum(self, booking: Booking) -> int | None:
        """The down payment that holds this booking past its deadline, as the shop's
        `dp-minimum` says (an amount, or a percentage of the total rounded up to the
        rupiah); None when the shop holds no booking for a DP."""
        return self.dp_minimum_of(booking.total)

    def dp_minimum_of(self, total: int) -> int | None:
        """The shop's DP minimum for a booking of this total (see dp_minimum)."""
        from olshop_cli.settings import dp_minimum

        rule = dp_minimum(self.setting("dp-minimum"))
        if rule is None:
            return None
        amount, percent = rule
        if percent is not None:
            return -(-total * percent // 100)  # rounded up: 50% of Rp25.001 is 12.501
        return min(amount, total)

    def _hold_by_dp(self, booking: Booking, now: datetime) -> None:
        """A part payment of at least the shop's dp-minimum holds the booking past its
        deadline (a pre-order) until the seller sets when the balance is due."""
        minimum = self.dp_minimum(booking)
        paid = booking.net_paid
        if booking.held_by_dp or minimum is None or paid < minimum:
            return
        from olshop_cli.money import format_money

        booking.held_by_dp = True
        booking.record(
            now,
            "held",
            f"the DP of {format_money(paid)} holds it past its deadline; "
            f"{format_money(booking.owed)} left",
        )
        self.notices.append(
            _(
                "{bid} is held by its DP ({paid}, the shop's minimum is {minimum}): it will not "
                "go overdue. When the balance of {owed} is due, say so: olshop extend {bid} "
                "--to '20 Des 17:00'"
            ).format(
                bid=booking.id,
                paid=format_money(paid),
                minimum=format_money(minimum),
                owed=format_money(booking.owed),
            )
        )

    def ship(
        self,
        ref: str,
        courier: str | None,
        tracking: str | None,
        now: datetime,
        pickup: bool = False,
        cod: bool = False,
    ) -> Booking:
        """Mark a paid booking shipped; its items leave the shelf (on-hand stock goes down).

        The courier is kept in its usual spelling (couriers.py); it needs a tracking number
        unless it is an instant courier. `pickup`: the buyer collects it (no courier, no
        tracking number). `cod`: cash on delivery, the courier collects what is still owed,
        so a booking not (fully) paid ships; what it owes stays owed until the seller records
        the money the courier pays over (`pay ID --method cod`)."""
        booking = self.find_booking(ref)
        sent = couriers.shipment(courier, tracking, pickup=pickup, cod=cod, bid=booking.id)
        self._check_shippable(booking, sent)
        if sent.cod:
            self._ship_cod(booking, sent, now)
        else:
            booking.move(SHIPPED, now, sent.detail)
        booking.courier, booking.tracking = sent.courier, sent.tracking
        booking.pickup, booking.cod = sent.pickup, sent.cod
        for line in booking.lines:
            product = self.products.get(line.sku)
            if product is not None:
                product.stock -= line.qty
        self._changed_bookings(booking, held=True)
        return booking

    def _check_shippable(self, booking: Booking, sent: couriers.Shipment) -> None:
        """Refuse a shipment the booking's status or money does not allow: a booking is
        shipped once paid, or unpaid as cash on delivery; a parcel the buyer picks up has
        no ongkir."""
        from olshop_cli.money import format_money

        bid = booking.id
        if not sent.cod:
            check_move(booking, SHIPPED)
        elif booking.status not in (BOOKED, PAID):
            check_move(booking, SHIPPED)  # shipped or closed already: refused as such
        elif booking.status == PAID or booking.owed <= 0:
            raise Conflict(
                _("{id} has nothing left to pay, so the courier has nothing to collect.").format(
                    id=bid
                ),
                _("Ship it without --cod."),
            )
        if sent.pickup and booking.ongkir:
            raise Conflict(
                _("{id} charges {ongkir} ongkir, and a parcel the buyer picks up has none.").format(
                    id=bid, ongkir=format_money(booking.ongkir)
                ),
                _("Take it off first: olshop edit {id} --ongkir 0").format(id=bid),
            )

    def _ship_cod(self, booking: Booking, sent: couriers.Shipment, now: datetime) -> None:
        """Ship an unpaid booking cash on delivery: shipped now, what it owes collected by
        the courier. A kode unik added to its total goes: it is for telling transfers
        apart, and the buyer pays cash. Counted as sold in the buyer's record at once (a
        parcel that comes back is taken off again by `return`)."""
        from olshop_cli.money import format_money

        code = booking.unique_code
        if code > 0:
            booking.unique_code = 0
            booking.record(now, "edited", f"kode unik {format_money(code)} dropped: COD")
        booking.status = SHIPPED  # before it is paid: the courier collects on delivery
        booking.held_by_dp = False
        booking.record(now, SHIPPED, f"{sent.detail} {format_money(booking.owed)}")
        self._tally(booking, PAID)

    def ship_batch(self, text: str, now: datetime, source: str = "") -> list[Booking]:
        """Ship every booking in a batch file (lines `ID COURIER TRACKING`, `cod` after the
        tracking number for cash on delivery; `ID COURIER` for an instant courier, `ID
        pickup` when the buyer collects it) in one change, couriers matched as `ship` does.

        Every line is checked first: a bad format, an unknown id, a booking not paid (unless
        cod), a courier without its tracking number or an id listed twice refuses the whole
        batch, naming each bad line, and ships nothing.
        """
        from olshop_cli.views import parse_ship_lines

        lines, problems = parse_ship_lines(text)
        source = source or _("the file")
        seen: dict[int, int] = {}
        for line in lines:
            try:
                booking = self.find_booking(line.ref)
            except (InputError, NotFound) as exc:
                problems.append(
                    _("line {lineno}: {problem}").format(lineno=line.lineno, problem=exc.message)
                )
                continue
            if booking.number in seen:
                problems.append(
                    _("line {lineno}: {bid} is also on line {other}.").format(
                        lineno=line.lineno, bid=booking.id, other=seen[booking.number]
                    )
                )
                continue
            seen[booking.number] = line.lineno
            try:
                sent = couriers.shipment(line.courier, line.tracking, cod=line.cod, bid=booking.id)
            except InputError as exc:
                problems.append(
                    _("line {lineno}: {bid}: {problem}").format(
                        lineno=line.lineno, bid=booking.id, problem=exc.message
                    )
                )
                continue
            if booking.status != PAID and not (sent.cod and booking.status == BOOKED):
                if booking.status == BOOKED:
                    problem = _(
                        "line {line}: {id} is not paid yet, so not shippable (cash on "
                        "delivery: write cod after its tracking number)."
                    ).format(line=line.lineno, id=booking.id)
                else:
                    problem = _("line {lineno}: {bid} is {status}, so not shippable.").format(
                        lineno=line.lineno, bid=booking.id, status=status_word(booking.status)
                    )
                problems.append(problem)
                continue
            try:
                self._check_shippable(booking, sent)
            except (Conflict, InputError) as exc:
                problems.append(
                    _("line {lineno}: {problem}").format(lineno=line.lineno, problem=exc.message)
                )
        if problems:
            # by line number: the first number in each (the words around it are translated)
            problems.sort(key=lambda p: int(re.findall(r"\d+", p)[0]))
            heading = ngettext(
                "{source} has {count} bad line, so nothing was shipped:",
                "{source} has {count} bad lines, so nothing was shipped:",
                len(problems),
            ).format(source=source, count=len(problems))
            raise InputError(
                heading + "\n  " + "\n  ".join(problems),
                _("Fix those lines and run it again."),
            )
        if not lines:
            raise InputError(
                _("{source} lists no parcels.").format(source=source),
                _("Write one line per parcel: B12 JNE JN0012345678"),
            )
        return [
            self.ship(line.ref, line.courier, line.tracking, now, cod=line.cod) for line in lines
        ]

    def done(self, ref: str, now: datetime) -> Booking:
        """The buyer has the parcel: the booking is done and moves to the archive. Not while
        money is owed back to the buyer: that is settled first."""
        booking = self.find_booking(ref)
        check_move(booking, DONE)
        if booking.cod and booking.owed:
            from olshop_cli.money import format_money

            raise Conflict(
                _("{id} still has {owed} of its cash on delivery to come in.").format(
                    id=booking.id, owed=format_money(booking.owed)
                ),
                _("Record it when the courier pays it over: olshop pay {id} --method cod").format(
                    id=booking.id
                ),
            )
        if booking.owed_back:
            from olshop_cli.money import format_money

            raise Conflict(
                _("{bid} still owes {amount} back to the buyer.").format(
                    bid=booking.id, amount=format_money(booking.owed_back)
                ),
                _(
                    "Settle it first: olshop refund {bid} (or --credit to keep it as their credit)."
                ).format(bid=booking.id),
            )
        self._close(booking, DONE, now)
        return booking

    def refund(
        self, ref: str, now: datetime, amount: int | None = None, credit: bool = False
    ) -> tuple[Booking, int]:
        """Settle money owed back on a sold booking (paid beyond its total): paid back, or
        kept as the buyer's credit, each an entry with its date. Returns (booking, amount)."""
        from olshop_cli.money import format_money

        booking = self.find_booking(ref)
        owed = booking.owed_back
        if booking.status not in (PAID, SHIPPED):
            hint = (
                _("Cancel or release it with --refund: olshop cancel {bid} --refund").format(
                    bid=booking.id
                )
                if booking.status == BOOKED
                else None
            )
            raise Conflict(
                _("{bid} is {status}: nothing is owed back on it.").format(
                    bid=booking.id, status=status_word(booking.status)
                ),
                hint,
            )
        if owed <= 0:
            why = (
                _("{bid} owes nothing back: what was paid beyond its total is settled.")
                if booking.refunds or booking.kept
                else _("{bid} owes nothing back: it was paid its total, no more.")
            )
            raise Conflict(why.format(bid=booking.id))
        amount = owed if amount is None else amount
        if not 0 < amount <= owed:
            raise InputError(
                _("{amount} is not what {bid} owes back ({owed}).").format(
                    amount=format_money(amount), bid=booking.id, owed=format_money(owed)
                ),
                _("Give up to {owed}, or leave --amount out for all of it.").format(
                    owed=format_money(owed)
                ),
            )
        entry = {"amount": amount, "at": iso(now)}
        if credit:
            entry["note"] = "credit"
            booking.kept.append(entry)
            booking.record(now, "credit", f"{format_money(amount)} kept as the buyer's credit")
        else:
            booking.refunds.append(entry)
            booking.record(now, "refunded", f"paid back {format_money(amount)}")
        self._changed_bookings(booking, held=booking.status in RESERVING_STATUSES)
        return booking, amount

    def owing_back(self) -> list[Booking]:
        """Open bookings paid beyond their total, the money not yet settled, by number (only
        those their stored money says may owe are built)."""
        seen = fields_of(self.bookings, "owed_back")
        return [self.bookings[n] for n in sorted(n for n, (owed,) in seen.items() if owed)]

    def cancel(
        self,
        ref: str,
        now: datetime,
        reason: str | None = None,
        money: str | None = None,
        refund: int | None = None,
    ) -> Booking:
        """Cancel a booking not yet shipped; its stock is free again. Money paid on it is
        paid back or kept (`money`: "refund" or "keep"), never dropped; `refund`: pay back
        only that much and keep the rest (a fee the buyer agreed to)."""
        booking = self.find_booking(ref)
        if booking.status == SHIPPED:
            raise Conflict(
                _("{bid} is shipped: the parcel is on its way to the buyer.").format(
                    bid=booking.id
                ),
                _("If it comes back: olshop return {bid} --restock --refund").format(
                    bid=booking.id
                ),
            )
        check_move(booking, CANCELLED)
        choice = self._money_choice(booking, money, "cancel")
        self._check_part(booking, choice, refund, "cancel")
        booking.reason = check_text(reason, "reason") or None
        self._close(booking, CANCELLED, now, reason or "")
        self._settle(booking, now, choice, refund)
        return booking

    def return_parcel(
        self,
        ref: str,
        now: datetime,
        restock: bool,
        money: str | None = None,
        reason: str | None = None,
        refund: int | None = None,
    ) -> Booking:
        """A shipped parcel came back: the booking is cancelled, its items back on the shelf
        (`restock`) or not (damaged, lost), and the money paid back or kept (`money`; with
        `refund`, that much paid back and the rest kept)."""
        booking = self.find_booking(ref)
        if booking.status != SHIPPED:
            raise Conflict(
                _("{bid} is {status}: only a shipped parcel can come back.").format(
                    bid=booking.id, status=status_word(booking.status)
                ),
                _("To cancel it: olshop cancel {bid} --refund").format(bid=booking.id)
                if booking.status in (BOOKED, PAID)
                else None,
            )
        choice = self._money_choice(booking, money, "return")
        self._check_part(booking, choice, refund, "return")
        products = [self.products.get(line.sku) for line in booking.lines] if restock else []
        was_free = {p.sku: self.available(p) for p in products if p is not None}
        booking.reason = reason or ("returned" if restock else "returned, not restocked")
        self._close(booking, CANCELLED, now, booking.reason)
        if restock:
            for line in booking.lines:
                product = self.products.get(line.sku)
                if product is not None:
                    product.stock += line.qty
                    self._back_on_sale(product, was_free[product.sku])
        self._settle(booking, now, choice, refund)
        return booking

    def _money_choice(self, booking: Booking, money: str | None, command: str) -> str | None:
        """What happens to the money paid on a booking about to close unsold: "refund" or
        "keep", as the seller said (for a release, else as the dp-on-release setting says);
        refused when nobody said. None when it holds no money."""
        if booking.held_amount <= 0:
            return None
        money = self._decided(money, command)
        if money is not None:
            return money
        from olshop_cli.money import format_money

        bid = booking.id
        again = f"olshop {command} {bid}" + (" --restock" if command == "return" else "")
        hint = (
            _(
                "Pay it back: {again} --refund; or keep it: {again} --keep (or once for all: "
                "olshop config set dp-on-release refund)"
            )
            if command == "release"
            else _("Pay it back: {again} --refund; or keep it: {again} --keep")
        )
        raise Conflict(
            _(VERB[command]).format(bid=bid, amount=format_money(booking.held_amount)),
            hint.format(again=again),
        )

    def _decided(self, money: str | None, command: str) -> str | None:
        if money is None and command == "release":
            money = self.setting("dp-on-release")
        return money if money in ("refund", "keep") else None

    def money_undecided(self, booking: Booking, money: str | None) -> bool:
        """True if releasing this booking would need the seller to say what happens to the
        money paid on it (release --overdue leaves such bookings for them to decide)."""
        return booking.held_amount > 0 and self._decided(money, "release") is None

    def _check_part(
        self, booking: Booking, choice: str | None, refund: int | None, command: str
    ) -> None:
        """A part refund (`--refund --amount X`): only with --refund, more than Rp0 and no
        more than the money held."""
        if refund is None:
            return
        from olshop_cli.money import format_money

        held = booking.held_amount
        if choice != "refund" or held <= 0:
            message = (
                _("--amount says how much of the money paid goes back, but {bid} holds no money.")
                if held <= 0
                else _(
                    "--amount says how much of the money paid goes back, but {bid} is not "
                    "being refunded."
                )
            )
            raise InputError(
                message.format(bid=booking.id),
                _("Like: olshop {command} {bid} --refund --amount 100rb").format(
                    command=command, bid=booking.id
                ),
            )
        if not 0 < refund <= held:
            raise InputError(
                _("{refund} is not part of the {held} paid on {bid}.").format(
                    refund=format_money(refund), held=format_money(held), bid=booking.id
                ),
                _("Give up to {held}, or leave --amount out to pay back all of it.").format(
                    held=format_money(held)
                ),
            )

    def _settle(
        self, booking: Booking, now: datetime, choice: str | None, refund: int | None = None
    ) -> None:
        """Record the money of a closed booking as paid back or kept: an entry with its date
        (with `refund`, that much paid back and the rest kept)."""
        held = booking.held_amount
        if choice is None or held <= 0:
            return
        from olshop_cli.money import format_money

        back = held if choice == "refund" else 0
        if refund is not None:
            back = min(refund, held)
        if back:
            booking.refunds.append({"amount": back, "at": iso(now)})
            booking.record(now, "refunded", f"paid back {format_money(back)}")
        if held - back:
            booking.kept.append({"amount": held - back, "at": iso(now)})
            booking.record(now, "kept", f"{format_money(held - back)} paid stays with the shop")

    def extend(
        self,
        ref: str,
        now: datetime,
        by: timedelta | None = None,
        to: datetime | None = None,
    ) -> tuple[Booking, datetime]:
        """Give more time to pay. `by` counts from the old deadline, or from now if it has
        passed. Reminder steps start over. Returns (booking, old deadline)."""
        booking = self.find_booking(ref)
        if booking.status != BOOKED:
            raise Conflict(
                _("{bid} is {status}; only an unpaid booking has a deadline.").format(
                    bid=booking.id, status=status_word(booking.status)
                ),
            )
        if (by is None) == (to is None):
            raise InputError(_("Say how long to extend."), _("Use --by 1d or --to 'besok 17:00'."))
        old = booking.deadline_at
        if by is not None:
            new = max(old, now) + by
        else:
            assert to is not None  # exactly one of the two was given
            new = to
        if new <= now:
            raise InputError(
                _("The new deadline {deadline} is already past.").format(
                    deadline=f"{new:%Y-%m-%d %H:%M}"
                ),
                _("Give a later one."),
            )
        booking.deadline = iso(new)
        booking.reminded = 0
        if booking.held_by_dp:  # the DP held it; from now the deadline is the balance's
            booking.held_by_dp = False
            booking.record(now, "extended", f"balance due by {new:%Y-%m-%d %H:%M}")
        else:
            booking.record(
                now, "extended", f"pay by {new:%Y-%m-%d %H:%M} (was {old:%Y-%m-%d %H:%M})"
            )
        self.dirty = True
        return booking, old

    def edit_booking(
        self,
        ref: str,
        now: datetime,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        set_qty: Iterable[str] = (),
        prices: Iterable[str] = (),
        discount: str | None = None,
        ongkir: int | None = None,
        courier: str | None = None,
        service: str | None = None,
        tracking: str | None = None,
        note: str | None = None,
        deadline: datetime | None = None,
    ) -> tuple[Booking, int]:
        """Change an open booking in place, keeping its id: its lines (add, remove, set a
        quantity, agree a price), discount, ongkir, courier and service, tracking number,
        note or deadline. Stock is re-reserved in the same change (anything that would
        oversell is refused, naming what is available); a paid booking that now owes more
        is booked again with the balance; one now paid in full becomes paid. Every change is
        written in the booking's history. Returns (booking, total before)."""
        from olshop_cli.money import format_money

        booking = self.find_booking(ref)
        bid = booking.id
        if not booking.is_open:
            raise Conflict(
                _("{bid} is {status}, so it cannot be changed.").format(
                    bid=bid, status=status_word(booking.status)
                ),
                _("Make a new booking: olshop book {customer} ...").format(
                    customer=booking.customer
                ),
            )
        add, remove, set_qty, prices = list(add), list(remove), list(set_qty), list(prices)
        money_asked = bool(add or remove or set_qty or prices)
        money_asked = money_asked or discount is not None or ongkir is not None
        if booking.status == SHIPPED and (money_asked or service is not None or deadline):
            raise Conflict(
                _(
                    "{bid} is shipped: its parcel has left, so its items and money stay as sent."
                ).format(bid=bid),
                _(
                    "Only --tracking, --courier and --note can change now; if it comes back: "
                    "olshop return {bid} --restock"
                ).format(bid=bid),
            )
        if tracking is not None and booking.status != SHIPPED:
            raise InputError(
                _("{bid} is not shipped yet, so it has no tracking number to fix.").format(bid=bid),
                _("Give it when it ships: olshop ship {bid} --courier JNE --tracking ...").format(
                    bid=bid
                ),
            )
        if deadline is not None and booking.status != BOOKED:
            raise InputError(
                _("{bid} is {status}: only an unpaid booking has a deadline.").format(
                    bid=bid, status=status_word(booking.status)
                )
            )
        changes: list[str] = []
        old_total = booking.total
        lines = {
            line.sku: Line(line.sku, line.name, line.qty, line.price, line.cost)
            for line in booking.lines
        }

        def has(text: str) -> str:
            sku = normalize_sku(text.split(":")[0].split("=")[0])
            if sku not in lines:
                message = (
                    _("{bid} has no {sku}; it has {skus}.")
                    if lines
                    else _("{bid} has no {sku}; it has no items.")
                )
                raise NotFound(
                    message.format(bid=bid, sku=sku, skus=", ".join(lines)),
                    _("To add it: olshop edit {bid} --add {sku}:1").format(bid=bid, sku=sku),
                )
            return sku

        named: dict[str, str] = {}  # SKU -> the option that names it: one change per item
        for option, texts in (("--remove", remove), ("--set", set_qty), ("--add", add),
                              ("--price", prices)):  # fmt: skip
            for text in texts:
                sku = normalize_sku(text.split("@")[0].split(":")[0].split("=")[0])
                if sku in named and not {named[sku], option} <= {"--add", "--price"}:
                    raise InputError(
                        _("{sku} is named by both {first} and {second}.").format(
                            sku=sku, first=named[sku], second=option
                        ),
                        _("Say it once, like --set {sku}:2 (and --price {sku}=PRICE).").format(
                            sku=sku
                        ),
                    )
                named.setdefault(sku, option)
        for text in remove:
            sku = has(text)
            del lines[sku]
            changes.append(f"removed {sku}")
        for text in set_qty:
            sku = has(text)
            number = whole_number(text.partition(":")[2])
            if number is None:
                raise InputError(
                    _("'{text}' has no usable quantity.").format(text=text),
                    _("Like --set {sku}:2").format(sku=sku),
                )
            qty = check_units(number, "A quantity")
            if qty == 0:
                del lines[sku]
                changes.append(f"removed {sku}")
            elif qty != lines[sku].qty:
                changes.append(f"{qty}x {sku} (was {lines[sku].qty})")
                lines[sku].qty = qty
        for text in add:
            sku, qty, price = parse_item(text)
            if sku in lines:
                line = lines[sku]
                if price is not None and price != line.price:
                    raise InputError(
                        _("{sku} is in {bid} at {price} a unit.").format(
                            sku=sku, bid=bid, price=format_money(line.price)
                        ),
                        _("To change its price: --price {sku}={price}").format(
                            sku=sku, price=price
                        ),
                    )
                line.qty = check_units(line.qty + qty, "A quantity")
            else:
                product = self.find_product(sku)
                price = product.price if price is None else price
                lines[sku] = Line(product.sku, product.name, qty, price, product.cost)
            changes.append(f"added {qty}x {sku} @ {format_money(lines[sku].price)}")
        for text in prices:
            sku_text, eq, price_text = text.partition("=")
            if not eq:
                raise InputError(
                    _("'{text}' is not SKU=PRICE.").format(text=text),
                    _("Like --price PAN-24=140rb"),
                )
            sku = has(sku_text)
            from olshop_cli.money import parse_money

            price = check_price(parse_money(price_text))
            if price != lines[sku].price:
                lines[sku].price = price
                changes.append(f"{sku} at {format_money(price)}")
        if not lines:
            raise InputError(
                _("That would leave {bid} with no items.").format(bid=bid),
                _("Cancel it instead: olshop cancel {bid}").format(bid=bid),
            )
        old_qty: dict[str, int] = {}
        for line in booking.lines:
            old_qty[line.sku] = old_qty.get(line.sku, 0) + line.qty
        new_qty = {sku: line.qty for sku, line in lines.items()}
        if booking.status in RESERVING_STATUSES:
            for sku, qty in new_qty.items():
                more = qty - old_qty.get(sku, 0)
                if more <= 0:
                    continue
                product = self.find_product(sku)
                free = max(self.available(product), 0)
                if more > free:
                    held = old_qty.get(sku, 0)
                    raise Conflict(
                        _(
                            "Only {free} more of {sku} ({name}) available; {bid} holds {held} "
                            "and would need {qty}."
                        ).format(
                            free=free, sku=sku, name=product.name, bid=bid, held=held, qty=qty
                        ),
                        _(
                            "Set {most} or fewer (--set {sku}:{most}), or add stock: "
                            "olshop product stock {sku} +N"
                        ).format(most=held + free, sku=sku)
                        if free
                        else _("Add stock first: olshop product stock {sku} +N").format(sku=sku),
                    )
        items_total = sum(line.amount for line in lines.values())
        off, off_text = booking.discount, booking.discount_text
        if discount is not None:
            if discount.strip() in ("", "0"):
                off, off_text = 0, None
            else:
                off, off_text = parse_discount(discount, items_total)
        elif off_text and off_text.endswith("%"):  # a percentage follows the items
            off, off_text = parse_discount(off_text, items_total)
        if off > items_total:
            raise InputError(
                _("The discount of {amount} is more than the items now ({items}).").format(
                    amount=format_money(off), items=format_money(items_total)
                ),
                _("Give a new one: --discount 10% (or --discount 0 for none)."),
            )
        if off != booking.discount or (discount is not None and off_text != booking.discount_text):
            shown = f"{off_text} (-{format_money(off)})" if off_text != format_money(off) else ""
            changes.append(f"discount {shown or format_money(off)}" if off else "no discount")
        new_courier = booking.courier
        if courier is not None:
            new_courier = couriers.normalize(check_text(courier, "courier") or "") or None
        new_ongkir = booking.ongkir if ongkir is None else check_price(ongkir)
        if new_ongkir and not new_courier:
            raise InputError(
                _("Ongkir needs its courier."), _("Add --courier, like --courier 'J&T'.")
            )
        if new_ongkir != booking.ongkir:
            changes.append(f"ongkir {format_money(new_ongkir)}" if new_ongkir else "no ongkir")
        if new_courier != booking.courier:
            changes.append(f"courier {new_courier}" if new_courier else "no courier")
        new_service = booking.service
        if service is not None:
            new_service = service.strip().upper() or None
            if new_service != booking.service:
                changes.append(f"service {new_service}" if new_service else "no service")
        new_tracking = booking.tracking
        if booking.status == SHIPPED and (courier is not None or tracking is not None):
            new_tracking = self._fixed_shipment(booking, courier, tracking)
            if new_tracking != booking.tracking:
                changes.append(
                    f"tracking {new_tracking} (was {booking.tracking})"
                    if booking.tracking
                    else f"tracking {new_tracking}"
                )
        new_note = booking.note
        if note is not None:
            new_note = note.strip() or None
            if new_note != booking.note:
                changes.append("note changed" if new_note else "note removed")
        if deadline is not None:
            if deadline <= now:
                raise InputError(
                    _("The deadline {deadline} is already past.").format(
                        deadline=f"{deadline:%Y-%m-%d %H:%M}"
                    ),
                    _("Give a later one, like --deadline 'besok 17:00'."),
                )
            changes.append(f"pay by {deadline:%Y-%m-%d %H:%M}")
        if not changes:
            raise InputError(
                _("Nothing to change on {bid}: it already reads like that.").format(bid=bid),
                _("Give what changes, like --add SPAT-1, --set PAN-24:2, --ongkir 18rb."),
            )

        # Everything is checked: change the booking, its stock and its money in one go.
        reserving = booking.status in RESERVING_STATUSES
        shrinking = [sku for sku, qty in old_qty.items() if new_qty.get(sku, 0) < qty]
        waited = [self.products.get(sku) for sku in shrinking] if reserving else []
        freed = [(p, self.available(p)) for p in waited if p is not None and p.asked_by]
        if reserving and self._reserved is not None:
            for sku in set(old_qty) | set(new_qty):
                self._reserved[sku] = (
                    self._reserved.get(sku, 0) + new_qty.get(sku, 0) - old_qty.get(sku, 0)
                )
        was_sold = booking.status in (PAID, SHIPPED)
        booking.lines = list(lines.values())
        booking.discount, booking.discount_text = off, (off_text if off else None)
        booking.ongkir, booking.courier, booking.service = new_ongkir, new_courier, new_service
        booking.tracking, booking.note = new_tracking, new_note
        if deadline is not None:
            booking.deadline, booking.reminded, booking.held_by_dp = iso(deadline), 0, False
        if booking.unique_code < 0 and booking.total <= 0:  # a code taken off a total it
            booking.unique_code = 0  # now exceeds: nothing to take it off
            changes.append("kode unik dropped")
        total = booking.total
        if total != old_total:
            changes.append(f"total {format_money(old_total)} -> {format_money(total)}")
        booking.record(now, "edited", "; ".join(changes))
        paid = booking.net_paid
        if booking.status == PAID and paid < total:  # owes more now: booked again
            booking.status = BOOKED
            if deadline is None:
                booking.deadline = iso(self.default_deadline(now))
            booking.reminded = 0
            booking.record(
                now,
                BOOKED,
                f"{format_money(total - paid)} left to pay by "
                f"{parse_iso(booking.deadline):%Y-%m-%d %H:%M}",
            )
        elif booking.status == BOOKED and booking.payments and paid >= total:
            booking.move(PAID, now, "paid in full after the edit")
            booking.held_by_dp = False
        if booking.status == BOOKED and booking.payments:
            self._recheck_hold(booking, now)
        self._recount_sale(booking, was_sold, old_total)
        if booking.owed_back:
            self._tell_owed_back(booking, OWED_BACK_EDITED)
        self._changed_bookings(booking, held=reserving)
        for product, free in freed:  # units back on sale: who was waiting for them
            self._back_on_sale(product, free)
        return booking, old_total

    def _fixed_shipment(
        self, booking: Booking, courier: str | None, tracking: str | None
    ) -> str | None:
        """The tracking number of a shipped booking whose courier or tracking number is
        fixed, checked as `ship` checks them; refused for a parcel the buyer picked up."""

        bid = booking.id
        if booking.pickup:
            raise Conflict(
                _("{id} was picked up by the buyer: it has no courier or tracking number.").format(
                    id=bid
                ),
                _("If it was marked so by mistake, olshop undo takes back the last change."),
            )
        sent = couriers.shipment(
            booking.courier if courier is None else courier,
            booking.tracking if tracking is None else tracking,
            cod=booking.cod,
            bid=bid,
        )
        return sent.tracking

    def _recheck_hold(self, booking: Booking, now: datetime) -> None:
        """After an edit: a DP that now meets the shop's minimum holds the booking; one that
        no longer does lets it go, with a deadline for the rest from now if its own passed."""
        if not booking.held_by_dp:
            self._hold_by_dp(booking, now)
            return
        minimum = self.dp_minimum(booking)
        if minimum is not None and booking.net_paid >= minimum:
            return
        from olshop_cli.money import format_money

        booking.held_by_dp = False
        if booking.deadline_at <= now:
            booking.deadline = iso(self.default_deadline(now))
            booking.reminded = 0
        detail = (
            f"the DP of {format_money(booking.net_paid)} is under the minimum "
            f"({format_money(minimum)}) now"
            if minimum is not None
            else "the shop holds no booking for a DP now"
        )
        booking.record(now, "not held", f"{detail}; pay by {booking.deadline_at:%Y-%m-%d %H:%M}")
        notice = (
            _(
                "{bid} is no longer held by its DP: the DP of {paid} is under the minimum "
                "({minimum}) now. The rest, {owed}, is due by {deadline}."
            )
            if minimum is not None
            else _(
                "{bid} is no longer held by its DP: the shop holds no booking for a DP now. "
                "The rest, {owed}, is due by {deadline}."
            )
        )
        self.notices.append(
            notice.format(
                bid=booking.id,
                paid=format_money(booking.net_paid),
                minimum=format_money(minimum) if minimum is not None else "",
                owed=format_money(booking.owed),
                deadline=f"{booking.deadline_at:%Y-%m-%d %H:%M}",
            )
        )

    def _recount_sale(self, booking: Booking, was_sold: bool, old_total: int) -> None:
        """Keep the buyer's running counts (paid, spent) in step with an edited booking."""
        customer = self.customers.get(booking.customer)
        if customer is None or customer.counts is None:
            return
        sold = booking.status in (PAID, SHIPPED)
        if not (was_sold or sold):
            return
        counts = dict(customer.counts)
        if "paid" in counts:
            counts["paid"] += int(sold) - int(was_sold)
        if "spent" in counts:
            counts["spent"] += (booking.total if sold else 0) - (old_total if was_sold else 0)
        customer.counts = counts
        self._mark(customer)

    def remind(self, ref: str, now: datetime) -> tuple[Booking, int]:
        """Record the next reminder step (1 reminder, 2 check-in) for an unpaid booking.

        After step 2 the next step is release, so a third reminder is refused.
        """
        booking = self.find_booking(ref)
        if booking.status != BOOKED:
            raise Conflict(
                _("{bid} is {status}; only unpaid bookings get reminders.").format(
                    bid=booking.id, status=status_word(booking.status)
                )
            )
        if booking.held_by_dp:
            raise Conflict(
                _("{bid} is held by its down payment: its balance has no date yet.").format(
                    bid=booking.id
                ),
                _("Set when the balance is due: olshop extend {bid} --to '20 Des 17:00'").format(
                    bid=booking.id
                ),
            )
        if booking.reminded >= CHECKIN:
            late = not booking.is_overdue(now)
            message = (
                _(
                    "{bid} has had its reminder and its check-in; the next step is release once "
                    "its deadline has passed."
                )
                if late
                else _("{bid} has had its reminder and its check-in; the next step is release.")
            )
            release = f"olshop release {booking.id}" + (" --force" if late else "")
            raise Conflict(
                message.format(bid=booking.id),
                _(
                    "Release it with: {command}, or give more time: olshop extend {bid} --by 1d"
                ).format(command=release, bid=booking.id),
            )
        booking.reminded += 1
        step = booking.reminded
        booking.reminders.append({"step": step, "at": iso(now)})
        booking.record(now, "reminded", "reminder" if step == 1 else "check-in")
        self.dirty = True
        return booking, step

    def release(
        self, ref: str, now: datetime, force: bool = False, money: str | None = None
    ) -> Booking:
        """Release an overdue unpaid booking (stock back); a booking not yet overdue needs force.
        A down payment on it is paid back or kept (`money`, else the dp-on-release setting),
        never dropped: without either it is refused."""
        booking = self.find_booking(ref)
        if booking.status == BOOKED and not booking.is_overdue(now) and not force:
            raise Conflict(
                _("{bid} is not overdue: the buyer has until {deadline}.").format(
                    bid=booking.id, deadline=f"{booking.deadline_at:%Y-%m-%d %H:%M}"
                ),
                _("Release it anyway with: olshop release {bid} --force").format(bid=booking.id),
            )
        check_move(booking, RELEASED)
        choice = self._money_choice(booking, money, "release")
        booking.reason = "deadline passed" if booking.is_overdue(now) else "released early"
        self._close(booking, RELEASED, now, booking.reason)
        self._settle(booking, now, choice)
        return booking

    # ----- views ----------------------------------------------------------------------------

    def unpaid(self) -> list[Booking]:
        """Open bookings still waiting for money (status booked), by number."""
        return self._open_where(BOOKED)

    def overdue(self, now: datetime) -> list[Booking]:
        """Unpaid bookings past their deadline (not held by a DP), the longest overdue first."""
        return sorted(self._open_where(BOOKED, before=now), key=lambda b: b.deadline_at)

    def _open_where(
        self, status: str | None = None, customer: str | None = None, before=None
    ) -> list[Booking]:
        """Open bookings with this status, of this customer, due before this moment and not
        held by a down payment (each if given), by number."""
        equal = {"status": status, "customer": customer}
        return select(
            self.bookings,
            lambda booking: (
                (not status or booking.status == status)
                and (not customer or booking.customer == customer)
                and (before is None or (booking.deadline_at < before and not booking.held_by_dp))
            ),
            **{name: value for name, value in equal.items() if value},
        )

    def all_bookings(self) -> Iterator[Booking]:
        """Open and closed bookings, by number, streamed from the archive. The main file wins
        over a stale archive copy."""
        import heapq

        open_ones = sorted(self.bookings.values(), key=lambda b: b.number)
        seen = {b.number for b in open_ones}
        closed = (b for b in self.archive.all() if b.number not in seen)
        return heapq.merge(closed, open_ones, key=lambda b: b.number)

    def iter_bookings(
        self,
        now: datetime,
        status: str | None = None,
        overdue: bool = False,
        due_within: timedelta | None = None,
        customer: str | None = None,
        include_closed: bool = False,
    ) -> Iterator[Booking]:
        """Bookings matching every filter given, by number; open ones unless closed ones are
        asked for. Checks the filters before the first booking is read."""
        from olshop_cli.models import CLOSED_STATUSES, STATUSES, status_word

        if status is not None:
            status = status.lower().strip()
            # the word the seller reads in the listings (lunas, dipesan) names its status too
            shown = {status_word(s).lower(): s for s in STATUSES}
            status = shown.get(status, status)
            if status not in STATUSES:
                choices = [status_word(s) for s in STATUSES]
                raise InputError(
                    _("Unknown status '{status}'.").format(status=status),
                    _("Use one of: {choices}.").format(choices=", ".join(choices)),
                )
        key = self.find_customer(customer).key if customer else None
        source: Iterable[Booking]
        if key and (include_closed or status in CLOSED_STATUSES):
            source = self.bookings_of(key)  # from the customer's own list, not the archive
        elif include_closed or status in CLOSED_STATUSES:
            source = self.all_bookings()
        elif overdue and not status and due_within is None:
            return iter(self._open_where(BOOKED, key, before=now))  # exactly the matches
        elif overdue:  # only the open bookings that can match are built
            source = self._open_where(BOOKED, key, before=now)
        elif due_within is not None:
            source = self._open_where(BOOKED, key)
        else:
            source = self._open_where(status, key)

        def matching() -> Iterator[Booking]:
            for booking in source:
                if status and booking.status != status:
                    continue
                if key and booking.customer != key:
                    continue
                if overdue and not booking.is_overdue(now):
                    continue
                if due_within is not None and not (
                    booking.status == BOOKED
                    and not booking.held_by_dp
                    and now <= booking.deadline_at <= now + due_within
                ):
                    continue
                yield booking

        return matching()

    def select_bookings(self, now: datetime, **filters) -> list[Booking]:
        """The bookings of iter_bookings, as a list."""
        return list(self.iter_bookings(now, **filters))

    def sold_out(self) -> list[Product]:
        """Products still listed for sale with nothing available (only those are built)."""
        seen = fields_of(self.products, "listed", "stock")
        return [
            self.products[sku]
            for sku, (listed, stock) in sorted(seen.items())
            if listed is not False  # not stored: listed, as a Product is by default
            and isinstance(stock, int)
            and stock - self.reserved(sku) <= 0
        ]

    def digest(
        self, now: datetime, soon: timedelta = timedelta(hours=24), limit: int | None = None
    ) -> Digest:
        """The start-of-day view: overdue (longest overdue first), due soon (soonest first),
        to ship and in transit (oldest first), sold out. Each list holds at most `limit`
        bookings (all if None) and `counts` says how many there are; records are sorted as
        stored."""
        overdue, due_soon, to_ship, in_transit, held = [], [], [], [], []
        table = self.bookings
        seen = fields_of(table, "status", "deadline", "held_by_dp", "owed_back")
        owing = sorted(n for n, values in seen.items() if values[3])
        # Deadlines as text in the offset of now: stored ones in that offset (nearly all)
        # compare as they are, the others are written in it first. A big shop compares
        # thousands, and parsing each costs more than comparing the text.
        now_at, soon_at = iso(now), iso(now + soon)  # to the second, as deadlines are
        shape = len(now_at), now_at[19:]
        for number, (status, stored_deadline, held_by_dp, *_rest) in seen.items():
            if status == BOOKED and held_by_dp:
                held.append(number)
            elif status == BOOKED:
                deadline = stored_deadline
                if not (type(deadline) is str and (len(deadline), deadline[19:]) == shape):
                    try:
                        moment = parse_iso(stored_deadline)
                    except TypeError:  # not a moment at all: the booking says what is wrong
                        moment = table[number].deadline_at
                    deadline = iso(moment.astimezone(now.tzinfo))
                if deadline < now_at or (deadline == now_at and now.microsecond):
                    overdue.append((deadline, number))
                elif deadline <= soon_at:
                    due_soon.append((deadline, number))
            elif status == PAID:
                to_ship.append(number)
            elif status == SHIPPED:
                in_transit.append(number)
        overdue.sort()
        due_soon.sort()
        to_ship.sort()
        in_transit.sort()
        held.sort()
        counts = {"overdue": len(overdue), "due_soon": len(due_soon),
                  "to_ship": len(to_ship), "in_transit": len(in_transit),
                  "held_by_dp": len(held)}  # fmt: skip
        sold_out = self.sold_out()
        counts["sold_out"] = len(sold_out)
        owed_back = [table[n] for n in owing]
        counts["owed_back"] = len(owed_back)
        from olshop_cli.views import Digest

        return Digest(
            now=now,
            overdue=[table[n] for _at, n in overdue[:limit]],
            due_soon=[table[n] for _at, n in due_soon[:limit]],
            to_ship=[table[n] for n in to_ship[:limit]],
            in_transit=[table[n] for n in in_transit[:limit]],
            held_by_dp=[table[n] for n in held[:limit]],
            sold_out=sold_out,
            owed_back=owed_back,
            counts=counts,
        )

    def customer_history(self, customer: Customer) -> list[Booking]:
        """Every booking of this customer, open and closed."""
        return self.bookings_of(customer.key)

    def bookings_of(self, key: str) -> list[Booking]:
        """Every booking of the customer with this key, by number: the closed ones found
        through the archive's list of each customer's bookings."""
        closed = [self.archive.get(number) for number in self.archive.numbers_of(key)]
        found = {b.number: b for b in closed if b is not None and b.customer == key}
        found.update((b.number, b) for b in self._open_where(customer=key))
        found.update((b.number, b) for b in self.closed_now if b.customer == key)
        return [found[number] for number in sorted(found)]

    def history(self, customer: Customer) -> History:
        """The customer's counts: bookings, paid, released, cancelled, spent."""
        return history_of(self.customer_history(customer))

    def packing_list(self) -> PackingList:
        """Paid bookings waiting to ship, and the items to pick for them summed by SKU
        (named as the product is named now; as booked if the product is gone)."""
        parcels = self._open_where(PAID)
        from olshop_cli.views import PackingList, Pick

        picks: dict[str, Pick] = {}
        for booking in parcels:
            for line in booking.lines:
                if line.sku not in picks:
                    product = self.products.get(line.sku)
                    picks[line.sku] = Pick(line.sku, product.name if product else line.name, 0)
                picks[line.sku].qty += line.qty
        return PackingList(picks=sorted(picks.values(), key=lambda p: p.sku), parcels=parcels)
