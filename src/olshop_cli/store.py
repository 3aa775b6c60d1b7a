"""The only module that touches the ledger's files: TinyDB databases and one commit point.

Layout of the ledger folder:

    olshop.json         the manifest: for each data file its current version (file name, size,
                        SHA-256), and the earlier versions `undo` can go back to. Replacing this
                        one small file is the single atomic step that commits a change.
    data/NAME.V.json    TinyDB databases, never changed once written: `shop` (settings and
                        counters), `products`, `customers-00`..`-15` (by key), `bookings-0`..`-7`
                        (open bookings by number), `archive-NNNN` (closed bookings, 250 a
                        file), `past-00`..`-63` (each customer's closed booking numbers),
                        `days-YYYY-MM` (the closed bookings summed per day, for reports),
                        `phones-00`..`-15` (which customer has which phone)
    versions/V.json     the manifest of each kept earlier version: the backups

A change reads only the files it needs through TinyDB (`Table`, `Query`), and its TinyDB
writes stay in memory until it commits: every touched database is written as a new file
(fsynced), then the new manifest replaces the old one. A crash before that rename leaves the
old version, after it the new one. Files not touched are shared by both versions, so a
backup costs nothing, and undo or restore commits a manifest naming an earlier version's
files, each checked against its SHA-256 first. Readers take no lock: one manifest names one
consistent version, whatever a writer does meanwhile.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from olshop_cli import paths
from olshop_cli.errors import LedgerError, NotFound
from olshop_cli.ledger import Ledger
from olshop_cli.models import Booking, Customer, Product

FORMAT = 3
CUSTOMER_SHARDS = 16
BOOKING_SHARDS = 8
ARCHIVE_BUCKET = 250  # small files: a customer's history reads one per booking
PAST_SHARDS = 64  # each customer's closed booking numbers, by key
PHONE_SHARDS = 16  # phone -> customer key
DAILY_VERSIONS = 7  # besides the last N changes, the first version of each of the last 7 days
LOCK_TIMEOUT = 10.0  # seconds; OLSHOP_LOCK_TIMEOUT overrides
# Tests of logic (not of durability) switch fsync off to run thousands of changes quickly.
DURABLE = True
# A data file's name as a manifest may give it: no folder, no way out of data/.
FILE_NAME = re.compile(r"[a-z0-9-]{1,40}\.[0-9]{1,12}\.json")
LOGICAL_NAME = re.compile(
    r"shop|products|customers-\d\d|bookings-\d|archive-\d{4,}|past-\d\d|days-\d{4}-\d\d|phones-\d\d"
)
WAY_OUT = "Nothing was changed. See what olshop doctor says, or olshop backup list."


def _damaged(path: Path | str, why: str, hint: str = WAY_OUT) -> LedgerError:
    return LedgerError(f"The ledger file {path} {why}, so olshop will not use it.", hint)


def _os_error(path: Path, exc: OSError, doing: str = "write") -> LedgerError:
    return LedgerError(
        f"Could not {doing} {path}: {exc.strerror or exc}.",
        "The change was not saved; free some disk space or check the folder's permissions, "
        "then try again."
        if doing == "write"
        else "Check the file's permissions.",
    )


# ----- files -------------------------------------------------------------------------------


def _fsync_folder(folder: Path) -> None:
    if not DURABLE or sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new(path: Path, blob: bytes, mode: int = 0o600) -> None:
    """Create `path` (it must not exist) holding `blob`, flushed to disk. Until a manifest
    names it, a half-written file is only garbage that the next change sweeps away."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            if DURABLE:
                os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def replace_atomic(path: Path, blob: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `blob` so that a crash leaves the old or the new file, never a mix:
    a private temporary file beside it, fsync, rename over it, fsync the folder."""
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        write_new(tmp, blob, mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_folder(folder)


def _digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


# ----- manifests ---------------------------------------------------------------------------


@dataclass
class Manifest:
    """One committed version: its number, what made it, its files and the kept history."""

    version: int
    at: str
    command: str
    files: dict[str, dict]  # logical name -> {"file", "bytes", "sha256"}
    history: list[dict]  # {"version", "at", "command"}, oldest first

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "version": self.version,
            "at": self.at,
            "command": self.command,
            "files": self.files,
            "history": self.history,
        }


class OldFormat(LedgerError):
    """The folder holds a ledger written by an earlier olshop (upgraded under the lock)."""


def parse_manifest(blob: bytes, where: Path | str) -> Manifest:
    """A manifest from its bytes, every field checked; no file it names can be outside data/."""
    if blob.startswith(b'{"meta":'):
        raise OldFormat(f"{where} is in an earlier format.")
    try:
        data = orjson.loads(blob)
    except (ValueError, UnicodeDecodeError):
        raise _damaged(where, "is not valid JSON (cut off or edited by hand?)") from None
    if isinstance(data, dict) and "meta" in data and "format" not in data:
        raise OldFormat(f"{where} is in an earlier format.")
    try:
        if data.get("format") != FORMAT:
            raise _damaged(where, f"has format {data.get('format')!r}, not {FORMAT}")
        files = data["files"]
        for name, entry in files.items():
            if not LOGICAL_NAME.fullmatch(name) or not isinstance(entry, dict):
                raise _damaged(where, f"names an unknown data file {name!r}")
            file = entry["file"]
            if not isinstance(file, str) or not FILE_NAME.fullmatch(file):
                raise _damaged(where, f"names {file!r}, which is not a file in the data folder")
            if not file.startswith(name + ".") or type(entry["bytes"]) is not int:
                raise _damaged(where, f"does not describe {file} properly")
            if not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]):
                raise _damaged(where, f"has no proper SHA-256 for {file}")
        history = data["history"]
        for item in history:
            if type(item["version"]) is not int or not isinstance(item["command"], str):
                raise _damaged(where, "has a history entry without the right fields")
        if type(data["version"]) is not int:
            raise _damaged(where, "has no version number")
        return Manifest(data["version"], str(data["at"]), str(data["command"]), files, history)
    except LedgerError:
        raise
    except (TypeError, KeyError, AttributeError):
        raise _damaged(where, "does not have the shape of a manifest") from None


# ----- one version's databases, and the TinyDB storage over them ----------------------------


class VersionStorage(Storage):
    """TinyDB's storage for one data file of a version (TinyDB's extension point).

    `read` gives the document of the version being read, checked against its size and
    SHA-256; `write` keeps the new document in memory: it reaches the disk, as a new file,
    only when the change commits (see `Files.commit`).
    """

    def __init__(self, files: Files, name: str):
        self.files = files
        self.name = name

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self.files.document(self.name)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.files.stage(self.name, data)

    def close(self) -> None:
        """Nothing is held open."""


class Files:
    """The data files of one version of the ledger, read when first used; and the databases
    a change wrote, until it commits them."""

    def __init__(self, home: Path, manifest: Manifest | None):
        self.home = home
        self.data = home / paths.DATA_DIR
        self.manifest = manifest
        self._docs: dict[str, dict] = {}
        self._dbs: dict[str, TinyDB] = {}
        self.staged: set[str] = set()

    def names(self, prefix: str) -> list[str]:
        """The logical names of the files that start with `prefix`, in order."""
        known = set(self.manifest.files if self.manifest else ()) | set(self._docs)
        return sorted(n for n in known if n.startswith(prefix))

    def document(self, name: str) -> dict | None:
        """The whole TinyDB document of a data file (None: the version has no such file)."""
        if name not in self._docs:
            entry = self.manifest.files.get(name) if self.manifest else None
            if entry is None:
                return None
            self._docs[name] = self._read(entry)
        return self._docs[name]

    def _read(self, entry: dict) -> dict:
        path = self.data / entry["file"]
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise _damaged(path, "is missing") from None
        except OSError as exc:
            raise _os_error(path, exc, "read") from None
        return check_document(blob, entry, path)

    def stage(self, name: str, data: dict) -> None:
        self._docs[name] = data
        self.staged.add(name)

    def database(self, name: str) -> TinyDB:
        """The TinyDB database of one data file."""
        if name not in self._dbs:
            self._dbs[name] = TinyDB(files=self, name=name, storage=VersionStorage)
        return self._dbs[name]

    def table(self, name: str, table: str) -> Table:
        return self.database(name).table(table)


def check_document(blob: bytes, entry: dict, path: Path) -> dict:
    """A data file's document, if its bytes are the ones the manifest recorded."""
    if len(blob) != entry["bytes"] or _digest(blob) != entry["sha256"]:
        raise _damaged(path, "is damaged (it is not as olshop wrote it)")
    try:
        data = orjson.loads(blob)
    except ValueError:
        raise _damaged(path, "is not valid JSON") from None
    if not isinstance(data, dict) or not all(
        isinstance(t, dict) and all(isinstance(d, dict) for d in t.values()) for t in data.values()
    ):
        raise _damaged(path, "does not have the shape of a TinyDB database")
    return data


