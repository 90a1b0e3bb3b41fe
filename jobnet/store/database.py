"""The database: units of work and migrations over either backend (jobnet.store.engine).

``Database(location)``: a file path is SQLite (jobnet.store.sqlite), a ``postgresql://`` URL is
PostgreSQL (jobnet.store.postgres). Every write runs inside ``Database.transaction()``; a
transaction opened while one is already open on this thread becomes a SAVEPOINT of it.
``Database.read()`` is a read-only snapshot; inside a transaction it joins that one.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from jobnet.clock import Clock, SystemClock
from jobnet.store.engine import Connection, Engine, is_url
from jobnet.store.requests import PurgeSchedule
from jobnet.store.sealing import Sealer, seal_clear_passwords
from jobnet.store.tx import Tx

T = TypeVar("T")

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def open_engine(location: str | Path, pool_size: int = 16, timeout: float = 5.0) -> Engine:
    """The backend ``location`` names: a ``postgresql://`` URL, else an SQLite file."""
    if is_url(location):
        from jobnet.store.postgres import PostgresEngine

        return PostgresEngine(str(location), pool_size=pool_size, timeout=timeout)
    from jobnet.store.sqlite import SqliteEngine

    return SqliteEngine(Path(location))


@dataclass
class _ThreadState:
    conn: Connection | None = None  # the open unit of work's connection
    mode: str | None = None  # None, "write" or "read"
    depth: int = 0  # savepoint nesting inside a write transaction
    actor: str = "system"  # who the open write transaction acts for (its savepoints inherit it)


class Database:
    """``sealer``: the key of the planner route passwords (jobnet.store.sealing); without it a
    route with a password can be neither stored nor read."""

    def __init__(self, location: str | Path, clock: Clock | None = None, sealer: Sealer | None = None,
                 pool_size: int = 16, timeout: float = 5.0) -> None:
        self.location = location
        self.engine = open_engine(location, pool_size, timeout)
        self.clock: Clock = clock or SystemClock()
        self.sealer = sealer
        self._local = threading.local()
        self.purges = PurgeSchedule()
        self._memos: dict[str, Any] = {}
        self._memos_guard = threading.Lock()

    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.engine.backend

    @property
    def one_writer(self) -> bool:
        """Whether all writers queue for one lock (SQLite): then every step moved out of a write
        transaction shortens every other writer's wait."""
        return self.engine.one_writer

    @property
    def path(self) -> Path:
        """The SQLite file (a PostgreSQL database has none)."""
        if self.backend != "sqlite":
            raise AttributeError("a PostgreSQL database has no file")
        return Path(self.location)

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

    def _state(self) -> _ThreadState:
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is None:
            state = self._local.state = _ThreadState()
        return state

    @property
    def conn(self) -> Connection:
        """The open unit of work's connection on this thread, else one whose every statement
        commits on its own."""
        state = self._state()
        return state.conn if state.conn is not None else self.engine.connection()

    def close(self) -> None:
        """Give back this thread's connection (SQLite; with PostgreSQL every unit of work gives its
        pooled connection back already); the next use reopens."""
        self.engine.close()

    def dispose(self) -> None:
        """Close all connections of this process (PostgreSQL: the pool); the next use reopens."""
        self.engine.dispose()

    def reset(self) -> None:
        """Remove every table and row (``jobnet demo --reset``); ``migrate`` makes the schema anew."""
        self.engine.reset()
        self.forget_memos()

    def pool_use(self) -> dict[str, int] | None:
        """This process's connection pool by state (PostgreSQL), None for SQLite (no pool)."""
        return self.engine.pool_use()

    def ping(self, timeout: float = 2.0) -> None:
        """Raise DatabaseUnavailable unless the database answers (GET /health/ready)."""
        self.engine.ping(timeout)

    # --- migrations --------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations in order, each in its own transaction, under the backend's
        migration lock; returns their names. A database that is current is seen in one query,
        without the lock (every instance's start, every test)."""
        paths = self.engine.migrations()
        for path in paths:
            if not _MIGRATION_NAME.match(path.name):
                raise RuntimeError(f"badly named migration {path.name}")
        if paths and self._applied() >= {p.name for p in paths}:
            self._seal()
            self.engine.after_migrate()
            return []
        applied: list[str] = []
        with self.engine.migration_lock():
            self.engine.connection().execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            for path in paths:
                with self.transaction(actor="migrate") as tx:
                    # Checked inside the migration's transaction (SQLite: under the write lock; PostgreSQL:
                    # under the advisory lock), so two processes never apply the same file twice.
                    done = tx.conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", [path.name]).fetchone()
                    if done:
                        continue
                    self.engine.run_script(tx.conn, path.read_text(encoding="utf-8"))
                    tx.conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                                    [path.name, self.clock.now().isoformat()])
                applied.append(path.name)
            self._seal()
        self.engine.after_migrate()
        return applied

    def _applied(self) -> set[str]:
        """The migrations recorded (none where there is no schema_migrations table yet)."""
        conn = self.engine.connection()
        if "schema_migrations" not in conn.tables():
            return set()
        return {r[0] for r in conn.execute("SELECT name FROM schema_migrations").fetchall()}

    def _seal(self) -> None:
        if self.sealer is not None:
            with self.transaction(actor="migrate") as tx:
                seal_clear_passwords(tx.conn, self.sealer)

    # --- units of work -----------------------------------------------------------------
    @contextmanager
    def transaction(self, actor: str | None = None) -> Iterator[Tx]:
        """A write unit of work: committed at the end, rolled back on any exception. ``actor`` is
        recorded in its audit rows ("system" if none); a nested one (a savepoint) acts for the
        outer one's actor unless it names its own."""
        state = self._state()
        if state.mode == "read":
            raise RuntimeError("a write transaction cannot be opened inside db.read()")
        if state.mode == "write":
            assert state.conn is not None
            yield from _savepoint(state, state.conn, self._tx(state.conn, actor or state.actor))
            return
        with self.engine.begin_write() as conn:
            state.conn, state.mode, state.actor = conn, "write", actor or "system"
            try:
                yield self._tx(conn, state.actor)
            finally:
                state.conn, state.mode = None, None

    def _tx(self, conn: Connection, actor: str) -> Tx:
        return Tx(conn, self.clock, actor, purges=self.purges, sealer=self.sealer)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only snapshot; inside a transaction it joins that one."""
        state = self._state()
        if state.mode is not None:
            assert state.conn is not None
            yield Tx(state.conn, self.clock, "read", sealer=self.sealer)
            return
        with self.engine.begin_read() as conn:
            state.conn, state.mode = conn, "read"
            try:
                yield Tx(conn, self.clock, "read", sealer=self.sealer)
            finally:
                state.conn, state.mode = None, None

    def dump(self) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """Every table's rows in a fixed order (tests compare two dumps to prove nothing changed)."""
        conn = self.conn
        return [(t, sorted(map(tuple, conn.execute(f"SELECT * FROM {t}").fetchall()), key=repr))
                for t in conn.tables()]


def _savepoint(state: _ThreadState, conn: Connection, tx: Tx) -> Iterator[Tx]:
    state.depth += 1
    name = f"tx_{state.depth}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield tx
    except BaseException:
        conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
        conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    else:
        conn.execute(f"RELEASE SAVEPOINT {name}")
    finally:
        state.depth -= 1
