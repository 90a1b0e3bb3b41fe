"""The SOAP contract in specs/ (WSDL, XSD), the fault mapping on canned answers, and the job centre's
SOAP routing (URL, timeouts, credentials) in the store and the loader. No network here."""
from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from generated import externalbooking as g
from generated.errors import KATALOG
from jobnet.demo import SELVBOOKER
from jobnet.errors import LoadError, PlannerError
from jobnet.loader import load
from jobnet.planner import planner_for
from jobnet.planner.port import Planner
from jobnet.planner.soap import contract, faults
from jobnet.planner.soap.client import Route, SoapPlanner
from jobnet.store import Database, Jobcenter
from tests.support.soap import envelope, soap_fault
from tests.support.store import SEALER

WSDL_NS = {"w": "http://schemas.xmlsoap.org/wsdl/", "s": "http://schemas.xmlsoap.org/wsdl/soap/",
           "xs": "http://www.w3.org/2001/XMLSchema"}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


PORT_OPERATIONS = {_camel(n) for n, _ in inspect.getmembers(Planner, inspect.isfunction) if not n.startswith("_")}


def test_the_wsdl_has_one_document_literal_operation_per_port_method() -> None:
    wsdl = etree.parse(str(contract.WSDL))
    assert set(wsdl.xpath("//w:portType/w:operation/@name", namespaces=WSDL_NS)) == PORT_OPERATIONS
    assert set(wsdl.xpath("//w:binding/w:operation/@name", namespaces=WSDL_NS)) == PORT_OPERATIONS
    assert wsdl.xpath("//s:binding/@style", namespaces=WSDL_NS) == ["document"]
    assert wsdl.xpath("//s:binding/@transport", namespaces=WSDL_NS) == ["http://schemas.xmlsoap.org/soap/http"]
    assert set(wsdl.xpath("//s:body/@use", namespaces=WSDL_NS)) == {"literal"}
    xsd = etree.parse(str(contract.XSD))
    elements = set(xsd.xpath("/xs:schema/xs:element/@name", namespaces=WSDL_NS))
    for op in PORT_OPERATIONS:
        assert {op, f"{op}Result"} <= elements, op
        parts = wsdl.xpath(f"//w:message[@name='{op}Request' or @name='{op}Response']/w:part/@element",
                           namespaces=WSDL_NS)
        assert sorted(parts) == [f"tns:{op}", f"tns:{op}Result"]
    assert wsdl.xpath("//w:message[@name='PlannerFault']/w:part/@element", namespaces=WSDL_NS) == ["jb:Error"]


def test_the_xsd_reuses_the_jobnet_types() -> None:
    xsd = etree.parse(str(contract.XSD))
    assert xsd.xpath("/xs:schema/xs:import/@namespace", namespaces=WSDL_NS) == [contract.JB]
    used = set(re.findall(r'(?:type|base)="jb:(\w+)"', contract.XSD.read_text()))
    assert {"InterviewOptionType", "BookingTimeslotType", "JobnetBookingDetailsType", "CaseWorkerToBookManyCollectionType",
            "GetRescheduleSupervisorsResponseType", "CreateErrorReportRequestType", "guid"} <= used
    # GetSelfbookInterviewOptionsRequest as STAR's v3 page has it (docs/reference.md §7.1), with the bookings of §7.2;
    # its citizen context starts every other request
    request = [f.name for f in g.GetSelfbookInterviewOptions.__dataclass_fields__.values()]
    assert request == ["person_civil_registration_identifier", "job_center_code", "contact_group_type_identifier",
                       "person_category", "person_group_project_identifier_collection",
                       "has_external_operator_referral", "booking_identifier_collection"]
    context = [f.name for f in g.CancelBooking.__dataclass_fields__.values()][:-1]
    assert context == [n for n in request if n != "has_external_operator_referral"]


def test_the_business_codes_are_catalogue_codes_of_the_citizen() -> None:
    assert {4767, 4770, 4819, 8108, 8109, 9003, 4822, 4708, 4768} <= faults.BUSINESS
    assert all(400 <= KATALOG[c].http_status < 500 for c in faults.BUSINESS)
    assert (KATALOG[4769].http_status, KATALOG[9018].http_status) == (503, 503)
    assert (KATALOG[9303].http_status, KATALOG[9329].http_status) == (502, 502)


RESULT = envelope("<eb:CancelBookingResult/>")


