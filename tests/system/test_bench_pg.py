"""bench/pg.py's own parts: the copy of an SQLite database into PostgreSQL keeps every row (and the
sequences past them), and its invariant checks find nothing wrong in good data and a double booking
in bad."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.pg import copy_to_postgres, invariants
from jobnet.clock import FixedClock
from jobnet.store import Database
from tests.support.backends import PgServer
from tests.support.clock import START


@pytest.mark.backend("sqlite")
def test_the_copy_keeps_every_row_and_the_checks_see_a_double_booking(demo: Any, pg_server: PgServer,
                                                                      tmp_path: Path) -> None:
    url = pg_server.empty()
    try:
        copied = copy_to_postgres(Path(demo.location), url)
        target = Database(url, clock=FixedClock(START))
        for table, n in copied.items():
            assert target.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n == \
                demo.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert copied["planner_bookinger"] > 0 and copied["audit"] > 0
        since = START.replace(year=2000)
        assert invariants(url, since) == dict.fromkeys(invariants(url, since), 0)
        target.conn.execute("INSERT INTO audit (at, action, entity, entity_id, actor, detail) "
                            "VALUES ('x', 'x', 'x', 'x', 'x', '{}')")  # the identity moved past the copied rows
        target.conn.execute("DROP INDEX planner_bookinger_one_per_time")  # then a double booking gets through
        target.conn.execute("INSERT INTO planner_bookinger SELECT 'copy-' || indkaldelse_id, cpr, moedetilbud_id, start, "
                            "slut, sagsbehandler_nummer, session_id, samtaleform, state, accepteret, straks, selvbooket, "
                            "borger_skal_acceptere, oprettet, made_by FROM planner_bookinger "
                            "WHERE session_id IS NULL AND state != 'cancelled' LIMIT 1")
        assert invariants(url, since)["times_held_twice"] == 1
        target.dispose()
    finally:
        pg_server.drop(url)
