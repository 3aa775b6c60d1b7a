"""The storage: TinyDB files, one commit point, the lock, damaged files refused, the archive."""

from __future__ import annotations

import errno
import json
import os
import sys
import zlib

import pytest
from ledgerfile import data_file, manifest, read_ledger

from olshop_cli import store as store_module
from olshop_cli.errors import LedgerError
from olshop_cli.store import Store
from olshop_cli.tables import Files, VersionStorage


def test_first_command_creates_a_private_ledger(shop):
    assert not shop.home.exists()
    result = shop("customer list", ok=True)
    assert "No customers yet" in result.stderr
    main = shop.home / "olshop.json"
    assert main.exists()
    if sys.platform != "win32":
        assert oct(shop.home.stat().st_mode & 0o777) == "0o700"
        assert oct(main.stat().st_mode & 0o777) == "0o600"
        for path in (shop.home / "data").iterdir():
            assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_every_part_is_a_tinydb_database(stocked):
    """A data file opens with plain TinyDB (read-only JSON) and with our storage."""
    from tinydb import Query, TinyDB
    from tinydb.storages import JSONStorage

    stocked("book mike PAN-24:2", ok=True)
    path = data_file(stocked.home, "products")
    with TinyDB(path, storage=JSONStorage, access_mode="r") as db:
        assert db.table("products").get(Query().sku == "PAN-24")["stock"] == 3
    files = Files(stocked.home, Store(stocked.home).current())
    with TinyDB(files=files, name="bookings-00000", storage=VersionStorage) as db:
        (booking,) = db.table("bookings").search(Query().status == "booked")
        assert booking["id"] == "B1" and booking["customer"] == "mike"
        assert db.table("bookings").get(doc_id=1)["total"] == 300_000


def test_a_change_writes_only_the_parts_it_touched(stocked):
    """`book` writes the buyer's customer part and one bookings part: the other customers,
    the products and the archive keep their files (shared with the version before)."""
    before = manifest(stocked.home)["files"]
    stocked("book mike PAN-24", ok=True)
    after = manifest(stocked.home)["files"]
    changed = {part for part in after if before.get(part) != after[part]}
    mike = next(
        p
        for p in after
        if p.startswith("customers-")
        and b'"mike"' in (stocked.home / "data" / after[p]["file"]).read_bytes()
    )
    index = f"open-{zlib.crc32(b'mike') % 16:02d}"  # mike's open bookings in the index
    # shop: the next booking number
    assert changed == {"bookings-00000", index, mike, "shop"}


MANIFEST_DAMAGE = {
    "empty": b"",
    "truncated": None,  # the real manifest cut in half, filled in by the test
    "not json": b"this is not json",
    "a list": b"[1, 2, 3]",
    "future format": b'{"format": 99}',
    "outside": None,  # a manifest naming ../x, filled in by the test
}


