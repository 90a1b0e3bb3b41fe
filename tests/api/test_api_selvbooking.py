"""HTTP tests of self-booking: GetSelvbookingMoedetilbud, GetSelvbookingMoedetider, CreateSelvbooking.

State is the demo (clock: Tue 2026-12-01 09:00 Copenhagen) plus, where a case needs it, a few
records loaded with ``load``. Every failing write is checked to have changed nothing.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from jobnet.demo import (
    AFDOED,
    INDKALDT,
    JOBCENTER,
    OVER_65,
    RID,
    SELVBOOKER,
    SOAP_NEDE,
    TILBUD_FAELLES_JOBSAMTALE,
    TILBUD_INFOMOEDE,
    TILBUD_JOBSAMTALE,
    TILBUD_OPFOELGNING,
    TILBUD_STRAKS_JOBSAMTALE,
    UDEN_PLANNER,
)
from jobnet.loader import load
from tests.support.api import TABLES, count, fejl, state
from tests.support.clock import at

JOBSAMTALE, INFOMOEDE, OPFOELGNING, STRAKS = (TILBUD_JOBSAMTALE, TILBUD_INFOMOEDE, TILBUD_OPFOELGNING,
                                             TILBUD_STRAKS_JOBSAMTALE)
OTHER_CENTRE = str(uuid.uuid4())
BORGER = SELVBOOKER  # may self-book; open Jobsamtale deadline (held by today + 21)
UKENDT = "0102031234"  # matches the CPR pattern, unknown to the service


def book(api: Any, tilbud: str, start: str, cpr: str = BORGER, **fields: Any) -> Any:
    return api.post(f"/selvbooking/moedetilbud/{tilbud}/booking", cpr,
                    json={"moedeStarttidspunkt": start, **fields})


def times(api: Any, tilbud: str, start: str, slut: str, cpr: str = BORGER, **params: Any) -> Any:
    return api.get(f"/selvbooking/moedetilbud/{tilbud}/moedetider", cpr,
                   params={"startMoedetidsinterval": start, "slutMoedetidsinterval": slut, **params})


def offer(samtaletype: int = 9, **fields: Any) -> dict[str, Any]:
    """An individual offer of job centre 10101 with one caseworker (RID 4), to be loaded."""
    return {"moedetilbud_id": str(uuid.uuid4()), "jobcenter": JOBCENTER, "samtaletype": samtaletype,
            "samtaleformer": [1], "varighed_minutter": 60, "moedetitel": "Ekstra møde",
            "moedested": {"adresse": {"vejnavn": "Torvet", "husnummer": "2", "postnummer": "9999",
                                      "bynavn": "Demoby"}},
            "sagsbehandlere": [RID[4]], **fields}


def refused_unchanged(db: Any, response: Any, code: int, status: int, before: dict[str, Any]) -> None:
    fejl(response, code, status)
    assert state(db) == before


# --- GetSelvbookingMoedetilbud ------------------------------------------------------------------


def test_offers_are_the_job_centres_self_bookable_offers(api: Any, demo: Any) -> None:
    r = api.get("/selvbooking/moedetilbud", BORGER)
    assert r.status_code == 200
    ids = {t["moedetilbudId"] for t in r.json()["moedetilbudSamling"]}
    assert ids == {JOBSAMTALE, INFOMOEDE, OPFOELGNING, TILBUD_FAELLES_JOBSAMTALE}  # not the immediate one


def test_offers_for_an_unknown_citizen_is_8111(api: Any, demo: Any) -> None:
    fejl(api.get("/selvbooking/moedetilbud", UKENDT), 8111, 404)


@pytest.mark.parametrize("cpr", [UDEN_PLANNER, OVER_65])  # a centre without a planner; no centre
def test_offers_without_a_planner_is_9018(api: Any, demo: Any, cpr: str) -> None:
    fejl(api.get("/selvbooking/moedetilbud", cpr), 9018, 503)


def test_offers_when_the_planner_cannot_be_reached_is_4769(api: Any, demo: Any) -> None:
    fejl(api.get("/selvbooking/moedetilbud", SOAP_NEDE), 4769, 503)  # centre 30303: nothing listens


def test_no_offers_is_an_empty_answer_not_4770(api: Any, db: Any) -> None:
    load(db, {"jobcentre": [{"kode": "50505", "navn": "Tomt jobcenter", "planner": "embedded"}],
              "borgere": [{"cpr": BORGER, "jobcenter": "50505", "kontaktgruppe": 1}]})
    r = api.get("/selvbooking/moedetilbud", BORGER)
    assert r.status_code == 200 and r.json() == {}


# --- GetSelvbookingMoedetider -------------------------------------------------------------------


def test_times_of_an_individual_offer(api: Any, demo: Any) -> None:
    r = times(api, JOBSAMTALE, at(2, 0), at(3, 0))
    assert r.status_code == 200
    starts = [t["starttidspunkt"] for t in r.json()["moedetidSamling"]]
    assert starts[0] == at(2, 9) and at(2, 9, 45) in starts and len(starts) == 8
    assert {b["sagsbehandlerNummer"] for b in r.json()["bookbarSagsbehandlerSamling"]} == {1, 2, 3}


def test_times_of_a_joint_offer_carry_the_seats(api: Any, demo: Any) -> None:
    r = times(api, INFOMOEDE, at(0, 0), at(30, 0))
    assert r.status_code == 200
    seats = [(t["maksimaltMoededeltagerantal"], t["ledigePladser"]) for t in r.json()["moedetidSamling"]]
    assert seats == [(20, 12), (15, 1), (20, 20)]


def test_no_times_in_the_window_is_4770(api: Any, demo: Any) -> None:
    fejl(times(api, JOBSAMTALE, at(3, 16), at(6, 0)), 4770, 422)  # Friday 16:00 to Monday 00:00


@pytest.mark.parametrize("start, slut", [
    (at(0, 0), at(94, 0)),  # more than 93 days
    (at(3, 0), at(2, 0)),  # reversed
    (at(2, 0), at(2, 0)),  # empty
])
def test_a_bad_search_interval_is_1014(api: Any, demo: Any, start: str, slut: str) -> None:
    fejl(times(api, JOBSAMTALE, start, slut), 1014, 400)


def test_exactly_93_days_is_allowed(api: Any, demo: Any) -> None:
    assert times(api, JOBSAMTALE, at(0, 0), at(93, 0)).status_code == 200


@pytest.mark.parametrize("params", [
    {"startMoedetidsinterval": "2026-12-02"},  # a date, not a date-time; slut missing
    {"startMoedetidsinterval": "i morgen", "slutMoedetidsinterval": "2026-12-04T00:00:00+01:00"},
    {"startMoedetidsinterval": "2026-12-02T00:00:00+01:00", "slutMoedetidsinterval": "2026-12-04T00:00:00+01:00",
     "samtaleformType": "telefon"},
    {"startMoedetidsinterval": "2026-12-02T00:00:00+01:00", "slutMoedetidsinterval": "2026-12-04T00:00:00+01:00",
     "ukendt": "1"},
])
def test_bad_query_parameters_are_1014(api: Any, demo: Any, params: dict[str, str]) -> None:
    fejl(api.get(f"/selvbooking/moedetilbud/{JOBSAMTALE}/moedetider", BORGER, params=params), 1014, 400)


def test_a_bad_guid_in_the_path_is_1014(api: Any, demo: Any) -> None:
    fejl(times(api, "ikke-en-guid", at(1, 0), at(3, 0)), 1014, 400)


def test_times_for_an_unknown_citizen_is_8111(api: Any, demo: Any) -> None:
    fejl(times(api, JOBSAMTALE, at(1, 0), at(3, 0), cpr=UKENDT), 8111, 404)


def test_times_without_a_planner_is_9018(api: Any, demo: Any) -> None:
    fejl(times(api, JOBSAMTALE, at(1, 0), at(3, 0), cpr=UDEN_PLANNER), 9018, 503)


def test_times_when_the_planner_cannot_be_reached_is_4769(api: Any, demo: Any) -> None:
    fejl(times(api, str(uuid.uuid4()), at(1, 0), at(3, 0), cpr=SOAP_NEDE), 4769, 503)


def test_times_of_an_unknown_offer_is_8108(api: Any, demo: Any) -> None:
    fejl(times(api, str(uuid.uuid4()), at(1, 0), at(3, 0)), 8108, 404)


# --- CreateSelvbooking: success -------------------------------------------------------------------


def test_a_self_booking_is_registered_and_fulfils_the_deadline(api: Any, demo: Any) -> None:
    r = book(api, JOBSAMTALE, at(2, 10, 30), samtaleformType=1, sagsbehandlerEksterntId=RID[2])
    assert r.status_code == 201, r.text
    body = r.json()
    detaljer = body["bookingDetaljer"]
    assert detaljer["indkaldelseId"] == body["indkaldelseId"]
    assert detaljer["moedeStarttidspunkt"] == at(2, 10, 30) and detaljer["moedeSluttidspunkt"] == at(2, 11, 15)
    assert detaljer["selvbooket"] and detaljer["accepteret"] and detaljer["ombookingMulig"]
    assert detaljer["afholdendeSagsbehandler"]["sagsbehandlerEksterntId"] == RID[2]
    row = demo.conn.execute("SELECT cpr, state, samtaletype, straksbooking FROM bookinger WHERE indkaldelse_id = ?",
                            [body["indkaldelseId"]]).fetchone()
    assert tuple(row) == (BORGER, "active", 7, 0)
    assert count(demo, "SELECT count(*) FROM planner_bookinger WHERE indkaldelse_id = ? AND state = 'active'",
                 body["indkaldelseId"]) == 1
    assert demo.conn.execute("SELECT status, indfriet_af FROM frister WHERE cpr = ?", [BORGER]).fetchone() == (
        2, body["indkaldelseId"])
    assert count(demo, "SELECT count(*) FROM planner_intents") == 0


def test_the_booked_time_is_no_longer_offered(api: Any, demo: Any) -> None:
    assert book(api, JOBSAMTALE, at(2, 10, 30), samtaleformType=1, sagsbehandlerEksterntId=RID[2]
                ).status_code == 201
    [tid] = [t for t in times(api, JOBSAMTALE, at(2, 10), at(2, 11)).json()["moedetidSamling"]]
    assert tid["starttidspunkt"] == at(2, 10, 30) and tid["sagsbehandlerNummerSamling"] == [1, 3]


def test_a_kept_answer_is_not_given_after_a_booking(api: Any, demo: Any) -> None:
    """The first search is kept (planner/embedded/memo.py) and its JSON with it; the booking moves the
    caseworker's version, so the same search is computed again."""
    before = times(api, JOBSAMTALE, at(2, 10), at(2, 11))
    assert times(api, JOBSAMTALE, at(2, 10), at(2, 11)).content == before.content
    assert book(api, JOBSAMTALE, at(2, 10, 30), samtaleformType=1, sagsbehandlerEksterntId=RID[2]
                ).status_code == 201
    after = {t["starttidspunkt"]: t["sagsbehandlerNummerSamling"]
             for t in times(api, JOBSAMTALE, at(2, 10), at(2, 11)).json()["moedetidSamling"]}
    assert after[at(2, 10, 30)] == [1, 3]


