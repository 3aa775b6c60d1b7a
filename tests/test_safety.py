"""Undo, backups, doctor, export and import."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from ledgerfile import data_file, manifest, read_ledger, write_ledger

from olshop_cli.store import SWEEP_EVERY
from olshop_cli.transfer import safe_cell


def data_files(shop) -> dict[str, bytes]:
    """The current version of the ledger: each part's bytes, as the manifest names them."""
    return {
        part: (shop.home / "data" / entry["file"]).read_bytes()
        for part, entry in manifest(shop.home)["files"].items()
    }


def test_undo_reverts_one_change_at_a_time(stocked):
    states = [data_files(stocked)]
    stocked("book mike PAN-24:2", ok=True)
    states.append(data_files(stocked))
    stocked("pay B1", ok=True)
    states.append(data_files(stocked))
    stocked("ship B1 --courier JNE --tracking J1", ok=True)
    stocked("done B1", ok=True)  # moves B1 to the archive
    first = stocked("undo", ok=True)
    assert "Undid: olshop done B1" in first.stderr
    stocked("undo", ok=True)
    assert data_files(stocked) == states[2]
    second = stocked("undo", ok=True)
    assert "Undid: olshop pay B1" in second.stderr
    assert data_files(stocked) == states[1]
    stocked("undo", ok=True)
    assert data_files(stocked) == states[0]


def test_undo_with_nothing_to_undo(shop):
    result = shop("undo")
    assert result.exit_code == 1 and "There is no change to undo" in result.stderr


def test_backups_share_unchanged_files_and_are_pruned(stocked):
    stocked("config set backups 3", ok=True)
    for _ in range(5):
        stocked("product stock SPAT-1 +1", ok=True)
    listed = json.loads(stocked("backup list --json", ok=True).stdout)
    # The last three changes, and the first version of the day (kept for seven days).
    assert [e["command"] for e in listed[:3]] == ["olshop product stock SPAT-1 +1"] * 3
    assert (
        listed[3]["command"] == "olshop product add PAN-24 'Wajan 24 cm' --price 150rb "
        "--stock 3 --related SPAT-1"
    )
    assert len(listed) == 4
    assert listed[0]["at"] == "2026-11-23T08:00:00+07:00"
    kept = {e["id"] for e in listed} | {manifest(stocked.home)["version"]}
    assert {int(p.stem) for p in (stocked.home / "versions").iterdir()} == kept
    # The customers were not touched by the stock changes: every kept version shares one file.
    named = files_named_by_kept_versions(stocked.home)
    assert len([n for n in named if n.startswith("products.")]) == 4
    # The files only dropped versions named are deleted every SWEEP_EVERY versions: until
    # then they are extra files, never missing ones.
    assert {p.name for p in (stocked.home / "data").iterdir()} >= named
    while manifest(stocked.home)["version"] % SWEEP_EVERY:
        stocked("product stock SPAT-1 +1", ok=True)
    assert {p.name for p in (stocked.home / "data").iterdir()} == files_named_by_kept_versions(
        stocked.home
    )


def files_named_by_kept_versions(home) -> set[str]:
    current = manifest(home)
    named = {entry["file"] for entry in current["files"].values()}
    for item in current["history"]:
        found = json.loads((home / "versions" / f"{item['version']:06d}.json").read_text())
        named |= {entry["file"] for entry in found["files"].values()}
    return named


def test_restore_goes_back_and_is_undoable(stocked):
    listed = json.loads(stocked("backup list --json", ok=True).stdout)
    before_siti = next(e["id"] for e in listed if "Siti" in e["command"])
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("cancel B2", ok=True)
    now = data_files(stocked)
    result = stocked(f"backup restore {before_siti}", ok=True)
    assert "Restored the ledger as it was before: olshop customer add" in result.stderr
    customers = json.loads(stocked("customer list --json", ok=True).stdout)
    assert [c["key"] for c in customers] == ["mike"]
    assert json.loads(stocked("bookings --all --json", ok=True).stdout) == []
    stocked("undo", ok=True)
    assert data_files(stocked) == now
    missing = stocked("backup restore 999")
    assert missing.exit_code == 1 and "There is no backup 999" in missing.stderr


def test_restore_over_a_damaged_file_never_overwrites_it(stocked):
    good = data_files(stocked)
    stocked("book mike PAN-24", ok=True)
    damaged = data_file(stocked.home, "bookings-00000")  # written by the booking
    damaged.write_bytes(b'{"cut in ha')
    stocked.refused("bookings", "is damaged")
    last = json.loads(stocked("backup list --json", ok=True).stdout)[0]["id"]
    stocked(f"backup restore {last}", ok=True)
    assert data_files(stocked) == good
    assert damaged.read_bytes() == b'{"cut in ha'  # kept as it is, for a closer look


