"""The only module that touches the ledger's files: TinyDB databases and one commit point.

Layout of the ledger folder:

    olshop.json         the manifest: for each data file its current version (file name, size,
                        SHA-256), and the earlier versions `undo` can go back to. Replacing this
                        one small file is the single atomic step that commits a change.
    data/NAME.V.json    TinyDB databases, never changed once written: `shop` (settings and
                        counters), `products`, `customers-00`..`-15` (by key), `bookings-NNNNN`
                        (open bookings, 500 numbers a file; a file whose bookings all closed
                        is gone), `open-00`..`-15` (the open bookings' index: status,
                        customer, deadline...), `archive-NNNN` (closed bookings, 250 a
                        file), `past-00`..`-63` (each customer's closed booking numbers),
                        `days-YYYY-MM` (the closed bookings summed per day, for reports),
                        `months-YYYY` (those days summed per month),
                        `phones-00`..`-15` (which customer has which phone),
                        `called-00`..`-15` (which customers go by which name),
                        `mutasi-YYYY-MM` (the bank statement rows recorded as payments,
                        by the month of the transfer: never recorded twice)
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

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import orjson

from olshop_cli import paths
from olshop_cli.errors import LedgerError, NotFound
from olshop_cli.i18n import N_, _
from olshop_cli.ledger import Ledger
from olshop_cli.lock import Lock
from olshop_cli.tables import (
    CUSTOMERS,
    OPEN_BOOKINGS,
    PRODUCTS,
    Archive,
    Batch,
    CalledIndex,
    Files,
    PhoneIndex,
    Records,
    StatementLog,
    _damaged,
    _digest,
    _doc,
    _os_error,
)

FORMAT = 3
SWEEP_EVERY = 8  # versions between two sweeps of the files only dropped versions named
DAILY_VERSIONS = 7  # besides the last N changes, the first version of each of the last 7 days
LOCK_TIMEOUT = 10.0  # seconds; OLSHOP_LOCK_TIMEOUT overrides
# Tests of logic (not of durability) switch fsync off to run thousands of changes quickly.
DURABLE = True
# A data file's name as a manifest may give it: no folder, no way out of data/.
FILE_NAME = re.compile(r"[a-z0-9-]{1,40}\.[0-9]{1,12}\.json")  # as _FILE below
_LOGICAL = (
    r"(?:shop|products|customers-\d\d|bookings-(?:\d|\d{5})|open-\d\d|archive-\d{4,}|past-\d\d"
    r"|days-\d{4}-\d\d|months-\d{4}|phones-\d\d|called-\d\d|mutasi-\d{4}-\d\d)"
)
_FILE = r"[a-z0-9-]{1,40}\.[0-9]{1,12}\.json"
LOGICAL_NAME = re.compile(_LOGICAL)
SHA256 = re.compile(r"[0-9a-f]{64}")
# The same, for all the entries of a manifest at once (one per line).
_EVERY_NAME = re.compile(f"{_LOGICAL}(?:\n{_LOGICAL})*")
_EVERY_FILE = re.compile(f"{_FILE}(?:\n{_FILE})*")
_EVERY_DIGEST = re.compile(r"[0-9a-f]{64}(?:\n[0-9a-f]{64})*")


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
        raise OldFormat(_("{path} is in an earlier format.").format(path=where))
    try:
        data = orjson.loads(blob)
    except (ValueError, UnicodeDecodeError):
        raise _damaged(
            where,
            N_(
                "The ledger file {path} is not valid JSON (cut off or edited by hand?), so "
                "olshop will not use it."
            ),
        ) from None
    if isinstance(data, dict) and "meta" in data and "format" not in data:
        raise OldFormat(_("{path} is in an earlier format.").format(path=where))
    try:
        if data.get("format") != FORMAT:
            raise _damaged(
                where,
                N_(
                    "The ledger file {path} has format {found}, not {wanted}, so olshop will "
                    "not use it."
                ),
                found=repr(data.get("format")),
                wanted=FORMAT,
            )
        files = data["files"]
        if not _all_proper(files):  # one pass for thousands of files; then find the culprit
            for name, entry in files.items():
                _check_entry(name, entry, where)
        history = data["history"]
        for item in history:
            if type(item["version"]) is not int or not isinstance(item["command"], str):
                raise _damaged(
                    where,
                    N_(
                        "The ledger file {path} has a history entry without the right fields, "
                        "so olshop will not use it."
                    ),
                )
        if type(data["version"]) is not int:
            raise _damaged(
                where,
                N_("The ledger file {path} has no version number, so olshop will not use it."),
            )
        return Manifest(data["version"], str(data["at"]), str(data["command"]), files, history)
    except LedgerError:
        raise
    except (TypeError, KeyError, AttributeError):
        raise _damaged(
            where,
            N_(
                "The ledger file {path} does not have the shape of a manifest, so olshop will "
                "not use it."
            ),
        ) from None


def _all_proper(files: dict) -> bool:
    """True if every entry is proper (checked a few regular expressions for all at once: a
    ledger of years has thousands of archive files, and every command reads the manifest)."""
    if not files:
        return True
    try:
        entries = list(files.values())
        names = "\n".join(files)
        paths = "\n".join(entry["file"] for entry in entries)
        digests = "\n".join(entry["sha256"] for entry in entries)
        lines = len(entries) - 1  # no name, file or digest may hide a line break
        return (
            names.count("\n") == paths.count("\n") == digests.count("\n") == lines
            and _EVERY_NAME.fullmatch(names) is not None
            and _EVERY_FILE.fullmatch(paths) is not None
            and _EVERY_DIGEST.fullmatch(digests) is not None
            and all(type(entry["bytes"]) is int for entry in entries)
            and all(f.startswith(n + ".") for n, f in zip(files, paths.split("\n"), strict=True))
        )
    except (TypeError, KeyError, AttributeError, ValueError):
        return False


def _check_entry(name: object, entry: object, where: Path | str) -> None:
    """One manifest entry, checked field by field (naming what is wrong)."""
    if not isinstance(name, str) or not LOGICAL_NAME.fullmatch(name) or not isinstance(entry, dict):
        raise _damaged(
            where,
            N_(
                "The ledger file {path} names an unknown data file {name}, so olshop will not "
                "use it."
            ),
            name=repr(name),
        )
    file = entry["file"]
    if not isinstance(file, str) or not FILE_NAME.fullmatch(file):
        raise _damaged(
            where,
            N_(
                "The ledger file {path} names {file}, which is not a file in the data folder, "
                "so olshop will not use it."
            ),
            file=repr(file),
        )
    if not file.startswith(name + ".") or type(entry["bytes"]) is not int:
        raise _damaged(
            where,
            N_(
                "The ledger file {path} does not describe {file} properly, so olshop will not "
                "use it."
            ),
            file=file,
        )
    if not isinstance(entry["sha256"], str) or not SHA256.fullmatch(entry["sha256"]):
        raise _damaged(
            where,
            N_(
                "The ledger file {path} has no proper SHA-256 for {file}, so olshop will not "
                "use it."
            ),
            file=file,
        )


# ----- the store -----------------------------------------------------------------------------


class Store:
    """The ledger folder: read a version, or change the ledger and commit a new one."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.manifest_path = self.home / paths.MAIN_FILE
        self.data = self.home / paths.DATA_DIR
        self.versions = self.home / paths.VERSIONS_DIR
        self.notices: list[str] = []  # for the seller, on stderr (the one-time upgrade line)
        self.checked: set[str] = set()  # data files whose digests verify() found right

    # -- reading

    def current(self) -> Manifest | None:
        """The committed manifest; None if the folder holds no ledger yet."""
        try:
            blob = self.manifest_path.read_bytes()
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise self._not_a_folder() from None
        except OSError as exc:
            raise _os_error(self.manifest_path, exc, "read") from None
        return parse_manifest(blob, self.manifest_path)

    def setting(self, key: str) -> str | None:
        """One stored setting of the current version, or None (no ledger yet, or not set):
        read without a lock and without creating anything (the interface language)."""
        current = self.current()
        if current is None:
            return None
        files = Files(self.home, current, read_only=True, checked=self.checked)
        value = _doc(files.table("shop", "settings"), 1).get(key)
        return value if isinstance(value, str) else None

    def load(self) -> Ledger:
        """A read-only snapshot of the ledger (no lock: a manifest names one version)."""
        try:
            current = self.current()
        except OldFormat:
            current = None
        if current is None:  # no ledger yet, or one to upgrade first
            with self.locked() as current:
                current = current or self._create()
        if _untidy(current):
            try:
                with self.locked() as current:
                    assert current is not None
                    current = self._tidy(current) if _untidy(current) else current
            except LedgerError:  # busy, or a folder olshop may not write: read it as it is
                current = self.current() or current
        return self._ledger(Files(self.home, current, read_only=True, checked=self.checked))

    def _tidy(self, current: Manifest) -> Manifest:
        """The same ledger with its open bookings in today's files and their index (a
        ledger written before them): committed in place of the current version, so the
        history, and what undo undoes, stay as they were."""
        files = Files(self.home, current)
        self.write_ledger(files, self._ledger(files))
        at = datetime.fromisoformat(current.at)
        history = list(current.history)
        return self.commit_on(current, files, current.command, at, len(history), None, history)

    def _ledger(self, files: Files) -> Ledger:
        shop = files.database("shop")
        settings = _doc(shop.table("settings"), 1)
        meta = _doc(shop.table("meta"), 1)
        try:
            next_booking = int(meta.get("next_booking", 1))
            retired = list(meta.get("retired_keys", []))
            marked = meta.get("hit_and_run")
            marked = None if marked is None else [str(key) for key in marked]
            reserved = meta.get("reserved")
            reserved = None if reserved is None else {str(k): int(v) for k, v in reserved.items()}
        except (TypeError, ValueError, AttributeError):
            raise _damaged(
                self.data / "shop",
                N_(
                    "The ledger file {path} does not have the shape of a ledger, so olshop will "
                    "not use it."
                ),
            ) from None
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
            called_index=CalledIndex(files).get,
            reserved=reserved,
            statement_log=StatementLog(files).get,
            last_statement=_doc(shop.table("statement"), 1) or None,
        )

    # -- changing

    def _not_a_folder(self) -> LedgerError:
        return LedgerError(
            _("The ledger folder {path} is a file, not a folder.").format(path=self.home),
            _("Point OLSHOP_HOME (or --home) at a folder, or move that file away."),
        )

    def _ensure_home(self) -> None:
        if self.home.exists() and not self.home.is_dir():
            raise self._not_a_folder()
        try:
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.data.mkdir(mode=0o700, exist_ok=True)
            self.versions.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise LedgerError(
                _("Could not create the ledger folder {path}: {error}.").format(
                    path=self.home, error=exc.strerror
                ),
                _("Point OLSHOP_HOME (or --home) at a folder you can write to."),
            ) from exc

    @contextmanager
    def locked(self) -> Iterator[Manifest | None]:
        """Hold the ledger's lock (one writer at a time); gives the committed manifest as
        read under it (None: no ledger yet)."""
        self._ensure_home()
        timeout = float(os.environ.get("OLSHOP_LOCK_TIMEOUT", LOCK_TIMEOUT))
        with Lock(self.home, timeout):
            yield self._upgrade_if_needed()

    def _upgrade_if_needed(self) -> Manifest | None:
        """A ledger written by an earlier olshop is moved to this format first, once."""
        try:
            return self.current()
        except OldFormat:
            from olshop_cli.upgrade import upgrade

            self.notices.append(upgrade(self))
            return self.current()

    @contextmanager
    def change(self, command: str = "olshop") -> Iterator[Ledger]:
        """Lock, read, let the caller change the ledger, then commit it all or nothing.

        If the caller raises, nothing is written. `command` is what `undo` will say it undid.
        """
        with self.locked() as current:
            if current is None:  # zero set-up: an empty ledger first, so the first change
                current = self._create()  # can be undone like any other
            files = Files(self.home, current)
            ledger = self._ledger(files)
            yield ledger
            if ledger.dirty:
                self.write_ledger(files, ledger)
                self.commit_on(current, files, command, ledger.changed_at, ledger.keep_backups)
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
        for renamed in ledger.renamed:  # a customer's new key, in what the ledger does not hold
            Archive(files).rename(renamed.old, renamed.new, batch)
        ledger.renamed = []
        if ledger.closed_now:
            Archive(files).put(ledger.closed_now, batch)
            ledger.closed_now = []
        shop = files.database("shop")
        meta = {
            "next_booking": ledger.next_booking,
            "retired_keys": sorted(ledger.retired_keys),
            "hit_and_run": sorted(ledger.marked),
            "reserved": ledger.all_reserved(),
        }
        for table, doc in (("settings", ledger.settings), ("meta", meta)):
            if _doc(shop.table(table), 1) != doc:
                batch.put("shop", table, 1, dict(doc))
        if ledger.last_statement and _doc(shop.table("statement"), 1) != ledger.last_statement:
            batch.put("shop", "statement", 1, dict(ledger.last_statement))
        StatementLog(files).put(ledger.statement_rows, batch)
        ledger.statement_rows = {}
        batch.apply()
        for name in files.names("bookings-"):  # the first layout's files, once emptied
            if len(name) == len("bookings-0") and not any((files.document(name) or {}).values()):
                files.stage(name, {})

    def _next_version(self, current: Manifest | None) -> int:
        """One more than any version seen, committed or left half-written by a crash."""
        found = _numbered(os.listdir(self.data) + os.listdir(self.versions))
        return max([current.version if current else 0, *found.values()]) + 1

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
        """Write the staged databases as new files, then commit a manifest naming them, on
        top of `current` (None: a first version, whatever the folder held). `base` (the
        files of an earlier version, for undo and restore) and `history` replace the current
        version's when given."""
        moment = (at or datetime.now().astimezone()).isoformat(timespec="seconds")
        version = self._next_version(current)
        names = dict(base if base is not None else (current.files if current else {}))
        written: list[Path] = []
        try:
            for name, document in files.staged_documents():
                if not any(document.values()):  # a part left empty (all its bookings closed)
                    names.pop(name, None)
                    continue
                blob = orjson.dumps(document)
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
        self._sweep(manifest, current)
        for name in os.listdir(self.home):  # temporary files of a killed writer
            if name.startswith(".") and name.endswith(".tmp"):
                (self.home / name).unlink(missing_ok=True)
        return manifest

    def _sweep(self, manifest: Manifest, previous: Manifest | None) -> None:
        """Delete the files no kept version names: those of versions the history let go,
        and leftovers of a change killed before its commit.

        Leftovers and the backups' own manifests go at once. Data files that only versions
        the history let go were naming go every SWEEP_EVERY versions: knowing them means
        reading every kept manifest (at a million bookings, 20 of half a megabyte each),
        too much for every change; until then they are only unused files."""
        kept = {manifest.version, *(item["version"] for item in manifest.history)}
        before = (
            {previous.version, *(i["version"] for i in previous.history)} if previous else set()
        )
        newest = previous.version if previous else 0
        data = _numbered(os.listdir(self.data))
        versions = _numbered(os.listdir(self.versions))
        for name, number in versions.items():
            if not (name == f"{number:06d}.json" and number in kept):
                (self.versions / name).unlink(missing_ok=True)
        stray = [name for name, number in data.items() if number > manifest.version or (
            number > newest and number != manifest.version)]  # fmt: skip
        if not stray and (before <= kept or manifest.version % SWEEP_EVERY):
            return
        wanted = {entry["file"] for entry in manifest.files.values()}
        for number in kept - {manifest.version}:
            try:  # only the names are needed: nothing is read through them
                found = orjson.loads((self.versions / f"{number:06d}.json").read_bytes())
                wanted.update(entry["file"] for entry in found["files"].values())
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                return  # not sure what is needed: delete nothing
        for name in os.listdir(self.data):
            if name not in wanted:
                (self.data / name).unlink(missing_ok=True)

    # -- backups

    def _version(self, number: int) -> Manifest:
        path = self.versions / f"{number:06d}.json"
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise LedgerError(
                _("The backup of version {number} ({path}) is missing.").format(
                    number=number, path=path
                ),
                _("Nothing was changed. Choose another one from olshop backup list."),
            ) from None
        except OSError as exc:
            raise _os_error(path, exc, "read") from None
        return parse_manifest(blob, path)

    def _verified(self, number: int, current: Manifest | None = None) -> Manifest:
        """An earlier version whose every file it brings back (those `current` does not
        name already) is present and as written, or a refusal naming what is wrong."""
        manifest = self._version(number)
        named = {e["file"] for e in current.files.values()} if current else set()
        for entry in manifest.files.values():
            if entry["file"] in named:
                continue
            path = self.data / entry["file"]
            try:
                blob = path.read_bytes()
            except OSError:
                raise LedgerError(
                    _("Backup {number} cannot be brought back: its file {path} is missing.").format(
                        number=number, path=path
                    ),
                    _("Nothing was changed. Choose another one from olshop backup list."),
                ) from None
            if len(blob) != entry["bytes"] or _digest(blob) != entry["sha256"]:
                raise LedgerError(
                    _("Backup {number} cannot be brought back: its file {path} is damaged.").format(
                        number=number, path=path
                    ),
                    _("Nothing was changed. Choose another one from olshop backup list."),
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
        with self.locked() as current:
            history = list(current.history) if current else []
            if not history:
                raise NotFound(_("There is no change to undo."), _("See olshop backup list."))
            if steps > len(history):
                raise NotFound(
                    _("Only {count} change(s) can be undone.").format(count=len(history)),
                    _("See olshop backup list."),
                )
            undone = history[-steps:][::-1]
            target = self._verified(undone[-1]["version"], current)
            keep = self._keep(Files(self.home, target))
            files = Files(self.home, target)
            self.commit_on(current, files, "olshop undo", at, keep, target.files, history[:-steps])
            return undone

    def restore(self, number: int, command: str, at: datetime | None = None) -> dict:
        """Bring back the ledger as it was at version `number` (itself undoable)."""
        with self.locked():
            entries = self.entries()
            chosen = next((e for e in entries if e["version"] == number), None)
            if chosen is None:
                have = ", ".join(str(e["version"]) for e in entries[-10:]) or _("none")
                raise NotFound(
                    _("There is no backup {number}.").format(number=number),
                    _("Kept backups: {have} (olshop backup list).").format(have=have),
                )
            current = self.current()
            assert current is not None
            target = self._verified(number, current)
            files = Files(self.home, target)
            moment = (at or datetime.now().astimezone()).isoformat(timespec="seconds")
            history = [*entries, {"version": current.version, "at": moment, "command": command}]
            self.commit_on(current, files, command, at, self._keep(files), target.files, history)
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
                    raise _damaged(
                        path,
                        N_(
                            "The ledger file {path} is damaged (it is not as olshop wrote it), "
                            "so olshop will not use it."
                        ),
                    )
            except OSError:
                problems.append(_("The ledger file {path} is missing.").format(path=path))
            except LedgerError as exc:
                problems.append(exc.message)
            else:
                self.checked.add(entry["file"])
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
                return _(
                    "Bring back the last good version with: olshop backup restore {version} "
                    "(before: {command})."
                ).format(version=item["version"], command=item["command"])
        return _("No kept backup has a good copy of it; restore it from an export if you have one.")


def _untidy(manifest: Manifest) -> bool:
    """Does this version keep open bookings in the first layout's files (bookings-0..7), or
    without their index, or customers without the index of the names they go by? (A
    version written before an index; `Store._tidy` moves them and builds it.)"""
    names = [name for name in manifest.files if name.startswith(("bookings-", "open-"))]
    if any(name.startswith("customers-") for name in manifest.files) and not any(
        name.startswith("called-") for name in manifest.files
    ):
        return True
    return any(len(name) == len("bookings-0") for name in names) or (
        bool(names) and not any(name.startswith("open-") for name in names)
    )


_VERSIONED = re.compile(r"^((?:[a-z0-9-]{1,40}\.)?([0-9]{1,12})\.json)$", re.MULTILINE)


def _numbered(names: list[str]) -> dict[str, int]:
    """The data and version files among `names`, with the version each belongs to
    (`shop.12.json`, `000012.json`: 12); other names are left out. One regular expression
    over all of them: at a million bookings the data folder holds thousands."""
    listed = "\n".join(name for name in names if "\n" not in name)
    return {name: int(digits) for name, digits in _VERSIONED.findall(listed)}


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