@pytest.mark.parametrize("kind", list(MANIFEST_DAMAGE))
@pytest.mark.parametrize("command", ["today", "book mike SPAT-1", "customer add Budi"])
def test_damaged_manifest_is_refused_and_left_alone(stocked, kind, command):
    main = stocked.home / "olshop.json"
    good = main.read_bytes()
    damaged = MANIFEST_DAMAGE[kind]
    if kind == "truncated":
        damaged = good[: len(good) // 2]
    elif kind == "outside":
        data = json.loads(good)
        data["files"]["products"]["file"] = "../../etc/passwd"
        damaged = json.dumps(data).encode()
    main.write_bytes(damaged)
    before = stocked.ledger_bytes()
    result = stocked.refused(command, str(main), "so olshop will not use it")
    assert "olshop doctor" in result.stderr
    assert stocked.ledger_bytes() == before


@pytest.mark.parametrize("how", ["truncated", "one byte changed", "missing", "not json"])
@pytest.mark.parametrize("command", ["bookings", "cancel B1", "pay B1"])
def test_a_damaged_data_file_is_refused_and_never_written_over(stocked, how, command):
    stocked("book mike PAN-24", ok=True)
    path = data_file(stocked.home, "bookings-00000")
    good = path.read_bytes()
    if how == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif how == "one byte changed":
        path.write_bytes(good.replace(b'"qty":1', b'"qty":2'))
    elif how == "missing":
        path.unlink()
    else:
        path.write_bytes(b"x" * len(good))
    before = stocked.ledger_bytes()
    result = stocked.refused(command, str(path))
    assert ("is missing" if how == "missing" else "is damaged") in result.stderr or (
        "not valid JSON" in result.stderr
    )
    assert stocked.ledger_bytes() == before


def test_closed_bookings_move_to_the_archive(stocked):
    stocked("book mike PAN-24", ok=True)
    stocked("book siti SPAT-1", ok=True)
    stocked("cancel B2 --reason 'ganti warna'", ok=True)
    stored = read_ledger(stocked.home)
    assert [b["id"] for b in stored["bookings"].values()] == ["B1"]
    archive = json.loads(data_file(stocked.home, "archive-0001").read_text())
    assert archive["bookings"]["2"]["status"] == "cancelled"
    assert archive["bookings"]["2"]["reason"] == "ganti warna"
    listed = json.loads(stocked("bookings --all --json", ok=True).stdout)
    assert [(b["id"], b["status"]) for b in listed] == [("B1", "booked"), ("B2", "cancelled")]
    # A closed booking is still known: refusals name its status.
    result = stocked("pay B2")
    assert result.exit_code == 1 and "B2 is cancelled" in result.stderr


def _failing(call, error, when):
    """An os function that fails like a full disk or a read-only folder when `when` holds."""
    real = getattr(os, call)

    def fake(*args, **kwargs):
        if when(args):
            raise error
        return real(*args, **kwargs)

    return fake


@pytest.mark.parametrize(
    "call, error, message",
    [
        ("replace", OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        ("open", PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
        ("open", OSError(errno.EROFS, "Read-only file system"), "Read-only file system"),
        ("fsync", OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
)
@pytest.mark.parametrize("command", ["book mike PAN-24", "cancel B1", "customer add Budi", "undo"])
def test_failed_write_leaves_ledger_unchanged(stocked, monkeypatch, call, error, message, command):
    stocked("book mike PAN-24", ok=True)  # B1, so that cancel moves it to the archive
    before = stocked.ledger_bytes()
    listing = sorted(p.name for p in stocked.home.rglob("*"))
    when = (
        (lambda args: "data" in str(args[0]) or "versions" in str(args[0]))
        if call == "open"
        else (lambda args: True)
    )
    monkeypatch.setattr(os, call, _failing(call, error, when))
    result = stocked(command)
    monkeypatch.undo()
    assert result.exit_code == 1, result.stderr
    assert "Could not write" in result.stderr and message in result.stderr
    assert "The change was not saved" in result.stderr
    assert result.stdout == ""
    assert stocked.ledger_bytes() == before
    assert sorted(p.name for p in stocked.home.rglob("*")) == listing  # nothing left behind


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_busy_ledger_is_refused_after_a_wait(stocked, monkeypatch):
    import fcntl

    before = stocked.ledger_bytes()
    monkeypatch.setenv("OLSHOP_LOCK_TIMEOUT", "0.3")
    fd = os.open(stocked.home, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = stocked("book mike PAN-24")
        # Reading needs no lock.
        assert stocked("bookings").exit_code == 0
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert "The ledger is busy: another olshop is changing it" in result.stderr
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
    assert result.exit_code == 1 and "Could not read" in result.stderr


def test_store_change_writes_nothing_when_the_command_fails(stocked):
    before = stocked.ledger_bytes()
    store = Store(stocked.home)
    with pytest.raises(LedgerError):
        with store.change() as ledger:
            ledger.set_setting("shop-name", "Half done")
            raise LedgerError("boom")
    assert stocked.ledger_bytes() == before
    assert not stocked("backup list --json", ok=True).stdout.count("Half done")


def test_a_reader_sees_one_version_while_a_change_commits(stocked):
    """A read-only snapshot keeps reading the version its manifest named, even after a
    change committed a new one (the files it names are kept)."""
    stocked("book mike PAN-24", ok=True)
    snapshot = Store(stocked.home).load()
    stocked("pay B1", ok=True)
    stocked("book siti SPAT-1", ok=True)
    assert snapshot.bookings[1].status == "booked"
    assert 2 not in snapshot.bookings
    assert Store(stocked.home).load().bookings[1].status == "paid"


def test_leftovers_of_a_crashed_change_are_swept(stocked):
    """Files a killed change wrote before its commit are named by no manifest: the next
    change deletes them, and numbers its version past them."""
    stale_data = stocked.home / "data" / "customers-01.900.json"
    stale_version = stocked.home / "versions" / "000900.json"
    stale_data.write_bytes(b'{"customers": {}}')
    stale_version.write_bytes(b"{}")
    (stocked.home / ".olshop.json.4242.abcd.tmp").write_bytes(b"{")
    stocked("customer add Budi", ok=True)
    assert manifest(stocked.home)["version"] == 901
    assert not stale_data.exists() and not stale_version.exists()
    assert not list(stocked.home.glob(".*.tmp"))


def test_durability_switch_is_on_by_default():
    assert store_module.DURABLE is True


def test_a_phone_finds_its_customer_through_the_index_alone(shop):
    """`book 0812...` reads one part of the phone index and the buyer's customer part, not
    every customer; edits, removals and re-adds keep the index right."""
    for i in range(40):
        shop(f"customer add 'Buyer {i}' --key b{i} --phone 0812-0000-{i:04d}", ok=True)
    ledger = Store(shop.home).load()
    assert ledger.find_customer("+62 812 0000 0007").key == "b7"
    read = set(ledger.customers.files._docs)
    assert len([p for p in read if p.startswith("customers-")]) == 1
    assert len([p for p in read if p.startswith("phones-")]) == 1
    shop("customer edit b7 --phone 0813-1111-2222", ok=True)
    shop.refused("book 081200000007 X", "No customer has the phone number 081200000007")
    assert "b7" in shop("customer show 0813-1111-2222 --json", ok=True).stdout
    shop("customer rm b7", ok=True)
    shop("customer add 'New Buyer' --key nb --phone 0813-1111-2222", ok=True)
    assert '"key": "nb"' in shop("customer show 081311112222 --json", ok=True).stdout
    taken = shop("customer add Other --phone 0812-0000-0003")
    assert taken.exit_code == 1 and "already belongs to Buyer 3 (b3)" in taken.stderr


def test_a_change_that_does_not_read_a_damaged_part_leaves_it_for_doctor(stocked):
    """Files are never written over: a change that does not need the damaged part commits
    and names that file, byte-identical, in its version; doctor then names it."""
    stocked("book mike PAN-24", ok=True)
    path = data_file(stocked.home, "bookings-00000")
    path.write_bytes(path.read_bytes()[:40])
    damaged = path.read_bytes()
    stocked("product add TOPI Topi --price 40rb", ok=True)
    assert data_file(stocked.home, "bookings-00000") == path and path.read_bytes() == damaged
    report = stocked("doctor")
    assert report.exit_code == 1 and f"{path} is damaged" in report.stdout


def test_history_keeps_the_last_changes_and_one_version_a_day_for_a_week():
    from datetime import datetime, timedelta

    from olshop_cli.store import _retained
    from olshop_cli.when import shop_zone

    now = datetime(2026, 11, 23, 20, 0, tzinfo=shop_zone("Asia/Jakarta"))
    history = []
    for day in range(10, 0, -1):  # three changes a day for ten days, then today's
        for hour in (9, 13, 17):
            at = (now - timedelta(days=day)).replace(hour=hour)
            history.append({"version": len(history) + 1, "at": at.isoformat(), "command": "c"})
    kept = _retained(history, 3, now)
    days = sorted({item["at"][:10] for item in kept})
    # The last three changes, and the first of each day from seven days ago on.
    assert [item["version"] for item in kept[-3:]] == [28, 29, 30]
    assert days == [f"2026-11-{d:02d}" for d in range(16, 23)]
    assert all(item["at"][11:13] == "09" for item in kept[:-3])
    assert len(kept) == 7 + 2  # day 22's first (09:00) is not among the last three


def test_searches_and_fields_see_what_the_change_did_before_it_is_written(stocked):
    """Listings build only the stored bookings a TinyDB query matches; within a change the
    bookings it added, changed or closed (not yet written) count as they are now."""
    from datetime import datetime, timedelta

    from olshop_cli.ledger import fields_of, select
    from olshop_cli.models import BOOKED, PAID
    from olshop_cli.when import shop_zone

    for _ in range(3):
        stocked("book mike SPAT-1", ok=True)  # B1..B3
    stocked("book siti SPAT-1", ok=True)  # B4
    now = datetime(2026, 11, 24, 9, 0, tzinfo=shop_zone("Asia/Jakarta"))
    with Store(stocked.home).change() as ledger:
        ledger.pay("B1", now)  # changed in memory: booked -> paid
        ledger.cancel("B2", now)  # closed: no longer open
        new = ledger.book("mike", ["SPAT-1"], now, now + timedelta(days=1))  # B5, not stored
        paid = select(ledger.bookings, lambda b: b.status == PAID, status=PAID)
        booked = select(ledger.bookings, lambda b: b.status == BOOKED, status=BOOKED)
        mikes = select(ledger.bookings, lambda b: b.customer == "mike", customer="mike")
        seen = fields_of(ledger.bookings, "status", "customer")
        ledger.dirty = False  # look, do not write
    assert [b.id for b in paid] == ["B1"]
    assert [b.id for b in booked] == ["B3", "B4", new.id]
    assert [b.id for b in mikes] == ["B1", "B3", new.id]
    assert seen == {
        1: (PAID, "mike"),
        3: (BOOKED, "mike"),
        4: (BOOKED, "siti"),
        5: (BOOKED, "mike"),
    }
    # A read-only snapshot builds only the matches of a query.
    ledger = Store(stocked.home).load()
    assert [
        b.id for b in select(ledger.bookings, lambda b: b.customer == "siti", customer="siti")
    ] == ["B4"]
    assert set(ledger.bookings._objects) == {4}  # the others were never built


def test_version_numbers_are_read_from_data_and_version_file_names():
    from olshop_cli.store import _numbered

    names = ["shop.12.json", "archive-0001.7.json", "000031.json", "notes.txt", "shop.json",
             ".olshop.json.1.tmp", "odd\n999.json", "Shop.5.json"]  # fmt: skip
    assert _numbered(names) == {"shop.12.json": 12, "archive-0001.7.json": 7, "000031.json": 31}
