"""The `olshop` command: one Typer app, a sub-app per noun. Parse, call the ledger, print.

The one place that turns an OlshopError into a message and an exit code is OlshopGroup.
Commands are loaded lazily: a command's module is imported (and its Typer parameters turned
into a click command) only when that command runs, so `olshop --version` or `olshop reply`
start about as fast as `import typer`.
"""

import importlib
import os
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from olshop_cli import __version__
from olshop_cli.errors import OlshopError
from olshop_cli.i18n import N_, _

PROG = "olshop"  # the command the shell completes, however olshop was started
COMPLETE_VAR = "_OLSHOP_COMPLETE"  # set by the completion script when the shell asks


def report(exc: OlshopError) -> None:
    """One sentence on what was wrong, then what to type instead (a bad value it names is
    shown without any control character it held)."""
    from olshop_cli.output import safe

    sys.stderr.write(_("Error:") + f" {safe(exc.message)}\n")
    if exc.hint:
        sys.stderr.write(f"  {safe(exc.hint)}\n")


# Every command, in the order `olshop --help` lists them: name -> (module in olshop_cli.cli,
# attribute: a command function or a Typer sub-app, the first paragraph of its help). The
# help is repeated here so that `olshop --help` lists the commands without importing them
# all; a test keeps each equal to the command's own.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "shop",
        "init",
        N_(
            "Set up the shop: its name, bank account, working hours, payment deadline and "
            "languages."
        ),
    ),
    "today": (
        "shop",
        "today",
        N_(
            "Start of the day: overdue bookings with the next step, due soon, to ship, sold out.",
        ),
    ),
    "book": (
        "booking",
        "book",
        N_(
            "Book items for a customer: reserves the stock now and prints the booking id.",
        ),
    ),
    "order": (
        "order",
        "order",
        N_(
            "Read a buyer's filled order form: shows the customer, items, courier and total it "
            "understood and what it could not, and changes nothing; --book books it.",
        ),
    ),
    "bookings": (
        "booking",
        "bookings",
        N_(
            "List open bookings (booked, paid, shipped); filters narrow it down.",
        ),
    ),
    "show": (
        "booking",
        "show",
        N_(
            "Show one booking with its history.",
        ),
    ),
    "pay": (
        "booking",
        "pay",
        N_(
            "Record a payment, or read a bank statement. Less than the total keeps a booking "
            "booked until the rest arrives.",
        ),
    ),
    "refund": (
        "booking",
        "refund",
        N_(
            "Pay back money a buyer paid beyond a booking's total (or keep it as their credit).",
        ),
    ),
    "ship": (
        "booking",
        "ship",
        N_(
            "Mark a paid booking shipped, with courier and tracking number.",
        ),
    ),
    "done": (
        "booking",
        "done",
        N_(
            "The buyer has the parcel: close the booking.",
        ),
    ),
    "cancel": (
        "booking",
        "cancel",
        N_(
            "Cancel a booking not yet shipped; its stock is free again.",
        ),
    ),
    "return": (
        "booking",
        "return_",
        N_(
            "A shipped parcel came back: cancel the booking, its items back on the shelf or not.",
        ),
    ),
    "edit": (
        "booking",
        "edit",
        N_(
            "Change a booking and keep its id: items, prices, discount, ongkir, courier, note.",
        ),
    ),
    "booking": (
        "booking",
        "booking_app",
        N_(
            "One booking: olshop booking edit ID (the same as olshop edit ID).",
        ),
    ),
    "extend": (
        "booking",
        "extend",
        N_(
            "Give a buyer more time to pay (reminder steps start over).",
        ),
    ),
    "remind": (
        "booking",
        "remind",
        N_(
            "Record the next reminder step and print its message (1 reminder, 2 check-in).",
        ),
    ),
    "release": (
        "booking",
        "release",
        N_(
            "Release overdue unpaid bookings: status released, stock back on sale.",
        ),
    ),
    "pack": (
        "pack",
        "pack",
        N_(
            "Packing list: items to pick summed by SKU, then each parcel with name, phone, "
            "address.",
        ),
    ),
    "report": (
        "reports",
        "report",
        N_(
            "Revenue, gross profit, money in, bookings, hit-and-run rate, time to pay, best "
            "sellers and buyers, channels, and a chart of revenue per day (or month). Periods are "
            "in the shop's time zone.",
        ),
    ),
    "reply": (
        "reply",
        "reply",
        N_(
            "Print the message for a buyer, ready to paste (stdout carries only the message).",
        ),
    ),
    "templates": (
        "reply",
        "templates_app",
        N_(
            "Reply templates: the built-in ones and your own (plain text files you can edit).",
        ),
    ),
    "customer": (
        "customer",
        "app",
        N_(
            "Your buyers: names, how to call them, phones.",
        ),
    ),
    "product": (
        "product",
        "app",
        N_(
            "What you sell: prices, stock on hand, related items.",
        ),
    ),
    "config": (
        "shop",
        "config_app",
        N_(
            "Shop settings: name, honorific, deadline, time zone, bank.",
        ),
    ),
    "hours": (
        "shop",
        "hours_app",
        N_(
            "Working hours: when you answer buyers.",
        ),
    ),
    "undo": (
        "safety",
        "undo",
        N_(
            "Undo the last change (run again, or give --steps, to go further back).",
        ),
    ),
    "backup": (
        "safety",
        "backup_app",
        N_(
            "Earlier versions of the ledger, kept before every change.",
        ),
    ),
    "doctor": (
        "safety",
        "doctor",
        N_(
            "Check the ledger: every file as written, bookings, stock and numbers consistent.",
        ),
    ),
    "export": (
        "safety",
        "export",
        N_(
            "Export the ledger: all of it as JSON, or one table as CSV for a spreadsheet.",
        ),
    ),
    "import": (
        "safety",
        "import_",
        N_(
            "Import everything in one change (undoable), or nothing if any row is bad.",
        ),
    ),
    "path": (
        "shop",
        "path",
        N_(
            "Print the ledger folder.",
        ),
    ),
    "demo": (
        "shop",
        "demo",
        N_(
            "Fill an empty ledger with a demo shop (try: OLSHOP_HOME=demo-shop olshop demo).",
        ),
    ),
}


