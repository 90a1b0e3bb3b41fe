"""HTTP tests of StraksbookOgTilmeld: enrol as unemployed and book in one call, all or nothing.

0909951234 (born 1995) is known, has a Jobnet CV and is not enrolled: the happy path. The enrolment
rules are tried one by one with a citizen loaded in the state that breaks them; a refusal leaves no
enrolment, no booking and no planner booking behind.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from jobnet.demo import (
    AFDOED,
    IKKE_TILMELDT,
    JOBCENTER,
    OVER_65,
    RID,
    SELVBOOKER,
    SKAL_STRAKSBOOKE,
    TILBUD_JOBSAMTALE,
    TILBUD_OPFOELGNING,
    TILBUD_STRAKS_JOBSAMTALE,
)
from jobnet.loader import load
from tests.support.api import fejl, state
from tests.support.clock import TODAY, at

LEDIG = IKKE_TILMELDT
STRAKS = TILBUD_STRAKS_JOBSAMTALE
URI = "http://data.star.dk/esco/occupation/00000000-0000-4000-8000-00000000000"


def stilling(n: int = 1, **changes: Any) -> dict[str, Any]:
    return {"escoKonceptUri": f"{URI}{n}", "harUddannelse": True, "senestAktivAar": 2025, "erfaringMaaneder": 24,
            **changes}


def request(cpr: str = LEDIG, **changes: Any) -> dict[str, Any]:
    t = {"personnummer": cpr, "klientkategori": 1, "tilmeldingsdato": at(0, 8, 15), "ledighedsgrad": 1,
         "stillingsbetegnelser": [stilling()], "moedeStarttidspunkt": at(2, 9), "moedetilbudId": STRAKS,
         "samtaleformType": 1, **changes}
    return {"tilmeldingOgBooking": {k: v for k, v in t.items() if v is not None}}


def tilmeld(api: Any, cpr: str = LEDIG, header: str | None = None, **changes: Any) -> Any:
    return api.post("/straksbooking/action/tilmeldogbook", header or cpr, json=request(cpr, **changes))


def person(cpr: str, **fields: Any) -> dict[str, Any]:
    return {"borgere": [{"cpr": cpr, "jobcenter": JOBCENTER, **fields}]}


def refused(db: Any, response: Any, code: int, status: int, before: dict[str, Any]) -> None:
    fejl(response, code, status)
    assert state(db) == before


# --- success and the second call ------------------------------------------------------------------


def test_enrol_and_book(api: Any, demo: Any) -> None:
    r = tilmeld(api)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["bookingOprettet"] is True and body["jobcenterTelefonnummer"] == "70101010"
    assert body["kvitteringstekst"] == "Tak for din booking. Husk at medbringe dit CV."
    assert body["servicekvittering"]["registreringstidspunkt"] == at(0, 9)
    detaljer = body["bookingDetaljer"]
    assert detaljer["moedeStarttidspunkt"] == at(2, 9) and detaljer["samtaleType"] == 7
    assert (detaljer["ombookingMulig"], detaljer["aflysningMulig"]) == (False, False)
    bid = detaljer["indkaldelseId"]
    assert demo.conn.execute("SELECT cpr, straksbooking, state FROM bookinger WHERE indkaldelse_id = ?",
                             [bid]).fetchone() == (LEDIG, 1, "active")
    assert demo.conn.execute("SELECT startdato, slutdato, klientkategori, ledighedsgrad FROM tilmeldinger "
                             "WHERE cpr = ?", [LEDIG]).fetchall() == [(TODAY.isoformat(), None, 1, 1)]
    assert demo.conn.execute("SELECT kontaktgruppe, klientkategori FROM borgere WHERE cpr = ?",
                             [LEDIG]).fetchone() == (1, 1)
    assert demo.conn.execute("SELECT count(*) FROM planner_bookinger WHERE indkaldelse_id = ? AND state = 'active'",
                             [bid]).fetchone() == (1,)


def test_a_second_enrolment_is_4316_and_books_nothing(api: Any, demo: Any) -> None:
    assert tilmeld(api).status_code == 201
    before = state(demo)
    refused(demo, tilmeld(api, moedeStarttidspunkt=at(3, 9)), 4316, 409, before)
    assert demo.conn.execute("SELECT count(*) FROM planner_bookinger").fetchone() == (3,)  # 2 demo + 1


def test_an_already_enrolled_citizen_is_4316(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, SELVBOOKER), 4316, 409, before)


def test_enrolment_after_an_ended_period_is_allowed(api: Any, demo: Any) -> None:
    load(demo, {"tilmeldinger": [{"cpr": LEDIG, "startdato": "2026-01-05", "slutdato": "2026-11-20",
                                  "klientkategori": 1, "ledighedsgrad": 1}]})
    assert tilmeld(api).status_code == 201


def test_an_enrolment_date_within_an_ended_period_is_4316(api: Any, demo: Any) -> None:
    load(demo, {"tilmeldinger": [{"cpr": LEDIG, "startdato": "2026-01-05", "slutdato": "2026-11-25",
                                  "klientkategori": 1, "ledighedsgrad": 1}]})
    before = state(demo)
    refused(demo, tilmeld(api, tilmeldingsdato=at(-7, 9)), 4316, 409, before)


@pytest.mark.parametrize("kategori, grad, stillinger, gruppe", [(3, 2, None, 12), (2, 1, [], 2)])
def test_other_categories_give_their_contact_group(api: Any, demo: Any, kategori: int, grad: int,
                                                   stillinger: Any, gruppe: int) -> None:
    r = tilmeld(api, klientkategori=kategori, ledighedsgrad=grad, stillingsbetegnelser=stillinger)
    assert r.status_code == 201, r.text
    assert demo.conn.execute("SELECT kontaktgruppe FROM borgere WHERE cpr = ?", [LEDIG]).fetchone() == (gruppe,)


# --- the person -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cpr", ["2902011234", "0000000000"])  # 29 Feb 1901 (no leap year); day 0
def test_a_cpr_that_is_no_date_is_1001(api: Any, demo: Any, cpr: str) -> None:
    load(demo, person(cpr))
    before = state(demo)
    refused(demo, tilmeld(api, cpr), 1001, 422, before)


def test_an_unknown_cpr_is_1010(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, "0102031234"), 1010, 404, before)


@pytest.mark.parametrize("fields, code", [
    ({"levende": False}, 4405), ({"har_jobnet_cv": False}, 4786), ({"profil_komplet": False}, 9344),
    ({"udlandet": True}, 4720), ({"midlertidig_udenlandsk_adresse": True}, 4725),
    ({"fravaer": "conflicts_with_contact_group"}, 4645), ({"fravaer": "blocks_enrollment"}, 4750),
])
def test_the_persons_situation(api: Any, demo: Any, fields: dict[str, Any], code: int) -> None:
    load(demo, person("1503921234", **fields))
    before = state(demo)
    refused(demo, tilmeld(api, "1503921234"), code, 422, before)


def test_a_deceased_demo_citizen_is_4405(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, AFDOED), 4405, 422, before)


def test_65_or_older_only_without_benefits_4763(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, OVER_65), 4763, 422, before)  # born 1955


def test_a_contact_group_the_age_does_not_fit_is_6033(api: Any, demo: Any) -> None:
    load(demo, person("0101054234"))  # born 2005: 21; category 2 gives contact group 2 (from 30)
    before = state(demo)
    refused(demo, tilmeld(api, "0101054234", klientkategori=2, stillingsbetegnelser=None), 6033, 422, before)


# --- the enrolment -------------------------------------------------------------------------------


@pytest.mark.parametrize("changes, code", [
    ({"klientkategori": 99}, 4313),
    ({"ledighedsgrad": 7}, 4314),
    ({"klientkategori": 4}, 4641),
    ({"klientkategori": 2, "ledighedsgrad": 2}, 6014),
    ({"stillingsbetegnelser": None}, 7062),
    ({"stillingsbetegnelser": []}, 7062),
    ({"stillingsbetegnelser": [stilling(erfaringMaaneder=-1)]}, 4698),
    ({"stillingsbetegnelser": [stilling(senestAktivAar=-2020)]}, 4698),
    ({"stillingsbetegnelser": [stilling(senestAktivAar=1899)]}, 4710),
    ({"stillingsbetegnelser": [stilling(senestAktivAar=2027)]}, 4710),
    ({"stillingsbetegnelser": [stilling(escoKonceptUri="http://data.star.dk/esco/occupation/ukendt")]}, 8281),
    ({"stillingsbetegnelser": [stilling(2), stilling(3), stilling(2)]}, 4318),
    ({"tilmeldingsdato": at(-11, 9)}, 4338),
    ({"tilmeldingsdato": at(1, 9)}, 4338),
])
def test_the_enrolment_rules(api: Any, demo: Any, changes: dict[str, Any], code: int) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, **changes), code, 422, before)


def test_an_enrolment_date_ten_days_back_is_allowed(api: Any, demo: Any) -> None:
    assert tilmeld(api, tilmeldingsdato=at(-10, 9)).status_code == 201


# --- the booking: refused after or before the planner, the enrolment is never kept ----------------


@pytest.mark.parametrize("changes, code, status", [
    ({"moedetilbudId": str(uuid.uuid4())}, 8108, 404),
    ({"moedetilbudId": TILBUD_OPFOELGNING, "moedeStarttidspunkt": at(91, 10)}, 8109, 422),
    ({"moedeStarttidspunkt": at(2, 9, 5)}, 4819, 409),
    ({"moedeStarttidspunkt": at(-1, 9)}, 4783, 422),
    ({"sagsbehandlerEksterntId": "CVR:0-RID:0"}, 4822, 422),
    ({"sagsbehandlerEksterntId": RID[4]}, 9003, 422),
    ({"samtaleformType": 8}, 4708, 422),
])
def test_booking_refusals(api: Any, demo: Any, changes: dict[str, Any], code: int, status: int) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, **changes), code, status, before)


def test_a_future_jobsamtale_is_8273_and_the_enrolment_is_rolled_back(api: Any, demo: Any) -> None:
    load(demo, {"bookinger": [{"indkaldelse_id": str(uuid.uuid4()), "cpr": LEDIG, "moedetilbud_id": TILBUD_JOBSAMTALE,
                               "moede_start": at(8, 10, 30), "sagsbehandler": RID[2]}]})
    before = state(demo)
    refused(demo, tilmeld(api), 8273, 409, before)
    assert demo.conn.execute("SELECT count(*) FROM tilmeldinger WHERE cpr = ?", [LEDIG]).fetchone() == (0,)


def test_past_a_deadlines_last_day_is_8288(api: Any, demo: Any) -> None:
    load(demo, {"frister": [{"cpr": LEDIG, "samtaletype": 7, "fristdato": TODAY.isoformat(),
                             "sidste_afholdelsesdato": (TODAY + dt.timedelta(days=1)).isoformat()}]})
    before = state(demo)
    refused(demo, tilmeld(api), 8288, 422, before)


def test_a_time_taken_by_others_is_4819(api: Any, demo: Any) -> None:
    load(demo, person("1503921234", kontaktgruppe=1))
    for cpr in (SKAL_STRAKSBOOKE, "1503921234"):  # 09:00 of both the offer's caseworkers
        assert api.post(f"/straksbooking/moedetilbud/{STRAKS}/booking", cpr,
                        json={"moedeStarttidspunkt": at(2, 9), "samtaleformType": 1}).status_code == 201
    before = state(demo)
    refused(demo, tilmeld(api), 4819, 409, before)


def test_a_citizen_without_a_job_centre_is_9018(api: Any, demo: Any) -> None:
    before = state(demo)
    r = tilmeld(api, OVER_65, klientkategori=3, stillingsbetegnelser=None)  # 'uden ydelse': allowed at 71
    refused(demo, r, 9018, 503, before)


def test_a_citizen_of_a_centre_without_a_planner_is_9018(api: Any, demo: Any) -> None:
    load(demo, {"borgere": [{"cpr": "1503921234", "jobcenter": "20202"}]})
    before = state(demo)
    refused(demo, tilmeld(api, "1503921234"), 9018, 503, before)


# --- request validation and idempotency --------------------------------------------------------


def test_a_personnummer_other_than_the_header_is_1014(api: Any, demo: Any) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, LEDIG, header=SELVBOOKER), 1014, 400, before)


@pytest.mark.parametrize("changes", [
    {"klientkategori": None},  # required
    {"personnummer": "3202901234"},
    {"moedetilbudId": "ikke-en-guid"},
    {"tilmeldingsdato": "2026-12-01"},
    {"ledighedsgrad": -1},
    {"emailadresse": "a@b.dk"},
    {"stillingsbetegnelser": [{**stilling(), "niveau": 3}]},
    {"stillingsbetegnelser": [{"escoKonceptUri": URI + "1", "harUddannelse": True}]},
    {"stillingsbetegnelser": [stilling()] * 201},
])
def test_a_bad_body_is_1014(api: Any, demo: Any, changes: dict[str, Any]) -> None:
    before = state(demo)
    refused(demo, tilmeld(api, **changes), 1014, 400, before)


def test_a_body_without_the_wrapper_is_1014(api: Any, demo: Any) -> None:
    before = state(demo)
    r = api.post("/straksbooking/action/tilmeldogbook", LEDIG, json=request()["tilmeldingOgBooking"])
    refused(demo, r, 1014, 400, before)


def test_a_repeated_request_id_is_8302(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    assert api.post("/straksbooking/action/tilmeldogbook", LEDIG, json=request(), request_id=rid).status_code == 201
    before = state(demo)
    refused(demo, api.post("/straksbooking/action/tilmeldogbook", LEDIG, request_id=rid,
                           json=request(moedeStarttidspunkt=at(3, 9))), 8302, 412, before)
