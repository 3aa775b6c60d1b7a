"""A small demo shop, built through the ledger's own operations, relative to "now".

Whatever day it is run, the morning digest shows one of everything: a buyer to remind, one
to check in with, one to release, one due soon, a parcel to ship, one in transit and a
sold-out product still listed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from olshop_cli.errors import Conflict
from olshop_cli.ledger import Ledger

HOURS = "mon-fri 08:00-10:00,19:00-21:00; sat 09:00-12:00"


def fill(ledger: Ledger, now: datetime) -> None:
    """Fill an empty ledger with the demo shop; refuses a ledger that has data."""
    if ledger.customers or ledger.products or ledger.next_booking > 1:
        raise Conflict(
            "This ledger already has data, so the demo will not be added to it.",
            "Try the demo in its own folder: OLSHOP_HOME=demo-shop olshop demo",
        )
    from olshop_cli.hours import parse_hours, to_dict

    h, d = timedelta(hours=1), timedelta(days=1)
    ledger.set_setting("shop-name", "Dapur Mungil")
    ledger.set_setting("bank", "BCA 123-456-7890 a.n. Dapur Mungil")
    ledger.set_hours(to_dict(parse_hours(HOURS)))

    start = now - 10 * d
    products = [
        ("PAN-24", "Wajan anti lengket 24 cm", 150_000, 5, ["PAN-28", "SPAT-1"]),
        ("PAN-28", "Wajan anti lengket 28 cm", 185_000, 3, ["PAN-24", "SPAT-1"]),
        ("SPAT-1", "Spatula silikon anti gores", 35_000, 12, []),
        ("MAG-1", "Magnet kulkas motif buah", 15_000, 30, []),
        ("PANCI-18", "Panci susu 18 cm", 95_000, 1, ["PAN-24"]),
        ("TEF-SET", "Set teflon 3 in 1", 289_000, 0, ["PAN-24", "PAN-28"]),
    ]
    for sku, name, price, stock, _ in products:
        ledger.add_product(sku, name, price, start, stock=stock)
    for sku, _, _, _, related in products:
        ledger.edit_product(sku, add_related=related)
    ledger.edit_product("TEF-SET", restock=(now + 5 * d).date().isoformat())

    customers = [
        ("Mike Tan", "Kak", "Mike", "0812-3456-7890", "wa", "Jl. Kenanga 5, Bandung"),
        ("Siti Rahmawati", "Bu", "Siti", "+62 813 1111 2222", "wa", "Jl. Melati 12, Bogor"),
        ("Rina Kusuma", "Mbak", None, "6285712345678", "ig", "Perum Griya Asri B3, Depok"),
        ("Budi Santoso", "Pak", None, "0821 9876 5432", "wa", "Jl. Anggrek 7, Bekasi"),
        ("Dewi Lestari", "Sis", "Dewi", "0856-7777-8888", "ig", "Jl. Mawar 3, Jakarta"),
        ("Agus Pratama", "Gan", None, "0878-1234-0000", "shopee", "Jl. Dahlia 9, Tangerang"),
    ]
    for name, call, nick, phone, channel, address in customers:
        ledger.add_customer(
            name, start, call=call, nick=nick, phone=phone, channel=channel, address=address
        )

    def book(who, items, at, deadline):
        return ledger.book(who, items, at, deadline=deadline).id

    b = book("siti", ["PAN-24", "SPAT-1"], now - 6 * d, now - 5 * d)
    ledger.pay(b, now - 5 * d - 3 * h)
    ledger.ship(b, "JNE", "JNE0012345678", now - 4 * d)
    ledger.done(b, now - 2 * d)
    b = book("mike", ["PAN-28"], now - 2 * d, now - 1 * d)  # overdue, reminded once
    ledger.remind(b, now - 20 * h)
    book("rina", ["SPAT-1:2"], now - 30 * h, now - 6 * h)  # overdue, never reminded
    b = book("budi", ["PANCI-18"], now - 3 * d, now - 2 * d)  # overdue, reminded twice
    ledger.remind(b, now - 40 * h)
    ledger.remind(b, now - 20 * h)
    book("dewi", ["PAN-24:2"], now - 3 * h, now + 21 * h)  # due within a day
    b = book("agus", ["MAG-1:3", "SPAT-1"], now - 1 * d, now + 1 * d)
    ledger.pay(b, now - 2 * h)  # to ship
    b = book("mike", ["SPAT-1"], now - 4 * d, now - 3 * d)
    ledger.pay(b, now - 3 * d - 5 * h)
    ledger.ship(b, "J&T", "JT7788990011", now - 1 * d)  # in transit
    b = book("siti", ["MAG-1"], now - 4 * d, now - 3 * d)
    ledger.cancel(b, now - 3 * d - 2 * h, reason="changed her mind")
