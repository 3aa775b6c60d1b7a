"""`olshop report`: how the shop did over a week, a month, a year or any dates.

(Named reports.py: a module `report` would shadow the error reporter in cli/__init__.py.)
"""

from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import JsonOpt, read
from olshop_cli.i18n import _, ngettext
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
        str | None,
        typer.Option(
            "--from",
            help="First day: 2026-11-01, 'tgl 1', 'senin lalu', 'minggu lalu', kemarin "
            "(instead of --period).",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="Last day, included: 2026-11-30, kemarin, 'akhir bulan' (default: now)."
        ),
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
        raise typer.BadParameter(_("give --period or --from/--to, not both"), param_hint="--period")
    if json_ and csv_:
        raise typer.BadParameter(_("give --json or --csv, not both"), param_hint="--csv")
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
    end = f"{bounds.end:%Y-%m-%d %H:%M}"
    if bounds.start:
        start = f"{bounds.start:%Y-%m-%d %H:%M}"
        output.out(_("Report: {start} to {end}").format(start=start, end=end))
    else:
        output.out(_("Report: the first booking to {end}").format(end=end))
    rate = result.hit_and_run_rate
    average = result.average_pay_seconds
    from datetime import timedelta

    output.fields(
        [
            (
                _("revenue"),
                ngettext(
                    "{amount} from {count} paid booking",
                    "{amount} from {count} paid bookings",
                    result.paid,
                ).format(amount=format_money(result.revenue), count=result.paid),
            ),
            (
                _("gross profit"),
                ngettext(
                    "{amount} from {costed} of {count} paid booking with cost prices",
                    "{amount} from {costed} of {count} paid bookings with cost prices",
                    result.paid,
                ).format(
                    amount=format_money(result.profit), costed=result.costed, count=result.paid
                )
                if result.costed
                else "",
            ),
            (
                _("discounts"),
                _("{amount} given").format(amount=format_money(result.discounts))
                if result.discounts
                else "",
            ),
            (
                _("ongkir"),
                _("{amount} collected").format(amount=format_money(result.ongkir))
                if result.ongkir
                else "",
            ),
            (_("money in"), _money_in(result)),
            (
                _("kept"),
                _("{amount} paid and kept").format(amount=format_money(result.kept))
                if result.kept
                else "",
            ),
            (
                _("bookings"),
                _("{booked} made, {paid} paid, {released} released, {cancelled} cancelled").format(
                    booked=result.booked,
                    paid=result.paid,
                    released=result.released,
                    cancelled=result.cancelled,
                ),
            ),
            (
                _("hit and run"),
                _("{rate} ({released} released of {settled} settled)").format(
                    rate=f"{rate:.1%}", released=result.released, settled=result.settled
                )
                if rate is not None
                else _("no bookings settled"),
            ),
            (
                _("time to pay"),
                _("{duration} on average").format(
                    duration=format_duration(timedelta(seconds=average))
                )
                if average is not None
                else "",
            ),
        ]
    )
    share = (lambda c: f"{c.revenue / result.revenue:.0%}") if result.revenue else (lambda c: "")
    tables = [  # (rows, title, columns, cells of one row, right-aligned columns)
        (result.products, _("Top products"), ["SKU", _("Product"), _("Units"), _("Revenue")],
         lambda p: [p.key, p.name, p.count, format_money(p.revenue)], [_("Units"), _("Revenue")]),
        (result.customers, _("Top customers"), [_("Key"), _("Customer"), _("Bookings"),
         _("Revenue")], lambda c: [c.key, c.name, c.count, format_money(c.revenue)],
         [_("Bookings"), _("Revenue")]),
        (result.channels, _("Sales by channel"), [_("Channel"), _("Bookings"), _("Revenue"),
         _("Share")], lambda c: [c.key, c.count, format_money(c.revenue), share(c)],
         [_("Bookings"), _("Revenue"), _("Share")]),
    ]  # fmt: skip
    for items, title, columns, cells, right in tables:
        if items:
            output.out()
            output.table(columns, [cells(x) for x in items], title=title, right=right)
    if result.series:
        output.out()
        output.out(_("Revenue per day") if bounds.unit == "day" else _("Revenue per month"))
        largest = max(amount for _at, amount in result.series)
        width = max(len(format_money(amount)) for _at, amount in result.series)
        for at, amount in result.series:
            shown = format_money(amount) if amount else ""
            output.out(f"  {at}  {shown:>{width}}  {reports.bar(amount, largest)}".rstrip())
    happened = (result.booked, result.settled, result.payments, result.refunds, result.kept)
    if not any(happened):
        output.say(_("Nothing happened in this period."))


def _money_in(result) -> str:
    """`Rp450.000 (payments Rp500.000, paid back Rp50.000)`; empty when no money moved."""
    if not (result.payments or result.refunds):
        return ""
    if not result.refunds:
        return _("{amount} in payments").format(amount=format_money(result.money_in))
    return _("{amount} (payments {payments}, paid back {refunds})").format(
        amount=format_money(result.money_in),
        payments=format_money(result.payments),
        refunds=format_money(result.refunds),
    )
