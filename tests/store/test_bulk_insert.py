"""Connection.insert_all on both backends: rows go in as given; rows of different columns are refused
before anything is written."""
from __future__ import annotations

from typing import Any

import pytest


def test_rows_of_different_columns_are_refused_and_nothing_is_written(db: Any) -> None:
    rows = [{"kode": "11111", "navn": "Et"}, {"navn": "To", "kode": "22222"}]
    with pytest.raises(ValueError, match="different columns"):
        db.conn.insert_all("jobcentre", rows)
    assert db.conn.fetch_all("SELECT kode FROM jobcentre WHERE kode IN ('11111', '22222')") == []