def test_a_joint_meeting_takes_a_seat(api: Any, demo: Any) -> None:
    r = book(api, INFOMOEDE, at(3, 10))
    assert r.status_code == 201, r.text
    assert seats(demo, INFOMOEDE, at(3, 10)) == 11


def test_the_only_contact_form_need_not_be_given(api: Any, demo: Any) -> None:
    r = book(api, INFOMOEDE, at(3, 10))
    assert r.status_code == 201 and r.json()["bookingDetaljer"]["kontaktdetaljer"]["samtaleformType"] == 1


# --- CreateSelvbooking: refusals that change nothing ----------------------------------------------


@pytest.mark.parametrize("tilbud", ["unknown", "straks", "inactive", "other-centre"])
def test_an_unknown_or_unbookable_offer_is_8108(api: Any, demo: Any, tilbud: str) -> None:
    extra = offer(aktiv=False)
    load(demo, {"jobcentre": [{"kode": "50505", "navn": "Andet", "planner": "embedded"}],
                "sagsbehandlere": [{"eksternt_id": "CVR:50505000-RID:1", "jobcenter": "50505",
                                    "fornavn": "Eva", "efternavn": "Andersen"}],
                "moedetilbud": [extra, {**offer(), "moedetilbud_id": OTHER_CENTRE, "jobcenter": "50505",
                                        "sagsbehandlere": ["CVR:50505000-RID:1"]}]})
    tilbud_id = {"unknown": str(uuid.uuid4()), "straks": STRAKS, "inactive": extra["moedetilbud_id"],
                 "other-centre": OTHER_CENTRE}[tilbud]
    before = state(demo)
    refused_unchanged(demo, book(api, tilbud_id, at(2, 10), samtaleformType=1), 8108, 404, before)


