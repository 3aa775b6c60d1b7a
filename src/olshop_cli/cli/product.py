"""`olshop product add|list|show|edit|stock|rm`."""

from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import (
    JsonOpt,
    change,
    complete_sku,
    product_json,
    read,
    tell_waiting_buyers,
)
from olshop_cli.i18n import _
from olshop_cli.money import format_money, parse_money

app = typer.Typer(
    help="What you sell: prices, stock on hand, related items.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Sku = Annotated[str, typer.Argument(help="The product's SKU (any case), e.g. PAN-24.")]
# A product already in the shop (show, edit, stock, rm): tab completion offers the SKUs.
KnownSku = Annotated[
    str,
    typer.Argument(help="The product's SKU (any case), e.g. PAN-24.", autocompletion=complete_sku),
]
Related = Annotated[
    list[str] | None,
    typer.Option(
        "--related",
        help="A related SKU (alternative or add-on); repeat for more.",
        autocompletion=complete_sku,
    ),
]
Restock = Annotated[
    str | None,
    typer.Option("--restock", help="When new stock is expected: '5 Des', 'lusa', 2026-12-05."),
]


def _cost(text: str | None) -> int | str | None:
    """--cost as typed: None (not given), "" (clear it) or whole rupiah."""
    if text is None:
        return None
    if not text.strip():
        return ""
    return parse_money(text)


def _restock_date(text: str | None, now) -> str | None:
    if text is None:
        return None
    if not text.strip():
        return ""
    from olshop_cli.when import parse_when

    return parse_when(text, now).date().isoformat()


@app.command("add")
def add(
    sku: Sku,
    name: Annotated[str, typer.Argument(help="Name buyers see, e.g. 'Wajan 24 cm'.")],
    price: Annotated[
        str, typer.Option("--price", help="150000, 150.000, 150rb, 150k, 1,5jt, 'Rp 150.000'.")
    ],
    stock: Annotated[int, typer.Option("--stock", help="Units on hand.")] = 0,
    related: Related = None,
    restock: Restock = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for yourself.")] = None,
    cost: Annotated[
        str | None,
        typer.Option(
            "--cost", help="What one unit costs you, e.g. 95rb: the report shows gross profit."
        ),
    ] = None,
) -> None:
    """Add a product.

    Example: olshop product add PAN-24 "Wajan 24 cm" --price 150rb --cost 95rb --stock 5

    Example: olshop product add SPAT-1 "Spatula silikon" --price 35rb --related PAN-24
    """
    amount = parse_money(price)
    unit_cost = parse_money(cost) if cost is not None and cost.strip() else None
    with change() as (ledger, now):
        product = ledger.add_product(
            sku,
            name,
            amount,
            now,
            stock=stock,
            related=related or [],
            restock=_restock_date(restock, now),
            note=note,
            cost=unit_cost,
        )
    output.out(product.sku)
    told = (
        _("Added {sku} {name} at {price} (cost {cost}), {stock} on hand.")
        if product.cost is not None
        else _("Added {sku} {name} at {price}, {stock} on hand.")
    )
    output.say(
        told.format(
            sku=product.sku,
            name=product.name,
            price=format_money(product.price),
            cost=format_money(product.cost or 0),
            stock=product.stock,
        )
    )


@app.command("list")
def list_(
    json_: JsonOpt = False,
    sold_out: Annotated[
        bool, typer.Option("--sold-out", help="Only products with nothing available.")
    ] = False,
) -> None:
    """List products with on-hand, reserved and available stock."""
    ledger, _now = read()
    products = sorted(ledger.products.values(), key=lambda p: p.sku)
    if sold_out:
        products = [p for p in products if ledger.available(p) <= 0]
    if json_:
        output.print_json([product_json(ledger, p) for p in products])
        return
    if not products:
        output.say(
            _("No sold-out products.")
            if sold_out
            else _(
                'No products yet. Add one: olshop product add PAN-24 "Wajan 24 cm" --price 150rb'
            )
        )
        return
    rows, styles = [], []
    for p in products:
        free = ledger.available(p)
        mark = _("SOLD OUT") if free <= 0 else ""
        if free <= 0 and not p.listed:
            mark = _("sold out, unlisted")
        elif not p.listed:
            mark = _("unlisted")
        rows.append(
            [
                p.sku,
                p.name,
                format_money(p.price),
                p.stock,
                ledger.reserved(p.sku),
                free,
                mark,
                p.restock or "",
            ]
        )
        styles.append("red" if free <= 0 and p.listed else None)
    output.table(
        [
            _("SKU"),
            _("Name"),
            _("Price"),
            _("On hand"),
            _("Reserved"),
            _("Available"),
            "",
            _("Restock"),
        ],
        rows,
        right=[_("Price"), _("On hand"), _("Reserved"), _("Available")],
        styles=styles,
    )


@app.command("show")
def show(sku: KnownSku, json_: JsonOpt = False) -> None:
    """Show a product: stock, reservations, related items."""
    ledger, now = read()
    product = ledger.find_product(sku)
    holding = [
        b
        for b in ledger.bookings.values()
        if b.status in ("booked", "paid") and any(line.sku == product.sku for line in b.lines)
    ]
    if json_:
        data = product_json(ledger, product)
        data["reserved_by"] = [b.id for b in holding]
        output.print_json(data)
        return
    related = []
    for other in product.related:
        item = ledger.products.get(other)
        if item is None:
            related.append(_("{sku} (not in the ledger)").format(sku=other))
        else:
            free = ledger.available(item)
            related.append(
                _("{sku} {name} {price}, {available} available").format(
                    sku=other, name=item.name, price=format_money(item.price), available=free
                )
            )
    free = ledger.available(product)
    output.fields(
        [
            (_("price"), format_money(product.price)),
            (_("cost"), _cost_text(product)),
            (_("on hand"), product.stock),
            (
                _("reserved"),
                f"{ledger.reserved(product.sku)}"
                + (f" ({', '.join(b.id for b in holding)})" if holding else ""),
            ),
            (_("available"), f"{free}" + ("  " + _("SOLD OUT") if free <= 0 else "")),
            (_("listed"), _("yes") if product.listed else _("no (taken down)")),
            (_("restock"), product.restock),
            (_("related"), "; ".join(related)),
            (_("note"), product.note),
        ],
        title=f"{product.sku} {product.name}",
    )


def _cost_text(product) -> str:
    """`Rp95.000 (Rp55.000 a unit below the price)`; empty when the cost is not known."""
    if product.cost is None:
        return ""
    margin = product.price - product.cost
    if margin >= 0:
        return _("{cost} ({margin} a unit below the price)").format(
            cost=format_money(product.cost), margin=format_money(margin)
        )
    return _("{cost} ({margin} a unit above the price)").format(
        cost=format_money(product.cost), margin=format_money(-margin)
    )


@app.command("edit")
def edit(
    sku: KnownSku,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    price: Annotated[str | None, typer.Option("--price", help="New price, e.g. 165rb.")] = None,
    related: Annotated[
        list[str] | None,
        typer.Option(
            "--related", help="Add a related SKU; repeat for more.", autocompletion=complete_sku
        ),
    ] = None,
    unrelate: Annotated[
        list[str] | None,
        typer.Option("--unrelate", help="Remove a related SKU.", autocompletion=complete_sku),
    ] = None,
    restock: Restock = None,
    listed: Annotated[
        bool | None,
        typer.Option(
            "--listed/--unlisted",
            help="Still on sale in your shops, or taken down (sold-out reminders stop).",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for yourself.")] = None,
    cost: Annotated[
        str | None,
        typer.Option(
            "--cost",
            help="New cost price of one unit, e.g. 90rb; --cost '' when you no longer know it. "
            "Bookings made before keep the cost they were made at.",
        ),
    ] = None,
) -> None:
    """Change a product's details. Stock changes: olshop product stock SKU +5."""
    amount = parse_money(price) if price is not None else None
    unit_cost = _cost(cost)
    with change() as (ledger, now):
        product = ledger.edit_product(
            sku,
            name=name,
            price=amount,
            add_related=related or [],
            remove_related=unrelate or [],
            restock=_restock_date(restock, now),
            listed=listed,
            note=note,
            cost=unit_cost,
        )
    output.say(_("Updated {sku} {name}.").format(sku=product.sku, name=product.name))


@app.command("stock", context_settings={"ignore_unknown_options": True})
def stock(
    sku: KnownSku,
    change_: Annotated[
        str,
        typer.Argument(metavar="CHANGE", help="+5 to add, -2 to take away, =10 to set."),
    ],
) -> None:
    """Adjust stock on hand: +5, -2 or =10. Never below zero or below what is booked."""
    with change() as (ledger, _now):
        product, old = ledger.adjust_stock(sku, change_)
        free = ledger.available(product)
    output.out(str(product.stock))
    output.say(
        _("{sku}: {old} -> {stock} on hand, {available} available.").format(
            sku=product.sku, old=old, stock=product.stock, available=free
        )
    )
    tell_waiting_buyers(ledger)


@app.command("rm")
def rm(sku: KnownSku) -> None:
    """Remove a product (refused while open bookings hold it)."""
    with change() as (ledger, _now):
        product = ledger.remove_product(sku)
    output.say(_("Removed {sku} {name}.").format(sku=product.sku, name=product.name))
