"""The embedded planner: offers, times, bookings, every fault code, and races."""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest

from jobnet.clock import COPENHAGEN, FixedClock
from jobnet.domain import BookingState, Fejlmelding, Sagsbehandler
from jobnet.errors import ConstraintViolation, PlannerError
from jobnet.planner import planner_for
from jobnet.planner.embedded import EmbeddedPlanner
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database
from tests.support.clock import START, next_fall_back, next_spring_forward, weekday
from tests.support.planner import (
    ANDEN,
    ANDET_JC,
    BORGER,
    DST,
    FAELLES,
    FAELLES_SIDSTE,
    FREDAG,
    INAKTIV,
    IND,
    KG5,
    LOERDAG,
    ONSDAG,
    RID_A,
    RID_B,
    RID_C,
    SMAL,
    SOLO,
    STRAKS,
    TIRSDAG,
    TORSDAG,
    UGE,
    UTC,
    at,
    bid,
    book,
    day_window,
    fejl,
    local,
    oenske,
    offer,
    planner,
    planner_row,
)
from tests.support.store import ANDEN_CPR, CPR, JC, NOW, clock, db, jobcenter

__all__ = ["clock", "db", "planner"]  # fixtures
DAG = dt.timedelta(days=1)



def ledige(db: Database, start: dt.datetime) -> int:
    with db.read() as tx:
        session = PlannerRepo.of(tx).session_at(FAELLES, start)
    assert session is not None
    return session.ledige_pladser


# --- offers ------------------------------------------------------------------------------------
def test_selfbook_options_filter_and_caseworkers(planner: EmbeddedPlanner) -> None:
    options = {o.moedetilbud_id: o for o in planner.get_selfbook_interview_options(BORGER)}
    assert set(options) == {IND, SOLO, FAELLES, SMAL, DST}
    assert [s.eksternt_id for s in options[IND].sagsbehandlere] == [RID_A, RID_B]
    assert options[SOLO].sagsbehandlere == () and options[FAELLES].sagsbehandlere == ()
    kg5 = planner.get_selfbook_interview_options(dataclasses.replace(BORGER, kontaktgruppe=5))
    assert KG5 in {o.moedetilbud_id for o in kg5}
    assert planner.get_selfbook_interview_options(dataclasses.replace(BORGER, jobcenter_kode="30303")) == []


def test_options_whose_period_has_ended_are_not_offered(planner: EmbeddedPlanner, clock: FixedClock) -> None:
    clock.set(at(ONSDAG, 13))
    assert SMAL not in {o.moedetilbud_id for o in planner.get_selfbook_interview_options(BORGER)}


# --- individual times ------------------------------------------------------------------------
def test_individual_times_from_working_hours(planner: EmbeddedPlanner) -> None:
    result = planner.get_selfbook_timeslots(BORGER, IND, *day_window(TIRSDAG), None, None)
    assert [local(t.starttidspunkt) for t in result.tider] == [  # 09:00 is now, not after it
        "Tue 09:45", "Tue 10:30", "Tue 11:15", "Tue 12:00", "Tue 12:45", "Tue 13:30", "Tue 14:15"]
    first = result.tider[0]
    assert first.samtaleformer == (1, 2, 8) and first.maksimalt_antal is None and first.moedetilbud is None
    assert not first.ombooking_mulig and not first.aflysning_mulig  # 24 hours before is already past
    wednesday = planner.get_selfbook_timeslots(BORGER, IND, *day_window(ONSDAG), None, None).tider
    assert [local(t.starttidspunkt) for t in wednesday] == [
        "Wed 09:00", "Wed 09:45", "Wed 10:30", "Wed 11:15", "Wed 12:00", "Wed 12:45", "Wed 13:30", "Wed 14:15"]
    assert wednesday[0].ombooking_mulig and wednesday[0].aflysning_mulig  # 24 hours before is now: not yet past
    assert [(s.nummer, s.sagsbehandler.eksternt_id) for s in result.sagsbehandlere] == [(1, RID_A), (2, RID_B)]
    assert all(t.sagsbehandler_numre == (1, 2) for t in result.tider)


def test_times_are_strictly_after_now(planner: EmbeddedPlanner, clock: FixedClock) -> None:
    clock.set(at(TIRSDAG, 9))
    result = planner.get_selfbook_timeslots(BORGER, IND, *day_window(TIRSDAG), None, None)
    assert local(result.tider[0].starttidspunkt) == "Tue 09:45"


