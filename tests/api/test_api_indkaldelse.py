"""HTTP tests of a booking the citizen has: CreateOmbooking, DeleteBooking, SaveIndkaldelsesaccept,
GetOmbookingSagsbehandlere, GetOmbookingMoedetider.

The demo (clock: Tue 2026-12-01 09:00 Copenhagen) has 0202852345 summoned to a Jobsamtale on
today + 10 at 10:30 (may be rebooked, not cancelled, not yet accepted) and 0404754567 with an
immediate booking on today + 5. Every refused write is checked to have changed nothing.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from jobnet.clock import local_datetime
from jobnet.demo import (
    AFDOED,
    BOOKING_INDKALDT,
    BOOKING_STRAKS,
    IKKE_TILMELDT,
    INDKALDT,
    JOBCENTER_UDEN_PLANNER,
    RID,
    SELVBOOKER,
    STRAKSBOOKET,
    TILBUD_FAELLES_JOBSAMTALE,
    TILBUD_JOBSAMTALE,
    TILBUD_OPFOELGNING,
    UDEN_PLANNER,
)
from jobnet.loader import load
from tests.support.api import fejl, state
from tests.support.clock import TODAY, at

STRAKS = STRAKSBOOKET  # immediate booking: BOOKING_STRAKS
BORGER = SELVBOOKER  # open Jobsamtale deadline, held by today + 21
UKENDT = "0102031234"


def instant(days: int, hour: int, minute: int = 0) -> dt.datetime:
    return local_datetime(TODAY + dt.timedelta(days=days), hour, minute)


def row(db: Any, indkaldelse_id: str, columns: str = "state, accepteret, moede_start") -> tuple[Any, ...]:
    return tuple(db.conn.execute(f"SELECT {columns} FROM bookinger WHERE indkaldelse_id = ?",
                                 [indkaldelse_id]).fetchone())


def planner_row(db: Any, indkaldelse_id: str) -> tuple[Any, ...]:
    return tuple(db.conn.execute("SELECT state, start, sagsbehandler_nummer FROM planner_bookinger "
                                 "WHERE indkaldelse_id = ?", [indkaldelse_id]).fetchone())


def utc(days: int, hour: int, minute: int = 0) -> str:
    return instant(days, hour, minute).isoformat()


def load_booking(db: Any, cpr: str, tilbud: str, start: str, rid: str, **fields: Any) -> str:
    bid = str(uuid.uuid4())
    load(db, {"bookinger": [{"indkaldelse_id": bid, "cpr": cpr, "moedetilbud_id": tilbud, "moede_start": start,
                             "sagsbehandler": rid, **fields}]})
    return bid


def self_book(api: Any, start: str = at(2, 10, 30), cpr: str = BORGER) -> str:
    r = api.post(f"/selvbooking/moedetilbud/{TILBUD_JOBSAMTALE}/booking", cpr,
                 json={"moedeStarttidspunkt": start, "samtaleformType": 1})
    assert r.status_code == 201, r.text
    return r.json()["indkaldelseId"]


def ombook(api: Any, bid: str, start: str, cpr: str = INDKALDT, **fields: Any) -> Any:
    return api.post(f"/indkaldelse/{bid}/action/ombook", cpr, json={"moedeStarttidspunkt": start, **fields})


def delete(api: Any, bid: str, cpr: str = INDKALDT) -> Any:
    return api.delete(f"/indkaldelse/{bid}", cpr)


def accept(api: Any, bid: str, cpr: str = INDKALDT) -> Any:
    return api.post(f"/indkaldelse/{bid}/action/accepter", cpr)


def sagsbehandlere(api: Any, bid: str, cpr: str = INDKALDT) -> Any:
    return api.get(f"/indkaldelse/{bid}/ombooking/sagsbehandlere", cpr)


def moedetider(api: Any, bid: str, cpr: str = INDKALDT, start: str = at(1, 0), slut: str = at(15, 0),
               **params: Any) -> Any:
    return api.get(f"/indkaldelse/{bid}/ombooking/moedetider", cpr,
                   params={"startMoedetidsinterval": start, "slutMoedetidsinterval": slut, **params})


OPERATIONS = {
    "ombook": lambda api, bid, cpr: ombook(api, bid, at(9, 10, 30), cpr=cpr, samtaleformType=1),
    "delete": delete,
    "accept": accept,
    "sagsbehandlere": sagsbehandlere,
    "moedetider": moedetider,
    "fejlmelding": lambda api, bid, cpr: api.post("/fejlmelding", cpr, json={
        "indkaldelseId": bid, "fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": at(0, 8)}),
}


# --- the booking id: unknown, someone else's, not a guid -------------------------------------------


@pytest.mark.parametrize("operation", OPERATIONS)
def test_another_citizens_booking_is_8107_and_nothing_changes(api: Any, demo: Any, operation: str) -> None:
    before = state(demo)
    reports = demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone()
    fejl(OPERATIONS[operation](api, BOOKING_INDKALDT, BORGER), 8107, 403)
    assert state(demo) == before
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == reports
    assert row(demo, BOOKING_INDKALDT) == ("active", 0, utc(10, 10, 30))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_unknown_booking_is_4768(api: Any, demo: Any, operation: str) -> None:
    before = state(demo)
    fejl(OPERATIONS[operation](api, str(uuid.uuid4()), INDKALDT), 4768, 404)
    assert state(demo) == before


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op != "fejlmelding"])
def test_a_cancelled_booking_is_4768(api: Any, demo: Any, operation: str) -> None:
    bid = self_book(api)
    assert delete(api, bid, BORGER).status_code == 204
    before = state(demo)
    fejl(OPERATIONS[operation](api, bid, BORGER), 4768, 404)
    assert state(demo) == before


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op != "fejlmelding"])
def test_a_booking_id_that_is_not_a_guid_is_1014(api: Any, demo: Any, operation: str) -> None:
    before = state(demo)
    fejl(OPERATIONS[operation](api, "1095cbc4-f9dc-5cff-96e9", INDKALDT), 1014, 400)
    assert state(demo) == before


@pytest.mark.parametrize("operation", ["ombook", "accept", "sagsbehandlere", "moedetider"])
def test_an_unknown_citizen_is_4400(api: Any, demo: Any, operation: str) -> None:
    before = state(demo)
    fejl(OPERATIONS[operation](api, BOOKING_INDKALDT, UKENDT), 4400, 404)
    assert state(demo) == before


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op != "fejlmelding"])
def test_a_booking_at_a_job_centre_without_a_planner_is_9018(api: Any, demo: Any, operation: str) -> None:
    bid = str(uuid.uuid4())
    load(demo, {"bookinger": [{
        "indkaldelse_id": bid, "cpr": UDEN_PLANNER, "jobcenter": JOBCENTER_UDEN_PLANNER, "moede_start": at(9, 10),
        "sagsbehandler": {"eksternt_id": "CVR:20202000-RID:1", "fornavn": "Ida", "efternavn": "Holm"},
        "samtaletype": 7, "moedeform": 1, "moedetitel": "Jobsamtale", "samtaleform": 1,
        "ombooking_mulig": True, "ombookingsfrist": at(8, 10), "aflysning_mulig": True, "aflysningsfrist": at(8, 10),
        "borger_skal_acceptere": True}]})
    before = state(demo)
    fejl(OPERATIONS[operation](api, bid, UDEN_PLANNER), 9018, 503)
    assert state(demo) == before


# --- CreateOmbooking ----------------------------------------------------------------------------


def test_rebooking_a_summons_moves_it_and_counts_as_acceptance(api: Any, demo: Any) -> None:
    r = ombook(api, BOOKING_INDKALDT, at(9, 10, 30), samtaleformType=2)
    assert r.status_code == 200, r.text
    detaljer = r.json()["bookingDetaljer"]
    assert r.json()["indkaldelseId"] == BOOKING_INDKALDT == detaljer["indkaldelseId"]
    assert detaljer["moedeStarttidspunkt"] == at(9, 10, 30) and detaljer["accepteret"] is True
    assert detaljer["selvbooket"] is False and detaljer["kontaktdetaljer"]["samtaleformType"] == 2
    assert row(demo, BOOKING_INDKALDT) == ("rescheduled", 1, utc(9, 10, 30))
    assert planner_row(demo, BOOKING_INDKALDT)[:2] == ("rescheduled", utc(9, 10, 30))
    assert demo.conn.execute("SELECT count(*) FROM planner_intents").fetchone()[0] == 0
    # the old time is free again for the same caseworker
    tider = api.get(f"/selvbooking/moedetilbud/{TILBUD_JOBSAMTALE}/moedetider", BORGER,
                    params={"startMoedetidsinterval": at(10, 10), "slutMoedetidsinterval": at(10, 11)}).json()
    assert [(t["starttidspunkt"], t["sagsbehandlerNummerSamling"]) for t in tider["moedetidSamling"]] == [
        (at(10, 10, 30), [1, 2, 3])]


def test_rebooking_a_joint_meeting_moves_the_seat(api: Any, demo: Any) -> None:
    from jobnet.demo import TILBUD_INFOMOEDE

    r = api.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", BORGER,
                 json={"moedeStarttidspunkt": at(3, 10)})
    assert r.status_code == 201
    seats = "SELECT start, ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ? ORDER BY start"
    assert demo.conn.execute(seats, [TILBUD_INFOMOEDE]).fetchall() == [
        (utc(3, 10), 11), (utc(10, 10), 1), (utc(17, 10), 20)]
    assert ombook(api, r.json()["indkaldelseId"], at(17, 10), cpr=BORGER).status_code == 200
    assert demo.conn.execute(seats, [TILBUD_INFOMOEDE]).fetchall() == [
        (utc(3, 10), 12), (utc(10, 10), 1), (utc(17, 10), 19)]


def test_rebooking_to_a_full_joint_meeting_is_4767(api: Any, demo: Any) -> None:
    from jobnet.demo import TILBUD_INFOMOEDE

    assert api.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", INDKALDT,
                    json={"moedeStarttidspunkt": at(10, 10)}).status_code == 201  # the last seat
    r = api.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", BORGER,
                 json={"moedeStarttidspunkt": at(3, 10)})
    before = state(demo)
    fejl(ombook(api, r.json()["indkaldelseId"], at(10, 10), cpr=BORGER), 4767, 409)
    assert state(demo) == before


def test_rebooking_to_the_same_time_or_a_time_not_offered_is_4767(api: Any, demo: Any) -> None:
    before = state(demo)
    fejl(ombook(api, BOOKING_INDKALDT, at(10, 10, 30), samtaleformType=1), 4767, 409)
    fejl(ombook(api, BOOKING_INDKALDT, at(9, 10, 40), samtaleformType=1), 4767, 409)
    assert state(demo) == before


def test_rebooking_to_a_taken_time_is_4767(api: Any, demo: Any) -> None:
    load_booking(demo, IKKE_TILMELDT, TILBUD_JOBSAMTALE, at(9, 10, 30), RID[1])
    before = state(demo)
    r = ombook(api, BOOKING_INDKALDT, at(9, 10, 30), samtaleformType=1, sagsbehandlerEksterntId=RID[1])
    fejl(r, 4767, 409)
    assert state(demo) == before


def test_rebooking_to_a_time_before_today_is_4783(api: Any, demo: Any) -> None:
    before = state(demo)
    fejl(ombook(api, BOOKING_INDKALDT, at(-1, 10, 30), samtaleformType=1), 4783, 422)
    assert state(demo) == before


def test_rebooking_a_meeting_that_has_begun_is_4783(api: Any, demo: Any, clock: Any) -> None:
    clock.set(instant(10, 10, 45))
    before = state(demo)
    fejl(ombook(api, BOOKING_INDKALDT, at(11, 10, 30), samtaleformType=1), 4783, 422)
    assert state(demo) == before


def test_rebooking_after_the_rebooking_deadline_is_4812(api: Any, demo: Any, clock: Any) -> None:
    clock.set(instant(9, 11))  # the deadline is 24 hours before the meeting: today + 9 at 10:30
    before = state(demo)
    fejl(ombook(api, BOOKING_INDKALDT, at(11, 10, 30), samtaleformType=1), 4812, 422)
    assert state(demo) == before


def test_rebooking_a_booking_that_does_not_allow_it_is_4812(api: Any, demo: Any) -> None:
    bid = load_booking(demo, BORGER, TILBUD_FAELLES_JOBSAMTALE, at(3, 12), RID[2])  # type 17
    before = state(demo)
    fejl(ombook(api, bid, at(3, 13), cpr=BORGER, samtaleformType=1), 4812, 422)
    assert state(demo) == before


def test_rebooking_an_immediate_booking_is_9130(api: Any, demo: Any) -> None:
    before = state(demo)
    fejl(ombook(api, BOOKING_STRAKS, at(6, 10), cpr=STRAKS, samtaleformType=1), 9130, 422)
    assert state(demo) == before


def test_rebooking_for_a_deceased_citizen_is_4405(api: Any, demo: Any) -> None:
    bid = load_booking(demo, AFDOED, TILBUD_OPFOELGNING, at(2, 11), RID[3])
    before = state(demo)
    fejl(ombook(api, bid, at(3, 11), cpr=AFDOED, samtaleformType=1), 4405, 422)
    assert state(demo) == before


@pytest.mark.parametrize("form", [6, 8])  # 6 is not offered; 8 is, 6 is a code-list id
def test_rebooking_with_a_contact_form_not_offered_is_4708(api: Any, demo: Any, form: int) -> None:
    bid = load_booking(demo, BORGER, TILBUD_OPFOELGNING, at(2, 11), RID[3])  # offers forms 1 and 2
    before = state(demo)
    fejl(ombook(api, bid, at(3, 11), cpr=BORGER, samtaleformType=form), 4708, 422)
    assert state(demo) == before


def test_rebooking_with_an_unknown_caseworker_is_4822(api: Any, demo: Any) -> None:
    before = state(demo)
    fejl(ombook(api, BOOKING_INDKALDT, at(9, 10, 30), samtaleformType=1, sagsbehandlerEksterntId="CVR:9-RID:9"),
         4822, 422)
    assert state(demo) == before


def test_rebooking_past_the_deadlines_last_day_is_8288_and_the_move_is_undone(api: Any, demo: Any) -> None:
    bid = self_book(api)  # fulfils the Jobsamtale deadline (held by today + 21)
    before = state(demo)
    fejl(ombook(api, bid, at(22, 10, 30), cpr=BORGER, samtaleformType=1), 8288, 422)
    after = state(demo)
    assert after["bookinger"] == before["bookinger"] and after["frister"] == before["frister"]
    assert planner_row(demo, bid)[1] == utc(2, 10, 30) and after["planner_intents"] == []
    assert demo.conn.execute("SELECT status, indfriet_af FROM frister WHERE cpr = ?", [BORGER]).fetchone() == (
        2, bid)


def test_rebooking_a_rehab_interview_outside_a_rehab_contact_group_is_9121(api: Any, demo: Any) -> None:
    rehab = str(uuid.uuid4())
    load(demo, {"moedetilbud": [{"moedetilbud_id": rehab, "jobcenter": "10101", "samtaletype": 21,
                                 "samtaleformer": [1], "varighed_minutter": 60, "moedetitel": "Rehabiliteringsteam",
                                 "moedested": {"adresse": {"vejnavn": "Torvet", "husnummer": "2",
                                                           "postnummer": "9999", "bynavn": "Demoby"}},
                                 "sagsbehandlere": [RID[4]]}]})
    bid = load_booking(demo, BORGER, rehab, at(2, 10), RID[4])  # booked while the group allowed it
    before = state(demo)
    fejl(ombook(api, bid, at(3, 10), cpr=BORGER), 9121, 422)
    assert state(demo) == before


def test_a_repeated_request_id_on_rebooking_is_8302(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    assert api.post(f"/indkaldelse/{BOOKING_INDKALDT}/action/ombook", INDKALDT, request_id=rid,
                    json={"moedeStarttidspunkt": at(9, 10, 30), "samtaleformType": 1}).status_code == 200
    before = state(demo)
    fejl(api.post(f"/indkaldelse/{BOOKING_INDKALDT}/action/ombook", INDKALDT, request_id=rid,
                  json={"moedeStarttidspunkt": at(8, 10, 30), "samtaleformType": 1}), 8302, 412)
    assert state(demo) == before


@pytest.mark.parametrize("body", [{}, {"moedeStarttidspunkt": "i morgen"},
                                  {"moedeStarttidspunkt": "2026-12-10T10:30:00+01:00", "aarsag": "ferie"}])
def test_a_bad_rebooking_body_is_1014(api: Any, demo: Any, body: dict[str, Any]) -> None:
    before = state(demo)
    fejl(api.post(f"/indkaldelse/{BOOKING_INDKALDT}/action/ombook", INDKALDT, json=body), 1014, 400)
    assert state(demo) == before


# --- DeleteBooking ------------------------------------------------------------------------------


def test_cancelling_a_self_booking_frees_the_time_and_opens_the_deadline(api: Any, demo: Any) -> None:
    bid = self_book(api)
    r = delete(api, bid, BORGER)
    assert r.status_code == 204 and r.content == b""
    assert row(demo, bid)[0] == "cancelled" and planner_row(demo, bid)[0] == "cancelled"
    assert demo.conn.execute("SELECT status, indfriet_af FROM frister WHERE cpr = ?", [BORGER]).fetchone() == (
        1, None)
    assert self_book(api)  # the time can be booked again


def test_cancelling_a_joint_meeting_gives_the_seat_back(api: Any, demo: Any) -> None:
    from jobnet.demo import TILBUD_INFOMOEDE

    r = api.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", BORGER,
                 json={"moedeStarttidspunkt": at(10, 10)})
    assert r.status_code == 201
    seat = "SELECT ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ? AND start = ?"
    assert demo.conn.execute(seat, [TILBUD_INFOMOEDE, utc(10, 10)]).fetchone() == (0,)
    assert delete(api, r.json()["indkaldelseId"], BORGER).status_code == 204
    assert demo.conn.execute(seat, [TILBUD_INFOMOEDE, utc(10, 10)]).fetchone() == (1,)


def test_cancelling_a_summons_that_does_not_allow_it_is_4820(api: Any, demo: Any) -> None:
    before = state(demo)
    fejl(delete(api, BOOKING_INDKALDT), 4820, 422)
    assert state(demo) == before


def test_cancelling_after_the_cancellation_deadline_is_4820(api: Any, demo: Any, clock: Any) -> None:
    bid = self_book(api)
    clock.set(instant(1, 11))  # the deadline was today + 1 at 10:30
    before = state(demo)
    fejl(delete(api, bid, BORGER), 4820, 422)
    assert state(demo) == before


def test_cancelling_a_meeting_in_the_past_is_4650(api: Any, demo: Any, clock: Any) -> None:
    bid = self_book(api)
    clock.set(instant(3, 9))
    before = state(demo)
    fejl(delete(api, bid, BORGER), 4650, 422)
    assert state(demo) == before


def test_cancelling_an_immediate_booking_is_9130(api: Any, demo: Any) -> None:
    before = state(demo)
    fejl(delete(api, BOOKING_STRAKS, STRAKS), 9130, 422)
    assert state(demo) == before


def test_cancelling_twice_is_4768(api: Any, demo: Any) -> None:
    bid = self_book(api)
    assert delete(api, bid, BORGER).status_code == 204
    fejl(delete(api, bid, BORGER), 4768, 404)


def test_a_repeated_request_id_on_cancelling_is_8302(api: Any, demo: Any) -> None:
    bid, rid = self_book(api), str(uuid.uuid4())
    assert api.delete(f"/indkaldelse/{bid}", BORGER, request_id=rid).status_code == 204
    other = self_book(api, at(3, 10, 30))
    before = state(demo)
    fejl(api.delete(f"/indkaldelse/{other}", BORGER, request_id=rid), 8302, 412)
    assert state(demo) == before


def test_another_citizens_request_id_is_theirs_alone(api: Any, demo: Any) -> None:
    """A request id belongs to its caller: the same id from another citizen is a new request."""
    bid, rid = self_book(api), str(uuid.uuid4())
    assert api.delete(f"/indkaldelse/{bid}", BORGER, request_id=rid).status_code == 204
    other = self_book(api, at(3, 10, 30), cpr=IKKE_TILMELDT)
    assert api.delete(f"/indkaldelse/{other}", IKKE_TILMELDT, request_id=rid).status_code == 204


def test_a_failed_cancellations_request_id_may_be_used_again(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    fejl(api.delete(f"/indkaldelse/{BOOKING_INDKALDT}", INDKALDT, request_id=rid), 4820, 422)
    bid = self_book(api)
    assert api.delete(f"/indkaldelse/{bid}", BORGER, request_id=rid).status_code == 204


# --- SaveIndkaldelsesaccept ---------------------------------------------------------------------


def test_accepting_a_summons(api: Any, demo: Any) -> None:
    r = accept(api, BOOKING_INDKALDT)
    assert r.status_code == 204 and r.content == b""
    assert row(demo, BOOKING_INDKALDT) == ("active", 1, utc(10, 10, 30))
    assert demo.conn.execute("SELECT accepteret FROM planner_bookinger WHERE indkaldelse_id = ?",
                             [BOOKING_INDKALDT]).fetchone() == (1,)
    assert accept(api, BOOKING_INDKALDT).status_code == 204  # again: nothing more to do
    [shown] = api.get("/bookinger", INDKALDT).json()["bookingDetaljerSamling"]
    assert shown["accepteret"] is True and shown["borgerSkalAcceptere"] is True


def test_a_repeated_request_id_on_accepting_is_8302(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    assert api.post(f"/indkaldelse/{BOOKING_INDKALDT}/action/accepter", INDKALDT, request_id=rid).status_code == 204
    before = state(demo)
    fejl(api.post(f"/indkaldelse/{BOOKING_INDKALDT}/action/accepter", INDKALDT, request_id=rid), 8302, 412)
    assert state(demo) == before


# --- GetOmbookingSagsbehandlere ------------------------------------------------------------------


def test_the_caseworkers_of_the_booking(api: Any, demo: Any) -> None:
    r = sagsbehandlere(api, BOOKING_INDKALDT)
    assert r.status_code == 200
    assert r.json()["sagsbehandlerKanVaelges"] is True
    assert [s["sagsbehandlerEksterntId"] for s in r.json()["sagsbehandlerSamling"]] == [RID[1], RID[2], RID[3]]


def test_the_caseworkers_of_a_meeting_that_has_begun_is_4783(api: Any, demo: Any, clock: Any) -> None:
    clock.set(instant(10, 11))
    fejl(sagsbehandlere(api, BOOKING_INDKALDT), 4783, 422)


# --- GetOmbookingMoedetider ----------------------------------------------------------------------


def test_rebooking_times_leave_out_the_bookings_own_time(api: Any, demo: Any) -> None:
    r = moedetider(api, BOOKING_INDKALDT, start=at(10, 10), slut=at(10, 12))
    assert r.status_code == 200
    body = r.json()
    assert body["samtaleType"] == 7
    starts = {t["starttidspunkt"]: t["sagsbehandlerNummerSamling"] for t in body["moedetidSamling"]}
    assert starts == {at(10, 11, 15): [1, 2, 3]}  # 10:30, the booking's own start, is not offered


def test_no_rebooking_times_in_the_window_is_4770(api: Any, demo: Any) -> None:
    fejl(moedetider(api, BOOKING_INDKALDT, start=at(4, 0), slut=at(6, 0)), 4770, 422)  # a weekend


@pytest.mark.parametrize("start, slut", [(at(1, 0), at(95, 0)), (at(5, 0), at(4, 0))])
def test_a_bad_rebooking_search_interval_is_1014(api: Any, demo: Any, start: str, slut: str) -> None:
    fejl(moedetider(api, BOOKING_INDKALDT, start=start, slut=slut), 1014, 400)


def test_rebooking_times_of_an_immediate_booking_is_9130(api: Any, demo: Any) -> None:
    fejl(moedetider(api, BOOKING_STRAKS, cpr=STRAKS), 9130, 422)


def test_rebooking_times_after_the_rebooking_deadline_is_4812(api: Any, demo: Any, clock: Any) -> None:
    clock.set(instant(9, 11))
    fejl(moedetider(api, BOOKING_INDKALDT, start=at(9, 12), slut=at(15, 0)), 4812, 422)


def test_rebooking_times_of_a_meeting_that_has_begun_is_4783(api: Any, demo: Any, clock: Any) -> None:
    clock.set(instant(10, 11))
    fejl(moedetider(api, BOOKING_INDKALDT, start=at(10, 12), slut=at(15, 0)), 4783, 422)
