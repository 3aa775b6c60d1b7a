"""What every command shares: the ledger folder, the clock, options and booking views."""

import os
from collections.abc import Set
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

import typer

from olshop_cli import output, paths
from olshop_cli.errors import InputError
from olshop_cli.i18n import N_, _
from olshop_cli.ledger import Ledger
from olshop_cli.models import Booking, Customer, Product, parse_iso
from olshop_cli.money import format_money

JsonOpt = Annotated[
    bool, typer.Option("--json", "-j", help="Print JSON on stdout instead of text.")
]
# The payment deadline and discount of a new booking (`book`, `order`).
DeadlineOpt = Annotated[
    str | None,
    typer.Option(
        "--deadline",
        "-d",
        help="Pay by: 'besok 17:00', 'besok sore', 'senin depan', 'tgl 25 jam 17.00', "
        "+24h, 2d (default: the shop's deadline setting).",
    ),
]
DiscountOpt = Annotated[
    str | None,
    typer.Option("--discount", help="Off the items: an amount (20rb) or a percentage (10%)."),
]

# Said, on one line, where a first run looks: `olshop` alone, and `today`.
NO_SHOP_HINT = N_("No shop here yet: run olshop init to set it up (or olshop demo to try one).")

_home_override: list[str | None] = [None]
_command_line: list = []


# ----- tab completion ----------------------------------------------------------------------
# Typer calls these only while the shell asks for completions (olshop_cli.complete reads the
# ledger then); a normal run only holds the functions.

# The bookings a command can act on: pay offers the unpaid ones, ship the paid ones...
BOOKINGS_FOR = {
    "pay": ("booked",),
    "extend": ("booked",),
    "remind": ("booked",),
    "release": ("booked",),
    "cancel": ("booked", "paid"),
    "ship": ("paid",),
    "done": ("shipped",),
    "return": ("shipped",),
}


def _offer(ctx: typer.Context, what: str, typed: str) -> list[tuple[str, str]]:
    from olshop_cli import complete

    try:
        home = paths.home(ctx.find_root().params.get("home"))
        if what == "booking":
            return complete.bookings(home, typed, BOOKINGS_FOR.get(ctx.command.name or ""))
        return complete.customers(home, typed) if what == "customer" else complete.skus(home, typed)
    except Exception:  # noqa: BLE001 - a completion that fails offers nothing, not a traceback
        return []