def test_times_by_caseworker_and_form(planner: EmbeddedPlanner) -> None:
    result = planner.get_selfbook_timeslots(BORGER, IND, *day_window(TIRSDAG), 8, RID_B)
    assert [s.sagsbehandler.eksternt_id for s in result.sagsbehandlere] == [RID_B]
    assert {t.sagsbehandler_numre for t in result.tider} == {(2,)}
    fejl(4708, lambda: planner.get_selfbook_timeslots(BORGER, IND, *day_window(TIRSDAG), 6, None))
    fejl(4822, lambda: planner.get_selfbook_timeslots(BORGER, IND, *day_window(TIRSDAG), None, "RID-?"))
    fejl(9003, lambda: planner.get_selfbook_timeslots(BORGER, IND, *day_window(TIRSDAG), None, RID_C))
    fejl(9003, lambda: planner.get_selfbook_timeslots(BORGER, SOLO, *day_window(TIRSDAG), None, RID_A))
    fejl(8108, lambda: planner.get_selfbook_timeslots(BORGER, INAKTIV, *day_window(TIRSDAG), None, None))
    fejl(8108, lambda: planner.get_selfbook_timeslots(BORGER, STRAKS, *day_window(TIRSDAG), None, None))


def test_times_within_the_offer_period_and_on_working_days(planner: EmbeddedPlanner) -> None:
    smal = planner.get_selfbook_timeslots(BORGER, SMAL, at(TIRSDAG, 0), at(TIRSDAG + UGE, 0), None, None)
    # foerste is 10:00 (off the grid), sidste 12:00 (inclusive)
    assert [local(t.starttidspunkt) for t in smal.tider] == ["Wed 10:30", "Wed 11:15", "Wed 12:00"]
    weekend = planner.get_selfbook_timeslots(BORGER, IND, at(LOERDAG, 0), at(weekday(1, weeks=1), 0),
                                             None, None)
    assert weekend.tider == () and weekend.sagsbehandlere == ()


SPRING, AUTUMN = next_spring_forward(START), next_fall_back(START)  # the next real DST changes after now


@pytest.mark.parametrize("day, utc_hour", [(SPRING - dt.timedelta(days=1), 8), (SPRING, 7),
                                           (AUTUMN - dt.timedelta(days=1), 7), (AUTUMN, 8)])
def test_nine_oclock_is_nine_oclock_across_dst(planner: EmbeddedPlanner, day: dt.date, utc_hour: int) -> None:
    result = planner.get_selfbook_timeslots(BORGER, DST, *day_window(day), None, None)
    first = result.tider[0].starttidspunkt
    assert first == dt.datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
    assert [t.starttidspunkt.astimezone(COPENHAGEN).hour for t in result.tider] == [9, 10, 11, 12, 13, 14]
    booked = book(planner, bid(1), DST, first)
    assert booked.moede_slut - booked.moede_start == dt.timedelta(hours=1)


# --- creating bookings ------------------------------------------------------------------------
def test_create_individual_booking(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 9, 45)
    b = book(planner, bid(1), IND, start, form=8, rid=RID_B)
    assert (b.indkaldelse_id, b.cpr, b.moedetilbud_id, b.jobcenter_kode) == (bid(1), CPR, IND, JC)
    assert b.moede_start == start and b.moede_slut == start + dt.timedelta(minutes=45)
    assert b.sagsbehandler.eksternt_id == RID_B and b.samtaletype == 7 and b.moedeform == 1
    assert b.kontakt.samtaleform == 8 and b.kontakt.digitalt_moedelink == "https://m.example/1"
    assert b.kontakt.telefonnummer == "70101010" and b.indkalder.organisationskode == 10101
    assert b.selvbooket and not b.straksbooking and b.accepteret and not b.borger_skal_acceptere
    assert b.ombooking_mulig and b.ombookingsfrist == start - dt.timedelta(hours=24)
    assert b.aflysning_mulig and b.aflysningsfrist == start - dt.timedelta(hours=24)
    assert b.state is BookingState.ACTIVE and b.oprettet == NOW and b.oprettet_af == "jobnet"
    pb = planner_row(db, bid(1))
    assert (pb.sagsbehandler_nummer, pb.session_id, pb.samtaleform) == (2, None, 8)
    times = planner.get_selfbook_timeslots(BORGER, IND, *day_window(ONSDAG), None, None)
    assert {t.starttidspunkt: t.sagsbehandler_numre for t in times.tider}[start] == (1,)
    with db.read() as tx:
        assert [r["action"] for r in tx.audit.for_entity("planner_booking", bid(1))] == ["create"]


