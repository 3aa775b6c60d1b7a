"""How the ledger's records live in TinyDB databases: one version's data files read
through our `Storage` (TinyDB's extension point), and customers, products, bookings, the
archive and the small indexes over them as TinyDB tables. No file is written here: what a
change writes stays in memory until `store.Store` commits it.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterator, MutableMapping, Set
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb import TinyDB
from tinydb.queries import QueryInstance, where
from tinydb.storages import Storage
from tinydb.table import Document, Table

from olshop_cli import paths
from olshop_cli.errors import LedgerError
from olshop_cli.i18n import N_, _
from olshop_cli.models import BOOKED, Booking, Customer, Product

if TYPE_CHECKING:
    from olshop_cli.store import Manifest

CUSTOMER_SHARDS = 16
# Open bookings, OPEN_BUCKET numbers to a file: the recent ones a day's work touches sit
# together, and a file whose bookings have all closed is gone. (The first layout of this
# format kept them in bookings-0..7 by number % 8; those are still read, and moved by the
# next change.)
OPEN_BUCKET = 500
OLD_BOOKING_SHARDS = 8
# The open bookings' index: for each, what `today` and the listings choose by, in
# OPEN_INDEX_SHARDS files by customer (a buyer's open bookings are found in one). Kept in
# step by every change that touches a booking.
OPEN_INDEX_SHARDS = 16
# Kept since bank statements are read (`pay --from` matches amounts from the index alone):
# the buyer's name as booked and when, and for an unpaid booking its total and what it
# owes. An entry written before them lacks them (read as unknown; doctor accepts it).
SINCE_STATEMENTS = ("customer_name", "created", "total", "owed")
INDEX_FIELDS = frozenset(
    {"status", "customer", "deadline", "held_by_dp", "owed_back", "unique_code"}
) | frozenset(SINCE_STATEMENTS)
ARCHIVE_BUCKET = 250  # small files: a customer's history reads one per booking
PAST_SHARDS = 64  # each customer's closed booking numbers, by key
PHONE_SHARDS = 16  # phone -> customer key
CALLED_SHARDS = 16  # the name a customer is called by (lower case) -> customer keys
WAY_OUT = N_("Nothing was changed. See what olshop doctor says, or olshop backup list.")


def _damaged(path: Path | str, why: str, hint: str | None = None, **values: object) -> LedgerError:
    """A ledger file olshop will not use: `why` is the whole sentence (marked N_, with
    {path} and any of `values`), translated here."""
    return LedgerError(_(why).format(path=path, **values), hint or _(WAY_OUT))


def _os_error(path: Path, exc: OSError, doing: str = "write") -> LedgerError:
    error = exc.strerror or exc
    if doing == "write":
        return LedgerError(
            _("Could not write {path}: {error}.").format(path=path, error=error),
            _(
                "The change was not saved; free some disk space or check the folder's "
                "permissions, then try again."
            ),
        )
    return LedgerError(
        _("Could not read {path}: {error}.").format(path=path, error=error),
        _("Check the file's permissions."),
    )


def _digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


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

    def __init__(
        self,
        home: Path,
        manifest: Manifest | None,
        read_only: bool = False,
        checked: Set[str] = frozenset(),
    ):
        self.home = home
        self.data = home / paths.DATA_DIR
        self.manifest = manifest
        # Files whose digest this process has just checked (doctor): not hashed twice.
        self.checked = checked
        # A read-only snapshot never commits, so its records need no copy to compare with.
        self.read_only = read_only
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
            raise _damaged(
                path, N_("The ledger file {path} is missing, so olshop will not use it.")
            ) from None
        except OSError as exc:
            raise _os_error(path, exc, "read") from None
        return check_document(blob, entry, path, hashed=entry["file"] in self.checked)

    def stage(self, name: str, data: dict) -> None:
        self._docs[name] = data
        self.staged.add(name)

    def forget(self, name: str) -> None:
        """Let go of a file read once (a stream through the archive holds one at a time)."""
        if name not in self.staged:
            self._docs.pop(name, None)
            self._dbs.pop(name, None)

    def staged_documents(self) -> Iterator[tuple[str, dict]]:
        """The databases this change wrote, by name, in order."""
        for name in sorted(self.staged):
            yield name, self._docs[name]

    def database(self, name: str) -> TinyDB:
        """The TinyDB database of one data file."""
        if name not in self._dbs:
            self._dbs[name] = TinyDB(files=self, name=name, storage=VersionStorage)
        return self._dbs[name]

    def table(self, name: str, table: str) -> Table:
        return self.database(name).table(table)


def check_document(blob: bytes, entry: dict, path: Path, hashed: bool = False) -> dict:
    """A data file's document, if its bytes are the ones the manifest recorded (`hashed`:
    its digest was checked a moment ago)."""
    if len(blob) != entry["bytes"] or not (hashed or _digest(blob) == entry["sha256"]):
        raise _damaged(
            path,
            N_(
                "The ledger file {path} is damaged (it is not as olshop wrote it), so olshop "
                "will not use it."
            ),
        )
    try:
        data = orjson.loads(blob)
    except ValueError:
        raise _damaged(
            path, N_("The ledger file {path} is not valid JSON, so olshop will not use it.")
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(t, dict) and all(map(isinstance, t.values(), repeat(dict)))
        for t in data.values()
    ):
        raise _damaged(
            path,
            N_(
                "The ledger file {path} does not have the shape of a TinyDB database, so olshop "
                "will not use it."
            ),
        )
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
    indexed: bool = False  # kept in the open bookings' index (open-NN)


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
    lambda number: f"bookings-{number // OPEN_BUCKET:05d}",
    "bookings-",
    numbered=True,
    indexed=True,
)


def _old_shard(number: int) -> str:
    return f"bookings-{number % OLD_BOOKING_SHARDS}"


def _index_of(customer: object) -> str:
    """The index file of a customer's open bookings (all of one buyer's in one file)."""
    return f"open-{zlib.crc32(str(customer).encode()) % OPEN_INDEX_SHARDS:02d}"


def index_entry(booking: Booking) -> dict:
    """What the open bookings' index holds of a booking (its kode unik only when it has
    one: the index of a shop without codes reads as before they existed)."""
    entry = {
        "status": booking.status,
        "customer": booking.customer,
        "deadline": booking.deadline,
        "held_by_dp": booking.held_by_dp,
        "owed_back": booking.owed_back,
        "customer_name": booking.customer_name,
        "created": booking.created,
    }
    if booking.unique_code:
        entry["unique_code"] = booking.unique_code
    if booking.status == BOOKED:
        entry["total"], entry["owed"] = booking.total, booking.owed
    return entry


def _entry_matches(stored: dict | None, expected: dict) -> bool:
    """A stored index entry says what the booking says (one written before the statement
    fields existed may lack them)."""
    if stored == expected:
        return True
    return stored == {k: v for k, v in expected.items() if k not in SINCE_STATEMENTS}


class Records(MutableMapping):
    """Customers, products or open bookings by key, read through TinyDB when first asked for.

    Behaves as a dict of objects: `ledger.customers["mike"]`, `in`, `values()`, assignment
    and `del`. Each record is built once and remembered with the document it came from;
    `flush` writes back, through TinyDB, only those that were added, changed or removed
    (and, for open bookings, their entries in the index).
    """

    def __init__(self, files: Files, kind: Kind):
        self.files = files
        self.kind = kind
        self._objects: dict[Any, Any] = {}
        # key -> (file, doc_id, the document as read, serialised: the object shares its
        # lists with the document, so only a copy taken before any change can tell what
        # changed)
        self._stored: dict[Any, tuple[str, int, bytes]] = {}
        self._removed: set[Any] = set()
        self._ids: dict[str, dict] = {}  # shard -> {key: doc_id}
        self._complete = False
        self._old: bool | None = None
        self._rebuild = False

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
                self.files.data / shard,
                N_(
                    "The ledger file {path} holds {table} without the right fields, so olshop "
                    "will not use it."
                ),
                table=self.kind.table,
            ) from None
        self._objects[key] = obj
        self._stored[key] = (shard, doc.doc_id, b"" if self.files.read_only else _snapshot(doc))
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
            if doc is None and self._old_layout():
                shard = _old_shard(key)
                doc = self._table(shard).get(doc_id=key)
        else:
            if type(key) is not str:
                return None
            shard = self.kind.shard(key)
            table = self._table(shard)
            if shard not in self._ids:  # the shard's keys, read once: many lookups are cheap
                # As the Storage reads them: TinyDB's Table would copy each into a Document.
                stored = (self.files.document(shard) or {}).get(self.kind.table, {})
                try:
                    self._ids[shard] = {d.get(self.kind.key): int(i) for i, d in stored.items()}
                except ValueError:
                    where = self.files.data / shard
                    raise _damaged(
                        where,
                        N_(
                            "The ledger file {path} holds a record without an id, so olshop "
                            "will not use it."
                        ),
                    ) from None
            doc_id = self._ids[shard].get(key)
            doc = None if doc_id is None else table.get(doc_id=doc_id)
        return None if doc is None else self._build(doc, shard)  # type: ignore[arg-type]

    def _old_layout(self) -> bool:
        """Open bookings still in the first layout's files (bookings-0..7)?"""
        if self._old is None:
            self._old = any(len(n) == len("bookings-0") for n in self.files.names("bookings-"))
        return self._old

    def indexed(self) -> bool:
        """Does this version have the open bookings' index? (Every change that touches a
        booking writes it; a ledger without open bookings needs none.)"""
        return self.kind.indexed and bool(self.files.names("open-"))

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

    def loaded(self) -> list:
        """The records read or changed so far (never reads more)."""
        return list(self._objects.values())

    def values(self) -> list:  # type: ignore[override]
        self._load_all()
        return [self._objects[key] for key in sorted(self._objects)]

    def index_mismatches(self) -> list[int]:
        """Numbers of open bookings whose entry in the index is missing or not as the booking
        says, and of entries no open booking has (doctor; `reindex` mends them)."""
        if not self.kind.indexed or not self.indexed():
            return []
        self._load_all()
        entries = {number: entry for _name, number, entry in self._index()}
        wrong = {n for n, entry in entries.items() if n not in self._objects}
        wrong |= {
            n
            for n, b in self._objects.items()
            if not _entry_matches(entries.get(n), index_entry(b))
        }
        return sorted(wrong)

    def reindex(self) -> None:
        """Write every open booking's index entry afresh at the next flush."""
        self._rebuild = True

    def _index(self, names: list[str] | None = None) -> Iterator[tuple[str, int, dict]]:
        """(file, number, entry) of the open bookings in the stored index (of these files, or
        all), as the Storage reads them: TinyDB's Table would copy each into a Document."""
        for name in self.files.names("open-") if names is None else names:
            entries = (self.files.document(name) or {}).get("open", {})
            try:
                yield from ((name, int(doc_id), entry) for doc_id, entry in entries.items())
            except ValueError:
                raise _damaged(
                    self.files.data / name,
                    N_(
                        "The ledger file {path} holds an entry without a number, so olshop "
                        "will not use it."
                    ),
                ) from None

    def fields(self, *names: str) -> dict[Any, tuple]:
        """Some fields of every record, by key, without building the records that are not
        in memory yet: `today` counts 20,000 open bookings by status and deadline from the
        index and builds only the few it shows. Open bookings' `owed_back` (not stored
        with them) comes from the index."""
        found: dict[Any, tuple] = {}
        if self._complete:
            pass
        elif self.indexed() and INDEX_FIELDS.issuperset(names):
            for _name, number, entry in self._index():
                if number not in self._removed:
                    found[number] = tuple(map(entry.get, names))
        elif self.kind.indexed and "owed_back" in names:
            self._load_all()  # the first layout has no index: build them all
        else:
            for shard in self.files.names(self.kind.prefix):
                for doc in (self.files.document(shard) or {}).get(self.kind.table, {}).values():
                    key = doc.get(self.kind.key)
                    if key not in self._removed:
                        found[key] = tuple(map(doc.get, names))
        for key, obj in self._objects.items():  # what this change did wins
            found[key] = tuple(getattr(obj, name) for name in names)
        return found

    def search(self, test: Callable[[Any], bool], **equal: Any) -> list:
        """The records for which `test(record)` is true, by key. Of the stored documents only
        those whose fields equal `equal` are built (a customer's through the open bookings'
        index, others through a TinyDB `Query`, e.g. status="paid"), so `test` must ask for
        those values too; records already in memory, changed or new, are judged by `test`
        alone."""
        # A customer's few open bookings are found through the index; a status matches a
        # good part of them, so its search reads the files through a TinyDB query.
        if not self._complete and "customer" in equal and self.indexed():
            wanted = tuple(equal.items())
            for _name, number, entry in self._index([_index_of(equal["customer"])]):
                if all(entry.get(name) == value for name, value in wanted):
                    self._load(number)
        elif not self._complete:
            query = _all_equal(equal)
            for shard in self.files.names(self.kind.prefix):
                table = self._table(shard)
                for doc in table.all() if query is None else table.search(query):
                    self._build(doc, shard)
        return [obj for key, obj in sorted(self._objects.items()) if test(obj)]

    def flush(self, batch: Batch) -> None:
        """Hand the records added, changed or removed since reading to `batch` (and the
        phones of customers to the phone index, open bookings to their index). Open
        bookings still in the first layout's files are all moved, and the index built, the
        first time."""
        assert not self.files.read_only, "a read-only snapshot cannot be written"
        phones = PhoneIndex(batch) if self.kind is CUSTOMERS else None
        called = CalledIndex(batch) if self.kind is CUSTOMERS else None
        # Built whole the first time (a ledger from before it), and by doctor's reindex.
        every_name = called is not None and (self._rebuild or not called.present())
        if every_name:
            assert called is not None
            self._load_all()
            called.clear()
        whole = self.kind.indexed and (
            self._rebuild or (not self.indexed() and bool(self.files.names("bookings-")))
        )
        if whole:
            self._load_all()
            for name, number, _entry in list(self._index()) if self.indexed() else ():
                booking = self._objects.get(number)
                if booking is None or _index_of(booking.customer) != name:  # doctor --fix
                    batch.put(name, "open", number, None)
        table = self.kind.table
        for key in self._removed:
            if key in self._stored:
                shard, doc_id, gone = self._stored.pop(key)
                batch.put(shard, table, doc_id, None)
                if phones is not None and called is not None:
                    phones.move(orjson.loads(gone).get("phone"), None, key)
                    called.move(called_word(orjson.loads(gone)), None, key)
                if self.kind.indexed:
                    batch.put(_index_of(orjson.loads(gone).get("customer")), "open", key, None)
        self._removed.clear()
        for key, obj in self._objects.items():
            data = obj.to_dict()
            snapshot = _snapshot(data)
            shard = self.kind.shard(key)
            stored = self._stored.get(key)
            if called is not None and every_name:
                called.move(None, called_word(data), key)
            if stored and stored[0] == shard and stored[2] == snapshot and not whole:
                continue
            if phones is not None and called is not None:
                before = orjson.loads(stored[2]) if stored and stored[2] else {}
                phones.move(before.get("phone"), data.get("phone"), key)
                if not every_name:
                    called.move(called_word(before), called_word(data), key)
            if stored and stored[0] != shard:  # moved out of the first layout's file
                batch.put(stored[0], table, stored[1], None)
                stored = None
            if stored:
                doc_id = stored[1]
            elif self.kind.numbered:
                doc_id = key
            else:
                doc_id = batch.new_id(shard, table)
            batch.put(shard, table, doc_id, data)
            if self.kind.indexed:
                index = _index_of(obj.customer)
                if stored and stored[2]:  # a booking given to another buyer leaves their file
                    was = _index_of(orjson.loads(stored[2]).get("customer"))
                    if was != index:
                        batch.put(was, "open", key, None)
                batch.put(index, "open", key, index_entry(obj))
            self._stored[key] = (shard, doc_id, snapshot)


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

    def all(self, name: str, table: str) -> dict[int, dict]:
        """Every document of a table as this batch will leave it, by id."""
        docs = {doc.doc_id: dict(doc) for doc in self.files.table(name, table)}
        for doc_id, doc in self.pending.get((name, table), {}).items():
            if doc is None:
                docs.pop(doc_id, None)
            else:
                docs[doc_id] = dict(doc)
        return docs

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
                        if table.contains(doc_id=doc_id):  # TinyDB 4.8 raises for others
                            table.remove(doc_ids=[doc_id])
                    elif not _replaced(table, doc_id, doc):
                        table.insert(Document(doc, doc_id=doc_id))
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


