"""WAL checkpoints in a thread of their own (jobnet.store.checkpoint): a request's COMMIT no longer
copies the log into the database file while it holds the write lock; the thread does, and stops."""
from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from jobnet.store import Database
from jobnet.store.checkpoint import SAFETY_PAGES, Checkpointer


def _sqlite(tmp_path: Path) -> Database:
    db = Database(tmp_path / "jobnet.db")
    db.migrate()
    db.engine.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the schema into the file itself
    return db


def _write(db: Database, n: int, tag: str) -> None:
    for i in range(n):
        with db.transaction() as tx:
            tx.conn.execute("INSERT INTO request_ids (caller_key, request_id, operation, claimed_at) "
                            "VALUES ('checkpoint', ?, 'test', '2026-01-01T00:00:00+00:00')", [f"{tag}-{i}"])


def _in_database_file(db: Database, tag: str, tmp_path: Path) -> bool:
    """Whether the row is in the database file itself (checkpointed), not only in its log."""
    only_file = tmp_path / f"file-only-{time.monotonic_ns()}.db"
    shutil.copyfile(db.path, only_file)  # without -wal: what a checkpoint has copied, nothing else
    conn = sqlite3.connect(only_file)
    try:
        return conn.execute("SELECT count(*) FROM request_ids WHERE request_id = ?", [f"{tag}-0"]).fetchone()[0] == 1
    finally:
        conn.close()


def _autocheckpoint_of_a_new_thread(db: Database) -> int:
    found: list[int] = []
    thread = threading.Thread(target=lambda: found.append(
        db.engine.connection().execute("PRAGMA wal_autocheckpoint").fetchone()[0]))
    thread.start()
    thread.join()
    return found[0]


@pytest.mark.backend("sqlite")
def test_the_thread_checkpoints_what_the_commits_leave_in_the_log(tmp_path: Path) -> None:
    db = _sqlite(tmp_path)
    stop = db.engine.checkpoint_in_background(0.02)  # type: ignore[call-arg]
    try:
        assert _autocheckpoint_of_a_new_thread(db) == SAFETY_PAGES  # a commit checkpoints only far behind
        assert db.engine.connection().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == SAFETY_PAGES
        _write(db, 20, "a")  # far fewer pages than any automatic checkpoint waits for
        deadline = time.monotonic() + 10
        while not _in_database_file(db, "a", tmp_path):
            assert time.monotonic() < deadline, "the background thread never checkpointed"
            time.sleep(0.02)
    finally:
        stop()
        db.dispose()


@pytest.mark.backend("sqlite")
def test_under_steady_writes_the_log_starts_again_from_its_beginning(tmp_path: Path) -> None:
    """A log checkpointed to its end lets the next writer start it again, so it stays short (here the
    writer's own pauses leave gaps too; under the service's queue of writers the second checkpoint of
    each pass, taken in the writers' turn, is what makes the gap)."""
    from jobnet.store.locks import write_lock

    db = _sqlite(tmp_path)
    checkpointer = Checkpointer(db.path, write_lock(os.path.realpath(db.path)), 0.02).start()
    done = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not done.is_set():
            _write(db, 1, f"w{n}")
            n += 1
        db.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while checkpointer.restarts < 3:
            assert time.monotonic() < deadline, f"the log was never started again ({checkpointer.frames} pages)"
            time.sleep(0.02)
    finally:
        done.set()
        writer.join()
        checkpointer.stop()
        db.dispose()


@pytest.mark.backend("sqlite")
def test_without_it_the_log_keeps_what_is_committed_until_sqlite_checkpoints(tmp_path: Path) -> None:
    db = _sqlite(tmp_path)
    try:
        assert _autocheckpoint_of_a_new_thread(db) == 1000  # SQLite's default: the CLI and the loader keep it
        _write(db, 20, "b")
        time.sleep(0.2)
        assert not _in_database_file(db, "b", tmp_path)
    finally:
        db.dispose()


@pytest.mark.backend("sqlite")
def test_the_thread_stops_when_told(tmp_path: Path) -> None:
    db = _sqlite(tmp_path)
    try:
        checkpointer = Checkpointer(db.path, None, 0.01).start()
        time.sleep(0.05)
        assert checkpointer.alive
        checkpointer.stop()
        assert not checkpointer.alive
    finally:
        db.dispose()


def test_postgresql_and_memory_need_no_thread(db: Any) -> None:
    """PostgreSQL checkpoints in its own processes; an in-memory SQLite database has no log."""
    before = {t.name for t in threading.enumerate()}
    engine = db.engine if db.backend == "postgresql" else Database(":memory:").engine
    stop = engine.checkpoint_in_background()
    try:
        assert "jobnet-checkpoint" not in {t.name for t in threading.enumerate()} - before
    finally:
        stop()
