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
    """The session's PostgreSQL server with its template database."""

    def __init__(self) -> None:
        self.cluster = Cluster.temporary()
        self.cluster.start()
        template = self.cluster.create_database(TEMPLATE)
        database = Database(template)
        database.migrate()
        database.close()

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.cluster.url("postgres"), autocommit=True)

    def fresh(self) -> str:
        """A new database copied from the migrated template; its URL."""
        name = f"t{os.getpid()}_{next(_numbers)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE}')
        return self.cluster.url(name)

    def empty(self) -> str:
        """A new database without the schema (a test of the migrations themselves)."""
        name = f"e{os.getpid()}_{next(_numbers)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def destroy(self) -> None:
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
