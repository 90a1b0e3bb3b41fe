"""The two database backends the suite runs on: SQLite (a file per test) and PostgreSQL (a
throwaway server started once per session with jobnet/devpg.py, a fresh database per test).

``JOBNET_TEST_BACKENDS`` picks them (``sqlite``, ``postgresql`` or both, comma-separated; default
both: ``make test``; ``make test-sqlite`` / ``make test-pg`` run one side). Every test that takes the
``db`` fixture (and so ``demo``, ``services``, ``app``, ``api``) runs once per backend, named
``[sqlite]`` / ``[postgresql]``. A test about one backend only says so with
``@pytest.mark.backend("sqlite")``; its other copy is deselected, not skipped.

A fresh PostgreSQL database is a copy of a database migrated once per session (``CREATE DATABASE …
TEMPLATE jobnet_template``), or one a test used before, emptied (PgServer).
"""
from __future__ import annotations

import itertools
import os
import queue
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from jobnet.devpg import Cluster
from jobnet.store import Database

ALL = ("sqlite", "postgresql")
TEMPLATE = "jobnet_template"
_numbers = itertools.count(1)


def selected() -> list[str]:
    """The backends this run covers (JOBNET_TEST_BACKENDS)."""
    wanted = [b.strip() for b in os.environ.get("JOBNET_TEST_BACKENDS", ",".join(ALL)).split(",") if b.strip()]
    unknown = set(wanted) - set(ALL)
    if unknown or not wanted:
        raise pytest.UsageError(f"JOBNET_TEST_BACKENDS: expected some of {', '.join(ALL)}, got {wanted}")
    return wanted


class PgServer:
    """The session's PostgreSQL server with its template database. A thread of its own keeps a few
    databases ready: a used one is emptied (DELETE from every table, some 20 ms, where a copy of the
    template costs 200 ms of the server's time) and offered again, so a test waits for neither."""

    AHEAD = 3

    def __init__(self) -> None:
        self.cluster = Cluster.temporary()
        self.cluster.start()
        template = self.cluster.create_database(TEMPLATE)
        database = Database(template)
        database.migrate()
        self._migrated = database.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()
        self._tables = [t for t in database.conn.tables() if t != "schema_migrations"]
        database.dispose()
        with psycopg.connect(template) as conn:
            self._shape = _shape(conn)
        self._ready: queue.Queue[str] = queue.Queue(maxsize=self.AHEAD)
        self._used: queue.Queue[str | None] = queue.Queue()
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._work, name="pg-databases", daemon=True)
        self._worker.start()

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.cluster.url("postgres"), autocommit=True)

    def _work(self) -> None:
        try:
            self._serve()
        except BaseException:  # a test waiting in fresh() would otherwise only see an empty queue
            traceback.print_exc()
            raise

    def _serve(self) -> None:
        with self.admin() as admin:
            while not self._stop.is_set():
                try:
                    name = self._used.get(timeout=0.05)
                except queue.Empty:
                    name = None
                if name is not None:
                    self._offer(self._emptied(admin, name))
                elif not self._ready.full():
                    name = f"t{os.getpid()}_{next(_numbers)}"
                    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE}')
                    self._offer(name)

    def _emptied(self, admin: psycopg.Connection[tuple[object, ...]], name: str) -> str:
        """The used database with every table emptied (as new from the template), or a new copy
        where the test changed its schema."""
        try:
            with psycopg.connect(self.cluster.url(name), autocommit=True) as conn:
                migrated = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()
                tables = [r[0] for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename != 'schema_migrations' ORDER BY 1").fetchall()]
                if migrated != self._migrated or tables != self._tables or _shape(conn) != self._shape:
                    raise psycopg.DataError("the test changed the schema")
                with conn.transaction():  # DELETE: for a few rows ten times quicker than TRUNCATE
                    conn.execute("SET LOCAL session_replication_role = replica")  # no triggers (audit's guard, keys)
                    for table in tables:
                        conn.execute(f"DELETE FROM {table}")
                    for (sequence,) in conn.execute(
                            "SELECT pg_get_serial_sequence(table_name, column_name) FROM information_schema.columns "
                            "WHERE table_schema = 'public' AND is_identity = 'YES'").fetchall():
                        conn.execute(f"ALTER SEQUENCE {sequence} RESTART")
            return name
        except psycopg.Error:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            fresh = f"t{os.getpid()}_{next(_numbers)}"
            admin.execute(f'CREATE DATABASE "{fresh}" TEMPLATE {TEMPLATE}')
            return fresh

    def _offer(self, name: str) -> None:
        while not self._stop.is_set():
            try:
                self._ready.put(name, timeout=0.2)
                return
            except queue.Full:
                continue

    def fresh(self) -> str:
        """A new database copied from the migrated template; its URL."""
        return self.cluster.url(self._ready.get(timeout=120))

    def empty(self) -> str:
        """A new database without the schema (a test of the migrations themselves)."""
        name = f"e{os.getpid()}_{next(_numbers)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        """Give a used database back (the worker empties it for the next test)."""
        self._used.put(url.rsplit("/", 1)[1])

    def destroy(self) -> None:
        self._stop.set()
        self._worker.join(timeout=30)
        self.cluster.destroy()


def _shape(conn: psycopg.Connection[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The schema's indexes and triggers: a test that dropped one must not hand its database on."""
    return conn.execute("SELECT 'index', indexname FROM pg_indexes WHERE schemaname = 'public' UNION ALL "
                        "SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2").fetchall()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer()
    yield server
    server.destroy()


def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """A fresh, migrated database of the backend ``request.param`` (dropped afterwards)."""
    if request.param == "sqlite":
        yield tmp_path / "jobnet.db"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.fresh()
    yield url
    server.drop(url)


def empty_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """A database of the backend ``request.param`` without any schema."""
    if request.param == "sqlite":
        yield tmp_path / "empty.db"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.empty()
    yield url
    server.drop(url)
