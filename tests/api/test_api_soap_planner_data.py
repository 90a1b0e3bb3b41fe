"""What a remote (SOAP) planner hands back is checked against STAR's rules before the citizen sees it,
over HTTP on 127.0.0.1: the API of this service → job centre 60606 → a FakePlanner that forwards to
this service's own SOAP planner and changes its answers on the way back (tests/test_soap_support.py).

- 8130 "End time or duration is required for bookings with this interview type": only for the
  interview types whose code-list value says ``kraever_sluttid`` (a Jobsamtale), not for every
  booking (an Informationsmøde without an end time is registered);
- a joint meeting (fællesmøde): "For fællesmøder altid false" (AllowChoiceOfSupervisor) in the offers, the
  immediate-booking times' offers and GetRescheduleSupervisors, and its LastTimeslot is always given, may
  equal its FirstTimeslot (a meeting on one day) and is never before it. A breach is 9329 (HTTP 502);
- Supervisor under a caseworker to book: exactly one in the self-booking times (two or none is 9329),
  0-* in the rebooking and immediate-booking times, carried to the citizen as the planner gives them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lxml import etree

from generated import codelists as kl
from jobnet.clock import FixedClock
from jobnet.loader import load
from jobnet.planner.soap import contract
from jobnet.store import Database
from tests.support.api import fejl
from tests.support.backends import selected
from tests.support.clock import window
from tests.support.soap import (
    Behaviour,
    FakePlanner,
    Rig,
    fake,  # noqa: F401  (the fixture)
    fjernplan,
    rig,
    tamper,
    traces,
)

CPR = "0105801234"
CPR_NY = "0205801234"  # not enrolled: sees the immediate-booking times of a first Jobsamtale
RID = "CVR:60606000-RID:5001"
INFOMOEDE = "6c6c6c6c-0000-4000-8000-000000000001"  # joint Informationsmøde (type 9), one session
SAMTALE = "6c6c6c6c-0000-4000-8000-000000000002"  # individual Jobsamtale (type 7)
STRAKS = "6c6c6c6c-0000-4000-8000-000000000003"  # joint immediate-booking Jobsamtale
SESSION = "2026-12-03T10:00:00+01:00"
STED = {"adresse": {"vejnavn": "Havnevej", "husnummer": "8", "postnummer": "9996", "bynavn": "Fjernby"}}
NO_END = tamper(lambda a: re.sub(rb"<jb:BookingEndTime>[^<]*</jb:BookingEndTime>", b"", a))


@pytest.fixture(scope="module", params=selected())
def soap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake: FakePlanner) -> Iterator[Rig]:
    def data(db: Database, _: FixedClock, base: str) -> None:
        fake.upstream = base + contract.PATH
        load(db, {
            "jobcentre": [fjernplan(fake)],
            "sagsbehandlere": [{"eksternt_id": RID, "nummer": 51, "jobcenter": "60606", "fornavn": "Ida",
                                "efternavn": "Lund"}],
            "moedetilbud": [
                {"moedetilbud_id": INFOMOEDE, "jobcenter": "60606", "samtaletype": 9, "moedeform": 2,
                 "samtaleformer": [1], "varighed_minutter": 60, "moedetitel": "Informationsmøde", "moedested": STED,
                 "sagsbehandlere": [RID], "moedetider": [{"start": SESSION, "antal_pladser": 5}]},
                {"moedetilbud_id": SAMTALE, "jobcenter": "60606", "samtaletype": 7, "samtaleformer": [1],
                 "varighed_minutter": 30, "moedetitel": "Jobsamtale", "foerste_moedetid": "2026-12-01T00:00:00+01:00",
                 "moedested": STED, "sagsbehandlere": [RID]},
                {"moedetilbud_id": STRAKS, "jobcenter": "60606", "samtaletype": 7, "moedeform": 2, "straks": True,
                 "samtaleformer": [1], "varighed_minutter": 60, "moedetitel": "Fælles jobsamtale", "moedested": STED,
                 "sagsbehandlere": [RID], "moedetider": [{"start": "2026-12-04T10:00:00+01:00", "antal_pladser": 9}]},
            ],
            "borgere": [{"cpr": CPR, "jobcenter": "60606", "kontaktgruppe": 1, "klientkategori": 1},
                        {"cpr": CPR_NY, "jobcenter": "60606"}],
        })
    yield from rig(tmp_path_factory.mktemp("soap-planner-data"), data, request)


@pytest.fixture(autouse=True)
def forwarding(fake: FakePlanner) -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()


def _book(soap: Rig, tilbud: str, start: str) -> Any:
    return soap.citizen(CPR).post(f"/selvbooking/moedetilbud/{tilbud}/booking",
                                  {"moedeStarttidspunkt": start, "samtaleformType": 1})


def _first_time(soap: Rig, tilbud: str) -> str:
    r = soap.citizen(CPR).get(f"/selvbooking/moedetilbud/{tilbud}/moedetider", **window(soap.clock))
    assert r.status_code == 200, r.text
    return str(r.json()["moedetidSamling"][-1]["starttidspunkt"])


def test_the_code_list_says_which_interview_types_need_an_end_time() -> None:
    needs = {k for k, v in kl.SAMTALETYPE.items() if v.egenskaber["kraever_sluttid"]}
    assert 7 in needs and 4 in needs
    assert 9 not in needs and 13 not in needs


def test_a_jobsamtale_without_an_end_time_is_8130_and_undone(soap: Rig, fake: FakePlanner) -> None:
    start = _first_time(soap, SAMTALE)
    before = traces(soap.db, CPR)
    fake.reset()
    fake.behave(NO_END, "CreateBooking")
    fejl(_book(soap, SAMTALE, start), 8130, 502)
    assert fake.operations() == ["CreateBooking", "CancelBooking", "CreateFejlmelding"]
    assert traces(soap.db, CPR) == before


def test_an_informationsmoede_without_an_end_time_is_registered(soap: Rig, fake: FakePlanner) -> None:
    fake.behave(NO_END, "CreateBooking")
    created = _book(soap, INFOMOEDE, SESSION)
    assert created.status_code == 201, created.text
    details = created.json()["bookingDetaljer"]
    assert details["samtaleType"] == 9 and "moedeSluttidspunkt" not in details
    assert fake.operations() == ["CreateBooking"]
    fake.reset()
    assert soap.citizen(CPR).delete(f"/indkaldelse/{created.json()['indkaldelseId']}").status_code == 204


# --- joint meetings ------------------------------------------------------------------------------
JB = f"{{{contract.JB}}}"


def _offer(tilbud: str, change: Callable[[etree._Element], None]) -> Behaviour:
    """Forward, then change the InterviewOption ``tilbud`` of the planner's answer."""
    def edit(answer: bytes) -> bytes:
        root = etree.fromstring(answer)
        found = [o for o in root.iter(f"{JB}InterviewOption", f"{{{contract.NS}}}InterviewOption")
                 if o.findtext(f"{JB}InterviewOptionID") == tilbud]
        assert found, "the offer is not in the answer"
        for o in found:
            change(o)
        return bytes(etree.tostring(root))
    return tamper(edit)


