"""A first run that guides: `olshop init`, the hint on a folder without a shop, tab
completion, the short options, and the start-of-day script."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import olshop_cli
from olshop_cli import settings
from olshop_cli.cli import app
from olshop_cli.cli.common import NO_SHOP_HINT
from olshop_cli.errors import InputError
from olshop_cli.hours import parse_hours, to_dict
from olshop_cli.ledger import Ledger

# the interface language and the catalog check reach a process started with a clean env
KEEP_ENV = ("OLSHOP_UI_LANG", "OLSHOP_I18N_MISSING")

SRC = str(Path(olshop_cli.__file__).parents[1])
ROOT = Path(SRC).parent
MONDAY_8AM = "2026-11-23T08:00:00+07:00"


def settings_of(shop) -> dict:
    return json.loads(shop("config get --json", ok=True).stdout)


def hours_of(shop) -> dict:
    return json.loads(shop("hours --json", ok=True).stdout)


@pytest.fixture
def terminal(monkeypatch):
    """Someone at the keyboard: init asks (CliRunner's stdin is a pipe, not a terminal)."""
    monkeypatch.setattr("olshop_cli.cli.shop.stdin_is_terminal", lambda: True)


# ----- init: the domain --------------------------------------------------------------------


def test_checked_setup_stores_what_config_and_hours_would():
    stored = settings.checked_setup(
        {"shop-name": " Dapur Mungil ", "hours": "senin-jumat 8-17", "lang": "EN"}
    )
    assert stored == {
        "shop-name": "Dapur Mungil",
        "hours": to_dict(parse_hours("mon-fri 08:00-17:00")),
        "lang": "en",
    }


@pytest.mark.parametrize(
    ("key", "typed", "phrase"),
    [
        ("deadline", "2x", "Cannot read '2x' as a duration"),
        ("lang", "jv", "Unknown language 'jv'"),
        ("ui-lang", "fr", "Unknown language 'fr'"),
        ("hours", "mon 17-08", "must end after it starts"),
    ],
)
def test_checked_setup_refuses_a_bad_value(key, typed, phrase):
    with pytest.raises(InputError, match=re.escape(phrase)):
        settings.checked_setup({"shop-name": "Toko", key: typed})


def test_set_up_stores_only_what_changed_and_says_what():
    ledger = Ledger()
    ledger.set_setting("deadline", "2d")
    ledger.dirty = False

    changed = ledger.set_up({"shop-name": "Toko", "deadline": "2d", "lang": "id",
                             "hours": "sabtu 9-12"})  # fmt: skip

    assert changed == {"shop-name": "Toko", "hours": "sat 09:00-12:00"}
    assert ledger.dirty
    assert ledger.settings["hours"] == to_dict(parse_hours("sat 09:00-12:00"))
    ledger.dirty = False
    assert ledger.set_up({"shop-name": "Toko", "hours": "sat 09:00-12:00"}) == {}
    assert not ledger.dirty


def test_set_up_checks_every_value_before_storing_any():
    ledger = Ledger()

    with pytest.raises(InputError):
        ledger.set_up({"shop-name": "Toko", "bank": "BCA 1", "deadline": "soon"})

    assert ledger.settings == {} and not ledger.dirty


def test_setup_text_is_the_stored_value_or_the_default():
    stored = {"deadline": "2d", "hours": to_dict(parse_hours("sat 09:00-12:00"))}
    assert settings.setup_text(stored, "deadline") == "2d"
    assert settings.setup_text(stored, "lang") == "id"
    assert settings.setup_text(stored, "hours") == "sat 09:00-12:00"
    assert settings.setup_text({}, "hours") == ""
    assert settings.setup_text({"hours": {"someday": []}}, "hours") == ""  # unreadable: ask


# ----- init: the command ---------------------------------------------------------------------

FLAGS = [
    "init",
    "--name", "Dapur Mungil",
    "--bank", "BCA 1234567890 a.n. Siti",
    "--hours", "mon-fri 08:00-17:00; sat 09:00-12:00",
    "--deadline", "2d",
    "--lang", "en",
    "--ui-lang", "en",
]  # fmt: skip


def test_init_with_options_sets_everything_in_one_change(shop):
    result = shop(FLAGS, ok=True)

    assert result.stdout == ""
    assert "6 settings saved in one change" in result.stderr
    assert "Shop ready in" in result.stderr and "Next: add what you sell" in result.stderr
    values = settings_of(shop)
    assert values["shop-name"] == "Dapur Mungil"
    assert values["bank"] == "BCA 1234567890 a.n. Siti"
    assert (values["deadline"], values["lang"], values["ui-lang"]) == ("2d", "en", "en")
    assert hours_of(shop) == to_dict(parse_hours("mon-fri 08:00-17:00; sat 09:00-12:00"))

    shop("undo", ok=True)  # one change: one undo takes all of it back
    assert settings_of(shop) == settings.DEFAULTS
    assert hours_of(shop) == {}


def test_init_asks_in_a_terminal_showing_the_defaults(shop, terminal):
    answers = "Toko Siti\nBCA 555 a.n. Siti\nsenin-jumat 8-17\n\n\n\n"

    result = shop.runner.invoke(app, ["init"], input=answers)

    assert result.exit_code == 0, result.stderr
    assert "Set up your shop" in result.stderr
    assert "Shop name (in messages to buyers):" in result.stderr  # no default: no brackets
    assert "Time to pay after booking (24h, 2d...) [24h]:" in result.stderr
    assert "Language of messages to buyers (id or en) [id]:" in result.stderr
    assert "Language olshop speaks to you (id or en) [id]:" in result.stderr
    values = settings_of(shop)
    assert (values["shop-name"], values["bank"]) == ("Toko Siti", "BCA 555 a.n. Siti")
    assert values["deadline"] == "24h"  # Enter kept the default
    assert hours_of(shop) == to_dict(parse_hours("mon-fri 08:00-17:00"))
    assert "3 settings saved in one change" in result.stderr


def test_init_asks_again_after_an_answer_it_cannot_store(shop, terminal):
    answers = "Toko\n\n\n2x\n3d\njawa\nen\n\n"

    result = shop.runner.invoke(app, ["init"], input=answers)

    assert result.exit_code == 0, result.stderr
    assert "Error: Cannot read '2x' as a duration." in result.stderr
    assert "Error: Unknown language 'jawa'." in result.stderr
    assert result.stderr.count("Time to pay after booking") == 2
    values = settings_of(shop)
    assert (values["deadline"], values["lang"]) == ("3d", "en")


def test_init_asks_only_what_the_options_leave_out(shop, terminal):
    result = shop.runner.invoke(
        app, ["init", "--name", "Toko", "--deadline", "2d"], input="\n\n\n\n"
    )

    assert result.exit_code == 0, result.stderr
    assert "Shop name" not in result.stderr and "Time to pay" not in result.stderr
    assert "Bank account for payments" in result.stderr
    assert (settings_of(shop)["shop-name"], settings_of(shop)["deadline"]) == ("Toko", "2d")


def test_init_run_again_shows_the_current_values_and_changes_only_what_is_typed(shop, terminal):
    shop(FLAGS, ok=True)
    versions = len(json.loads(shop("backup list --json", ok=True).stdout))

    result = shop.runner.invoke(app, ["init"], input="\n\n\n\n\n\n")

    assert result.exit_code == 0, result.stderr
    for shown in (
        "[Dapur Mungil]",
        "[BCA 1234567890 a.n. Siti]",
        "[mon-fri 08:00-17:00; sat 09:00-12:00]",
        "[2d]",
        "[en]",
    ):
        assert shown in result.stderr, shown
    assert "Nothing changed" in result.stderr
    assert len(json.loads(shop("backup list --json", ok=True).stdout)) == versions

    changed = shop.runner.invoke(app, ["init"], input="\nBRI 777 a.n. Siti\n\n\n\n\n")

    assert "bank = BRI 777 a.n. Siti" in changed.stderr
    assert "1 setting saved" in changed.stderr
    assert settings_of(shop)["shop-name"] == "Dapur Mungil"  # kept


@pytest.mark.parametrize("args", [["init"], ["init", "--yes"], ["init", "-y"]])
def test_init_without_a_terminal_asks_nothing(shop, args):
    result = shop(args, ok=True)  # CliRunner's stdin is no terminal

    assert "Shop name" not in result.stderr and "Set up your shop" not in result.stderr
    assert "Shop ready in" in result.stderr
    assert settings_of(shop) == settings.DEFAULTS
    assert shop.home.joinpath("olshop.json").exists()


def test_init_yes_asks_nothing_even_in_a_terminal(shop, terminal):
    result = shop(["init", "--yes", "--name", "Toko"], ok=True)

    assert "Set up your shop" not in result.stderr
    assert settings_of(shop)["shop-name"] == "Toko"


@pytest.mark.parametrize(
    ("option", "value", "phrase"),
    [
        ("--deadline", "2x", "Cannot read '2x' as a duration"),
        ("--lang", "jv", "Unknown language 'jv'"),
        ("--ui-lang", "fr", "Unknown language 'fr'"),
        ("--hours", "mon 25:00-26:00", "is not a real time of day"),
    ],
)
def test_init_refuses_a_bad_value_and_leaves_the_ledger(shop, option, value, phrase):
    shop.refused(["init", "--name", "Toko", option, value], phrase)  # no ledger yet: none made
    assert not shop.home.exists()

    shop(["init", "--name", "Toko"], ok=True)
    shop.refused(["init", "--name", "Other", option, value], phrase)  # an existing shop
    assert settings_of(shop)["shop-name"] == "Toko"


def test_init_in_a_real_process_with_options(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OLSHOP_") or k in KEEP_ENV}
    env.update(OLSHOP_HOME=str(tmp_path / "shop"), OLSHOP_UI_LANG="en", PYTHONPATH=SRC)
    run = [sys.executable, "-m", "olshop_cli"]

    made = subprocess.run([*run, *FLAGS], env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip

    assert made.returncode == 0, made.stderr
    assert "6 settings saved" in made.stderr
    got = subprocess.run([*run, "config", "get", "-j"], env=env, capture_output=True, text=True,
                         timeout=60)  # fmt: skip
    assert json.loads(got.stdout)["bank"] == "BCA 1234567890 a.n. Siti"


# ----- the hint where a first run looks ----------------------------------------------------


def test_olshop_alone_without_a_shop_says_to_run_init(shop):
    result = shop([])

    assert result.exit_code == 2  # as before: the help, for no command
    assert "Usage:" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == NO_SHOP_HINT
    assert "olshop init" in last and "olshop demo" in last
    assert not shop.home.exists()


def test_olshop_alone_with_a_shop_gives_only_the_help(shop):
    shop("init --name Toko", ok=True)

    result = shop([])

    assert "Usage:" in result.stderr and "olshop init" not in result.stderr.splitlines()[-1]


def test_today_without_a_shop_says_to_run_init_and_still_works(shop):
    result = shop("today", ok=True)

    assert result.stderr.strip().splitlines() == [NO_SHOP_HINT]
    assert "Nothing needs you right now." in result.stdout

    again = shop("today", ok=True)  # the ledger exists now: no hint
    assert NO_SHOP_HINT not in again.stderr


def test_today_json_without_a_shop_stays_valid_json(shop):
    result = shop("today --json", ok=True)

    assert json.loads(result.stdout)["counts"]["overdue"] == 0
    assert NO_SHOP_HINT in result.stderr


def test_commands_that_create_the_ledger_still_do_without_init(shop):
    shop('customer add "Mike Tan"', ok=True)
    shop("product add PAN-24 Wajan --price 150rb --stock 2", ok=True)

    assert shop("book mike PAN-24", ok=True).stdout.strip() == "B1"


# ----- tab completion, through the shell's own protocol ------------------------------------


@pytest.fixture
def demo_env(tmp_path) -> dict:
    """A demo shop and the environment of a real `olshop` process on it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OLSHOP_", "_OLSHOP"))}
    env.update(OLSHOP_HOME=str(tmp_path / "demo"), OLSHOP_NOW=MONDAY_8AM, PYTHONPATH=SRC,
               OLSHOP_UI_LANG="en", HOME=str(tmp_path / "user"))  # fmt: skip
    made = olshop(env, "demo")
    assert made.returncode == 0, made.stderr
    return env


def olshop(env: dict, *args: str, **more: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "olshop_cli", *args],
        env=dict(env, **more),
        capture_output=True,
        text=True,
        timeout=60,
    )


def bash_complete(env: dict, line: str) -> list[str]:
    """What TAB offers at the end of `line`, as bash asks for it."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    done = olshop(env, _OLSHOP_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(cword))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("olshop sh", ["show", "ship"]),
        ("olshop show B", ["B2", "B3", "B4", "B5", "B6", "B7"]),
        ("olshop show b", ["b2", "b3", "b4", "b5", "b6", "b7"]),
        ("olshop pay ", ["B2", "B3", "B4", "B5"]),  # unpaid only
        ("olshop ship ", ["B6"]),  # paid
        ("olshop done ", ["B7"]),  # shipped
        ("olshop remind B", ["B2", "B3", "B4", "B5"]),
        ("olshop edit B", ["B2", "B3", "B4", "B5", "B6", "B7"]),
        ("olshop book ", ["agus", "budi", "dewi", "mike", "rina", "siti"]),
        ("olshop book m", ["mike"]),
        ("olshop customer show ri", ["rina"]),
        ("olshop bookings --customer d", ["dewi"]),
        ("olshop reply greet --to s", ["siti"]),
        ("olshop reply paid -b B6", ["B6"]),
        ("olshop book mike PAN", ["PAN-24", "PAN-28", "PANCI-18"]),
        ("olshop book mike PAN-24:", []),
        ("olshop product show pan-2", ["pan-24", "pan-28"]),
        ("olshop product stock T", ["TEF-SET"]),
        ("olshop ship B6 --c", ["--courier", "--cod"]),
        ("olshop nosuch ", []),
    ],
)
def test_bash_completion_offers_what_the_ledger_holds(demo_env, line, offered):
    assert bash_complete(demo_env, line) == offered


def test_completion_respects_home_and_creates_no_ledger(demo_env, tmp_path):
    elsewhere = tmp_path / "empty"

    assert bash_complete(demo_env, f"olshop --home {elsewhere} show ") == []
    assert not elsewhere.exists()
    assert bash_complete(demo_env, f"olshop --home {demo_env['OLSHOP_HOME']} ship ") == ["B6"]


def test_zsh_and_fish_completion_give_the_buyers_names(demo_env):
    zsh = olshop(demo_env, _OLSHOP_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="olshop ship ")
    assert '"B6":"Agus Pratama · paid"' in zsh.stdout

    fish = olshop(demo_env, _OLSHOP_COMPLETE="complete_fish", _TYPER_COMPLETE_FISH_ACTION=
                  "get-args", _TYPER_COMPLETE_ARGS="olshop book mike S")  # fmt: skip
    assert fish.stdout.splitlines() == ["SPAT-1\tSpatula silikon anti gores"]


def test_show_and_install_completion_for_bash(demo_env, tmp_path):
    if not shutil.which("bash"):
        pytest.skip("no bash here")
    command = f"{sys.executable} -m olshop_cli"
    shown = subprocess.run(["bash", "-c", f"{command} --show-completion"], env=demo_env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "_OLSHOP_COMPLETE=complete_bash" in shown.stdout
    assert "complete -o default -F _olshop_completion olshop" in shown.stdout

    done = subprocess.run(["bash", "-c", f"{command} --install-completion"], env=demo_env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    script = tmp_path / "user" / ".bash_completions" / "olshop.sh"
    assert script.read_text().strip() == shown.stdout.strip()
    assert f"source '{script}'" in (tmp_path / "user" / ".bashrc").read_text()
    assert "Tab completion for bash installed" in done.stderr


def test_the_script_of_any_shell_without_guessing(demo_env):
    zsh = olshop(demo_env, _OLSHOP_COMPLETE="source_zsh")
    assert "#compdef olshop" in zsh.stdout and "_OLSHOP_COMPLETE=complete_zsh" in zsh.stdout


def test_a_normal_run_loads_no_completion_code():
    code = (
        "import sys; from olshop_cli.cli import main; sys.argv = ['olshop', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m in "
        "('olshop_cli.complete', 'olshop_cli.cli.shell', 'olshop_cli.store')))"
    )
    env = dict(os.environ, PYTHONPATH=SRC)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# ----- short options -------------------------------------------------------------------------

SETUP = [
    ["product", "add", "PAN-24", "Wajan", "--price", "150rb", "--stock", "5"],
    ["customer", "add", "Mike Tan", "--phone", "0812-3456-7890"],
    ["book", "mike", "PAN-24"],
    ["book", "mike", "PAN-24", "--deadline", "24h"],  # B2: booked on Friday, overdue now
    ["pay", "B1"],
]
FRIDAY = "2026-11-20T08:00:00+07:00"


@pytest.mark.parametrize(
    ("short", "long", "then"),
    [
        (["pay", "B2", "-a", "50rb"], ["pay", "B2", "--amount", "50rb"], "show B2 -j"),
        (["book", "mike", "PAN-24", "-d", "besok 17:00"],
         ["book", "mike", "PAN-24", "--deadline", "besok 17:00"], "show B3 -j"),
        (["book", "mike", "PAN-24", "-c", "JNE", "--ongkir", "18rb"],
         ["book", "mike", "PAN-24", "--courier", "JNE", "--ongkir", "18rb"], "show B3 -j"),
        (["extend", "B2", "-d", "lusa"], ["extend", "B2", "--to", "lusa"], "show B2 -j"),
        (["edit", "B2", "-d", "lusa", "-c", "J&T"],
         ["edit", "B2", "--deadline", "lusa", "--courier", "J&T"], "show B2 -j"),
        (["ship", "B1", "-c", "JNE", "-r", "JN123"],
         ["ship", "B1", "--courier", "JNE", "--tracking", "JN123"], "show B1 -j"),
        (["cancel", "B1", "--refund", "-a", "100rb"],
         ["cancel", "B1", "--refund", "--amount", "100rb"], "show B1 -j"),
        (["reply", "thanks", "-t", "mike"], ["reply", "thanks", "--to", "mike"], "bookings -j"),
        (["reply", "remind", "-b", "B2"], ["reply", "remind", "--booking", "B2"], "bookings -j"),
        (["remind", "--overdue", "-n"], ["remind", "--overdue", "--dry-run"], "show B2 -j"),
        (["release", "B2", "-n"], ["release", "B2", "--dry-run"], "show B2 -j"),
        (["today", "-j"], ["today", "--json"], "bookings -j"),
        (["customer", "show", "mike", "-j"], ["customer", "show", "mike", "--json"], "pack -j"),
        (["init", "-y", "--name", "Toko"], ["init", "--yes", "--name", "Toko"], "config get -j"),
    ],
)  # fmt: skip
def test_a_short_option_means_the_same_as_the_long_one(shop, monkeypatch, short, long, then):
    seen = []
    for args in (short, long):
        home = shop.home.parent / f"shop-{len(seen)}"
        monkeypatch.setenv("OLSHOP_HOME", str(home))
        for line in SETUP:
            shop(line, now=FRIDAY, ok=True)
        shop.set_now(MONDAY_8AM)
        result = shop(args, ok=True)
        seen.append((result.stdout, result.stderr.replace(str(home), "HOME"), shop(then).stdout))
    assert seen[0] == seen[1]


def _short_options() -> dict[str, dict[str, set[str]]]:
    """letter -> long option -> the commands that have it."""
    found: dict[str, dict[str, set[str]]] = {}

    def walk(command, path):
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), (*path, name))
        for param in command.params:
            names = param.opts + param.secondary_opts
            for short in (n for n in names if len(n) == 2 and n != "-h"):
                longs = [n for n in names if n.startswith("--")]
                found.setdefault(short, {}).setdefault(longs[0], set()).add(" ".join(path))

    walk(typer.main.get_command(app), ())
    return found


def test_no_option_clashes_within_a_command():
    def walk(command, path):
        names = [n for p in command.params for n in p.opts + p.secondary_opts]
        assert len(names) == len(set(names)), (path, names)
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), (*path, name))

    walk(typer.main.get_command(app), ())


