"""A booking's choice made before the write lock (jobnet/planner/embedded/plans.py): used when
nothing it was made from has changed, made again under the lock when something has."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jobnet.clock import FixedClock
from jobnet.planner.embedded import EmbeddedPlanner
from jobnet.planner.embedded.plans import BookingPlan
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database
from tests.support.planner import (
    BORGER,
    FAELLES,
    IND,
    ONSDAG,
    RID_A,
    RID_B,
    SOLO,
    TORSDAG,
    at,
    bid,
    fejl,
    oenske,
    planner,
    planner_row,
)
from tests.support.store import clock, db

__all__ = ["clock", "db", "planner"]  # fixtures
sqlite_only = pytest.mark.backend("sqlite")  # plans are made where writers queue for one lock


def plan(p: EmbeddedPlanner, tilbud: str, start: dt.datetime, rid: str | None = None) -> BookingPlan:
    made = p.plan_booking(BORGER, tilbud, oenske(start, 1, rid), False)
    assert isinstance(made, BookingPlan)
    return made


def traced(db: Database, call: object) -> list[str]:
    """The statements ``call`` runs on this thread's connection."""
    raw = db.engine.connection().raw  # type: ignore[attr-defined]  # SQLite's sqlite3 connection
    statements: list[str] = []
    raw.set_trace_callback(statements.append)
    try:
        call()  # type: ignore[operator]
    finally:
        raw.set_trace_callback(None)
    return statements


@sqlite_only
def test_a_plan_that_holds_leaves_only_the_writes_to_the_write_lock(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 9)
    made = plan(planner, IND, start)
    assert (made.choice.nummer, made.choice.session_id, made.choice.samtaleform) == (1, None, 1)
    statements = traced(db, lambda: planner.create_booking(BORGER, bid(1), IND, oenske(start), False, made))
    inside = statements[statements.index("BEGIN IMMEDIATE"):statements.index("COMMIT") + 1]
    for read_before in ("FROM planner_moedetilbud WHERE", "JOIN planner_moedetilbud_sagsbehandlere",
                        "FROM planner_bookinger WHERE sagsbehandler_nummer", "count(*) FROM planner_bookinger"):
        assert not any(read_before in s for s in inside), read_before
    assert sum("planner_sagsbehandler_versions" in s for s in inside) == 1  # the versions, read again
    assert planner_row(db, bid(1)).sagsbehandler_nummer == 1


@sqlite_only
def test_a_time_taken_since_the_plan_is_refused_not_booked_twice(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 10)
    made = plan(planner, SOLO, start)  # one caseworker: the plan holds their only free time
    planner.create_booking(BORGER, bid(1), SOLO, oenske(start), False)
    fejl(4819, lambda: planner.create_booking(BORGER, bid(2), SOLO, oenske(start), False, made))
    with db.read() as tx:
        assert PlannerRepo.of(tx).booking(bid(2)) is None


@sqlite_only
def test_a_change_of_the_offer_since_the_plan_is_seen_under_the_lock(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 11, 15)
    made = plan(planner, IND, start)
    with db.transaction(actor="test") as tx:  # the offer closes; its trigger moves the offer's version
        tx.conn.execute("UPDATE planner_moedetilbud SET aktiv = 0 WHERE moedetilbud_id = ?", [IND])
    fejl(8108, lambda: planner.create_booking(BORGER, bid(1), IND, oenske(start), False, made))


@sqlite_only
def test_a_busy_caseworker_since_the_plan_makes_the_choice_again(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 12)
    made = plan(planner, IND, start)
    assert made.choice.nummer == 1  # tie: the lowest number
    planner.create_booking(BORGER, bid(1), IND, oenske(start, 1, RID_A), False)  # A's time is taken meanwhile
    b = planner.create_booking(BORGER, bid(2), IND, oenske(start), False, made)
    assert b.sagsbehandler.eksternt_id == RID_B  # chosen again under the lock, not refused by the index


@sqlite_only
def test_a_plan_for_a_time_that_has_passed_is_not_used(planner: EmbeddedPlanner, clock: FixedClock) -> None:
    start = at(ONSDAG, 9)
    made = plan(planner, IND, start)
    clock.set(start + dt.timedelta(minutes=1))
    fejl(4819, lambda: planner.create_booking(BORGER, bid(1), IND, oenske(start), False, made))


@sqlite_only
def test_a_plan_is_used_only_for_the_request_it_was_made_for(planner: EmbeddedPlanner, db: Database) -> None:
    made = plan(planner, IND, at(ONSDAG, 12, 45))
    other = dataclasses.replace(made.choice, nummer=2)  # a choice that is not the one a fresh look makes
    forged = dataclasses.replace(made, choice=other)
    planner.create_booking(BORGER, bid(1), IND, oenske(at(ONSDAG, 13, 30)), False, forged)
    assert planner_row(db, bid(1)).sagsbehandler_nummer == 1  # another time: chosen under the lock


@sqlite_only
def test_a_seat_is_taken_under_the_lock_even_with_a_plan(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(TORSDAG, 10)
    made = plan(planner, FAELLES, start)
    assert made.choice.session_id is not None
    planner.create_booking(BORGER, bid(1), FAELLES, oenske(start), False, made)
    with db.read() as tx:
        row = tx.conn.fetch_one("SELECT ledige_pladser FROM planner_faellesmoeder WHERE id = ?", [made.choice.session_id])
    assert row is not None and row["ledige_pladser"] == 2


@sqlite_only
def test_no_plan_where_the_choice_fails(planner: EmbeddedPlanner) -> None:
    assert planner.plan_booking(BORGER, SOLO, oenske(at(ONSDAG, 10, 10)), False) is None  # not a start
    assert planner.plan_booking(BORGER, "10000000-0000-4000-8000-00000000ffff", oenske(at(ONSDAG, 10)), False) is None


@pytest.mark.backend("postgresql")
def test_no_plan_where_writers_take_row_locks(planner: EmbeddedPlanner) -> None:
    assert planner.plan_booking(BORGER, IND, oenske(at(ONSDAG, 9)), False) is None


@sqlite_only
def test_whether_a_plan_held_is_told(db: Database, clock: FixedClock, planner: EmbeddedPlanner) -> None:
    told: list[bool] = []
    counted = EmbeddedPlanner(db, clock, booking_plan=told.append)
    held, stale = plan(counted, IND, at(ONSDAG, 9)), plan(counted, IND, at(ONSDAG, 9, 45))
    counted.create_booking(BORGER, bid(1), IND, oenske(at(ONSDAG, 9)), False, held)  # moves the versions
    counted.create_booking(BORGER, bid(2), IND, oenske(at(ONSDAG, 9, 45)), False, stale)
    counted.create_booking(BORGER, bid(3), IND, oenske(at(ONSDAG, 10, 30)), False)  # no plan: nothing told
    assert told == [True, False]
