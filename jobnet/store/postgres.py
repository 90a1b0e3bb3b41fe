"""The PostgreSQL adapter: psycopg 3 with a connection pool (psycopg-pool) per process.

``JOBNET_DB=postgresql://user@host:port/dbname`` (any libpq URL). Every unit of work takes a
connection from the pool for its length and gives it back; the pool checks a connection before
handing it out, so connections a server restart broke are replaced instead of failing a request.
Writes are ``BEGIN`` … ``COMMIT`` in READ COMMITTED: the repositories lock the rows a
read-check-write depends on (``SELECT … FOR UPDATE``: the citizen, the caseworkers), seats are taken
with a conditional UPDATE, and partial unique indexes are the last guard (README, *Two backends*).
A read is ``REPEATABLE READ READ ONLY``: one snapshot, like SQLite's read transaction.

Errors are mapped where they arise: a constraint → ``ConstraintViolation``; no server, a lost
connection, no free connection within ``JOBNET_DB_TIMEOUT``, a deadlock, a lock or statement
timeout → ``DatabaseUnavailable`` (8311, 503; the transaction was rolled back); a value PostgreSQL
cannot store (a NUL character in a text) → 1014, as any other refused input.
"""
from __future__ import annotations

import functools
import os
import threading
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from generated.errors import Fejlkode
from jobnet.errors import ConstraintViolation, DatabaseUnavailable, Fejl
from jobnet.store.engine import Connection, Cursor, Engine

# Server-side limits of every session: a lock wait or a statement that long means something is
# stuck, and the caller is better served by a 503 than by a hang; a session idle inside a
# transaction (a stalled instance) gives its locks back.
SESSION_OPTIONS = "-c lock_timeout=5000 -c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000"
MIGRATION_LOCK = 0x6A6F626E6574  # "jobnet": pg_advisory_lock's key while migrations are applied
COPY_FROM = 200  # rows from which insert_all uses COPY


