"""Small helpers over a sqlite3 connection: rows as dicts, insert/update from a mapping.

Table and column names passed here come from code, never from input.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

Row = dict[str, Any]


def fetch_all(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, values, strict=True)) for values in cur.fetchall()]


def fetch_one(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Row | None:
    rows = fetch_all(conn, sql, params)
    return rows[0] if rows else None


def insert(conn: sqlite3.Connection, table: str, values: Mapping[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cur = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
    return int(cur.lastrowid or 0)


def insert_many(conn: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT many rows of the same columns with one executemany (a bulk load's rows)."""
    if not rows:
        return
    columns = list(rows[0])
    if any(list(r) != columns for r in rows):
        raise ValueError(f"insert_many into {table}: rows with different columns")
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                     [list(r.values()) for r in rows])


def update(
    conn: sqlite3.Connection, table: str, key: str, key_value: Any, values: Mapping[str, Any]
) -> int:
    """UPDATE one row by key; returns the number of rows changed."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    cur = conn.execute(
        f"UPDATE {table} SET {assignments} WHERE {key} = ?", [*values.values(), key_value]
    )
    return cur.rowcount