def test_outside_the_offers_period_is_8109(api: Any, demo: Any) -> None:
    before = state(demo)
    refused_unchanged(demo, book(api, OPFOELGNING, at(91, 10), samtaleformType=1), 8109, 422, before)


@pytest.mark.parametrize("start", [at(2, 10, 10), at(5, 10), at(2, 8)])  # off the grid, Sunday, before hours
def test_a_time_that_is_not_offered_is_4819(api: Any, demo: Any, start: str) -> None:
    before = state(demo)
    refused_unchanged(demo, book(api, JOBSAMTALE, start, samtaleformType=1), 4819, 409, before)


def test_a_taken_time_is_4819(api: Any, demo: Any) -> None:
    extra = offer()
    load(demo, {"moedetilbud": [extra], "borgere": [{"cpr": "1212901234", "jobcenter": JOBCENTER}]})
    assert book(api, extra["moedetilbud_id"], at(2, 10), cpr="1212901234").status_code == 201
    before = state(demo)
    refused_unchanged(demo, book(api, extra["moedetilbud_id"], at(2, 10)), 4819, 409, before)


def test_a_full_joint_meeting_is_4819(api: Any, demo: Any) -> None:
    assert book(api, INFOMOEDE, at(10, 10), cpr=INDKALDT).status_code == 201  # its last seat
    before = state(demo)
    refused_unchanged(demo, book(api, INFOMOEDE, at(10, 10)), 4819, 409, before)
    assert seats(demo, INFOMOEDE, at(10, 10)) == 0