def test_a_letter_means_one_thing_and_the_readme_lists_every_one():
    found = _short_options()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Short options", 1)[1].split("###", 1)[0]
    rows = re.findall(r"^\| `(-\w)` \| `(--[\w-]+)`", section, flags=re.MULTILINE)

    for letter, longs in found.items():
        if letter == "-d":  # extend's deadline is its --to
            assert set(longs) == {"--deadline", "--to"} and longs["--to"] == {"extend"}
        else:
            assert len(longs) == 1, (letter, longs)
    assert {letter: long for letter, long in rows} == {
        letter: "--deadline" if letter == "-d" else next(iter(longs))
        for letter, longs in found.items()
    }
    assert found["-j"]["--json"] >= {"today", "bookings", "show", "pay", "customer show"}


# ----- the start-of-day script ---------------------------------------------------------------


def test_the_start_of_day_script_shows_each_list_once(demo_env, tmp_path, olshop_cmd):
    env = dict(demo_env, NO_COLOR="1", PATH=f"{Path(olshop_cmd).parent}{os.pathsep}"
               f"{os.environ.get('PATH', '')}")  # fmt: skip
    done = subprocess.run(["sh", str(ROOT / "examples" / "start-of-day.sh")], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip

    assert done.returncode == 0, done.stderr
    out = done.stdout
    for heading in (
        "Overdue: unpaid past the deadline",
        "Due within 24 hours",
        "Paid: pack and ship",
        "Shipped: mark done when it arrives",
        "Sold out but still listed",
        "== Messages for buyers who have not paid",
    ):
        assert out.count(heading) == 1, heading
    rows = out.splitlines()
    assert sum(row.startswith("B6 ") for row in rows) == 1  # the one paid booking
    assert sum(row.startswith("TEF-SET ") for row in rows) == 1  # a sold-out product