def _set(name: str, value: str) -> Callable[[etree._Element], None]:
    def change(o: etree._Element) -> None:
        node = o.find(f"{JB}{name}")
        assert node is not None, name
        node.text = value
    return change


def _drop(name: str) -> Callable[[etree._Element], None]:
    def change(o: etree._Element) -> None:
        node = o.find(f"{JB}{name}")
        assert node is not None, name
        o.remove(node)
    return change


def _offers(soap: Rig) -> Any:
    return soap.citizen(CPR).get("/selvbooking/moedetilbud")


def test_a_joint_meeting_on_one_day_has_its_last_time_equal_to_its_first(soap: Rig) -> None:
    r = _offers(soap)
    assert r.status_code == 200, r.text
    (joint,) = [o for o in r.json()["moedetilbudSamling"] if o["moedetilbudId"] == INFOMOEDE]
    assert joint["moedeGruppeType"] == 2 and joint["sagsbehandlerKanVaelges"] is False
    assert joint["foersteMoedetid"] == joint["sidsteMoedetid"] == SESSION


@pytest.mark.parametrize("change", [
    _set("AllowChoiceOfSupervisor", "true"),  # "For fællesmøder altid false"
    _drop("LastTimeslot"),  # "For fællesmøder vil der altid være angivet en dato/tid"
    _set("LastTimeslot", "2026-12-02T10:00:00Z"),  # before its first
], ids=["caseworker choice", "no last time", "last time before the first"])
def test_a_joint_offer_that_breaks_stars_rules_is_9329(soap: Rig, fake: FakePlanner,
                                                        change: Callable[[etree._Element], None]) -> None:
    fake.behave(_offer(INFOMOEDE, change), "GetSelfbookInterviewOptions")
    fejl(_offers(soap), 9329, 502)


def test_an_individual_offer_may_let_the_citizen_choose_and_leave_its_last_time_open(
        soap: Rig, fake: FakePlanner) -> None:
    fake.behave(_offer(SAMTALE, _set("AllowChoiceOfSupervisor", "true")), "GetSelfbookInterviewOptions")
    r = _offers(soap)
    assert r.status_code == 200, r.text
    (samtale,) = [o for o in r.json()["moedetilbudSamling"] if o["moedetilbudId"] == SAMTALE]
    assert samtale["sagsbehandlerKanVaelges"] is True and "sidsteMoedetid" not in samtale