# ----- records as the domain sees them -------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How one kind of record is stored: its table, key field and which file holds it."""

    table: str
    key: str
    make: Callable[[dict], Any]
    shard: Callable[[Any], str]  # the file that holds a key
    prefix: str  # every file of this kind starts with it
    numbered: bool = False  # the key is the document id (bookings)


CUSTOMERS = Kind(
    "customers",
    "key",
    Customer.from_dict,
    lambda key: f"customers-{zlib.crc32(str(key).encode()) % CUSTOMER_SHARDS:02d}",
    "customers-",
)
PRODUCTS = Kind("products", "sku", Product.from_dict, lambda sku: "products", "products")
OPEN_BOOKINGS = Kind(
    "bookings",
    "number",
    Booking.from_dict,
    lambda number: f"bookings-{number % BOOKING_SHARDS}",
    "bookings-",
    numbered=True,
)


class Records(MutableMapping):
    """Customers, products or open bookings by key, read through TinyDB when first asked for.

    Behaves as a dict of objects: `ledger.customers["mike"]`, `in`, `values()`, assignment
    and `del`. Each record is built once and remembered with the document it came from;
    `flush` writes back, through TinyDB, only those that were added, changed or removed.
    """

    def __init__(self, files: Files, kind: Kind):
        self.files = files
        self.kind = kind
        self._objects: dict[Any, Any] = {}
        self._stored: dict[Any, tuple[int, dict]] = {}  # key -> (doc_id, document as read)
        self._removed: set[Any] = set()
        self._ids: dict[str, dict] = {}  # shard -> {key: doc_id}
        self._complete = False

    def _table(self, shard: str) -> Table:
        return self.files.table(shard, self.kind.table)

    def _build(self, doc: Document, shard: str) -> Any:
        key = doc.get(self.kind.key)
        if key in self._objects or key in self._removed:
            return self._objects.get(key)
        try:
            obj = self.kind.make(dict(doc))
        except (TypeError, KeyError, ValueError, AttributeError):
            raise _damaged(
                self.files.data / shard, f"holds {self.kind.table} without the right fields"
            ) from None
        self._objects[key] = obj
        self._stored[key] = (doc.doc_id, dict(doc))
        return obj

    def _load(self, key: Any) -> Any:
        if key in self._objects:
            return self._objects[key]
        if key in self._removed or self._complete:
            return None
        if self.kind.numbered:
            if type(key) is not int:
                return None
            shard = self.kind.shard(key)
            doc = self._table(shard).get(doc_id=key)
        else:
            if type(key) is not str:
                return None
            shard = self.kind.shard(key)
            table = self._table(shard)
            if shard not in self._ids:  # the shard's keys, read once: many lookups are cheap
                self._ids[shard] = {doc.get(self.kind.key): doc.doc_id for doc in table}
            doc_id = self._ids[shard].get(key)
            doc = None if doc_id is None else table.get(doc_id=doc_id)
        return None if doc is None else self._build(doc, shard)  # type: ignore[arg-type]

    def _load_all(self) -> None:
        if not self._complete:
            for shard in self.files.names(self.kind.prefix):
                for doc in self._table(shard).all():
                    self._build(doc, shard)
            self._complete = True

    def __getitem__(self, key: Any) -> Any:
        obj = self._load(key)
        if obj is None:
            raise KeyError(key)
        return obj

    def __contains__(self, key: object) -> bool:
        return self._load(key) is not None

    def __setitem__(self, key: Any, value: Any) -> None:
        self._load(key)
        self._removed.discard(key)
        self._objects[key] = value

    def __delitem__(self, key: Any) -> None:
        if self._load(key) is None:
            raise KeyError(key)
        del self._objects[key]
        self._removed.add(key)

    def __iter__(self) -> Iterator:
        self._load_all()
        return iter(sorted(self._objects))

    def __len__(self) -> int:
        self._load_all()
        return len(self._objects)

    def values(self) -> list:  # type: ignore[override]
        self._load_all()
        return [self._objects[key] for key in sorted(self._objects)]

    def flush(self, batch: Batch) -> None:
        """Hand the records added, changed or removed since reading to `batch` (and the
        phones of customers to the phone index)."""
        phones = PhoneIndex(batch) if self.kind is CUSTOMERS else None
        table = self.kind.table
        for key in self._removed:
            if key in self._stored:
                doc_id, gone = self._stored.pop(key)
                batch.put(self.kind.shard(key), table, doc_id, None)
                if phones is not None:
                    phones.move(gone.get("phone"), None, key)
        self._removed.clear()
        for key, obj in self._objects.items():
            data = obj.to_dict()
            if key in self._stored and self._stored[key][1] == data:
                continue
            shard = self.kind.shard(key)
            if phones is not None:
                was = self._stored[key][1].get("phone") if key in self._stored else None
                phones.move(was, data.get("phone"), key)
            if key in self._stored:
                doc_id = self._stored[key][0]
            elif self.kind.numbered:
                doc_id = key
            else:
                doc_id = batch.new_id(shard, table)
            batch.put(shard, table, doc_id, data)
            self._stored[key] = (doc_id, data)


