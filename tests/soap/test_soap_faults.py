"""Every fault row of the SOAP planner seam (jobnet/planner/soap/faults.py), over HTTP:
the citizen calls the API of this service on 127.0.0.1; job centre 60606 is routed to a
misbehaving planner on 127.0.0.1 (tests/support/soap.FakePlanner) that otherwise forwards to
this service's own SOAP planner. Each row shows the mapped code, the HTTP status, and that
nothing is left behind: no booking in the register, no booking and no seat taken at the planner;
a change whose outcome is unknown (4769, 9303, 9329) keeps its intent until jobnet/recovery.py has
reconciled it, after which nothing is left either.
"""
from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from generated.errors import KATALOG
from jobnet.clock import FixedClock
from jobnet.loader import load
from jobnet.planner import planner_for
from jobnet.planner.soap.faults import BUSINESS
from jobnet.recovery import recover
from jobnet.store import Database
from tests.support.api import fejl
from tests.support.backends import selected
from tests.support.net import free_port
from tests.support.soap import (
    Behaviour,
    FakePlanner,
    Rig,
    after_forwarding,
    envelope,
    fjernplan,
    reply,
    reset,
    rig,
    slow,
    soap_fault,
    tamper,
    traces,
    trickle,
)

CPR = "0103801234"  # job centre 60606: SOAP planner = the fake
CPR_DOWN = "0203801234"  # job centre 80808: SOAP address where nothing listens
CPR_NO_URL = "0303801234"  # job centre 70707: planner "soap" without soap_url
RID = "CVR:60606000-RID:3001"
MOEDE = "6a6a6a6a-0000-4000-8000-000000000001"  # a joint meeting with seats at the planner
SESSION = "2026-12-03T10:00:00+01:00"
TIMEOUT = 1.5  # connect and read timeout of 60606 (a loaded machine still gets a working planner's answer within it)
# the slow planner's delay: a request that gave up at its timeout answers well before it, however loaded
# the machine is, and one that waited for the planner does not
SLOW_PLANNER = 6


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake: FakePlanner) -> Iterator[Rig]:
    def data(db: Database, _: FixedClock, base: str) -> None:
        fake.upstream = base + "/planner/soap"
        tilmeldt = {"kontaktgruppe": 1, "klientkategori": 1}
        load(db, {
            "jobcentre": [
                fjernplan(fake, TIMEOUT, TIMEOUT, soap_username="dfdg", soap_password="hemmelig"),
                {"kode": "70707", "navn": "Jobcenter Udenadresse", "planner": "soap"},
                {"kode": "80808", "navn": "Jobcenter Nede", "planner": "soap",
                 "soap_url": f"http://127.0.0.1:{free_port()}/planner/soap", "connect_timeout": TIMEOUT,
                 "read_timeout": TIMEOUT},
            ],
            "sagsbehandlere": [{"eksternt_id": RID, "nummer": 31, "jobcenter": "60606", "fornavn": "Gitte",
                                "efternavn": "Holm"}],
            "moedetilbud": [{"moedetilbud_id": MOEDE, "jobcenter": "60606", "samtaletype": 9, "moedeform": 2,
                             "samtaleformer": [1], "varighed_minutter": 60, "moedetitel": "Informationsmøde",
                             "sagsbehandlere": [RID], "moedetider": [{"start": SESSION, "antal_pladser": 5}]}],
            "borgere": [{"cpr": CPR, "jobcenter": "60606", **tilmeldt},
                        {"cpr": CPR_DOWN, "jobcenter": "80808", **tilmeldt},
                        {"cpr": CPR_NO_URL, "jobcenter": "70707", **tilmeldt}],
            "tilmeldinger": [{"cpr": CPR, "startdato": "2026-11-20", "klientkategori": 1, "ledighedsgrad": 1}],
        })
    yield from rig(tmp_path_factory.mktemp("soap-faults"), data, request)


@pytest.fixture(autouse=True)
def forwarding(fake: FakePlanner) -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()


def book(soap: Rig, cpr: str = CPR) -> Any:
    return soap.citizen(cpr).post(f"/selvbooking/moedetilbud/{MOEDE}/booking",
                                  {"moedeStarttidspunkt": SESSION, "samtaleformType": 1})


def recover_all(soap: Rig) -> list[str]:
    """What the next start (or ``python -m jobnet.recovery``) does once the request's process is gone."""
    return recover(soap.db, lambda jc: planner_for(soap.db, jc, soap.clock), soap.clock, alive=lambda _: False)