class _WordIndex:
    """A small index of customers by a word (a phone, a name), in SHARDS files named
    PREFIX-NN by the word's checksum, each word's entry in a document of its own: a lookup
    reads one small file, not every customer. Read from a version (Files), or changed
    within a change (Batch)."""

    PREFIX = ""
    SHARDS = 16

    def __init__(self, source: Files | Batch):
        self.batch = source if isinstance(source, Batch) else None
        self.files = source.files if isinstance(source, Batch) else source

    @classmethod
    def _where(cls, word: str) -> tuple[str, int]:
        crc = zlib.crc32(word.encode())
        return f"{cls.PREFIX}-{crc % cls.SHARDS:02d}", crc // cls.SHARDS + 1


class PhoneIndex(_WordIndex):
    """Which customer has which phone (E.164 -> key): `book 0812...` reads one small
    file, not every customer."""

    PREFIX, SHARDS = "phones", PHONE_SHARDS

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


def called_word(data: dict) -> str | None:
    """The name a stored customer is called by, as the index keeps it: the nickname, else
    the name they go by ("Hj. Siti Aminah" -> siti), lower case."""
    from olshop_cli.names import calling_name

    word = data.get("nick") or calling_name(str(data.get("name") or ""))
    return word.lower() if word else None


class CalledIndex(_WordIndex):
    """Which customers are called by a name (their nickname or the name they go by, lower
    case -> keys): telling whether the key `siti` is also what another customer is called
    reads one small file, not every customer. A ledger from before it has none until it
    is first used (Store._tidy builds it)."""

    PREFIX, SHARDS = "called", CALLED_SHARDS

    def present(self) -> bool:
        return bool(self.files.names("called-"))

    def get(self, word: str) -> list[str] | None:
        """The keys of the customers called `word` (None: this ledger has no index yet)."""
        if not self.present():
            return None
        name, doc_id = self._where(word)
        keys = _doc(self.files.table(name, "called"), doc_id).get(word)
        return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []

    def clear(self) -> None:
        assert self.batch is not None
        for name in self.files.names("called-"):
            for doc_id in self.batch.all(name, "called"):
                self.batch.put(name, "called", doc_id, None)

    def move(self, old: str | None, new: str | None, key: str) -> None:
        """Record that `key` is no longer called `old` but `new` (either may be None)."""
        assert self.batch is not None
        if old == new:
            return
        for word, adding in ((old, False), (new, True)):
            if not word:
                continue
            name, doc_id = self._where(word)
            found = self.batch.get(name, "called", doc_id)
            keys = [k for k in found.get(word, []) if k != key]
            if adding:
                keys.append(key)
            if keys:
                found[word] = sorted(keys)
            else:
                found.pop(word, None)
            self.batch.put(name, "called", doc_id, found or None)


