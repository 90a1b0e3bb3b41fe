"""The two database backends the suite runs on: SQLite (a file per test) and PostgreSQL (a
throwaway server started once per session with jobnet/devpg.py, a fresh database per test).

``JOBNET_TEST_BACKENDS`` picks them (``sqlite``, ``postgresql`` or both, comma-separated; default
both: ``make test``; ``make test-sqlite`` / ``make test-pg`` run one side). Every test that takes the
``db`` fixture (and so ``demo``, ``services``, ``app``, ``api``) runs once per backend, named
``[sqlite]`` / ``[postgresql]``. A test about one backend only says so with
``@pytest.mark.backend("sqlite")``; its other copy is deselected, not skipped.

A fresh PostgreSQL database is ``CREATE DATABASE … TEMPLATE jobnet_template``: a file copy of a
database migrated once per session (about 20 ms, where migrating costs 300 ms).
"""
from __future__ import annotations

import itertools
import os
import queue
import threading
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
    """The session's PostgreSQL server with its template database. A thread of its own copies the
    next few databases ahead and drops the used ones, so a test waits for neither (the server
    works on the second core while the tests run)."""

    AHEAD = 3

    def __init__(self) -> None:
        self.cluster = Cluster.temporary()
        self.cluster.start()
        template = self.cluster.create_database(TEMPLATE)
        database = Database(template)
        database.migrate()
        database.dispose()
        self._ready: queue.Queue[str] = queue.Queue(maxsize=self.AHEAD)
        self._used: queue.Queue[str | None] = queue.Queue()
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._work, name="pg-databases", daemon=True)
        self._worker.start()

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.cluster.url("postgres"), autocommit=True)

    def _work(self) -> None:
        with self.admin() as conn:
            while not self._stop.is_set():
                try:
                    while True:
                        used = self._used.get_nowait()
                        if used is not None:
                            conn.execute(f'DROP DATABASE IF EXISTS "{used}" WITH (FORCE)')
                except queue.Empty:
                    pass
                name = f"t{os.getpid()}_{next(_numbers)}"
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE}')
                while not self._stop.is_set():
                    try:
                        self._ready.put(name, timeout=0.2)
                        break
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
        """Give a used database back (the worker drops it)."""
        self._used.put(url.rsplit("/", 1)[1])

    def destroy(self) -> None:
        self._stop.set()
        self._worker.join(timeout=30)
        self.cluster.destroy()


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