def _without(element: str) -> Behaviour:
    return tamper(lambda a: re.sub(rf"<jb:{element}>[^<]*</jb:{element}>".encode(), b"", a, count=1))


def _replace(element: str, value: str) -> Behaviour:
    return tamper(lambda a: re.sub(rf"<jb:{element}>[^<]*</jb:{element}>".encode(),
                                   f"<jb:{element}>{value}</jb:{element}>".encode(), a, count=1))


def _bad_gzip(h: Any) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/xml; charset=utf-8")
    h.send_header("Content-Encoding", "gzip")
    h.send_header("Content-Length", "9")
    h.end_headers()
    h.wfile.write(b"not gzip!")


# (row, behaviour of the planner, code) — the planner never acts
UNKNOWN_OUTCOME_ROWS = [
    ("connection reset", reset(), 4769),
    ("slower than the timeout", slow(SLOW_PLANNER), 4769),
    ("answer trickles in slower than the timeout", trickle(0.3), 4769),
    ("HTTP 500 without a SOAP fault", reply(500, "Internal Server Error", "text/plain"), 9303),
    ("HTTP 503 HTML page", reply(503, "<html><body>Service Unavailable</body></html>", "text/html"), 9303),
    ("HTTP 404 empty", reply(404, ""), 9303),
    ("SOAP fault without a code", reply(500, soap_fault(None)), 9303),
    ("SOAP fault with an unknown code", reply(500, soap_fault(1234)), 9303),
    ("SOAP fault with a code that is not the planner's to give", reply(500, soap_fault(9018)), 9303),
    ("not XML", reply(200, "this is not XML"), 9329),
    ("empty 200", reply(200, ""), 9329),
    ("XML but not SOAP", reply(200, "<html><body>hello</body></html>"), 9329),
    ("the wrong element", reply(200, envelope("<eb:CancelBookingResult/>")), 9329),
    ("a SOAP 1.2 envelope", reply(200, '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>'), 9329),
    ("a gzip body that is not gzip", lambda h, _: _bad_gzip(h), 9329),
    ("an answer larger than 4 MiB", reply(200, b" " * (4 * 1024 * 1024 + 1)), 9329),
]
# the planner does the work, then the answer goes wrong
AFTER_THE_PLANNER_ACTED_ROWS = [
    ("connection reset", after_forwarding(reset()), 4769),
    ("slower than the timeout", after_forwarding(slow(SLOW_PLANNER)), 4769),
    ("HTTP 500 without a SOAP fault", after_forwarding(reply(500, "oops", "text/plain")), 9303),
    ("SOAP fault with an unknown code", after_forwarding(reply(500, soap_fault(1234))), 9303),
    ("not XML", after_forwarding(reply(200, "<<<")), 9329),
    ("a missing required element", _without("MeetingTitle"), 9329),
    ("a value that breaks a facet (maxLength 100)", _replace("MeetingTitle", "x" * 101), 9329),
    ("a value that breaks a facet (guid pattern)", _replace("BookingIdentifier", "not-a-guid"), 9329),
    ("a dateTime without an offset", tamper(lambda a: re.sub(rb"Z</jb:BookingStartTime>", b"</jb:BookingStartTime>",
                                                             a)), 9329),
]


@pytest.mark.parametrize("row, behaviour, code", UNKNOWN_OUTCOME_ROWS, ids=[r[0] for r in UNKNOWN_OUTCOME_ROWS])
def test_a_failing_planner_gives_the_mapped_code_and_leaves_nothing_behind(
        soap: Rig, fake: FakePlanner, row: str, behaviour: Behaviour, code: int) -> None:
    before = traces(soap.db, CPR)
    fake.behave(behaviour)
    started = time.monotonic()
    fejl(book(soap), code, KATALOG[code].http_status)
    assert time.monotonic() - started < SLOW_PLANNER, "a slow planner held the request longer than its timeout"
    after = traces(soap.db, CPR)
    assert (after.bookings, after.planner_bookings, after.seats) == (0, 0, before.seats)
    assert after.intents == 1  # outcome unknown: kept for recovery
    fake.reset()
    assert len(recover_all(soap)) == 1 and fake.operations() == ["CancelBooking"]
    assert traces(soap.db, CPR) == before


@pytest.mark.parametrize("row, behaviour, code", AFTER_THE_PLANNER_ACTED_ROWS,
                         ids=[r[0] for r in AFTER_THE_PLANNER_ACTED_ROWS])
