"""GetOmbookingSagsbehandlere (GetRescheduleSupervisors): "Alle mulige sagsbehandlere returneres uanset om
de har tid" — every possible caseworker of the booking's offer, whatever their availability.

The offer has two caseworkers: Asta works as usual, Bent only on Wednesday 09:00-10:00, and both of his
times in the offer's whole life (it ends on Monday) are taken by other citizens. The rebooking times
show that Bent is fully booked (he is never bookable); the caseworkers of the booking still name him.
Checked with the embedded planner in-process and with the same planner behind the SOAP seam.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from jobnet.clock import FixedClock
from jobnet.demo import JOBCENTER
from jobnet.loader import load
from jobnet.planner.soap import contract
from jobnet.store import Database
from tests.support.backends import selected
from tests.support.clock import at
from tests.support.soap import Rig, rig

CPR, OTHERS = "0106801234", ("0206801234", "0306801234")
ASTA, BENT = "CVR:10101000-RID:6001", "CVR:10101000-RID:6002"
TILBUD = "6d6d6d6d-0000-4000-8000-000000000001"
SOAP_CENTRE = "60606"


BOOKINGS = ((CPR, at(2, 11), ASTA), (OTHERS[0], at(1, 9), BENT), (OTHERS[1], at(1, 9, 30), BENT))


def data(jobcenter: str, soap_url: str | None = None) -> dict[str, Any]:
    """An offer of ``jobcenter`` from today to Monday; with the embedded planner also the bookings that
    take Bent's two times (Wednesday 09:00, 09:30) and one of Asta's for the citizen."""
    centre = [] if soap_url is None else [{"kode": jobcenter, "navn": "Jobcenter Fjernplan", "planner": "soap",
                                           "soap_url": soap_url, "connect_timeout": 2.0, "read_timeout": 5.0}]
    person = {"jobcenter": jobcenter, "kontaktgruppe": 1, "klientkategori": 1}

    def booking(cpr: str, start: str, rid: str) -> dict[str, Any]:
        return {"indkaldelse_id": str(uuid.uuid4()), "cpr": cpr, "moedetilbud_id": TILBUD, "moede_start": start,
                "sagsbehandler": rid, "samtaleform": 2}

    return {
        "jobcentre": centre,
        "sagsbehandlere": [
            {"eksternt_id": ASTA, "nummer": 61, "jobcenter": jobcenter, "fornavn": "Asta", "efternavn": "Krog"},
            {"eksternt_id": BENT, "nummer": 62, "jobcenter": jobcenter, "fornavn": "Bent", "efternavn": "Moe",
             "arbejdsdage": [3], "arbejdstid_fra": "09:00", "arbejdstid_til": "10:00"},
        ],
        "moedetilbud": [{"moedetilbud_id": TILBUD, "jobcenter": jobcenter, "samtaletype": 12, "samtaleformer": [2],
                         "varighed_minutter": 30, "moedetitel": "Anden samtale", "telefonnummer": "70101010",
                         "foerste_moedetid": at(0, 0), "sidste_moedetid": at(6, 23, 59),
                         "sagsbehandler_kan_vaelges": True, "sagsbehandlere": [ASTA, BENT]}],
        "borgere": [{"cpr": c, **person} for c in (CPR, *OTHERS)],
        "bookinger": [] if soap_url else [booking(*b) for b in BOOKINGS],
    }


def own_booking(db: Database) -> str:
    (bid,) = db.conn.execute("SELECT indkaldelse_id FROM bookinger WHERE cpr = ?", [CPR]).fetchone()
    return str(bid)


def check(get: Any, bid: str) -> None:
    times = get(f"/indkaldelse/{bid}/ombooking/moedetider",
                {"startMoedetidsinterval": at(0, 10), "slutMoedetidsinterval": at(7, 0)})
    assert times.status_code == 200, times.text
    bookable = {s["sagsbehandlerEksterntId"] for b in times.json()["bookbarSagsbehandlerSamling"]
                for s in b["sagsbehandlere"]}
    assert bookable == {ASTA}, "Bent must be fully booked for this test to mean anything"
    assert any(t["starttidspunkt"] == at(1, 9) for t in times.json()["moedetidSamling"])  # Asta is free then

    r = get(f"/indkaldelse/{bid}/ombooking/sagsbehandlere", {})
    assert r.status_code == 200, r.text
    assert r.json()["sagsbehandlerKanVaelges"] is True
    assert [s["sagsbehandlerEksterntId"] for s in r.json()["sagsbehandlerSamling"]] == [ASTA, BENT]


def test_a_fully_booked_caseworker_is_still_a_possible_caseworker(api: Any, demo: Database) -> None:
    load(demo, data(JOBCENTER))
    check(lambda path, params: api.get(path, CPR, params=params), own_booking(demo))


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    def load_data(db: Database, _: FixedClock, base: str) -> None:
        load(db, data(SOAP_CENTRE, base + contract.PATH))
    yield from rig(tmp_path_factory.mktemp("reschedule-supervisors"), load_data, request)


def test_a_fully_booked_caseworker_comes_back_from_a_soap_planner_too(soap: Rig) -> None:
    for cpr, start, rid in BOOKINGS:  # booked through the API and the SOAP seam
        made = soap.citizen(cpr).post(f"/selvbooking/moedetilbud/{TILBUD}/booking",
                                      {"moedeStarttidspunkt": start, "samtaleformType": 2,
                                       "sagsbehandlerEksterntId": rid})
        assert made.status_code == 201, made.text
    citizen = soap.citizen(CPR)
    check(lambda path, params: citizen.get(path, **params), own_booking(soap.db))
