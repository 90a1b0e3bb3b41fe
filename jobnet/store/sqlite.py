"""The SQLite adapter: one file, WAL, one sqlite3 connection per thread, tables through sqlite-utils.

Every write runs in ``BEGIN IMMEDIATE`` (the write lock is taken before anything is read, so
read-check-write sequences cannot race); a read is a deferred transaction with ``PRAGMA
query_only`` on, so a write there fails loudly.

Writers queue before ``BEGIN IMMEDIATE``: the threads of a process on a lock of their own, the
processes on an exclusive ``flock`` of ``<database>-writelock`` (jobnet.store.locks). SQLite's
busy handler lets a waiting writer sleep and poll, with sleeps growing to 100 ms, so under load
most of a write's time went to sleeping while the lock was free, and one process could keep the
other out for long stretches. Queued, the next writer is woken as soon as the one before it is
done. ``BEGIN IMMEDIATE`` stays the guard against writers that do not queue (other programs).

sqlite-utils does what it is for: ``insert_all`` for the loader's bulk loads, and introspection.
A single-row insert or update is one statement, made once per table and column set
(jobnet.store.engine.insert_sql): sqlite-utils' ``Table.insert`` and ``update`` ask the schema
(sqlite_master, ``PRAGMA table_info``) and open a savepoint on every call, which tripled the
statements a booking runs while it holds the write lock (issue 14).

The served app moves WAL checkpoints out of the COMMIT into a thread (``checkpoint_in_background``,
jobnet.store.checkpoint says why).
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from jobnet.errors import ConstraintViolation, DatabaseUnavailable
from jobnet.store.checkpoint import INTERVAL_S, SAFETY_PAGES, Checkpointer
from jobnet.store.engine import Connection, Engine, insert_sql
from jobnet.store.files import private_file
from jobnet.store.locks import migration_lock, write_lock

BUSY_TIMEOUT_S = 30
ANALYSIS_LIMIT = 400  # rows per index that an ANALYZE run by PRAGMA optimize looks at


class SqliteConnection(Connection):
    backend = "sqlite"
    long_booking = "julianday(slut) - julianday(start) > 0.5"
    skip_locked = ""
    lock_rows = ""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self.utils = sqlite_utils.Database(raw)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.raw.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise ConstraintViolation(str(exc)) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.raw.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise ConstraintViolation(str(exc)) from exc

    def insert(self, table: str, values: Mapping[str, Any], key: str | None = None) -> Any:
        cur = self.execute(insert_sql(table, tuple(values)), tuple(values.values()))
        if key is None:
            return None
        given = values.get(key)
        return given if given is not None else cur.lastrowid

    def insert_all(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        self.columns_of(table, rows)
        try:
            self.utils.table(table).insert_all([dict(r) for r in rows])
        except sqlite3.IntegrityError as exc:
            raise ConstraintViolation(str(exc)) from exc

    def tables(self) -> list[str]:
        return sorted(self.utils.table_names())

    def indexes(self, table: str) -> list[str]:
        return sorted(i.name for i in self.utils.table(table).indexes)


class SqliteEngine(Engine):
    backend = "sqlite"
    one_writer = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self.memory = str(path) in ("", ":memory:")
        self._lock_key = ":memory:" if self.memory else os.path.realpath(path)
        self._local = threading.local()
        self._autocheckpoint: int | None = None  # pages; None: SQLite's default (1,000)

    def connection(self) -> SqliteConnection:
        conn: SqliteConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = SqliteConnection(self._connect())
        return conn

    def _connect(self) -> sqlite3.Connection:
        if not self.memory:
            private_file(self.path)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        conn.execute("PRAGMA foreign_keys = ON")
        _wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        if self._autocheckpoint is not None:
            conn.execute(f"PRAGMA wal_autocheckpoint = {self._autocheckpoint}")
        return conn

    def checkpoint_in_background(self, interval: float = INTERVAL_S) -> Callable[[], None]:
        """Checkpoints in a thread from now on; the connections of this engine checkpoint in their
        COMMIT only past SAFETY_PAGES (this thread's connection is set at once, every other one
        when it connects, so call this before serving). Returns the thread's stop."""
        if self.memory:
            return lambda: None  # an in-memory database has no log
        self._autocheckpoint = SAFETY_PAGES
        conn: SqliteConnection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.raw.execute(f"PRAGMA wal_autocheckpoint = {SAFETY_PAGES}")
        return Checkpointer(self.path, write_lock(self._lock_key), interval).start().stop

    @contextmanager
    def begin_write(self) -> Iterator[Connection]:
        conn = self.connection()
        lock = write_lock(self._lock_key)
        if not lock.acquire(timeout=BUSY_TIMEOUT_S):
            raise DatabaseUnavailable("database is locked (another writer of this process holds it)")
        try:
            raw = conn.raw
            raw.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
            else:
                try:
                    raw.execute("COMMIT")
                except BaseException:
                    if raw.in_transaction:
                        raw.execute("ROLLBACK")
                    raise
        finally:
            lock.release()

    @contextmanager
    def begin_read(self) -> Iterator[Connection]:
        conn = self.connection()
        raw = conn.raw
        raw.execute("PRAGMA query_only = ON")
        raw.execute("BEGIN")
        try:
            yield conn
        finally:
            if raw.in_transaction:
                raw.execute("ROLLBACK")  # nothing to keep: it only read
            raw.execute("PRAGMA query_only = OFF")

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        """``<database>-migratelock`` (jobnet.store.locks); each migration also runs in BEGIN IMMEDIATE
        and checks schema_migrations there, against programs that do not take the lock."""
        lock = migration_lock(self._lock_key)
        if not lock.acquire(timeout=120):
            raise DatabaseUnavailable("another process is migrating the database")
        try:
            yield
        finally:
            lock.release()

    def run_script(self, conn: Connection, script: str) -> None:
        for statement in statements(script):
            conn.execute(statement)

    def after_migrate(self) -> None:
        """``PRAGMA optimize`` with a bounded analysis: lets SQLite refresh its statistics where it
        sees a benefit (the queries of this service do not depend on them)."""
        raw = self.connection().raw
        raw.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        raw.execute("PRAGMA optimize")

    def reset(self) -> None:
        self.close()
        if not self.memory:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def ping(self, timeout: float) -> None:
        try:
            self.connection().raw.execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    def close(self) -> None:
        conn: SqliteConnection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.raw.close()
            self._local.conn = None

    def dispose(self) -> None:
        self.close()


def _wal(conn: sqlite3.Connection) -> None:
    """WAL mode, waiting (up to the busy timeout) while another connection holds the lock this needs:
    there SQLite answers "database is locked" at once, without its busy handler (seen when instances
    start together on a new file: 18 of 300 racing starts of four instances failed so, 0 now)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = wal")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def statements(script: str) -> Iterator[str]:
    """Split a SQL script into complete statements (trigger bodies stay whole)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise ValueError(f"incomplete SQL statement at end of migration: {buffer.strip()[:60]}")
