"""No half-made state with a SOAP planner, over HTTP on 127.0.0.1 (API → planner 60606 → this service's
own SOAP planner, through tests/support/soap.FakePlanner):

- booking data the planner hands back that break DFDG's rules are undone at the planner and
  reported to it with CreateFejlmelding (origin 30, DFDG), which arrives at the SOAP planner;
- when our registration fails after the planner booked, the booking is cancelled at the planner
  and the compensation is in the audit table;
- when even the undo fails, the intent stays and recovery finishes the job.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from jobnet.clock import FixedClock
from jobnet.loader import load
from jobnet.planner import planner_for
from jobnet.planner.soap import contract
from jobnet.recovery import recover
from jobnet.store import Database
from tests.support.api import fejl
from tests.support.backends import selected
from tests.support.clock import window
from tests.support.soap import FakePlanner, Rig, fjernplan, reset, rig, tamper, traces

CPR = "0104801234"
RID = "CVR:60606000-RID:4001"
MOEDE = "6b6b6b6b-0000-4000-8000-000000000001"  # joint meeting with seats
SAMTALE = "6b6b6b6b-0000-4000-8000-000000000002"  # individual Jobsamtale
SESSION = "2026-12-03T10:00:00+01:00"
STED = {"adresse": {"vejnavn": "Havnevej", "husnummer": "6", "postnummer": "9997", "bynavn": "Fjernby"}}
BROKEN_END = tamper(lambda a: re.sub(rb"<jb:BookingEndTime>[^<]*</jb:BookingEndTime>",
                                     b"<jb:BookingEndTime>2000-01-01T00:00:00Z</jb:BookingEndTime>", a))


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake: FakePlanner) -> Iterator[Rig]:
    def data(db: Database, _: FixedClock, base: str) -> None:
        fake.upstream = base + contract.PATH
        load(db, {
            "jobcentre": [fjernplan(fake)],
            "sagsbehandlere": [{"eksternt_id": RID, "nummer": 41, "jobcenter": "60606", "fornavn": "Hans",
                                "efternavn": "Berg"}],
            "moedetilbud": [
                {"moedetilbud_id": MOEDE, "jobcenter": "60606", "samtaletype": 9, "moedeform": 2,
                 "samtaleformer": [1], "varighed_minutter": 60, "moedetitel": "Informationsmøde", "moedested": STED,
                 "sagsbehandlere": [RID], "moedetider": [{"start": SESSION, "antal_pladser": 5}]},
                {"moedetilbud_id": SAMTALE, "jobcenter": "60606", "samtaletype": 7, "samtaleformer": [1, 2],
                 "varighed_minutter": 30, "moedetitel": "Jobsamtale", "foerste_moedetid": "2026-12-01T00:00:00+01:00",
                 "sagsbehandler_kan_vaelges": True,  # the undo of a rebooking names the caseworker
                 "telefonnummer": "70606060", "moedested": STED, "sagsbehandlere": [RID]},
            ],
            "borgere": [{"cpr": CPR, "jobcenter": "60606", "kontaktgruppe": 1, "klientkategori": 1}],
        })
    yield from rig(tmp_path_factory.mktemp("soap-compensation"), data, request)


@pytest.fixture(autouse=True)
def forwarding(fake: FakePlanner) -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()


def _field(body: bytes, name: str) -> str | None:
    element = contract.body_child(body)
    return next((e.text for e in element.iter() if etree.QName(e).localname == name), None)


def _times(soap: Rig) -> list[str]:
    r = soap.citizen(CPR).get(f"/selvbooking/moedetilbud/{SAMTALE}/moedetider", **window(soap.clock))
    assert r.status_code == 200, r.text
    # two days out: movable and cancellable (the offer's deadlines are 24 hours before)
    return [t["starttidspunkt"] for t in r.json()["moedetidSamling"] if t["starttidspunkt"] >= "2026-12-03"]


def _book_samtale(soap: Rig, start: str) -> Any:
    return soap.citizen(CPR).post(f"/selvbooking/moedetilbud/{SAMTALE}/booking",
                                  {"moedeStarttidspunkt": start, "samtaleformType": 1})


def _audit(soap: Rig, booking_id: str) -> list[str]:
    return [row[0] for row in soap.db.conn.execute(
        "SELECT action FROM audit WHERE entity = 'booking' AND entity_id = ? ORDER BY id", [booking_id])]


def test_invalid_booking_data_are_undone_and_reported_to_the_soap_planner(soap: Rig, fake: FakePlanner) -> None:
    before = traces(soap.db, CPR)
    fake.behave(BROKEN_END, "CreateBooking")
    fejl(soap.citizen(CPR).post(f"/selvbooking/moedetilbud/{MOEDE}/booking",
                                {"moedeStarttidspunkt": SESSION, "samtaleformType": 1}), 4792, 502)
    assert fake.operations() == ["CreateBooking", "CancelBooking", "CreateFejlmelding"]
    create, cancel, report = fake.calls
    booking_id = _field(create.body, "BookingIdentifier")
    assert _field(cancel.body, "BookingIdentifier") == booking_id
    assert (_field(report.body, "ErrorOriginSystemTypeIdentifier"), _field(report.body, "BookingIdentifier"),
            _field(report.body, "InterviewOptionID"), _field(report.body, "PersonCivilRegistrationIdentifier")) == (
        "30", booking_id, MOEDE, CPR)
    # it arrived: the embedded planner behind the SOAP endpoint keeps it
    assert soap.db.conn.execute("SELECT fejl_ophav, indkaldelse_id, moedetilbud_id FROM planner_fejlmeldinger "
                                "WHERE indkaldelse_id = ?", [booking_id]).fetchall() == [(30, booking_id, MOEDE)]
    assert traces(soap.db, CPR) == before
    assert "compensated" in _audit(soap, booking_id)


def test_a_registration_that_fails_after_the_planner_booked_is_cancelled_there(soap: Rig, fake: FakePlanner) -> None:
    first, second = _times(soap)[:2]
    created = _book_samtale(soap, first)
    assert created.status_code == 201, created.text
    kept = traces(soap.db, CPR)
    assert (kept.bookings, kept.planner_bookings) == (1, 1)
    fake.reset()
    fejl(_book_samtale(soap, second), 8273, 409)  # one future Jobsamtale: checked when registering
    assert fake.operations() == ["CreateBooking", "CancelBooking"]
    undone = _field(fake.calls[1].body, "BookingIdentifier")
    assert traces(soap.db, CPR) == kept
    assert "compensated" in _audit(soap, undone)
    assert soap.citizen(CPR).delete(f"/indkaldelse/{created.json()['indkaldelseId']}").status_code == 204


def test_invalid_rebooking_data_move_the_booking_back(soap: Rig, fake: FakePlanner) -> None:
    first, second = _times(soap)[:2]
    created = _book_samtale(soap, first)
    booking_id = created.json()["indkaldelseId"]
    planner_time = soap.db.conn.execute("SELECT start FROM planner_bookinger WHERE indkaldelse_id = ?",
                                        [booking_id]).fetchone()
    fake.reset()
    fake.behave(BROKEN_END, "RescheduleBooking")
    fejl(soap.citizen(CPR).post(f"/indkaldelse/{booking_id}/action/ombook", {"moedeStarttidspunkt": second}),
         4792, 502)
    assert fake.operations() == ["RescheduleBooking", "RescheduleBooking", "CreateFejlmelding"]
    assert soap.db.conn.execute("SELECT start FROM planner_bookinger WHERE indkaldelse_id = ?",
                                [booking_id]).fetchone() == planner_time
    (shown,) = soap.citizen(CPR).get("/bookinger").json()["bookingDetaljerSamling"]
    assert shown["moedeStarttidspunkt"] == first
    assert soap.citizen(CPR).delete(f"/indkaldelse/{booking_id}").status_code == 204


def test_when_the_undo_fails_too_recovery_finishes_it(soap: Rig, fake: FakePlanner) -> None:
    before = traces(soap.db, CPR)
    fake.behave(BROKEN_END, "CreateBooking")
    fake.behave(reset(), "CancelBooking")
    fejl(soap.citizen(CPR).post(f"/selvbooking/moedetilbud/{MOEDE}/booking",
                                {"moedeStarttidspunkt": SESSION, "samtaleformType": 1}), 4792, 502)
    booking_id = _field(fake.calls[0].body, "BookingIdentifier")
    assert booking_id is not None
    assert "compensation_failed" in _audit(soap, booking_id) and "compensated" not in _audit(soap, booking_id)
    left = traces(soap.db, CPR)
    assert (left.bookings, left.planner_bookings, left.intents) == (0, 1, 1)
    fake.reset()
    done = recover(soap.db, lambda jc: planner_for(soap.db, jc, soap.clock), soap.clock, alive=lambda _: False)
    assert done == [booking_id] and fake.operations() == ["CancelBooking"]
    assert traces(soap.db, CPR) == before