@pytest.mark.parametrize("status, body, code", [
    (200, RESULT, None),
    (500, soap_fault(4819), 4819),
    (200, soap_fault(4819), 4819),  # a fault is a fault, whatever the status
    (500, soap_fault(4769), 9303),  # not the planner's code to give
    (500, soap_fault(None), 9303),
    (500, b"<html/>", 9303),
    (503, b"", 9303),
    (302, b"", 9303),
    (401, RESULT, 9303),
    (200, b"", 9329),
    (200, b"{\"json\": true}", 9329),
    (200, b"<Envelope/>", 9329),
    (200, envelope(""), 9329),
    (200, envelope("<eb:CancelBookingResult/><eb:CancelBookingResult/>"), 9329),
    (200, envelope("<eb:AcceptBookingResult/>"), 9329),
    (200, envelope("<eb:CancelBookingResult><eb:Extra/></eb:CancelBookingResult>"), 9329),
    (200, b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + RESULT, None),  # entity never resolved
], ids=lambda v: v if isinstance(v, int) else None)
def test_the_answer_of_the_planner_is_mapped(status: int, body: bytes, code: int | None) -> None:
    def decode() -> Any:
        with faults.seam():
            return faults.answer(status, body, g.CancelBookingResult)

    if code is None:
        assert isinstance(decode(), g.CancelBookingResult)
        return
    with pytest.raises(PlannerError) as info:
        decode()
    assert info.value.fejlkode == code


def test_the_planners_own_texts_are_logged_without_cpr_and_not_passed_on(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(PlannerError) as info:
        faults.answer(500, soap_fault(4768, "no booking for 0101901234"), g.CancelBookingResult)
    assert info.value.detail == "" and "no booking for **********" in caplog.text
    with pytest.raises(PlannerError) as info, faults.seam():
        faults.answer(200, envelope("<eb:CancelBookingResult>0101901234</eb:CancelBookingResult>"),
                      g.CancelBookingResult)
    assert info.value.fejlkode == 9329 and SELVBOOKER not in info.value.detail + caplog.text


# --- routing: URL, timeouts, credentials -----------------------------------------------------------
def _centre(**routing: Any) -> Jobcenter:
    return Jobcenter(kode="60606", navn="Jobcenter Fjernplan", planner="soap", organisationskode=60606, **routing)


@pytest.mark.parametrize("url", [None, "", "ftp://planner.example/soap", "http://", "http://:80/soap"])
def test_a_soap_centre_without_a_usable_url_is_9018(url: str | None) -> None:
    with pytest.raises(PlannerError) as info:
        Route.of(_centre(soap_url=url))
    assert info.value.fejlkode == 9018


def test_the_route_carries_timeouts_and_credentials(tmp_path: Path) -> None:
    centre = _centre(soap_url="https://planner.example/soap", connect_timeout=1.5, read_timeout=4.0,
                     soap_username="dfdg", soap_password="hemmelig")
    route = Route.of(centre)
    assert (route.url, route.connect_timeout, route.read_timeout, route.username, route.password) == (
        "https://planner.example/soap", 1.5, 4.0, "dfdg", "hemmelig")
    assert "hemmelig" not in repr(route) and "hemmelig" not in repr(centre)
    db = Database(tmp_path / "x.db", sealer=SEALER)
    db.migrate()
    assert isinstance(planner_for(db, centre, db.clock), SoapPlanner)


def test_the_loader_reads_the_soap_routing_and_the_audit_hides_the_password(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db", sealer=SEALER)
    db.migrate()
    load(db, {"jobcentre": [{"kode": "60606", "navn": "Fjernplan", "planner": "soap",
                             "soap_url": "https://planner.example/soap", "connect_timeout": 1, "read_timeout": 2.5,
                             "soap_username": "dfdg", "soap_password": "hemmelig"}]})
    with db.read() as r:
        centre = r.jobcentre.get("60606")
    assert centre is not None
    assert (centre.soap_url, centre.connect_timeout, centre.read_timeout, centre.soap_username,
            centre.soap_password) == ("https://planner.example/soap", 1.0, 2.5, "dfdg", "hemmelig")
    (detail,) = [row[0] for row in db.conn.execute("SELECT detail FROM audit WHERE entity = 'jobcenter'")]
    assert "hemmelig" not in detail and '"soap_password": "***"' in detail


@pytest.mark.parametrize("record, message", [
    ({"soap_url": "planner.example/soap"}, "jobcentre[0].soap_url: must be an http:// or https:// URL"),
    ({"soap_password": "x"}, "jobcentre[0].soap_password: needs soap_username"),
    ({"read_timeout": 0}, "jobcentre[0].read_timeout: must be a positive number"),
])
def test_the_loader_refuses_bad_soap_routing(tmp_path: Path, record: dict[str, Any], message: str) -> None:
    db = Database(tmp_path / "x.db", sealer=SEALER)
    db.migrate()
    with pytest.raises(LoadError, match=re.escape(message)):
        load(db, {"jobcentre": [{"kode": "60606", "navn": "Fjernplan", "planner": "soap", **record}]})
