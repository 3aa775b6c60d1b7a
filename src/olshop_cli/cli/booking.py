"""Bookings: `book`, `bookings`, `show`, `pay`, `ship`, `done`, `cancel`, `extend`,
`remind`, `release`."""

from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import (
    HIT_AND_RUN_LEGEND,
    DeadlineOpt,
    DiscountOpt,
    JsonOpt,
    booking_json,
    booking_table,
    change,
    complete_booking,
    complete_customer,
    complete_sku,
    items_text,
    money_text,
    read,
    shipment_text,
    shipping_text,
    tell_waiting_buyers,
    when,
)
from olshop_cli.i18n import N_, _, ngettext, pgettext
from olshop_cli.money import format_money

Id = Annotated[str, typer.Argument(help="Booking id, e.g. B12.", autocompletion=complete_booking)]

# The statuses as the seller reads them (stored and --json values stay English).
STATUSES = (N_("booked"), N_("paid"), N_("shipped"), N_("done"), N_("cancelled"), N_("released"))


def status_word(status: str) -> str:
    """A booking's status in the seller's language (`booked` -> `dipesan`)."""
    return _(status) if status in STATUSES else status


def book(
    customer: Annotated[
        str,
        typer.Argument(
            help="Key, phone or the start of the name.", autocompletion=complete_customer
        ),
    ],
    items: Annotated[
        list[str],
        typer.Argument(
            help="SKU, SKU:QTY or SKU:QTY@PRICE (a price agreed with the buyer), "
            "e.g. PAN-24:2@140rb SPAT-1; or words of the name: 'wajan 24:2'.",
            autocompletion=complete_sku,
        ),
    ],
    deadline: DeadlineOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the booking.")] = None,
    discount: DiscountOpt = None,
    ongkir: Annotated[
        str | None, typer.Option("--ongkir", help="Shipping cost the buyer pays, e.g. 18rb.")
    ] = None,
    courier: Annotated[
        str | None, typer.Option("--courier", "-c", help="The courier for the ongkir: JNE, J&T...")
    ] = None,
    service: Annotated[
        str | None, typer.Option("--service", help="The courier's service: REG, YES...")
    ] = None,
) -> None:
    """Book items for a customer: reserves the stock now and prints the booking id.

    Total = items - discount + ongkir (+ kode unik when the shop uses them: config
    unique-code).

    Example: olshop book mike PAN-24:2 SPAT-1 --deadline 'besok 17:00'

    Example: olshop book siti PAN-24:2@140rb --discount 10% --ongkir 18rb --courier J&T
    """
    from olshop_cli.money import parse_money

    shipping = parse_money(ongkir) if ongkir is not None else 0
    with change() as (ledger, now):
        due = None
        if deadline is not None:
            from olshop_cli.when import parse_when

            due = parse_when(deadline, now)
        booking = ledger.book(
            customer,
            items,
            now,
            deadline=due,
            note=note,
            discount=discount,
            ongkir=shipping,
            courier=courier,
            service=service,
        )
    output.out(booking.id)
    output.say(
        _("Booked {id} for {name}: {items}, {money}; pay by {deadline}.").format(
            id=booking.id,
            name=booking.customer_name,
            items=items_text(booking),
            money=money_text(booking),
            deadline=when(booking.deadline),
        )
    )


def bookings(
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only unpaid bookings past their deadline.")
    ] = False,
    due_within: Annotated[
        str | None,
        typer.Option("--due-within", help="Only unpaid bookings due within this time: 3h, 1d."),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="booked, paid, shipped, done, cancelled or released."),
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer",
            help="Only this customer's bookings.",
            autocompletion=complete_customer,
        ),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Closed bookings too (done, cancelled, released).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """List open bookings (booked, paid, shipped); filters narrow it down."""
    ledger, now = read()
    within = None
    if due_within is not None:
        from olshop_cli.when import parse_duration

        within = parse_duration(due_within)
    matches = ledger.iter_bookings(
        now,
        status=status,
        overdue=overdue,
        due_within=within,
        customer=customer,
        include_closed=all_,
    )
    if json_:
        # From the customers' running counts: the listing never reads the archive for this.
        known: dict[str, bool] = {}

        def row(b) -> dict:
            if b.customer not in known:
                known[b.customer] = bool(ledger.hit_and_run_keys([b.customer]))
            return {**booking_json(b, now), "hit_and_run": known[b.customer]}

        output.print_json_stream(row(b) for b in matches)
        return
    found = list(matches)
    marked = ledger.hit_and_run_keys(b.customer for b in found)
    if not found:
        output.say(
            _("No bookings match.")
            if (overdue or status or customer or within or all_)
            else _("No open bookings.")
        )
        return
    booking_table(found, now, marked=marked)
    if marked:
        output.say(_(HIT_AND_RUN_LEGEND))


