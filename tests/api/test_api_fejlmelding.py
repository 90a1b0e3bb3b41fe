"""HTTP tests of CreateFejlmelding: Jobnet (32) or DFDG (30) reports an error about an offer or a
booking. A report is kept in DFDG (fejlmeldinger) and passed on to the citizen's planner."""
from __future__ import annotations

import uuid
from typing import Any

import pytest

from jobnet.demo import (
    BOOKING_INDKALDT,
    BOOKING_STRAKS,
    INDKALDT,
    SELVBOOKER,
    SKAL_STRAKSBOOKE,
    STRAKSBOOKET,
    TILBUD_INFOMOEDE,
    TILBUD_JOBSAMTALE,
    TILBUD_NYBY_JOBSAMTALE,
    TILBUD_STRAKS_JOBSAMTALE,
    UDEN_PLANNER,
)
from tests.support.api import fejl

TIDSPUNKT = "2026-12-01T08:12:31+01:00"



def meld(api: Any, cpr: str = INDKALDT, request_id: str | None = None, **fields: Any) -> Any:
    body = {"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": TIDSPUNKT, **fields}
    return api.post("/fejlmelding", cpr, json={k: v for k, v in body.items() if v is not None},
                    request_id=request_id)


def reports(db: Any, table: str = "fejlmeldinger") -> list[tuple[Any, ...]]:
    return db.conn.execute(f"SELECT fejlkode, fejl_ophav, fejl_tidspunkt, moedetilbud_id, indkaldelse_id, "
                           f"fejltekst, cpr FROM {table} ORDER BY modtaget, id").fetchall()


def refused(db: Any, response: Any, code: int, status: int) -> None:
    fejl(response, code, status)
    assert reports(db) == [] and reports(db, "planner_fejlmeldinger") == []


# --- accepted reports --------------------------------------------------------------------------


def test_a_report_about_a_booking_is_kept_and_passed_on(api: Any, demo: Any) -> None:
    r = meld(api, indkaldelseId=BOOKING_INDKALDT, fejltekst="Mødet blev vist to gange.")
    assert r.status_code == 204 and r.content == b""
    expected = (4, 32, "2026-12-01T07:12:31+00:00", None, BOOKING_INDKALDT, "Mødet blev vist to gange.", INDKALDT)
    assert reports(demo) == [expected]
    assert reports(demo, "planner_fejlmeldinger") == [expected]


def test_a_report_about_a_self_booking_offer(api: Any, demo: Any) -> None:
    assert meld(api, moedetilbudId=TILBUD_INFOMOEDE, fejlkode=3, fejlOphav=30).status_code == 204
    assert [row[:4] for row in reports(demo)] == [(3, 30, "2026-12-01T07:12:31+00:00", TILBUD_INFOMOEDE)]


def test_a_report_about_the_offer_of_an_own_booking(api: Any, demo: Any) -> None:
    r = meld(api, STRAKSBOOKET, moedetilbudId=TILBUD_STRAKS_JOBSAMTALE, indkaldelseId=BOOKING_STRAKS, fejlkode=99)
    assert r.status_code == 204
    assert len(reports(demo)) == 1


def test_a_report_about_an_offer_shown_for_immediate_booking(api: Any, demo: Any) -> None:
    shown = api.get("/straksbooking/moedetider", SKAL_STRAKSBOOKE).json()["moedetidSamling"]
    assert TILBUD_STRAKS_JOBSAMTALE in {t["moedetilbudId"] for t in shown}
    r = meld(api, SKAL_STRAKSBOOKE, moedetilbudId=TILBUD_STRAKS_JOBSAMTALE, fejlkode=3)
    assert r.status_code == 204, r.text
    assert [row[3] for row in reports(demo)] == [TILBUD_STRAKS_JOBSAMTALE]


def test_a_report_without_ids_from_a_citizen_without_a_planner_is_kept_here(api: Any, demo: Any) -> None:
    assert meld(api, UDEN_PLANNER, fejltekst="Siden svarede ikke").status_code == 204
    assert len(reports(demo)) == 1 and reports(demo, "planner_fejlmeldinger") == []


def test_the_same_report_twice_with_new_request_ids_is_kept_twice(api: Any, demo: Any) -> None:
    assert meld(api).status_code == 204 and meld(api).status_code == 204
    assert len(reports(demo)) == 2


# --- refused reports: nothing kept, nothing passed on -------------------------------------------


def test_an_unknown_citizen_is_8111(api: Any, demo: Any) -> None:
    refused(demo, meld(api, "0102031234"), 8111, 404)


@pytest.mark.parametrize("ophav", [0, 31, 33, 2147483647])
def test_an_origin_other_than_dfdg_or_jobnet_is_8300(api: Any, demo: Any, ophav: int) -> None:
    refused(demo, meld(api, fejlOphav=ophav), 8300, 422)


@pytest.mark.parametrize("kode", [0, 5, 98, 4819])
def test_an_unknown_error_type_is_8301(api: Any, demo: Any, kode: int) -> None:
    refused(demo, meld(api, fejlkode=kode), 8301, 422)


def test_an_unknown_offer_is_8108(api: Any, demo: Any) -> None:
    refused(demo, meld(api, moedetilbudId=str(uuid.uuid4())), 8108, 404)


def test_an_offer_unknown_to_a_citizen_without_a_planner_is_8108(api: Any, demo: Any) -> None:
    refused(demo, meld(api, UDEN_PLANNER, moedetilbudId=TILBUD_JOBSAMTALE), 8108, 404)


def test_another_job_centres_offer_is_8108_and_nothing_is_written(api: Any, demo: Any) -> None:
    """Issue 9 #10: 0202852345 is of job centre 10101; TILBUD_NYBY_JOBSAMTALE is 40404's."""
    refused(demo, meld(api, moedetilbudId=TILBUD_NYBY_JOBSAMTALE), 8108, 404)


def test_an_unknown_booking_is_4768(api: Any, demo: Any) -> None:
    refused(demo, meld(api, indkaldelseId=str(uuid.uuid4())), 4768, 404)


def test_another_citizens_booking_is_8107(api: Any, demo: Any) -> None:
    refused(demo, meld(api, SELVBOOKER, indkaldelseId=BOOKING_INDKALDT), 8107, 403)


def test_a_repeated_request_id_is_8302(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    assert meld(api, request_id=rid).status_code == 204
    kept = reports(demo)
    fejl(meld(api, request_id=rid, fejlkode=99, fejltekst="igen"), 8302, 412)
    assert reports(demo) == kept


def test_a_failed_reports_request_id_may_be_used_again(api: Any, demo: Any) -> None:
    rid = str(uuid.uuid4())
    fejl(meld(api, request_id=rid, fejlOphav=31), 8300, 422)
    assert meld(api, request_id=rid).status_code == 204


@pytest.mark.parametrize("fields", [
    {"fejlkode": None}, {"fejlOphav": None}, {"fejlTidspunkt": None},
    {"fejlTidspunkt": "2026-12-01 08:12"}, {"fejlkode": -4}, {"fejlkode": 4.5}, {"fejlOphav": "32"},
    {"fejltekst": "x" * 501}, {"moedetilbudId": "123"}, {"indkaldelseId": ""}, {"borger": INDKALDT},
])
def test_a_bad_body_is_1014(api: Any, demo: Any, fields: dict[str, Any]) -> None:
    refused(demo, meld(api, **fields), 1014, 400)


def test_fejltekst_of_500_characters_is_allowed(api: Any, demo: Any) -> None:
    assert meld(api, fejltekst="æ" * 500).status_code == 204
