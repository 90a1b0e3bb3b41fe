"""The database's files are this user's alone: its directory 0700, the file 0600 (SQLite gives
its -wal and -shm files the mode of the database file)."""
from __future__ import annotations

import os
from pathlib import Path


def private_dir(path: Path) -> None:
    """Create ``path`` and every missing parent readable by this user only (0700); what exists
    is left as it is."""
    for directory in [*reversed(path.parents), path]:
        if not directory.exists():
            directory.mkdir(mode=0o700, exist_ok=True)
            directory.chmod(0o700)  # mkdir's mode is masked by the umask


def private_file(path: Path) -> None:
    """The database file readable by this user only (0600); SQLite gives its -wal and -shm files
    the same mode. Its directory is made 0700 when this makes it."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