def test_a_planner_that_booked_and_then_failed_is_undone(
        soap: Rig, fake: FakePlanner, row: str, behaviour: Behaviour, code: int) -> None:
    before = traces(soap.db, CPR)
    fake.behave(behaviour, "CreateBooking")
    started = time.monotonic()
    fejl(book(soap), code, KATALOG[code].http_status)
    assert time.monotonic() - started < SLOW_PLANNER
    after = traces(soap.db, CPR)
    assert (after.bookings, after.planner_bookings, after.intents) == (0, 1, 1)  # the planner holds a seat
    assert after.seats != before.seats
    fake.reset()
    assert len(recover_all(soap)) == 1 and fake.operations() == ["CancelBooking"]
    assert traces(soap.db, CPR) == before


@pytest.mark.parametrize("code", sorted(BUSINESS))
def test_a_business_fault_is_passed_on_with_its_code_and_status(soap: Rig, fake: FakePlanner, code: int) -> None:
    before = traces(soap.db, CPR)
    fake.behave(reply(500, soap_fault(code)))
    fejl(book(soap), code, KATALOG[code].http_status)
    assert traces(soap.db, CPR) == before  # a known outcome: the planner changed nothing, no intent kept
    fejl(soap.citizen(CPR).get("/selvbooking/moedetilbud"), code, KATALOG[code].http_status)


def test_nothing_listening_is_4769(soap: Rig) -> None:
    before = traces(soap.db, CPR_DOWN)
    started = time.monotonic()
    fejl(book(soap, CPR_DOWN), 4769, 503)
    fejl(soap.citizen(CPR_DOWN).get("/selvbooking/moedetilbud"), 4769, 503)
    assert time.monotonic() - started < SLOW_PLANNER
    after = traces(soap.db, CPR_DOWN)
    assert (after.bookings, after.planner_bookings, after.seats, after.intents) == (0, 0, before.seats, 1)


def test_no_soap_address_is_9018(soap: Rig) -> None:
    before = traces(soap.db, CPR_NO_URL)
    fejl(book(soap, CPR_NO_URL), 9018, 503)
    fejl(soap.citizen(CPR_NO_URL).get("/selvbooking/moedetilbud"), 9018, 503)
    assert traces(soap.db, CPR_NO_URL) == before


@pytest.mark.parametrize("row, behaviour, code", UNKNOWN_OUTCOME_ROWS[:1] + UNKNOWN_OUTCOME_ROWS[3:],
                         ids=[r[0] for r in UNKNOWN_OUTCOME_ROWS[:1] + UNKNOWN_OUTCOME_ROWS[3:]])
def test_a_failing_planner_gives_the_mapped_code_on_reads_too(
        soap: Rig, fake: FakePlanner, row: str, behaviour: Behaviour, code: int) -> None:
    fake.behave(behaviour)
    fejl(soap.citizen(CPR).get("/selvbooking/moedetilbud"), code, KATALOG[code].http_status)


def test_the_planner_gets_basic_credentials_and_a_soap_action(soap: Rig, fake: FakePlanner) -> None:
    r = soap.citizen(CPR).get("/selvbooking/moedetilbud")
    assert r.status_code == 200 and [o["moedetilbudId"] for o in r.json()["moedetilbudSamling"]] == [MOEDE]
    (call,) = fake.calls
    assert call.headers["Authorization"] == "Basic " + base64.b64encode(b"dfdg:hemmelig").decode()
    assert call.headers["SOAPAction"] == '"urn:dk:star:jobnet:externalbooking:3/GetSelfbookInterviewOptions"'
    assert call.headers["Content-Type"] == "text/xml; charset=utf-8"


def test_the_citizen_context_goes_with_every_request(soap: Rig, fake: FakePlanner) -> None:
    soap.citizen(CPR).get("/selvbooking/moedetilbud")
    body = fake.calls[0].body.decode()
    for part in (f"<eb:PersonCivilRegistrationIdentifier>{CPR}<", "<eb:JobCenterCode>60606<",
                 "<eb:ContactGroupTypeIdentifier>1<", "<eb:PersonCategoryTypeIdentifier>1<",
                 "<eb:IncidentDate>2026-11-19T23:00:00Z<",  # the enrolment's start, midnight in Copenhagen
                 "<eb:HasExternalOperatorReferral>false<"):
        assert part in body, part

