"""`olshop customer add|list|show|edit|rm`."""

from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import (
    JsonOpt,
    booking_json,
    change,
    complete_customer,
    customer_json,
    read,
    when,
)
from olshop_cli.i18n import _, ngettext
from olshop_cli.money import format_money

app = typer.Typer(
    help="Your buyers: names, how to call them, phones.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Ref = Annotated[
    str,
    typer.Argument(
        help="Key, phone (any spelling) or the start of the name.",
        autocompletion=complete_customer,
    ),
]
Call = Annotated[
    str | None,
    typer.Option(
        "--call",
        help="Honorific: Kak, Sis, Gan, Bro, Mbak, Mas, Bu, Pak or your own word "
        "(default: the shop's setting).",
    ),
]
Nick = Annotated[str | None, typer.Option("--nick", help="What you call them: 'Mike'.")]
Phone = Annotated[
    str | None, typer.Option("--phone", help="0812-3456-7890, +62 812... or 62812...")
]
Channel = Annotated[
    str | None, typer.Option("--channel", help="wa, ig, shopee, tokopedia or other.")
]
Address = Annotated[str | None, typer.Option("--address", help="Where parcels go.")]
Note = Annotated[str | None, typer.Option("--note", help="Anything worth remembering.")]


def _phone(number: str | None) -> str:
    if not number:
        return ""
    from olshop_cli.phone import format_phone

    return format_phone(number)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Full name, e.g. 'Siti Rahmawati'.")],
    call: Call = None,
    nick: Nick = None,
    phone: Phone = None,
    channel: Channel = None,
    address: Address = None,
    note: Note = None,
    key: Annotated[
        str | None, typer.Option("--key", help="Short key to type later (default: from name).")
    ] = None,
) -> None:
    """Add a customer; prints their key.

    Example: olshop customer add "Mike Tan" --call Kak --nick Mike --phone 0812-3456-7890
    """
    with change() as (ledger, now):
        customer = ledger.add_customer(
            name,
            now,
            call=call,
            nick=nick,
            phone=phone,
            channel=channel,
            address=address,
            note=note,
            key=key,
        )
        called = f"{ledger.call_of(customer)} {customer.short_name}"
    output.out(customer.key)
    output.say(
        _("Added {name} as '{key}' (you call them {called}).").format(
            name=customer.name, key=customer.key, called=called
        )
    )


@app.command("list")
def list_(
    json_: JsonOpt = False,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
) -> None:
    """List customers."""
    from olshop_cli.models import normalize_channel

    ledger, _now = read()
    wanted = normalize_channel(channel) if channel else None
    customers = sorted(
        (c for c in ledger.customers.values() if not wanted or c.channel == wanted),
        key=lambda c: c.name.lower(),
    )
    if json_:
        output.print_json([customer_json(ledger, c) for c in customers])
        return
    if not customers:
        output.say(_('No customers yet. Add one: olshop customer add "Siti" --phone 0812...'))
        return
    open_count: dict[str, int] = {}
    for booking in ledger.bookings.values():
        open_count[booking.customer] = open_count.get(booking.customer, 0) + 1
    output.table(
        [_("Key"), _("Name"), _("Call"), _("Phone"), _("Channel"), _("Open")],
        [
            [
                c.key,
                c.name,
                f"{ledger.call_of(c)} {c.short_name}",
                _phone(c.phone),
                c.channel or "",
                open_count.get(c.key, 0) or "",
            ]
            for c in customers
        ],
        right=[_("Open")],
    )


@app.command("show")
def show(ref: Ref, json_: JsonOpt = False) -> None:
    """Show a customer and their bookings."""
    ledger, now = read()
    customer = ledger.find_customer(ref)
    from olshop_cli.cli.booking import status_word
    from olshop_cli.ledger import history_of, hit_and_run_fact

    history = ledger.customer_history(customer)
    counts = history_of(history)
    if json_:
        data = customer_json(ledger, customer)
        data["history"] = counts.to_dict()
        data["hit_and_run"] = counts.hit_and_run
        data["bookings"] = [booking_json(b, now) for b in history]
        output.print_json(data)
        return
    output.fields(
        [
            (_("key"), customer.key),
            (
                _("call"),
                f"{ledger.call_of(customer)} {customer.short_name}"
                + (" " + _("(shop default)") if customer.call is None else ""),
            ),
            (_("nickname"), customer.nick),
            (_("phone"), _phone(customer.phone)),
            (_("channel"), customer.channel),
            (_("address"), customer.address),
            (_("note"), customer.note),
            (_("since"), when(customer.created)),
            (
                _("bookings"),
                _("{count}: {paid} paid, {released} released, {cancelled} cancelled").format(
                    count=counts.bookings,
                    paid=counts.paid,
                    released=counts.released,
                    cancelled=counts.cancelled,
                )
                if history
                else _("none yet"),
            ),
            (_("spent"), format_money(counts.spent) if counts.paid else ""),
            (
                _("warning"),
                _("hit and run: {fact}").format(fact=hit_and_run_fact(customer.name, counts))
                if counts.hit_and_run
                else "",
            ),
        ],
        title=customer.name,
    )
    if output.narrow():  # a phone: the booking on one line, its items on the next
        output.blocks(
            None,
            [
                (
                    f"{b.id} · {when(b.created)} · {status_word(b.status)} · "
                    f"{format_money(b.total)}",
                    [", ".join(f"{line.qty}x {line.sku}" for line in b.lines)],
                )
                for b in history
            ],
        )
        return
    for booking in history:
        output.out(
            f"  {booking.id:>6}  {when(booking.created)}  {status_word(booking.status):<9}  "
            f"{format_money(booking.total):>12}  "
            + ", ".join(f"{line.qty}x {line.sku}" for line in booking.lines)
        )


@app.command("edit")
def edit(
    ref: Ref,
    name: Annotated[str | None, typer.Option("--name", help="New full name.")] = None,
    call: Call = None,
    nick: Nick = None,
    phone: Phone = None,
    channel: Channel = None,
    address: Address = None,
    note: Note = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            help="A new key: every booking of theirs, open and closed, moves to it "
            "(the old key is free again).",
        ),
    ] = None,
) -> None:
    """Change a customer's details (give "" to clear one), or their key with --key.

    Example: olshop customer edit siti --key siti-r --phone 0813-1111-2222
    """
    with change() as (ledger, _now):
        customer = ledger.edit_customer(
            ref,
            key=key,
            name=name,
            call=call,
            nick=nick,
            phone=phone,
            channel=channel,
            address=address,
            note=note,
        )
        renamed = ledger.renamed[-1] if key is not None else None
    if renamed is None:
        output.say(_("Updated {name} ({key}).").format(name=customer.name, key=customer.key))
        return
    output.out(customer.key)
    output.say(
        ngettext(
            "Updated {name}: the key '{old}' is now '{key}', with {count} booking.",
            "Updated {name}: the key '{old}' is now '{key}', with {count} bookings.",
            renamed.bookings,
        ).format(name=customer.name, old=renamed.old, key=customer.key, count=renamed.bookings)
    )


@app.command("rm")
def rm(
    ref: Ref,
    force: Annotated[
        bool,
        typer.Option("--force", help="Remove even with open bookings (unpaid ones are cancelled)."),
    ] = False,
) -> None:
    """Remove a customer (refused while they have open bookings, unless --force)."""
    with change() as (ledger, now):
        customer = ledger.remove_customer(ref, now, force=force)
    output.say(_("Removed {name} ({key}).").format(name=customer.name, key=customer.key))
