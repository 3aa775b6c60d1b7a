"""`olshop report`: how the shop did over a week, a month, a year or any dates.

(Named reports.py: a module `report` would shadow the error reporter in cli/__init__.py.)
"""

from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import JsonOpt, read
from olshop_cli.money import format_money


def report(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="week (since Monday), month (since the 1st), year or all; default month.",
        ),
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First day, e.g. 2026-11-01 (instead of --period).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last day, included (default: now).")
    ] = None,
    json_: JsonOpt = False,
    csv_: Annotated[
        bool, typer.Option("--csv", help="Print CSV for a spreadsheet instead of text.")
    ] = False,
) -> None:
    """Revenue, gross profit, money in, bookings, hit-and-run rate, time to pay, best
    sellers and buyers, channels, and a chart of revenue per day (or month). Periods are in
    the shop's time zone.

    Revenue counts bookings paid in the period (now paid, shipped or done), when fully paid:
    the items less discounts. Ongkir the buyers paid is shown apart. Gross profit is revenue
    less the cost prices (as they were at booking time), over the paid bookings whose every
    item has a cost price (olshop product edit SKU --cost 95rb).

    Money in is every payment received in the period (down payments on their own day, of
    any booking) less every refund paid back in it. Kept is money paid that the shop kept:
    a down payment of a cancelled or released booking, or an overpayment kept as credit.

    JSON: "revenue", "ongkir", "discounts", "gross_profit": {"amount", "bookings": how many
    paid bookings had every cost price}, "money_in" (= "payments" - "refunds"), "payments",
    "refunds", "kept" (whole rupiah). CSV: one summary row each (gross_profit's count is
    those bookings).

    Example: olshop report --period month

    Example: olshop report --from 2026-10-01 --to 2026-10-31 --csv > oktober.csv
    """
    from olshop_cli import report as reports

    if period is not None and (from_ or to):
        raise typer.BadParameter("give --period or --from/--to, not both", param_hint="--period")
    if json_ and csv_:
        raise typer.BadParameter("give --json or --csv, not both", param_hint="--csv")
    ledger, now = read()
    if from_ or to:
        bounds = reports.custom_period(from_, to, now)
    else:
        bounds = reports.named_period(period or "month", now)
    if reports.whole_days(bounds, now):  # closed bookings as summed per day, open ones read
        first = bounds.start.date().isoformat() if bounds.start else None
        days = ledger.archive.days(
            first, bounds.end.date().isoformat(), months=bounds.unit == "month"
        )
        open_ones = sorted(ledger.bookings.values(), key=lambda b: b.number)
        result = reports.build(open_ones, ledger.customers, ledger.products, bounds, days)
    else:
        result = reports.build(ledger.all_bookings(), ledger.customers, ledger.products, bounds)
    if json_:
        output.print_json(result.to_dict())
    elif csv_:
        import csv
        import sys

        from olshop_cli.transfer import safe_cell

        writer = csv.writer(sys.stdout, lineterminator="\n")
        for row in reports.csv_rows(result):
            writer.writerow([safe_cell(c) if isinstance(c, str) else c for c in row])
    else:
        _print(result, reports)


def _print(result, reports) -> None:
    from olshop_cli.when import format_duration

    bounds = result.period
    start = f"{bounds.start:%Y-%m-%d %H:%M}" if bounds.start else "the first booking"
    output.out(f"Report: {start} to {bounds.end:%Y-%m-%d %H:%M}")
    rate = result.hit_and_run_rate
    average = result.average_pay_seconds
    from datetime import timedelta

    bookings = "paid booking" if result.paid == 1 else "paid bookings"
    output.fields(
        [
            ("revenue", f"{format_money(result.revenue)} from {result.paid} {bookings}"),
            (
                "gross profit",
                f"{format_money(result.profit)} from {result.costed} of {result.paid} "
                f"{bookings} with cost prices"
                if result.costed
                else "",
            ),
            ("discounts", f"{format_money(result.discounts)} given" if result.discounts else ""),
            ("ongkir", f"{format_money(result.ongkir)} collected" if result.ongkir else ""),
            ("money in", _money_in(result)),
            ("kept", f"{format_money(result.kept)} paid and kept" if result.kept else ""),
            (
                "bookings",
                f"{result.booked} made, {result.paid} paid, {result.released} released, "
                f"{result.cancelled} cancelled",
            ),
            (
                "hit and run",
                f"{rate:.1%} ({result.released} released of {result.settled} settled)"
                if rate is not None
                else "no bookings settled",
            ),
            (
                "time to pay",
                f"{format_duration(timedelta(seconds=average))} on average"
                if average is not None
                else "",
            ),
        ]
    )
    share = (lambda c: f"{c.revenue / result.revenue:.0%}") if result.revenue else (lambda c: "")
    tables = [  # (rows, title, columns, cells of one row, right-aligned columns)
        (result.products, "Top products", ["SKU", "Product", "Units", "Revenue"],
         lambda p: [p.key, p.name, p.count, format_money(p.revenue)], ["Units", "Revenue"]),
        (result.customers, "Top customers", ["Key", "Customer", "Bookings", "Revenue"],
         lambda c: [c.key, c.name, c.count, format_money(c.revenue)], ["Bookings", "Revenue"]),
        (result.channels, "Sales by channel", ["Channel", "Bookings", "Revenue", "Share"],
         lambda c: [c.key, c.count, format_money(c.revenue), share(c)],
         ["Bookings", "Revenue", "Share"]),
    ]  # fmt: skip
    for items, title, columns, cells, right in tables:
        if items:
            output.out()
            output.table(columns, [cells(x) for x in items], title=title, right=right)
    if result.series:
        output.out()
        output.out(f"Revenue per {bounds.unit}")
        largest = max(amount for _, amount in result.series)
        width = max(len(format_money(amount)) for _, amount in result.series)
        for at, amount in result.series:
            shown = format_money(amount) if amount else ""
            output.out(f"  {at}  {shown:>{width}}  {reports.bar(amount, largest)}".rstrip())
    happened = (result.booked, result.settled, result.payments, result.refunds, result.kept)
    if not any(happened):
        output.say("Nothing happened in this period.")


def _money_in(result) -> str:
    """`Rp450.000 (payments Rp500.000, paid back Rp50.000)`; empty when no money moved."""
    if not (result.payments or result.refunds):
        return ""
    if not result.refunds:
        return f"{format_money(result.money_in)} in payments"
    return (
        f"{format_money(result.money_in)} (payments {format_money(result.payments)}, "
        f"paid back {format_money(result.refunds)})"
    )
