"""The storage: atomic writes, the lock, damaged files refused, the archive."""

from __future__ import annotations

import errno
import json
import os
import sys
import zlib

import pytest
from ledgerfile import read_ledger

from olshop_cli import store as store_module
from olshop_cli.errors import LedgerError
from olshop_cli.store import AtomicJSONStorage, Store


def test_first_command_creates_a_private_ledger(shop):
    assert not shop.home.exists()
    result = shop("customer list", ok=True)
    assert "No customers yet" in result.stderr
    main = shop.home / "olshop.json"
    assert main.exists()
    if sys.platform != "win32":
        assert oct(shop.home.stat().st_mode & 0o777) == "0o700"
        assert oct(main.stat().st_mode & 0o777) == "0o600"


def test_ledger_is_a_tinydb_document(stocked):
    from tinydb import Query, TinyDB

    stocked("book mike PAN-24:2", ok=True)
    with TinyDB(stocked.home / "olshop.json", storage=AtomicJSONStorage) as db:
        assert db.table("products").get(Query().sku == "PAN-24")["stock"] == 3
        (booking,) = db.table("bookings").search(Query().status == "booked")
        assert booking["id"] == "B1" and booking["customer"] == "mike"
        assert db.table("bookings").get(doc_id=1)["total"] == 300_000


DAMAGE = {
    "empty": b"",
    "whitespace": b"  \n",
    "truncated": None,  # the real file cut in half, filled in by the test
    "not json": b"this is not json",
    "a list": b"[1, 2, 3]",
    "no meta": b'{"customers": {}}',
    "doc not a dict": b'{"meta": {"1": 5}}',
    "future format": b'{"meta": {"1": {"format": 99, "next_booking": 1}}}',
    "bad booking": b'{"meta": {"1": {"format": 1, "next_booking": 2}}, "settings": {},'
    b' "customers": {}, "products": {}, "bookings": {"1": {"number": 1}}}',
}


