"""`olshop pay --from STATEMENT.csv`: a bank statement read, matched to bookings, and (with
--apply) recorded in one change."""

from __future__ import annotations

from olshop_cli import output
from olshop_cli.cli.common import change, read
from olshop_cli.i18n import _, ngettext


def _amount(step) -> str:
    return step.transfer.shown


def _recorded_before(n: int) -> str:
    return ngettext(
        "Nothing new to record: {count} transfer was recorded before.",
        "Nothing new to record: {count} transfers were recorded before.",
        n,
    ).format(count=n)


def _day(step) -> str:
    day = step.transfer.day
    return f"{day.day:02d}/{day.month:02d}" if day else "PEND"


def _short(text: str, width: int = 30) -> str:
    from olshop_cli.paymatch import sender

    text = sender(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def pay_from(
    path: str,
    bank: str | None,
    mapping,
    apply_: bool,
    print_replies: bool,
    json_: bool,
) -> None:
    from olshop_cli import paymatch
    from olshop_cli.statement import read_statement

    ledger, now = read()
    statement = read_statement(path, now.date(), bank, mapping)
    if not apply_:
        steps = paymatch.plan(ledger, statement, now)
        _show(statement, steps, json_, applied=None, again=_again(path, bank, mapping))
        return
    with change() as (ledger, now):
        # Read and matched again under the lock: what another command changed meanwhile
        # counts, and the plan recorded is the one shown.
        steps = paymatch.plan(ledger, statement, now)
        paid = paymatch.apply(ledger, steps, now)
        ledger.last_statement = paymatch.summary(ledger, statement, steps, now)
        ledger.dirty = True  # what waits is kept for `today`, even when nothing was paid
    _show(statement, steps, json_, applied=paid)
    if print_replies and paid and not json_:
        _print_replies(paid)


def _again(path: str, bank: str | None, mapping) -> str:
    """The command that reads this statement again, with --apply."""
    import shlex

    words = ["olshop", "pay", "--from", path]
    if bank:
        words += ["--bank", bank]
    for option, value in (
        ("--date", mapping.date),
        ("--amount", mapping.amount),
        ("--description", mapping.description),
        ("--credit", mapping.credit),
        ("--ref", mapping.ref),
    ):
        if value:
            words += [option, value]
    return " ".join(shlex.quote(word) for word in [*words, "--apply"])


def _show(statement, steps, json_: bool, applied, again: str = "") -> None:
    from olshop_cli import paymatch

    counts = {kind: 0 for kind in (*paymatch.MATCHED, *paymatch.WAITING, "pending", "recorded")}
    for step in steps:
        counts[step.kind] += 1
    matched = sum(counts[k] for k in paymatch.MATCHED)
    if json_:
        output.print_json(
            {
                "statement": {
                    "bank": statement.bank,
                    "account": statement.account,
                    "file": statement.path,
                    "transfers_in": len(statement.transfers),
                    "transfers_out": statement.debits,
                },
                "plan": [step.to_dict() for step in steps],
                "applied": applied is not None,
                "paid": [
                    {"booking": b.id, "status": b.status, "paid": b.net_paid, "owed": b.owed}
                    for b in applied or []
                ],
            }
        )
        return
    if output.narrow():
        _show_blocks(steps)
    else:
        _show_tables(steps)
    _say_counts(statement, steps, counts, matched, applied, again)


def _why(step) -> str:
    from olshop_cli.paymatch import shown_why

    return shown_why(step.why) + (
        ": " + (" " + _("or") + " ").join(f"{b.id} {b.customer_name}" for b in step.candidates)
        if step.candidates
        else ""
    )


def _show_blocks(steps) -> None:
    """The plan on a phone: a block a transfer."""
    from olshop_cli import paymatch

    pays = {"paid": _("paid"), "dp": _("DP"), "balance": _("balance")}
    sections = [
        (
            _("Transfers that pay a booking"),
            [
                (
                    f"{s.transfer.line} · {_day(s)} · {_amount(s)} → {s.booking.id} {pays[s.kind]}",
                    [s.booking.customer_name, paymatch.shown_why(s.why)],
                )
                for s in steps
                if s.kind in paymatch.MATCHED and s.booking is not None
            ],
        ),
        (
            _("Transfers for you to decide"),
            [
                (
                    f"{s.transfer.line} · {_day(s)} · {_amount(s)}",
                    [_short(s.transfer.description), _why(s)],
                )
                for s in steps
                if s.kind in paymatch.WAITING
            ],
        ),
        (
            _("Not recorded now"),
            [
                (f"{s.transfer.line} · {_day(s)} · {_amount(s)}", [paymatch.shown_why(s.why)])
                for s in steps
                if s.kind in ("pending", "recorded")
            ],
        ),
    ]
    first = True
    for title, items in sections:
        if items:
            if not first:
                output.out()
            output.blocks(title, items)
            first = False


def _show_tables(steps) -> None:
    from olshop_cli import paymatch

    rows = [
        [
            str(step.transfer.line),
            _day(step),
            _amount(step),
            step.booking.id,
            step.booking.customer_name,
            {"paid": _("paid"), "dp": _("DP"), "balance": _("balance")}[step.kind],
            paymatch.shown_why(step.why),
        ]
        for step in steps
        if step.kind in paymatch.MATCHED and step.booking is not None
    ]
    if rows:
        output.table(
            [_("Line"), _("Date"), _("Amount"), _("Booking"), _("Customer"), _("Pays"), _("Why")],
            rows,
            title=_("Transfers that pay a booking"),
            right=(_("Amount"),),
            whole=(_("Booking"),),
        )
    waiting = [step for step in steps if step.kind in paymatch.WAITING]
    others = [step for step in steps if step.kind in ("pending", "recorded")]
    for listed, title, heading in (
        (waiting, _("Transfers for you to decide"), _("Why")),
        (others, _("Not recorded now"), _("Status")),
    ):
        if not listed:
            continue
        if rows or (listed is others and waiting):
            output.out()
        output.table(
            [_("Line"), _("Date"), _("Amount"), _("From"), heading],
            [
                [
                    str(step.transfer.line),
                    _day(step),
                    _amount(step),
                    _short(step.transfer.description),
                    _why(step),
                ]
                for step in listed
            ],
            title=title,
            right=(_("Amount"),),
            whole=(_("Date"),),
        )


def _say_counts(statement, steps, counts, matched, applied, again) -> None:
    from olshop_cli.statement import BANK_NAMES

    name = BANK_NAMES[statement.bank]
    account = f" {statement.account}" if statement.account else ""
    transfers = len(statement.transfers)
    output.say(
        ngettext(
            "{bank} statement{account}: {count} transfer in, {out} out.",
            "{bank} statement{account}: {count} transfers in, {out} out.",
            transfers,
        ).format(bank=name, account=account, count=transfers, out=statement.debits)
        + " "
        + _(
            "{matched} pay a booking, {ambiguous} ambiguous, {unmatched} unmatched, "
            "{pending} pending, {recorded} recorded before."
        ).format(
            matched=matched,
            ambiguous=counts["ambiguous"],
            unmatched=counts["unmatched"],
            pending=counts["pending"],
            recorded=counts["recorded"],
        )
    )
    if applied is None:
        if matched:
            output.say(_("Nothing recorded yet. To record them: {command}").format(command=again))
        elif counts["recorded"]:
            output.say(_recorded_before(counts["recorded"]))
        else:
            output.say(_("Nothing to record."))
        return
    if applied:
        done = ", ".join(
            (_("{id} paid") if b.status == "paid" else _("{id} DP")).format(id=b.id)
            for b in applied
        )
        output.say(
            ngettext(
                "Recorded {count} payment in one change (olshop undo takes it back): {done}.",
                "Recorded {count} payments in one change (olshop undo takes it back): {done}.",
                matched,
            ).format(count=matched, done=done)
        )
    elif counts["recorded"]:
        output.say(_recorded_before(counts["recorded"]))
    else:
        output.say(_("Nothing recorded: no transfer pays a booking."))


def _print_replies(paid) -> None:
    """The `paid` (or, for a part payment, `dp`) message of each booking paid, with its
    wa.me link."""
    from olshop_cli.cli.booking import print_replies

    print_replies(paid, lambda booking: "paid" if booking.status != "booked" else "dp")
