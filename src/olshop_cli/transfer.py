"""Export and import: the whole ledger as JSON, one table as CSV for a spreadsheet.

CSV cells that a spreadsheet would run as a formula are neutralised as OWASP describes
(a leading quote), and that quote is taken off again on import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from datetime import datetime

from olshop_cli.errors import InputError, OlshopError
from olshop_cli.i18n import _
from olshop_cli.ledger import Ledger
from olshop_cli.models import Booking, Customer, Product
from olshop_cli.text import safe_csv

EXPORT_FORMAT = "olshop-export"
EXPORT_VERSION = 1
TABLES = ("bookings", "customers", "products")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CUSTOMER_COLUMNS = ["key", "name", "call", "nick", "phone", "channel", "address", "note"]
# cost last: a CSV written before it existed imports as before (its cost left as it is)
PRODUCT_COLUMNS = ["sku", "name", "price", "stock", "related", "restock", "listed", "note", "cost"]
BOOKING_COLUMNS = [
    "id", "status", "customer", "customer_name", "items", "total", "paid", "created",
    "deadline", "closed", "reminders", "courier", "tracking", "note", "reason", "refunded",
    "kept", "discount", "ongkir", "service", "unique_code",
]  # fmt: skip


class ImportRefused(OlshopError):
    """An import with bad rows: nothing was changed."""


def document(ledger: Ledger, bookings: Iterable[Booking], now: datetime) -> dict:
    """Everything needed to rebuild the ledger: settings, customers, products, bookings."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(timespec="seconds"),
        "next_booking": ledger.next_booking,
        "retired_keys": sorted(ledger.retired_keys),
        "settings": ledger.settings,
        "customers": [c.to_dict() for c in ledger.customers.values()],
        "products": [p.to_dict() for p in ledger.products.values()],
        "bookings": [b.to_dict() for b in bookings],
    }