def test_a_time_before_today_is_4783(api: Any, demo: Any) -> None:
    before = state(demo)
    refused_unchanged(demo, book(api, JOBSAMTALE, at(-1, 10, 30), samtaleformType=1), 4783, 422, before)


def test_an_unknown_caseworker_is_4822(api: Any, demo: Any) -> None:
    before = state(demo)
    r = book(api, JOBSAMTALE, at(2, 10, 30), samtaleformType=1, sagsbehandlerEksterntId="CVR:1-RID:1")
    refused_unchanged(demo, r, 4822, 422, before)


@pytest.mark.parametrize("tilbud, rid", [
    ("jobsamtale", RID[4]),  # a caseworker of the centre, not of this offer
    ("opfoelgning", RID[2]),  # the offer's caseworker, but the offer does not let the citizen choose
])
def test_a_caseworker_that_may_not_be_chosen_is_9003(api: Any, demo: Any, tilbud: str, rid: str) -> None:
    tilbud_id = JOBSAMTALE if tilbud == "jobsamtale" else OPFOELGNING
    before = state(demo)
    r = book(api, tilbud_id, at(2, 10, 30), samtaleformType=1, sagsbehandlerEksterntId=rid)
    refused_unchanged(demo, r, 9003, 422, before)


@pytest.mark.parametrize("form", [None, 6, 2])  # several forms and none chosen; not offered (twice)
def test_a_contact_form_that_is_missing_or_not_offered_is_4708(api: Any, demo: Any, form: int | None) -> None:
    tilbud = JOBSAMTALE if form != 2 else INFOMOEDE
    fields: dict[str, Any] = {} if form is None else {"samtaleformType": form}
    before = state(demo)
    refused_unchanged(demo, book(api, tilbud, at(3, 10), **fields), 4708, 422, before)