def complete_booking(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Open bookings' ids, for tab completion."""
    return _offer(ctx, "booking", incomplete)


def complete_customer(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Customers' keys, for tab completion."""
    return _offer(ctx, "customer", incomplete)


def complete_sku(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Products' SKUs, for tab completion."""
    return _offer(ctx, "sku", incomplete)


def set_home(home: str | None) -> None:
    from olshop_cli import i18n

    _home_override[0] = home
    i18n.set_source(lambda: store().setting("ui-lang"))


def set_command_line(args) -> None:
    """Remember the command as typed: `undo` and `backup list` show it."""
    _command_line[:] = list(args)


def command_line() -> str:
    """The command as typed, quoted so it could be pasted back into a shell."""
    import shlex

    return " ".join(["olshop", *(shlex.quote(str(a)) for a in _command_line)])


def store():
    """The store for the ledger folder chosen by --home / OLSHOP_HOME / the platform."""
    from olshop_cli.store import Store

    return Store(paths.home(_home_override[0]))


def now_of(ledger: Ledger) -> datetime:
    """Now in the shop's time zone; OLSHOP_NOW fixes it for tests, demos and replay."""
    from olshop_cli.when import resolve_now, shop_zone

    return resolve_now(os.environ.get("OLSHOP_NOW"), shop_zone(ledger.setting("timezone")))


def read() -> tuple[Ledger, datetime]:
    """A read-only snapshot of the ledger and the shop's now."""
    shop = store()
    ledger = shop.load()
    for notice in shop.notices:  # the one-time line of an upgrade
        output.say(notice)
    return ledger, now_of(ledger)


@contextmanager
def change():
    """Change the ledger under the lock; yields (ledger, now). Notices go to stderr after."""
    shop = store()
    with shop.change(command_line()) as ledger:
        ledger.changed_at = now_of(ledger)
        yield ledger, ledger.changed_at
    for notice in shop.notices:
        output.say(notice)
    for notice in ledger.notices:
        output.warn(notice)


def when(moment: str | None) -> str:
    """A stored moment as the seller reads it: 2026-11-24 17:00."""
    if not moment:
        return ""
    return datetime.fromisoformat(moment).strftime("%Y-%m-%d %H:%M")


def customer_json(ledger: Ledger, customer: Customer) -> dict:
    data = customer.to_dict()
    data.pop("counts", None)  # the ledger's running tally; `customer show` gives `history`
    data["call"] = ledger.call_of(customer)
    data["call_is_default"] = customer.call is None
    return data


def product_json(ledger: Ledger, product: Product) -> dict:
    data = product.to_dict()
    data["reserved"] = ledger.reserved(product.sku)
    data["available"] = ledger.available(product)
    data["sold_out"] = data["available"] <= 0
    return data


def booking_json(booking: Booking, now: datetime) -> dict:
    data = booking.to_dict()
    data["paid"] = booking.paid_amount
    data["owed"] = booking.owed if booking.status == "booked" or booking.cod else 0
    owed_back = booking.owed_back
    if owed_back:
        data["owed_back"] = owed_back
    data["overdue"] = booking.is_overdue(now)
    if booking.status == "booked":
        data["next_step"] = booking.next_step
    if data["overdue"]:
        data["late_seconds"] = int((now - booking.deadline_at).total_seconds())
    return data


def tell_waiting_buyers(ledger: Ledger) -> None:
    """After a change that put sold-out products back on sale: who asked about each, with
    the message to send them (stderr)."""
    from olshop_cli.phone import format_phone

    for sku, waiting in ledger.asked_back.items():
        if not waiting:
            continue
        output.say(
            _("Back in stock! {count} asked about {sku} while sold out:").format(
                count=len(waiting), sku=sku
            )
        )
        for customer in waiting:
            phone = f"  {format_phone(customer.phone)}" if customer.phone else ""
            output.say(
                f"  {customer.name}{phone}  ->  olshop reply restock --to {customer.key} "
                f"--sku {sku}"
            )


def shipping_text(booking: Booking) -> str:
    """The courier and service of a booking's ongkir: `J&T REG`."""
    return " ".join(x for x in (booking.courier, booking.service) if x)


def shipment_text(booking: Booking) -> str:
    """How a shipped booking went, for `show`: `JNE JN0012345678`, `GoSend`, `picked up by
    the buyer`, `J&T JX123, cash on delivery`; "" before it ships."""

    if booking.pickup:
        return _("picked up by the buyer")
    if booking.status not in ("shipped", "done") and not booking.tracking:
        return ""
    sent = " ".join(x for x in (booking.courier, booking.tracking) if x)
    return _("{shipment}, cash on delivery").format(shipment=sent) if booking.cod else sent


def money_text(booking: Booking) -> str:
    """A booking's total, with its discount, ongkir and kode unik when it has them:
    `Rp270.000 (items Rp280.000, discount -Rp28.000, ongkir Rp18.000 J&T)`."""
    total = format_money(booking.total)
    if not (booking.discount or booking.ongkir or booking.unique_code):
        return total
    parts = [_("items {amount}").format(amount=format_money(booking.items_total))]
    if booking.discount:
        parts.append(_("discount -{amount}").format(amount=format_money(booking.discount)))
    if booking.ongkir:
        parts.append(
            _("ongkir {amount} {courier}")
            .format(amount=format_money(booking.ongkir), courier=shipping_text(booking))
            .rstrip()
        )
    if booking.unique_code:
        parts.append(_("kode unik {code}").format(code=code_text(booking)))
    return f"{total} ({', '.join(parts)})"


def code_text(booking: Booking) -> str:
    """A booking's kode unik as money on its total: `+Rp356`, or `-Rp356` taken off."""
    code = booking.unique_code
    return f"{'+' if code > 0 else '-'}{format_money(abs(code))}" if code else ""


def items_text(booking: Booking) -> str:
    return ", ".join(f"{line.qty}x {line.sku}" for line in booking.lines)


def due_text(booking: Booking, now: datetime) -> str:
    """When payment is due, or how late it is, for an unpaid booking."""
    from olshop_cli.when import format_duration

    if booking.status != "booked":
        return ""
    if booking.held_by_dp:
        return _("held by its DP: balance date not set")
    if booking.is_overdue(now):
        return _("{duration} late").format(duration=format_duration(now - booking.deadline_at))
    return _("in {duration}").format(duration=format_duration(booking.deadline_at - now))


def step_text(booking: Booking, now: datetime, late: bool | None = None) -> str:
    """The next step with a booking, and the command for it (`late`: already known
    whether it is overdue)."""
    bid = booking.id
    if booking.status == "booked":
        if booking.held_by_dp:
            return _("balance date: olshop extend {id} --to DATE").format(id=bid)
        if not (booking.is_overdue(now) if late is None else late):
            return _("wait for payment")
        return {
            "reminder": _("reminder 1: olshop remind {id}"),
            "check-in": _("check-in: olshop remind {id}"),
            "release": _("release: olshop release {id}"),
        }[booking.next_step].format(id=bid)
    if booking.status == "paid":
        return _("ship: olshop ship {id}").format(id=bid)
    if booking.status == "shipped" and booking.cod and booking.owed:
        return _("COD to come in: olshop pay {id} --method cod").format(id=bid)
    if booking.status == "shipped":
        return _("on arrival: olshop done {id}").format(id=bid)
    return ""


def short_when(moment: str, now: datetime) -> str:
    """A moment for a narrow table: `24 Nov 17:00` (the year only when it is not this one)."""
    at = parse_iso(moment)
    day = f"{at.day:02d} {month_text(at)}" + ("" if at.year == now.year else f" {at.year}")
    return f"{day} {at.hour:02d}:{at.minute:02d}"


# strftime's %b and %A as Python prints them (C locale), without a strftime call per row;
# shown in the seller's language.
_MONTHS = ("", N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"),
           N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))  # fmt: skip
_WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
             N_("Saturday"), N_("Sunday"))  # fmt: skip


def month_text(at: datetime) -> str:
    """The month of `at`, short, in the seller's language: Nov (Des in Indonesian)."""
    return _(_MONTHS[at.month])


def weekday_text(at: datetime) -> str:
    """The day of the week of `at` in the seller's language: Monday (Senin)."""
    return _(_WEEKDAYS[at.weekday()])


# A booking's status as stored -> as the seller reads it.
STATUS_WORDS = {
    "booked": N_("booked"),
    "paid": N_("paid"),
    "shipped": N_("shipped"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
    "released": N_("released"),
}


def status_text(status: str) -> str:
    """A stored status in the seller's language (an unknown one as it is)."""
    word = STATUS_WORDS.get(status)
    return _(word) if word else status


HIT_AND_RUN_MARK = "!"
HIT_AND_RUN_LEGEND = N_(
    "! = the buyer let a third or more of their bookings lapse (released); "
    "see olshop customer show KEY."
)


def booking_table(
    bookings: list[Booking],
    now: datetime,
    title: str | None = None,
    marked: Set[str] = frozenset(),
) -> None:
    """Bookings as a table; columns with nothing in them (deadline once paid...) are left out.

    Customers whose keys are in `marked` (known hit-and-run buyers) get a `!` after the name.
    """
    from olshop_cli.when import format_duration

    columns = ["ID", _("Customer"), _("Items"), _("Total"), _("Owed"), _("Status"),
               _("Deadline"), _("Due"), _("Next")]  # fmt: skip
    rows, styles = [], []
    for b in bookings:  # one pass, each deadline compared once: a listing can be long
        late = False
        due = deadline = ""
        if b.status == "booked" and b.held_by_dp:
            deadline, due = _("held by DP"), "-"
        elif b.status == "booked":
            at = b.deadline_at
            deadline = short_when(b.deadline, now)
            late = at < now
            due = (
                _("{duration} late").format(duration=format_duration(now - at))
                if late
                else _("in {duration}").format(duration=format_duration(at - now))
            )
        rows.append(
            [
                b.id,
                b.customer_name + (f" {HIT_AND_RUN_MARK}" if b.customer in marked else ""),
                items_text(b),
                format_money(b.total),
                format_money(b.owed)
                if (b.status == "booked" and b.payments) or (b.cod and b.owed)
                else "",
                status_text(b.status),
                deadline,
                due,
                step_text(b, now, late=late),
            ]
        )
        styles.append("red" if late else None)
    if output.narrow():  # a phone: one block a booking, nothing cut
        output.blocks(title, [_booking_block(columns, row) for row in rows])
        return
    always = {0, 1, 2, 3, 5}  # ID, Customer, Items, Total, Status
    keep = [i for i in range(len(columns)) if i in always or any(row[i] for row in rows)]
    output.table(
        [columns[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        title=title,
        right=[columns[3], columns[4]],
        styles=styles,
    )


def _booking_block(columns: list[str], row: list[str]) -> tuple[str, list[str]]:
    """B4 · Budi Santoso · Rp95.000, then its items, its status with the deadline, what is
    still owed and the next step: a booking in five short lines."""
    ident, customer, items, total, owed, status, deadline, due, step = row
    when = f" · {deadline}" + (f" ({due})" if due and due != "-" else "") if deadline else ""
    lines = [items, f"{status}{when}"]
    if owed:
        lines.append(f"{columns[4]}: {owed}")
    if step:
        lines.append(f"{columns[8]}: {step}")
    return f"{ident} · {customer} · {total}", lines


MAX_INPUT_FILE = 512 * 1024 * 1024  # bytes: an import or batch file larger is refused


def read_input_file(name: str, limit: int | None = None, hint: str | None = None) -> str:
    """The UTF-8 text of a file the seller gives (`-`: stdin), read in pieces up to `limit`
    bytes: a stream that never ends, or binary data (a NUL byte), is refused with a sentence
    instead of filling the memory. As bytes: a carriage return inside a CSV cell stays.
    `hint`: what to give instead of a file that is not text (else a UTF-8 CSV or JSON)."""
    import sys

    limit = MAX_INPUT_FILE if limit is None else limit
    try:
        if name == "-":
            stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
            if stream is None:  # a text stream without bytes underneath (a test's input)
                return sys.stdin.read()
            return _bounded(stream, "stdin", limit, hint)
        with open(name, "rb") as handle:
            return _bounded(handle, name, limit, hint)
    except OSError as exc:
        raise InputError(
            _("Could not read {file}: {why}.").format(file=name, why=exc.strerror)
        ) from None
    except ValueError:  # a NUL in the name
        raise InputError(
            _("'{file}' is not a file name.").format(file=name), _("Give the path of a file.")
        ) from None


def _bounded(stream, name: str, limit: int, hint: str | None) -> str:
    pieces, size = [], 0
    while piece := stream.read(1 << 20):
        if b"\x00" in piece:
            raise InputError(_("{file} is not a text file (it holds NUL bytes).").format(file=name),
                             hint or _("Give a UTF-8 CSV or JSON file."))  # fmt: skip
        size += len(piece)
        if size > limit:
            raise InputError(
                _("{file} is larger than {size} MB, more than olshop reads.").format(
                    file=name, size=limit // (1024 * 1024)
                ),
                _("Split it into smaller files."),
            )
        pieces.append(piece)
    try:
        return b"".join(pieces).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            _("{file} is not UTF-8 text.").format(file=name),
            hint or _("Save it as UTF-8 CSV or JSON."),
        ) from None
