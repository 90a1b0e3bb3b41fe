"""Kept timeslot answers (jobnet/planner/embedded/memo.py): reused only while they are exactly what a fresh
search would answer. Each test changes something a search depends on and compares the answer with
one computed by a planner on a second Database object on the same file (a memo of its own)."""
from __future__ import annotations

import datetime as dt

import pytest

from jobnet.clock import FixedClock
from jobnet.domain import BorgerKontekst, Moedetid, Moedetider
from jobnet.planner.embedded import EmbeddedPlanner
from jobnet.planner.embedded.memo import FOREVER, Memo, valid_until
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database
from tests.support.planner import BORGER, FAELLES, IND, ONSDAG, TIRSDAG, TORSDAG, UGE, at, bid, book, fejl, planner
from tests.support.store import NOW, clock, db

__all__ = ["clock", "db", "planner"]  # fixtures

FRA, TIL = NOW, NOW + dt.timedelta(days=14)
A_MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def a_minute_after_start(clock: FixedClock) -> None:
    """START (Tuesday 09:00) is a deadline of the planner calendar, Wednesday 09:00's, so an answer computed
    at START is valid for no time and never kept (test_an_answer_valid_for_no_time_is_not_kept): these
    tests of kept answers search from a minute later."""
    clock.advance(A_MINUTE)


def search(p: EmbeddedPlanner, tilbud: str = IND, borger: BorgerKontekst = BORGER, form: int | None = None,
           rid: str | None = None) -> Moedetider:
    return p.get_selfbook_timeslots(borger, tilbud, FRA, TIL, form, rid)


def fresh(db: Database, clock: FixedClock, tilbud: str = IND, rid: str | None = None) -> Moedetider:
    other = Database(db.location, clock=clock)
    try:
        return search(EmbeddedPlanner(other, clock), tilbud, rid=rid)
    finally:
        other.dispose()


def memo_of(db: Database) -> Memo:
    return db.memo("planner.selfbook_timeslots", Memo)


def starts(svar: Moedetider) -> list[dt.datetime]:
    return [t.starttidspunkt for t in svar.tider]


def test_a_repeated_search_is_the_kept_answer(planner: EmbeddedPlanner, db: Database) -> None:
    first = search(planner)
    assert search(planner) is first
    assert (memo_of(db).hits, memo_of(db).misses) == (1, 1)


def test_an_answer_valid_for_no_time_is_not_kept(planner: EmbeddedPlanner, db: Database, clock: FixedClock) -> None:
    """At START Wednesday 09:00's rebooking deadline (24 hours before) is now: the next instant changes the
    answer, so a repeated search computes it again."""
    clock.set(NOW)
    first = search(planner)
    assert next(t for t in first.tider if t.starttidspunkt == at(ONSDAG, 9)).ombooking_mulig  # deadline == now
    again = search(planner)
    assert again == first and again is not first
    assert (memo_of(db).hits, memo_of(db).misses) == (0, 2)


def test_windows_within_one_minute_share_an_individual_offers_answer(planner: EmbeddedPlanner, db: Database,
                                                                    clock: FixedClock) -> None:
    """Its times start on whole minutes, so 10:00:05 and 10:00:55 select the same ones."""
    fra = at(ONSDAG, 10) + dt.timedelta(seconds=5)
    first = planner.get_selfbook_timeslots(BORGER, IND, fra, TIL, None, None)
    again = planner.get_selfbook_timeslots(BORGER, IND, fra + dt.timedelta(seconds=50), TIL, None, None)
    assert again is first and starts(first)[0] == at(ONSDAG, 10, 30)  # 45-minute slots from 09:00
    other = Database(db.location, clock=clock)
    try:
        exact = EmbeddedPlanner(other, clock).get_selfbook_timeslots(BORGER, IND, fra, TIL, None, None)
    finally:
        other.dispose()
    assert exact == first


def test_a_joint_meeting_is_kept_per_exact_window(planner: EmbeddedPlanner, db: Database) -> None:
    """Its times come from data and may start within a minute: 10:00:30 is in a window from 10:00:10,
    not in one from 10:00:40."""
    odd = at(TORSDAG + 3 * UGE, 10) + dt.timedelta(seconds=30)
    with db.transaction(actor="test") as tx:
        PlannerRepo.of(tx).add_session(FAELLES, odd, 5, 5)
    before = planner.get_selfbook_timeslots(BORGER, FAELLES, odd - dt.timedelta(seconds=20), TIL + (TIL - FRA),
                                            None, None)
    after = planner.get_selfbook_timeslots(BORGER, FAELLES, odd + dt.timedelta(seconds=10), TIL + (TIL - FRA),
                                           None, None)
    assert odd in starts(before) and odd not in starts(after)


def test_a_booking_changes_the_answer(planner: EmbeddedPlanner, db: Database, clock: FixedClock) -> None:
    before = search(planner)
    book(planner, bid(1), IND, at(ONSDAG, 9), rid="RID-A")
    after = search(planner)
    assert after == fresh(db, clock) and after != before
    nine = next(t for t in after.tider if t.starttidspunkt == at(ONSDAG, 9))
    assert len(nine.sagsbehandler_numre) == 1  # only Bo is still free at 09:00