def test_a_deadline_already_passed_means_no_rebooking(planner: EmbeddedPlanner) -> None:
    soon = book(planner, bid(1), IND, at(TIRSDAG, 13, 30))  # 24 hours before is in the past
    assert not soon.ombooking_mulig and soon.ombookingsfrist is None
    assert not soon.aflysning_mulig and soon.aflysningsfrist is None
    later = book(planner, bid(2), IND, at(ONSDAG, 9))  # 24 hours before is Tuesday 09:00, now: not yet past
    assert later.ombooking_mulig and later.ombookingsfrist == at(TIRSDAG, 9)


def test_single_form_is_used_when_none_is_chosen(planner: EmbeddedPlanner) -> None:
    assert book(planner, bid(1), SOLO, at(ONSDAG, 10), form=None).kontakt.samtaleform == 1
    fejl(4708, lambda: book(planner, bid(2), IND, at(ONSDAG, 10, 30), form=None))
    fejl(4708, lambda: book(planner, bid(2), IND, at(ONSDAG, 10, 30), form=6))


def test_the_caseworker_with_fewest_bookings_is_picked(planner: EmbeddedPlanner) -> None:
    assert book(planner, bid(1), IND, at(ONSDAG, 9)).sagsbehandler.eksternt_id == RID_A  # tie: lowest number
    assert book(planner, bid(2), IND, at(ONSDAG, 9)).sagsbehandler.eksternt_id == RID_B  # A is busy
    book(planner, bid(3), IND, at(ONSDAG, 10, 30), rid=RID_A)
    assert book(planner, bid(4), IND, at(ONSDAG, 12)).sagsbehandler.eksternt_id == RID_B  # A has 2, B has 1


def test_create_booking_fault_codes(planner: EmbeddedPlanner, clock: FixedClock) -> None:
    wed = at(ONSDAG, 10, 30)
    fejl(8108, lambda: book(planner, bid(1), "10000000-0000-4000-8000-00000000ffff", wed))
    fejl(8108, lambda: book(planner, bid(1), INAKTIV, wed))
    fejl(8108, lambda: book(planner, bid(1), ANDET_JC, wed))
    fejl(8108, lambda: book(planner, bid(1), KG5, wed))
    fejl(8108, lambda: book(planner, bid(1), STRAKS, wed))  # immediate-only offer, straks=False
    fejl(8109, lambda: book(planner, bid(1), SMAL, at(ONSDAG, 9)))
    fejl(8109, lambda: book(planner, bid(1), SMAL, at(ONSDAG, 12, 45)))
    fejl(4708, lambda: book(planner, bid(1), IND, wed, form=6))
    fejl(4822, lambda: book(planner, bid(1), IND, wed, rid="RID-?"))
    fejl(9003, lambda: book(planner, bid(1), IND, wed, rid=RID_C))
    fejl(9003, lambda: book(planner, bid(1), SOLO, wed, rid=RID_A))
    fejl(4819, lambda: book(planner, bid(1), IND, at(ONSDAG, 9, 10)))  # not on the grid
    fejl(4819, lambda: book(planner, bid(1), IND, at(LOERDAG, 9)))  # Saturday
    fejl(4819, lambda: book(planner, bid(1), IND, at(ONSDAG, 14, 45)))  # would end after 15:00
    fejl(4819, lambda: book(planner, bid(1), IND, at(TIRSDAG, 9)))  # on the grid, but now: not after now
    book(planner, bid(1), IND, wed, rid=RID_A)
    fejl(4819, lambda: book(planner, bid(2), IND, wed, rid=RID_A))  # taken
    fejl(4819, lambda: book(planner, bid(1), IND, at(ONSDAG, 12), rid=RID_B))  # id already used


