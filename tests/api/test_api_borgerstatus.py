"""HTTP tests of GetBorgerstatus and GetBookings, and the self-booking flow seen through the status:
book -> the deadline is fulfilled -> rebook -> cancel -> the deadline is open again."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from jobnet.demo import (
    AFDOED,
    BOOKING_INDKALDT,
    INDKALDT,
    RID,
    SELVBOOKER,
    SKAL_STRAKSBOOKE,
    TILBUD_JOBSAMTALE,
    TILBUD_OPFOELGNING,
)
from jobnet.loader import load
from tests.support.api import fejl
from tests.support.clock import TODAY, at

BORGER = SELVBOOKER  # open Jobsamtale deadline: book by today + 7, hold by today + 21
AKTIV, INDFRIET, OVERSKREDET = 1, 2, 3


def day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def status(api: Any, cpr: str = BORGER) -> dict[str, Any]:
    r = api.get("/borgerstatus", cpr)
    assert r.status_code == 200, r.text
    return r.json()


def booking_ids(api: Any, cpr: str) -> list[str]:
    r = api.get("/bookinger", cpr)
    assert r.status_code == 200, r.text
    return [b["indkaldelseId"] for b in r.json().get("bookingDetaljerSamling", [])]


# --- GetBorgerstatus ----------------------------------------------------------------------------


def test_status_of_a_citizen_with_an_open_deadline(api: Any, demo: Any) -> None:
    assert status(api) == {
        "kanSelvbooke": True, "straksbookingPaakraevet": False,
        "frister": [{"friststatusType": AKTIV, "samtaleType": 7, "fristdato": day(7),
                     "sidsteAfholdelsesdato": day(21)}]}


def test_status_of_a_citizen_who_must_book_immediately(api: Any, demo: Any) -> None:
    body = status(api, SKAL_STRAKSBOOKE)
    assert body["straksbookingPaakraevet"] is True
    assert body["frister"] == [{"friststatusType": AKTIV, "samtaleType": 7, "fristdato": day(0),
                                "sidsteAfholdelsesdato": day(14)}]


def test_status_of_a_citizen_without_deadlines_has_no_frister(api: Any, demo: Any) -> None:
    assert status(api, INDKALDT) == {"kanSelvbooke": True, "straksbookingPaakraevet": False}


def test_a_deceased_citizen_cannot_self_book(api: Any, demo: Any) -> None:
    assert status(api, AFDOED)["kanSelvbooke"] is False


def test_a_citizen_barred_from_self_booking(api: Any, demo: Any) -> None:
    load(demo, {"borgere": [{"cpr": "1212901234", "jobcenter": "10101", "kan_selvbooke": False}]})
    assert status(api, "1212901234") == {"kanSelvbooke": False, "straksbookingPaakraevet": False}


def test_a_deadline_past_its_date_is_shown_as_overskredet(api: Any, demo: Any, clock: Any) -> None:
    clock.advance(dt.timedelta(days=8))
    [frist] = status(api)["frister"]
    assert frist["friststatusType"] == OVERSKREDET


def test_a_cancelled_deadline_is_not_shown_and_a_fulfilled_one_is(api: Any, demo: Any) -> None:
    load(demo, {"borgere": [{"cpr": "1212901234", "jobcenter": "10101", "kontaktgruppe": 1}],
                "frister": [{"cpr": "1212901234", "samtaletype": 4, "fristdato": day(3),
                             "sidste_afholdelsesdato": day(10), "status": 4},
                            {"cpr": "1212901234", "samtaletype": 7, "fristdato": day(3),
                             "sidste_afholdelsesdato": day(10), "status": INDFRIET}]})
    assert [f["friststatusType"] for f in status(api, "1212901234")["frister"]] == [INDFRIET]


def test_the_pattern_only_cpr_0000000000_is_an_unknown_citizen(api: Any, demo: Any) -> None:
    fejl(api.get("/borgerstatus", "0000000000"), 1010, 404)


def test_an_unknown_citizen_is_1010(api: Any, demo: Any) -> None:
    fejl(api.get("/borgerstatus", "0102031234"), 1010, 404)


@pytest.mark.parametrize("cpr", [None, "", "010190123", "01019012345", "0101-90123", "3201901234",
                                 "3004901234x", "2902901234 "])
def test_a_missing_or_malformed_cpr_header_is_1014(api: Any, demo: Any, cpr: str | None) -> None:
    fejl(api.get("/borgerstatus", cpr), 1014, 400)


def test_an_unknown_query_parameter_is_1014(api: Any, demo: Any) -> None:
    fejl(api.get("/borgerstatus", BORGER, params={"visAlle": "true"}), 1014, 400)


# --- GetBookings --------------------------------------------------------------------------------


def test_bookings_from_today_on_in_time_order(api: Any, demo: Any) -> None:
    earlier_today, yesterday, later = (str(uuid.uuid4()) for _ in range(3))
    load(demo, {"bookinger": [
        {"indkaldelse_id": later, "cpr": BORGER, "moedetilbud_id": TILBUD_OPFOELGNING, "moede_start": at(3, 10),
         "sagsbehandler": RID[2]},
        {"indkaldelse_id": earlier_today, "cpr": BORGER, "moedetilbud_id": TILBUD_JOBSAMTALE,
         "moede_start": at(0, 8), "sagsbehandler": RID[3]},
        {"indkaldelse_id": yesterday, "cpr": BORGER, "moedetilbud_id": TILBUD_JOBSAMTALE,
         "moede_start": at(-1, 10), "sagsbehandler": RID[3]},
    ]})
    assert booking_ids(api, BORGER) == [earlier_today, later]


def test_cancelled_bookings_are_not_listed(api: Any, demo: Any) -> None:
    bid = str(uuid.uuid4())
    load(demo, {"bookinger": [{"indkaldelse_id": bid, "cpr": BORGER, "moedetilbud_id": TILBUD_OPFOELGNING,
                               "moede_start": at(3, 10), "sagsbehandler": RID[2], "state": "cancelled"}]})
    assert booking_ids(api, BORGER) == []


def test_the_summons_is_listed_with_its_details(api: Any, demo: Any) -> None:
    [b] = api.get("/bookinger", INDKALDT).json()["bookingDetaljerSamling"]
    assert b["indkaldelseId"] == BOOKING_INDKALDT and b["moedeStarttidspunkt"] == at(10, 10, 30)
    assert (b["borgerSkalAcceptere"], b["accepteret"], b["selvbooket"]) == (True, False, False)
    assert (b["ombookingMulig"], b["aflysningMulig"]) == (True, False) and "aflysningsfrist" not in b


def test_no_bookings_is_an_empty_answer(api: Any, demo: Any) -> None:
    r = api.get("/bookinger", BORGER)
    assert r.status_code == 200 and r.json() == {}


def test_bookings_of_an_unknown_citizen_is_8111(api: Any, demo: Any) -> None:
    fejl(api.get("/bookinger", "0102031234"), 8111, 404)


def test_bookings_without_the_cpr_header_is_1014(api: Any, demo: Any) -> None:
    fejl(api.get("/bookinger", None), 1014, 400)


# --- the self-booking flow ----------------------------------------------------------------------


def test_book_rebook_cancel_and_the_deadline_follows(api: Any, demo: Any) -> None:
    r = api.post(f"/selvbooking/moedetilbud/{TILBUD_JOBSAMTALE}/booking", BORGER,
                 json={"moedeStarttidspunkt": at(2, 10, 30), "samtaleformType": 1})
    assert r.status_code == 201, r.text
    bid = r.json()["indkaldelseId"]
    assert [f["friststatusType"] for f in status(api)["frister"]] == [INDFRIET]
    assert booking_ids(api, BORGER) == [bid]

    r = api.post(f"/indkaldelse/{bid}/action/ombook", BORGER,
                 json={"moedeStarttidspunkt": at(7, 13, 30), "samtaleformType": 2})
    assert r.status_code == 200, r.text
    detaljer = r.json()["bookingDetaljer"]
    assert detaljer["accepteret"] is True and detaljer["moedeStarttidspunkt"] == at(7, 13, 30)
    assert [f["friststatusType"] for f in status(api)["frister"]] == [INDFRIET]  # still fulfilled by it
    assert demo.conn.execute("SELECT indfriet_af FROM frister WHERE cpr = ?", [BORGER]).fetchone() == (bid,)

    assert api.delete(f"/indkaldelse/{bid}", BORGER).status_code == 204
    assert [f["friststatusType"] for f in status(api)["frister"]] == [AKTIV]  # open again
    assert booking_ids(api, BORGER) == []
    assert demo.conn.execute("SELECT state FROM bookinger WHERE indkaldelse_id = ?", [bid]).fetchone() == (
        "cancelled",)


def test_get_bookings_says_it_is_deprecated_and_where_to_read_why(api: Any, demo: Any) -> None:
    import yaml

    from jobnet.specfiles import SPECS

    spec = yaml.safe_load((SPECS / "openapi.yaml").read_text(encoding="utf-8"))
    documented = spec["paths"]["/bookinger"]["get"]["responses"]["200"]["headers"]
    r = api.get("/bookinger", INDKALDT)
    assert r.status_code == 200
    assert r.headers["Deprecation"] == documented["Deprecation"]["schema"]["enum"][0] == "@1646092800"
    assert r.headers["Link"] == '</v1/docs/#operation/GetBookings>; rel="deprecation"; type="text/html"'
    assert "Deprecation" not in api.get("/borgerstatus", INDKALDT).headers