class StatementLog:
    """The bank statement rows recorded as payments (row key -> booking number), a file a
    month of the transfers (`mutasi-2026-12`): reading a statement of a few days opens one
    or two small files, however long the shop has kept them."""

    def __init__(self, files: Files):
        self.files = files

    def get(self, month: str) -> dict[str, int]:
        rows = _doc(self.files.table(f"mutasi-{month}", "rows"), 1)
        try:
            return {str(key): int(number) for key, number in rows.items()}
        except (TypeError, ValueError):
            raise _damaged(
                self.files.data / f"mutasi-{month}",
                N_("The ledger file {path} holds a bad row, so olshop will not use it."),
            ) from None

    def put(self, new: dict[str, dict[str, int]], batch: Batch) -> None:
        for month, rows in new.items():
            if rows:
                name = f"mutasi-{month}"
                batch.put(name, "rows", 1, {**batch.get(name, "rows", 1), **rows})


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
                self.files.data / name,
                N_(
                    "The ledger file {path} holds a booking without the right fields, so olshop "
                    "will not use it."
                ),
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
            for _number, doc in self._numbered(name):
                yield self._make(doc, name)

    def statuses(self, numbers: Set[int] | None = None) -> Iterator[tuple[int, str]]:
        """(number, status) of the closed bookings, by number, without building them: all of
        them, or (for doctor) those among `numbers` and the newest file's, which holds the
        highest number. Only the files that can hold them are read."""
        names = self.files.names("archive-")
        if numbers is not None:
            wanted = {self.name_of(n) for n in numbers if n > 0} | set(names[-1:])
            names = [name for name in names if name in wanted]
        for name in names:
            for number, doc in self._numbered(name):
                if numbers is None or number in numbers or name == names[-1]:
                    yield number, str(doc.get("status"))

    def count(self) -> int:
        """How many closed bookings there are, from each customer's list of them."""
        total = 0
        for name in self.files.names("past-"):
            for lists in self.files.table(name, "past").all():
                total += sum(len(v) for v in lists.values() if isinstance(v, list))
        return total

    def _numbered(self, name: str) -> list[tuple[int, dict]]:
        """One archive file's documents by number, read once (then let go)."""
        # As the Storage reads them: TinyDB's Table would copy each into a Document first.
        stored = self.files.database(name).storage.read() or {}
        self.files.forget(name)
        try:
            return sorted((int(doc_id), doc) for doc_id, doc in stored.get("bookings", {}).items())
        except (TypeError, ValueError):
            raise _damaged(
                self.files.data / name,
                N_(
                    "The ledger file {path} holds a booking without a number, so olshop will "
                    "not use it."
                ),
            ) from None

    def days(self, first: str | None, last: str, months: bool = False) -> Iterator[dict]:
        """The summed days (report.by_day) of the closed bookings, from `first` (None: the
        first) to `last`, both YYYY-MM-DD, in order. With `months`, a month wholly inside
        comes as its one sum (a record with "month" instead of "day")."""
        for name in self.files.names("days-"):
            month = name[len("days-") :]
            if (first is not None and month < first[:7]) or month > last[:7]:
                continue
            whole = (first is None or first <= f"{month}-01") and last >= _last_day(month)
            if months and whole:
                summed = _doc(self.files.table(f"months-{month[:4]}", "months"), int(month[5:]))
                if summed:
                    yield summed
                    continue
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
        from olshop_cli.report import add, by_day, money_of_old_sum

        added: dict[str, list[int]] = {}
        for booking in bookings:
            batch.put(self.name_of(booking.number), "bookings", booking.number, booking.to_dict())
            added.setdefault(booking.customer, []).append(booking.number)
        months = set()
        for day, share in by_day(bookings).items():  # what reports of whole days add up
            name, doc_id = f"days-{day[:7]}", int(day.replace("-", ""))
            # a day summed before money in was counted gets its money first, so the new
            # share's money is added to the day's whole money, not mistaken for all of it
            summed = batch.get(name, "days", doc_id)
            summed = money_of_old_sum(summed) if summed else {"day": day}
            add(summed, share)
            batch.put(name, "days", doc_id, summed)
            months.add(day[:7])
        for month in sorted(months):  # and each month's days summed, for reports of months
            total: dict = {"month": month}
            for _day, day_sum in sorted(batch.all(f"days-{month}", "days").items()):
                add(total, money_of_old_sum(day_sum))
            batch.put(f"months-{month[:4]}", "months", int(month[5:]), total)
        for customer, numbers in added.items():
            name, doc_id = _past_of(customer), _doc_id(customer)
            lists = {k: list(v) for k, v in batch.get(name, "past", doc_id).items()}
            lists[customer] = sorted(set(lists.get(customer, [])) | set(numbers))
            batch.put(name, "past", doc_id, lists)

    def rename(self, old: str, new: str, batch: Batch) -> None:
        """Give customer `old`'s closed bookings to `new` (a customer's key changed): each
        booking in its archive file, their list from `old`'s part of the index to `new`'s,
        and `old`'s shares of the summed days and months. Only the files that hold them
        are read: the archive files their list names, the months those bookings were paid
        in; not the whole history."""
        from olshop_cli.report import by_day

        name, doc_id = _past_of(old), _doc_id(old)
        lists = {k: list(v) for k, v in batch.get(name, "past", doc_id).items()}
        numbers = [n for n in lists.pop(old, []) if type(n) is int]
        if not numbers:
            return
        batch.put(name, "past", doc_id, lists or None)
        name, doc_id = _past_of(new), _doc_id(new)
        lists = {k: list(v) for k, v in batch.get(name, "past", doc_id).items()}
        lists[new] = sorted(set(lists.get(new, [])) | set(numbers))
        batch.put(name, "past", doc_id, lists)
        moved = []
        for number in numbers:
            doc = batch.get(self.name_of(number), "bookings", number)
            if doc.get("customer") == old:
                doc["customer"] = new
                batch.put(self.name_of(number), "bookings", number, doc)
                moved.append(self._make(doc, self.name_of(number)))
        # Their shares were summed by the day they were paid: in those months' files, every
        # day that names `old` (a day's buyers are keyed by customer) names `new` instead.
        months = sorted({day[:7] for day, share in by_day(moved).items() if share["customers"]})
        for month in months:
            for day_id, summed in batch.all(f"days-{month}", "days").items():
                if _renamed_in(summed, old, new):
                    batch.put(f"days-{month}", "days", day_id, summed)
            summed = batch.get(f"months-{month[:4]}", "months", int(month[5:]))
            if _renamed_in(summed, old, new):
                batch.put(f"months-{month[:4]}", "months", int(month[5:]), summed)


