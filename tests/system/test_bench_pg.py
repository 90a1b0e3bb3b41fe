"""bench/pg.py's own parts: the copy of an SQLite database into PostgreSQL keeps every row (and the
sequences past them), and its invariant checks find nothing wrong in good data and a double booking
in bad."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.pg import INVARIANTS, SECTION, copy_to_postgres, growth, into_report, invariants, markdown
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
        # settled: vacuumed and analyzed before the phases, so autovacuum's first pass does not run during them
        assert target.conn.execute("SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'planner_bookinger' "
                                   "AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL").fetchone()[0] == 1
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


def _run(scale: float, timeslot_p50: float, booking_p50: float) -> dict[str, Any]:
    side = {"layout": "x", "invariants": dict.fromkeys(INVARIANTS, 0),
            "timeslots": {"throughput_rps": 100.0, "p50_ms": timeslot_p50, "p99_ms": 2 * timeslot_p50},
            "bookings": {"ok_per_s": 50.0, "conflicts": 1, "errors": 0, "p50_ms": booking_p50, "p99_ms": 2 * booking_p50}}
    return {"scale": scale, "clients": 16, "phase_seconds": 8.0, "sqlite": side, "postgresql": side,
            "targets": {"bookings_per_s_pg_over_sqlite": 1.0, "timeslot_search_pg_over_sqlite": 1.0,
                        "double_bookings": {"sqlite": 0, "postgresql": 0}}}


def test_growth_from_1x_to_10x_is_judged_and_the_section_replaces_the_last_one_in_the_report(tmp_path: Path) -> None:
    runs = [_run(1, 40.0, 100.0), _run(10, 48.0, 150.0)]
    grown = growth(runs)
    assert grown == {"from": 1, "to": 10, "ops": {"timeslots": 0.2, "bookings": 0.5}}
    text = markdown(runs)
    assert "| timeslots | +20.0% | PASS |" in text and "| bookings | +50.0% | FAIL |" in text
    small = [_run(0.1, 40.0, 100.0), _run(1, 44.0, 110.0)]
    assert "an indication" in markdown(small) and "PASS" not in markdown(small).split("growth")[-1]
    assert growth(runs[:1]) == {} and "one scale measured" in markdown(runs[:1])
    report = tmp_path / "report.md"
    report.write_text("# Benchmark report\n\nfigures\n")
    into_report(report, markdown(runs, level="##"))
    into_report(report, markdown(runs[:1], level="##"))  # a later run replaces the section
    text = report.read_text()
    assert text.startswith("# Benchmark report\n\nfigures\n") and text.count(SECTION[0]) == 1
    assert "one scale measured" in text and "+50.0%" not in text
