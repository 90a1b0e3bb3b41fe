"""The store's one interface to a database, with two adapters: SQLite (jobnet.store.sqlite) and
PostgreSQL (jobnet.store.postgres). ``Database`` (jobnet.store.database) picks one from ``JOBNET_DB``
and keeps the units of work on top of it; repositories only ever see a ``Connection``.

The SQL the repositories write is the part of the two dialects they share: ``?`` placeholders (the
PostgreSQL adapter turns them into its own), ``INSERT … ON CONFLICT``, ``RETURNING``, ``coalesce``,
``IS DISTINCT FROM``; instants are ISO-8601 UTC text on both (jobnet.store.codec), so they compare and
order the same everywhere. Where the dialects differ, the connection names the difference
(``Connection.long_booking``). A constraint the database enforces raises ``ConstraintViolation`` on
both; a database that does not answer raises ``DatabaseUnavailable`` (8311, 503).
"""
from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

Row = dict[str, Any]


def is_url(location: object) -> bool:
    """Whether ``JOBNET_DB`` names a PostgreSQL database (else it is an SQLite file)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


MIGRATIONS = Path(__file__).with_name("migrations")  # migrations/<backend>/NNNN_name.sql, the same names
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def quoted(name: str) -> str:
    """A table or column name of the schema as a quoted identifier (names come from the code;
    anything that is not a plain lower-case name is refused)."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a name of the schema: {name!r}")
    return f'"{name}"'


@functools.lru_cache(maxsize=1024)
def insert_sql(table: str, columns: tuple[str, ...], returning: str | None = None) -> str:
    """``INSERT INTO table (columns) VALUES (?, …)`` [``RETURNING returning``], made once per
    table and column set."""
    sql = (f"INSERT INTO {quoted(table)} ({', '.join(map(quoted, columns))}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    return sql if returning is None else f"{sql} RETURNING {quoted(returning)}"


@functools.lru_cache(maxsize=1024)
def update_sql(table: str, key: str, columns: tuple[str, ...]) -> str:
    """``UPDATE table SET column = ?, … WHERE key = ?``, made once per table and column set."""
    sets = ", ".join(f"{quoted(c)} = ?" for c in columns)
    return f"UPDATE {quoted(table)} SET {sets} WHERE {quoted(key)} = ?"


class Cursor(Protocol):
    """What a statement gives back (sqlite3's and psycopg's cursors both are one)."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(ABC):
    """One database connection as the repositories use it (inside a unit of work, or on its own:
    then every statement is its own transaction)."""

    backend: str  # "sqlite" or "postgresql"
    # the predicate "this booking lasts more than half a day" (the partial index planner_bookinger_long)
    long_booking: str
    # what a SELECT of rows to claim ends with: PostgreSQL locks them, skipping rows another
    # transaction holds; SQLite has one writer at a time, so nothing
    skip_locked: str
    # what a SELECT of rows to hold until the transaction ends ends with (PostgreSQL: FOR UPDATE;
    # SQLite: nothing, its write transaction holds the whole database)
    lock_rows: str

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement with ``?`` placeholders."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per parameter row."""

    @abstractmethod
    def insert(self, table: str, values: Mapping[str, Any], key: str | None = None) -> Any:
        """Insert one row; with ``key``, return that column's value (the generated one where the
        row leaves it None)."""

    @abstractmethod
    def insert_all(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert many rows of the same columns (a bulk load)."""

    def update(self, table: str, key: str, key_value: Any, values: Mapping[str, Any]) -> int:
        """Update the row whose primary key ``key`` is ``key_value``; the number of rows changed."""
        return self.execute(update_sql(table, key, tuple(values)), (*values.values(), key_value)).rowcount

    @abstractmethod
    def tables(self) -> list[str]:
        """The tables of the schema, by name."""

    @abstractmethod
    def indexes(self, table: str) -> list[str]:
        """The names of ``table``'s indexes."""

    @staticmethod
    def columns_of(table: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """The columns a bulk insert writes: the first row's, which every row must have in that order."""
        columns = list(rows[0])
        if any(list(r) != columns for r in rows):
            raise ValueError(f"insert_all into {table}: rows with different columns")
        return columns

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, values, strict=True)) for values in cur.fetchall()]

    def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.fetch_all(sql, params)
        return rows[0] if rows else None


class Engine(ABC):
    """A backend: where the connections come from, how a unit of work begins and ends, how the
    schema is migrated. One per ``Database`` and process."""

    backend: str
    one_writer: bool = False  # writers queue for one lock (SQLite), not per row (PostgreSQL)

    @abstractmethod
    def connection(self) -> Connection:
        """A connection for statements outside any unit of work (each statement commits)."""

    @abstractmethod
    def begin_write(self) -> AbstractContextManager[Connection]:
        """A write transaction: committed at the end, rolled back on any exception. Writers that
        read, check and write are safe from each other (SQLite: one writer at a time; PostgreSQL:
        READ COMMITTED with the row locks the repositories take, see jobnet/store/README)."""

    @abstractmethod
    def begin_read(self) -> AbstractContextManager[Connection]:
        """A read-only snapshot, rolled back at the end."""

    @abstractmethod
    def migration_lock(self) -> AbstractContextManager[None]:
        """Held while migrations are applied, so two instances starting together never apply one
        twice (SQLite: each migration's BEGIN IMMEDIATE; PostgreSQL: an advisory lock)."""

    @abstractmethod
    def run_script(self, conn: Connection, script: str) -> None:
        """Run a migration file's statements in ``conn``'s open transaction."""

    @abstractmethod
    def after_migrate(self) -> None:
        """Housekeeping after the migrations (SQLite refreshes its statistics)."""

    @abstractmethod
    def reset(self) -> None:
        """Remove every table and row (SQLite: the file; PostgreSQL: the schema's objects)."""

    def checkpoint_in_background(self) -> Callable[[], None]:
        """Move the log's checkpoints out of the writers' COMMIT into a thread (SQLite,
        jobnet.store.checkpoint); returns its stop. PostgreSQL checkpoints in its own processes."""
        return lambda: None

    def pool_use(self) -> dict[str, int] | None:
        """This process's connection pool by state (in_use, idle, waiting); None where there is no pool."""
        return None

    @abstractmethod
    def ping(self, timeout: float) -> None:
        """Raise DatabaseUnavailable unless the database answers within ``timeout`` seconds."""

    @abstractmethod
    def close(self) -> None:
        """Give back what this thread holds (SQLite: its connection; PostgreSQL: nothing, every unit
        of work already gave its connection back to the pool); the next use reopens."""

    @abstractmethod
    def dispose(self) -> None:
        """Close everything of this process (SQLite: this thread's connection; PostgreSQL: the pool)."""

    def migrations(self) -> list[Path]:
        return sorted((MIGRATIONS / self.backend).glob("*.sql"))
