"""The PostgreSQL adapter: psycopg 3 with a connection pool (psycopg-pool) per process.

``JOBNET_DB=postgresql://user@host:port/dbname`` (any libpq URL). Every unit of work takes a
connection from the pool for its length and gives it back; the pool checks a connection before
handing it out, so connections a server restart broke are replaced instead of failing a request.
Writes are ``BEGIN`` … ``COMMIT`` in READ COMMITTED: a request's write first locks the citizen's row
(``SELECT … FOR UPDATE``, jobnet.context.Kontekst.transaction), so the citizen's read-check-write rules
run one request at a time; seats are taken with a conditional UPDATE, and partial unique indexes are
the last guard (README, *Two backends*).
A read is ``REPEATABLE READ READ ONLY``: one snapshot, like SQLite's read transaction.

Errors are mapped where they arise: a constraint → ``ConstraintViolation``; no server, a lost
connection, no free connection within ``JOBNET_DB_TIMEOUT``, a deadlock, a lock or statement
timeout → ``DatabaseUnavailable`` (8311, 503; the transaction was rolled back); a value PostgreSQL
cannot store (a NUL character in a text) → 1014, as any other refused input.
"""
from __future__ import annotations

import os
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from jobnet.store.engine import Connection, Engine
from jobnet.store.pgconn import PgAutocommit, PgConnection, mapped, rollback

# Server-side limits of every session: a lock wait or a statement that long means something is
# stuck, and the caller is better served by a 503 than by a hang; a session idle inside a
# transaction (a stalled instance) gives its locks back.
SESSION_OPTIONS = "-c lock_timeout=5000 -c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000"
CHECK_IDLE_S = 1.0  # a pooled connection that rested longer is checked before it is lent again
MIGRATION_LOCK = 0x6A6F626E6574  # "jobnet": pg_advisory_lock's key while migrations are applied


def redacted(url: str) -> str:
    """The URL with its password masked (for logs, messages and ``jobnet config``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


class PostgresEngine(Engine):
    backend = "postgresql"

    def __init__(self, url: str, pool_size: int = 16, timeout: float = 5.0) -> None:
        self.url = url
        self.pool_size = pool_size
        self.timeout = timeout
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        self._pid = 0
        self._guard = threading.Lock()
        self._returned: dict[int, float] = {}  # id of a pooled connection → when it was last given back

    def _conninfo(self) -> str:
        info = psycopg.conninfo.conninfo_to_dict(self.url)
        info.setdefault("connect_timeout", str(max(1, round(self.timeout))))
        info.setdefault("application_name", "jobnet")
        info.setdefault("keepalives_idle", "30")
        info["options"] = f"{info.get('options', '')} {SESSION_OPTIONS}".strip()
        return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items()})

    def pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        """This process's pool (a forked child makes its own)."""
        if self._pool is None or self._pid != os.getpid():
            with self._guard:
                if self._pool is None or self._pid != os.getpid():
                    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
                        self._conninfo(), min_size=1, max_size=self.pool_size, timeout=self.timeout,
                        kwargs={"autocommit": True}, check=self._check,
                        reconnect_timeout=24 * 3600, open=False, name=f"jobnet-{os.getpid()}")
                    pool.open(wait=False)
                    self._pool, self._pid = pool, os.getpid()
        return self._pool

    def _check(self, raw: psycopg.Connection[Any]) -> None:
        """The pool's check before it lends a connection: one that has rested longer than
        ``CHECK_IDLE_S`` (so may have been cut by a server restart) is tried with an empty query
        and replaced if it fails; one just given back is lent as it is (a round trip saved on
        every unit of work under load; a break in between is still a 503, never a 500)."""
        if time.monotonic() - self._returned.get(id(raw), 0.0) > CHECK_IDLE_S:
            ConnectionPool.check_connection(raw)

    @contextmanager
    def checkout(self) -> Iterator[PgConnection]:
        pool = self.pool()
        with mapped():
            raw = pool.getconn()
        try:
            yield PgConnection(raw)
        finally:
            if not raw.broken and raw.info.transaction_status != TransactionStatus.IDLE:
                rollback(raw)
            self._returned[id(raw)] = time.monotonic()
            pool.putconn(raw)

    def connection(self) -> Connection:
        return PgAutocommit(self)

    @contextmanager
    def _unit(self, begin: str) -> Iterator[Connection]:
        with self.checkout() as conn:
            conn.execute(begin)
            try:
                yield conn
            except BaseException:
                rollback(conn.raw)
                raise
            conn.execute("COMMIT")

    def begin_write(self) -> Any:
        return self._unit("BEGIN")

    def begin_read(self) -> Any:
        return self._unit("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        with self.checkout() as conn:
            conn.execute("SELECT pg_advisory_lock(?)", [MIGRATION_LOCK])
            try:
                yield
            finally:
                with mapped():
                    if not conn.raw.broken:
                        conn.execute("SELECT pg_advisory_unlock(?)", [MIGRATION_LOCK])

    def run_script(self, conn: Connection, script: str) -> None:
        conn.execute(script)  # one simple query: PostgreSQL runs the file's statements in order

    def after_migrate(self) -> None:
        """Nothing: autovacuum keeps PostgreSQL's statistics."""

    def reset(self) -> None:
        """Drop the current schema and make it anew (as its owner: the URL's user)."""
        with self.checkout() as conn:
            conn.execute("DO $$ DECLARE s text := current_schema(); BEGIN "
                         "EXECUTE format('DROP SCHEMA %I CASCADE', s); EXECUTE format('CREATE SCHEMA %I', s); END $$")

    def pool_use(self) -> dict[str, int] | None:
        pool = self._pool
        if pool is None or self._pid != os.getpid():
            return {"in_use": 0, "idle": 0, "waiting": 0}  # this process has not opened its pool yet
        stats = pool.get_stats()
        size, idle = stats.get("pool_size", 0), stats.get("pool_available", 0)
        return {"in_use": max(size - idle, 0), "idle": idle, "waiting": stats.get("requests_waiting", 0)}

    def ping(self, timeout: float) -> None:
        pool = self.pool()
        with mapped():
            raw = pool.getconn(timeout=timeout)
        try:
            with mapped():
                raw.execute("SELECT 1").fetchone()
        finally:
            pool.putconn(raw)

    def close(self) -> None:
        """Nothing: a thread holds a pooled connection only for the length of a unit of work."""

    def dispose(self) -> None:
        with self._guard:
            if self._pool is not None and self._pid == os.getpid():
                self._pool.close()
            self._pool = None