def test_a_second_future_jobsamtale_is_8273(api: Any, demo: Any) -> None:
    before = state(demo)
    r = book(api, JOBSAMTALE, at(2, 10, 30), cpr=INDKALDT, samtaleformType=1)
    refused_unchanged(demo, r, 8273, 409, before)


def test_with_the_embedded_planner_a_refused_registration_leaves_no_trace_at_all(api: Any, demo: Any) -> None:
    """The planner's booking and its registration are one transaction (jobnet.booking.change):
    the 8273 found at registration rolls the planner's booking back too, so there is no cancelled
    record and nothing was compensated (a remote planner keeps both, see test_soap_compensation)."""
    everything = "SELECT count(*) FROM planner_bookinger"
    before = count(demo, everything), count(demo, "SELECT count(*) FROM audit")
    fejl(book(api, JOBSAMTALE, at(2, 10, 30), cpr=INDKALDT, samtaleformType=1), 8273, 409)
    assert (count(demo, everything), count(demo, "SELECT count(*) FROM audit")) == before


def test_a_second_future_opfoelgningssamtale_is_9220(api: Any, demo: Any) -> None:
    assert book(api, OPFOELGNING, at(2, 10), samtaleformType=1).status_code == 201
    before = state(demo)
    refused_unchanged(demo, book(api, OPFOELGNING, at(3, 10), samtaleformType=1), 9220, 409, before)


def test_after_the_deadlines_last_day_is_8288(api: Any, demo: Any) -> None:
    before = state(demo)
    r = book(api, JOBSAMTALE, at(22, 10, 30), samtaleformType=1)  # deadline held by today + 21
    refused_unchanged(demo, r, 8288, 422, before)


def test_on_the_deadlines_last_day_is_allowed(api: Any, demo: Any) -> None:
    assert book(api, JOBSAMTALE, at(21, 10, 30), samtaleformType=1).status_code == 201


def test_a_deceased_citizen_is_4405(api: Any, demo: Any) -> None:
    before = state(demo)
    refused_unchanged(demo, book(api, JOBSAMTALE, at(2, 10, 30), cpr=AFDOED, samtaleformType=1),
                      4405, 422, before)


def test_an_unknown_citizen_is_8111(api: Any, demo: Any) -> None:
    before = state(demo)
    refused_unchanged(demo, book(api, JOBSAMTALE, at(2, 10, 30), cpr=UKENDT, samtaleformType=1),
                      8111, 404, before)


def test_a_citizen_without_a_planner_is_9018(api: Any, demo: Any) -> None:
    before = state(demo)
    refused_unchanged(demo, book(api, JOBSAMTALE, at(2, 10, 30), cpr=UDEN_PLANNER, samtaleformType=1),
                      9018, 503, before)


def test_a_planner_that_cannot_be_reached_is_4769_and_nothing_is_registered(api: Any, demo: Any) -> None:
    before = state(demo)
    fejl(book(api, str(uuid.uuid4()), at(2, 10, 30), cpr=SOAP_NEDE, samtaleformType=1), 4769, 503)
    after = state(demo)  # a planner change of unknown outcome may be left in planner_intents for recovery
    assert {t: after[t] for t in TABLES if t != "planner_intents"} == {
        t: before[t] for t in TABLES if t != "planner_intents"}


