"""PostgreSQL's backup and restore (jobnet/store/backup.py): pg_dump while the service writes, then
pg_restore over a database changed since, through the `jobnet backup` / `jobnet restore` commands."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from jobnet.cli import main
from jobnet.store import Database
from tests.support.store import NOW


def count(db: Database, table: str) -> int:
    return int(db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.backend("postgresql")
def test_a_dump_taken_while_writing_restores_what_it_saw(demo: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    url = str(demo.location)
    writer_db = Database(url, clock=demo.clock)
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set() and n < 500:
            writer_db.conn.execute("INSERT INTO request_ids (caller_key, request_id, operation, claimed_at) "
                                   f"VALUES ('backup', ?, 'backup-test', '{NOW.isoformat()}')", [f"w-{n}"])
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    dump = tmp_path / "backups" / "jobnet.dump"
    monkeypatch.setenv("JOBNET_DB", url)
    try:
        assert main(["backup", "--to", str(dump)]) == 0
    finally:
        stop.set()
        writer.join()
        writer_db.dispose()
    assert dump.stat().st_size > 0
    bookings, audit = count(demo, "bookinger"), count(demo, "audit")
    assert bookings > 0
    demo.conn.execute("DELETE FROM frister")  # a change after the backup ...
    demo.conn.execute("UPDATE bookinger SET state = 'cancelled'")
    assert main(["restore", "--from", str(dump)]) == 0  # ... is gone after the restore
    assert count(demo, "frister") > 0 and count(demo, "bookinger") == bookings
    assert demo.conn.execute("SELECT count(*) FROM bookinger WHERE state = 'cancelled'").fetchone()[0] < bookings
    assert count(demo, "audit") == audit  # the append-only trail is the dump's again
    # settled: vacuumed and analyzed after pg_restore, so the restored tables have statistics at once
    assert demo.conn.execute("SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'bookinger' "
                             "AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL").fetchone()[0] == 1
    again = Database(url, clock=demo.clock)  # the restored schema is current: nothing to migrate
    assert again.migrate() == []
    again.dispose()


@pytest.mark.backend("postgresql")
def test_restore_refuses_a_missing_dump(db: Database, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        main(["restore", "--db", str(db.location), "--from", str(tmp_path / "none.dump")])