def _renamed_in(summed: dict, old: str, new: str) -> bool:
    """In a day's or month's sum, the buyer `old`'s share put under `new` (added to what
    `new` has there); False if `old` has none."""
    buyers = summed.get("customers")
    if not isinstance(buyers, dict) or old not in buyers:
        return False
    buyers = summed["customers"] = dict(buyers)  # the stored document's own stays as read
    revenue, count, label = buyers.pop(old)
    if new in buyers:
        had = buyers[new]
        buyers[new] = [had[0] + revenue, had[1] + count, had[2]]
    else:
        buyers[new] = [revenue, count, label]
    return True


def _replaced(table: Table, doc_id: int, doc: dict) -> bool:
    """Put `doc` in place of the stored document with that id, so that a key the record
    no longer has (a cost price cleared) leaves the file too: TinyDB's upsert merges, and
    would keep it. False if there is no such document."""

    def replace(stored: MutableMapping) -> None:
        stored.clear()
        stored.update(doc)

    try:
        return bool(table.update(replace, doc_ids=[doc_id]))
    except KeyError:  # TinyDB before 4.9 raises for an id it does not have
        return False


def _last_day(month: str) -> str:
    """The last day of a month, YYYY-MM -> YYYY-MM-DD."""
    import calendar

    year, number = int(month[:4]), int(month[5:])
    return f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def _all_equal(fields: dict[str, Any]) -> QueryInstance | None:
    """A TinyDB query for documents whose fields have these values (None: no condition)."""
    query = None
    for name, value in fields.items():
        condition = where(name) == value
        query = condition if query is None else query & condition
    return query


def _snapshot(doc: dict) -> bytes:
    """A record as it stands now, to compare with later (keys sorted: order is no change)."""
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def _doc(table: Table, doc_id: int) -> dict:
    """One document of a table as a plain dict ({} if there is none)."""
    found = table.get(doc_id=doc_id)
    return dict(found) if isinstance(found, dict) else {}


def _past_of(customer: str) -> str:
    return f"past-{zlib.crc32(customer.encode()) % PAST_SHARDS:02d}"


def _doc_id(customer: str) -> int:
    """Customers whose keys share a checksum share a document in their part of the index."""
    return zlib.crc32(customer.encode()) // PAST_SHARDS + 1