def test_naive_times_are_a_programming_error(planner: EmbeddedPlanner) -> None:
    with pytest.raises(ValueError):
        book(planner, bid(1), IND, dt.datetime.combine(ONSDAG, dt.time(10, 30)))


def test_immediate_booking_cannot_be_moved_or_cancelled_by_policy(planner: EmbeddedPlanner) -> None:
    b = book(planner, bid(1), STRAKS, at(ONSDAG, 9), straks=True)
    assert b.straksbooking and not b.ombooking_mulig and not b.aflysning_mulig
    assert b.ombookingsfrist is None and b.aflysningsfrist is None
    assert book(planner, bid(2), IND, at(ONSDAG, 9), straks=True).straksbooking


# --- joint meetings ------------------------------------------------------------------------------
def test_joint_times_are_sessions_with_free_seats(planner: EmbeddedPlanner) -> None:
    result = planner.get_selfbook_timeslots(BORGER, FAELLES, at(TIRSDAG, 0), at(TIRSDAG + 30 * DAG, 0), None, None)
    assert [(local(t.starttidspunkt), t.maksimalt_antal, t.ledige_pladser) for t in result.tider] == [
        ("Thu 10:00", 3, 3), ("Thu 10:00", 5, 5)]
    assert [t.starttidspunkt.astimezone(COPENHAGEN).date() for t in result.tider] == [
        TORSDAG, TORSDAG + 2 * UGE]  # the full session of the week between is left out
    assert all(t.sagsbehandler_numre == (2,) for t in result.tider)
    assert [s.sagsbehandler.eksternt_id for s in result.sagsbehandlere] == [RID_B]
    fejl(9003, lambda: planner.get_selfbook_timeslots(BORGER, FAELLES, *day_window(TIRSDAG), None, RID_B))


