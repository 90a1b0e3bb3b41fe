"""The PostgreSQL adapter's connections (jobnet.store.postgres has the engine and its pool): ``?``
placeholders as psycopg's, psycopg's errors as the store's, single-row writes with the
statements both adapters share (jobnet.store.engine.insert_sql), bulk loads with COPY."""
from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any, Protocol

import psycopg
from psycopg import sql as pgsql

from generated.errors import Fejlkode
from jobnet.errors import ConstraintViolation, DatabaseUnavailable, Fejl
from jobnet.store.engine import Connection, Cursor, insert_sql

COPY_FROM = 200  # rows from which insert_all uses COPY


class Pool(Protocol):
    def checkout(self) -> AbstractContextManager[PgConnection]: ...


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

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

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
        cur = self.execute(insert_sql(table, tuple(given), key), tuple(given.values()))
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
        columns = self.columns_of(table, rows)
        if len(rows) < COPY_FROM:
            self.executemany(insert_sql(table, tuple(columns)), [list(r.values()) for r in rows])
            return
        names = pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
        copying = pgsql.SQL("COPY {} ({}) FROM STDIN").format(pgsql.Identifier(table), names)
        with mapped(), self.raw.cursor() as cur, cur.copy(copying) as copy:
            for r in rows:
                copy.write_row(list(r.values()))

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

    def __init__(self, engine: Pool) -> None:
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



def rollback(raw: psycopg.Connection[Any]) -> None:
    """Roll back what is open, unless the connection is gone (the server rolled it back then)."""
    if raw.broken or raw.closed:
        return
    with suppress(psycopg.Error):  # the pool discards a connection that cannot even roll back
        raw.execute("ROLLBACK")