def show(booking_id: Id, json_: JsonOpt = False) -> None:
    """Show one booking with its history."""
    ledger, now = read()
    booking = ledger.find_booking(booking_id)
    if json_:
        output.print_json(booking_json(booking, now))
        return
    from olshop_cli.cli.common import code_text, due_text, step_text

    lines = "; ".join(
        f"{line.qty}x {line.sku} {line.name} @ {format_money(line.price)}" for line in booking.lines
    )
    paid = booking.paid_amount
    output.fields(
        [
            (_("customer"), f"{booking.customer_name} ({booking.customer})"),
            (_("items"), lines),
            (
                _("discount"),
                f"-{format_money(booking.discount)}"
                + (
                    f" ({booking.discount_text})"
                    if booking.discount_text
                    and booking.discount_text != format_money(booking.discount)
                    else ""
                )
                if booking.discount
                else "",
            ),
            (
                _("ongkir"),
                f"{format_money(booking.ongkir)} ({shipping_text(booking)})"
                if booking.ongkir
                else "",
            ),
            (  # chosen at booking (from an order form, say) with the ongkir still to come
                _("courier"),
                shipping_text(booking)
                if booking.courier and not booking.ongkir and not shipment_text(booking)
                else "",
            ),
            (_("kode unik"), code_text(booking)),
            (_("total"), format_money(booking.total)),
            (pgettext("amount", "paid"), format_money(paid) if paid else ""),
            (
                _("owed"),
                format_money(booking.owed)
                if booking.owed and (booking.cod or (paid and booking.status == "booked"))
                else "",
            ),
            (_("paid back"), format_money(booking.refunded_amount) if booking.refunds else ""),
            (_("kept"), format_money(booking.kept_amount) if booking.kept else ""),
            (_("status"), status_word(booking.status)),
            (
                _("deadline"),
                f"{when(booking.deadline)} ({due_text(booking, now)})"
                if booking.status == "booked"
                else "",
            ),
            (
                _("reminders"),
                _("{count} sent").format(count=booking.reminded)
                if booking.status == "booked"
                else "",
            ),
            (_("shipment"), shipment_text(booking)),
            (_("note"), booking.note),
            (_("reason"), booking.reason),
            (_("next"), step_text(booking, now)),
        ],
        title=f"{booking.id} · {booking.customer_name}",
    )
    output.out("  " + _("history:"))
    for entry in booking.history:
        detail = f"  {entry['detail']}" if entry.get("detail") else ""
        output.out(f"    {when(entry['at'])}  {entry['event']}{detail}")


