"""HTTP tests of immediate booking: GetStraksbookingMoedetider and CreateStraksbooking.

0303803456 must book immediately: a straks deadline for a Jobsamtale, held by today + 14. The
demo's immediate-booking offer TILBUD_STRAKS_JOBSAMTALE (45 min, caseworkers 1 and 4, forms 1
and 2) is only offered for immediate booking; the self-booking Jobsamtale offer counts too.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from jobnet.demo import (
    AFDOED,
    BOOKING_INDKALDT,
    IKKE_TILMELDT,
    INDKALDT,
    RID,
    SELVBOOKER,
    SKAL_STRAKSBOOKE,
    TILBUD_JOBSAMTALE,
    TILBUD_OPFOELGNING,
    TILBUD_STRAKS_JOBSAMTALE,
    UDEN_PLANNER,
)
from jobnet.loader import load
from tests.support.api import fejl, state
from tests.support.clock import TODAY, at

STRAKS_BORGER = SKAL_STRAKSBOOKE
STRAKS = TILBUD_STRAKS_JOBSAMTALE


def tider(api: Any, cpr: str = STRAKS_BORGER, **params: Any) -> Any:
    return api.get("/straksbooking/moedetider", cpr, params=params)


def straksbook(api: Any, tilbud: str, start: str, cpr: str = STRAKS_BORGER, **fields: Any) -> Any:
    return api.post(f"/straksbooking/moedetilbud/{tilbud}/booking", cpr,
                    json={"moedeStarttidspunkt": start, **fields})


def refused(db: Any, response: Any, code: int, status: int, before: dict[str, Any]) -> None:
    fejl(response, code, status)
    assert state(db) == before


# --- GetStraksbookingMoedetider -----------------------------------------------------------------


def test_immediate_times_meet_the_deadline_that_caused_them(api: Any, demo: Any) -> None:
    r = tider(api)
    assert r.status_code == 200, r.text
    times = r.json()["moedetidSamling"]
    assert {t["moedetilbudId"] for t in times} == {STRAKS, TILBUD_JOBSAMTALE}
    assert {t["samtaleType"] for t in times} == {7}
    starts = [t["starttidspunkt"] for t in times]
    assert starts == sorted(starts) and starts[0] == at(0, 9, 45) and starts[-1] == at(14, 14, 15)
    assert all(t["ombookingMulig"] is False and t["aflysningMulig"] is False for t in times)


def test_an_interval_narrows_the_times(api: Any, demo: Any) -> None:
    times = tider(api, startMoedetidsinterval=at(2, 0), slutMoedetidsinterval=at(3, 0)).json()["moedetidSamling"]
    assert {t["starttidspunkt"][:10] for t in times} == {"2026-12-03"}


def test_the_interval_is_cut_at_the_deadlines_last_day(api: Any, demo: Any) -> None:
    times = tider(api, startMoedetidsinterval=at(14, 0), slutMoedetidsinterval=at(30, 0)).json()["moedetidSamling"]
    assert {t["starttidspunkt"][:10] for t in times} == {"2026-12-15"}


def test_a_contact_form_narrows_the_offers(api: Any, demo: Any) -> None:
    times = tider(api, samtaleformType=8).json()["moedetidSamling"]
    assert {t["moedetilbudId"] for t in times} == {TILBUD_JOBSAMTALE}  # only it has digital meetings


def test_a_chosen_caseworker_gives_only_times_that_can_be_booked_with_them(api: Any, demo: Any) -> None:
    body = tider(api, sagsbehandlerEksterntId=RID[1]).json()
    assert [[s["sagsbehandlerEksterntId"] for s in b["sagsbehandlere"]]
            for b in body["bookbarSagsbehandlerSamling"]] == [[RID[1]]]
    assert {tuple(t["sagsbehandlerNummerSamling"]) for t in body["moedetidSamling"]} == {(1,)}
    first = body["moedetidSamling"][0]
    r = straksbook(api, first["moedetilbudId"], first["starttidspunkt"], samtaleformType=1,
                   sagsbehandlerEksterntId=RID[1])
    assert r.status_code == 201, r.text


def test_a_citizen_about_to_enrol_sees_a_first_jobsamtale(api: Any, demo: Any) -> None:
    times = tider(api, IKKE_TILMELDT).json()["moedetidSamling"]
    assert {t["samtaleType"] for t in times} == {7} and times[-1]["starttidspunkt"] == at(14, 14, 15)


def test_an_enrolled_citizen_without_a_straks_deadline_is_4770(api: Any, demo: Any) -> None:
    fejl(tider(api, SELVBOOKER), 4770, 422)


def test_no_times_left_is_4770(api: Any, demo: Any) -> None:
    fejl(tider(api, startMoedetidsinterval=at(4, 0), slutMoedetidsinterval=at(6, 0)), 4770, 422)  # weekend


@pytest.mark.parametrize("params", [{"slutMoedetidsinterval": at(-1, 0)}, {"startMoedetidsinterval": at(400, 0)}])
def test_one_bound_that_leaves_no_window_is_4770(api: Any, demo: Any, params: dict[str, str]) -> None:
    """With one bound the other is now or the date limit; a window that is empty has no times (not 1014)."""
    fejl(tider(api, **params), 4770, 422)


def test_only_an_end_searches_from_now(api: Any, demo: Any) -> None:
    r = tider(api, slutMoedetidsinterval=at(3, 0))
    assert r.status_code == 200, r.text
    starts = [dt.datetime.fromisoformat(t["starttidspunkt"]) for t in r.json()["moedetidSamling"]]
    assert starts and all(s < dt.datetime.fromisoformat(at(3, 0)) for s in starts)


@pytest.mark.parametrize("params", [
    {"startMoedetidsinterval": at(0, 0), "slutMoedetidsinterval": at(94, 0)},
    {"startMoedetidsinterval": at(3, 0), "slutMoedetidsinterval": at(2, 0)},
    {"startMoedetidsinterval": "2026-12-02"},
    {"antal": "5"},
])
def test_bad_query_parameters_are_1014(api: Any, demo: Any, params: dict[str, str]) -> None:
    fejl(tider(api, **params), 1014, 400)


def test_immediate_times_for_an_unknown_citizen_is_8111(api: Any, demo: Any) -> None:
    fejl(tider(api, "0102031234"), 8111, 404)


def test_immediate_times_without_a_planner_is_9018(api: Any, demo: Any) -> None:
    load(demo, {"frister": [{"cpr": UDEN_PLANNER, "samtaletype": 7, "fristdato": TODAY.isoformat(),
                             "sidste_afholdelsesdato": (TODAY + dt.timedelta(days=14)).isoformat(),
                             "straks": True}]})
    fejl(tider(api, UDEN_PLANNER), 9018, 503)


# --- the immediate-booking flow ----------------------------------------------------------------


def test_straks_flow_book_then_no_rebooking_or_cancelling(api: Any, demo: Any) -> None:
    first = next(t for t in tider(api).json()["moedetidSamling"] if t["moedetilbudId"] == STRAKS)
    r = straksbook(api, STRAKS, first["starttidspunkt"], samtaleformType=first["samtaleformSamling"][0])
    assert r.status_code == 201, r.text
    bid = r.json()["indkaldelseId"]
    detaljer = r.json()["bookingDetaljer"]
    assert (detaljer["ombookingMulig"], detaljer["aflysningMulig"]) == (False, False)
    assert "ombookingsfrist" not in detaljer and "aflysningsfrist" not in detaljer
    assert demo.conn.execute("SELECT straksbooking, state FROM bookinger WHERE indkaldelse_id = ?",
                             [bid]).fetchone() == (1, "active")
    status = api.get("/borgerstatus", STRAKS_BORGER).json()
    assert status["straksbookingPaakraevet"] is False and status["frister"][0]["friststatusType"] == 2

    before = state(demo)
    refused(demo, api.post(f"/indkaldelse/{bid}/action/ombook", STRAKS_BORGER,
                           json={"moedeStarttidspunkt": at(3, 10, 30), "samtaleformType": 1}), 9130, 422, before)
    refused(demo, api.delete(f"/indkaldelse/{bid}", STRAKS_BORGER), 9130, 422, before)
    fejl(api.get(f"/indkaldelse/{bid}/ombooking/moedetider", STRAKS_BORGER,
                 params={"startMoedetidsinterval": at(1, 0), "slutMoedetidsinterval": at(5, 0)}), 9130, 422)


def test_an_immediate_booking_of_a_self_booking_offer_is_still_immediate(api: Any, demo: Any) -> None:
    r = straksbook(api, TILBUD_JOBSAMTALE, at(2, 10, 30), samtaleformType=1)
    assert r.status_code == 201, r.text
    detaljer = r.json()["bookingDetaljer"]
    assert (detaljer["ombookingMulig"], detaljer["aflysningMulig"]) == (False, False)
    fejl(api.delete(f"/indkaldelse/{r.json()['indkaldelseId']}", STRAKS_BORGER), 9130, 422)


# --- CreateStraksbooking: refusals that change nothing --------------------------------------------


def test_an_unknown_offer_is_8108(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, str(uuid.uuid4()), at(2, 9), samtaleformType=1), 8108, 404, before)


def test_outside_the_offers_period_is_8109(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, TILBUD_OPFOELGNING, at(91, 10), samtaleformType=1), 8109, 422, before)


def test_a_time_not_offered_is_4819(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9, 10), samtaleformType=1), 4819, 409, before)


def test_a_time_before_today_is_4783(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(-1, 9), samtaleformType=1), 4783, 422, before)


def test_several_forms_and_none_chosen_is_4708(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9)), 4708, 422, before)


def test_an_unknown_caseworker_is_4822(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9), samtaleformType=1, sagsbehandlerEksterntId="CVR:1-RID:2"),
            4822, 422, before)


def test_a_caseworker_that_may_not_be_chosen_is_9003(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9), samtaleformType=1, sagsbehandlerEksterntId=RID[1]),
            9003, 422, before)


def test_past_the_straks_deadlines_last_day_is_8288(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(15, 9), samtaleformType=1), 8288, 422, before)


def test_a_second_future_jobsamtale_is_8273(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9), cpr=INDKALDT, samtaleformType=1), 8273, 409, before)
    assert demo.conn.execute("SELECT state FROM bookinger WHERE indkaldelse_id = ?",
                             [BOOKING_INDKALDT]).fetchone() == ("active",)


def test_a_second_future_opfoelgningssamtale_is_9220(api: Any, demo: Any) -> None:
    assert straksbook(api, TILBUD_OPFOELGNING, at(2, 10), samtaleformType=1).status_code == 201
    before = state(demo)
    refused(demo, straksbook(api, TILBUD_OPFOELGNING, at(3, 10), samtaleformType=1), 9220, 409, before)


def test_a_deceased_citizen_is_4405(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9), cpr=AFDOED, samtaleformType=1), 4405, 422, before)


def test_an_unknown_citizen_is_8111(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9), cpr="0102031234", samtaleformType=1), 8111, 404, before)


def test_without_a_planner_is_9018(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, straksbook(api, STRAKS, at(2, 9), cpr=UDEN_PLANNER, samtaleformType=1), 9018, 503, before)


def test_a_rehab_interview_outside_a_rehab_contact_group_is_9121(api: Any, demo: Any) -> None:
    rehab = str(uuid.uuid4())
    load(demo, {"moedetilbud": [{"moedetilbud_id": rehab, "jobcenter": "10101", "samtaletype": 21, "straks": True,
                                 "samtaleformer": [2], "varighed_minutter": 30, "moedetitel": "Rehabilitering",
                                 "telefonnummer": "70101010", "sagsbehandlere": [RID[4]]}]})
    before = state(demo)
    fejl(straksbook(api, rehab, at(2, 10)), 9121, 422)
    assert state(demo) == before


def test_an_unknown_interview_type_from_the_planner_is_4709(api: Any, demo: Any) -> None:
    odd = str(uuid.uuid4())
    load(demo, {"moedetilbud": [{"moedetilbud_id": odd, "jobcenter": "10101", "samtaletype": 4242, "straks": True,
                                 "samtaleformer": [2], "varighed_minutter": 30, "moedetitel": "Ukendt type",
                                 "telefonnummer": "70101010", "sagsbehandlere": [RID[4]]}]})
    before = state(demo)
    fejl(straksbook(api, odd, at(2, 10)), 4709, 502)
    assert state(demo) == before
    assert demo.conn.execute("SELECT fejlkode, fejl_ophav, moedetilbud_id FROM fejlmeldinger").fetchall() == [
        (2, 30, odd)]


def test_a_repeated_request_id_is_8302(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    assert api.post(f"/straksbooking/moedetilbud/{STRAKS}/booking", STRAKS_BORGER, request_id=rid,
                    json={"moedeStarttidspunkt": at(2, 9), "samtaleformType": 1}).status_code == 201
    before = state(demo)
    refused(demo, api.post(f"/straksbooking/moedetilbud/{STRAKS}/booking", STRAKS_BORGER, request_id=rid,
                           json={"moedeStarttidspunkt": at(2, 9, 45), "samtaleformType": 1}), 8302, 412, before)


@pytest.mark.parametrize("body", [{}, {"moedeStarttidspunkt": at(2, 9), "samtaleformType": None},
                                  {"moedeStarttidspunkt": at(2, 9), "moedetilbudId": STRAKS}])
def test_a_bad_body_is_1014(api: Any, demo: Any, body: dict[str, Any]) -> None:
    before = state(demo)
    refused(demo, api.post(f"/straksbooking/moedetilbud/{STRAKS}/booking", STRAKS_BORGER, json=body),
            1014, 400, before)
