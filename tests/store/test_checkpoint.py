"""SQLite's WAL checkpoints run by a thread of their own, outside the write lock (jobnet.store.checkpoint)."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from jobnet.store import Database
from jobnet.store.checkpoint import BACKSTOP_PAGES, EVERY_COMMITS
from jobnet.store.sqlite import SqliteEngine
from tests.support.store import citizen, jobcenter


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = Database(tmp_path / "jobnet.db")
    db.migrate()
    with db.transaction() as tx:
        tx.jobcentre.add(jobcenter())
    return db


def checkpointed_citizens(path: Path) -> int:
    """The citizens in the database file itself: ``immutable`` reads the file and ignores the WAL
    (-1 while not even the schema has been copied there)."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM borgere").fetchone()[0])
    except sqlite3.OperationalError:
        return -1
    finally:
        conn.close()


def add_citizens(db: Database, n: int) -> None:
    for i in range(n):
        with db.transaction() as tx:
            tx.borgere.add(citizen(cpr=f"0101{i:06d}"))


def test_commits_reach_the_database_file_through_the_checkpoint_thread(database: Database) -> None:
    engine = database.engine
    assert isinstance(engine, SqliteEngine) and engine.checkpointer is not None
    # a commit checkpoints only once the WAL has grown far past what the thread leaves in it
    assert database.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
    add_citizens(database, 2 * EVERY_COMMITS)
    deadline = time.monotonic() + 10
    while checkpointed_citizens(database.path) < 2 * EVERY_COMMITS and time.monotonic() < deadline:
        time.sleep(0.05)
    assert checkpointed_citizens(database.path) == 2 * EVERY_COMMITS
    assert engine.checkpointer.runs >= 1
    database.dispose()


def test_close_stops_the_thread_and_the_next_commit_starts_it_again(database: Database) -> None:
    engine = database.engine
    assert isinstance(engine, SqliteEngine) and engine.checkpointer is not None
    thread = engine.checkpointer._thread
    assert thread is not None and thread.is_alive()  # started by the fixture's commit
    database.close()
    assert not thread.is_alive()
    add_citizens(database, 1)
    again = engine.checkpointer._thread
    assert again is not None and again.is_alive() and again is not thread
    database.dispose()
    assert not again.is_alive()


def test_an_in_memory_database_has_no_checkpoint_thread() -> None:
    engine = Database(":memory:").engine
    assert isinstance(engine, SqliteEngine) and engine.checkpointer is None
