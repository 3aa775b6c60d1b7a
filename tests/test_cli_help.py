"""Every command explains itself: help text on each command, sub-command and parameter."""

from __future__ import annotations

import sys

import pytest
import typer

from olshop_cli.cli import app


def walk(command, path=()):
    """Yield (path, command) for the root command and everything below it."""
    yield path, command
    if hasattr(command, "list_commands"):
        for name in command.list_commands(None):
            yield from walk(command.get_command(None, name), (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))
IDS = [" ".join(path) or "olshop" for path, _ in COMMANDS]


def test_the_walk_finds_the_contracted_commands():
    found = {" ".join(path) for path, _ in COMMANDS}
    for name in (
        "customer add",
        "customer list",
        "customer show",
        "customer edit",
        "customer rm",
        "product add",
        "product list",
        "product show",
        "product edit",
        "product stock",
        "product rm",
        "config get",
        "config set",
        "hours set",
        "book",
        "bookings",
        "path",
        "today",
    ):
        assert name in found


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_has_help_text(path, command):
    assert (command.help or "").strip(), f"`olshop {' '.join(path)}` has no help text"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_parameter_has_help_text(path, command):
    bare = [p.name for p in command.params if not (getattr(p, "help", None) or "").strip()]
    assert bare == [], f"`olshop {' '.join(path)}`: no help for {bare}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_option_exits_0_and_shows_usage(shop, path, command):
    result = shop([*path, "--help"])

    assert result.exit_code == 0, result.stderr
    assert "Usage:" in result.stdout
    # the English original: a command's help is put in the current language when fetched
    english = getattr(command, "_olshop_english", None) or {"help": command.help}
    first_line = english["help"].strip().splitlines()[0]
    assert first_line.split()[0] in result.stdout
    assert not shop.home.exists(), "--help must not create a ledger"


def test_version(shop):
    result = shop("--version", ok=True)

    assert result.stdout.startswith("olshop ")
    assert result.stdout.split()[1][0].isdigit()


def test_the_command_list_says_what_each_command_says_of_itself():
    """`olshop --help` lists the commands from COMMANDS without importing them: each summary
    there is the first paragraph of the command's own help."""
    import inspect

    from olshop_cli.cli import COMMANDS, load_command

    for name, (_, _, summary) in COMMANDS.items():
        own = inspect.cleandoc(load_command(name).help or "").split("\n\n")[0]
        assert summary == " ".join(own.split()), name


def test_help_lists_every_command_without_importing_them():
    import subprocess

    code = (
        "import sys; from olshop_cli.cli import main; sys.argv = ['olshop', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('olshop_cli.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert "today      Start of the day: overdue" in out and "demo " in out
    loaded = out.strip().splitlines()[-1]
    # shared helpers and the help's own words only: no command's module
    assert loaded == "['olshop_cli.cli.common', 'olshop_cli.cli.helptext']"
