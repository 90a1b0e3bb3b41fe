"""End to end: each flow over HTTP against the real server process (uvicorn) on 127.0.0.1,
with the demo data loaded by the same command `make run` uses, relative to the real today."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import yaml

from jobnet.clock import COPENHAGEN
from jobnet.demo import IKKE_TILMELDT, INDKALDT, SELVBOOKER, SKAL_STRAKSBOOKE, UDEN_PLANNER
from tests.support.clock import window as clock_window
from tests.support.server import TOKEN
from tests.support.soap import BorgerApi

ROOT = Path(__file__).resolve().parents[2]
SPEC_VERSION = yaml.safe_load((ROOT / "specs" / "openapi.yaml").read_text(encoding="utf-8"))["info"]["version"]
ESCO = "http://data.star.dk/esco/occupation/00000000-0000-4000-8000-000000000001"


def window(days: int = 14) -> dict[str, str]:
    return clock_window(dt.datetime.now(COPENHAGEN).replace(microsecond=0), days)


def fejlkode(response: httpx.Response) -> int:
    return int(response.json()["fejlkode"])


def test_self_booking_flow_fulfils_the_deadline_then_rebook_and_cancel(server: str) -> None:
    borger = BorgerApi(server, SELVBOOKER, TOKEN)
    status = borger.get("/borgerstatus").json()
    assert status["kanSelvbooke"] and [f["friststatusType"] for f in status["frister"]] == [1]
    offers = borger.get("/selvbooking/moedetilbud").json()["moedetilbudSamling"]
    jobsamtale = next(o for o in offers if o["samtaleType"] == 7 and o["sagsbehandlerKanVaelges"])
    tider = borger.get(f"/selvbooking/moedetilbud/{jobsamtale['moedetilbudId']}/moedetider", **window()).json()
    movable = [t for t in tider["moedetidSamling"] if t["ombookingMulig"] and t["aflysningMulig"]]
    first, later = movable[0], movable[-1]
    created = borger.post(f"/selvbooking/moedetilbud/{jobsamtale['moedetilbudId']}/booking",
                          {"moedeStarttidspunkt": later["starttidspunkt"], "samtaleformType": 2})
    assert created.status_code == 201, created.text
    booking_id = created.json()["indkaldelseId"]
    assert [f["friststatusType"] for f in borger.get("/borgerstatus").json()["frister"]] == [2]

    moved = borger.post(f"/indkaldelse/{booking_id}/action/ombook",
                        {"moedeStarttidspunkt": first["starttidspunkt"], "samtaleformType": 1})
    assert moved.status_code == 200, moved.text
    assert moved.json()["bookingDetaljer"]["accepteret"] is True
    listed = borger.get("/bookinger").json()["bookingDetaljerSamling"]
    assert [b["indkaldelseId"] for b in listed] == [booking_id]

    assert borger.delete(f"/indkaldelse/{booking_id}").status_code == 204
    assert borger.get("/bookinger").json() == {}
    assert [f["friststatusType"] for f in borger.get("/borgerstatus").json()["frister"]] == [1]


def test_summons_is_accepted_once(server: str) -> None:
    borger = BorgerApi(server, INDKALDT, TOKEN)
    (summons,) = borger.get("/bookinger").json()["bookingDetaljerSamling"]
    assert summons["borgerSkalAcceptere"] and not summons["accepteret"]
    assert borger.post(f"/indkaldelse/{summons['indkaldelseId']}/action/accepter").status_code == 204
    (after,) = borger.get("/bookinger").json()["bookingDetaljerSamling"]
    assert after["accepteret"] is True
    supervisors = borger.get(f"/indkaldelse/{summons['indkaldelseId']}/ombooking/sagsbehandlere")
    assert supervisors.status_code == 200 and supervisors.json()["sagsbehandlerSamling"]


def test_immediate_booking_cannot_be_moved_or_cancelled(server: str) -> None:
    borger = BorgerApi(server, SKAL_STRAKSBOOKE, TOKEN)
    assert borger.get("/borgerstatus").json()["straksbookingPaakraevet"] is True
    tider = borger.get("/straksbooking/moedetider").json()["moedetidSamling"]
    tid = tider[0]
    created = borger.post(f"/straksbooking/moedetilbud/{tid['moedetilbudId']}/booking",
                          {"moedeStarttidspunkt": tid["starttidspunkt"], "samtaleformType": tid["samtaleformSamling"][0]})
    assert created.status_code == 201, created.text
    booking_id = created.json()["indkaldelseId"]
    assert created.json()["bookingDetaljer"]["ombookingMulig"] is False
    assert borger.get("/borgerstatus").json()["straksbookingPaakraevet"] is False
    assert fejlkode(borger.delete(f"/indkaldelse/{booking_id}")) == 9130
    assert fejlkode(borger.post(f"/indkaldelse/{booking_id}/action/ombook",
                                {"moedeStarttidspunkt": tid["starttidspunkt"]})) == 9130


def test_enrol_and_book_in_one_call(server: str) -> None:
    borger = BorgerApi(server, IKKE_TILMELDT, TOKEN)
    tid = borger.get("/straksbooking/moedetider").json()["moedetidSamling"][-1]
    body = {"tilmeldingOgBooking": {
        "personnummer": IKKE_TILMELDT, "klientkategori": 1, "ledighedsgrad": 1,
        "tilmeldingsdato": dt.datetime.now(COPENHAGEN).replace(microsecond=0).isoformat(),
        "stillingsbetegnelser": [{"escoKonceptUri": ESCO, "harUddannelse": True, "senestAktivAar": 2024,
                                  "erfaringMaaneder": 36}],
        "moedeStarttidspunkt": tid["starttidspunkt"], "moedetilbudId": tid["moedetilbudId"],
        "samtaleformType": tid["samtaleformSamling"][0]}}
    created = borger.post("/straksbooking/action/tilmeldogbook", body)
    assert created.status_code == 201, created.text
    assert created.json()["bookingOprettet"] is True
    again = borger.post("/straksbooking/action/tilmeldogbook", body)
    assert fejlkode(again) == 4316, again.text


def test_planner_and_citizen_failures_are_catalogue_errors(server: str) -> None:
    response = BorgerApi(server, UDEN_PLANNER, TOKEN).get("/selvbooking/moedetilbud")
    assert (response.status_code, fejlkode(response)) == (503, 9018)
    unknown = BorgerApi(server, "0101011234", TOKEN).get("/borgerstatus")
    assert (unknown.status_code, fejlkode(unknown)) == (404, 1010)
    bad = httpx.get(f"{server}/v1/borgerstatus", headers={"x-civilRegistrationIdentifier": "123", **TOKEN})
    assert (bad.status_code, fejlkode(bad)) == (400, 1014)
    anonymous = httpx.get(f"{server}/v1/borgerstatus", headers={"x-civilRegistrationIdentifier": SELVBOOKER})
    assert (anonymous.status_code, fejlkode(anonymous)) == (401, 8307)


def test_the_published_contracts_and_swagger_ui(server: str) -> None:
    assert httpx.get(f"{server}/v1/ui/").status_code == 200
    assert httpx.get(f"{server}/v1/openapi.json").json()["info"]["version"] == SPEC_VERSION
    assert httpx.get(f"{server}/v1/specs/errors.yaml").status_code == 200