class Batch:
    """Changes to many documents, applied to each table in one pass. TinyDB rewrites a
    whole table for every insert or update, so a change that touches 5,000 records of one
    table (an import, an upgrade) must not be 5,000 rewrites of it."""

    FEW = 8  # up to this many changes a table, one TinyDB call each

    def __init__(self, files: Files):
        self.files = files
        self.pending: dict[tuple[str, str], dict[int, dict | None]] = {}
        self._next: dict[tuple[str, str], int] = {}

    def get(self, name: str, table: str, doc_id: int) -> dict:
        """A document as this batch will leave it ({} if none)."""
        changes = self.pending.get((name, table), {})
        if doc_id in changes:
            return dict(changes[doc_id] or {})
        return _doc(self.files.table(name, table), doc_id)

    def put(self, name: str, table: str, doc_id: int, doc: dict | None) -> None:
        """Set a document (None: remove it)."""
        self.pending.setdefault((name, table), {})[doc_id] = doc

    def new_id(self, name: str, table: str) -> int:
        """A document id not used in that table yet."""
        if (name, table) not in self._next:
            ids = [doc.doc_id for doc in self.files.table(name, table)]
            self._next[(name, table)] = max(ids, default=0) + 1
        self._next[(name, table)] += 1
        return self._next[(name, table)] - 1

    def apply(self) -> None:
        """Write every change through TinyDB: each table once."""
        for (name, table_name), changes in self.pending.items():
            table = self.files.table(name, table_name)
            if len(changes) <= self.FEW:
                for doc_id, doc in changes.items():
                    if doc is None:
                        table.remove(doc_ids=[doc_id])
                    else:
                        table.upsert(Document(doc, doc_id=doc_id))
                continue
            docs = {doc.doc_id: dict(doc) for doc in table.all()}
            for doc_id, doc in changes.items():
                if doc is None:
                    docs.pop(doc_id, None)
                else:
                    docs[doc_id] = doc
            table.truncate()
            table.insert_multiple(Document(doc, doc_id=i) for i, doc in sorted(docs.items()))
        self.pending.clear()