def table_rows(table: str, ledger: Ledger, bookings: Iterable[Booking]) -> Iterable[dict | list]:
    """One table as flat rows (the CSV columns: a dict, or a list in column order);
    bookings one at a time, as the archive streams them (100,000 are never held at once)."""
    if table == "customers":
        from olshop_cli.phone import format_phone

        return [
            {**{k: c.to_dict()[k] for k in CUSTOMER_COLUMNS}, "phone": format_phone(c.phone)}
            if c.phone
            else {k: c.to_dict()[k] for k in CUSTOMER_COLUMNS}
            for c in ledger.customers.values()
        ]
    if table == "products":
        return [
            {**{k: p.to_dict().get(k) for k in PRODUCT_COLUMNS}, "related": " ".join(p.related)}
            for p in ledger.products.values()
        ]
    return (  # in BOOKING_COLUMNS order: a list a row, not a dict
        [
            b.id,
            b.status,
            b.customer,
            b.customer_name,
            "; ".join(f"{line.qty}x {line.sku}" for line in b.lines),
            b.total,
            b.paid_amount,
            b.created,
            b.deadline,
            b.closed,
            len(b.reminders),
            b.courier,
            b.tracking,
            b.note,
            b.reason,
            b.refunded_amount,
            b.kept_amount,
            b.discount,
            b.ongkir,
            b.service,
            b.unique_code or None,
        ]
        for b in bookings
    )


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: formulas get a leading quote (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = value if type(value) is str else str(value)
    if text[:1] in _FORMULA_CHARS:  # a hundred thousand rows of 15 cells: one set lookup
        return "'" + text
    return text


_FORMULA_CHARS = frozenset(FORMULA_START)


def write_csv(columns: list[str], rows: Iterable[dict | list], out) -> None:
    """Rows as CSV on a text stream, every cell neutralised, a few hundred rows a write."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    out.write(buffer.getvalue())
    buffer.seek(0)
    buffer.truncate()
    cell, formula = safe_cell, _FORMULA_CHARS
    batch = []
    for row in rows:
        values = row if isinstance(row, list) else [row.get(c) for c in columns]
        # safe_cell, with its commonest cases (text, nothing, a count) written out inline
        batch.append(
            [
                ("'" + v if v[:1] in formula else v)
                if type(v) is str
                else ("" if v is None else v if type(v) is int and v >= 0 else cell(v))
                for v in values
            ]
        )
        if len(batch) >= 500:
            _write_rows(batch, writer, buffer, out)
            batch = []
    _write_rows(batch, writer, buffer, out)


def _write_rows(batch: list[list], writer, buffer: io.StringIO, out) -> None:
    """Write rows through `buffer` to `out`. A cell with a line break inside (rare: the
    batch's text then shows a quote or a carriage return) has a formula trigger at the
    start of each of its lines neutralised too, and its row is written with every cell
    quoted: csv quotes only the line terminator (here a newline), not a carriage return."""
    writer.writerows(batch)
    text = buffer.getvalue()
    if '"' in text or "\r" in text:
        buffer.seek(0)
        buffer.truncate()
        quote_all = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for row in batch:
            if any(type(v) is str and ("\r" in v or "\n" in v) for v in row):
                quote_all.writerow([_inner(v) if type(v) is str else v for v in row])
            else:
                writer.writerow(row)
        text = buffer.getvalue()
    out.write(safe_csv(text))  # nothing a terminal or a spreadsheet would act on
    buffer.seek(0)
    buffer.truncate()


def _inner(text: str) -> str:
    """A formula trigger at the start of a line inside a cell, neutralised as at its start."""
    return _INNER_FORMULA.sub("'", text) if "\r" in text or "\n" in text else text


# A formula trigger at the start of a line inside a cell (after a line break).
_INNER_FORMULA = re.compile(r"(?<=[\r\n])(?=[=+\-@\t\r])")
_INNER_QUOTED = re.compile(r"(?<=[\r\n])'(?=[=+\-@\t\r])")


def to_csv(columns: list[str], rows: Iterable[dict | list]) -> str:
    """Rows as CSV text, every cell neutralised."""
    buffer = io.StringIO()
    write_csv(columns, rows, buffer)
    return buffer.getvalue()


def _unquote(text: str) -> str:
    """A cell as it was before write_csv neutralised it."""
    if "\r" in text or "\n" in text:
        text = _INNER_QUOTED.sub("", text)
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def import_text(ledger: Ledger, text: str, name: str, now: datetime) -> str:
    """Apply an export (JSON) or a CSV of customers or products to the ledger.

    Every row is checked; if any is bad, ImportRefused lists them all (with line numbers)
    and the caller writes nothing. Returns a one-line summary of what was imported.
    """
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("{"):
        return _import_document(ledger, stripped, name, now)
    return _import_csv(ledger, stripped, name, now)


def _import_csv(ledger: Ledger, text: str, name: str, now: datetime) -> str:
    from olshop_cli.money import parse_money

    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    if "sku" in columns and "name" in columns:
        table = "products"
    elif "name" in columns:
        table = "customers"
    else:
        raise InputError(
            _(
                "{name} is not a customers or products CSV (its first line names the columns)."
            ).format(name=name),
            _("Export one to see the columns: olshop export --format csv --table customers"),
        )
    errors, added, updated = [], 0, 0
    for row in reader:
        line = reader.line_num
        cells = {k: _unquote((v or "").strip()) for k, v in row.items() if k}
        try:
            if table == "customers":
                existed = _import_customer(ledger, cells, now)
            else:
                existed = _import_product(ledger, cells, now, parse_money)
        except OlshopError as exc:
            errors.append(_("line {lineno}: {problem}").format(lineno=line, problem=exc.message))
            continue
        updated += existed
        added += not existed
    if errors:
        raise ImportRefused(
            _("{name} has {count} bad row(s), so nothing was imported:\n  {problems}").format(
                name=name, count=len(errors), problems="\n  ".join(errors)
            ),
            _("Fix those rows and import again."),
        )
    done = (
        _("Imported customers from {name}: {added} added, {updated} updated.")
        if table == "customers"
        else _("Imported products from {name}: {added} added, {updated} updated.")
    )
    return done.format(name=name, added=added, updated=updated)


def _import_customer(ledger: Ledger, cells: dict, now: datetime) -> bool:
    key = cells.get("key") or None
    fields = {f: cells.get(f) or None for f in ("call", "nick", "phone", "channel")}
    extra = {f: cells.get(f) or None for f in ("address", "note")}
    if key and key in ledger.customers:
        ledger.edit_customer(key, name=cells.get("name") or None, **fields, **extra)
        return True
    ledger.add_customer(cells.get("name", ""), now, key=key, **fields, **extra)
    return False


def _import_product(ledger: Ledger, cells: dict, now: datetime, parse_money) -> bool:
    sku = cells.get("sku", "")
    price = parse_money(cells["price"]) if cells.get("price") else None
    related = cells.get("related", "").replace(";", " ").replace(",", " ").split()
    listed_text = cells.get("listed", "").lower()
    listed = None if not listed_text else listed_text in ("yes", "true", "1", "ya")
    stock_text = cells.get("stock", "")
    if stock_text and not stock_text.isdigit():
        raise InputError(_("Stock '{text}' is not a whole number.").format(text=stock_text))
    cost_text = cells.get("cost")  # None: no such column; "": not known (cleared)
    cost = parse_money(cost_text) if cost_text else cost_text
    from olshop_cli.models import normalize_sku

    if sku and normalize_sku(sku) in ledger.products:
        product = ledger.edit_product(
            sku,
            name=cells.get("name") or None,
            price=price,
            related=related if "related" in cells else None,
            restock=cells.get("restock"),
            listed=listed,
            note=cells.get("note"),
            cost=cost,
        )
        if stock_text:
            ledger.adjust_stock(product.sku, f"={stock_text}")
        return True
    if price is None:
        raise InputError(
            _("{sku} has no price.").format(sku=sku) if sku else _("A product has no price.")
        )
    product = ledger.add_product(
        sku,
        cells.get("name", ""),
        price,
        now,
        stock=int(stock_text or 0),
        related=related,
        restock=cells.get("restock") or None,
        note=cells.get("note") or None,
        cost=cost if isinstance(cost, int) else None,
    )
    if listed is False:
        product.listed = False
    return False


_MONTH = re.compile(r"\d{4}-\d\d-\d\d$")


def _import_document(ledger: Ledger, text: str, name: str, now: datetime) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("{name} is not valid JSON ({why}, line {line}).").format(
                name=name, why=exc.msg, line=exc.lineno
            )
        ) from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InputError(
            _("{name} is not an olshop export.").format(name=name),
            _("Make one with: olshop export --output ledger.json"),
        )
    if ledger.customers or ledger.products or ledger.bookings or ledger.next_booking > 1:
        raise ImportRefused(
            _("A whole-ledger export can only be imported into an empty ledger."),
            _("Import it into a new folder: OLSHOP_HOME=new-shop olshop import {name}").format(
                name=name
            ),
        )
    from olshop_cli.checks import document_problems

    problems = document_problems(data)
    if problems:
        shown = problems[:40] + (
            [_("... and {count} more").format(count=len(problems) - 40)]
            if len(problems) > 40
            else []
        )
        raise ImportRefused(
            _("{name} has {count} problem(s), so nothing was imported:\n  {problems}").format(
                name=name, count=len(problems), problems="\n  ".join(shown)
            ),
            _("Fix them in the file (or export again from olshop) and import again."),
        )
    errors = []

    def rows(key: str, make):
        out = []
        for i, item in enumerate(data.get(key) or [], 1):
            try:
                out.append(make(item))
            except (TypeError, KeyError, ValueError, AttributeError):
                errors.append(
                    _("{table} #{number}: missing or wrong fields").format(table=key, number=i)
                )
        return out

    customers = rows("customers", Customer.from_dict)
    products = rows("products", Product.from_dict)
    bookings = rows("bookings", Booking.from_dict)
    if errors:
        raise ImportRefused(
            _("{name} has {count} bad record(s), so nothing was imported:\n  {problems}").format(
                name=name, count=len(errors), problems="\n  ".join(errors)
            )
        )
    for customer in customers:
        ledger.customers[customer.key] = customer
    for product in products:
        ledger.products[product.sku] = product
    for booking in bookings:
        if booking.is_open:
            ledger.bookings[booking.number] = booking
        else:
            ledger.closed_now.append(booking)
        for entry in booking.payments:  # transfers read from a statement: never again
            key, day = entry.get("statement"), entry.get("received")
            if isinstance(key, str) and isinstance(day, str) and _MONTH.match(day):
                ledger.statement_rows.setdefault(day[:7], {})[key] = booking.number
    ledger.settings = dict(data.get("settings") or {})
    ledger.retired_keys = set(data.get("retired_keys") or [])
    highest = max([0, *(b.number for b in bookings)])
    ledger.next_booking = max(int(data.get("next_booking") or 1), highest + 1)
    ledger.recount()  # reserved units and marked buyers, from what came in
    from olshop_cli.doctor import check

    closed = [(b.number, b.status) for b in ledger.closed_now]
    problems = [p.text for p in check(ledger, closed)]
    if problems:
        raise ImportRefused(
            _(
                "{name} does not hold a consistent ledger, so nothing was imported:\n  {problems}"
            ).format(name=name, problems="\n  ".join(problems))
        )
    return _(
        "Imported {name}: {customers} customers, {products} products, {bookings} bookings."
    ).format(name=name, customers=len(customers), products=len(products), bookings=len(bookings))
