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
    output.say(f"Added {customer.name} as '{customer.key}' (you call them {called}).")


@app.command("list")
def list_(
    json_: JsonOpt = False,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
) -> None:
    """List customers."""
    from olshop_cli.models import normalize_channel

    ledger, _ = read()
    wanted = normalize_channel(channel) if channel else None
    customers = sorted(
        (c for c in ledger.customers.values() if not wanted or c.channel == wanted),
        key=lambda c: c.name.lower(),
    )
    if json_:
        output.print_json([customer_json(ledger, c) for c in customers])
        return
    if not customers:
        output.say('No customers yet. Add one: olshop customer add "Siti" --phone 0812...')
        return
    open_count: dict[str, int] = {}
    for booking in ledger.bookings.values():
        open_count[booking.customer] = open_count.get(booking.customer, 0) + 1
    output.table(
        ["Key", "Name", "Call", "Phone", "Channel", "Open"],
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
        right=["Open"],
    )


@app.command("show")
def show(ref: Ref, json_: JsonOpt = False) -> None:
    """Show a customer and their bookings."""
    ledger, now = read()
    customer = ledger.find_customer(ref)
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
            ("key", customer.key),
            (
                "call",
                f"{ledger.call_of(customer)} {customer.short_name}"
                + (" (shop default)" if customer.call is None else ""),
            ),
            ("nickname", customer.nick),
            ("phone", _phone(customer.phone)),
            ("channel", customer.channel),
            ("address", customer.address),
            ("note", customer.note),
            ("since", when(customer.created)),
            (
                "bookings",
                f"{counts.bookings}: {counts.paid} paid, {counts.released} released, "
                f"{counts.cancelled} cancelled"
                if history
                else "none yet",
            ),
            ("spent", format_money(counts.spent) if counts.paid else ""),
            (
                "warning",
                f"hit and run: {hit_and_run_fact(customer.name, counts)}"
                if counts.hit_and_run
                else "",
            ),
        ],
        title=customer.name,
    )
    for booking in history:
        output.out(
            f"  {booking.id:>6}  {when(booking.created)}  {booking.status:<9}  "
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
) -> None:
    """Change a customer's details (give "" to clear one)."""
    with change() as (ledger, _):
        customer = ledger.edit_customer(
            ref,
            name=name,
            call=call,
            nick=nick,
            phone=phone,
            channel=channel,
            address=address,
            note=note,
        )
    output.say(f"Updated {customer.name} ({customer.key}).")


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
    output.say(f"Removed {customer.name} ({customer.key}).")
