"""Where the ledger lives. The one place that decides paths."""

from __future__ import annotations

import os
from pathlib import Path

APP = "olshop"
MAIN_FILE = "olshop.json"
LOCK_FILE = "olshop.lock"
ARCHIVE_DIR = "archive"
BACKUP_DIR = "backups"
TEMPLATES_DIR = "templates"  # the seller's own reply templates, NAME.LANG.txt


def home(override: str | os.PathLike | None = None) -> Path:
    """The ledger folder: `--home`, else $OLSHOP_HOME, else the platform's user data folder."""
    chosen = override or os.environ.get("OLSHOP_HOME")
    if chosen:
        return Path(chosen).expanduser().absolute()
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)
