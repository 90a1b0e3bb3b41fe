"""The demo over SOAP, end to end over HTTP on 127.0.0.1: job centre 40404 is routed to this service's
own SOAP endpoint (/planner/soap), so every planner operation behind the REST API travels as
ExternalBookingService; job centre 30303 points where nothing listens (4769)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from jobnet import demo
from jobnet.clock import FixedClock, today
from jobnet.config import Settings
from jobnet.demo import OVER_SOAP, SOAP_NEDE
from jobnet.loader import load
from jobnet.store import Database
from tests.support.api import fejl
from tests.support.backends import selected
from tests.support.clock import window
from tests.support.soap import Rig, rig

NYBY = OVER_SOAP  # job centre 40404, open Jobsamtale deadline
STRAKS_BORGER = "1212801234"  # job centre 40404, must book immediately
ACCEPT = "4d4d4d4d-0000-4000-8000-000000000001"  # offer whose bookings the citizen must accept
STRAKS = "4d4d4d4d-0000-4000-8000-000000000002"  # immediate-booking offer
STED = {"adresse": {"vejnavn": "Torvet", "husnummer": "4", "postnummer": "9998", "bynavn": "Nyby"}}


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    def data(db: Database, clock: FixedClock, base: str) -> None:
        day0 = today(clock)
        load(db, demo.demo_data(day0, base))
        load(db, {
            "moedetilbud": [
                {"moedetilbud_id": ACCEPT, "jobcenter": demo.JOBCENTER_SOAP, "samtaletype": 4, "samtaleformer": [1],
                 "varighed_minutter": 30, "moedetitel": "Opfølgningssamtale", "borger_skal_acceptere": True,
                 "foerste_moedetid": f"{day0}T00:00:00+01:00", "moedested": STED,
                 "sagsbehandlere": [demo.RID_NYBY[5]]},
                {"moedetilbud_id": STRAKS, "jobcenter": demo.JOBCENTER_SOAP, "samtaletype": 7, "samtaleformer": [1, 2],
                 "varighed_minutter": 45, "moedetitel": "Jobsamtale (straksbooking)", "straks": True,
                 "ombooking_mulig": False, "aflysning_mulig": False, "foerste_moedetid": f"{day0}T00:00:00+01:00",
                 "moedested": STED, "telefonnummer": "70404040", "sagsbehandlere": [demo.RID_NYBY[6]]},
            ],
            "borgere": [{"cpr": STRAKS_BORGER, "jobcenter": demo.JOBCENTER_SOAP, "kontaktgruppe": 1,
                         "klientkategori": 1}],
            "tilmeldinger": [{"cpr": STRAKS_BORGER, "startdato": str(day0 - dt.timedelta(days=3)),
                              "klientkategori": 1, "ledighedsgrad": 1}],
            "frister": [{"cpr": STRAKS_BORGER, "samtaletype": 7, "fristdato": str(day0),
                         "sidste_afholdelsesdato": str(day0 + dt.timedelta(days=14)), "straks": True}],
        })
    yield from rig(tmp_path_factory.mktemp("soap-e2e"), data, request)


def planner_row(soap: Rig, booking_id: str) -> dict[str, Any]:
    cur = soap.db.conn.execute("SELECT * FROM planner_bookinger WHERE indkaldelse_id = ?", [booking_id])
    return dict(zip([c[0] for c in cur.description], cur.fetchone(), strict=False))


def frister(borger: Any) -> list[int]:
    return [f["friststatusType"] for f in borger.get("/borgerstatus").json()["frister"]]


def test_40404_is_routed_over_soap_to_this_service(soap: Rig) -> None:
    with soap.db.read() as r:
        jc = r.jobcentre.get(demo.JOBCENTER_SOAP)
    assert jc is not None and (jc.planner, jc.soap_url) == ("soap", soap.soap_url)


def test_citizen_1111701234_self_books_rebooks_and_cancels_over_soap(soap: Rig) -> None:
    borger = soap.citizen(NYBY)
    assert frister(borger) == [1]
    offers = borger.get("/selvbooking/moedetilbud").json()["moedetilbudSamling"]
    assert {o["moedetilbudId"] for o in offers} == {demo.TILBUD_NYBY_JOBSAMTALE, demo.TILBUD_NYBY_INFOMOEDE, ACCEPT}
    jobsamtale = next(o for o in offers if o["moedetilbudId"] == demo.TILBUD_NYBY_JOBSAMTALE)
    assert [s["sagsbehandlerEksterntId"] for s in jobsamtale["sagsbehandlerSamling"]] == list(demo.RID_NYBY.values())
    freja = demo.RID_NYBY[6]
    tider = borger.get(f"/selvbooking/moedetilbud/{demo.TILBUD_NYBY_JOBSAMTALE}/moedetider",
                       sagsbehandlerEksterntId=freja, **window(soap.clock)).json()
    movable = [t for t in tider["moedetidSamling"] if t["ombookingMulig"] and t["aflysningMulig"]]
    first, later = movable[0], movable[-1]
    created = borger.post(f"/selvbooking/moedetilbud/{demo.TILBUD_NYBY_JOBSAMTALE}/booking",
                          {"moedeStarttidspunkt": later["starttidspunkt"], "samtaleformType": 2,
                           "sagsbehandlerEksterntId": freja})
    assert created.status_code == 201, created.text
    booking_id = created.json()["indkaldelseId"]
    details = created.json()["bookingDetaljer"]
    assert details["afholdendeSagsbehandler"]["sagsbehandlerEksterntId"] == freja
    assert details["moedetitel"] == "Jobsamtale i Nyby" and details["moedested"]["adresse"]["bynavn"] == "Nyby"
    assert frister(borger) == [2]
    assert planner_row(soap, booking_id)["state"] == "active"

    supervisors = borger.get(f"/indkaldelse/{booking_id}/ombooking/sagsbehandlere").json()
    assert supervisors["sagsbehandlerKanVaelges"] is True and len(supervisors["sagsbehandlerSamling"]) == 2
    moves = borger.get(f"/indkaldelse/{booking_id}/ombooking/moedetider", **window(soap.clock)).json()
    assert moves["samtaleType"] == 7 and first["starttidspunkt"] in [t["starttidspunkt"]
                                                                      for t in moves["moedetidSamling"]]
    moved = borger.post(f"/indkaldelse/{booking_id}/action/ombook",
                        {"moedeStarttidspunkt": first["starttidspunkt"], "samtaleformType": 1})
    assert moved.status_code == 200, moved.text
    assert planner_row(soap, booking_id)["state"] == "rescheduled"
    (listed,) = borger.get("/bookinger").json()["bookingDetaljerSamling"]
    assert listed["moedeStarttidspunkt"] == first["starttidspunkt"]

    assert borger.delete(f"/indkaldelse/{booking_id}").status_code == 204
    assert planner_row(soap, booking_id)["state"] == "cancelled"
    assert frister(borger) == [1]


def test_a_seat_of_a_joint_meeting_is_taken_and_freed_over_soap(soap: Rig) -> None:
    borger = soap.citizen(NYBY)
    def seats():
        return soap.db.conn.execute(
            "SELECT ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ? ORDER BY start",
            [demo.TILBUD_NYBY_INFOMOEDE]).fetchall()
    before = seats()
    tider = borger.get(f"/selvbooking/moedetilbud/{demo.TILBUD_NYBY_INFOMOEDE}/moedetider",
                       **window(soap.clock, 20)).json()["moedetidSamling"]
    assert [(t["maksimaltMoededeltagerantal"], t["ledigePladser"]) for t in tider] == [(10, 10), (10, 10)]
    created = borger.post(f"/selvbooking/moedetilbud/{demo.TILBUD_NYBY_INFOMOEDE}/booking",
                          {"moedeStarttidspunkt": tider[1]["starttidspunkt"]})
    assert created.status_code == 201, created.text
    assert seats() == [before[0], (before[1][0] - 1,)]
    assert borger.delete(f"/indkaldelse/{created.json()['indkaldelseId']}").status_code == 204
    assert seats() == before


def test_a_summons_is_accepted_over_soap(soap: Rig) -> None:
    borger = soap.citizen(NYBY)
    tider = borger.get(f"/selvbooking/moedetilbud/{ACCEPT}/moedetider", **window(soap.clock)).json()
    created = borger.post(f"/selvbooking/moedetilbud/{ACCEPT}/booking",
                          {"moedeStarttidspunkt": tider["moedetidSamling"][-1]["starttidspunkt"]})
    assert created.status_code == 201, created.text
    booking_id = created.json()["indkaldelseId"]
    assert created.json()["bookingDetaljer"]["borgerSkalAcceptere"] is True
    assert not created.json()["bookingDetaljer"]["accepteret"] and not planner_row(soap, booking_id)["accepteret"]
    assert borger.post(f"/indkaldelse/{booking_id}/action/accepter").status_code == 204
    assert planner_row(soap, booking_id)["accepteret"] == 1
    (listed,) = [b for b in borger.get("/bookinger").json()["bookingDetaljerSamling"]
                 if b["indkaldelseId"] == booking_id]
    assert listed["accepteret"] is True
    assert borger.delete(f"/indkaldelse/{booking_id}").status_code == 204


def test_an_immediate_booking_over_soap(soap: Rig) -> None:
    borger = soap.citizen(STRAKS_BORGER)
    found = borger.get("/straksbooking/moedetider")
    assert found.status_code == 200, found.text
    tider = [t for t in found.json()["moedetidSamling"] if t["moedetilbudId"] == STRAKS]
    assert tider and tider[0]["moedetitel"] == "Jobsamtale (straksbooking)" and tider[0]["moedeGruppeType"] == 1
    created = borger.post(f"/straksbooking/moedetilbud/{STRAKS}/booking",
                          {"moedeStarttidspunkt": tider[0]["starttidspunkt"], "samtaleformType": 1})
    assert created.status_code == 201, created.text
    row = planner_row(soap, created.json()["indkaldelseId"])
    assert (row["straks"], row["state"]) == (1, "active")
    fejl(borger.delete(f"/indkaldelse/{created.json()['indkaldelseId']}"), 9130, 422)


def test_an_error_report_from_jobnet_reaches_the_soap_planner(soap: Rig) -> None:
    borger = soap.citizen(NYBY)
    report = {"fejlkode": 1, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T09:00:00+01:00",
              "moedetilbudId": demo.TILBUD_NYBY_JOBSAMTALE, "fejltekst": "Mødestedet findes ikke"}
    assert borger.post("/fejlmelding", report).status_code == 204
    assert soap.db.conn.execute(
        "SELECT fejl_ophav, fejltekst, cpr FROM planner_fejlmeldinger WHERE moedetilbud_id = ?",
        [demo.TILBUD_NYBY_JOBSAMTALE]).fetchall() == [(32, "Mødestedet findes ikke", NYBY)]
    unknown = {**report, "moedetilbudId": "4d4d4d4d-0000-4000-8000-0000000000ff"}
    fejl(borger.post("/fejlmelding", unknown), 8108, 404)  # the SOAP planner's business fault


def test_the_soap_planners_business_faults_reach_the_citizen(soap: Rig) -> None:
    borger = soap.citizen(NYBY)
    unknown = "4d4d4d4d-0000-4000-8000-0000000000ee"
    fejl(borger.get(f"/selvbooking/moedetilbud/{unknown}/moedetider", **window(soap.clock)), 8108, 404)
    fejl(borger.get(f"/selvbooking/moedetilbud/{demo.TILBUD_NYBY_JOBSAMTALE}/moedetider",
                    sagsbehandlerEksterntId="CVR:1-RID:ukendt", **window(soap.clock)), 4822, 422)
    sunday = "2026-12-06T10:00:00+01:00"  # nobody works on Sundays: not a free time
    fejl(borger.post(f"/selvbooking/moedetilbud/{demo.TILBUD_NYBY_JOBSAMTALE}/booking",
                     {"moedeStarttidspunkt": sunday, "samtaleformType": 1}), 4819, 409)
    assert borger.get("/bookinger").json() == {}


def test_citizen_1010601234_of_30303_sees_4769(soap: Rig) -> None:
    fejl(soap.citizen(SOAP_NEDE).get("/selvbooking/moedetilbud"), 4769, 503)


def test_the_demo_routes_40404_to_the_public_url_of_the_settings() -> None:
    base = Settings.from_env({"JOBNET_PUBLIC_URL": "https://jobnet.example:8443/"}).base_url
    data = demo.demo_data(dt.date(2026, 12, 1), base)
    centres = {c["kode"]: c for c in data["jobcentre"]}
    assert centres[demo.JOBCENTER_SOAP]["soap_url"] == "https://jobnet.example:8443/planner/soap"
    assert centres[demo.JOBCENTER_SOAP_NEDE]["soap_url"] == "http://127.0.0.1:9/planner/soap"
    port_only = Settings.from_env({"JOBNET_PORT": "8081"}).base_url
    assert demo.demo_data(dt.date(2026, 12, 1), port_only)["jobcentre"][3]["soap_url"] == \
        "http://127.0.0.1:8081/planner/soap"