def test_immediate_booking_times_of_a_joint_offer_with_caseworker_choice_are_9329(
        soap: Rig, fake: FakePlanner) -> None:
    r = soap.citizen(CPR_NY).get("/straksbooking/moedetider")
    assert r.status_code == 200, r.text
    assert STRAKS in {t["moedetilbudId"] for t in r.json()["moedetidSamling"]}
    fake.behave(_offer(STRAKS, _set("AllowChoiceOfSupervisor", "true")), "GetImmediateBookingTimeslots")
    fejl(soap.citizen(CPR_NY).get("/straksbooking/moedetider"), 9329, 502)


def test_rescheduling_a_joint_meeting_never_offers_a_caseworker_choice(soap: Rig, fake: FakePlanner) -> None:
    created = _book(soap, INFOMOEDE, SESSION)
    assert created.status_code == 201, created.text
    booking = created.json()["indkaldelseId"]
    path = f"/indkaldelse/{booking}/ombooking/sagsbehandlere"
    r = soap.citizen(CPR).get(path)
    assert r.status_code == 200 and r.json()["sagsbehandlerKanVaelges"] is False, r.text
    fake.behave(tamper(lambda a: a.replace(b"<jb:AllowChoiceOfSupervisor>false<", b"<jb:AllowChoiceOfSupervisor>true<")),
                "GetRescheduleSupervisors")
    fejl(soap.citizen(CPR).get(path), 9329, 502)
    fake.reset()
    assert soap.citizen(CPR).delete(f"/indkaldelse/{booking}").status_code == 204


# --- Supervisor under a caseworker to book: 1 when self-booking, 0-* when rebooking or booking at once ---
OTHER_RID = "CVR:60606000-RID:5002"


def _supervisors(how: str) -> Behaviour:
    """Forward, then give every CaseWorkerToBook of the answer no Supervisor, or a second one."""
    def edit(answer: bytes) -> bytes:
        root = etree.fromstring(answer)
        items = list(root.iter(f"{JB}CaseWorkerToBook"))
        assert items, "no caseworker in the answer"
        for item in items:
            (supervisor,) = item.findall(f"{JB}Supervisor")
            if how == "none":
                item.remove(supervisor)
            else:
                second = etree.fromstring(etree.tostring(supervisor))
                second.find(f"{JB}CaseWorkerGivenName").text = "Ole"
                second.find(f"{JB}CaseWorkerIdentifier").text = OTHER_RID
                supervisor.addnext(second)
        return bytes(etree.tostring(root))
    return tamper(edit)


def _named(body: dict[str, Any]) -> list[list[str]]:
    return [[s["sagsbehandlerEksterntId"] for s in b.get("sagsbehandlere", [])]
            for b in body["bookbarSagsbehandlerSamling"]]


@pytest.mark.parametrize("how, named", [("none", [[]]), ("two", [[RID, OTHER_RID]])])
def test_rebooking_times_carry_any_number_of_supervisors(soap: Rig, fake: FakePlanner, how: str,
                                                          named: list[list[str]]) -> None:
    created = _book(soap, SAMTALE, _first_time(soap, SAMTALE))
    assert created.status_code == 201, created.text
    booking = created.json()["indkaldelseId"]
    path = f"/indkaldelse/{booking}/ombooking/moedetider"
    plain = soap.citizen(CPR).get(path, **window(soap.clock))
    assert plain.status_code == 200 and _named(plain.json()) == [[RID]], plain.text
    fake.behave(_supervisors(how), "GetRescheduleTimeslots")
    r = soap.citizen(CPR).get(path, **window(soap.clock))
    assert r.status_code == 200, r.text
    assert _named(r.json()) == named
    fake.reset()
    assert soap.citizen(CPR).delete(f"/indkaldelse/{booking}").status_code == 204


@pytest.mark.parametrize("how, named", [("none", [[]]), ("two", [[RID, OTHER_RID]])])
def test_immediate_booking_times_carry_any_number_of_supervisors(soap: Rig, fake: FakePlanner, how: str,
                                                                 named: list[list[str]]) -> None:
    fake.behave(_supervisors(how), "GetImmediateBookingTimeslots")
    r = soap.citizen(CPR_NY).get("/straksbooking/moedetider")
    assert r.status_code == 200, r.text
    assert _named(r.json()) == named


@pytest.mark.parametrize("how", ["none", "two"])
def test_self_booking_times_have_exactly_one_supervisor_each(soap: Rig, fake: FakePlanner, how: str) -> None:
    fake.behave(_supervisors(how), "GetSelfbookTimeslots")
    fejl(soap.citizen(CPR).get(f"/selvbooking/moedetilbud/{SAMTALE}/moedetider", **window(soap.clock)), 9329, 502)