class PhoneIndex:
    """Which customer has which phone (E.164 -> key), in PHONE_SHARDS files by the
    phone's checksum: `book 0812...` reads one small file, not every customer."""

    def __init__(self, source: Files | Batch):
        self.batch = source if isinstance(source, Batch) else None
        self.files = source.files if isinstance(source, Batch) else source

    @staticmethod
    def _where(phone: str) -> tuple[str, int]:
        crc = zlib.crc32(phone.encode())
        return f"phones-{crc % PHONE_SHARDS:02d}", crc // PHONE_SHARDS + 1

    def get(self, phone: str) -> str | None:
        name, doc_id = self._where(phone)
        key = _doc(self.files.table(name, "phones"), doc_id).get(phone)
        return key if isinstance(key, str) else None

    def move(self, old: str | None, new: str | None, key: str) -> None:
        """Record that `key` gave up phone `old` and took `new` (either may be None)."""
        assert self.batch is not None
        if old == new:
            return
        for phone, owner in ((old, None), (new, key)):
            if not phone:
                continue
            name, doc_id = self._where(phone)
            found = self.batch.get(name, "phones", doc_id)
            if owner is not None:
                found[phone] = owner
            elif found.get(phone) == key:
                del found[phone]
            else:
                continue
            self.batch.put(name, "phones", doc_id, found)