def test_a_rehab_interview_outside_a_rehab_contact_group_is_9121(api: Any, demo: Any) -> None:
    rehab = offer(samtaletype=21)
    load(demo, {"moedetilbud": [rehab]})
    before = state(demo)
    fejl(book(api, rehab["moedetilbud_id"], at(2, 10)), 9121, 422)
    # the planner had booked it: undone there, so the time is offered again; nothing registered
    assert state(demo)["bookinger"] == before["bookinger"]
    assert count(demo, "SELECT count(*) FROM planner_bookinger WHERE moedetilbud_id = ? AND state != 'cancelled'",
                 rehab["moedetilbud_id"]) == 0
    assert at(2, 10) in [t["starttidspunkt"] for t in
                         times(api, rehab["moedetilbud_id"], at(2, 0), at(3, 0)).json()["moedetidSamling"]]


def test_a_rehab_interview_in_a_rehab_contact_group_is_allowed(api: Any, demo: Any) -> None:
    rehab = offer(samtaletype=21)
    load(demo, {"moedetilbud": [rehab], "borgere": [{"cpr": "1312901234", "jobcenter": JOBCENTER,
                                                     "kontaktgruppe": 13}]})
    assert book(api, rehab["moedetilbud_id"], at(2, 10), cpr="1312901234").status_code == 201


# --- CreateSelvbooking: the planner hands back a booking DFDG will not register -------------------


def planner_refusal(db: Any, response: Any, code: int, tilbud_id: str, before: dict[str, Any]) -> None:
    """The code, nothing registered, the booking undone at the planner, an error report (origin 30)
    recorded here and passed to the planner."""
    fejl(response, code, 502)
    after = state(db)
    assert after["bookinger"] == before["bookinger"] and after["frister"] == before["frister"]
    assert after["planner_faellesmoeder"] == before["planner_faellesmoeder"]
    assert after["planner_intents"] == []
    assert count(db, "SELECT count(*) FROM planner_bookinger WHERE moedetilbud_id = ? AND state != 'cancelled'",
                 tilbud_id) == 0
    [report] = db.conn.execute("SELECT fejlkode, fejl_ophav, moedetilbud_id, cpr, fejltekst FROM fejlmeldinger"
                               ).fetchall()
    assert report[:4] == (2, 30, tilbud_id, BORGER) and str(code) in report[4]
    assert count(db, "SELECT count(*) FROM planner_fejlmeldinger WHERE fejl_ophav = 30 AND moedetilbud_id = ?",
                 tilbud_id) == 1


def test_an_unknown_interview_type_from_the_planner_is_4709_and_the_seat_is_given_back(
        api: Any, demo: Any) -> None:
    joint = offer(samtaletype=9999, moedeform=2, moedetider=[{"start": at(2, 10), "antal_pladser": 5}])
    load(demo, {"moedetilbud": [joint]})
    before = state(demo)
    planner_refusal(demo, book(api, joint["moedetilbud_id"], at(2, 10)), 4709, joint["moedetilbud_id"], before)
    assert seats(demo, joint["moedetilbud_id"], at(2, 10)) == 5


def test_a_personal_meeting_without_an_address_is_8129_and_the_time_is_free_again(api: Any, demo: Any) -> None:
    uden_adresse = offer(moedested={"beskrivelse": "Vi ringer og aftaler stedet"})
    load(demo, {"moedetilbud": [uden_adresse]})
    before = state(demo)
    tilbud_id = uden_adresse["moedetilbud_id"]
    planner_refusal(demo, book(api, tilbud_id, at(2, 10)), 8129, tilbud_id, before)
    offered = [t["starttidspunkt"] for t in times(api, tilbud_id, at(2, 0), at(3, 0)).json()["moedetidSamling"]]
    assert at(2, 10) in offered


