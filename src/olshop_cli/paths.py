"""Where the ledger lives. The one place that decides paths."""

from __future__ import annotations

import os
from pathlib import Path

APP = "olshop"
MAIN_FILE = "olshop.json"  # the manifest: the commit point
LOCK_FILE = "olshop.lock"  # Windows only (elsewhere the folder itself is locked)
ARCHIVE_DIR = "archive"  # format 2 (upgraded on first use)
BACKUP_DIR = "backups"  # format 2 (upgraded on first use)
DATA_DIR = "data"  # the TinyDB files of every kept version (never changed once written)
VERSIONS_DIR = "versions"  # the manifest of every kept earlier version: the backups
TEMPLATES_DIR = "templates"  # the seller's own reply templates, NAME.LANG.txt


def home(override: str | os.PathLike | None = None) -> Path:
    """The ledger folder: `--home`, else $OLSHOP_HOME, else the platform's user data folder."""
    chosen = override or os.environ.get("OLSHOP_HOME")
    if chosen:
        return Path(chosen).expanduser().absolute()
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def has_ledger(folder: Path) -> bool:
    """Does `folder` hold a ledger yet (its manifest)? Reads nothing, creates nothing."""
    return (folder / MAIN_FILE).exists()