def load_command(name: str):
    """The click command for `name`, built from its module on first use."""
    module_name, attribute, _summary = COMMANDS[name]
    module = importlib.import_module(f"olshop_cli.cli.{module_name}")
    target = getattr(module, attribute)
    if isinstance(target, typer.Typer):
        group = typer.main.get_group(target)
        group.name = name
        return group
    holder = typer.Typer(add_completion=False, rich_markup_mode=None)
    holder.command(name)(target)
    command = typer.main.get_command(holder)
    command.name = name
    return command


def _home_given(args) -> str | None:
    """The root `--home DIR` (or `--home=DIR`) among the arguments, before the command."""
    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--home" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--home="):
            return arg[len("--home=") :]
        if not arg.startswith("-"):
            return None  # the command: what follows is its own
    return None


class OlshopGroup(TyperGroup):
    """Runs every command; refusals become a message and exit 1, never a traceback."""

    @property
    def context_class(self):  # type: ignore[override]
        from olshop_cli.cli.helptext import Context

        return Context

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def format_help_text(self, ctx, formatter) -> None:
        """`olshop --help`'s own text in the seller's language (the commands' texts are
        put in it by helptext.translate)."""
        english = self.help
        self.help = _(english) if english else english
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = english

    def format_commands(self, ctx, formatter) -> None:
        """The command list of `olshop --help`, from COMMANDS: no command is imported."""
        from typer.core import TyperCommand

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name, help=_(summary)).get_short_help_str(limit))
            for name, (_module, _attribute, summary) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def parse_args(self, ctx, args):
        if not args and not ctx.resilient_parsing:  # `olshop` alone: the help, and on a
            from olshop_cli import paths  # first run where to start

            ctx.meta["olshop.no_shop"] = not paths.has_ledger(paths.home())
        return super().parse_args(ctx, args)

    def format_help(self, ctx, formatter) -> None:
        super().format_help(ctx, formatter)
        if ctx.meta.get("olshop.no_shop"):
            from olshop_cli.cli.common import NO_SHOP_HINT
            from olshop_cli.i18n import _

            formatter.write(f"\n{_(NO_SHOP_HINT)}\n")

    def get_command(self, ctx, name: str):
        if name not in self.commands and name in COMMANDS:
            self.commands[name] = load_command(name)
        command = self.commands.get(name)
        if command is not None:
            from olshop_cli.cli.helptext import translate

            translate(command)
        return command

    def shell_complete(self, ctx, incomplete: str):
        """`olshop <TAB>`: the commands, each with its summary from COMMANDS (none is
        imported), then the options."""
        from typer._click.shell_completion import CompletionItem
        from typer.core import TyperCommand

        if getattr(ctx, "_protected_args", None) or ctx.args:
            return []  # after a word that is no command (a typo): nothing fits
        found = [
            CompletionItem(name, help=TyperCommand(name, help=summary).get_short_help_str())
            for name, (_, _, summary) in COMMANDS.items()
            if name.startswith(incomplete)
        ]
        return found + super(TyperGroup, self).shell_complete(ctx, incomplete)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None) -> None:
        """Answer the shell when it asks for completions ($_OLSHOP_COMPLETE set by the script
        of --install-completion): Typer's completion code is imported only then."""
        if os.environ.get(COMPLETE_VAR):
            from olshop_cli.cli import shell

            shell.prepare()
            super()._main_shell_completion(ctx_args, PROG, COMPLETE_VAR)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            if ctx.resilient_parsing:  # completing after a typo: nothing to offer
                return None, None, args[1:]
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS))
            names = ", ".join(repr(c) for c in close)
            suggestion = " " + _("Did you mean {names}?").format(names=names) if close else ""
            ctx.fail(f"No such command {name!r}.{suggestion}")
        return super().resolve_command(ctx, args)

    def main(self, args=None, *rest, **kwargs):
        from olshop_cli.cli.common import set_command_line

        given = sys.argv[1:] if args is None else args
        set_command_line(given)
        # `--help` and click's usage errors are written before the root callback runs: the
        # shop's `ui-lang` is read (lazily, at the first message) from the folder given.
        from olshop_cli.cli.common import set_home

        set_home(_home_given(given or ()))
        from olshop_cli.output import safe, safe_stderr

        for arg in given or ():
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:  # bytes the terminal sent that are not UTF-8 text
                shown = safe(arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
                sys.stderr.write(
                    _("Error:")
                    + " "
                    + _(
                        "'{text}' is not text olshop can read (it holds bytes that are not UTF-8)."
                    ).format(text=shown)
                    + "\n  "
                    + _("Type it again; if it keeps happening, set your terminal to UTF-8.")
                    + "\n"
                )
                raise SystemExit(2) from None

        from olshop_cli.cli.helptext import click_message

        with safe_stderr(click_message):  # click's own messages echo what was typed
            return super().main(args, *rest, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OlshopError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `olshop bookings | head`: the reader left; stop quietly, as other tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as exc:
            if type(exc).__module__.startswith("typer"):
                raise  # usage errors: Typer prints them and exits 2
            if os.environ.get("OLSHOP_DEBUG"):
                raise
            from olshop_cli.cli.common import store

            try:
                where = store().home
                intact = _("Your ledger at {where} is intact: changes are saved all or nothing.")
            except Exception:  # noqa: BLE001 - the message must come out whatever happened
                where = None
                intact = _("Your ledger at its folder is intact: changes are saved all or nothing.")
            from olshop_cli.output import safe

            failed = _("olshop failed unexpectedly ({kind}: {detail}).").format(
                kind=type(exc).__name__, detail=safe(str(exc))
            )
            again = _("Run again with OLSHOP_DEBUG=1 to see the details for a bug report.")
            sys.stderr.write(
                _("Error:") + f" {failed}\n  {intact.format(where=where)}\n  {again}\n"
            )
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=OlshopGroup,
    name="olshop",
    help="The solo online seller's ledger, polite replies and start-of-day digest.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help (click's): it wraps to any width, a phone's included, and needs no rich.
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"olshop {__version__}\n")
        raise typer.Exit()


def _install_completion(value: bool) -> None:
    if value:
        from olshop_cli.cli import shell

        shell.install_completion()


def _show_completion(value: bool) -> None:
    if value:
        from olshop_cli.cli import shell

        shell.show_completion()


@app.callback()
def root(
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            help="Ledger folder to use (default: $OLSHOP_HOME, else your user data folder).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    install_completion: Annotated[
        bool,
        typer.Option(
            "--install-completion",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help="Install tab completion for your shell (bash, zsh or fish): commands, "
            "options, booking ids, customers and SKUs.",
        ),
    ] = False,
    show_completion: Annotated[
        bool,
        typer.Option(
            "--show-completion",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help="Print the tab completion script for your shell, to install it yourself.",
        ),
    ] = False,
) -> None:
    """olshop: customers, stock and bookings for a solo online seller.

    Start with `olshop demo` in an empty folder (OLSHOP_HOME=demo-shop), then `olshop today`.
    """
    from olshop_cli.cli.common import set_home

    set_home(home)


def main() -> None:
    """Entry point of the `olshop` console script."""
    import gc

    # A command lives for a fraction of a second and its data has no reference cycles:
    # the cycle collector would only re-scan the freshly parsed ledger, again and again.
    gc.disable()
    app()