def test_a_citizen_who_is_to_call_without_a_phone_number_is_8131(api: Any, demo: Any) -> None:
    ring_op = offer(samtaleformer=[2], borger_ringer_op=True, telefonnummer="70101010")
    load(demo, {"moedetilbud": [ring_op]})
    # The loader refuses such an offer; a planner's data can still lack the number (the planner's
    # own table does not forbid it), which is what DFDG must catch.
    demo.conn.execute("UPDATE planner_moedetilbud SET telefonnummer = NULL WHERE moedetilbud_id = ?",
                      [ring_op["moedetilbud_id"]])
    before = state(demo)
    tilbud_id = ring_op["moedetilbud_id"]
    planner_refusal(demo, book(api, tilbud_id, at(2, 10), samtaleformType=2), 8131, tilbud_id, before)


# --- request validation and idempotency --------------------------------------------------------


@pytest.mark.parametrize("body", [
    {},  # moedeStarttidspunkt missing
    {"moedeStarttidspunkt": "i morgen kl. 10"},
    {"moedeStarttidspunkt": "2026-12-03T10:00:00"},  # no time zone
    {"moedeStarttidspunkt": "2026-12-03T10:00:00+01:00", "samtaleformType": -1},
    {"moedeStarttidspunkt": "2026-12-03T10:00:00+01:00", "samtaleformType": "1"},
    {"moedeStarttidspunkt": "2026-12-03T10:00:00+01:00", "sagsbehandlerEksterntId": ""},
    {"moedeStarttidspunkt": "2026-12-03T10:00:00+01:00", "ukendtFelt": 1},
    [],
])
def test_a_bad_body_is_1014(api: Any, demo: Any, body: Any) -> None:
    before = state(demo)
    r = api.post(f"/selvbooking/moedetilbud/{INFOMOEDE}/booking", BORGER, json=body)
    refused_unchanged(demo, r, 1014, 400, before)


@pytest.mark.parametrize("content, content_type, why", [
    (b'{"moedeStarttidspunkt": ', "application/json", "Expecting value"),  # malformed JSON
    ('{"moedeStarttidspunkt": "2026-12-04T10:00:00+01:00", "x": "\xe6"}'.encode("latin-1"),
     "application/json", "not valid UTF-8"),
    (b'{"moedeStarttidspunkt": "2026-12-04T10:00:00+01:00"}', "text/plain", "Content-type"),
    (b"moedeStarttidspunkt=2026-12-04T10:00:00%2B01:00", "application/x-www-form-urlencoded", "Content-type"),
    (b"", "application/json", "RequestBody is required"),
])
def test_a_body_that_is_not_json_is_1014(api: Any, demo: Any, content: bytes, content_type: str, why: str) -> None:
    before = state(demo)
    r = api.call("POST", f"/selvbooking/moedetilbud/{INFOMOEDE}/booking", BORGER, write=True,
                 content=content, headers={"content-type": content_type})
    refused_unchanged(demo, r, 1014, 400, before)
    assert why in r.json()["beskrivelse"]


@pytest.mark.parametrize("cpr", [None, "", "12345", "3201901234", "0113901234", "abcdefghij", "01019012345"])
def test_a_missing_or_bad_cpr_header_is_1014(api: Any, demo: Any, cpr: str | None) -> None:
    before = state(demo)
    refused_unchanged(demo, book(api, INFOMOEDE, at(3, 10), cpr=cpr), 1014, 400, before)


@pytest.mark.parametrize("request_id", [None, "", "x" * 47])
def test_a_missing_or_bad_request_id_is_1014(api: Any, demo: Any, request_id: str | None) -> None:
    headers = {"x-civilRegistrationIdentifier": BORGER}
    if request_id is not None:
        headers["x-requestId"] = request_id
    before = state(demo)
    r = api.client.post(f"/v1/selvbooking/moedetilbud/{INFOMOEDE}/booking", headers=headers,
                        json={"moedeStarttidspunkt": at(3, 10)})
    refused_unchanged(demo, r, 1014, 400, before)