def test_a_booking_made_by_another_process_changes_the_answer(planner: EmbeddedPlanner, db: Database,
                                                              clock: FixedClock) -> None:
    search(planner)
    other = Database(db.location, clock=clock)
    try:
        book(EmbeddedPlanner(other, clock), bid(1), IND, at(ONSDAG, 9), rid="RID-A")
        book(EmbeddedPlanner(other, clock), bid(2), IND, at(ONSDAG, 9), rid="RID-B")
    finally:
        other.dispose()
    assert at(ONSDAG, 9) not in starts(search(planner))


def test_a_cancellation_gives_the_time_back(planner: EmbeddedPlanner, db: Database, clock: FixedClock) -> None:
    book(planner, bid(1), IND, at(ONSDAG, 9), rid="RID-A")
    book(planner, bid(2), IND, at(ONSDAG, 9), rid="RID-B")
    assert at(ONSDAG, 9) not in starts(search(planner))
    planner.cancel_booking(BORGER, bid(1))
    assert at(ONSDAG, 9) in starts(search(planner))
    assert search(planner) == fresh(db, clock)


def test_a_booking_on_another_offer_of_the_caseworker_changes_the_answer(
        planner: EmbeddedPlanner, db: Database, clock: FixedClock) -> None:
    search(planner)
    book(planner, bid(1), "10000000-0000-4000-8000-000000000002", at(ONSDAG, 9))  # SOLO: Anne, 60 min
    assert search(planner) == fresh(db, clock)


def test_a_seat_taken_at_a_joint_meeting_is_seen(planner: EmbeddedPlanner, db: Database, clock: FixedClock) -> None:
    before = search(planner, FAELLES).tider[0].ledige_pladser
    book(planner, bid(1), FAELLES, at(TORSDAG, 10))
    after = search(planner, FAELLES)
    assert after.tider[0].ledige_pladser == before - 1
    assert after == fresh(db, clock, FAELLES)


def test_time_passing_drops_started_times_and_turns_off_deadline_flags(
        planner: EmbeddedPlanner, db: Database, clock: FixedClock) -> None:
    first = search(planner)
    assert first.tider[0].ombooking_mulig is False  # today's times are within the 24 h deadline
    tomorrow = at(ONSDAG, 9, 45)  # today's first time (09:45), a day later: its deadline is when that one starts
    wednesday = next(t for t in first.tider if t.starttidspunkt == tomorrow)
    assert wednesday.ombooking_mulig and wednesday.aflysning_mulig
    clock.set(first.tider[0].starttidspunkt)  # the first time starts: no longer offered
    assert starts(search(planner))[0] > first.tider[0].starttidspunkt
    clock.set(tomorrow - dt.timedelta(hours=24, seconds=-1))  # Wednesday 09:45's deadline has passed
    now = search(planner)
    assert now == fresh(db, clock)
    assert not next(t for t in now.tider if t.starttidspunkt == tomorrow).ombooking_mulig


def test_a_clock_set_back_is_not_answered_from_a_later_answer(planner: EmbeddedPlanner, db: Database,
                                                              clock: FixedClock) -> None:
    clock.set(at(TIRSDAG, 12))
    later = search(planner)
    clock.set(NOW)
    earlier = search(planner)
    assert earlier == fresh(db, clock) and len(earlier.tider) > len(later.tider)


@pytest.mark.parametrize("change", [
    "UPDATE planner_sagsbehandlere SET arbejdstid_fra = '10:00' WHERE eksternt_id = 'RID-A'",
    "UPDATE planner_moedetilbud SET varighed_minutter = 30",
    ("DELETE FROM planner_moedetilbud_sagsbehandlere WHERE nummer = (SELECT nummer FROM planner_sagsbehandlere "
    "WHERE eksternt_id = 'RID-B')"),
])
def test_a_change_made_in_sql_is_seen(planner: EmbeddedPlanner, db: Database, clock: FixedClock,
                                      change: str) -> None:
    before = search(planner)
    with db.transaction(actor="test") as tx:
        tx.conn.execute(change)
    after = search(planner)
    assert after == fresh(db, clock) and after != before


def test_an_offer_made_inactive_is_8108_even_when_an_answer_is_kept(planner: EmbeddedPlanner, db: Database) -> None:
    search(planner)
    with db.transaction(actor="test") as tx:
        tx.conn.execute("UPDATE planner_moedetilbud SET aktiv = 0 WHERE moedetilbud_id = ?", [IND])
    fejl(8108, lambda: search(planner))


def test_each_caller_is_checked_on_a_kept_answer(planner: EmbeddedPlanner) -> None:
    search(planner)
    fejl(8108, lambda: search(planner, borger=BorgerKontekst(BORGER.cpr, "20202", 1, 1)))  # other job centre
    fejl(4708, lambda: search(planner, form=9))  # a form the offer does not have
    assert search(planner, form=2).tider


def test_a_chosen_caseworker_is_its_own_answer(planner: EmbeddedPlanner, db: Database, clock: FixedClock) -> None:
    alle = search(planner)
    anne = search(planner, rid="RID-A")
    assert anne is not alle and anne == fresh(db, clock, rid="RID-A")
    fejl(4822, lambda: search(planner, rid="RID-UKENDT"))


def test_valid_until_is_the_first_start_or_deadline() -> None:
    assert valid_until((), 24, 24) == FOREVER
    t = at(ONSDAG, 9)
    svar = (Moedetid(t, (1,), True, False, (1,)), Moedetid(t + dt.timedelta(hours=1), (1,), False, False, (1,)))
    assert valid_until(svar, 24, 2) == t - dt.timedelta(hours=24)
    assert valid_until(svar[1:], 24, 2) == t + dt.timedelta(hours=1)
