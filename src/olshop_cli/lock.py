"""One writer at a time: an exclusive lock on the ledger folder itself."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from olshop_cli import paths
from olshop_cli.errors import LedgerError
from olshop_cli.i18n import _


class Lock:
    """One writer at a time: an exclusive flock on the ledger folder itself. No lock file is
    opened, so nothing in the folder (a symlink, a deleted or replaced file) can defeat it
    or be harmed by it; a killed writer's lock goes with its process."""

    def __init__(self, folder: Path, timeout: float):
        self.folder = folder
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self) -> Lock:
        try:
            self.fd = _open_lock(self.folder)
        except OSError as exc:
            raise LedgerError(
                _("Could not lock the ledger folder {path}: {error}.").format(
                    path=self.folder, error=exc.strerror or exc
                ),
                _("Nothing was changed; check the folder's permissions, then try again."),
            ) from None
        deadline = time.monotonic() + self.timeout
        while not _try_lock(self.fd):
            if time.monotonic() >= deadline:
                os.close(self.fd)
                self.fd = None
                raise LedgerError(
                    _("The ledger is busy: another olshop is changing it right now."),
                    _("Nothing was changed; try again in a moment."),
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
