"""The SQLite database: one connection per thread, migrations, units of work.

Every write runs inside ``Database.transaction()`` (``BEGIN IMMEDIATE``: the write lock is taken
before anything is read, so read-check-write sequences cannot race). ``Database.read()`` is a
deferred read transaction with ``PRAGMA query_only`` on, so a write there fails loudly.
A transaction opened while one is already open on this thread becomes a SAVEPOINT of it.

Writers queue before ``BEGIN IMMEDIATE``: the threads of a process on a lock of their own, the
processes on an exclusive ``flock`` of ``<database>-writelock`` (``jobnet.store.locks``). SQLite's
busy handler lets a waiting writer sleep and poll, with sleeps growing to 100 ms, so under load
most of a write's time went to sleeping while the lock was free, and one process could keep the
other out for long stretches. Queued, the next writer is woken as soon as the one before it is
done. ``BEGIN IMMEDIATE`` stays the guard against writers that do not queue (other programs).
"""
from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlite_utils

from jobnet.clock import Clock, SystemClock
from jobnet.store.files import private_file
from jobnet.store.locks import write_lock
from jobnet.store.requests import PurgeSchedule
from jobnet.store.sealing import Sealer, seal_clear_passwords
from jobnet.store.tx import Tx

T = TypeVar("T")

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_S = 30
ANALYSIS_LIMIT = 400  # rows per index that an ANALYZE run by PRAGMA optimize looks at


@dataclass
class _ThreadState:
    conn: sqlite3.Connection
    db: sqlite_utils.Database | None = None
    mode: str | None = None  # None, "write" or "read"
    depth: int = 0  # savepoint nesting inside a write transaction
    actor: str = "system"  # who the open write transaction acts for (its savepoints inherit it)


class Database:
    """``sealer``: the key of the planner route passwords (jobnet.store.sealing); without it a
    route with a password can be neither stored nor read."""

    def __init__(self, path: str | Path, clock: Clock | None = None, sealer: Sealer | None = None) -> None:
        self.path = Path(path)
        self.clock: Clock = clock or SystemClock()
        self.sealer = sealer
        self._local = threading.local()
        self.purges = PurgeSchedule()
        self._memos: dict[str, Any] = {}
        self._memos_guard = threading.Lock()
        self._lock_key = ":memory:" if str(path) in ("", ":memory:") else os.path.realpath(self.path)

    def memo(self, name: str, factory: Callable[[], T]) -> T:
        """The process-local cache ``name`` of data derived from this database (made on first use).
        Its owner checks every entry against versions kept in the database before reusing it."""
        found = self._memos.get(name)
        if found is None:
            with self._memos_guard:
                found = self._memos.setdefault(name, factory())
        return cast(T, found)

    def forget_memos(self) -> None:
        """Drop every cache made by ``memo`` (after the database's content was replaced wholesale)."""
        with self._memos_guard:
            self._memos.clear()

    # --- connections -------------------------------------------------------------------
    def _state(self) -> _ThreadState:
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is None:
            state = _ThreadState(self._connect())
            self._local.state = state
        return state

    def _connect(self) -> sqlite3.Connection:
        if self._lock_key != ":memory:":
            private_file(self.path)
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = wal")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        return self._state().conn

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over this thread's connection (for introspection and ad-hoc queries)."""
        state = self._state()
        if state.db is None:
            state.db = sqlite_utils.Database(state.conn)
        return state.db

    def close(self) -> None:
        """Close this thread's connection; the next use opens a new one."""
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is not None:
            state.conn.close()
            self._local.state = None

    # --- migrations --------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations in order, each in its own transaction; returns their names."""
        conn = self.conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied: list[str] = []
        for path in sorted(MIGRATIONS.glob("*.sql")):
            if not _MIGRATION_NAME.match(path.name):
                raise RuntimeError(f"badly named migration {path.name}")
            with self.transaction(actor="migrate") as tx:
                # Checked under the write lock, so two processes never apply the same file twice.
                done = tx.conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", [path.name]
                ).fetchone()
                if done:
                    continue
                for statement in _statements(path.read_text(encoding="utf-8")):
                    tx.conn.execute(statement)
                tx.conn.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    [path.name, self.clock.now().isoformat()],
                )
            applied.append(path.name)
        if self.sealer is not None:
            with self.transaction(actor="migrate") as tx:
                seal_clear_passwords(tx.conn, self.sealer)
        self.optimize()
        return applied

    def optimize(self) -> None:
        """``PRAGMA optimize`` with a bounded analysis: lets SQLite refresh its statistics where it
        sees a benefit (the queries of this service do not depend on them)."""
        conn = self.conn
        conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        conn.execute("PRAGMA optimize")

    # --- units of work -----------------------------------------------------------------
    @contextmanager
    def transaction(self, actor: str | None = None) -> Iterator[Tx]:
        """A write unit of work: BEGIN IMMEDIATE … COMMIT, ROLLBACK on any exception. ``actor`` is
        recorded in its audit rows ("system" if none); a nested one (a savepoint) acts for the
        outer one's actor unless it names its own."""
        state = self._state()
        conn = state.conn
        if state.mode == "read":
            raise RuntimeError("a write transaction cannot be opened inside db.read()")
        if state.mode == "write":
            yield from _savepoint(state, self._tx(conn, actor or state.actor))
            return
        lock = write_lock(self._lock_key)
        if not lock.acquire(timeout=BUSY_TIMEOUT_S):
            raise sqlite3.OperationalError("database is locked (another writer of this process holds it)")
        try:
            conn.execute("BEGIN IMMEDIATE")
            state.mode, state.actor = "write", actor or "system"
            try:
                yield self._tx(conn, state.actor)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            finally:
                state.mode = None
        finally:
            lock.release()

    def _tx(self, conn: sqlite3.Connection, actor: str) -> Tx:
        return Tx(conn, self.clock, actor, purges=self.purges, sealer=self.sealer)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only snapshot (deferred BEGIN); inside a transaction it joins that one."""
        state = self._state()
        conn = state.conn
        if state.mode is not None:
            yield Tx(conn, self.clock, "read", sealer=self.sealer)
            return
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")
        state.mode = "read"
        try:
            yield Tx(conn, self.clock, "read", sealer=self.sealer)
        finally:
            state.mode = None
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # nothing to keep: it only read
            conn.execute("PRAGMA query_only = OFF")


def _savepoint(state: _ThreadState, tx: Tx) -> Iterator[Tx]:
    state.depth += 1
    name = f"tx_{state.depth}"
    conn = state.conn
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield tx
    except BaseException:
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    else:
        conn.execute(f"RELEASE SAVEPOINT {name}")
    finally:
        state.depth -= 1


def _statements(script: str) -> Iterator[str]:
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
