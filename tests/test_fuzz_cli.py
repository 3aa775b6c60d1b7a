"""Hostile input through the real command-line parser (issue 14): every command and option,
given generated values (control characters, digits of other scripts, look-alikes, huge
numbers, empty and huge strings, bytes that are not UTF-8), ends in one sentence, never a
traceback: exit 0, 1 or 2, nothing raw for the terminal, and a refused command leaves the
ledger byte-identical."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from olshop_cli.cli import app

EXAMPLES = int(os.environ.get("OLSHOP_FUZZ_EXAMPLES", "2000"))
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NOW = "2026-11-23T08:00:00+07:00"
# Commands that would leave the test's world: an editor, the clipboard, a demo folder.
SKIP = {("templates", "edit"), ("demo",)}

NASTY = [
    "",
    " ",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x07\x08\x7f\x85\x9b31m",
    "\u202emike",
    "mike\u200b",
    "PAN\u201124",
    "ＰＡＮ－２４",
    "²",
    "١٢",
    "-1",
    "0",
    "1.5",
    "1e9",
    "9" * 25,
    "18446744073709551616",
    "-" * 3,
    "--",
    "0001-01-01",
    "9999-12-31",
    "31/12/99",
    "jam 13 pagi",
    "x" * 5000,
    "B\udcff",
    "\udcff\udcfe",
    "Mars/Olympus",
    "nan",
    "inf",
    "../../etc/passwd",
    "150rb",
    "PAN-24:2@",
    "PAN-24:²",
    "mike",
    "B1",
    "PAN-24",
    "SPAT-1",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12).map(lambda s: s + "\x1b[31m"),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _commands() -> list[tuple[tuple[str, ...], object]]:
    """Every command of the app, by its path (`("customer", "add")`)."""
    root = typer_command()
    found = []

    def walk(group, path: tuple[str, ...]) -> None:
        ctx = typer.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None:
                continue
            here = (*path, name)
            if hasattr(command, "list_commands"):  # a group of commands
                walk(command, here)
            elif here not in SKIP and here[:1] not in SKIP:
                found.append((here, command))

    walk(root, ())
    return found


def typer_command():
    import typer.main

    return typer.main.get_command(app)


COMMANDS = _commands()


@st.composite
def command_lines(draw) -> list[str]:
    """A command with a value for each of its arguments and some of its options."""
    path, command = draw(st.sampled_from(COMMANDS))
    argv = list(path)
    for param in command.params:
        if param.param_type_name == "argument":
            count = 1 if param.nargs == 1 else draw(st.integers(0, 3))
            argv += [draw(VALUES) for _ in range(count)]
    options = [p for p in command.params if p.param_type_name == "option" and p.opts]
    for option in draw(st.lists(st.sampled_from(options), max_size=3)) if options else []:
        name = option.opts[-1]
        if option.is_flag or option.count:
            argv.append(name)
        else:
            argv += [name, draw(VALUES)]
    return argv


def _ledger_bytes(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*.json"))}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One shop for all examples (a few customers, products and bookings), and a working
    folder for anything a command writes (`export -o NAME`)."""
    base = tmp_path_factory.mktemp("fuzz")
    home, work = base / "shop", base / "work"
    work.mkdir()
    runner = CliRunner()
    env = {"OLSHOP_HOME": str(home), "OLSHOP_NOW": NOW, "OLSHOP_LOCK_TIMEOUT": "1",
           "EDITOR": "true", "VISUAL": "true", "NO_COLOR": "1"}  # fmt: skip
    for line in (
        ["customer", "add", "Mike Tan", "--key", "mike", "--phone", "0812-3456-7890"],
        ["customer", "add", "Siti Rahmawati", "--key", "siti"],
        ["product", "add", "PAN-24", "Wajan 24 cm", "--price", "150rb", "--stock", "50"],
        ["product", "add", "SPAT-1", "Spatula", "--price", "35rb", "--stock", "50"],
        ["book", "mike", "PAN-24"],
        ["book", "siti", "SPAT-1:2"],
        ["pay", "B2"],
    ):
        result = runner.invoke(app, line, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    return home, work, runner, env


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("OLSHOP_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_any_command_line_ends_in_a_sentence(world, argv):
    home, work, runner, env = world
    before = _ledger_bytes(home)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = runner.invoke(app, argv, env=env, catch_exceptions=False)
    finally:
        os.chdir(cwd)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(exist_ok=True)
    shown = (argv, result.exit_code, result.stdout[-500:], result.stderr[-800:])
    assert result.exit_code in (0, 1, 2), shown
    assert "failed unexpectedly" not in result.stderr, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    found = RAW.search(result.stdout + result.stderr)
    assert found is None, (repr(found.group()) if found else None, shown)
    if result.exit_code != 0:
        assert _ledger_bytes(home) == before, shown
