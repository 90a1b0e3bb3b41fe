"""Planner clients are scoped (issue 9 #4): a client configured for job centre 40404 acts only for
40404's citizens, sees and changes only the bookings it made itself, and has a rate limit. Every
refusal leaves the planner's and the register's tables as they were."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lxml import etree

from generated import externalbooking as g
from jobnet import demo, tokens
from jobnet.clock import FixedClock, today
from jobnet.demo import OVER_SOAP
from jobnet.domain import Bookingoenske, BorgerKontekst
from jobnet.edge.auth import hash_secret
from jobnet.loader import load
from jobnet.planner.soap import contract, encode
from jobnet.planner.soap.client import Route, SoapPlanner
from jobnet.store import Database
from tests.support.api import state
from tests.support.clock import START
from tests.support.net import free_port
from tests.support.soap import XML, serve
from tests.support.store import SEALER

NYBY = BorgerKontekst(OVER_SOAP, demo.JOBCENTER_SOAP, 1, 1)  # 40404's citizen
INDKALDT = BorgerKontekst(demo.INDKALDT, demo.JOBCENTER, 1, 1)  # 10101's, with a booking
OTHER = ("anden-klient", "en-anden-hemmelighed-til-testen")  # a second client, also for 40404


class Scoped:
    def __init__(self, db: Database, base: str, demo_client: dict[str, str]) -> None:
        self.db, self.base = db, base
        self.demo_auth = (demo_client["username"], demo_client["password"])
        self.planner = self.as_client(demo_client["username"], demo_client["password"])

    def as_client(self, username: str, password: str) -> SoapPlanner:
        return SoapPlanner(Route(self.base + contract.PATH, 5, 10, username, password))


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scoped]:
    directory = tmp_path_factory.mktemp("scope")
    issuers = tokens.init(directory / "auth")
    config = json.loads(issuers.read_text())
    config["planner_clients"][OTHER[0]] = {"secret": hash_secret(OTHER[1]), "jobcentre": [demo.JOBCENTER_SOAP]}
    issuers.write_text(json.dumps(config))
    clock = FixedClock(START)
    db = Database(directory / "jobnet.db", clock=clock, sealer=SEALER)
    db.migrate()
    port = free_port()
    client = tokens.planner_client(directory / "auth")
    load(db, demo.demo_data(today(clock), f"http://127.0.0.1:{port}", planner_client=client))
    live = serve(db, clock, port, auth_config=issuers)
    try:
        yield Scoped(db, f"http://127.0.0.1:{port}", client)
    finally:
        live.stop()
        db.close()


def refused(scoped: Scoped, code: int, request: Any, auth: tuple[str, str] | None = None) -> None:
    """The request, sent as the demo client (or ``auth``), is a fault with ``code`` and changes nothing."""
    before = state(scoped.db)
    r = post(scoped, contract.envelope(request), auth or scoped.demo_auth)
    assert (r.status_code, fault_code(r)) == (500, str(code)), r.text
    assert state(scoped.db) == before


def a_time(scoped: Scoped) -> dt.datetime:
    window = START + dt.timedelta(days=1), START + dt.timedelta(days=8)
    tider = scoped.planner.get_selfbook_timeslots(NYBY, demo.TILBUD_NYBY_JOBSAMTALE, *window, None, None)
    return tider.tider[0].starttidspunkt


def test_another_job_centres_offers_are_8308(scoped: Scoped) -> None:
    refused(scoped, 8308, encode.interview_options(INDKALDT))
    assert scoped.planner.get_selfbook_interview_options(NYBY)  # its own job centre's are listed


def test_another_job_centres_booking_can_be_neither_read_nor_cancelled(scoped: Scoped) -> None:
    refused(scoped, 8308, g.GetRescheduleSupervisors(**encode.citizen(INDKALDT), booking_identifier=demo.BOOKING_INDKALDT))
    refused(scoped, 8308, g.CancelBooking(**encode.citizen(INDKALDT), booking_identifier=demo.BOOKING_INDKALDT))
    # the same booking named for a 40404 citizen: unknown to this client (not "another citizen's")
    refused(scoped, 4768, g.CancelBooking(**encode.citizen(NYBY), booking_identifier=demo.BOOKING_INDKALDT))


def test_a_citizen_the_register_does_not_know_is_8111(scoped: Scoped) -> None:
    stranger = BorgerKontekst("0101011234", demo.JOBCENTER_SOAP, 1, 1)
    refused(scoped, 8111, g.CreateBooking(**encode.citizen(stranger), booking_identifier=str(uuid.uuid4()),
                                          interview_option_id=demo.TILBUD_NYBY_JOBSAMTALE, immediate_booking=False,
                                          **encode.choice(a_time(scoped), 1, None)))
    moved = BorgerKontekst(INDKALDT.cpr, demo.JOBCENTER_SOAP, 1, 1)  # known, but in 10101
    refused(scoped, 8111, encode.interview_options(moved))


def test_a_client_sees_and_changes_only_the_bookings_it_made(scoped: Scoped) -> None:
    booking_id = str(uuid.uuid4())
    booked = scoped.planner.create_booking(NYBY, booking_id, demo.TILBUD_NYBY_JOBSAMTALE,
                                           Bookingoenske(a_time(scoped), 1, None), False)
    assert booked.moedetilbud_id == demo.TILBUD_NYBY_JOBSAMTALE
    made_by = scoped.db.conn.execute("SELECT made_by FROM planner_bookinger WHERE indkaldelse_id = ?",
                                     [booking_id]).fetchone()
    assert made_by == (tokens.DEMO_PLANNER_CLIENT,)
    refused(scoped, 4768, g.GetRescheduleSupervisors(**encode.citizen(NYBY), booking_identifier=booking_id), OTHER)
    refused(scoped, 4768, g.CancelBooking(**encode.citizen(NYBY), booking_identifier=booking_id), OTHER)
    scoped.planner.get_reschedule_supervisors(NYBY, booking_id)
    scoped.planner.cancel_booking(NYBY, booking_id)
    assert scoped.db.conn.execute("SELECT state FROM planner_bookinger WHERE indkaldelse_id = ?",
                                  [booking_id]).fetchone() == ("cancelled",)


def test_an_error_report_about_another_job_centres_offer_is_8108(scoped: Scoped) -> None:
    report = g.CreateFejlmelding(error_type_identifier=4, error_origin_system_type_identifier=30,
                                 error_date_time=encode.instant(START), interview_option_id=demo.TILBUD_JOBSAMTALE)
    refused(scoped, 8108, report, OTHER)
    assert scoped.db.conn.execute("SELECT count(*) FROM planner_fejlmeldinger").fetchone() == (0,)


def test_each_planner_client_has_a_rate_limit(scoped: Scoped) -> None:
    """20 calls a second by default (JOBNET_RATE_PLANNER_CLIENT); beyond that 429 with 8309."""
    body = contract.envelope(encode.interview_options(NYBY))
    statuses = []
    with httpx.Client(trust_env=False, timeout=20) as http:
        for _ in range(80):
            r = post(scoped, body, auth=OTHER, http=http)
            statuses.append(r.status_code)
            if r.status_code == 429:
                assert fault_code(r) == "8309" and int(r.headers["retry-after"]) >= 1
    assert statuses[:10] == [200] * 10 and 429 in statuses, statuses  # (earlier tests spent a few)


def post(scoped: Scoped, body: bytes, auth: tuple[str, str], http: httpx.Client | None = None) -> httpx.Response:
    headers = {"Content-Type": XML, "SOAPAction": f'"{contract.NS}/x"'}
    if http is not None:
        return http.post(scoped.base + contract.PATH, content=body, auth=auth, headers=headers)
    return httpx.post(scoped.base + contract.PATH, content=body, auth=auth, headers=headers, trust_env=False,
                      timeout=20)


def fault_code(r: httpx.Response) -> str | None:
    return etree.fromstring(r.content).findtext(f".//{{{contract.JB}}}ErrorCode")

