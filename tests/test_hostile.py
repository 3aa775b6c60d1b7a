"""Text from buyers' chats and imported files cannot drive the seller's terminal (issue 14,
first part): escape sequences and control characters never reach stdout or stderr raw."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest

from olshop_cli.output import safe, safe_json

# What a terminal acts on: C0 but tab and newline, ESC, DEL, C1, bidirectional controls.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# A buyer's name as it might arrive from a chat: a window title (OSC), a clear screen (CSI),
# a bell, a C1 control and a right-to-left override.
NAME = "Mike\x1b]0;pwned\x07 \x1b[2JTan\x90\u202eX\x07"
NOTE = "gift\x1b[8m hidden\x1b[0m\rwrap\x9b31m"


def assert_clean(result, csv_out: bool = False) -> None:
    """Nothing raw for the terminal; a CSV may keep a carriage return inside a quoted cell
    (part of the value, so that the export imports back exactly)."""
    for stream, raw in ((result.stdout, RAW_IN_CSV if csv_out else RAW), (result.stderr, RAW)):
        found = raw.search(stream)
        assert found is None, (repr(found.group()), stream)


RAW_IN_CSV = re.compile(RAW.pattern.replace("\x0b-\x1f", "\x0b\x0c\x0e-\x1f"))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Mike Tan", "Mike Tan"),
        ("Mike\x1b[2J Tan", "Mike Tan"),
        ("Mike\x1b]0;title\x07 Tan", "Mike Tan"),
        ("Mike\x1b]8;;http://x\x1b\\ Tan", "Mike Tan"),
        ("Mi\x07ke\x85 \u202eTan\u2066", "Mike Tan"),
        ("a\tb", "a b"),
        ("two\nlines\r", "two\nlines"),
        ("Siti\x9b31m Aminah", "Siti Aminah"),
        ("Dewi \u00a0Lestari ✓", "Dewi \u00a0Lestari ✓"),  # printable, kept as typed
    ],
)
def test_safe_keeps_the_text_and_drops_what_acts_on_a_terminal(text, shown):
    assert safe(text) == shown
    assert safe(text, one_line=True) == shown.replace("\n", " ")


def test_safe_json_is_the_same_json_without_raw_controls():
    data = {"name": NAME, "note": NOTE}
    text = safe_json(json.dumps(data, ensure_ascii=False))
    assert RAW.search(text) is None
    assert json.loads(text) == data


@pytest.fixture
def hostile(shop):
    shop(["customer", "add", NAME, "--key", "mike", "--phone", "0812-3456-7890"], ok=True)
    shop(["product", "add", "PAN-24", "Wajan\x1b[31m 24\x07", "--price", "150rb", "--stock", "3"],
         ok=True)  # fmt: skip
    shop(["book", "mike", "PAN-24", "--note", NOTE], ok=True)
    return shop


@pytest.mark.parametrize(
    "command",
    [
        "customer list",
        "customer show mike",
        "bookings",
        "show B1",
        "today",
        "product list",
        "reply greet --to mike",
        "reply remind --booking B1",
        "report",
        "bookings --json",
        "customer show mike --json",
        "show B1 --json",
        "export",
        "export --table bookings",
        "export --format csv --table customers",
        "export --format csv",
    ],
)
def test_a_hostile_name_and_note_never_reach_the_terminal_raw(hostile, command):
    result = hostile(command, ok=True)
    assert_clean(result, csv_out="csv" in command)
    if "csv" in command:
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    if "--json" in command or command.startswith("export"):
        return
    assert "Mike" in result.stdout + result.stderr or command.startswith(("product", "report"))


def test_json_keeps_what_was_typed(hostile):
    shown = json.loads(hostile("customer show mike --json", ok=True).stdout)
    assert shown["name"] == NAME  # the same value, its controls written as \u escapes
    (booking,) = json.loads(hostile("bookings --json", ok=True).stdout)
    assert booking["note"] == NOTE and booking["customer_name"] == NAME
    exported = json.loads(hostile("export", ok=True).stdout)
    assert exported["customers"][0]["name"] == NAME


def test_messages_after_a_change_are_clean(hostile):
    shipped = ["ship", "B1", "--courier", "JNE", "--tracking", "JN1\x1b[2J"]
    for args in (["pay", "B1"], ["pack"], shipped, ["show", "B1"], ["done", "B1"]):
        assert_clean(hostile(args, ok=True))
    assert_clean(hostile(["customer", "edit", "mike", "--note", "call\x1b]0;x\x07 first"], ok=True))


@pytest.mark.parametrize(
    "args",
    [
        ["show", "B1\x1b[2J"],
        ["book", "nobody\x1b]0;pwned\x07", "PAN-24"],
        ["book", "mike", "PAN\x1b[2J-24"],
        ["customer", "show", "\x85\u202enobody"],
        ["pay", "B1", "--amount", "10\x1b[2Jrb"],
        ["customer", "add", "Siti", "--bogus\x1b[2J"],  # click's own message
        ["no-such-command\x07"],
    ],
)
def test_refusals_name_the_bad_value_without_its_controls(hostile, args):
    before = hostile.ledger_bytes()
    result = hostile(args)
    assert result.exit_code in (1, 2), (result.stdout, result.stderr)
    assert result.stderr.strip(), "a refusal says why"
    assert_clean(result)
    assert hostile.ledger_bytes() == before


def test_as_a_real_process_nothing_raw_reaches_the_terminal(hostile, shop_home):
    """Through the console script's own streams (not CliRunner's), a listing and a
    refusal."""
    for args in (["customer", "show", "mike"], ["show", "B9\x1b]0;x\x07"]):
        result = subprocess.run(
            [sys.executable, "-m", "olshop_cli", *args], capture_output=True, text=True
        )
        assert result.returncode in (0, 1), result.stderr
        assert RAW.search(result.stdout + result.stderr) is None, result


def test_a_carriage_return_cannot_smuggle_a_formula_into_a_csv_cell(shop, tmp_path):
    """A bare carriage return before `=cmd` was written unquoted: a spreadsheet (and
    csv.reader) split it into a new cell starting with `=`. Now the cell is quoted, each line
    inside it neutralised, and the export imports back exactly."""
    note = "x\r=cmd|' /C calc'!A0"
    address = "Jl. Melati 5\n@SUM(1+1)\r\n-2+3"
    shop(["customer", "add", "Siti", "--key", "siti", "--note", note, "--address", address],
         ok=True)  # fmt: skip
    before = json.loads(shop("customer show siti --json", ok=True).stdout)
    exported = tmp_path / "customers.csv"  # a file: CliRunner's stdout turns \r\n into \n
    shop(["export", "--format", "csv", "--table", "customers", "-o", str(exported)], ok=True)
    text = exported.read_bytes().decode()
    assert "\"x\r'=cmd" in text  # quoted, the second line's trigger neutralised
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    for cell in rows[1]:
        for line in re.split("[\r\n]", cell):
            assert not line.startswith(("=", "+", "-", "@")), repr(cell)
    shop.monkeypatch.setenv("OLSHOP_HOME", str(tmp_path / "another-shop"))
    shop(["import", str(exported)], ok=True)
    shown = json.loads(shop("customer show siti --json", ok=True).stdout)
    assert shown["note"] == note == before["note"]
    assert shown["address"] == address == before["address"]


def test_an_edit_that_gives_nothing_to_change_is_refused(stocked):
    stocked.refused("customer edit mike", "Nothing to change for mike", "--phone")
    assert len(json.loads(stocked("backup list --json", ok=True).stdout)) >= 1


def test_a_ledger_folder_that_is_a_file_is_named_as_such(shop, tmp_path, monkeypatch):
    home = tmp_path / "not-a-folder"
    home.write_text("my notes\n", encoding="utf-8")
    monkeypatch.setenv("OLSHOP_HOME", str(home))
    for command in ("customer add Budi", "customer list"):
        result = shop(command)
        assert result.exit_code == 1, result.stderr
        assert f"The ledger folder {home} is a file, not a folder." in result.stderr
        assert "File exists" not in result.stderr
    assert home.read_text(encoding="utf-8") == "my notes\n"


def test_release_says_released_only_once_it_is_saved(stocked, monkeypatch):
    import errno
    import os

    stocked("book mike PAN-24 --deadline +2h", ok=True)
    stocked("book siti SPAT-1 --deadline +2h", ok=True)
    stocked.set_now("2026-11-23T12:00:00+07:00")
    before = stocked.ledger_bytes()
    real = os.replace

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    result = stocked("release --overdue")
    monkeypatch.setattr(os, "replace", real)
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert "Released" not in result.stderr and result.stdout == ""
    assert stocked.ledger_bytes() == before
    done = stocked("release --overdue", ok=True)
    assert done.stderr.count("Released B") == 2 and done.stdout == "B1\nB2\n"


@pytest.mark.parametrize(
    ("command", "phrase"),
    [
        ("report --from 0001-01-01", "'0001-01-01' is in the year 1; olshop works with 2000"),
        ("report --to 9999-12-31", "'9999-12-31' is in the year 9999"),
        ("book mike PAN-24 --deadline 9999-12-31", "more than ten years ahead"),
        ("book mike PAN-24 --deadline 31/12/99", "more than ten years ahead"),
        ("show B99999999999999999999999999999", "is not a booking id"),
        ("book mike PAN-24:99999999999999999999999999999", "more than olshop accepts"),
        ("product stock PAN-24 +" + "9" * 5000, "more than olshop accepts"),
        ("book mike PAN-24:x²", "has no usable quantity"),
    ],
)
def test_numbers_and_dates_out_of_range_get_a_sentence(stocked, command, phrase):
    result = stocked.refused(command, phrase)
    assert "unexpectedly" not in result.stderr


def test_a_clock_outside_the_years_olshop_works_in_is_named(stocked, monkeypatch):
    monkeypatch.setenv("OLSHOP_NOW", "9999-12-31T23:59:59+07:00")
    result = stocked("today")
    assert result.exit_code == 1
    assert "OLSHOP_NOW='9999-12-31T23:59:59+07:00' is in the year 9999" in result.stderr


def test_digits_of_other_scripts_are_read_as_digits(stocked):
    """Full-width digits (a Japanese or Chinese keyboard) and superscripts mean their
    digit, wherever a count or an id is typed."""
    assert stocked("book mike PAN-24:２", ok=True).stdout == "B1\n"
    shown = json.loads(stocked("show B１ --json", ok=True).stdout)
    assert shown["lines"][0]["qty"] == 2
    stocked("product stock SPAT-1 +１０", ok=True)
    products = json.loads(stocked("product list --json", ok=True).stdout)
    assert next(p["stock"] for p in products if p["sku"] == "SPAT-1") == 20
    stocked("config set backups ９", ok=True)
    assert json.loads(stocked("config get --json", ok=True).stdout)["backups"] == "9"


@pytest.mark.parametrize(
    "args",
    [
        ["customer", "add", "Bu\udcffdi"],
        ["book", "mi\udcffke", "PAN-24"],
        ["book", "mike", "PAN-24", "--note", "n\udcff"],
        ["product", "add", "X\udcff", "Baru", "--price", "1rb"],
    ],
)
def test_bytes_that_are_not_utf8_are_refused_with_a_sentence(stocked, args):
    """An argument the terminal sent as bytes that are not UTF-8 (Python hands it over with
    surrogates) is refused before anything runs."""
    result = stocked.refused(args, "is not text olshop can read", "UTF-8", code=2)
    assert "unexpectedly" not in result.stderr
    assert "\udcff" not in result.stderr


def _exported(shop, tmp_path) -> dict:
    shop("customer add 'Mike Tan' --key mike --phone 0812-3456-7890", ok=True)
    shop("product add PAN-24 Wajan --price 150rb --stock 3", ok=True)
    shop("book mike PAN-24", ok=True)
    shop("pay B1 --amount 50rb", ok=True)
    return json.loads(shop("export", ok=True).stdout)


@pytest.mark.parametrize(
    ("damage", "phrase"),
    [
        (lambda d: d["settings"].update(timezone="Mars/Olympus"), "settings: timezone"),
        (lambda d: d["products"][0].update(price="150rb"), "price is not a whole number"),
        (lambda d: d["products"][0].update(price=float("nan")), "price is not a whole number"),
        (lambda d: d["bookings"][0]["lines"][0].update(qty=-2), "lines 1 qty is not between 1"),
        (lambda d: d["bookings"][0]["lines"][0].update(qty=1.5), "lines 1 qty is not a whole"),
        (lambda d: d["bookings"][0]["payments"].append({"amount": "x"}), "payments 2 amount"),
        (lambda d: d["bookings"][0].update(deadline="garbage"), "deadline is not an ISO 8601"),
        (lambda d: d["customers"][0].update(name=5), "name is not text"),
        (lambda d: d["customers"][0].update(phone="not a phone"), "phone is not a phone"),
        (lambda d: d["customers"][0].update(name="Mi\x00ke"), "name holds a NUL"),
        (lambda d: d["customers"].append(dict(d["customers"][0])), "key mike is there twice"),
        (lambda d: d["bookings"].append(dict(d["bookings"][0])), "number 1 is there twice"),
        (lambda d: d["products"][0].update(sku="pan 24"), "sku is not a usable SKU"),
        (lambda d: d["products"][0].update(related="SPAT-1"), "related is not a list of text"),
        (lambda d: d["bookings"][0].update(history=["x"]), "history is not a list of entries"),
    ],
)
def test_import_checks_every_record_before_writing_anything(shop, tmp_path, damage, phrase):
    data = _exported(shop, tmp_path)
    damage(data)
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN as JSON's NaN, as Python writes
    shop.monkeypatch.setenv("OLSHOP_HOME", str(tmp_path / "empty-shop"))
    result = shop.refused(["import", str(path)], "so nothing was imported", phrase)
    assert "unexpectedly" not in result.stderr
    assert not (tmp_path / "empty-shop" / "data").exists() or not any(
        p.name.startswith("customers") for p in (tmp_path / "empty-shop" / "data").iterdir()
    )


def test_a_clean_export_still_imports_and_counts_truthfully(shop, tmp_path):
    data = _exported(shop, tmp_path)
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    shop.monkeypatch.setenv("OLSHOP_HOME", str(tmp_path / "empty-shop"))
    result = shop(["import", str(path)], ok=True)
    assert "1 customers, 1 products, 1 bookings" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("command", [["import", "/dev/zero"], ["ship", "--from", "/dev/zero"]])
def test_a_stream_of_nul_bytes_is_refused_at_once(stocked, command):
    stocked.refused(command, "is not a text file (it holds NUL bytes)")


def test_a_file_past_the_size_bound_is_refused(stocked, tmp_path, monkeypatch):
    from olshop_cli.cli import common

    monkeypatch.setattr(common, "MAX_INPUT_FILE", 1024 * 1024)
    big = tmp_path / "big.csv"
    big.write_text("name,note\n" + "Siti,x\n" * 200_000, encoding="utf-8")
    stocked.refused(["import", str(big)], "is larger than 1 MB, more than olshop reads")


@pytest.mark.parametrize(
    "typed",
    ["PAN-24\u200b", "PAN\u201124", "PAN\u201324", "ＰＡＮ－２４", " pan-24 ", "\ufeffPAN-24"],
)
def test_look_alike_skus_are_the_same_sku(stocked, typed):
    """A SKU copied from a chat or typed on a phone keyboard, with an invisible character, a
    Unicode dash or full-width letters, names the product PAN-24 (never a second one)."""
    assert stocked(["book", "mike", typed], ok=True).stdout == "B1\n"
    refused = stocked(["product", "add", typed, "Wajan lagi", "--price", "1rb"])
    assert refused.exit_code == 1 and "SKU PAN-24 already exists" in refused.stderr


@pytest.mark.parametrize("sku", ["A/B", "A\\B", "A,B", "A;B", "X" * 41, "PAN 24", "-"])
def test_skus_outside_the_documented_characters_are_refused(stocked, sku):
    stocked.refused(
        ["product", "add", sku, "Baru", "--price", "1rb"],
        "is not a usable SKU",
        "1 to 40 letters A-Z, digits, dashes, dots or underscores",
    )


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (
            ["customer", "add", "S" * 201],
            "The name is 201 characters long; olshop keeps at most 200",
        ),
        (["customer", "add", "Siti", "--note", "n" * 1001], "The note is 1001 characters long"),
        (["customer", "edit", "mike", "--address", "a" * 100_000], "The address is 100000"),
        (["product", "add", "NEW-1", "N" * 300, "--price", "1rb"], "The name is 300"),
        (["book", "mike", "PAN-24", "--note", "x" * 5000], "The note is 5000"),
        (["customer", "add", "Si\x00ti"], "The name holds a NUL character"),
    ],
)
def test_text_fields_have_length_limits(stocked, args, phrase):
    stocked.refused(args, phrase)


@pytest.mark.parametrize("typed", ["ｍｉｋｅ", "mike\u200b", "MIKE", "\ufeffmike"])
def test_customer_keys_typed_as_a_phone_keyboard_gives_them_find_the_customer(stocked, typed):
    assert stocked(["customer", "show", typed, "--json"], ok=True).stdout.count('"mike"') >= 1


def test_a_key_made_from_a_pasted_name_holds_nothing_of_its_escape_codes(shop):
    shop(["customer", "add", "Rina\x1b]0;pwn\x07 Kusuma"], ok=True)
    (customer,) = json.loads(shop("customer list --json", ok=True).stdout)
    assert customer["key"] == "rina"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="permissions do not bind root; the same failure (EROFS/EACCES at the write) is "
    "tested with the os calls failing in test_store.py::test_failed_write_leaves_ledger_unchanged",
)
def test_a_read_only_ledger_folder_is_named_and_left_as_it_was(stocked):
    """A ledger folder the seller cannot write (a read-only disk, or a folder of another
    user): reading works, a change is refused with one sentence, nothing changes."""
    before = stocked.ledger_bytes()
    folders = [stocked.home, stocked.home / "data", stocked.home / "versions"]
    modes = [folder.stat().st_mode for folder in folders]
    for folder in folders:
        folder.chmod(0o555)
    try:
        assert "mike" in stocked("customer list", ok=True).stdout
        result = stocked("customer add Budi")
    finally:
        for folder, mode in zip(folders, modes, strict=True):
            folder.chmod(mode)
    assert result.exit_code == 1, result.stderr
    assert "unexpectedly" not in result.stderr and result.stderr.startswith("Error: ")
    assert "Permission denied" in result.stderr or "Could not" in result.stderr
    assert stocked.ledger_bytes() == before


@pytest.mark.parametrize("command", ["export -o", "pay --from", "ship --from", "import"])
def test_a_file_name_too_long_for_the_file_system_gets_a_sentence(stocked, command):
    # Found by the fuzz test: `export -o` with a 5,000-character name failed unexpectedly.
    name = "x" * 5000
    result = stocked.refused(f"{command} {name}")
    assert "File name too long" in result.stderr or "Cannot read" in result.stderr
