"""The only module that touches the ledger files.

Layout of the ledger folder (TinyDB JSON documents: {table: {doc_id: document}}):

    olshop.json                 settings and meta, products, open bookings, customers:
                                JSON Lines, one table a line (the lines merged are the
                                TinyDB document), so a command parses only the tables
                                it uses: `reply greet` reads one short line, not 5,000
                                customers
    archive/bookings-0001.json  closed bookings B1..B1000, then -0002 for B1001..B2000...
    olshop.lock                 held (flock) by whichever command is changing the ledger
    backups/000042.json         what change 42 was, and which files it replaced
    backups/000042-olshop.json  the file as it was before change 42 (a hard link: free)

Daily commands read only `olshop.json`; closed bookings move to the archive so years of
history never slow them down. Every write goes to a temporary file in the same folder, is
fsynced, then replaces the old file in one step, so a crash leaves the old or the new file,
never a mix. A file that cannot be read is refused and never written over.

Files are only ever replaced, never modified in place, so keeping the previous version of a
file as a backup is a hard link to it: no copying, whatever the size of the ledger.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import orjson

from olshop_cli import paths
from olshop_cli.errors import LedgerError, NotFound
from olshop_cli.ledger import Ledger, Table
from olshop_cli.models import Booking, Customer, Product

# 1: the whole ledger as one JSON document (still read; the next change writes format 2).
# 2: JSON Lines: {"meta", "settings"} on the first line, then one line per table.
FORMAT = 2
FORMATS = (1, 2)
TABLES = ("products", "bookings", "customers")  # the order of the lines after the first
ARCHIVE_BUCKET = 1000
# Fields every stored record must have (checked on load: cheap, and a damaged record is
# refused before any command can write the file back).
REQUIRED = {
    "customers": {"key", "name"},
    "products": {"sku", "name", "price", "stock"},
    "bookings": {"number", "customer", "customer_name", "lines", "created", "deadline", "status"},
}
KEYS = {"customers": "key", "products": "sku", "bookings": "number"}
MAKERS = {"customers": Customer.from_dict, "products": Product.from_dict,
          "bookings": Booking.from_dict}  # fmt: skip
PREFIXES = {name: b'{"' + name.encode() + b'":' for name in TABLES}
LOCK_TIMEOUT = 10.0  # seconds; OLSHOP_LOCK_TIMEOUT overrides
# Tests of logic (not of durability) switch fsync off to run thousands of changes quickly.
DURABLE = True
WAY_OUT = (
    "Nothing was changed. See what olshop doctor says, or bring back an earlier version with "
    "olshop backup list and olshop backup restore N."
)


def _damaged(path: Path, why: str) -> LedgerError:
    return LedgerError(
        f"The ledger file {path} {why}, so olshop will not read or change it.", WAY_OUT
    )


class AtomicJSONStorage:
    """A TinyDB storage (its interface: read, write, close; TinyDB itself is not imported,
    which keeps every command ~5 ms faster) that refuses damaged files and replaces the
    file atomically: `TinyDB(path, storage=AtomicJSONStorage)` reads a ledger."""

    def __init__(self, path: Path, mode: int = 0o600):
        self.path = Path(path)
        self.mode = mode

    def read(self) -> dict | None:
        """The whole document, every table parsed; None when the file does not exist yet."""
        parts = self.read_parts()
        if parts is None:
            return None
        header, tables = parts
        data = dict(header)
        for name, blob in tables.items():
            data[name] = blob if isinstance(blob, dict) else self.parse_table(name, blob)
        return data

    def read_parts(self, lazy: bool = False) -> tuple[dict, dict[str, bytes | dict]] | None:
        """The first line parsed (meta, settings) and each table's line still unparsed
        (bytes), or parsed already (a dict) for a file in format 1. None: no file yet.

        `lazy` (read-only commands): read the first line only, and each table's line when
        it is first asked for, from the same open file (the same version of it, even if a
        change replaces the file meanwhile). `reply greet` never reads 2 MB of customers.
        """
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - kept open by a lazy read
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LedgerError(
                f"Could not read the ledger file {self.path}: {exc.strerror}.",
                "Check the file's permissions.",
            ) from exc
        try:
            if lazy and sys.platform != "win32":  # Windows cannot replace a file held open
                found = self._read_lazily(handle)
                if found is not None:
                    handle = None  # now owned by the lazy lines
                    return found
                handle.seek(0)
            raw = handle.read()
        except OSError as exc:
            raise LedgerError(
                f"Could not read the ledger file {self.path}: {exc.strerror}.",
                "Check the file's permissions.",
            ) from exc
        finally:
            if handle is not None:
                handle.close()
        if not raw or raw.isspace():
            raise _damaged(self.path, "is empty")
        lines = raw.split(b"\n")
        if len(lines) <= 2 or not lines[0].startswith(b'{"meta":'):
            # One document: format 1, an archive file, or a ledger pretty-printed by hand.
            data = self._parse(raw)
            header = {k: v for k, v in data.items() if k not in TABLES}
            return header, {k: v for k, v in data.items() if k in TABLES}
        if lines[-1] != b"":
            raise _damaged(self.path, "is cut off (its last line is not complete)")
        header = self._parse(lines[0])
        tables: dict[str, bytes | dict] = {}
        for line in lines[1:-1]:
            name = next((n for n, prefix in PREFIXES.items() if line.startswith(prefix)), None)
            if name is None or name in tables:
                raise _damaged(self.path, "has a line that is not one of its tables")
            tables[name] = line
        missing = [name for name in TABLES if name not in tables]
        if missing:
            raise _damaged(self.path, f"is cut off (its {missing[0]} table is missing)")
        return header, tables

    def _read_lazily(self, handle) -> tuple[dict, dict] | None:
        """The first line and lines read on demand, if the file is laid out as its first
        line says (every line's length); None: read it all the ordinary way."""
        first = handle.readline()
        if not first.startswith(b'{"meta":') or not first.endswith(b"\n"):
            return None
        header = self._parse(first[:-1])
        try:
            lengths = [int(header["meta"]["1"]["bytes"][name]) for name in TABLES]
        except (KeyError, TypeError, ValueError):
            return None
        if len(first) + sum(lengths) + len(lengths) != os.fstat(handle.fileno()).st_size:
            return None
        spans, at = {}, len(first)
        for name, length in zip(TABLES, lengths, strict=True):
            spans[name] = (at, length)
            at += length + 1
        return header, _LazyLines(self, handle, spans)

    def _parse(self, raw: bytes, deep: bool = True) -> dict:
        try:
            data = orjson.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise _damaged(self.path, "is not valid JSON (cut off or edited by hand?)") from None
        if not isinstance(data, dict) or not all(
            isinstance(table, dict)
            and (not deep or all(isinstance(doc, dict) for doc in table.values()))
            for table in data.values()
        ):
            raise _damaged(self.path, "does not have the shape of a ledger")
        return data

    def parse_table(self, name: str, line: bytes, deep: bool = True) -> dict:
        """One table's documents from its line (`deep`: check each is a JSON object)."""
        data = self._parse(line, deep)
        if list(data) != [name]:
            raise _damaged(self.path, "has a line that is not one of its tables")
        return data[name]

    def close(self) -> None:
        """Nothing to close: the file is never held open."""

    def write(self, data: dict) -> None:
        """Replace the file with `data` in one step: temp file, fsync, rename, fsync folder."""
        header = {k: v for k, v in data.items() if k not in TABLES}
        lines = [dumps(header)] + [dumps({n: data.get(n, {})}) for n in TABLES]
        write_atomic(self.path, b"\n".join(lines) + b"\n", self.mode)


class _LazyLines(dict):
    """Table lines read from the open ledger file when first asked for."""

    def __init__(self, storage: AtomicJSONStorage, handle, spans: dict[str, tuple[int, int]]):
        super().__init__()
        self._storage = storage
        self._handle = handle
        self._spans = spans

    def __contains__(self, name) -> bool:
        return name in self._spans

    def __missing__(self, name: str) -> bytes:
        at, length = self._spans[name]
        try:
            self._handle.seek(at)
            line = self._handle.read(length + 1)
        except OSError as exc:
            raise LedgerError(
                f"Could not read the ledger file {self._storage.path}: {exc.strerror}.",
                "Check the file's permissions.",
            ) from exc
        if line[-1:] != b"\n" or not line.startswith(PREFIXES[name]):
            raise _damaged(self._storage.path, "has a line that is not one of its tables")
        self[name] = line = line[:-1]
        return line


def dumps(data: dict) -> bytes:
    """The JSON bytes of a ledger document (compact UTF-8, as json.dumps would write it)."""
    return orjson.dumps(data)


def write_atomic(path: Path, blob: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `blob` so that a crash leaves the old or the new file, never a mix."""
    folder = path.parent
    tmp = None
    try:
        fd, tmp = _open_temp(folder, path.name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            if DURABLE:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
        if DURABLE:
            _fsync_folder(folder)
    except OSError as exc:
        raise LedgerError(
            f"Could not write the ledger file {path}: {exc.strerror or exc}.",
            "The change was not saved; free some disk space or check the folder's "
            "permissions, then try again.",
        ) from exc
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _open_temp(folder: Path, name: str) -> tuple[int, str]:
    """A new private file `.NAME.<pid>.<random>.tmp` beside the file it will replace (what
    tempfile.mkstemp does, without importing tempfile and random on every command)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class RecordLine(Table):
    """A table read from its line one record at a time while a command only looks records
    up by key (`book mike`, `pay B123`): 5,000 customers or 2,000 open bookings are not
    parsed to find one. New bookings are appended to the line, changed records spliced in.

    Only for a line olshop wrote itself (its checksum matched): a record is `"N":{"F":V,...}`
    where F is the table's key field, written first; it ends where the next `,"N":{"F":`
    starts, or at the line's closing `}}`. Inside JSON strings those quotes are escaped, so
    they cannot match by accident. Anything else (a key not found, a listing, a customer
    added or removed) parses the whole line first.
    """

    __slots__ = ("_line", "_single", "_added", "_whole", "_field", "_numbered", "_next")

    def __init__(self, line: bytes, field: str, numbered: bool, make, damaged, whole):
        super().__init__(None, make, damaged)
        self._line = line
        self._field = field.encode()
        self._numbered = numbered  # the line's keys are the records' numbers (bookings)
        self._next = re.compile(rb',"\d+":\{"' + self._field + rb'":')
        # key -> [stored dict or its object, start, end, stored dict as read]
        self._single: dict = {}
        self._added: dict = {}  # records added while the line was not parsed (appended)
        self._whole = whole  # () -> {key: stored dict}, the whole line parsed and checked

    @property
    def complete(self) -> bool:
        return self._items is not None

    def _all(self) -> dict:
        if self._items is None:
            items = self._whole()
            for key, entry in self._single.items():
                items[key] = entry[0]
            items.update(self._added)
            self._items = items
        return self._items

    def _find(self, key) -> list | None:
        if key in self._single:
            return self._single[key]
        if type(key) is not (int if self._numbered else str):
            return None
        line = self._line
        needle = b'{"' + self._field + b'":' + orjson.dumps(key) + b","
        start = line.find(needle)
        if start < 2 or line.find(needle, start + 1) >= 0 or line[start - 2 : start] != b'":':
            return None
        number = line[line.rfind(b'"', 0, start - 2) + 1 : start - 2]
        if not number.isdigit() or (self._numbered and int(number) != key):
            return None
        found = self._next.search(line, start)
        end = found.start() if found else len(line) - 2
        if not found and line[end:] != b"}}":
            return None
        try:
            doc = orjson.loads(line[start:end])
        except ValueError:
            return None
        name = "bookings" if self._numbered else "customers"
        if type(doc) is not dict or doc.get(self._field.decode()) != key:
            return None
        if not REQUIRED[name] <= doc.keys():
            return None
        entry = self._single[key] = [doc, start, end, doc]
        return entry

    def originals(self) -> list[dict]:
        """The records built from the line, as they were read (to count what changed)."""
        if self._items is not None:
            return []
        return [entry[3] for entry in self._single.values() if type(entry[0]) is not dict]

    def _obj(self, key):
        if self._items is None:
            if key in self._added:
                return self._added[key]
            entry = self._find(key)
            if entry is not None:
                if type(entry[0]) is dict:
                    entry[0] = self._build(entry[0])
                return entry[0]
            self._all()
        return super()._obj(key)

    def __contains__(self, key) -> bool:
        if self._items is None and (key in self._added or self._find(key) is not None):
            return True
        return key in self._all()

    def get(self, key, default=None):
        return self._obj(key) if key in self else default

    def record(self, key):
        if self._items is None:
            if key in self._added:
                return self._added[key]
            entry = self._find(key)
            if entry is not None:
                return entry[0]
        return self._all()[key]

    def built(self) -> list:
        if self._items is None:
            found = [e[0] for e in self._single.values() if type(e[0]) is not dict]
            return found + list(self._added.values())
        return super().built()

    def stored(self, numbered: bool) -> dict[str, dict] | bytes:
        if self._items is not None:
            return super().stored(numbered)
        parts, at = [], 0
        for value, start, end, _ in sorted(self._single.values(), key=lambda e: e[1]):
            parts.append(self._line[at:start])
            parts.append(dumps(value if type(value) is dict else value.to_dict()))
            at = end
        parts.append(self._line[at:])
        line = b"".join(parts)
        if self._added:  # appended before the closing `}}`, as a dict keeps insertion order
            more = b",".join(b'"%d":' % k + dumps(v.to_dict()) for k, v in self._added.items())
            line = line[:-2] + (b"" if line[-3:-2] == b"{" else b",") + more + b"}}"
        return line

    def __setitem__(self, key, value) -> None:
        if (
            self._items is None
            and self._numbered
            and type(key) is int
            and key not in self._added
            and self._line.find(b'"%d":{' % key) < 0  # surely new: append it
        ):
            self.touched = True
            self._added[key] = value
            return
        self._all()
        super().__setitem__(key, value)

    # Everything else needs every record.
    def __iter__(self):
        self._all()
        return super().__iter__()

    def __len__(self) -> int:
        self._all()
        return super().__len__()

    def keys(self):
        self._all()
        return super().keys()

    def values(self) -> list:
        self._all()
        return super().values()

    def items(self) -> list:
        self._all()
        return super().items()

    def __delitem__(self, key) -> None:
        self._all()
        super().__delitem__(key)

    def pop(self, key):
        self._all()
        return super().pop(key)

    def records(self):
        self._all()
        return super().records()


class _Lock:
    """An exclusive lock on a separate lock file, held for a command's read-modify-write."""

    def __init__(self, path: Path, timeout: float):
        self.path = path
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self) -> _Lock:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while not _try_lock(self.fd):
            if time.monotonic() >= deadline:
                holder = self._holder()
                os.close(self.fd)
                self.fd = None
                raise LedgerError(
                    f"The ledger is busy: {holder} is changing it right now.",
                    "Nothing was changed; try again in a moment.",
                )
            time.sleep(0.02)
        # Who holds it, for the message another command shows while waiting.
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        return self

    def _holder(self) -> str:
        try:
            pid = os.pread(self.fd, 32, 0).decode().strip()
        except OSError:
            pid = ""
        return f"another olshop (process {pid})" if pid.isdigit() else "another olshop"

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            _unlock(self.fd)
            os.close(self.fd)
            self.fd = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

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

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class Archive:
    """Closed bookings, in files of ARCHIVE_BUCKET bookings each, read only when asked."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._buckets: dict[int, dict] = {}

    def _path(self, bucket: int) -> Path:
        return self.folder / f"bookings-{bucket:04d}.json"

    @staticmethod
    def bucket_of(number: int) -> int:
        return (number - 1) // ARCHIVE_BUCKET + 1

    def _bucket(self, bucket: int) -> dict:
        if bucket not in self._buckets:
            data = AtomicJSONStorage(self._path(bucket)).read() or {}
            self._buckets[bucket] = data.get("bookings", {})
        return self._buckets[bucket]

    def get(self, number: int) -> Booking | None:
        """The closed booking with that number, if the archive has it."""
        doc = self._bucket(self.bucket_of(number)).get(str(number))
        return _booking(doc, self._path(self.bucket_of(number))) if doc else None

    def all(self) -> Iterator[Booking]:
        """Every closed booking, oldest number first, one file at a time (nothing is kept:
        years of history stream through in little memory)."""
        if not self.folder.is_dir():
            return
        buckets = sorted(
            int(p.stem.split("-")[1])
            for p in self.folder.glob("bookings-*.json")
            if p.stem.split("-")[1].isdigit()
        )
        for bucket in buckets:
            path = self._path(bucket)
            docs = self._buckets.get(bucket)
            if docs is None:
                docs = (AtomicJSONStorage(path).read() or {}).get("bookings", {})
            for key in sorted(docs, key=int):
                yield _booking(docs[key], path)

    def scan(self) -> tuple[list[Booking], list[str]]:
        """Every closed booking that can be read, and a line for each file that cannot."""
        found, problems = [], []
        if not self.folder.is_dir():
            return found, problems
        for path in sorted(self.folder.glob("bookings-*.json")):
            try:
                docs = (AtomicJSONStorage(path).read() or {}).get("bookings", {})
                found.extend(_booking(doc, path) for doc in docs.values())
            except LedgerError as exc:
                problems.append(exc.message)
        return found, problems

    def prepare(self, bookings: list[Booking], drop: set[int] = frozenset()) -> dict[Path, dict]:
        """The new content of each archive file touched by closing `bookings` (and by
        dropping stale copies of the numbers in `drop`)."""
        by_bucket: dict[int, dict] = {}
        for number in drop:
            bucket = self.bucket_of(number)
            docs = by_bucket.setdefault(bucket, dict(self._bucket(bucket)))
            docs.pop(str(number), None)
        for booking in bookings:
            bucket = self.bucket_of(booking.number)
            docs = by_bucket.setdefault(bucket, dict(self._bucket(bucket)))
            docs[str(booking.number)] = booking.to_dict()
        return {self._path(b): {"bookings": docs} for b, docs in sorted(by_bucket.items())}

    def forget(self) -> None:
        """Drop what was read, after the files changed underneath."""
        self._buckets.clear()

    def put(self, bookings: list[Booking]) -> None:
        """Write closed bookings into their archive files (each file replaced atomically)."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        for path, data in self.prepare(bookings).items():
            write_atomic(path, dumps(data))
        self.forget()


class Backups:
    """The previous version of every file a change replaced, for undo and restore.

    Entry N (backups/00000N.json) records the command and, for each file the change wrote,
    the name of the kept previous version (or None: the file did not exist yet).
    """

    def __init__(self, home: Path):
        self.home = home
        self.folder = home / paths.BACKUP_DIR

    def entries(self) -> list[dict]:
        """Every kept change, oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob("[0-9]*.json"):
            if not path.stem.isdigit():
                continue
            try:
                entry = orjson.loads(path.read_bytes())
                entry["id"] = int(path.stem)
                found.append(entry)
            except (OSError, ValueError):
                continue  # a half-written entry from a crash: nothing to bring back
        return sorted(found, key=lambda e: e["id"])

    def record(self, files: list[Path], command: str, keep: int, at: datetime | None = None) -> int:
        """Keep the current version of `files` before they are replaced; returns the id."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        ids = self._ids()  # from the names alone: no entry is read on a change
        number = ids[-1] + 1 if ids else 1
        kept: dict[str, str | None] = {}
        try:
            for path in files:
                rel = path.relative_to(self.home).as_posix()
                if not path.exists():
                    kept[rel] = None
                    continue
                name = f"{number:06d}-{rel.replace('/', '_')}"
                _link_or_copy(path, self.folder / name)
                kept[rel] = name
            entry = {
                "at": (at or datetime.now().astimezone()).isoformat(timespec="seconds"),
                "command": command,
                "files": kept,
            }
            write_atomic(self.folder / f"{number:06d}.json", dumps(entry))
        except OSError as exc:
            self.discard({"id": number, "files": kept})
            raise LedgerError(
                f"Could not keep a backup in {self.folder}: {exc.strerror or exc}.",
                "The change was not saved; free some disk space or check the folder's "
                "permissions, then try again.",
            ) from exc
        except LedgerError:
            self.discard({"id": number, "files": kept})
            raise
        for old in ids[: max(0, len(ids) + 1 - keep)]:
            self.discard({"id": old, "files": self.files_of(old)})
        return number

    def _ids(self) -> list[int]:
        """The ids of the kept changes, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(
            int(name[:-5])
            for name in os.listdir(self.folder)
            if name.endswith(".json") and name[:-5].isdigit()
        )

    def files_of(self, number: int) -> dict:
        """The kept files of entry `number`."""
        try:
            return orjson.loads((self.folder / f"{number:06d}.json").read_bytes())["files"]
        except (OSError, ValueError, KeyError):
            return {}

    def discard(self, entry: dict) -> None:
        """Forget a kept change and its files."""
        for name in entry.get("files", {}).values():
            if name:
                (self.folder / name).unlink(missing_ok=True)
        (self.folder / f"{entry['id']:06d}.json").unlink(missing_ok=True)

    def plan(self, entries: list[dict]) -> dict[Path, Path | None]:
        """Which version each file gets to undo `entries` (newest first, the oldest wins)."""
        plan: dict[Path, Path | None] = {}
        for entry in sorted(entries, key=lambda e: e["id"], reverse=True):
            for rel, name in entry["files"].items():
                plan[self.home / rel] = self.folder / name if name else None
        return plan


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # file systems without hard links (FAT, some network drives)
        shutil.copy2(src, dst)


def _booking(doc: dict, path: Path) -> Booking:
    try:
        return Booking.from_dict(doc)
    except (TypeError, KeyError, ValueError):
        raise _damaged(path, "holds a booking that does not have the right fields") from None


class Store:
    """The ledger folder: load a snapshot, or change the ledger under the lock."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.main = AtomicJSONStorage(self.home / paths.MAIN_FILE)
        self.archive = Archive(self.home / paths.ARCHIVE_DIR)
        self.backups = Backups(self.home)

    @property
    def main_path(self) -> Path:
        return self.main.path

    def _ensure_home(self) -> None:
        try:
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(
                f"Could not create the ledger folder {self.home}: {exc.strerror}.",
                "Point OLSHOP_HOME (or --home) at a folder you can write to.",
            ) from exc

    def load(self) -> Ledger:
        """A read-only snapshot of the ledger (no lock: files are replaced atomically).
        Each table is parsed when the command first uses it."""
        if not self.main_path.exists():
            with self.change("olshop (new ledger)") as ledger:  # zero set-up
                ledger.dirty = True
        return self._read()[0]

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the ledger's lock (one writer at a time)."""
        self._ensure_home()
        timeout = float(os.environ.get("OLSHOP_LOCK_TIMEOUT", LOCK_TIMEOUT))
        with _Lock(self.home / paths.LOCK_FILE, timeout):
            self._sweep()
            yield

    def _sweep(self) -> None:
        """Remove temporary files left by a writer that died (we hold the lock: none is live)."""
        for folder in (self.home, self.archive.folder, self.backups.folder):
            if folder.is_dir():
                for tmp in folder.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)

    @contextmanager
    def change(self, command: str = "olshop") -> Iterator[Ledger]:
        """Lock, read, let the caller change the ledger, then write it all or nothing.

        If the caller raises, nothing is written. `command` is what `undo` will say it undid.
        """
        with self.locked():
            # Every table is parsed and checked before a change: a file olshop could not
            # read in full is never written over.
            ledger, lines, crcs = self._read(check_all=True)
            if not self.main_path.exists():
                ledger.dirty = True
            yield ledger
            if ledger.dirty:
                self._commit(ledger, command, lines, crcs)

    def read_main(self) -> dict | None:
        """The main file's document as stored (for doctor), None if there is none yet."""
        return self.main.read()

    def _read(
        self, check_all: bool = False
    ) -> tuple[Ledger, dict[str, bytes | dict], dict[str, int]]:
        """The ledger, and each table's line as read (written back as it is if the
        command never touches that table)."""
        parts = self.main.read_parts(lazy=not check_all)
        if parts is None:
            return Ledger(archive=self.archive), {}, {}
        header, lines = parts
        tables: dict[str, Table] = {}
        shape = lambda: _damaged(self.main_path, "does not have the shape of a ledger")  # noqa: E731

        def table(name: str) -> Table:
            if name not in tables:
                line = lines[name]
                if name != "products" and written(name):
                    tables[name] = RecordLine(
                        line, KEYS[name], name == "bookings", MAKERS[name], shape,
                        lambda: self._records(name, line),
                    )  # fmt: skip
                else:
                    tables[name] = Table(self._records(name, lines[name]), MAKERS[name], shape)
            return tables[name]

        try:
            meta = header["meta"]["1"]
            if meta.get("format") not in FORMATS:
                raise _damaged(self.main_path, f"has format {meta.get('format')!r}, not {FORMAT}")
            sums = meta.get("crc32", {})
            missing = [name for name in TABLES if name not in lines]
            if missing:
                raise _damaged(self.main_path, f"has no {missing[0]} table")
            # A line whose checksum matches is as olshop wrote it.
            crcs: dict[str, int] = {}  # of the lines checked, reused when written back

            def written(name: str) -> bool:
                line = lines[name]
                if not isinstance(line, bytes):
                    return False
                if name not in crcs:
                    crcs[name] = zlib.crc32(line)
                return crcs[name] == sums.get(name)

            if check_all:
                # Before a change every line must be whole: any line not as olshop wrote it
                # (edited by hand, or damaged) is parsed and checked now.
                for name in TABLES:
                    if not written(name):
                        table(name)

            # The hit-and-run list on the first line holds if the customers line is as olshop
            # wrote it (a hand edit changes its checksum: then it is counted afresh).
            def marked() -> list[str] | None:
                return meta.get("hit_and_run") if written("customers") else None

            # Likewise the reserved units per SKU, if the bookings line is as written.
            def reserved() -> dict[str, int] | None:
                found = meta.get("reserved") if written("bookings") else None
                return found if isinstance(found, dict) else None

            ledger = Ledger(
                tables=table,
                hit_and_run=marked,
                reserved=reserved,
                settings=dict(header["settings"].get("1", {})),
                next_booking=int(meta["next_booking"]),
                retired_keys=meta.get("retired_keys", []),
                archive=self.archive,
            )
            return ledger, lines, crcs
        except LedgerError:
            raise
        except (TypeError, KeyError, ValueError, AttributeError):
            raise _damaged(self.main_path, "does not have the shape of a ledger") from None

    def _records(self, name: str, line: bytes | dict) -> dict:
        """One table's records by key from its line, each checked for the fields it must
        have."""
        docs = line if isinstance(line, dict) else self.main.parse_table(name, line, deep=False)
        required, key = REQUIRED[name], KEYS[name]
        items = {}
        for doc in docs.values():
            if type(doc) is not dict:
                raise _damaged(self.main_path, "does not have the shape of a ledger")
            if not required <= doc.keys():
                raise _damaged(self.main_path, f"has {name} without the right fields")
            items[doc[key]] = doc
        return items

    def _commit(
        self, ledger: Ledger, command: str, lines: dict[str, bytes | dict], crcs: dict[str, int]
    ) -> None:
        writes: dict[Path, bytes] = {}
        if ledger.closed_now or ledger.drop_from_archive:
            self.archive.folder.mkdir(mode=0o700, exist_ok=True)
            for path, data in self.archive.prepare(
                ledger.closed_now, ledger.drop_from_archive
            ).items():
                writes[path] = dumps(data)
        header = {
            "meta": {
                "1": {
                    "format": FORMAT,
                    "next_booking": ledger.next_booking,
                    "retired_keys": sorted(ledger.retired_keys),
                    "hit_and_run": ledger.all_hit_and_run(),
                    "reserved": ledger.all_reserved(),
                }
            },
            "settings": {"1": ledger.settings},
        }
        out, sums = [], {}
        for name in TABLES:
            stored = ledger.table(name)
            if stored is None:
                stored = lines.get(name, {})  # untouched: written back as it was read
                if name in crcs:
                    sums[name] = crcs[name]
            out.append(stored if isinstance(stored, bytes) else dumps({name: stored}))
            if name not in sums:
                sums[name] = zlib.crc32(out[-1])
        header["meta"]["1"]["crc32"] = sums
        header["meta"]["1"]["bytes"] = {
            name: len(line) for name, line in zip(TABLES, out, strict=True)
        }
        writes[self.main_path] = b"\n".join([dumps(header), *out]) + b"\n"
        entry = self.backups.record(
            list(writes), command, keep=ledger.keep_backups, at=ledger.changed_at
        )
        try:
            self._write_all(writes)
        except LedgerError:
            self._roll_back(entry)
            raise
        ledger.closed_now = []
        ledger.drop_from_archive = set()
        ledger.dirty = False

    def _write_all(self, writes: dict[Path, bytes | None]) -> None:
        # Archive files first, the main file last: the change counts once the main file is
        # replaced. A crash in between leaves a stale archive copy of a booking that is
        # still open in the main file, and the main file wins (see Ledger.all_bookings).
        for path in sorted(writes, key=lambda p: p == self.main_path):
            blob = writes[path]
            if blob is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, blob)
        self.archive.forget()

    def _roll_back(self, entry: int) -> None:
        """After a failed write, put back the archive files already written (best effort:
        the main file was not replaced, and it wins over a stale archive copy anyway)."""
        kept = {"id": entry, "files": self.backups.files_of(entry)}
        for live, version in self.backups.plan([kept]).items():
            if live == self.main_path:
                continue
            try:
                if version is None:
                    live.unlink(missing_ok=True)
                else:
                    write_atomic(live, version.read_bytes())
            except (OSError, LedgerError):
                pass
        self.archive.forget()
        self.backups.discard(kept)

    def _versions(self, plan: dict[Path, Path | None]) -> dict[Path, bytes | None]:
        try:
            return {live: kept.read_bytes() if kept else None for live, kept in plan.items()}
        except OSError as exc:
            raise LedgerError(
                f"A backup file is missing or unreadable ({exc.filename}).",
                "Nothing was changed. See olshop backup list.",
            ) from exc

    def _keep_damaged(self, files) -> None:
        """A file about to be replaced that olshop cannot read is kept beside it."""
        for path in files:
            if not path.exists():
                continue
            try:
                AtomicJSONStorage(path).read()
            except LedgerError:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                _link_or_copy(path, path.with_name(f"{path.name}.damaged-{stamp}"))

    def undo(self) -> dict:
        """Put back the files as they were before the last change; returns its entry."""
        with self.locked():
            entries = self.backups.entries()
            if not entries:
                raise NotFound("There is no change to undo.", "See olshop backup list.")
            last = entries[-1]
            plan = self.backups.plan([last])
            versions = self._versions(plan)
            self._keep_damaged(plan)
            self._write_all(versions)
            self.backups.discard(last)
            return last

    def restore(self, number: int) -> dict:
        """Bring back the ledger as it was before change `number` (itself undoable)."""
        with self.locked():
            entries = self.backups.entries()
            chosen = [e for e in entries if e["id"] >= number]
            if not any(e["id"] == number for e in entries):
                have = ", ".join(str(e["id"]) for e in entries[-10:]) or "none"
                raise NotFound(
                    f"There is no backup {number}.", f"Kept backups: {have} (olshop backup list)."
                )
            plan = self.backups.plan(chosen)
            versions = self._versions(plan)
            self._keep_damaged(plan)
            self.backups.record(
                list(plan), f"olshop backup restore {number}", keep=len(entries) + 1
            )
            self._write_all(versions)
            return next(e for e in entries if e["id"] == number)
