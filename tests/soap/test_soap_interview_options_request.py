"""ExternalBookingService's GetSelfbookInterviewOptions request as STAR's v3 page has it (domain.md §7.1):
the deprecated HasExternalOperatorReferral is required, and PersonCategory, when given, carries a required
IncidentDate ("Angiver den dato og klokkeslet borger blev kategoriseret").

The SOAP client sends both (IncidentDate: the start of the citizen's current enrolment with that category,
midnight in Copenhagen; without one PersonCategory is left out), and the server accepts them and refuses
a request without them (a Client fault with 1014). The other operations keep their citizen context, where
IncidentDate is optional.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
from lxml import etree

from generated import externalbooking as g
from jobnet import demo, tilmelding
from jobnet.clock import COPENHAGEN
from jobnet.domain import BorgerKontekst, Tilmelding
from jobnet.planner.soap import contract, decode, encode
from tests.support.backends import selected
from tests.support.soap import Rig, envelope, load_demo, rig

CPR = "0101901234"
CATEGORISED = dt.datetime(2026, 11, 20, tzinfo=COPENHAGEN)
KNOWN = BorgerKontekst(CPR, demo.JOBCENTER, 1, 1, kategoriseret=CATEGORISED.astimezone(dt.UTC))
UNKNOWN = BorgerKontekst(CPR, demo.JOBCENTER, 1, 1)


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from rig(tmp_path_factory.mktemp("soap-interview-options"), load_demo, request)


def post(soap: Rig, body: bytes) -> tuple[int, etree._Element]:
    answer = httpx.post(soap.soap_url, content=body, headers={"Content-Type": contract.CONTENT_TYPE},
                        trust_env=False)
    return answer.status_code, contract.body_child(answer.content)


def request(category: str = "", referral: str = "<eb:HasExternalOperatorReferral>false</eb:HasExternalOperatorReferral>",
            ) -> bytes:
    return envelope(f"<eb:GetSelfbookInterviewOptions><eb:PersonCivilRegistrationIdentifier>{CPR}"
                    f"</eb:PersonCivilRegistrationIdentifier><eb:JobCenterCode>{demo.JOBCENTER}</eb:JobCenterCode>"
                    f"<eb:ContactGroupTypeIdentifier>1</eb:ContactGroupTypeIdentifier>{category}{referral}"
                    "</eb:GetSelfbookInterviewOptions>")


CATEGORY = ("<eb:PersonCategory><eb:PersonCategoryTypeIdentifier>1</eb:PersonCategoryTypeIdentifier>"
            "<eb:IncidentDate>2026-11-19T23:00:00Z</eb:IncidentDate></eb:PersonCategory>")


def test_the_client_sends_the_incident_date_and_the_deprecated_referral() -> None:
    body = contract.envelope(encode.interview_options(KNOWN)).decode()
    assert CATEGORY in body
    assert "<eb:HasExternalOperatorReferral>false</eb:HasExternalOperatorReferral>" in body
    assert contract.read(contract.body_child(body.encode()), g.GetSelfbookInterviewOptions)  # valid per the XSD


def test_without_an_incident_date_the_client_leaves_the_category_out() -> None:
    body = contract.envelope(encode.interview_options(UNKNOWN)).decode()
    assert "PersonCategory" not in body and "<eb:HasExternalOperatorReferral>false<" in body
    assert contract.read(contract.body_child(body.encode()), g.GetSelfbookInterviewOptions)


def test_the_other_operations_send_the_incident_date_when_it_is_known() -> None:
    known = contract.envelope(g.CancelBooking(**encode.citizen(KNOWN), booking_identifier=demo.BOOKING_INDKALDT))
    unknown = contract.envelope(g.CancelBooking(**encode.citizen(UNKNOWN), booking_identifier=demo.BOOKING_INDKALDT))
    assert b"<eb:IncidentDate>2026-11-19T23:00:00Z</eb:IncidentDate>" in known
    assert b"<eb:PersonCategoryTypeIdentifier>1<" in unknown and b"IncidentDate" not in unknown
    assert b"HasExternalOperatorReferral" not in known


def test_the_server_accepts_the_request_with_them(soap: Rig) -> None:
    status, result = post(soap, request(CATEGORY))
    assert (status, etree.QName(result).localname) == (200, "GetSelfbookInterviewOptionsResult")
    ids = {e.text for e in result.iter(f"{{{contract.JB}}}InterviewOptionID")}
    assert demo.TILBUD_JOBSAMTALE in ids
    read = contract.read(contract.body_child(request(CATEGORY)), g.GetSelfbookInterviewOptions)
    assert decode.citizen(read).kategoriseret == CATEGORISED


@pytest.mark.parametrize("body", [
    request(referral=""),
    request(CATEGORY.replace("<eb:IncidentDate>2026-11-19T23:00:00Z</eb:IncidentDate>", "")),
], ids=["no HasExternalOperatorReferral", "PersonCategory without IncidentDate"])
def test_the_server_refuses_the_request_without_them(soap: Rig, body: bytes) -> None:
    status, fault = post(soap, body)
    code = fault.findtext(f"detail/{{{contract.JB}}}Error/{{{contract.JB}}}ErrorCode")
    assert (status, fault.tag, fault.findtext("faultcode"), code) == (500, contract.FAULT, "soap:Client", "1014")


def test_the_incident_date_is_the_start_of_the_current_enrolment_with_the_category() -> None:
    today = dt.date(2026, 12, 1)
    enrolments = [Tilmelding("a", CPR, dt.date(2025, 1, 6), dt.date(2025, 6, 30), 1, 1),  # ended
                  Tilmelding("b", CPR, dt.date(2026, 11, 20), None, 1, 1),
                  Tilmelding("c", CPR, dt.date(2026, 11, 25), None, 2, 1)]  # another category
    assert tilmelding.kategoriseret(enrolments, 1, today) == CATEGORISED
    assert tilmelding.kategoriseret(enrolments, 3, today) is None
    assert tilmelding.kategoriseret(enrolments, None, today) is None
    assert tilmelding.kategoriseret(enrolments[:1], 1, today) is None
