"""The only module that touches the ledger files.

Layout of the ledger folder (all TinyDB JSON documents: {table: {doc_id: document}}):

    olshop.json                 customers, products, open bookings, settings, meta
    archive/bookings-0001.json  closed bookings B1..B1000, then -0002 for B1001..B2000...
    olshop.lock                 held (flock) by whichever command is changing the ledger

Daily commands read only `olshop.json`; closed bookings move to the archive so years of
history never slow them down. Every write goes to a temporary file in the same folder, is
fsynced, then replaces the old file in one step, so a crash leaves the old or the new file,
never a mix. A file that cannot be read is refused and never written over.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb.storages import Storage

from olshop_cli import paths
from olshop_cli.errors import LedgerError
from olshop_cli.ledger import Ledger
from olshop_cli.models import Booking, Customer, Product

FORMAT = 1
ARCHIVE_BUCKET = 1000
MAIN_TABLES = ("meta", "settings", "customers", "products", "bookings")
LOCK_TIMEOUT = 10.0  # seconds; OLSHOP_LOCK_TIMEOUT overrides


def _damaged(path: Path, why: str) -> LedgerError:
    return LedgerError(
        f"The ledger file {path} {why}, so olshop will not read or change it.",
        "Nothing was changed. Move the file aside to start afresh, or put back a copy of it.",
    )


class AtomicJSONStorage(Storage):
    """A TinyDB storage that refuses damaged files and replaces the file atomically."""

    def __init__(self, path: Path, mode: int = 0o600):
        self.path = Path(path)
        self.mode = mode

    def read(self) -> dict | None:
        """The whole document, None when the file does not exist yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LedgerError(
                f"Could not read the ledger file {self.path}: {exc.strerror}.",
                "Check the file's permissions.",
            ) from exc
        if not raw.strip():
            raise _damaged(self.path, "is empty")
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise _damaged(self.path, "is not valid JSON (cut off or edited by hand?)") from None
        if not isinstance(data, dict) or not all(
            isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
            for table in data.values()
        ):
            raise _damaged(self.path, "does not have the shape of a ledger")
        return data

    def write(self, data: dict) -> None:
        """Replace the file with `data` in one step: temp file, fsync, rename, fsync folder."""
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        folder = self.path.parent
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, self.mode)
            os.replace(tmp, self.path)
            tmp = None
            _fsync_folder(folder)
        except OSError as exc:
            raise LedgerError(
                f"Could not write the ledger file {self.path}: {exc.strerror or exc}.",
                "The change was not saved; free some disk space or check the folder's "
                "permissions, then try again.",
            ) from exc
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        """Every closed booking, oldest number first."""
        if not self.folder.is_dir():
            return
        buckets = sorted(
            int(p.stem.split("-")[1])
            for p in self.folder.glob("bookings-*.json")
            if p.stem.split("-")[1].isdigit()
        )
        for bucket in buckets:
            docs = self._bucket(bucket)
            for key in sorted(docs, key=int):
                yield _booking(docs[key], self._path(bucket))

    def put(self, bookings: list[Booking]) -> None:
        """Write closed bookings into their archive files (each file replaced atomically)."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        by_bucket: dict[int, list[Booking]] = {}
        for booking in bookings:
            by_bucket.setdefault(self.bucket_of(booking.number), []).append(booking)
        for bucket, items in sorted(by_bucket.items()):
            docs = dict(self._bucket(bucket))
            for booking in items:
                docs[str(booking.number)] = booking.to_dict()
            AtomicJSONStorage(self._path(bucket)).write({"bookings": docs})
            self._buckets[bucket] = docs


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
        """A read-only snapshot of the ledger (no lock: files are replaced atomically)."""
        if not self.main_path.exists():
            with self.change() as ledger:  # zero set-up: the first command creates it
                ledger.dirty = True
        return self._read()

    @contextmanager
    def change(self) -> Iterator[Ledger]:
        """Lock, read, let the caller change the ledger, then write it all or nothing.

        If the caller raises, nothing is written.
        """
        self._ensure_home()
        timeout = float(os.environ.get("OLSHOP_LOCK_TIMEOUT", LOCK_TIMEOUT))
        with _Lock(self.home / paths.LOCK_FILE, timeout):
            ledger = self._read()
            if not self.main_path.exists():
                ledger.dirty = True
            yield ledger
            if ledger.dirty:
                self._commit(ledger)

    def _read(self) -> Ledger:
        data = self.main.read()
        if data is None:
            return Ledger(archive=self.archive)
        try:
            meta = data["meta"]["1"]
            if meta.get("format") != FORMAT:
                raise _damaged(self.main_path, f"has format {meta.get('format')!r}, not {FORMAT}")
            return Ledger(
                customers=[Customer.from_dict(d) for d in data["customers"].values()],
                products=[Product.from_dict(d) for d in data["products"].values()],
                bookings=[Booking.from_dict(d) for d in data["bookings"].values()],
                settings=dict(data["settings"].get("1", {})),
                next_booking=int(meta["next_booking"]),
                retired_keys=meta.get("retired_keys", []),
                archive=self.archive,
            )
        except LedgerError:
            raise
        except (TypeError, KeyError, ValueError, AttributeError):
            raise _damaged(self.main_path, "does not have the shape of a ledger") from None

    def _commit(self, ledger: Ledger) -> None:
        # Archive first, then the main file: the change counts once the main file is
        # replaced. A crash in between leaves a stale archive copy of a booking that is
        # still open in the main file, and the main file wins (see Ledger.all_bookings).
        if ledger.closed_now:
            self.archive.put(ledger.closed_now)
        customers = {str(i): c.to_dict() for i, c in enumerate(ledger.customers.values(), 1)}
        products = {str(i): p.to_dict() for i, p in enumerate(ledger.products.values(), 1)}
        bookings = {str(b.number): b.to_dict() for b in ledger.bookings.values()}
        self.main.write(
            {
                "meta": {
                    "1": {
                        "format": FORMAT,
                        "next_booking": ledger.next_booking,
                        "retired_keys": sorted(ledger.retired_keys),
                    }
                },
                "settings": {"1": ledger.settings},
                "customers": customers,
                "products": products,
                "bookings": bookings,
            }
        )
        ledger.closed_now = []
        ledger.dirty = False