def test_doctor_on_a_healthy_ledger(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("cancel B2", ok=True)
    result = stocked("doctor", ok=True)
    assert result.stdout == ""
    assert "healthy: 2 customers, 2 products, 1 open and 1 closed bookings" in result.stderr


def _edit_main(shop, change):
    data = read_ledger(shop.home)
    change(data)
    write_ledger(shop.home, data)


def test_doctor_reports_and_fixes_only_what_is_safe(stocked):
    stocked("book mike PAN-24:2", ok=True)
    stocked("book siti SPAT-1", ok=True)

    def damage(data):
        data["meta"]["shop:1"]["next_booking"] = 2
        data["bookings"]["bookings-00000:2"]["status"] = "done"
        pan = next(k for k, p in data["products"].items() if p["sku"] == "PAN-24")
        data["products"][pan]["stock"] = 1  # 1 on hand, 2 reserved

    _edit_main(stocked, damage)
    report = stocked("doctor")
    assert report.exit_code == 1
    lines = report.stdout.splitlines()
    assert any("B2 is done but still among the open bookings" in x for x in lines)
    assert any("next booking number (B2) is already used; it should be B3" in x for x in lines)
    assert any("PAN-24 has 1 on hand but open bookings reserve 2." == x[9:] for x in lines)
    fixed = stocked("doctor --fix")
    assert fixed.exit_code == 1  # the stock problem is not safe to repair
    # The two above, the reserved units kept per SKU (B2 no longer holds stock) and the
    # index of open bookings, which still had B2 as booked.
    assert fixed.stdout.count("fixed: ") == 4
    assert "fixed: The stored count of reserved units per SKU" in fixed.stdout
    assert "fixed: The index of open bookings is out of step with 1 of them (B2)." in fixed.stdout
    assert "problem: PAN-24 has 1 on hand" in fixed.stdout
    assert "A backup was kept." in fixed.stderr
    assert json.loads(stocked("bookings --status done --json", ok=True).stdout)[0]["id"] == "B2"
    assert stocked("book mike SPAT-1", ok=True).stdout == "B3\n"
    stocked("product stock PAN-24 =2", ok=True)
    assert stocked("doctor").exit_code == 0


def test_doctor_names_a_damaged_file_and_the_backup_to_restore(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("product stock SPAT-1 +1", ok=True)
    damaged = data_file(stocked.home, "bookings-00000")
    damaged.write_bytes(damaged.read_bytes().replace(b'"qty":1', b'"qty":9'))
    before = stocked.ledger_bytes()
    report = stocked("doctor")
    assert report.exit_code == 1
    assert f"problem: The ledger file {damaged} is damaged" in report.stdout
    # The newest version with a good copy of that part: before the booking made it.
    listed = json.loads(stocked("backup list --json", ok=True).stdout)
    before_booking = next(e["id"] for e in listed if e["command"] == "olshop book mike PAN-24")
    assert f"olshop backup restore {before_booking}" in report.stderr
    assert stocked.ledger_bytes() == before
    stocked("doctor --fix")
    assert stocked.ledger_bytes() == before  # a damaged file is never "repaired" over


def test_doctor_on_unreadable_files(stocked):
    (stocked.home / "olshop.json").write_text("nonsense")
    result = stocked("doctor")
    assert result.exit_code == 1 and "problem: The ledger file" in result.stdout


@pytest.mark.parametrize(
    "value, cell",
    [
        ('=HYPERLINK("http://evil","klik")', '\'=HYPERLINK("http://evil","klik")'),
        ("+628123", "'+628123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("Siti", "Siti"),
        (150000, "150000"),
        (None, ""),
        (True, "yes"),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_csv_export_neutralises_formulas(stocked):
    stocked(["customer", "add", '=HYPERLINK("http://evil","klik")', "--note", "@cmd"], ok=True)
    text = stocked("export --format csv --table customers", ok=True).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    evil = next(r for r in rows if "HYPERLINK" in r["name"])
    assert evil["name"] == '\'=HYPERLINK("http://evil","klik")'
    assert evil["note"] == "'@cmd"
    assert next(r for r in rows if r["key"] == "mike")["phone"] == "0812-3456-7890"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_json_export_rebuilds_the_ledger(stocked, tmp_path, monkeypatch):
    stocked("book mike PAN-24:2 --note 'kado'", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("pay B2", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("cancel B3", ok=True)
    exported = tmp_path / "all.json"
    stocked(f"export --output {exported}", ok=True)
    original = {
        cmd: stocked(cmd, ok=True).stdout
        for cmd in ("bookings --all --json", "customer list --json", "product list --json",
                    "config get --json", "today --json")
    }  # fmt: skip
    monkeypatch.setenv("OLSHOP_HOME", str(tmp_path / "copy"))
    result = stocked(f"import {exported}", ok=True)
    assert "2 customers, 2 products, 3 bookings" in result.stderr
    for cmd, text in original.items():
        assert stocked(cmd, ok=True).stdout == text, cmd
    assert stocked("book mike SPAT-1", ok=True).stdout == "B4\n"
    again = stocked(f"import {exported}")
    assert again.exit_code == 1 and "only be imported into an empty ledger" in again.stderr


def test_export_never_clobbers(stocked, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("precious")
    result = stocked(f"export --format csv --table products --output {target}")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert target.read_text() == "precious"
    stocked(f"export --format csv --table products --output {target} --force", ok=True)
    assert target.read_text().startswith("sku,name,price")


def test_csv_import_all_or_nothing(stocked, tmp_path):
    good = tmp_path / "customers.csv"
    good.write_text(
        "name,call,nick,phone,channel\n"
        "Rina Kusuma,Mbak,,0857-1234-5678,ig\n"
        "Budi Santoso,Pak,,+62 821 9876 5432,wa\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,phone,channel\n"
        "Dewi,0856-7777-8888,ig\n"
        ",0856-1111-2222,wa\n"
        "Agus,0812-3456-7890,wa\n"
        "Eko,abc,fax\n"
    )
    before = stocked.ledger_bytes()
    result = stocked(f"import {bad}")
    assert result.exit_code == 1
    assert "has 3 bad row(s), so nothing was imported" in result.stderr
    assert "line 3: The customer's name is empty." in result.stderr
    assert "line 4: 0812-3456-7890 already belongs to Mike Tan (mike)." in result.stderr
    assert "line 5:" in result.stderr
    assert stocked.ledger_bytes() == before
    ok = stocked(f"import {good}", ok=True)
    assert "2 added, 0 updated" in ok.stderr
    keys = [c["key"] for c in json.loads(stocked("customer list --json", ok=True).stdout)]
    assert keys == ["budi", "mike", "rina", "siti"]
    assert "Undid: olshop import" in stocked("undo", ok=True).stderr
    assert len(json.loads(stocked("customer list --json", ok=True).stdout)) == 2


def test_csv_round_trip_of_products(stocked, tmp_path):
    exported = tmp_path / "products.csv"
    stocked(["product", "edit", "SPAT-1", "--note", "=1+1"], ok=True)
    stocked(f"export --format csv --table products --output {exported}", ok=True)
    text = exported.read_text().replace("Wajan 24 cm", "Wajan 24 cm baru")
    exported.write_text(text + "LID-24,Tutup wajan,25rb,4,PAN-24,,yes,\n")
    result = stocked(f"import {exported}", ok=True)
    assert "1 added, 2 updated" in result.stderr
    pan = json.loads(stocked("product show PAN-24 --json", ok=True).stdout)
    assert pan["name"] == "Wajan 24 cm baru" and pan["related"] == ["SPAT-1"]
    spat = json.loads(stocked("product show SPAT-1 --json", ok=True).stdout)
    assert spat["note"] == "=1+1"
    lid = json.loads(stocked("product show LID-24 --json", ok=True).stdout)
    assert (lid["price"], lid["stock"], lid["related"]) == (25_000, 4, ["PAN-24"])


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_every_file_is_private(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("cancel B1", ok=True)
    for path in stocked.home.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert path.stat().st_mode & 0o777 == expected, path


def test_doctor_finds_a_stale_closed_copy_in_an_old_archive_file(stocked):
    """With 600 closed bookings in three archive files, doctor reads only the files that can
    clash with the open bookings and the newest one, and still finds both kinds of clash."""
    from datetime import datetime, timedelta

    from olshop_cli.store import Store
    from olshop_cli.when import shop_zone

    now = datetime(2026, 11, 20, 9, 0, tzinfo=shop_zone("Asia/Jakarta"))
    with Store(stocked.home).change() as ledger:
        ledger.adjust_stock("SPAT-1", "+600")
        for _ in range(600):
            booking = ledger.book("mike", ["SPAT-1"], now, now + timedelta(days=1))
            ledger.cancel(booking.id, now)
    assert stocked("doctor", ok=True).stderr.count("0 open and 600 closed bookings") == 1

    def damage(data):
        b1 = data["archive"]["archive-0001:1"]
        data["bookings"]["bookings-00000:1"] = {**b1, "status": "booked", "closed": None}
        data["meta"]["shop:1"]["next_booking"] = 300

    _edit_main(stocked, damage)
    lines = stocked("doctor").stdout.splitlines()
    assert "problem: B1 is open but an old closed copy is in the archive." in lines
    assert any("next booking number (B300) is already used; it should be B601" in x for x in lines)