def pay(
    booking_id: Annotated[
        str | None,
        typer.Argument(
            help="Booking id, e.g. B12, or a customer with one unpaid booking (or --from a "
            "statement).",
            autocompletion=complete_booking,
        ),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            "-a",
            help="Amount received (default: what is still due), e.g. 150rb. With --from "
            "and --bank csv: the column of the amounts.",
        ),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", help="transfer, qris, cash, cod or marketplace."),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--ref",
            help="The bank's or app's reference for it. With --from and --bank csv: the "
            "column of the references.",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the payment.")] = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="A bank statement (mutasi) CSV: match its transfers in to bookings.",
            show_default=False,
        ),
    ] = None,
    bank: Annotated[
        str | None,
        typer.Option("--bank", help="bca, mandiri, bri or csv (default: told from the file)."),
    ] = None,
    apply_: Annotated[
        bool, typer.Option("--apply", help="Record the matched payments (one change).")
    ] = False,
    print_replies: Annotated[
        bool,
        typer.Option("--print-replies", help="With --apply: the paid or DP message for each."),
    ] = False,
    date_col: Annotated[
        str | None, typer.Option("--date", help="--bank csv: the column of the dates.")
    ] = None,
    description_col: Annotated[
        str | None,
        typer.Option("--description", help="--bank csv: the column of the descriptions."),
    ] = None,
    credit_col: Annotated[
        str | None,
        typer.Option("--credit", help="--bank csv: the column of money in, if apart."),
    ] = None,
    transfer: Annotated[
        str | None,
        typer.Option(
            "--transfer",
            help="The line of a transfer the last statement read left for you (see today): "
            "it pays this booking.",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Record a payment, or read a bank statement. Less than the total keeps a booking
    booked until the rest arrives.

    Example: olshop pay B12 --amount 150rb --method qris --ref 0034512

    Example: olshop pay --from mutasi.csv (shows what it would record), then --apply
    """
    from olshop_cli.money import parse_money

    if from_file is not None:
        from olshop_cli.cli.mutasi import pay_from
        from olshop_cli.statement import Mapping

        if booking_id is not None:
            raise typer.BadParameter(
                _("give a booking id or --from a statement, not both"), param_hint="--from"
            )
        if method is not None or note is not None or transfer is not None:
            raise typer.BadParameter(
                _("a statement's payments are transfers; --method and --note are for one payment"),
                param_hint="--from",
            )
        if print_replies and not apply_:
            raise typer.BadParameter(
                _("the replies are for payments recorded: add --apply"),
                param_hint="--print-replies",
            )
        mapping = Mapping(date_col, amount, description_col, credit_col, reference)
        pay_from(from_file, bank, mapping, apply_, print_replies, json_)
        return
    if transfer is not None and from_file is None and booking_id is None:
        raise typer.BadParameter(_("give the booking it pays: olshop pay B12 --transfer 10"))
    for given, option in (
        (bank, "--bank"),
        (date_col, "--date"),
        (description_col, "--description"),
        (credit_col, "--credit"),
    ):
        if given is not None:
            raise typer.BadParameter(_("only with --from STATEMENT.csv"), param_hint=option)
    if apply_ or print_replies or json_:
        raise typer.BadParameter(
            _("only with --from STATEMENT.csv"),
            param_hint="--apply" if apply_ else "--print-replies" if print_replies else "--json",
        )
    if booking_id is None:
        raise typer.BadParameter(
            _("give the booking id (olshop pay B12) or a statement (olshop pay --from mutasi.csv)"),
            param_hint="ID",
        )
    value = parse_money(amount) if amount is not None else None
    with change() as (ledger, now):
        row = None
        if transfer is not None:
            value, row = _waiting_transfer(ledger, transfer, value)
            method = method or "transfer"
        target = ledger.booking_for(booking_id, "pay")  # an id, or a customer's one unpaid
        booking = ledger.pay(
            target.id, now, amount=value, method=method, reference=reference, note=note, row=row
        )
    if booking.status == "paid":
        output.say(
            _("{id} paid ({amount}). Next: olshop ship {id} --courier JNE --tracking ...").format(
                id=booking.id, amount=format_money(booking.net_paid)
            )
        )
    elif booking.status == "shipped":  # cash on delivery: the courier's money came in
        received = format_money(booking.payments[-1]["amount"])
        output.say(
            _("{id}: received {amount}; {left} of its cash on delivery still to come.").format(
                id=booking.id, amount=received, left=format_money(booking.owed)
            )
            if booking.owed
            else _(
                "{id}: received {amount}; its cash on delivery is paid. Next: olshop done {id}"
            ).format(id=booking.id, amount=received)
        )
    else:
        left = booking.owed
        output.say(
            _("{id}: received {amount}, {left} still to pay (stays booked).").format(
                id=booking.id,
                amount=format_money(booking.payments[-1]["amount"]),
                left=format_money(left),
            )
        )


def _waiting_transfer(ledger, line: str, amount: int | None) -> tuple[int, tuple[str, str]]:
    """(amount, row) of a transfer the last statement read left for the seller, by its
    line in that file; refused when there is none such, or the amount differs."""
    from olshop_cli.errors import InputError, NotFound
    from olshop_cli.paymatch import waiting_now, where

    waiting = waiting_now(ledger)
    last = (ledger.last_statement or {}).get("file")
    typed = line.strip()
    found = [
        w
        for w in waiting
        if typed in (where(w, last), f"{w.get('file')}:{w.get('line')}")
        or (":" not in typed and str(w.get("line")) == typed)
    ]
    if len(found) > 1:
        raise InputError(
            _("Transfers from {count} statements are at line {line}.").format(
                count=len(found), line=typed
            ),
            _("Say which: {choices}").format(
                choices=(" " + _("or") + " ").join(
                    f"--transfer {w.get('file')}:{typed}" for w in found
                )
            ),
        )
    if not found:
        lines = ", ".join(where(w, last) for w in waiting) or _("none")
        raise NotFound(
            _("No transfer at line {line} of the statements read is waiting for you.").format(
                line=line
            ),
            _("Lines waiting: {lines} (olshop today lists them).").format(lines=lines),
        )
    w = found[0]
    if not isinstance(w.get("amount"), int):
        raise InputError(
            _("The transfer at line {line} has cents ({cents} sen): no booking owes that.").format(
                line=line, cents=w.get("cents")
            ),
            _("Record what it pays by hand: olshop pay ID --amount AMOUNT"),
        )
    if amount is not None and amount != w["amount"]:
        raise InputError(
            _("The transfer at line {line} is {amount}, not {typed}.").format(
                line=line, amount=format_money(w["amount"]), typed=format_money(amount)
            ),
            _("Leave out --amount: the transfer's amount is recorded."),
        )
    return int(w["amount"]), (str(w["key"]), str(w["date"]))


def refund(
    booking_id: Id,
    given: Annotated[
        str | None,
        typer.Argument(help="How much, e.g. 20rb (the same as --amount).", show_default=False),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount", "-a", help="How much (default: all that is owed back), e.g. 20rb."
        ),
    ] = None,
    credit: Annotated[
        bool, typer.Option("--credit", help="Keep it as the buyer's credit instead.")
    ] = False,
) -> None:
    """Pay back money a buyer paid beyond a booking's total (or keep it as their credit).

    Example: olshop refund B12 5rb
    """
    from olshop_cli.money import parse_money

    if given is not None and amount is not None:
        raise typer.BadParameter(_("give the amount once"), param_hint="--amount")
    amount = given if given is not None else amount
    value = parse_money(amount) if amount is not None else None
    with change() as (ledger, now):
        booking, settled = ledger.refund(booking_id, now, amount=value, credit=credit)
    left = booking.owed_back
    if credit:
        told = (
            _("{id}: {amount} kept as the buyer's credit; {left} still owed back.")
            if left
            else _("{id}: {amount} kept as the buyer's credit.")
        )
    else:
        told = (
            _("{id}: {amount} paid back; {left} still owed back.")
            if left
            else _("{id}: {amount} paid back.")
        )
    output.say(told.format(id=booking.id, amount=format_money(settled), left=format_money(left)))


def ship(
    ctx: typer.Context,
    booking_id: Annotated[
        str | None,
        typer.Argument(help="Booking id, e.g. B12.", autocompletion=complete_booking),
    ] = None,
    courier: Annotated[
        str | None,
        typer.Option(
            "--courier", "-c", help="JNE, J&T, SiCepat, AnterAja, Pos, GoSend... (any case)."
        ),
    ] = None,
    tracking: Annotated[
        str | None,
        typer.Option(
            "--tracking",
            "-r",
            help="The courier's tracking number (resi). An instant courier (GoSend, "
            "GrabExpress...) needs none: a tracking link or the driver's name and phone.",
        ),
    ] = None,
    pickup: Annotated[
        bool, typer.Option("--pickup", help="The buyer collects it: no courier, no resi.")
    ] = False,
    cod: Annotated[
        bool,
        typer.Option(
            "--cod",
            help="Cash on delivery: ship it unpaid; the courier collects what is owed.",
        ),
    ] = False,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Ship many at once: a file (or - for stdin) with lines ID COURIER TRACKING.",
        ),
    ] = None,
    print_replies: Annotated[
        bool,
        typer.Option(
            "--print-replies",
            help="Print each buyer's shipped message and its WhatsApp link.",
        ),
    ] = False,
) -> None:
    """Mark a paid booking shipped, with courier and tracking number.

    Example: olshop ship B12 --courier JNE --tracking JN0012345678

    No resi: olshop ship B12 --courier gosend, or olshop ship B12 --pickup

    Cash on delivery (unpaid): olshop ship B12 --courier jnt --tracking JX123 --cod

    Many at once, all or nothing (blank lines and # comments are skipped; add cod after
    the tracking number for cash on delivery; B13 gosend and B14 pickup need none):
    olshop ship --from resi.txt --print-replies
    """
    from olshop_cli import couriers

    if from_ is not None:
        if booking_id or courier or tracking is not None or pickup or cod:
            ctx.fail(_("Give either --from FILE or ID --courier --tracking, not both."))
        text, source = _read_batch(from_)
        with change() as (ledger, now):
            shipped = ledger.ship_batch(text, now, source=source)
        for booking in shipped:
            output.out(booking.id)
        count = len(shipped)
        output.say(
            ngettext("Shipped {count} parcel.", "Shipped {count} parcels.", count).format(
                count=count
            )
        )
    else:
        if pickup and (courier or tracking is not None):
            ctx.fail(_("--pickup has no courier or tracking number: give --pickup alone."))
        no_resi = pickup or couriers.is_instant(courier) or couriers.is_pickup(courier)
        if not (booking_id and (courier or pickup) and (tracking is not None or no_resi)):
            missing = [
                (_("argument '{name}'") if name == "ID" else _("option '{name}'")).format(name=name)
                for name, value in (
                    ("ID", booking_id),
                    ("--courier", courier or pickup),
                    ("--tracking", tracking is not None or no_resi),
                )
                if not value
            ]
            ctx.fail(
                _(
                    "Missing {missing}: olshop ship B12 --courier JNE --tracking XXX (no resi: "
                    "--pickup, or an instant courier like --courier gosend), or many at once: "
                    "olshop ship --from FILE"
                ).format(missing=", ".join(missing))
            )
        with change() as (ledger, now):
            booking = ledger.ship(booking_id, courier, tracking, now, pickup=pickup, cod=cod)
        shipped = [booking]
        output.say(_shipped_text(booking, tell=not print_replies))
    if print_replies:
        _print_shipped_replies(shipped)


def _shipped_text(booking, tell: bool = True) -> str:
    """What the seller is told once a booking is shipped, what comes next, and (`tell`)
    the command for the buyer's message."""
    from olshop_cli import replies

    bid = booking.id
    if booking.pickup:
        said = _("{id} is ready for the buyer to pick up. Once they have it: olshop done {id}")
    elif booking.cod and booking.owed:
        said = _(
            "{id} shipped with {courier} {tracking}, cash on delivery: the courier collects "
            "{owed}. When the courier pays it over: olshop pay {id} --method cod"
        )
    elif booking.tracking:
        said = _("{id} shipped with {courier} {tracking}. When it arrives: olshop done {id}")
    else:
        said = _("{id} is on its way with {courier}. When it arrives: olshop done {id}")
    said = said.format(
        id=bid,
        courier=booking.courier,
        tracking=booking.tracking,
        owed=format_money(booking.owed),
    )
    if not tell:
        return said
    reply = _("Tell the buyer: olshop reply {template} --booking {id}").format(
        template=replies.shipped_template(booking), id=bid
    )
    return f"{said}\n{reply}"


def _read_batch(name: str) -> tuple[str, str]:
    """The text of a batch file (`-`: stdin) and how to name it in messages."""
    from olshop_cli.cli.common import read_input_file

    hint = _("Give a text file with one line per parcel: ID COURIER TRACKING.")
    return read_input_file(name, hint=hint), "stdin" if name == "-" else name


def _print_shipped_replies(shipped) -> None:
    """Each buyer's message for how the parcel went (as `olshop reply shipped --booking ID`
    prints it, or `shipped-instant`, `shipped-cod`, `pickup`) and its wa.me link, under a
    header per parcel."""
    from olshop_cli.replies import shipped_template

    print_replies(shipped, shipped_template)


def print_replies(bookings, template_of) -> None:
    """Each booking's message (the template `template_of(booking)` names, as `olshop reply
    NAME --booking ID` prints it) and its wa.me link, under a header per booking; the
    bookings as the ledger holds them now."""
    from olshop_cli import replies
    from olshop_cli.cli.reply import templates_dir
    from olshop_cli.phone import format_phone

    ledger, now = read()
    lang = ledger.setting("lang")
    emoji = ledger.setting("emoji") == "on"
    for changed in bookings:
        booking = ledger.find_booking(changed.id)
        template = replies.find_template(template_of(booking), lang, templates_dir())
        customer = ledger.customers.get(booking.customer)
        situation = replies.Situation(ledger, now, lang, customer=customer, booking=booking)
        text = replies.render(template, situation, emoji=emoji)
        phone = customer.phone if customer else None
        header = f"== {booking.id} · {booking.customer_name}"
        output.out(header + (f" · {format_phone(phone)} ==" if phone else " =="))
        output.out(text)
        if phone:
            output.out(replies.wa_link(phone, text))
        else:
            output.warn(
                _("{name} has no phone number: no WhatsApp link.").format(
                    name=booking.customer_name
                )
            )
        output.out()
        for note in situation.notes:
            output.warn(note)


def done(booking_id: Id) -> None:
    """The buyer has the parcel: close the booking."""
    with change() as (ledger, now):
        booking = ledger.done(booking_id, now)
    output.say(
        _("{id} done: {name} has the parcel.").format(id=booking.id, name=booking.customer_name)
    )


Refund = Annotated[
    bool, typer.Option("--refund", help="Money paid on it is paid back (recorded as a refund).")
]
Keep = Annotated[
    bool, typer.Option("--keep", help="Money paid on it is kept by the shop (recorded as kept).")
]


def _money(refund: bool, keep: bool) -> str | None:
    if refund and keep:
        raise typer.BadParameter(_("give --refund or --keep, not both"), param_hint="--refund")
    return "refund" if refund else "keep" if keep else None


def _money_text(booking) -> str:
    """What happened to the money of a booking that closed unsold ("" if it held none)."""
    parts = []
    if booking.refunds and booking.refunds[-1]["at"] == booking.closed:
        parts.append(
            _("{amount} paid back").format(amount=format_money(booking.refunds[-1]["amount"]))
        )
    if booking.kept and booking.kept[-1]["at"] == booking.closed:
        parts.append(_("{amount} kept").format(amount=format_money(booking.kept[-1]["amount"])))
    return "".join(f"; {part}" for part in parts)


PartRefund = Annotated[
    str | None,
    typer.Option("--amount", "-a", help="With --refund: pay back only this much, keep the rest."),
]


def _part(amount: str | None) -> int | None:
    from olshop_cli.money import parse_money

    return None if amount is None else parse_money(amount)


def cancel(
    booking_id: Id,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the record.")] = None,
    refund: Refund = False,
    keep: Keep = False,
    amount: PartRefund = None,
) -> None:
    """Cancel a booking not yet shipped; its stock is free again.

    Money paid on it (a down payment, or the whole of a paid order) is paid back (--refund)
    or kept (--keep): say which. A shipped parcel that comes back: olshop return.

    Example: olshop cancel B12 --reason "buyer changed her mind" --refund
    """
    money = _money(refund, keep)
    with change() as (ledger, now):
        booking = ledger.cancel(booking_id, now, reason=reason, money=money, refund=_part(amount))
    output.say(
        _("{id} cancelled; {items} back in stock{money}.").format(
            id=booking.id, items=items_text(booking), money=_money_text(booking)
        )
    )
    tell_waiting_buyers(ledger)


def return_(
    booking_id: Id,
    restock: Annotated[
        bool | None,
        typer.Option(
            "--restock/--no-restock",
            help="The items go back on the shelf (--restock), or not: damaged, lost.",
        ),
    ] = None,
    refund: Refund = False,
    keep: Keep = False,
    amount: PartRefund = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the record.")] = None,
) -> None:
    """A shipped parcel came back: cancel the booking, its items back on the shelf or not.

    The money paid is paid back (--refund) or kept (--keep): say which.

    Example: olshop return B12 --restock --refund --reason "alamat tidak ditemukan"
    """
    if restock is None:
        raise typer.BadParameter(
            _("say whether the items go back on the shelf: --restock or --no-restock"),
            param_hint="--restock",
        )
    money = _money(refund, keep)
    with change() as (ledger, now):
        booking = ledger.return_parcel(
            booking_id, now, restock, money=money, reason=reason, refund=_part(amount)
        )
    told = (
        _("{id} came back and is cancelled; {items} back on the shelf{money}.")
        if restock
        else _("{id} came back and is cancelled; nothing back on the shelf{money}.")
    )
    output.say(told.format(id=booking.id, items=items_text(booking), money=_money_text(booking)))
    tell_waiting_buyers(ledger)


def extend(
    booking_id: Id,
    by: Annotated[str | None, typer.Option("--by", help="More time: 1d, 12h, '2 hari'.")] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            "-d",
            help="A new deadline: 'besok 17:00', 'nanti malam', 'jumat siang', 'tgl 25'.",
        ),
    ] = None,
) -> None:
    """Give a buyer more time to pay (reminder steps start over)."""
    from olshop_cli.when import parse_duration, parse_when

    with change() as (ledger, now):
        booking, old = ledger.extend(
            booking_id,
            now,
            by=parse_duration(by) if by is not None else None,
            to=parse_when(to, now) if to is not None else None,
        )
    output.say(
        _("{id}: pay by {deadline} (was {old}).").format(
            id=booking.id, deadline=when(booking.deadline), old=f"{old:%Y-%m-%d %H:%M}"
        )
    )