def redacted(url: str) -> str:
    """The URL with its password masked (for logs, messages and ``jobnet config``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


@functools.lru_cache(maxsize=4096)
def placeholders(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` as ``%%``), outside quotes."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote is not None:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


@contextmanager
def mapped() -> Iterator[None]:
    """psycopg's errors as the store's (see the module docstring)."""
    try:
        yield
    except psycopg.errors.IntegrityError as exc:
        raise ConstraintViolation(str(exc).strip()) from exc
    except psycopg.DataError as exc:
        raise Fejl(Fejlkode.VALIDERING, "a value the database cannot store") from exc
    except psycopg.OperationalError as exc:  # also the pool's timeout, deadlocks, lock/statement timeouts
        raise DatabaseUnavailable(type(exc).__name__) from exc


class PgConnection(Connection):
    backend = "postgresql"
    long_booking = "utc_instant(slut) - utc_instant(start) > interval '12 hours'"
    skip_locked = " FOR UPDATE SKIP LOCKED"
    lock_rows = " FOR UPDATE"

    def __init__(self, raw: psycopg.Connection[Any], engine: PostgresEngine) -> None:
        self.raw = raw
        self._engine = engine

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        with mapped():
            if not params:
                return self.raw.execute(sql)  # no parameters: sent as written (a % is a %)
            return self.raw.execute(placeholders(sql), list(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with mapped(), self.raw.cursor() as cur:
                cur.executemany(placeholders(sql), [list(r) for r in rows])

    def insert(self, table: str, values: Mapping[str, Any], key: str | None = None) -> Any:
        given = dict(values)
        generated = key is not None and given.get(key) is None
        if generated and key is not None:
            given.pop(key, None)  # an identity column takes its default only when the column is left out
        query = pgsql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            pgsql.Identifier(table), pgsql.SQL(", ").join(map(pgsql.Identifier, given)),
            pgsql.SQL(", ").join(pgsql.Placeholder() * len(given)))
        if key is not None:
            query += pgsql.SQL(" RETURNING {}").format(pgsql.Identifier(key))
        with mapped():
            cur = self.raw.execute(query, list(given.values()))
            if key is None:
                return None
            found = cur.fetchone()
            assert found is not None
            if not generated:
                self._catch_up(table, key)
            return found[0]

    def _catch_up(self, table: str, key: str) -> None:
        """After an explicit value in an identity column (the loader's numbers), move its sequence
        past the largest value, so the next generated one is free."""
        self.raw.execute(pgsql.SQL(
            "SELECT setval(pg_get_serial_sequence({t}, {k}), (SELECT max({c}) FROM {i})) "
            "WHERE pg_get_serial_sequence({t}, {k}) IS NOT NULL").format(
            t=pgsql.Literal(table), k=pgsql.Literal(key), c=pgsql.Identifier(key), i=pgsql.Identifier(table)))

    def insert_all(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        if any(list(r) != columns for r in rows):
            raise ValueError(f"insert_all into {table}: rows with different columns")
        names = pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
        with mapped(), self.raw.cursor() as cur:
            if len(rows) < COPY_FROM:
                cur.executemany(pgsql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                    pgsql.Identifier(table), names, pgsql.SQL(", ").join(pgsql.Placeholder() * len(columns))),
                    [list(r.values()) for r in rows])
                return
            with cur.copy(pgsql.SQL("COPY {} ({}) FROM STDIN").format(pgsql.Identifier(table), names)) as copy:
                for r in rows:
                    copy.write_row(list(r.values()))

    def update(self, table: str, key: str, key_value: Any, values: Mapping[str, Any]) -> int:
        query = pgsql.SQL("UPDATE {} SET {} WHERE {} = %s").format(
            pgsql.Identifier(table),
            pgsql.SQL(", ").join(pgsql.SQL("{} = %s").format(pgsql.Identifier(c)) for c in values),
            pgsql.Identifier(key))
        with mapped():
            return self.raw.execute(query, [*values.values(), key_value]).rowcount

    def tables(self) -> list[str]:
        rows = self.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                            "ORDER BY tablename").fetchall()
        return [r[0] for r in rows]

    def indexes(self, table: str) -> list[str]:
        rows = self.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? "
                            "ORDER BY indexname", [table]).fetchall()
        return [r[0] for r in rows]


class _Buffered:
    """A statement's whole result, read before its connection went back to the pool."""

    def __init__(self, cur: Cursor) -> None:
        self.description = cur.description
        self.rowcount = cur.rowcount
        self._rows = list(cur.fetchall()) if cur.description else []

    def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgAutocommit(Connection):
    """Statements outside any unit of work: each takes a pooled connection and commits on its own."""

    backend = PgConnection.backend
    long_booking = PgConnection.long_booking
    skip_locked = PgConnection.skip_locked
    lock_rows = PgConnection.lock_rows

    def __init__(self, engine: PostgresEngine) -> None:
        self._engine = engine

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        with self._engine.checkout() as conn:
            return _Buffered(conn.execute(sql, params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._engine.checkout() as conn:
            conn.executemany(sql, rows)

    def insert(self, table: str, values: Mapping[str, Any], key: str | None = None) -> Any:
        with self._engine.checkout() as conn:
            return conn.insert(table, values, key)

    def insert_all(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        with self._engine.checkout() as conn:
            conn.insert_all(table, rows)

    def update(self, table: str, key: str, key_value: Any, values: Mapping[str, Any]) -> int:
        with self._engine.checkout() as conn:
            return conn.update(table, key, key_value, values)

    def tables(self) -> list[str]:
        with self._engine.checkout() as conn:
            return conn.tables()

    def indexes(self, table: str) -> list[str]:
        with self._engine.checkout() as conn:
            return conn.indexes(table)


class PostgresEngine(Engine):
    backend = "postgresql"

    def __init__(self, url: str, pool_size: int = 16, timeout: float = 5.0) -> None:
        self.url = url
        self.pool_size = pool_size
        self.timeout = timeout
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        self._pid = 0
        self._guard = threading.Lock()

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
                        kwargs={"autocommit": True}, check=ConnectionPool.check_connection,
                        reconnect_timeout=24 * 3600, open=False, name=f"jobnet-{os.getpid()}")
                    pool.open(wait=False)
                    self._pool, self._pid = pool, os.getpid()
        return self._pool

    @contextmanager
    def checkout(self) -> Iterator[PgConnection]:
        pool = self.pool()
        with mapped():
            raw = pool.getconn()
        try:
            yield PgConnection(raw, self)
        finally:
            if not raw.broken and raw.info.transaction_status != TransactionStatus.IDLE:
                _rollback(raw)
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
                _rollback(conn.raw)
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


def _rollback(raw: psycopg.Connection[Any]) -> None:
    """Roll back what is open, unless the connection is gone (the server rolled it back then)."""
    if raw.broken or raw.closed:
        return
    with suppress(psycopg.Error):  # the pool discards a connection that cannot even roll back
        raw.execute("ROLLBACK")