class Archive:
    """Closed bookings, ARCHIVE_BUCKET to a file by number, read only when asked for."""

    def __init__(self, files: Files):
        self.files = files

    @staticmethod
    def name_of(number: int) -> str:
        return f"archive-{(number - 1) // ARCHIVE_BUCKET + 1:04d}"

    def _make(self, doc: dict, name: str) -> Booking:
        try:
            return Booking.from_dict(doc)
        except (TypeError, KeyError, ValueError, AttributeError):
            raise _damaged(
                self.files.data / name, "holds a booking without the right fields"
            ) from None

    def get(self, number: int) -> Booking | None:
        """The closed booking with that number, if the archive has it."""
        name = self.name_of(number)
        doc = self.files.table(name, "bookings").get(doc_id=number)
        return None if doc is None else self._make(dict(doc), name)  # type: ignore[arg-type]

    def all(self) -> Iterator[Booking]:
        """Every closed booking, by number, one file at a time (years of history stream
        through in little memory)."""
        for name in self.files.names("archive-"):
            docs = sorted(self.files.table(name, "bookings").all(), key=lambda d: d.doc_id)
            self.files._docs.pop(name, None)  # read once: let it go
            self.files._dbs.pop(name, None)
            for doc in docs:
                yield self._make(dict(doc), name)

    def days(self, first: str | None, last: str) -> Iterator[dict]:
        """The summed days (report.by_day) of the closed bookings, from `first` (None: the
        first) to `last`, both YYYY-MM-DD, in order."""
        for name in self.files.names("days-"):
            month = name[len("days-") :]
            if (first is None or month >= first[:7]) and month <= last[:7]:
                for doc in sorted(self.files.table(name, "days").all(), key=lambda d: d.doc_id):
                    day = str(doc.get("day", ""))
                    if (first is None or day >= first) and day <= last:
                        yield dict(doc)

    def numbers_of(self, customer: str) -> list[int]:
        """The numbers of a customer's closed bookings (from their part of the index)."""
        found = _doc(self.files.table(_past_of(customer), "past"), _doc_id(customer))
        return [n for n in found.get(customer, []) if type(n) is int]

    def put(self, bookings: list[Booking], batch: Batch) -> None:
        """Add closed bookings, their numbers to each customer's list and their shares of
        reports to the sums of their days."""
        from olshop_cli.report import add, by_day

        added: dict[str, list[int]] = {}
        for booking in bookings:
            batch.put(self.name_of(booking.number), "bookings", booking.number, booking.to_dict())
            added.setdefault(booking.customer, []).append(booking.number)
        for day, share in by_day(bookings).items():  # what reports of whole days add up
            name, doc_id = f"days-{day[:7]}", int(day.replace("-", ""))
            summed = batch.get(name, "days", doc_id) or {"day": day}
            add(summed, share)
            batch.put(name, "days", doc_id, summed)
        for customer, numbers in added.items():
            name, doc_id = _past_of(customer), _doc_id(customer)
            lists = {k: list(v) for k, v in batch.get(name, "past", doc_id).items()}
            lists[customer] = sorted(set(lists.get(customer, [])) | set(numbers))
            batch.put(name, "past", doc_id, lists)


def _doc(table: Table, doc_id: int) -> dict:
    """One document of a table as a plain dict ({} if there is none)."""
    found = table.get(doc_id=doc_id)
    return dict(found) if isinstance(found, dict) else {}


def _past_of(customer: str) -> str:
    return f"past-{zlib.crc32(customer.encode()) % PAST_SHARDS:02d}"


def _doc_id(customer: str) -> int:
    """Customers whose keys share a checksum share a document in their part of the index."""
    return zlib.crc32(customer.encode()) // PAST_SHARDS + 1


# ----- the lock ------------------------------------------------------------------------------


class _Lock:
    """One writer at a time: an exclusive flock on the ledger folder itself. No lock file is
    opened, so nothing in the folder (a symlink, a deleted or replaced file) can defeat it
    or be harmed by it; a killed writer's lock goes with its process."""

    def __init__(self, folder: Path, timeout: float):
        self.folder = folder
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self) -> _Lock:
        try:
            self.fd = _open_lock(self.folder)
        except OSError as exc:
            raise _os_error(self.folder, exc, "lock") from None
        deadline = time.monotonic() + self.timeout
        while not _try_lock(self.fd):
            if time.monotonic() >= deadline:
                os.close(self.fd)
                self.fd = None
                raise LedgerError(
                    "The ledger is busy: another olshop is changing it right now.",
                    "Nothing was changed; try again in a moment.",
                )
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            _unlock(self.fd)
            os.close(self.fd)
            self.fd = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _open_lock(folder: Path) -> int:
        # Windows cannot lock a folder: a lock file, never truncated.
        return os.open(folder / paths.LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, 0)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _open_lock(folder: Path) -> int:
        return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# ----- the store -----------------------------------------------------------------------------