def test_joint_booking_takes_a_seat(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(TORSDAG, 10)
    b = book(planner, bid(1), FAELLES, start, form=None)
    assert b.moedeform == 2 and b.moede_slut == start + dt.timedelta(minutes=90)
    assert b.sagsbehandler.eksternt_id == RID_B and ledige(db, start) == 2
    assert planner_row(db, bid(1)).session_id is not None
    fejl(4819, lambda: book(planner, bid(2), FAELLES, at(TORSDAG + UGE, 10)))  # full
    fejl(4819, lambda: book(planner, bid(2), FAELLES, at(FREDAG + UGE, 10)))  # no session
    fejl(8109, lambda: book(planner, bid(2), FAELLES, at(TIRSDAG + 30 * DAG, 10)))  # the day after sidste


def test_the_database_refuses_overbooking_a_session(planner: EmbeddedPlanner, db: Database) -> None:
    with pytest.raises(ConstraintViolation):
        db.conn.execute("UPDATE planner_faellesmoeder SET ledige_pladser = -1")
    with pytest.raises(ConstraintViolation):
        db.conn.execute("UPDATE planner_faellesmoeder SET ledige_pladser = antal_pladser + 1")


def test_the_database_refuses_a_double_booked_caseworker(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 9)
    row = PlannerBooking(bid(1), CPR, IND, start, start + dt.timedelta(minutes=45), 1, None, 1)
    with db.transaction() as tx:
        PlannerRepo.of(tx).add_booking(row)
    with pytest.raises(ConstraintViolation), db.transaction() as tx:
        PlannerRepo.of(tx).add_booking(dataclasses.replace(row, indkaldelse_id=bid(2)))
    with db.transaction() as tx:  # a cancelled booking does not hold the time
        PlannerRepo.of(tx).save_booking(dataclasses.replace(row, state=BookingState.CANCELLED), "cancel")
        PlannerRepo.of(tx).add_booking(dataclasses.replace(row, indkaldelse_id=bid(2)))


# --- races ---------------------------------------------------------------------------------------
def race(db: Database, attempts: int, attempt: Callable[[int], object]) -> tuple[int, list[int]]:
    barrier = threading.Barrier(attempts)
    ok: list[int] = []
    codes: list[int] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            attempt(i)
            with lock:
                ok.append(i)
        except PlannerError as exc:
            with lock:
                codes.append(exc.fejlkode)
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(ok), codes


def test_sixteen_threads_three_seats(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(TORSDAG, 10)
    succeeded, codes = race(db, 16, lambda i: book(planner, bid(i), FAELLES, start, form=None))
    assert succeeded == 3 and codes == [4819] * 13
    assert ledige(db, start) == 0
    assert db.conn.execute("SELECT count(*) FROM planner_bookinger").fetchone()[0] == 3


def test_sixteen_threads_one_individual_time(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 10, 30)
    succeeded, codes = race(db, 16, lambda i: book(planner, bid(i), IND, start, rid=RID_A))
    assert succeeded == 1 and codes == [4819] * 15
    assert db.conn.execute("SELECT count(*) FROM planner_bookinger").fetchone()[0] == 1


# --- rescheduling, cancelling, accepting --------------------------------------------------------
def test_reschedule_individual(planner: EmbeddedPlanner, db: Database) -> None:
    old, new = at(ONSDAG, 9), at(ONSDAG, 11, 15)
    book(planner, bid(1), IND, old, rid=RID_A)
    moved = planner.reschedule_booking(BORGER, bid(1), oenske(new, form=2, rid=None))
    assert moved.moede_start == new and moved.state is BookingState.RESCHEDULED and moved.accepteret
    assert moved.sagsbehandler.eksternt_id == RID_A  # the same caseworker when free
    assert moved.kontakt.samtaleform == 2 and moved.ombookingsfrist == new - dt.timedelta(hours=24)
    times = {t.starttidspunkt: t.sagsbehandler_numre
             for t in planner.get_selfbook_timeslots(BORGER, IND, *day_window(ONSDAG), None, None).tider}
    assert times[old] == (1, 2) and times[new] == (2,)


def test_reschedule_fault_codes(planner: EmbeddedPlanner) -> None:
    book(planner, bid(1), IND, at(ONSDAG, 9), rid=RID_A)
    book(planner, bid(2), IND, at(ONSDAG, 9, 45), rid=RID_A, borger=ANDEN)
    fejl(4768, lambda: planner.reschedule_booking(BORGER, bid(9), oenske(at(ONSDAG, 12))))
    fejl(8107, lambda: planner.reschedule_booking(BORGER, bid(2), oenske(at(ONSDAG, 12))))
    fejl(4767, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(ONSDAG, 9, 45), rid=RID_A)))
    fejl(4767, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(ONSDAG, 9))))  # its own time
    fejl(4767, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(ONSDAG, 9, 5))))
    fejl(4708, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(ONSDAG, 12), form=6)))
    fejl(4822, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(ONSDAG, 12), rid="RID-?")))
    fejl(9003, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(ONSDAG, 12), rid=RID_C)))
    planner.cancel_booking(BORGER, bid(1))
    fejl(4768, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(ONSDAG, 12))))


def test_reschedule_joint_moves_the_seat(planner: EmbeddedPlanner, db: Database) -> None:
    first, third = at(TORSDAG, 10), at(TORSDAG + 2 * UGE, 10)
    book(planner, bid(1), FAELLES, first, form=None)
    fejl(4767, lambda: planner.reschedule_booking(BORGER, bid(1), oenske(at(TORSDAG + UGE, 10), None)))
    planner.reschedule_booking(BORGER, bid(1), oenske(third, None))
    assert (ledige(db, first), ledige(db, third)) == (3, 4)


