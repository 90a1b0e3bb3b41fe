"""StraksbookOgTilmeld is all or nothing with a remote (SOAP) planner too, over HTTP on 127.0.0.1: the API
of this service → job centre 60606 → a FakePlanner that forwards to this service's own SOAP planner and
fails on demand (tests/test_soap_support.py).

With a remote planner the planner books first and the enrolment is written with the registration, in
one transaction (handlers/straksbooking.py, handlers/_common.py). When anything fails after the planner
booked — the registration (8273), booking data DFDG refuses (4792), the answer lost on the way (4769) —
there is no enrolment, the citizen is as before, and there is no booking on either side (at once, or
after recovery where the outcome was unknown).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from jobnet.clock import FixedClock
from jobnet.loader import load
from jobnet.planner import planner_for
from jobnet.planner.soap import contract
from jobnet.recovery import recover
from jobnet.store import Database
from tests.support.api import fejl
from tests.support.backends import selected
from tests.support.soap import (
    Behaviour,
    FakePlanner,
    Rig,
    after_forwarding,
    fake,  # noqa: F401  (the fixture)
    fjernplan,
    forward,
    reset,
    rig,
    tamper,
    traces,
)

LEDIG = ("0101951234", "0201951234", "0301951234")  # not enrolled, job centre 60606
SUMMONED = "0401951234"  # not enrolled, but already summoned to a future Jobsamtale (8273 at registration)
RID = "CVR:60606000-RID:7001"
STRAKS = "6e6e6e6e-0000-4000-8000-000000000001"  # an immediate-booking Jobsamtale
START = "2026-12-03T10:00:00+01:00"
URI = "http://data.star.dk/esco/occupation/00000000-0000-4000-8000-000000000001"
STED = {"adresse": {"vejnavn": "Havnevej", "husnummer": "9", "postnummer": "9995", "bynavn": "Fjernby"}}
BROKEN_END = tamper(lambda a: re.sub(rb"<jb:BookingEndTime>[^<]*</jb:BookingEndTime>",
                                     b"<jb:BookingEndTime>2000-01-01T00:00:00Z</jb:BookingEndTime>", a))


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake: FakePlanner) -> Iterator[Rig]:
    def data(db: Database, _: FixedClock, base: str) -> None:
        fake.upstream = base + contract.PATH
        load(db, {
            "jobcentre": [fjernplan(fake)],
            "sagsbehandlere": [{"eksternt_id": RID, "nummer": 71, "jobcenter": "60606", "fornavn": "Jens",
                                "efternavn": "Dahl"}],
            "moedetilbud": [{"moedetilbud_id": STRAKS, "jobcenter": "60606", "samtaletype": 7, "straks": True,
                             "samtaleformer": [1], "varighed_minutter": 30, "moedetitel": "Første jobsamtale",
                             "foerste_moedetid": "2026-12-01T00:00:00+01:00", "moedested": STED,
                             "sagsbehandlere": [RID]}],
            "borgere": [{"cpr": cpr, "jobcenter": "60606"} for cpr in (*LEDIG, SUMMONED)],
            "bookinger": [{"indkaldelse_id": "6e6e6e6e-0000-4000-8000-0000000000aa", "cpr": SUMMONED,
                           "moede_start": "2026-12-08T10:00:00+01:00", "jobcenter": "60606", "samtaletype": 7,
                           "moedeform": 1, "moedetitel": "Jobsamtale", "samtaleform": 1, "selvbooket": False,
                           "sagsbehandler": {"eksternt_id": RID, "fornavn": "Jens", "efternavn": "Dahl"}}],
        })
    yield from rig(tmp_path_factory.mktemp("soap-tilmelding"), data, request)


@pytest.fixture(autouse=True)
def forwarding(fake: FakePlanner) -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()


def tilmeld(soap: Rig, cpr: str) -> Any:
    return soap.citizen(cpr).post("/straksbooking/action/tilmeldogbook", {"tilmeldingOgBooking": {
        "personnummer": cpr, "klientkategori": 1, "tilmeldingsdato": "2026-12-01T08:15:00+01:00",
        "ledighedsgrad": 1, "moedeStarttidspunkt": START, "moedetilbudId": STRAKS, "samtaleformType": 1,
        "stillingsbetegnelser": [{"escoKonceptUri": URI, "harUddannelse": True, "senestAktivAar": 2025,
                                  "erfaringMaaneder": 24}]}})


def citizen_side(db: Database, cpr: str) -> tuple[Any, ...]:
    """The enrolments, the citizen's row and the register's bookings of ``cpr`` (cancelled ones too)."""
    one = lambda sql: db.conn.execute(sql, [cpr]).fetchall()  # noqa: E731
    return (one("SELECT * FROM tilmeldinger WHERE cpr = ?"), one("SELECT * FROM borgere WHERE cpr = ?"),
            one("SELECT indkaldelse_id, state FROM bookinger WHERE cpr = ? ORDER BY 1"))


def planner_side(db: Database, cpr: str) -> list[tuple[Any, ...]]:
    return db.conn.execute("SELECT indkaldelse_id FROM planner_bookinger WHERE cpr = ? AND state != 'cancelled'",
                           [cpr]).fetchall()


def recover_all(soap: Rig) -> list[str]:
    return recover(soap.db, lambda jc: planner_for(soap.db, jc, soap.clock), soap.clock, alive=lambda _: False)


# (case, citizen, behaviour of the planner on CreateBooking, code, HTTP status, planner calls)
AFTER_THE_PLANNER_BOOKED = [
    ("the registration fails (8273)", SUMMONED, forward, 8273, 409, ["CreateBooking", "CancelBooking"]),
    ("DFDG refuses the booking data (4792)", LEDIG[0], BROKEN_END, 4792, 502,
     ["CreateBooking", "CancelBooking", "CreateFejlmelding"]),
]


@pytest.mark.parametrize("case, cpr, behaviour, code, status, calls", AFTER_THE_PLANNER_BOOKED,
                         ids=[c[0] for c in AFTER_THE_PLANNER_BOOKED])
def test_a_failure_after_the_planner_booked_leaves_no_enrolment_and_no_booking(
        soap: Rig, fake: FakePlanner, case: str, cpr: str, behaviour: Behaviour, code: int, status: int,
        calls: list[str]) -> None:
    before = citizen_side(soap.db, cpr)
    fake.behave(behaviour, "CreateBooking")
    fejl(tilmeld(soap, cpr), code, status)
    assert fake.operations() == calls  # the planner booked, and was undone
    assert citizen_side(soap.db, cpr) == before
    assert planner_side(soap.db, cpr) == [] and traces(soap.db, cpr).intents == 0


def test_an_answer_lost_after_the_planner_booked_leaves_no_enrolment_and_recovery_undoes_the_booking(
        soap: Rig, fake: FakePlanner) -> None:
    cpr = LEDIG[1]
    before = citizen_side(soap.db, cpr)
    fake.behave(after_forwarding(reset()), "CreateBooking")
    fejl(tilmeld(soap, cpr), 4769, 503)
    assert citizen_side(soap.db, cpr) == before
    assert len(planner_side(soap.db, cpr)) == 1 and traces(soap.db, cpr).intents == 1  # outcome unknown
    fake.reset()
    assert len(recover_all(soap)) == 1 and fake.operations() == ["CancelBooking"]
    assert planner_side(soap.db, cpr) == [] and traces(soap.db, cpr).intents == 0
    assert citizen_side(soap.db, cpr) == before


def test_when_nothing_fails_both_sides_have_it(soap: Rig, fake: FakePlanner) -> None:
    cpr = LEDIG[2]
    r = tilmeld(soap, cpr)
    assert r.status_code == 201, r.text
    booking = r.json()["bookingDetaljer"]["indkaldelseId"]
    enrolments, _, bookings = citizen_side(soap.db, cpr)
    assert len(enrolments) == 1 and bookings == [(booking, "active")]
    assert soap.db.conn.execute("SELECT klientkategori FROM borgere WHERE cpr = ?", [cpr]).fetchone() == (1,)
    assert planner_side(soap.db, cpr) == [(booking,)] and fake.operations() == ["CreateBooking"]