class Store:
    """The ledger folder: read a version, or change the ledger and commit a new one."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.manifest_path = self.home / paths.MAIN_FILE
        self.data = self.home / paths.DATA_DIR
        self.versions = self.home / paths.VERSIONS_DIR
        self.notices: list[str] = []  # for the seller, on stderr (the one-time upgrade line)

    # -- reading

    def current(self) -> Manifest | None:
        """The committed manifest; None if the folder holds no ledger yet."""
        try:
            blob = self.manifest_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _os_error(self.manifest_path, exc, "read") from None
        return parse_manifest(blob, self.manifest_path)

    def load(self) -> Ledger:
        """A read-only snapshot of the ledger (no lock: a manifest names one version)."""
        try:
            current = self.current()
        except OldFormat:
            current = None
        if current is None:  # no ledger yet, or one to upgrade first
            with self.locked():
                current = self.current() or self._create()
        return self._ledger(Files(self.home, current))

    def _ledger(self, files: Files) -> Ledger:
        shop = files.database("shop")
        settings = _doc(shop.table("settings"), 1)
        meta = _doc(shop.table("meta"), 1)
        try:
            next_booking = int(meta.get("next_booking", 1))
            retired = list(meta.get("retired_keys", []))
            marked = meta.get("hit_and_run")
            marked = None if marked is None else [str(key) for key in marked]
        except (TypeError, ValueError):
            raise _damaged(self.data / "shop", "does not have the shape of a ledger") from None
        return Ledger(
            customers=Records(files, CUSTOMERS),
            products=Records(files, PRODUCTS),
            bookings=Records(files, OPEN_BOOKINGS),
            settings=settings,
            next_booking=next_booking,
            retired_keys=retired,
            archive=Archive(files),
            hit_and_run=marked,
            phone_index=PhoneIndex(files).get,
        )

    # -- changing

    def _ensure_home(self) -> None:
        try:
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.data.mkdir(mode=0o700, exist_ok=True)
            self.versions.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise LedgerError(
                f"Could not create the ledger folder {self.home}: {exc.strerror}.",
                "Point OLSHOP_HOME (or --home) at a folder you can write to.",
            ) from exc

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the ledger's lock (one writer at a time)."""
        self._ensure_home()
        timeout = float(os.environ.get("OLSHOP_LOCK_TIMEOUT", LOCK_TIMEOUT))
        with _Lock(self.home, timeout):
            self._upgrade_if_needed()
            yield

    def _upgrade_if_needed(self) -> None:
        """A ledger written by an earlier olshop is moved to this format first, once."""
        try:
            self.current()
        except OldFormat:
            from olshop_cli.upgrade import upgrade

            self.notices.append(upgrade(self))

    @contextmanager
    def change(self, command: str = "olshop") -> Iterator[Ledger]:
        """Lock, read, let the caller change the ledger, then commit it all or nothing.

        If the caller raises, nothing is written. `command` is what `undo` will say it undid.
        """
        with self.locked():
            current = self.current()
            if current is None:  # zero set-up: an empty ledger first, so the first change
                current = self._create()  # can be undone like any other
            files = Files(self.home, current)
            ledger = self._ledger(files)
            yield ledger
            if ledger.dirty:
                self.write_ledger(files, ledger)
                self.commit(files, command, ledger.changed_at, ledger.keep_backups)
                ledger.dirty = False

    def _create(self) -> Manifest:
        files = Files(self.home, None)
        self.write_ledger(files, self._ledger(files))
        return self.commit_on(None, files, "olshop (new ledger)", None, 1)

    def write_ledger(self, files: Files, ledger: Ledger) -> None:
        """Hand the ledger's changes to TinyDB (nothing reaches the disk yet)."""
        batch = Batch(files)
        for records in (ledger.customers, ledger.products, ledger.bookings):
            if isinstance(records, Records):
                records.flush(batch)
        if ledger.closed_now:
            Archive(files).put(ledger.closed_now, batch)
            ledger.closed_now = []
        batch.apply()
        shop = files.database("shop")
        meta = {
            "next_booking": ledger.next_booking,
            "retired_keys": sorted(ledger.retired_keys),
            "hit_and_run": sorted(ledger.marked),
        }
        for table, doc in (("settings", ledger.settings), ("meta", meta)):
            if _doc(shop.table(table), 1) != doc:
                shop.table(table).upsert(Document(dict(doc), doc_id=1))

    def _next_version(self, current: Manifest | None) -> int:
        """One more than any version seen, committed or left half-written by a crash."""
        highest = current.version if current else 0
        for folder in (self.data, self.versions):
            for name in os.listdir(folder):
                number = name.split(".")[-2] if name.count(".") >= 2 else name.split(".")[0]
                if number.isdigit():
                    highest = max(highest, int(number))
        return highest + 1

    def commit(
        self,
        files: Files,
        command: str,
        at: datetime | None,
        keep: int,
        base: dict[str, dict] | None = None,
        history: list[dict] | None = None,
    ) -> Manifest:
        """Write the staged databases as new files, then commit a manifest naming them.

        `base` (the files of an earlier version, for undo and restore) and `history` replace
        the current version's when given.
        """
        return self.commit_on(self.current(), files, command, at, keep, base, history)

    def commit_on(
        self,
        current: Manifest | None,
        files: Files,
        command: str,
        at: datetime | None,
        keep: int,
        base: dict[str, dict] | None = None,
        history: list[dict] | None = None,
    ) -> Manifest:
        """`commit` on top of `current` (None: a first version, whatever the folder held)."""
        moment = (at or datetime.now().astimezone()).isoformat(timespec="seconds")
        version = self._next_version(current)
        names = dict(base if base is not None else (current.files if current else {}))
        written: list[Path] = []
        try:
            for name in sorted(files.staged):
                blob = orjson.dumps(files._docs[name])
                file = f"{name}.{version}.json"
                write_new(self.data / file, blob)
                written.append(self.data / file)
                names[name] = {"file": file, "bytes": len(blob), "sha256": _digest(blob)}
            if history is None:
                history = list(current.history) if current else []
                if current is not None:
                    history.append({"version": current.version, "at": moment, "command": command})
            history = _retained(history, keep, at)
            manifest = Manifest(version, moment, command, names, history)
            blob = orjson.dumps(manifest.to_dict())
            write_new(self.versions / f"{version:06d}.json", blob)
            written.append(self.versions / f"{version:06d}.json")
            _fsync_folder(self.data)
            _fsync_folder(self.versions)
            replace_atomic(self.manifest_path, blob)
        except OSError as exc:
            for path in written:
                path.unlink(missing_ok=True)
            raise _os_error(self.manifest_path, exc) from None
        files.staged.clear()
        files.manifest = manifest
        self._sweep(manifest)
        return manifest

    def _sweep(self, manifest: Manifest) -> None:
        """Delete the files no kept version names (dropped versions, crashed changes)."""
        kept = {manifest.version, *(item["version"] for item in manifest.history)}
        wanted = {entry["file"] for entry in manifest.files.values()}
        for number in kept - {manifest.version}:
            try:
                old = self._version(number)
            except LedgerError:
                return  # not sure what is needed: delete nothing
            wanted.update(entry["file"] for entry in old.files.values())
        for name in os.listdir(self.data):
            if name not in wanted:
                (self.data / name).unlink(missing_ok=True)
        for name in os.listdir(self.versions):
            stem = name.split(".")[0]
            if not (stem.isdigit() and name == f"{stem}.json" and int(stem) in kept):
                (self.versions / name).unlink(missing_ok=True)
        for name in os.listdir(self.home):
            if name.startswith(".") and name.endswith(".tmp"):
                (self.home / name).unlink(missing_ok=True)

    # -- backups

    def _version(self, number: int) -> Manifest:
        path = self.versions / f"{number:06d}.json"
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise LedgerError(
                f"The backup of version {number} ({path}) is missing.",
                "Nothing was changed. Choose another one from olshop backup list.",
            ) from None
        except OSError as exc:
            raise _os_error(path, exc, "read") from None
        return parse_manifest(blob, path)

    def _verified(self, number: int) -> Manifest:
        """An earlier version whose every file is present and as written, or a refusal
        naming what is wrong with it."""
        manifest = self._version(number)
        for entry in manifest.files.values():
            path = self.data / entry["file"]
            try:
                blob = path.read_bytes()
            except OSError:
                raise LedgerError(
                    f"Backup {number} cannot be brought back: its file {path} is missing.",
                    "Nothing was changed. Choose another one from olshop backup list.",
                ) from None
            if len(blob) != entry["bytes"] or _digest(blob) != entry["sha256"]:
                raise LedgerError(
                    f"Backup {number} cannot be brought back: its file {path} is damaged.",
                    "Nothing was changed. Choose another one from olshop backup list.",
                )
        return manifest

    def entries(self) -> list[dict]:
        """The earlier versions undo and restore can go back to, oldest first."""
        current = self.current()
        return list(current.history) if current else []

    def _keep(self, files: Files) -> int:
        settings = _doc(files.table("shop", "settings"), 1)
        from olshop_cli.settings import DEFAULTS

        try:
            return int(settings.get("backups", DEFAULTS["backups"]))
        except (TypeError, ValueError):
            return int(DEFAULTS["backups"])

    def undo(self, steps: int = 1, at: datetime | None = None) -> list[dict]:
        """Go back `steps` changes in one commit; returns the entries undone, newest first."""
        with self.locked():
            current = self.current()
            history = list(current.history) if current else []
            if not history:
                raise NotFound("There is no change to undo.", "See olshop backup list.")
            if steps > len(history):
                raise NotFound(
                    f"Only {len(history)} change(s) can be undone.", "See olshop backup list."
                )
            undone = history[-steps:][::-1]
            target = self._verified(undone[-1]["version"])
            keep = self._keep(Files(self.home, target))
            files = Files(self.home, target)
            self.commit(files, "olshop undo", at, keep, target.files, history[:-steps])
            return undone

    def restore(self, number: int, command: str, at: datetime | None = None) -> dict:
        """Bring back the ledger as it was at version `number` (itself undoable)."""
        with self.locked():
            entries = self.entries()
            chosen = next((e for e in entries if e["version"] == number), None)
            if chosen is None:
                have = ", ".join(str(e["version"]) for e in entries[-10:]) or "none"
                raise NotFound(
                    f"There is no backup {number}.", f"Kept backups: {have} (olshop backup list)."
                )
            target = self._verified(number)
            files = Files(self.home, target)
            current = self.current()
            assert current is not None
            moment = (at or datetime.now().astimezone()).isoformat(timespec="seconds")
            history = [*entries, {"version": current.version, "at": moment, "command": command}]
            self.commit(files, command, at, self._keep(files), target.files, history)
            return chosen

    # -- checking

    def verify(self) -> tuple[list[str], list[str]]:
        """(problems, hints): every file of the current version that is missing or damaged,
        each with the backup to restore."""
        current = self.current()
        if current is None:
            return [], []
        problems, hints = [], []
        for name, entry in sorted(current.files.items()):
            path = self.data / entry["file"]
            try:
                blob = path.read_bytes()
                if len(blob) != entry["bytes"] or _digest(blob) != entry["sha256"]:
                    raise _damaged(path, "is damaged (it is not as olshop wrote it)")
            except OSError:
                problems.append(f"The ledger file {path} is missing.")
            except LedgerError as exc:
                problems.append(exc.message)
            else:
                continue
            hints.append(self._good_backup(current, name))
        return problems, hints

    def _good_backup(self, current: Manifest, name: str) -> str:
        for item in reversed(current.history):
            try:
                earlier = self._verified(item["version"])
            except LedgerError:
                continue
            if earlier.files.get(name, {}).get("file") != current.files[name]["file"]:
                return (
                    f"Bring back the last good version with: olshop backup restore "
                    f"{item['version']} (before: {item['command']})."
                )
        return "No kept backup has a good copy of it; restore it from an export if you have one."


def _retained(history: list[dict], keep: int, at: datetime | None) -> list[dict]:
    """The history to keep: the last `keep` entries, and the first entry of each of the
    last DAILY_VERSIONS days (a mistake found the next morning can still be undone)."""
    if not history:
        return history
    chosen = {id(item) for item in history[-keep:]} if keep > 0 else set()
    now = at or datetime.now().astimezone()
    oldest = (now - timedelta(days=DAILY_VERSIONS)).date().isoformat()
    seen_days: set[str] = set()
    for item in history:
        day = str(item.get("at", ""))[:10]
        if day >= oldest and day not in seen_days:
            seen_days.add(day)
            chosen.add(id(item))
    return [item for item in history if id(item) in chosen]
