"""The SOAP adapter against the embedded planner served by this service on 127.0.0.1: for every port
method SoapPlanner answers what EmbeddedPlanner answers on the same data, business faults keep their
code, and the endpoint refuses what breaks the contract."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import httpx
import pytest
from lxml import etree

from jobnet import demo
from jobnet.clock import local_datetime, today
from jobnet.demo import SELVBOOKER
from jobnet.domain import Bookingoenske, BookingState, BorgerKontekst, Fejlmelding, Samtaleform
from jobnet.errors import PlannerError
from jobnet.planner.embedded import EmbeddedPlanner, booking_fra_tilbud
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.planner.port import Planner
from jobnet.planner.soap import contract
from jobnet.planner.soap.client import Route, SoapPlanner
from tests.support.backends import selected
from tests.support.clock import search_window
from tests.support.soap import Rig, envelope, load_demo, rig

BORGER = BorgerKontekst(cpr=SELVBOOKER, jobcenter_kode=demo.JOBCENTER, kontaktgruppe=1, klientkategori=1)
INDKALDT = BorgerKontekst(cpr=demo.INDKALDT, jobcenter_kode=demo.JOBCENTER, kontaktgruppe=1, klientkategori=1,
                          bookinger=(demo.BOOKING_INDKALDT,))
NEW_ID = "5e5e5e5e-0000-4000-8000-000000000001"


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from rig(tmp_path_factory.mktemp("soap-port"), load_demo, request)


@pytest.fixture
def remote(soap: Rig) -> SoapPlanner:
    return SoapPlanner(Route(soap.soap_url, 2.0, 5.0))


@pytest.fixture
def local(soap: Rig) -> EmbeddedPlanner:
    return EmbeddedPlanner(soap.db, soap.clock)


def code_of(call: Callable[[], object]) -> int:
    with pytest.raises(PlannerError) as info:
        call()
    return info.value.fejlkode


# --- reads: the same answer over SOAP as in-process ----------------------------------------------
def test_interview_options(remote: SoapPlanner, local: EmbeddedPlanner) -> None:
    found = remote.get_selfbook_interview_options(BORGER)
    assert found == local.get_selfbook_interview_options(BORGER) and len(found) == 4
    assert any(t.moedested and t.moedested.adresse for t in found) and any(t.sagsbehandlere for t in found)


@pytest.mark.parametrize("tilbud, samtaleform, rid", [
    (demo.TILBUD_JOBSAMTALE, None, None), (demo.TILBUD_JOBSAMTALE, Samtaleform.DIGITALT, demo.RID[2]),
    (demo.TILBUD_INFOMOEDE, None, None), (demo.TILBUD_OPFOELGNING, Samtaleform.TELEFONISK, None)])
def test_selfbook_timeslots(soap: Rig, remote: SoapPlanner, local: EmbeddedPlanner, tilbud: str,
                            samtaleform: int | None, rid: str | None) -> None:
    args = (BORGER, tilbud, *search_window(soap.clock, 20), samtaleform, rid)
    found = remote.get_selfbook_timeslots(*args)
    assert found == local.get_selfbook_timeslots(*args) and found.tider and found.sagsbehandlere


def test_immediate_booking_timeslots(soap: Rig, remote: SoapPlanner, local: EmbeddedPlanner) -> None:
    args = (BORGER, 7, *search_window(soap.clock))
    found = remote.get_immediate_booking_timeslots(*args)
    assert found == local.get_immediate_booking_timeslots(*args)
    assert {t.moedetilbud.moedetilbud_id for t in found.tider if t.moedetilbud} == {
        demo.TILBUD_JOBSAMTALE, demo.TILBUD_STRAKS_JOBSAMTALE}


def test_reschedule_supervisors_and_timeslots(soap: Rig, remote: SoapPlanner, local: EmbeddedPlanner) -> None:
    assert remote.get_reschedule_supervisors(INDKALDT, demo.BOOKING_INDKALDT) == \
        local.get_reschedule_supervisors(INDKALDT, demo.BOOKING_INDKALDT)
    args = (INDKALDT, demo.BOOKING_INDKALDT, *search_window(soap.clock), Samtaleform.PERSONLIGT, None)
    found = remote.get_reschedule_timeslots(*args)
    assert found == local.get_reschedule_timeslots(*args) and found.samtaletype == 7 and found.tider


# --- writes: what the planner holds afterwards is what SOAP answered -----------------------------
def _as_planner_has_it(soap: Rig, indkaldelse_id: str) -> Any:
    with soap.db.read() as tx:
        repo = PlannerRepo.of(tx)
        pb = repo.booking(indkaldelse_id)
        assert pb is not None
        t = repo.tilbud(pb.moedetilbud_id)
        worker = repo.sagsbehandler(pb.sagsbehandler_nummer)
        assert t is not None and worker is not None
        return booking_fra_tilbud(t, pb, worker.sagsbehandler, soap.clock.now())


def test_create_reschedule_accept_cancel_and_report(soap: Rig, remote: SoapPlanner) -> None:
    first, *_, later = remote.get_selfbook_timeslots(BORGER, demo.TILBUD_JOBSAMTALE, *search_window(soap.clock), None, None).tider
    created = remote.create_booking(BORGER, NEW_ID, demo.TILBUD_JOBSAMTALE,
                                    Bookingoenske(later.starttidspunkt, Samtaleform.DIGITALT, demo.RID[3]), False)
    assert created == _as_planner_has_it(soap, NEW_ID)
    assert (created.kontakt.digitalt_moedelink, created.sagsbehandler.eksternt_id) == (
        "https://moede.demoby.dk/jobsamtale", demo.RID[3])
    moved = remote.reschedule_booking(BORGER, NEW_ID, Bookingoenske(first.starttidspunkt, Samtaleform.PERSONLIGT))
    assert moved == _as_planner_has_it(soap, NEW_ID) and moved.state is BookingState.RESCHEDULED
    remote.accept_booking(BORGER, NEW_ID)
    remote.cancel_booking(BORGER, NEW_ID)
    remote.cancel_booking(BORGER, NEW_ID)  # a cancelled booking is cancelled: no fault
    assert _as_planner_has_it(soap, NEW_ID).state is BookingState.CANCELLED
    when = dt.datetime(2026, 12, 1, 9, 30, 0, 123000, tzinfo=dt.UTC)
    remote.create_fejlmelding(Fejlmelding(2, 30, when, indkaldelse_id=NEW_ID, fejltekst="æøå " * 200, cpr=BORGER.cpr))
    row = soap.db.conn.execute("SELECT fejl_tidspunkt, length(fejltekst), cpr FROM planner_fejlmeldinger "
                               "WHERE indkaldelse_id = ?", [NEW_ID]).fetchone()
    assert (dt.datetime.fromisoformat(row[0]), row[1], row[2]) == (when, 500, BORGER.cpr)


def test_an_immediate_booking_is_marked_so(soap: Rig, remote: SoapPlanner) -> None:
    slot = remote.get_immediate_booking_timeslots(BORGER, 7, *search_window(soap.clock)).tider[0]
    assert slot.moedetilbud is not None
    booking_id = "5e5e5e5e-0000-4000-8000-000000000002"
    made = remote.create_booking(BORGER, booking_id, slot.moedetilbud.moedetilbud_id,
                                 Bookingoenske(slot.starttidspunkt, Samtaleform.PERSONLIGT), True)
    assert made.straksbooking and made == _as_planner_has_it(soap, booking_id)
    remote.cancel_booking(BORGER, booking_id)


# --- business faults keep their code --------------------------------------------------------------
def _faults(soap: Rig) -> list[tuple[int, Callable[[Planner], object]]]:
    start, slut = search_window(soap.clock)
    sunday = local_datetime(dt.date(2026, 12, 6), 10)
    late = local_datetime(today(soap.clock) + dt.timedelta(days=100), 10)
    unknown = "5e5e5e5e-0000-4000-8000-0000000000ff"
    return [
        (8108, lambda p: p.get_selfbook_timeslots(BORGER, unknown, start, slut, None, None)),
        (4708, lambda p: p.get_selfbook_timeslots(BORGER, demo.TILBUD_OPFOELGNING, start, slut, 8, None)),
        (4822, lambda p: p.get_selfbook_timeslots(BORGER, demo.TILBUD_JOBSAMTALE, start, slut, None, "RID:nobody")),
        (9003, lambda p: p.get_selfbook_timeslots(BORGER, demo.TILBUD_OPFOELGNING, start, slut, None, demo.RID[2])),
        (4819, lambda p: p.create_booking(BORGER, unknown, demo.TILBUD_JOBSAMTALE, Bookingoenske(sunday, 1), False)),
        (8109, lambda p: p.create_booking(BORGER, unknown, demo.TILBUD_OPFOELGNING, Bookingoenske(late, 1), False)),
        (4768, lambda p: p.accept_booking(BORGER, unknown)),
        (8107, lambda p: p.get_reschedule_supervisors(BORGER, demo.BOOKING_INDKALDT)),
        (4767, lambda p: p.reschedule_booking(INDKALDT, demo.BOOKING_INDKALDT, Bookingoenske(
            local_datetime(today(soap.clock) + dt.timedelta(days=10), 10, 30)))),
        (8108, lambda p: p.create_fejlmelding(Fejlmelding(2, 30, soap.clock.now(), moedetilbud_id=unknown))),
    ]


def test_business_faults_arrive_with_the_planners_code(soap: Rig, remote: SoapPlanner,
                                                       local: EmbeddedPlanner) -> None:
    for code, call in _faults(soap):
        assert (code_of(partial(call, remote)), code_of(partial(call, local))) == (code, code)


# --- the endpoint -------------------------------------------------------------------------------
def _post(soap: Rig, body: bytes) -> tuple[int, etree._Element]:
    answer = httpx.post(soap.soap_url, content=body, headers={"Content-Type": contract.CONTENT_TYPE},
                        trust_env=False)
    return answer.status_code, contract.body_child(answer.content)


def _error_code(fault: etree._Element) -> str | None:
    return fault.findtext(f"detail/{{{contract.JB}}}Error/{{{contract.JB}}}ErrorCode")


CITIZEN = ("<eb:PersonCivilRegistrationIdentifier>{cpr}</eb:PersonCivilRegistrationIdentifier>"
           "<eb:JobCenterCode>10101</eb:JobCenterCode>")


@pytest.mark.parametrize("body", [
    b"not xml",
    b"<Envelope/>",
    envelope("<eb:NoSuchOperation/>"),
    envelope(f"<eb:GetSelfbookInterviewOptions>{CITIZEN.format(cpr='9999999999')}</eb:GetSelfbookInterviewOptions>"),
    envelope(f"<eb:CancelBooking>{CITIZEN.format(cpr='0101901234')}</eb:CancelBooking>"),  # no BookingIdentifier
    envelope(f"<eb:GetImmediateBookingTimeslots>{CITIZEN.format(cpr='0101901234')}"
             "<eb:InterviewTypeIdentifier>7</eb:InterviewTypeIdentifier>"
             "<eb:BookingOptionIntervalStartTime>2026-12-01T10:00:00</eb:BookingOptionIntervalStartTime>"
             "<eb:BookingOptionIntervalEndTime>2026-12-02T10:00:00Z</eb:BookingOptionIntervalEndTime>"
             "</eb:GetImmediateBookingTimeslots>"),  # a dateTime without offset
], ids=["not XML", "not SOAP", "unknown operation", "CPR breaks its pattern", "missing element", "naive dateTime"])
def test_a_request_that_breaks_the_contract_is_a_client_fault_1014(soap: Rig, body: bytes) -> None:
    status, fault = _post(soap, body)
    assert (status, fault.tag, fault.findtext("faultcode"), _error_code(fault)) == (
        500, contract.FAULT, "soap:Client", "1014")


def test_a_business_fault_on_the_wire(soap: Rig) -> None:
    body = envelope(f"<eb:AcceptBooking>{CITIZEN.format(cpr='0101901234')}"
                    "<eb:BookingIdentifier>5e5e5e5e-0000-4000-8000-0000000000aa</eb:BookingIdentifier>"
                    "</eb:AcceptBooking>")
    status, fault = _post(soap, body)
    assert (status, _error_code(fault)) == (500, "4768")
    assert contract.schema().validate(fault.find("detail")[0])  # jb:Error, valid against the schema


def test_the_wsdl_and_its_schemas_are_published(soap: Rig) -> None:
    wsdl = httpx.get(soap.soap_url + "?wsdl", trust_env=False)
    assert wsdl.status_code == 200 and wsdl.headers["content-type"].startswith("text/xml")
    address = etree.fromstring(wsdl.content).find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address is not None and address.get("location") == soap.soap_url
    for name, path in contract.PUBLISHED.items():
        published = httpx.get(f"{soap.base}/planner/{name}", trust_env=False)
        assert published.status_code == 200 and published.content == path.read_bytes()
    assert httpx.get(f"{soap.base}/planner/secrets.txt", trust_env=False).status_code == 404
    assert httpx.get(soap.soap_url, trust_env=False).status_code == 200


def test_equal_bookings_across_the_wire_keep_every_field(soap: Rig, remote: SoapPlanner) -> None:
    """Fields are compared one by one so a new Booking field the mapping forgets shows up here."""
    booking_id = "5e5e5e5e-0000-4000-8000-000000000003"
    slot = remote.get_selfbook_timeslots(BORGER, demo.TILBUD_INFOMOEDE, *search_window(soap.clock), None, None).tider[0]
    made = remote.create_booking(BORGER, booking_id, demo.TILBUD_INFOMOEDE, Bookingoenske(slot.starttidspunkt), False)
    expected = _as_planner_has_it(soap, booking_id)
    for f in dataclasses.fields(made):
        assert getattr(made, f.name) == getattr(expected, f.name), f.name
    remote.cancel_booking(BORGER, booking_id)