def edit(
    booking_id: Id,
    add: Annotated[
        list[str] | None,
        typer.Option("--add", help="Add SKU:QTY or SKU:QTY@PRICE (more of an item it has)."),
    ] = None,
    remove: Annotated[
        list[str] | None,
        typer.Option("--remove", help="Take an item off: its SKU.", autocompletion=complete_sku),
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Set a quantity: SKU:QTY (0 takes it off).")
    ] = None,
    price: Annotated[
        list[str] | None, typer.Option("--price", help="Agree a unit price: SKU=PRICE.")
    ] = None,
    discount: Annotated[
        str | None,
        typer.Option("--discount", help="A new discount: 20rb or 10% (0 for none)."),
    ] = None,
    ongkir: Annotated[
        str | None, typer.Option("--ongkir", help="Shipping cost the buyer pays (0 for none).")
    ] = None,
    courier: Annotated[
        str | None, typer.Option("--courier", "-c", help="JNE, J&T, SiCepat...")
    ] = None,
    service: Annotated[
        str | None, typer.Option("--service", help="The courier's service: REG, YES...")
    ] = None,
    tracking: Annotated[
        str | None, typer.Option("--tracking", help="Fix a shipped parcel's tracking number.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A new note ('' for none).")] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline", "-d", help="Pay by: 'besok 17:00', 'lusa pagi', 'tgl 25', +24h, '25 Nov'."
        ),
    ] = None,
) -> None:
    """Change a booking and keep its id: items, prices, discount, ongkir, courier, note.

    Stock is reserved again at once; a paid booking that now owes more is booked again with
    the balance to pay. Undo it with olshop undo.

    Example: olshop edit B12 --add SPAT-1 --ongkir 18rb --courier 'J&T'
    """
    from olshop_cli.money import parse_money
    from olshop_cli.when import parse_when

    with change() as (ledger, now):
        booking, old_total = ledger.edit_booking(
            booking_id,
            now,
            add=add or (),
            remove=remove or (),
            set_qty=set_ or (),
            prices=price or (),
            discount=discount,
            ongkir=None if ongkir is None else parse_money(ongkir) if ongkir.strip() else 0,
            courier=courier,
            service=service,
            tracking=tracking,
            note=note,
            deadline=parse_when(deadline, now) if deadline is not None else None,
        )
    edited = max(i for i, e in enumerate(booking.history) if e["event"] == "edited")
    output.say(
        _("{id} changed: {detail}.").format(id=booking.id, detail=booking.history[edited]["detail"])
    )
    for entry in booking.history[edited + 1 :]:  # what the edit did to its status
        if entry["event"] == "booked":
            output.say(
                _("{id} owes more now, so it is booked again: {detail}.").format(
                    id=booking.id, detail=entry["detail"]
                )
            )
        elif entry["event"] == "paid":
            output.say(_("{id} is paid in full now. Next: olshop ship {id}").format(id=booking.id))
    if booking.status == "booked" and booking.total != old_total:
        template = "dp" if booking.held_by_dp else "confirm"
        output.say(
            _("Tell the buyer the new total: olshop reply {template} --booking {id}").format(
                template=template, id=booking.id
            )
        )
    tell_waiting_buyers(ledger)


