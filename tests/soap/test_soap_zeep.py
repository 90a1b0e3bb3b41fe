"""A third-party SOAP client (zeep) loads the published WSDL of this service's planner endpoint and
calls every operation of ExternalBookingService on 127.0.0.1."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests
import zeep
from zeep.exceptions import Fault

from jobnet import demo
from jobnet.demo import SELVBOOKER
from jobnet.planner.soap import contract
from tests.support.backends import selected
from tests.support.soap import Rig, load_demo, rig

CPR = SELVBOOKER
BOOKING = "7f7f7f7f-0000-4000-8000-000000000001"
INCIDENT = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)  # when the citizen got the client category


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from rig(tmp_path_factory.mktemp("soap-zeep"), load_demo, request)


@pytest.fixture(scope="module")
def service(soap: Rig) -> zeep.proxy.ServiceProxy:
    session = requests.Session()
    session.trust_env = False
    client = zeep.Client(soap.soap_url + "?wsdl", transport=zeep.Transport(session=session, timeout=10))
    return client.service


def citizen(**more: object) -> dict[str, object]:
    return {"PersonCivilRegistrationIdentifier": CPR, "JobCenterCode": demo.JOBCENTER, "ContactGroupTypeIdentifier": 1,
            "PersonCategory": {"PersonCategoryTypeIdentifier": 1, "IncidentDate": INCIDENT}, **more}


def test_zeep_reads_the_wsdl_with_every_port_method(soap: Rig) -> None:
    session = requests.Session()
    session.trust_env = False
    client = zeep.Client(soap.soap_url + "?wsdl", transport=zeep.Transport(session=session))
    (binding,) = [port.binding for s in client.wsdl.services.values() for port in s.ports.values()]
    assert set(binding._operations) == {
        "GetSelfbookInterviewOptions", "GetSelfbookTimeslots", "CreateBooking", "RescheduleBooking", "CancelBooking",
        "AcceptBooking", "GetRescheduleSupervisors", "GetRescheduleTimeslots", "GetImmediateBookingTimeslots",
        "CreateFejlmelding"}
    (port,) = [p for s in client.wsdl.services.values() for p in s.ports.values()]
    assert port.binding_options["address"] == soap.soap_url


def test_every_operation_through_zeep(soap: Rig, service: zeep.proxy.ServiceProxy) -> None:
    start = soap.clock.now() + dt.timedelta(hours=1)
    end = start + dt.timedelta(days=14)
    # zeep hands back the content of an answer with a single child (the collection's items, the booking)
    offers = service.GetSelfbookInterviewOptions(**citizen(HasExternalOperatorReferral=False))
    assert demo.TILBUD_JOBSAMTALE in {o.InterviewOptionID for o in offers}

    slots = service.GetSelfbookTimeslots(**citizen(InterviewOptionID=demo.TILBUD_JOBSAMTALE,
                                                   BookingOptionIntervalStartTime=start,
                                                   BookingOptionIntervalEndTime=end))
    times = [s.StartTime for s in slots.BookingTimeslotCollection.BookingTimeslot]
    assert len(times) > 2 and slots.CaseWorkerToBookCollection.CaseWorkerToBook

    made = service.CreateBooking(**citizen(BookingIdentifier=BOOKING, InterviewOptionID=demo.TILBUD_JOBSAMTALE,
                                           BookingStartTime=times[-1], InterviewContactTypeIdentifier=2,
                                           ImmediateBooking=False))
    assert (made.BookingIdentifier, made.InterviewOptionID, made.BookingStartTime) == (
        BOOKING, demo.TILBUD_JOBSAMTALE, times[-1])

    supervisors = service.GetRescheduleSupervisors(**citizen(BookingIdentifier=BOOKING))
    assert supervisors.AllowChoiceOfSupervisor is True and len(supervisors.SupervisorCollection.Supervisor) == 3
    moves = service.GetRescheduleTimeslots(**citizen(BookingIdentifier=BOOKING, BookingOptionIntervalStartTime=start,
                                                     BookingOptionIntervalEndTime=end))
    assert moves.InterviewTypeIdentifier == 7 and moves.BookingTimeslotCollection.BookingTimeslot
    moved = service.RescheduleBooking(**citizen(BookingIdentifier=BOOKING, BookingStartTime=times[0]))
    assert moved.BookingStartTime == times[0]
    assert service.AcceptBooking(**citizen(BookingIdentifier=BOOKING)) is None

    immediate = service.GetImmediateBookingTimeslots(**citizen(InterviewTypeIdentifier=7,
                                                               BookingOptionIntervalStartTime=start,
                                                               BookingOptionIntervalEndTime=end))
    slot = immediate.ImmediateBookingTimeslotCollection.ImmediateBookingTimeslot[0]
    assert slot.InterviewOption.InterviewTypeIdentifier == 7 and slot.BookingTimeslot.StartTime

    assert service.CreateFejlmelding(BookingIdentifier=BOOKING, ErrorTypeIdentifier=2, ErrorText="fra zeep",
                                     ErrorOriginSystemTypeIdentifier=32, ErrorDateTime=start,
                                     PersonCivilRegistrationIdentifier=CPR) is None
    assert soap.db.conn.execute("SELECT fejltekst FROM planner_fejlmeldinger WHERE indkaldelse_id = ?",
                                [BOOKING]).fetchall() == [("fra zeep",)]
    assert service.CancelBooking(**citizen(BookingIdentifier=BOOKING)) is None
    assert soap.db.conn.execute("SELECT state FROM planner_bookinger WHERE indkaldelse_id = ?",
                                [BOOKING]).fetchone() == ("cancelled",)


def test_a_business_fault_reaches_zeep_with_its_code(service: zeep.proxy.ServiceProxy) -> None:
    with pytest.raises(Fault) as info:
        service.AcceptBooking(**citizen(BookingIdentifier="7f7f7f7f-0000-4000-8000-0000000000ff"))
    assert info.value.code == "soap:Client"
    assert info.value.detail.findtext(f".//{{{contract.JB}}}ErrorCode") == "4768"
