"""Keeping the ledger safe: `undo`, `backup list|restore`, `doctor`, `export`, `import`."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from olshop_cli import output
from olshop_cli.cli.common import JsonOpt, change, command_line, read, read_input_file, store
from olshop_cli.errors import InputError, LedgerError
from olshop_cli.i18n import _

backup_app = typer.Typer(
    help="Earlier versions of the ledger, kept before every change.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _at(entry: dict) -> str:
    return str(entry.get("at", ""))[:16].replace("T", " ")


def undo(
    steps: Annotated[
        int, typer.Option("--steps", min=1, help="How many changes to undo at once.")
    ] = 1,
) -> None:
    """Undo the last change (run again, or give --steps, to go further back)."""
    shop = store()
    undone = shop.undo(steps)
    for entry in undone:
        if "command" in entry:
            said = _("Undid: {command} (made {at}).")
        else:
            said = _("Undid: a change (made {at}).")
        output.say(said.format(command=entry.get("command"), at=_at(entry)))


@backup_app.command("list")
def backup_list(json_: JsonOpt = False) -> None:
    """The kept earlier versions, newest first: restore one with olshop backup restore N."""
    entries = list(reversed(store().entries()))
    if json_:
        output.print_json(
            [{"id": e["version"], "at": e.get("at"), "command": e.get("command")} for e in entries]
        )
        return
    if not entries:
        output.say(_("No backups yet: one is kept before every change."))
        return
    output.table(
        ["N", _("Made"), _("Before this change")],
        [[e["version"], _at(e), e.get("command", "")] for e in entries],
        right=["N"],
    )


@backup_app.command("restore")
def backup_restore(
    number: Annotated[int, typer.Argument(help="The backup's N from olshop backup list.")],
) -> None:
    """Bring back the ledger as it was before change N (undo takes you back again)."""
    entry = store().restore(number, command_line())
    if "command" in entry:
        said = _("Restored the ledger as it was before: {command} ({at}). To go back: olshop undo")
    else:
        said = _("Restored the ledger as it was before: change ({at}). To go back: olshop undo")
    output.say(said.format(command=entry.get("command"), at=_at(entry)))


def doctor(
    fix: Annotated[
        bool, typer.Option("--fix", help="Repair what is safe to repair (a backup is kept).")
    ] = False,
) -> None:
    """Check the ledger: every file as written, bookings, stock and numbers consistent."""
    from olshop_cli.doctor import check

    shop = store()
    try:
        damaged, hints = shop.verify()
    except LedgerError as exc:  # the manifest itself
        damaged, hints = [exc.message], [_("Bring back an earlier version: olshop backup list")]
    if damaged:
        for text, hint in zip(damaged, hints, strict=True):
            output.out(_("problem: {text}").format(text=text))
            output.say(hint)
        output.say(_("{count} damaged file(s); nothing was changed.").format(count=len(damaged)))
        raise typer.Exit(1)
    try:
        ledger = shop.load()
        # Every archive file's digest was checked above; of their bookings only those that
        # can clash with the open ones (and the highest number) are read.
        problems = check(ledger, ledger.archive.statuses(set(ledger.bookings)))
        closed = ledger.archive.count()
    except LedgerError as exc:
        output.out(_("problem: {text}").format(text=exc.message))
        output.say(_("Bring back an earlier version: olshop backup list"))
        raise typer.Exit(1) from None
    fixed = []
    if fix and any(p.fix for p in problems):
        with change() as (locked, _now):
            for problem in check(locked, locked.archive.statuses(set(locked.bookings))):
                if problem.fix:
                    problem.fix(locked)
                    fixed.append(problem.text)
        problems = [p for p in problems if p.text not in fixed]
    for text in fixed:
        output.out(_("fixed: {text}").format(text=text))
    for problem in problems:
        hint = "  " + _("(olshop doctor --fix repairs this)") if problem.fix else ""
        output.out(_("problem: {text}").format(text=problem.text) + hint)
    if problems:
        output.say(
            _("{count} problem(s) found.").format(count=len(problems))
            + (" " + _("A backup was kept.") if fixed else "")
        )
        raise typer.Exit(1)
    output.say(
        _(
            "The ledger is healthy: {customers} customers, {products} products, "
            "{open} open and {closed} closed bookings."
        ).format(
            customers=len(ledger.customers),
            products=len(ledger.products),
            open=len(ledger.bookings),
            closed=closed,
        )
        + (
            " " + _("Fixed {count} problem(s); a backup was kept.").format(count=len(fixed))
            if fixed
            else ""
        )
    )


def _write_output(path: str, text: str, force: bool) -> None:
    """Write an export where the seller asked, never inside the ledger folder, and never
    leaving a half-written file: a temporary file beside it, renamed into place."""
    import contextlib
    import os

    if "\x00" in path:
        raise InputError(
            _("'{file}' is not a file name.").format(file=path), _("Give the path of a file.")
        )
    target = Path(path)
    home = store().home
    try:
        where = target.parent.resolve() / target.name
        inside = where.resolve().is_relative_to(home.resolve())
    except OSError:
        inside = False
    if inside:
        raise InputError(
            _("{file} is inside the ledger folder {home}; an export never goes there.").format(
                file=target, home=home
            ),
            _("Write it somewhere else, like: olshop export -o ~/olshop-export.json"),
        )
    try:
        exists = target.exists()
    except OSError as exc:  # a name too long for the file system, a loop of links...
        raise InputError(
            _("Could not write {file}: {why}.").format(file=target, why=exc.strerror)
        ) from None
    if exists and not force:
        raise InputError(
            _("{file} already exists; olshop will not overwrite it.").format(file=target),
            _("Choose another name, or add --force to replace it."),
        )
    tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        if force:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # fails if the file appeared meanwhile: never clobbered
    except FileExistsError:
        raise InputError(
            _("{file} already exists; olshop will not overwrite it.").format(file=target),
            _("Choose another name, or add --force to replace it."),
        ) from None
    except OSError as exc:
        raise InputError(
            _("Could not write {file}: {why}.").format(file=target, why=exc.strerror)
        ) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def export(
    format_: Annotated[str, typer.Option("--format", help="json (everything) or csv.")] = "json",
    table: Annotated[
        str | None, typer.Option("--table", help="bookings, customers or products.")
    ] = None,
    output_file: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Export the ledger: all of it as JSON, or one table as CSV for a spreadsheet."""
    import json

    from olshop_cli import transfer

    fmt = format_.lower()
    if fmt not in ("json", "csv"):
        raise InputError(
            _("Unknown format '{format}'.").format(format=format_),
            _("Use --format json or --format csv."),
        )
    if table is not None and table.lower() not in transfer.TABLES:
        raise InputError(
            _("Unknown table '{table}'.").format(table=table),
            _("Use one of: {tables}.").format(tables=", ".join(transfer.TABLES)),
        )
    ledger, now = read()
    bookings = ledger.all_bookings() if (table or "bookings") == "bookings" else []
    if fmt == "csv":
        name = (table or "bookings").lower()
        columns = {
            "bookings": transfer.BOOKING_COLUMNS,
            "customers": transfer.CUSTOMER_COLUMNS,
            "products": transfer.PRODUCT_COLUMNS,
        }[name]
        rows = transfer.table_rows(name, ledger, bookings)
        if not output_file:  # straight to stdout, row by row
            transfer.write_csv(columns, rows, sys.stdout)
            return
        text = transfer.to_csv(columns, rows)
    elif table:
        if table.lower() == "bookings":
            rows = [b.to_dict() for b in bookings]
        else:
            rows = transfer.document(ledger, [], now)[table.lower()]
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        text = json.dumps(transfer.document(ledger, bookings, now), ensure_ascii=False) + "\n"
    if output_file:
        _write_output(output_file, text, force)
        output.say(_("Exported to {file}.").format(file=output_file))
    else:  # JSON: the same JSON, with DEL, C1 and bidirectional controls as \u escapes
        sys.stdout.write(output.safe_json(text))


def import_(
    file: Annotated[
        str, typer.Argument(help="An olshop JSON export, or a CSV of customers or products.")
    ],
) -> None:
    """Import everything in one change (undoable), or nothing if any row is bad."""
    from olshop_cli.transfer import import_text

    path = Path(file)
    text = read_input_file(file)
    with change() as (ledger, now):
        summary = import_text(ledger, text, path.name, now)
    output.say(summary + " " + _("Undo with: olshop undo"))