def _one_or_overdue(booking_id: str | None, overdue: bool, command: str) -> None:
    if bool(booking_id) == overdue:
        raise typer.BadParameter(
            _("give a booking id or --overdue, e.g. olshop {command} B12").format(command=command),
            param_hint="ID",
        )


def remind(
    booking_id: Annotated[
        str | None,
        typer.Argument(
            help="Booking id, e.g. B12, or a customer with one unpaid booking.",
            autocompletion=complete_booking,
        ),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Every overdue booking at once.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Print the messages without recording them.")
    ] = False,
    anyway: Annotated[
        bool,
        typer.Option(
            "--anyway", help="Send it even outside working hours or soon after the last one."
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Record the next reminder step and print its message (1 reminder, 2 check-in).

    The message (template remind, then checkin: see olshop templates show remind) goes to
    stdout, ready to paste; with --overdue each comes under a header. Outside working hours,
    or within 4 hours of the previous reminder, nothing is recorded and it says why (with
    --overdue, the bookings reminded too recently are left for later); --anyway sends it.
    """
    _one_or_overdue(booking_id, overdue, "remind")
    if dry_run:
        ledger, now = read()
        sent, skipped, warnings = _remind(ledger, now, booking_id, overdue, anyway=True)
        warnings = []  # a preview: the time it is sent is what matters
    else:
        with change() as (ledger, now):
            sent, skipped, warnings = _remind(ledger, now, booking_id, overdue, anyway)
    if json_:
        output.print_json(
            [
                {
                    "booking": b.id,
                    "step": step,
                    "step_name": "reminder" if step == 1 else "check-in",
                    "customer": c.key if c else None,
                    "phone": c.phone if c else None,
                    "text": text,
                }
                for b, step, c, text in sent
            ]
        )
    else:
        for booking, step, customer, text in sent:
            if overdue:
                phone = ""
                if customer and customer.phone:
                    from olshop_cli.phone import format_phone

                    phone = f" · {format_phone(customer.phone)}"
                label = _("reminder 1") if step == 1 else _("check-in 2")
                output.out(f"== {booking.id} · {booking.customer_name}{phone} · {label} ==")
            output.out(text)
            if overdue:
                output.out()
    for booking, step, _customer, _text in sent:
        if dry_run:
            told = (
                _("Not recorded (dry run): reminder for {id}.")
                if step == 1
                else _("Not recorded (dry run): check-in for {id}.")
            )
        else:
            told = (
                _("Recorded reminder for {id} (check-in next).")
                if step == 1
                else _("Recorded check-in for {id} (release next, once overdue).")
            )
        output.say(told.format(id=booking.id))
    for booking in skipped:
        output.say(
            _(
                "{id} had its reminder and check-in; next step is release: olshop release {id}"
            ).format(id=booking.id)
        )
    if overdue and not sent and not skipped:
        output.say(_("Nothing overdue: no reminders needed."))
    for warning in warnings:
        output.warn(warning)


def _remind(ledger, now, booking_id, overdue, anyway=False):
    """Record the next step for each target; returns (sent, skipped-at-release, warnings).

    Decides before it records: outside working hours, or within 4 hours of a booking's
    previous step, nothing is recorded (a refusal saying why) unless `anyway`; with
    --overdue the recently reminded are left out, each named. Each message is the template
    of its step (`remind`, then `checkin`; the seller's own version when there is one),
    rendered before anything is saved.
    """
    from olshop_cli import replies
    from olshop_cli.cli.reply import templates_dir
    from olshop_cli.errors import Conflict

    folder = templates_dir()
    lang = ledger.setting("lang")
    emoji = ledger.setting("emoji") == "on"
    sent, skipped, warnings = [], [], []
    targets = ledger.overdue(now) if overdue else [ledger.booking_for(booking_id, "remind")]
    due = [t for t in targets if not (overdue and t.reminded >= 2)]
    again = f"olshop remind {'--overdue' if overdue else due[0].id if due else ''} --anyway"
    closed = replies.outside_hours(ledger, now)
    if closed and due and not anyway:
        raise Conflict(
            _("Nothing was recorded: {why}.").format(why=closed),
            _("Send it then, or now: {command}").format(command=again),
        )
    for target in targets:
        if overdue and target.reminded >= 2:
            skipped.append(target)
            continue
        last = target.reminders[-1]["at"] if target.reminders else None
        # (a booking past its two steps is refused by the ledger itself: release is next)
        pressure = replies.pressure_warning(target, now, last) if target.reminded < 2 else None
        if pressure and not anyway:
            if not overdue:
                raise Conflict(
                    _("Nothing was recorded: {why}").format(why=pressure),
                    _("Wait, or send it now: {command}").format(command=again),
                )
            warnings.append(
                _("Left for later: {why} (olshop remind {id} --anyway)").format(
                    why=pressure, id=target.id
                )
            )
            continue
        booking, step = ledger.remind(target.id, now)
        customer = ledger.customers.get(booking.customer)
        template = replies.find_template(replies.step_template(step), lang, folder)
        situation = replies.Situation(ledger, now, lang, customer=customer, booking=booking)
        text = replies.render(template, situation, emoji=emoji)
        previous = booking.reminders[-2]["at"] if len(booking.reminders) > 1 else None
        pressure = replies.pressure_warning(booking, now, previous)
        warnings += [w for w in (*situation.notes, pressure) if w and w not in warnings]
        sent.append((booking, step, customer, text))
    if sent:
        late = replies.outside_hours_warning(ledger, now)
        warnings += [late] if late else []
    return sent, skipped, warnings


def release(
    booking_id: Annotated[
        str | None,
        typer.Argument(help="Booking id, e.g. B12.", autocompletion=complete_booking),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Every overdue booking at once.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what would happen; change nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Release even though the deadline has not passed.")
    ] = False,
    refund: Refund = False,
    keep: Keep = False,
) -> None:
    """Release overdue unpaid bookings: status released, stock back on sale.

    Money paid on a booking (a down payment) is never dropped: say --refund or --keep, or
    set it once with olshop config set dp-on-release refund|keep. With --overdue, bookings
    holding money nobody decided about are left as they are, and named.
    """
    _one_or_overdue(booking_id, overdue, "release")
    money = _money(refund, keep)
    if dry_run:
        ledger, now = read()
        _release(ledger, now, booking_id, overdue, force, money, dry_run=True)
        return
    said: list[str] = []
    with change() as (ledger, now):
        released = _release(ledger, now, booking_id, overdue, force, money, False, said)
    for line in said:  # only once saved: nothing is printed as done before it is
        output.say(line)
    for booking in released:
        output.out(booking.id)
    tell_waiting_buyers(ledger)


def _release(ledger, now, booking_id, overdue, force, money, dry_run, said=None):
    """Release the targets in `ledger`; what happened to each is said at once in a dry
    run, else added to `said` for after the change is saved."""
    from olshop_cli.when import format_duration

    say = output.say if said is None else said.append

    targets = ledger.overdue(now) if overdue else [ledger.find_booking(booking_id)]
    if not targets:
        say(_("Nothing overdue: nothing to release."))
        return []
    # Money nobody decided about: --overdue leaves such bookings, a dry run says so.
    left = [t for t in targets if (overdue or dry_run) and ledger.money_undecided(t, money)]
    if left and len(left) == len(targets) and not dry_run:  # nothing to do but refuse
        ledger.release(left[0].id, now, force=force, money=money)
    released = []
    for target in targets:
        if target in left:
            continue
        late = (
            _("{duration} late").format(duration=format_duration(now - target.deadline_at))
            if target.is_overdue(now)
            else _("not overdue yet")
        )
        booking = ledger.release(target.id, now, force=force, money=money)
        back = ", ".join(
            _("{qty}x {sku} (now {available} available)").format(
                qty=line.qty, sku=line.sku, available=ledger.available(ledger.products[line.sku])
            )
            if line.sku in ledger.products
            else f"{line.qty}x {line.sku}"
            for line in booking.lines
        )
        if dry_run:
            told = (
                _("Would release {id} ({name}, {late}): {items} back{money}.")
                if booking.reminded
                else _("Would release {id} ({name}, {late}; never reminded): {items} back{money}.")
            )
        else:
            told = (
                _("Released {id} ({name}, {late}): {items} back{money}.")
                if booking.reminded
                else _("Released {id} ({name}, {late}; never reminded): {items} back{money}.")
            )
        say(
            told.format(
                id=booking.id,
                name=booking.customer_name,
                late=late,
                items=back,
                money=_money_text(booking),
            )
        )
        released.append(booking)
    for target in left:
        told = (
            _(
                "Warning: {id} ({name}) holds {amount} paid, so it would not be released. "
                "Say what happens to the money: olshop release {id} --refund (or --keep)."
            )
            if dry_run
            else _(
                "Warning: {id} ({name}) holds {amount} paid, so it was not released. "
                "Say what happens to the money: olshop release {id} --refund (or --keep)."
            )
        )
        say(
            told.format(
                id=target.id, name=target.customer_name, amount=format_money(target.held_amount)
            )
        )
    if dry_run:
        say(_("Dry run: nothing was changed."))
    return released


booking_app = typer.Typer(
    help="One booking: olshop booking edit ID (the same as olshop edit ID).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
booking_app.command("edit")(edit)