def test_cancel_frees_the_time_and_is_idempotent(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(TORSDAG, 10)
    book(planner, bid(1), FAELLES, start, form=None)
    book(planner, bid(2), IND, at(ONSDAG, 9), rid=RID_A)
    fejl(4768, lambda: planner.cancel_booking(BORGER, bid(9)))
    fejl(8107, lambda: planner.cancel_booking(ANDEN, bid(1)))
    planner.cancel_booking(BORGER, bid(1))
    planner.cancel_booking(BORGER, bid(1))  # already cancelled: nothing happens
    assert ledige(db, start) == 3 and planner_row(db, bid(1)).state is BookingState.CANCELLED
    planner.cancel_booking(BORGER, bid(2))
    book(planner, bid(3), IND, at(ONSDAG, 9), rid=RID_A)  # the time is free again


def test_accept(planner: EmbeddedPlanner, db: Database) -> None:
    start = at(ONSDAG, 9)
    with db.transaction() as tx:
        PlannerRepo.of(tx).add_booking(PlannerBooking(
            bid(1), CPR, IND, start, start + dt.timedelta(minutes=45), 1, None, 1,
            selvbooket=False, borger_skal_acceptere=True))
    planner.accept_booking(BORGER, bid(1))
    assert planner_row(db, bid(1)).accepteret
    fejl(4768, lambda: planner.accept_booking(BORGER, bid(9)))
    fejl(8107, lambda: planner.accept_booking(ANDEN, bid(1)))


def test_reschedule_supervisors_lists_everyone(planner: EmbeddedPlanner) -> None:
    book(planner, bid(1), IND, at(ONSDAG, 9), rid=RID_A)
    book(planner, bid(2), SOLO, at(ONSDAG, 11))
    assert planner.get_reschedule_supervisors(BORGER, bid(1)) == (
        True, [Sagsbehandler(RID_A, "Anne", "Sagsbehandler"), Sagsbehandler(RID_B, "Bo", "Sagsbehandler")])
    choice, people = planner.get_reschedule_supervisors(BORGER, bid(2))
    assert choice is False and [p.eksternt_id for p in people] == [RID_A]
    fejl(4768, lambda: planner.get_reschedule_supervisors(BORGER, bid(9)))


def test_reschedule_timeslots_leave_out_the_current_time(planner: EmbeddedPlanner) -> None:
    own = at(ONSDAG, 9)
    book(planner, bid(1), IND, own, rid=RID_A)
    result = planner.get_reschedule_timeslots(BORGER, bid(1), *day_window(ONSDAG), None, None)
    assert result.samtaletype == 7
    assert own not in {t.starttidspunkt for t in result.tider}
    assert len(result.tider) == 7
    fejl(4708, lambda: planner.get_reschedule_timeslots(BORGER, bid(1), *day_window(ONSDAG), 6, None))
    fejl(4768, lambda: planner.get_reschedule_timeslots(BORGER, bid(9), *day_window(ONSDAG), None, None))
    fejl(8107, lambda: planner.get_reschedule_timeslots(ANDEN, bid(1), *day_window(ONSDAG), None, None))


def test_immediate_booking_times_carry_their_offer(planner: EmbeddedPlanner) -> None:
    result = planner.get_immediate_booking_timeslots(BORGER, 7, *day_window(ONSDAG))
    by_offer: dict[str, int] = {}
    for t in result.tider:
        assert t.moedetilbud is not None and not t.ombooking_mulig and not t.aflysning_mulig
        by_offer[t.moedetilbud.moedetilbud_id] = by_offer.get(t.moedetilbud.moedetilbud_id, 0) + 1
    assert by_offer == {IND: 8, STRAKS: 8}  # not INAKTIV, not KG5, not the other job centre
    starts = [t.starttidspunkt for t in result.tider]
    assert starts == sorted(starts)
    assert {s.sagsbehandler.eksternt_id for s in result.sagsbehandlere} == {RID_A, RID_B}
    assert planner.get_immediate_booking_timeslots(BORGER, 21, *day_window(ONSDAG)).tider == ()


def test_fejlmelding_is_stored(planner: EmbeddedPlanner, db: Database) -> None:
    planner.create_fejlmelding(Fejlmelding(3, 30, NOW, moedetilbud_id=IND, fejltekst="x", cpr=CPR))
    assert db.conn.execute("SELECT fejlkode, moedetilbud_id FROM planner_fejlmeldinger").fetchall() == [(3, IND)]
    fejl(8108, lambda: planner.create_fejlmelding(Fejlmelding(3, 30, NOW, moedetilbud_id=bid(5))))
    fejl(4768, lambda: planner.create_fejlmelding(Fejlmelding(3, 30, NOW, indkaldelse_id=bid(5))))


# --- choosing the planner -----------------------------------------------------------------------
def test_planner_for(db: Database, clock: FixedClock) -> None:
    assert isinstance(planner_for(db, jobcenter(), clock), EmbeddedPlanner)
    fejl(9018, lambda: planner_for(db, jobcenter("20202", None), clock))
    with pytest.raises(PlannerError) as info:
        planner_for(db, jobcenter("30303", "soap"), clock)
    assert info.value.fejlkode == 9018 and "soap_url" in info.value.detail  # routed to SOAP without an address


# --- issue 5: times per working-time profile, busy times in one query, bounded history ---------
def brute_force_times(db: Database, tilbud_id: str, fra: dt.datetime, til: dt.datetime,
                      now: dt.datetime) -> dict[dt.datetime, tuple[int, ...]]:
    """Every caseworker, every day, every start checked against every live individual booking."""
    from jobnet.planner.embedded import slots

    with db.read() as tx:
        repo = PlannerRepo.of(tx)
        t = repo.tilbud(tilbud_id)
        assert t is not None
        rows = tx.conn.execute("SELECT sagsbehandler_nummer, start, slut FROM planner_bookinger "
                               "WHERE state != 'cancelled' AND session_id IS NULL").fetchall()
        caseworkers = repo.sagsbehandlere_for_tilbud(tilbud_id)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for n, s, e in rows:
        busy.setdefault(n, []).append((dt.datetime.fromisoformat(s), dt.datetime.fromisoformat(e)))
    found: dict[dt.datetime, list[int]] = {}
    for c in caseworkers:
        arbejdstid = slots.Arbejdstid(frozenset(c.arbejdsdage), c.arbejdstid_fra, c.arbejdstid_til)
        day = fra.astimezone(COPENHAGEN).date()
        while day <= til.astimezone(COPENHAGEN).date():
            for s in slots.day_starts(day, arbejdstid, t.tilbud.varighed_minutter):
                if fra <= s < til and s > now and not slots.overlaps(s, t.tilbud.varighed_minutter,
                                                                     busy.get(c.nummer, [])):
                    found.setdefault(s, []).append(c.nummer)
            day += dt.timedelta(days=1)
    return {s: tuple(sorted(n)) for s, n in sorted(found.items())}


def test_times_match_a_brute_force_search_over_profiles_and_bookings(db: Database, clock: FixedClock) -> None:
    """Caseworkers of three working-time profiles; bookings of other offers and durations, one of
    them three days long (loaded with its own end), cancelled ones and seats of a joint meeting."""
    tilbud = "20000000-0000-4000-8000-000000000001"
    with db.transaction(actor="setup") as tx:
        repo = PlannerRepo.of(tx)
        profiles = [((1, 2, 3, 4, 5), dt.time(9), dt.time(15)), ((1, 2, 3, 4, 5), dt.time(8), dt.time(15, 30)),
                    ((1, 2, 3, 5), dt.time(10), dt.time(16))]
        numre = [repo.add_sagsbehandler(PlannerSagsbehandler(
            0, JC, Sagsbehandler(f"RID-P{i}", "P", str(i)), arbejdsdage=profiles[i % 3][0],
            arbejdstid_fra=profiles[i % 3][1], arbejdstid_til=profiles[i % 3][2])) for i in range(9)]
        repo.add_tilbud(offer(tilbud, varighed=45, kan_vaelges=True))
        for n in numre:
            repo.link(tilbud, n)
        other = "20000000-0000-4000-8000-000000000002"
        repo.add_tilbud(offer(other, varighed=30, samtaletype=4))
        sessions = "20000000-0000-4000-8000-000000000003"
        repo.add_tilbud(offer(sessions, moedeform=2, varighed=90, samtaletype=9, sidste=FAELLES_SIDSTE))
        session_id = repo.add_session(sessions, at(ONSDAG, 10), 5, 4)

        def add(i: int, n: int, start: dt.datetime, minutes: int, tilbud_id: str = other,
                session: int | None = None, **kw: Any) -> None:
            repo.add_booking(PlannerBooking(f"30000000-0000-4000-8000-{i:012d}", CPR, tilbud_id, start,
                                            start + dt.timedelta(minutes=minutes), n, session, 1, **kw))

        add(1, numre[0], at(ONSDAG, 9, 10), 30)  # off the grid, blocks two starts
        add(2, numre[1], at(TIRSDAG, 9, 30), 3 * 24 * 60)  # three days: blocks Tuesday to Friday
        add(3, numre[2], at(ONSDAG, 10), 45, state=BookingState.CANCELLED)  # does not block
        add(4, numre[3], at(TIRSDAG, 12), 60)  # before the window, reaching into it
        add(5, numre[4], at(weekday(1, weeks=-4), 9), 40 * 24 * 60)  # long ago but still running on Tuesday
        add(6, numre[5], at(ONSDAG, 10), 90, sessions, session_id)  # a seat of a joint meeting: not busy
    planner = EmbeddedPlanner(db, clock)
    fra, til = at(TIRSDAG, 12, 30), at(TIRSDAG + UGE, 0)
    got = planner.get_selfbook_timeslots(BORGER, tilbud, fra, til, None, None)
    want = brute_force_times(db, tilbud, fra, til, clock.now())
    assert {t.starttidspunkt: t.sagsbehandler_numre for t in got.tider} == want
    assert [t.starttidspunkt for t in got.tider] == sorted(want)
    assert numre[1] not in {n for t in got.tider if t.starttidspunkt < at(FREDAG, 9, 30)
                            for n in t.sagsbehandler_numre}
    assert numre[4] not in {n for t in got.tider for n in t.sagsbehandler_numre}  # the 40-day booking
    assert numre[5] in {n for t in got.tider if t.starttidspunkt == at(ONSDAG, 10) for n in t.sagsbehandler_numre}
    # A time the brute force finds free can be booked; the long booking's caseworker is refused.
    free_start = next(iter(want))
    book(planner, bid(1), tilbud, free_start, rid="RID-P" + str(numre.index(want[free_start][0])))
    fejl(4819, lambda: book(planner, bid(2), tilbud, at(ONSDAG, 8, 45), rid="RID-P1"))  # on his grid, busy


def test_the_fewest_coming_bookings_decide_not_the_history(planner: EmbeddedPlanner, db: Database,
                                                            clock: FixedClock) -> None:
    """Caseworker A has a long history; B has more bookings ahead: A is picked (only coming bookings count)."""
    with db.transaction(actor="setup") as tx:
        repo = PlannerRepo.of(tx)
        for i in range(5):  # A's past
            start = at(weekday(1, weeks=-4) + i * DAG, 9)  # Monday to Friday four weeks ago
            repo.add_booking(PlannerBooking(f"40000000-0000-4000-8000-{i:012d}", ANDEN_CPR, IND, start,
                                            start + dt.timedelta(minutes=45), 1, None, 1))
    book(planner, bid(1), IND, at(ONSDAG, 12), rid=RID_B)  # B has one coming booking
    assert book(planner, bid(2), IND, at(ONSDAG, 9)).sagsbehandler.eksternt_id == RID_A
    with db.read() as tx:
        assert PlannerRepo.of(tx).live_counts([1, 2, 3], clock.now()) == {1: 1, 2: 1}
        assert PlannerRepo.of(tx).live_counts([1], at(weekday(7, weeks=-5), 0)) == {1: 6}


def test_the_mapped_times_are_what_validation_would_give(planner: EmbeddedPlanner) -> None:
    """handlers/_mapping builds the timeslot answer without validation (issue 5); its JSON must be
    exactly that of validated models, and its number lists must be the right model types."""
    from generated import models as m
    from handlers import _mapping

    tider = planner.get_selfbook_timeslots(BORGER, IND, at(TIRSDAG, 0), at(TIRSDAG + 18 * DAG, 0), None, None)
    joint = planner.get_selfbook_timeslots(BORGER, FAELLES, at(TIRSDAG, 0), at(TIRSDAG + 29 * DAG, 0), None, None)
    for result in (tider, joint):
        fast = _mapping.moedetider_response(result)
        checked = m.GetSelvbookingMoedetiderResponse(
            bookbar_sagsbehandler_samling=_mapping.bookbare(result.sagsbehandlere),
            moedetid_samling=[m.Moedetid(**_mapping._tid_fields(t)) for t in result.tider] or None)
        dump: dict[str, Any] = {"mode": "json", "by_alias": True, "exclude_none": True}
        assert fast.model_dump(**dump) == checked.model_dump(**dump)
        assert fast.model_dump_json(by_alias=True, exclude_none=True) == checked.model_dump_json(
            by_alias=True, exclude_none=True)
        first = fast.moedetid_samling[0]
        assert isinstance(first.sagsbehandler_nummer_samling[0], m.SagsbehandlerNummerSamlingItem)
        assert isinstance(first.samtaleform_samling[0], m.SamtaleformSamlingItem1)
        assert first.model_fields_set == checked.moedetid_samling[0].model_fields_set
        m.GetSelvbookingMoedetiderResponse.model_validate(fast.model_dump(by_alias=True))  # valid as it stands
