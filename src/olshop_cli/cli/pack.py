"""`olshop pack`: the packing list for paid bookings not yet shipped."""

from typing import TypedDict

from olshop_cli import output
from olshop_cli.cli.common import JsonOpt, read
from olshop_cli.i18n import _, ngettext
from olshop_cli.money import format_money


class _Item(TypedDict):
    sku: str
    name: str
    qty: int


class _Parcel(TypedDict):
    id: str
    customer: str
    name: str
    phone: str | None
    address: str | None
    items: list[_Item]
    total: int
    note: str | None


def _phone(number: str | None) -> str:
    if not number:
        return ""
    from olshop_cli.phone import format_phone

    return format_phone(number)


def pack(json_: JsonOpt = False) -> None:
    """Packing list: items to pick summed by SKU, then each parcel with name, phone, address.

    Lists paid bookings not yet shipped, oldest first. When a parcel is out:
    olshop ship B12 --courier JNE --tracking ..., or many at once: olshop ship --from FILE
    """
    ledger, _now = read()
    packing = ledger.packing_list()
    parcels: list[_Parcel] = []
    for booking in packing.parcels:
        customer = ledger.customers.get(booking.customer)
        parcels.append(
            {
                "id": booking.id,
                "customer": booking.customer,
                "name": customer.name if customer else booking.customer_name,
                "phone": customer.phone if customer else None,
                "address": customer.address if customer else None,
                "items": [
                    {"sku": line.sku, "name": line.name, "qty": line.qty} for line in booking.lines
                ],
                "total": booking.total,
                "note": booking.note,
            }
        )
    if json_:
        output.print_json(
            {
                "picks": [{"sku": p.sku, "name": p.name, "qty": p.qty} for p in packing.picks],
                "parcels": parcels,
            }
        )
        return
    if not parcels:
        output.say(_("Nothing to pack: no paid bookings are waiting to ship."))
        return
    units = sum(p.qty for p in packing.picks)
    output.table(
        [_("SKU"), _("Name"), _("Qty")],
        [[p.sku, p.name, p.qty] for p in packing.picks],
        title=ngettext(
            "Pick: {count} item for {parcels}", "Pick: {count} items for {parcels}", units
        ).format(
            count=units,
            parcels=ngettext("{count} parcel", "{count} parcels", len(parcels)).format(
                count=len(parcels)
            ),
        ),
        right=[_("Qty")],
    )
    for parcel in parcels:
        output.out()
        phone = _phone(parcel["phone"])
        head = " · ".join(x for x in (parcel["id"], parcel["name"], phone) if x)
        lines = [parcel["address"] or _("(no address: ask the buyer)")]
        items = ", ".join(f"{i['qty']}x {i['sku']} {i['name']}" for i in parcel["items"])
        lines.append(f"{items}  ({format_money(parcel['total'])})")
        if parcel["note"]:
            lines.append(_("note: {note}").format(note=parcel["note"]))
        if output.narrow():  # a phone: wrapped between words, nothing cut
            output.blocks(None, [(head, lines)])
            continue
        output.out(head)
        for text in lines:
            output.out(f"  {text}")
    output.say(_("Next: olshop ship {id} --courier JNE --tracking ...").format(id=parcels[0]["id"]))
