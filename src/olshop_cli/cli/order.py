"""`order`: the buyer's filled order form, read and booked in one step."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import (
    DeadlineOpt,
    DiscountOpt,
    change,
    items_text,
    money_text,
    read,
    read_input_file,
    when,
)
from olshop_cli.i18n import _
from olshop_cli.money import format_money

# A pasted form is a chat message: a few kilobytes; anything past a megabyte is not one.
MAX_FORM = 1024 * 1024


def order(
    form_file: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE",
            help="The filled form as a file, or - to read it from standard input.",
        ),
    ] = None,
    paste: Annotated[
        bool, typer.Option("--paste", help="Read the form from the clipboard.")
    ] = False,
    book_it: Annotated[
        bool, typer.Option("--book", help="Book it (with the customer) in one change.")
    ] = False,
    update_customer: Annotated[
        bool,
        typer.Option(
            "--update-customer",
            help="Keep the form's name and address where they differ from the ledger's.",
        ),
    ] = False,
    skip_unmatched: Annotated[
        bool,
        typer.Option("--skip-unmatched", help="Book without the items that match no product."),
    ] = False,
    ongkir: Annotated[
        str | None,
        typer.Option("--ongkir", help="Shipping cost the buyer pays, e.g. 18rb (not the form's)."),
    ] = None,
    courier: Annotated[
        str | None,
        typer.Option("--courier", "-c", help="The courier, e.g. J&T (not the form's)."),
    ] = None,
    deadline: DeadlineOpt = None,
    discount: DiscountOpt = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A note on the booking, besides the form's.")
    ] = None,
) -> None:
    """Read a buyer's filled order form: shows the customer, items, courier and total it
    understood and what it could not, and changes nothing; --book books it.

    The form as buyers send it back: labels in any case, with or without colons, numbered,
    with bullets or emoji, in Indonesian or English (Nama, No. HP/WA, Alamat, Pesanan,
    Ekspedisi, Catatan...); items like 'Wajan 24 x2', '2 pcs spatula' or 'PAN-24 (2)'. The
    customer is found by phone, or made; a name or address that differs from the ledger's
    is shown and kept only with --update-customer. Send the form first with: olshop reply
    format-order --to NAME

    Example: olshop order form.txt

    Example: olshop order --paste --ongkir 18rb --book
    """
    from olshop_cli import orderform
    from olshop_cli.money import parse_money

    text = _form_text(form_file, paste)
    form = orderform.read_form(text)
    shipping = parse_money(ongkir) if ongkir is not None else None
    due_text = deadline

    def plan_of(ledger):
        return orderform.understand(
            ledger,
            form,
            courier=courier,
            ongkir=shipping,
            skip_unmatched=skip_unmatched,
            discount=discount,
        )

    if not book_it:
        ledger, now = read()
        plan = plan_of(ledger)
        _show(ledger, plan, update_customer)
        _refuse_if_problems(plan)
        asking = sys.stdin.isatty() and sys.stdout.isatty() and form_file != "-"
        if not asking or not typer.confirm(_("Book it?"), default=False):
            _wrapped(_("Nothing is booked yet. To book it, add --book."), say=True)
            return
    with change() as (ledger, now):
        plan = plan_of(ledger)
        if book_it:
            _show(ledger, plan, update_customer)
        _refuse_if_problems(plan)
        due = None
        if due_text is not None:
            from olshop_cli.when import parse_when

            due = parse_when(due_text, now)
        booking, customer, new = orderform.book(
            ledger, plan, now, update_customer=update_customer, deadline=due, note=note
        )
    if new:
        output.say(_("New customer: {name} ({key}).").format(name=customer.name, key=customer.key))
    output.say(
        _("Booked {id} for {name}: {items}, {money}; pay by {deadline}.").format(
            id=booking.id,
            name=booking.customer_name,
            items=items_text(booking),
            money=money_text(booking),
            deadline=when(booking.deadline),
        )
    )
    output.out()
    from olshop_cli.cli.booking import print_replies

    if plan.cod:  # the confirm reply asks for a transfer: untrue for a buyer paying the courier
        _wrapped(
            _(
                "{id} is paid on delivery (COD), so there is no transfer message for the buyer. "
                "Ship it with: olshop ship {id} --courier COURIER --tracking RESI --cod"
            ).format(id=booking.id),
            say=True,
        )
        return
    print_replies([booking], lambda _booking: "confirm")


def _form_text(form_file: str | None, paste: bool) -> str:
    from olshop_cli.errors import InputError

    if paste and form_file is not None:
        raise typer.BadParameter(_("give a FILE or --paste, not both"), param_hint="--paste")
    if paste:
        from olshop_cli.cli.reply import paste_from_clipboard

        text, why_not = paste_from_clipboard()
        if text is None:
            raise InputError(
                _("Cannot read the clipboard: {why}.").format(why=why_not),
                _("Save the form in a file and give its name, or pipe it in: olshop order -"),
            )
    elif form_file is None:
        raise InputError(
            _("No form given."),
            _("Give the file it is in, - to paste it into standard input, or --paste."),
        )
    else:
        text = read_input_file(
            form_file,
            MAX_FORM,
            _("Copy the buyer's message into a plain text file (UTF-8), or use --paste."),
        )
    if not text.strip():
        raise InputError(
            _("The form is empty."), _("Copy the buyer's whole message, then try again.")
        )
    return text


def _refuse_if_problems(plan) -> None:
    """Each problem in one sentence with what to do, then exit 1 (nothing is changed)."""
    if not plan.problems:
        return
    from olshop_cli.cli import report

    for problem in plan.problems:
        from olshop_cli.errors import OlshopError

        report(OlshopError(problem.message, problem.hint))
    raise typer.Exit(1)


def _show(ledger, plan, update_customer: bool = False) -> None:
    """What the form was understood as (the customer as they will be kept), and what was
    not."""
    from olshop_cli import names
    from olshop_cli.phone import format_phone

    customer = plan.customer
    taken = dict(plan.fill)
    if update_customer:
        taken.update({what: given for what, _kept, given in plan.differs})
    if customer:
        name = names.parse(taken["name"]).full if "name" in taken else customer.name
        who = f"{name} ({customer.key}) · " + _("in the ledger")
    elif plan.name:
        read = names.parse(plan.name)  # as add_customer keeps it: "Bu Yanti" is Yanti
        who = f"{read.full} ({ledger.key_for_new(plan.name)}) · " + _("new customer")
    else:
        who = "?"
    phone = plan.phone or (customer.phone if customer else None)
    address = taken.get("address") or (customer.address if customer else None) or plan.address
    rows: list[tuple[str, object]] = [
        (_("customer"), who),
        (_("phone"), format_phone(phone) if phone else _("(none: no WhatsApp link)")),
        (_("address"), address or _("(none: ask the buyer before shipping)")),
    ]
    if customer and plan.fill:
        rows.append((_("to add"), ", ".join(_(what) for what in plan.fill)))
    changed = [what for what in taken if what not in plan.fill]
    if customer and changed:
        rows.append((_("to change"), ", ".join(_(what) for what in changed)))
    for n, line in enumerate(plan.lines):
        product = line.product
        rows.append(
            (
                _("items") if n == 0 else "",
                f"{line.qty}x {product.sku} {product.name} @ {format_money(product.price)}"
                f" = {format_money(line.amount)}",
            )
        )
    if plan.discount:
        rows.append((_("discount"), f"-{format_money(plan.discount)}"))
    shipping = plan.courier or ""
    if shipping and plan.service:
        shipping += f" {plan.service}"
    if plan.pickup:
        shipping = _("the buyer picks it up")
    rows += [
        (_("courier"), shipping or _("(none yet: give one with --courier)")),
        (_("ongkir"), format_money(plan.ongkir) if plan.ongkir else ""),
        (_("payment"), _("COD: the buyer pays the courier on delivery") if plan.cod else ""),
        (_("total"), format_money(plan.total) if plan.lines else ""),
        (_("note"), plan.note or ""),
    ]
    output.fields(rows, title=_("From the form:"))
    if ledger.setting("unique-code") != "off" and plan.lines:
        output.out("  " + _("(the kode unik is added when it is booked)"))
    if plan.differs:
        _wrapped(
            _("Differs from the ledger (the form's is taken: --update-customer):")
            if update_customer
            else _(
                "Differs from the ledger (the ledger's is kept; --update-customer takes the "
                "form's):"
            )
        )
        for what, kept, given in plan.differs:
            if what == "phone":
                kept, given = format_phone(kept), format_phone(given)
            output.out(f"  {_(what)}:")
            for template, value in ((_("ledger: {text}"), kept), (_("form:   {text}"), given)):
                under = " " * (4 + len(template.split("{text}")[0]))  # under the value
                _wrapped(template.format(text=value), "    ", under)
    if plan.unread or plan.skipped:
        output.out(_("Not understood:"))
        for text in plan.unread:
            _wrapped(f"'{text}'", "  ", "   ")
        for problem in plan.skipped:
            _wrapped(
                _("{problem} (left out: --skip-unmatched)").format(problem=problem.message),
                "  ",
                "   ",
            )
    for notice in plan.notes:
        output.warn(notice)


def _wrapped(text: str, first: str = "", after: str = "  ", say: bool = False) -> None:
    """A line of the view (stdout), or with `say` a sentence for the seller (stderr),
    broken between words on a phone's width."""
    write = output.say if say else output.out
    if not output.narrow():
        write(first + text)
        return
    import textwrap

    for part in textwrap.wrap(
        output.safe(text, one_line=True),
        max(output.width(), 20),
        initial_indent=first,
        subsequent_indent=after if not say else "",
        break_long_words=False,
        break_on_hyphens=False,
    ):
        write(part)
