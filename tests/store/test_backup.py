"""Online backup while the service writes, and restore: SQLite's backup API."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from jobnet.store.backup import backup, main, restore
from tests.support.store import NOW


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.backend("sqlite")  # PostgreSQL: pg_dump/pg_restore, tests/store/test_pg_dump.py
def test_backup_of_a_live_database_is_consistent_and_restores(demo: object, tmp_path: Path) -> None:
    live = Path(demo.path)  # type: ignore[attr-defined]  # the demo fixture is typed object
    stop = threading.Event()

    def keep_writing() -> None:
        conn = sqlite3.connect(live, timeout=30)
        n = 0
        while not stop.is_set() and n < 2000:
            conn.execute("INSERT INTO request_ids (caller_key, request_id, operation, claimed_at) "
                         f"VALUES ('backup', ?, 'backup-test', '{NOW.isoformat()}')",
                         [f"writer-{n}"])
            conn.commit()
            n += 1
        conn.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        copy = tmp_path / "backups" / "copy.db"
        backup(live, copy)
    finally:
        stop.set()
        writer.join()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert count(copy, "bookinger") == count(live, "bookinger") > 0
    written_after = count(live, "request_ids") - count(copy, "request_ids")
    assert written_after >= 0

    with sqlite3.connect(live) as conn:  # a change after the backup ...
        conn.execute("DELETE FROM request_ids")
    assert main(["restore", "--db", str(live), "--from", str(copy)]) == 0
    assert count(live, "request_ids") == count(copy, "request_ids")  # ... is gone after the restore


def test_restore_refuses_a_missing_backup(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(FileNotFoundError):
        restore(tmp_path / "db.db", tmp_path / "nope.db")
