"""Connection.insert and Connection.update on both backends: one statement each, made once per table
and column set (jobnet.store.engine.insert_sql / update_sql); names that are not the schema's are refused."""
from __future__ import annotations

from typing import Any

import pytest

from jobnet.errors import ConstraintViolation
from jobnet.store.engine import insert_sql, quoted, update_sql

ROW = {"kode": "11111", "navn": "Et", "organisationskode": 11111}


def test_the_statements_name_every_column_once_and_are_made_once() -> None:
    assert insert_sql("jobcentre", ("kode", "navn")) == 'INSERT INTO "jobcentre" ("kode", "navn") VALUES (?, ?)'
    assert insert_sql("audit", ("at",), "id").endswith(' RETURNING "id"')
    assert update_sql("jobcentre", "kode", ("navn",)) == 'UPDATE "jobcentre" SET "navn" = ? WHERE "kode" = ?'
    assert insert_sql("jobcentre", ("kode", "navn")) is insert_sql("jobcentre", ("kode", "navn"))


@pytest.mark.parametrize("name", ['jobcentre"; DROP TABLE borgere; --', "Jobcentre", "", "a b"])
def test_a_name_that_is_not_a_plain_schema_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not a name of the schema"):
        quoted(name)


def test_insert_and_update_write_one_row_and_say_how_many_changed(db: Any) -> None:
    db.conn.insert("jobcentre", ROW)
    with pytest.raises(ConstraintViolation):
        db.conn.insert("jobcentre", ROW)  # the primary key
    assert db.conn.update("jobcentre", "kode", "11111", {"navn": "Andet", "telefon": "70101010"}) == 1
    assert db.conn.update("jobcentre", "kode", "99999", {"navn": "Ingen"}) == 0
    assert db.conn.fetch_all("SELECT kode, navn, telefon FROM jobcentre WHERE kode = '11111'") == [
        {"kode": "11111", "navn": "Andet", "telefon": "70101010"}]


def test_insert_returns_the_generated_key_where_the_row_leaves_it_out(db: Any) -> None:
    values = {"at": "2026-12-01T08:00:00+00:00", "action": "x", "entity": "x", "entity_id": "x",
              "actor": "x", "detail": "{}"}
    first = db.conn.insert("audit", values, key="id")
    second = db.conn.insert("audit", {**values, "id": None}, key="id")
    assert isinstance(first, int) and second == first + 1
