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


def report(exc: OlshopError) -> None:
    """One sentence on what was wrong, then what to type instead."""
    sys.stderr.write(f"Error: {exc.message}\n")
    if exc.hint:
        sys.stderr.write(f"  {exc.hint}\n")


# Every command, in the order `olshop --help` lists them: name -> (module in olshop_cli.cli,
# attribute: a command function or a Typer sub-app).
COMMANDS: dict[str, tuple[str, str]] = {
    "today": ("shop", "today"),
    "book": ("booking", "book"),
    "bookings": ("booking", "bookings"),
    "show": ("booking", "show"),
    "pay": ("booking", "pay"),
    "ship": ("booking", "ship"),
    "done": ("booking", "done"),
    "cancel": ("booking", "cancel"),
    "extend": ("booking", "extend"),
    "remind": ("booking", "remind"),
    "release": ("booking", "release"),
    "pack": ("pack", "pack"),
    "report": ("reports", "report"),
    "reply": ("reply", "reply"),
    "templates": ("reply", "templates_app"),
    "customer": ("customer", "app"),
    "product": ("product", "app"),
    "config": ("shop", "config_app"),
    "hours": ("shop", "hours_app"),
    "undo": ("safety", "undo"),
    "backup": ("safety", "backup_app"),
    "doctor": ("safety", "doctor"),
    "export": ("safety", "export"),
    "import": ("safety", "import_"),
    "path": ("shop", "path"),
    "demo": ("shop", "demo"),
}


def load_command(name: str):
    """The click command for `name`, built from its module on first use."""
    module_name, attribute = COMMANDS[name]
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


class OlshopGroup(TyperGroup):
    """Runs every command; refusals become a message and exit 1, never a traceback."""

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in self.commands and name in COMMANDS:
            self.commands[name] = load_command(name)
        return self.commands.get(name)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS))
            suggestion = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{suggestion}")
        return super().resolve_command(ctx, args)

    def main(self, args=None, *rest, **kwargs):
        from olshop_cli.cli.common import set_command_line

        set_command_line(sys.argv[1:] if args is None else args)
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
            except Exception:  # noqa: BLE001 - the message must come out whatever happened
                where = "its folder"
            sys.stderr.write(
                f"Error: olshop failed unexpectedly ({type(exc).__name__}: {exc}).\n"
                f"  Your ledger at {where} is intact: changes are saved all or nothing.\n"
                "  Run again with OLSHOP_DEBUG=1 to see the details for a bug report.\n"
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
