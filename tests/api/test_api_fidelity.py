"""Fixes from the audit against STAR's specification, through the API: the caseworker filter under
STAR's name EksterntId, the per-operation Danish texts of 9018, and the English beskrivelse."""
from __future__ import annotations

from typing import Any

from jobnet.demo import RID, SELVBOOKER, TILBUD_JOBSAMTALE, UDEN_PLANNER
from tests.support.api import fejl

WINDOW = {"startMoedetidsinterval": "2026-12-02T00:00:00+01:00", "slutMoedetidsinterval": "2026-12-05T00:00:00+01:00"}
TIDER = f"/selvbooking/moedetilbud/{TILBUD_JOBSAMTALE}/moedetider"


def test_eksternt_id_is_an_alias_of_sagsbehandler_eksternt_id(api: Any, demo: Any) -> None:
    by_star_name = api.get(TIDER, SELVBOOKER, params={**WINDOW, "eksterntId": RID[2]})
    by_our_name = api.get(TIDER, SELVBOOKER, params={**WINDOW, "sagsbehandlerEksterntId": RID[2]})
    unfiltered = api.get(TIDER, SELVBOOKER, params=WINDOW)
    assert by_star_name.status_code == by_our_name.status_code == 200
    assert by_star_name.json() == by_our_name.json() != unfiltered.json()
    assert [b["sagsbehandler"]["sagsbehandlerEksterntId"] for b in by_star_name.json()["bookbarSagsbehandlerSamling"]] == [RID[2]]
    both = api.get(TIDER, SELVBOOKER, params={**WINDOW, "eksterntId": RID[1], "sagsbehandlerEksterntId": RID[2]})
    assert both.json() == by_our_name.json()


def test_9018_carries_the_danish_text_of_the_operations_table(api: Any, demo: Any) -> None:
    offers = fejl(api.get("/selvbooking/moedetilbud", UDEN_PLANNER), 9018, 503)
    times = fejl(api.get(TIDER, UDEN_PLANNER, params=WINDOW), 9018, 503)
    assert offers["fejltekst"] == "Der er ikke kontakt med jobcentrets bookingsystem"
    assert times["fejltekst"] == "Der er sket en systemfejl imellem Jobnet og DFDG"
    assert offers["beskrivelse"].startswith("Selfbooking failed because an External bookingsystem configuration")


def test_a_detail_added_to_beskrivelse_is_english(api: Any, demo: Any) -> None:
    body = fejl(api.get(TIDER, SELVBOOKER, params={**WINDOW, "slutMoedetidsinterval": WINDOW["startMoedetidsinterval"]}),
                1014, 400)
    assert body["beskrivelse"] == ("The submitted message could not be validated: "
                                   "slutMoedetidsinterval must be after startMoedetidsinterval")
