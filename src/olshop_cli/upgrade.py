"""Moving a ledger written by an earlier olshop (formats 1 and 2) to today's format.

The only module that reads the old layouts: format 1 kept the whole ledger as one JSON
document in `olshop.json`; format 2 kept it as JSON Lines (meta and settings, then one line
per table). Both kept closed bookings in `archive/bookings-NNNN.json` and backups in
`backups/`. The old files are first kept in `upgrade-from-format-N/`, then every record is
checked and written through the new store in one commit.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from olshop_cli import paths
from olshop_cli.errors import LedgerError
from olshop_cli.i18n import N_, _
from olshop_cli.models import Booking, Customer, Product

if TYPE_CHECKING:
    from olshop_cli.store import Store

TABLES = ("products", "bookings", "customers")
NOT_A_LEDGER = N_(
    "The ledger file {path} does not have the shape of a ledger, so olshop cannot move it to "
    "its new format."
)


def _refuse(path: Path, why: str, **values: object) -> LedgerError:
    """An old ledger file olshop cannot move: `why` is the whole sentence (marked N_, with
    {path} and any of `values`), translated here."""
    return LedgerError(
        _(why).format(path=path, **values),
        _("Nothing was changed. An older olshop's `olshop doctor` may help, or import an export."),
    )


def read_old(path: Path) -> tuple[int, dict]:
    """(format, document) of an old main file, its JSON Lines merged into one document."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _refuse(
            path,
            N_(
                "The ledger file {path} cannot be read ({error}), so olshop cannot move it to "
                "its new format."
            ),
            error=exc.strerror,
        ) from None
    data: dict = {}
    try:
        lines = raw.split(b"\n")
        if lines[0].startswith(b'{"meta":') and len(lines) > 2:
            if lines[-1].strip():
                raise _refuse(
                    path,
                    N_(
                        "The ledger file {path} is cut off (its last line is not complete), so "
                        "olshop cannot move it to its new format."
                    ),
                )
            for line in lines[:-1]:
                data.update(orjson.loads(line))
        else:
            data = orjson.loads(raw)
        meta = data["meta"]["1"]
        version = meta.get("format", 1)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _refuse(
            path,
            N_(
                "The ledger file {path} is not a ledger olshop can read, so olshop cannot move "
                "it to its new format."
            ),
        ) from None
    if version not in (1, 2) or any(name not in data for name in TABLES):
        raise _refuse(
            path,
            N_(
                "The ledger file {path} is in an unknown format ({version}), so olshop cannot "
                "move it to its new format."
            ),
            version=repr(version),
        )
    return version, data


def _records(docs: object, make, path: Path) -> list:
    if not isinstance(docs, dict):
        raise _refuse(path, NOT_A_LEDGER)
    try:
        return [make(dict(doc)) for doc in docs.values()]
    except (TypeError, KeyError, ValueError, AttributeError):
        raise _refuse(
            path,
            N_(
                "The ledger file {path} holds records without the right fields, so olshop "
                "cannot move it to its new format."
            ),
        ) from None


def _keep_copy(home: Path, version: int) -> Path:
    """Hard links (copies where links are not possible) of the old files."""
    kept = home / f"upgrade-from-format-{version}"
    kept.mkdir(mode=0o700, exist_ok=True)
    for name in (paths.MAIN_FILE, paths.ARCHIVE_DIR, paths.BACKUP_DIR):
        source = home / name
        if source.is_dir():
            shutil.copytree(source, kept / name, copy_function=_link, dirs_exist_ok=True)
        elif source.is_file():
            _link(source, kept / name)
    return kept


def _link(source: str | Path, target: str | Path) -> None:
    Path(target).unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def upgrade(store: Store) -> str:
    """Move the old ledger in the store's folder to today's format in one commit (the lock
    is held); returns the line that tells the seller."""
    from olshop_cli.store import Files

    main = store.manifest_path
    version, data = read_old(main)
    customers = _records(data["customers"], Customer.from_dict, main)
    products = _records(data["products"], Product.from_dict, main)
    bookings = _records(data["bookings"], Booking.from_dict, main)
    archive = store.home / paths.ARCHIVE_DIR
    closed: list[Booking] = []
    for path in sorted(archive.glob("bookings-*.json")) if archive.is_dir() else []:
        try:
            docs = orjson.loads(path.read_bytes()).get("bookings", {})
        except (OSError, ValueError, AttributeError):
            raise _refuse(
                path,
                N_(
                    "The ledger file {path} cannot be read, so olshop cannot move it to its new "
                    "format."
                ),
            ) from None
        closed += _records(docs, Booking.from_dict, path)
    open_numbers = {b.number for b in bookings}
    closed = [b for b in closed if b.number not in open_numbers]  # the main file won
    kept = _keep_copy(store.home, version)

    meta = data["meta"]["1"]
    files = Files(store.home, None)
    ledger = store._ledger(files)
    for customer in customers:
        ledger.customers[customer.key] = customer
    for product in products:
        ledger.products[product.sku] = product
    for booking in bookings:
        ledger.bookings[booking.number] = booking
    ledger.closed_now = closed
    try:
        ledger.settings = dict(data.get("settings", {}).get("1", {}))
        ledger.next_booking = int(meta.get("next_booking", 1))
        ledger.retired_keys = set(meta.get("retired_keys", []))
    except (TypeError, ValueError, AttributeError):
        raise _refuse(main, NOT_A_LEDGER) from None
    store.write_ledger(files, ledger)
    command = f"olshop upgrade from format {version}"
    store.commit_on(None, files, command, None, ledger.keep_backups)
    for name in (paths.ARCHIVE_DIR, paths.BACKUP_DIR):
        shutil.rmtree(store.home / name, ignore_errors=True)  # kept in the copy
    return _(
        "olshop moved this ledger to its new storage; the old files are kept in {path}."
    ).format(path=kept)