def test_a_repeated_request_id_is_8302_and_changes_nothing(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    first = api.post(f"/selvbooking/moedetilbud/{INFOMOEDE}/booking", BORGER,
                     json={"moedeStarttidspunkt": at(3, 10)}, request_id=rid)
    assert first.status_code == 201
    before = state(demo)
    again = api.post(f"/selvbooking/moedetilbud/{INFOMOEDE}/booking", BORGER,
                     json={"moedeStarttidspunkt": at(10, 10)}, request_id=rid)
    refused_unchanged(demo, again, 8302, 412, before)
    assert seats(demo, INFOMOEDE, at(3, 10)) == 11 and seats(demo, INFOMOEDE, at(10, 10)) == 1


def test_a_failed_requests_id_may_be_used_again(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    fejl(api.post(f"/selvbooking/moedetilbud/{INFOMOEDE}/booking", BORGER,
                  json={"moedeStarttidspunkt": at(4, 10)}, request_id=rid), 4819, 409)
    assert api.post(f"/selvbooking/moedetilbud/{INFOMOEDE}/booking", BORGER,
                    json={"moedeStarttidspunkt": at(3, 10)}, request_id=rid).status_code == 201


def test_a_request_id_is_remembered_for_seven_days(api: Any, demo: Any, clock: Any) -> None:
    rid = str(uuid.uuid4())
    assert api.post(f"/selvbooking/moedetilbud/{INFOMOEDE}/booking", BORGER,
                    json={"moedeStarttidspunkt": at(17, 10)}, request_id=rid).status_code == 201
    clock.advance(dt.timedelta(days=6, hours=23))
    fejl(api.post("/fejlmelding", BORGER, json={"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": at(7, 9)},
                  request_id=rid), 8302, 412)
    clock.advance(dt.timedelta(hours=2))
    assert api.post("/fejlmelding", BORGER, json={"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": at(7, 9)},
                    request_id=rid).status_code == 204


# --- helpers ---------------------------------------------------------------------------------


def seats(db: Any, tilbud_id: str, start: str) -> int:
    instant = dt.datetime.fromisoformat(start).astimezone(dt.UTC).isoformat()
    return db.conn.execute("SELECT ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ? AND start = ?",
                           [tilbud_id, instant]).fetchone()[0]


# --- who the audit table says acted -------------------------------------------------------------


def test_audit_rows_name_the_operation_as_the_actor(api: Any, demo: Any) -> None:
    """Every row the register writes to the audit table names the operation that wrote it (before
    issue 13 a self-booking wrote actor 'system'); the embedded planner's own rows name it."""
    last = count(demo, "SELECT coalesce(max(id), 0) FROM audit")
    created = book(api, JOBSAMTALE, at(2, 10, 30), samtaleformType=1, sagsbehandlerEksterntId=RID[2])
    assert created.status_code == 201, created.text
    bid = created.json()["indkaldelseId"]
    moved = api.post(f"/indkaldelse/{bid}/action/ombook", BORGER,
                     json={"moedeStarttidspunkt": at(3, 10, 30), "samtaleformType": 1})
    assert moved.status_code == 200, moved.text
    assert api.delete(f"/indkaldelse/{bid}", BORGER).status_code == 204
    rows = demo.conn.execute("SELECT entity, action, actor FROM audit WHERE id > ? ORDER BY id", [last]).fetchall()
    register = [(e, action, actor) for e, action, actor in rows if not e.startswith("planner")]
    assert {actor for e, _, actor in rows if e.startswith("planner")} == {"planner"}, rows
    assert [(e, action) for e, action, actor in register if actor == "CreateSelvbooking"] == [
        ("booking", "create"), ("frist", "set_status")], rows
    assert {actor for _, _, actor in register} == {"CreateSelvbooking", "CreateOmbooking", "DeleteBooking"}, rows
