"""Tab completion in bash, zsh and fish, through Typer's own mechanism.

Imported only when it is needed: when the shell asks for completions ($_OLSHOP_COMPLETE
set, see OlshopGroup) and for --install-completion / --show-completion. A normal run never
loads it, nor Typer's completion code, so start-up stays as fast as before.

The script Typer writes calls `olshop` with $_OLSHOP_COMPLETE=complete_bash (or _zsh,
_fish) and the words typed so far; `_OLSHOP_COMPLETE=source_bash olshop` prints the script
itself, for any shell, without guessing which one runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from olshop_cli.cli import COMPLETE_VAR, PROG, report
from olshop_cli.errors import InputError
from olshop_cli.i18n import _

SHELLS = ("bash", "zsh", "fish")


def prepare() -> None:
    """Register Typer's completion classes (its own bash, zsh and fish protocols)."""
    from typer.completion import completion_init

    completion_init()


def shell_name() -> str:
    """The shell olshop runs in: as Typer finds it (the parent processes), else $SHELL."""
    from typer._completion_shared import _get_shell_name

    name = _get_shell_name() or Path(os.environ.get("SHELL", "")).name
    if name not in SHELLS:
        report(
            InputError(
                _("Tab completion works in bash, zsh and fish, not in '{shell}'.").format(
                    shell=name or "?"
                )
                if name
                else _("Could not tell which shell this is (bash, zsh or fish)."),
                _(
                    "Run it from that shell, or print its script: "
                    "_OLSHOP_COMPLETE=source_bash olshop (or source_zsh, source_fish)."
                ),  # fmt: skip
            )
        )
        raise typer.Exit(1)
    return name


def show_completion() -> None:
    """Print the completion script for this shell, then stop."""
    from typer._completion_shared import get_completion_script

    prepare()
    script = get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell_name())
    typer.echo(script)
    raise typer.Exit()


def install_completion() -> None:
    """Install the completion script where this shell reads it at start, then stop."""
    from typer._completion_shared import install

    prepare()
    shell, path = install(shell=shell_name(), prog_name=PROG, complete_var=COMPLETE_VAR)
    typer.echo(
        _("Tab completion for {shell} installed in {path}.").format(shell=shell, path=path),
        err=True,
    )
    typer.echo(_("It works in a new terminal (open one, or restart this one)."), err=True)
    raise typer.Exit()