@pytest.mark.parametrize("kind", list(DAMAGE))
@pytest.mark.parametrize("command", ["today", "book mike SPAT-1", "customer add Budi"])
def test_damaged_ledger_is_refused_and_left_alone(stocked, kind, command):
    main = stocked.home / "olshop.json"
    good = main.read_bytes()
    damaged = DAMAGE[kind] if DAMAGE[kind] is not None else good[: len(good) // 2]
    main.write_bytes(damaged)
    files_before = sorted(p.relative_to(stocked.home) for p in stocked.home.rglob("*"))
    result = stocked(command)
    assert result.exit_code == 1
    assert str(main) in result.stderr
    assert "will not read or change it" in result.stderr
    assert result.stdout == ""
    assert main.read_bytes() == damaged
    assert sorted(p.relative_to(stocked.home) for p in stocked.home.rglob("*")) == files_before
    assert "olshop doctor" in result.stderr and "olshop backup restore" in result.stderr


def test_closed_bookings_move_to_the_archive(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("cancel B2 --reason 'ganti warna'", ok=True)
    main = read_ledger(stocked.home)
    assert list(main["bookings"]) == ["1"]
    archive = json.loads((stocked.home / "archive" / "bookings-0001.json").read_text())
    assert archive["bookings"]["2"]["status"] == "cancelled"
    assert archive["bookings"]["2"]["reason"] == "ganti warna"
    listed = json.loads(stocked("bookings --all --json", ok=True).stdout)
    assert [(b["id"], b["status"]) for b in listed] == [("B1", "booked"), ("B2", "cancelled")]
    # A closed booking is still known: refusals name its status.
    result = stocked("pay B2")
    assert result.exit_code == 1 and "B2 is cancelled" in result.stderr


def test_stale_archive_copy_loses_to_the_main_file(stocked):
    """A crash between the archive write and the main write leaves a stale copy."""
    stocked("book mike PAN-24", ok=True)
    store = Store(stocked.home)
    ledger = store.load()
    stale = ledger.bookings[1]
    stale.status = "released"
    store.archive.put([stale])  # as if the main file was never replaced
    listed = json.loads(stocked("bookings --all --json", ok=True).stdout)
    assert [(b["id"], b["status"]) for b in listed] == [("B1", "booked")]
    stocked("pay B1", ok=True)
    stocked("ship B1 --courier JNE --tracking X1", ok=True)
    stocked("done B1", ok=True)
    listed = json.loads(stocked("bookings --all --json", ok=True).stdout)
    assert [(b["id"], b["status"]) for b in listed] == [("B1", "done")]


def _fail_on_main_write(target, error):
    """Make writing the main file fail the way a full disk or a locked-down folder does."""
    real_replace, real_open_temp = os.replace, store_module._open_temp

    def replace(src, dst):
        if str(dst).endswith("olshop.json") and target == "replace":
            raise error
        return real_replace(src, dst)

    def open_temp(folder, name):
        if name == "olshop.json" and target == "mkstemp":
            raise error
        return real_open_temp(folder, name)

    return replace, open_temp


@pytest.mark.parametrize(
    "target, error, message",
    [
        ("replace", OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        ("mkstemp", PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
        ("mkstemp", OSError(errno.EROFS, "Read-only file system"), "Read-only file system"),
    ],
)
@pytest.mark.parametrize("command", ["book mike PAN-24", "cancel B1", "customer add Budi"])
def test_failed_write_leaves_ledger_unchanged(
    stocked, monkeypatch, target, error, message, command
):
    stocked("book mike PAN-24", ok=True)  # B1, so that cancel moves it to the archive
    before = stocked.ledger_bytes()
    replace, open_temp = _fail_on_main_write(target, error)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(store_module, "_open_temp", open_temp)
    result = stocked(command)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "Could not write the ledger file" in result.stderr and message in result.stderr
    assert result.stdout == ""
    assert stocked.ledger_bytes() == before
    assert not list(stocked.home.rglob(".*.tmp"))


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_busy_ledger_is_refused_after_a_wait(stocked, monkeypatch):
    import fcntl

    before = stocked.ledger_bytes()
    monkeypatch.setenv("OLSHOP_LOCK_TIMEOUT", "0.3")
    with open(stocked.home / "olshop.lock", "r+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write("4242\n")
        holder.flush()
        result = stocked("book mike PAN-24")
        # Reading needs no lock.
        assert stocked("bookings").exit_code == 0
    assert result.exit_code == 1
    assert "The ledger is busy: another olshop (process 4242)" in result.stderr
    assert stocked.ledger_bytes() == before
    stocked("book mike PAN-24", ok=True)


def test_unreadable_ledger_file(stocked):
    if sys.platform == "win32" or os.geteuid() == 0:
        pytest.skip("root reads everything")
    main = stocked.home / "olshop.json"
    main.chmod(0)
    try:
        result = stocked("today")
    finally:
        main.chmod(0o600)
    assert result.exit_code == 1 and "Could not read the ledger file" in result.stderr


def test_store_change_writes_nothing_when_the_command_fails(stocked):
    before = stocked.ledger_bytes()
    store = Store(stocked.home)
    with pytest.raises(LedgerError):
        with store.change() as ledger:
            ledger.set_setting("shop-name", "Half done")
            raise LedgerError("boom")
    assert stocked.ledger_bytes() == before


# ----- the file layout: one table a line ---------------------------------------------------


def _lines(home) -> dict[str, bytes]:
    """Each line of olshop.json by the table (or header) it holds."""
    found = {}
    for line in (home / "olshop.json").read_bytes().splitlines():
        found[next(iter(json.loads(line)))] = line
    return found


def test_each_table_is_one_line_and_untouched_tables_are_written_back_as_read(stocked):
    stocked("book mike PAN-24", ok=True)
    before = _lines(stocked.home)
    assert list(before) == ["meta", "products", "bookings", "customers"]
    stocked("product add TOPI-1 Topi --price 40rb --stock 2", ok=True)
    after = _lines(stocked.home)
    assert after["customers"] == before["customers"]
    assert after["bookings"] == before["bookings"]
    assert after["products"] != before["products"]
    assert b"TOPI-1" in after["products"]
    meta = json.loads(after["meta"])["meta"]["1"]
    for name in ("products", "bookings", "customers"):  # reused or counted afresh: right
        assert meta["crc32"][name] == zlib.crc32(after[name])
        assert meta["bytes"][name] == len(after[name])


def test_a_ledger_in_the_old_one_document_format_is_read_and_rewritten_as_lines(stocked):
    stocked("book mike PAN-24", ok=True)
    old = read_ledger(stocked.home)
    old["meta"]["1"]["format"] = 1
    main = stocked.home / "olshop.json"
    main.write_text(json.dumps(old, indent=2))  # also: pretty-printed by hand
    assert "B1" in stocked("bookings", ok=True).stdout
    stocked("pay B1", ok=True)
    assert main.read_text().count("\n") == 4
    new = read_ledger(stocked.home)
    assert new["meta"]["1"]["format"] == 2
    assert new["bookings"]["1"]["status"] == "paid"
    assert new["products"] == old["products"]
    assert new["customers"]["1"]["counts"]["paid"] == old["customers"]["1"]["counts"]["paid"] + 1


LINE_DAMAGE = {
    "cut at a line end": lambda data: data[: data.rindex(b"\n", 0, len(data) - 1) + 1],
    "customers line garbled": lambda data: data.replace(b'{"customers":{', b'{"customers":[{'),
    "extra line": lambda data: data + b'{"orders":{}}\n',
    "record without fields": lambda data: data.replace(b'"key":"mike",', b""),
}


@pytest.mark.parametrize("kind", list(LINE_DAMAGE))
@pytest.mark.parametrize("command", ["product add TOPI-1 Topi --price 40rb", "pay B1"])
def test_a_change_refuses_a_ledger_with_any_damaged_line(stocked, kind, command):
    """A command that changes the ledger checks every line first (its checksum, or the line
    itself when that does not match), even lines it would have written back untouched, so
    a damaged file is never written over."""
    stocked("book mike PAN-24", ok=True)
    main = stocked.home / "olshop.json"
    damaged = LINE_DAMAGE[kind](main.read_bytes())
    main.write_bytes(damaged)
    result = stocked(command)
    assert result.exit_code == 1
    assert "will not read or change it" in result.stderr and str(main) in result.stderr
    assert main.read_bytes() == damaged


def test_a_read_only_command_reads_only_the_lines_it_needs(stocked):
    stocked("book mike PAN-24", ok=True)
    main = stocked.home / "olshop.json"
    main.write_bytes(LINE_DAMAGE["customers line garbled"](main.read_bytes()))
    assert "Selamat pagi" in stocked("reply greet", ok=True).stdout
    assert "PAN-24" in stocked("product list", ok=True).stdout
    refused = stocked("customer list")
    assert refused.exit_code == 1 and "will not read or change it" in refused.stderr
    report = stocked("doctor")
    assert report.exit_code == 1 and "problem: The ledger file" in report.stdout
    assert "cannot be read" in report.stderr


def test_table_builds_records_only_when_touched():
    from olshop_cli.ledger import Table
    from olshop_cli.models import Customer

    made = []

    def make(doc):
        made.append(doc["key"])
        return Customer.from_dict(doc)

    docs = {"ani": {"key": "ani", "name": "Ani"}, "budi": {"key": "budi", "name": "Budi"}}
    table = Table(dict(docs), make)
    assert "ani" in table and len(table) == 2 and list(table) == ["ani", "budi"]
    assert made == [] and not table.touched
    assert table.stored(numbered=False) == {"1": docs["ani"], "2": docs["budi"]}
    table["budi"].nick = "Bud"
    assert made == ["budi"] and table.touched
    assert table["budi"] is table.get("budi")  # built once
    assert made == ["budi"]
    stored = table.stored(numbered=False)
    assert stored["1"] is docs["ani"]  # never built: stored as read
    assert stored["2"]["nick"] == "Bud"
    assert [c.name for c in table.values()] == ["Ani", "Budi"]
    assert table.pop("ani").name == "Ani" and list(table) == ["budi"]
    assert table.get("nobody") is None


def test_a_line_edited_by_hand_is_checked_and_kept(stocked):
    """Its checksum no longer matches, so the next change parses it: valid, it is kept."""
    main = stocked.home / "olshop.json"
    main.write_bytes(main.read_bytes().replace(b"Spatula silikon", b"Spatula kayu"))
    stocked("customer add Budi", ok=True)
    assert b"Spatula kayu" in _lines(stocked.home)["products"]
    assert "Spatula kayu" in stocked("product show SPAT-1", ok=True).stdout
    meta = json.loads(_lines(stocked.home)["meta"])["meta"]["1"]
    assert meta["crc32"]["products"] == zlib.crc32(_lines(stocked.home)["products"])


def test_listings_build_only_what_they_show(stocked):
    """`bookings --overdue` tests the stored records and builds only the matches; the
    hit-and-run mark reads the stored counts without building customers."""
    from datetime import datetime

    wednesday = "2026-11-25T08:00:00+07:00"
    stocked("book mike PAN-24", ok=True)  # B1: due Tuesday, overdue on Wednesday
    stocked("book siti SPAT-1", now=wednesday, ok=True)  # B2: not due yet
    ledger = Store(stocked.home).load()
    found = ledger.select_bookings(datetime.fromisoformat(wednesday), overdue=True)
    assert [b.id for b in found] == ["B1"]
    assert type(ledger.bookings.record(1)) is not dict  # built: it is shown
    assert type(ledger.bookings.record(2)) is dict  # never built
    assert ledger.hit_and_run_keys(["mike", "siti"]) == set()
    assert type(ledger.customers.record("mike")) is dict


def test_booking_rewrites_only_the_buyers_customer_record(stocked):
    stocked("customer add 'Zaki Note' --note '\"key\":\"mike\",'", ok=True)
    before = _lines(stocked.home)["customers"]
    stocked("book mike PAN-24", ok=True)
    after = _lines(stocked.home)["customers"]
    old = json.loads(before)["customers"]
    new = json.loads(after)["customers"]
    assert new["1"]["counts"]["bookings"] == old["1"]["counts"]["bookings"] + 1
    assert {k: v for k, v in new.items() if k != "1"} == {k: v for k, v in old.items() if k != "1"}
    assert after.endswith(before[before.index(b',"2":{"key":') :])


def _same_length_garbage(home, table: str) -> bytes:
    """Overwrite one table's line with garbage of the same length (the file size, and so
    the line index on the first line, still match)."""
    main = home / "olshop.json"
    lines = main.read_bytes().split(b"\n")
    i = next(i for i, line in enumerate(lines) if line.startswith(b'{"%s":' % table.encode()))
    lines[i] = lines[i][: len(table) + 4] + b"#" * (len(lines[i]) - len(table) - 4)
    main.write_bytes(b"\n".join(lines))
    return main.read_bytes()


def test_a_read_only_command_reads_only_the_lines_it_uses(stocked):
    stocked("book mike PAN-24", ok=True)
    damaged = _same_length_garbage(stocked.home, "customers")
    assert "Selamat pagi" in stocked("reply greet", ok=True).stdout
    assert "PAN-24" in stocked("product list", ok=True).stdout
    assert "shop-name" in stocked("config get", ok=True).stdout
    for command in ("customer list", "bookings", "book mike SPAT-1"):
        refused = stocked(command)
        assert refused.exit_code == 1 and "will not read or change it" in refused.stderr
    assert (stocked.home / "olshop.json").read_bytes() == damaged


def test_a_lazy_read_sees_one_version_of_the_ledger(stocked):
    """Lines read after a change replaced the file still come from the version first
    opened: a command never mixes two versions."""
    ledger = Store(stocked.home).load()
    assert ledger.setting("shop-name") == ""
    stocked("product add TOPI-1 Topi --price 40rb", ok=True)
    stocked("customer add Budi", ok=True)
    assert "TOPI-1" not in ledger.products and "budi" not in ledger.customers
    fresh = Store(stocked.home).load()
    assert "TOPI-1" in fresh.products and "budi" in fresh.customers


def test_booking_appends_to_the_bookings_line_and_keeps_the_reserved_totals(stocked):
    """`book` reads no open booking: the new one is appended to the line, and the units
    reserved per SKU (kept on the first line) are counted forward."""
    stocked("book mike PAN-24:2", ok=True)
    stocked("book siti SPAT-1:3", ok=True)
    before = _lines(stocked.home)["bookings"]
    stocked("book siti PAN-24", ok=True)
    after = _lines(stocked.home)["bookings"]
    assert after.startswith(before[:-2] + b',"3":{"number":3,')
    meta = read_ledger(stocked.home)["meta"]["1"]
    assert meta["reserved"] == {"PAN-24": 3, "SPAT-1": 3}
    stocked("pay B1", ok=True)
    stocked("ship B1 --courier JNE --tracking X1", ok=True)  # leaves the shelf
    stocked("cancel B2", ok=True)
    assert read_ledger(stocked.home)["meta"]["1"]["reserved"] == {"PAN-24": 1}
    refused = stocked("book mike PAN-24:2")  # 3 on hand - 2 shipped = 1, 1 reserved
    assert refused.exit_code == 1 and "Only 0 of PAN-24" in refused.stderr


def test_doctor_repairs_stored_totals_that_disagree_with_the_records(stocked):
    stocked("book mike PAN-24:2", ok=True)
    data = read_ledger(stocked.home)
    data["meta"]["1"]["reserved"] = {"PAN-24": 3}  # as if edited by hand
    main = stocked.home / "olshop.json"
    lines = main.read_bytes().split(b"\n")
    lines[0] = json.dumps({"meta": data["meta"], "settings": data["settings"]}).encode()
    main.write_bytes(b"\n".join(lines))
    report = stocked("doctor")
    assert report.exit_code == 1
    assert "reserved units per SKU does not match" in report.stdout
    stocked("doctor --fix", ok=True)
    assert read_ledger(stocked.home)["meta"]["1"]["reserved"] == {"PAN-24": 2}
    assert "Booked B2" in stocked("book siti PAN-24", ok=True).stderr
