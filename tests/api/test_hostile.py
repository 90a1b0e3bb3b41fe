"""The hostile-input suite (issue 9): every request of tests/support/hostile.py, generated from
specs/openapi.yaml, is answered with a catalogue body and a status below 500, and after the run no
log line holds a CPR number or a traceback. Malformed SOAP envelopes are Client faults.
Prints "N hostile requests, 0 answered 5xx, 0 CPRs in logs"."""
from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from generated import externalbooking as g
from jobnet import tokens
from jobnet.app import create_app
from jobnet.clock import FixedClock, today
from jobnet.config import Settings
from jobnet.context import Services
from jobnet.demo import (
    BOOKING_INDKALDT,
    IKKE_TILMELDT,
    INDKALDT,
    OVER_SOAP,
    SELVBOOKER,
    SKAL_STRAKSBOOKE,
    TILBUD_INFOMOEDE,
    TILBUD_STRAKS_JOBSAMTALE,
    demo_data,
)
from jobnet.domain import BorgerKontekst
from jobnet.loader import load
from jobnet.logs import CPR_SHAPED
from jobnet.planner import planner_for
from jobnet.planner.soap import contract, encode
from jobnet.store import Database
from tests.support import hostile
from tests.support.clock import START
from tests.support.store import SEALER

WINDOW = {"startMoedetidsinterval": "2026-12-02T00:00:00+01:00", "slutMoedetidsinterval": "2026-12-16T00:00:00+01:00"}
BASELINES = {  # the rest of each request is valid: demo ids and citizens (tests/conftest.py's today)
    "GetSelvbookingMoedetider": hostile.Baseline({"moedetilbudId": TILBUD_INFOMOEDE}, SELVBOOKER, WINDOW),
    "CreateSelvbooking": hostile.Baseline({"moedetilbudId": TILBUD_INFOMOEDE}, SELVBOOKER, {}),
    "CreateStraksbooking": hostile.Baseline({"moedetilbudId": TILBUD_STRAKS_JOBSAMTALE}, SKAL_STRAKSBOOKE, {}),
    "GetStraksbookingMoedetider": hostile.Baseline({}, SKAL_STRAKSBOOKE, WINDOW),
    "GetOmbookingMoedetider": hostile.Baseline({"indkaldelseId": BOOKING_INDKALDT}, INDKALDT, WINDOW),
    "StraksbookOgTilmeld": hostile.Baseline({}, IKKE_TILMELDT, {}),
}


SOAP_AUTH: list[tuple[str, str]] = []  # the demo planner client's HTTP basic credentials


class LogLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, LogLines]]:
    directory = tmp_path_factory.mktemp("hostile")
    tokens.init(directory / "auth")
    clock = FixedClock(START)
    db = Database(directory / "jobnet.db", clock=clock, sealer=SEALER)
    db.migrate()
    load(db, demo_data(today(clock)))
    services = Services(db=db, clock=clock, planner_for=lambda jc: planner_for(db, jc, clock))
    app = create_app(Settings(database=db.location, validate_responses=True,
                              auth_config=directory / "auth" / "issuers.json"), services=services)
    lines = LogLines()
    root = logging.getLogger()
    level, root.level = root.level, logging.INFO
    root.addHandler(lines)
    try:
        client = tokens.planner_client(directory / "auth")
        SOAP_AUTH.append(("Authorization", "Basic " + base64.b64encode(
            f"{client['username']}:{client['password']}".encode()).decode()))
        yield app, tokens.mint(directory / "auth", ttl=3600), lines
    finally:
        root.removeHandler(lines)
        root.setLevel(level)
        db.close()


def all_requests(token: str) -> Iterator[hostile.Request]:
    for op in hostile.operations():
        base = BASELINES.get(op.operation_id) or hostile.Baseline(
            {"indkaldelseId": BOOKING_INDKALDT} if "{indkaldelseId}" in op.path else {}, INDKALDT, {})
        yield from hostile.requests_for(op, base, token)


def test_no_hostile_request_is_answered_5xx_and_no_cpr_reaches_the_logs(rig: tuple[Any, str, LogLines]) -> None:
    app, token, lines = rig
    failures, count = [], 0
    for request in all_requests(token):
        count += 1
        answer = hostile.asgi_call(app, request)
        problem = _problem(answer)
        if problem:
            failures.append(f"{request.label}: {problem}")
    soap = list(soap_attacks())
    for label, envelope in soap:
        count += 1
        answer = hostile.asgi_call(app, hostile.Request(f"SOAP {label}", "POST", contract.PATH,
                                                        [("Content-Type", contract.CONTENT_TYPE), *SOAP_AUTH],
                                                        body=envelope))
        if not _client_fault(answer):
            failures.append(f"SOAP {label}: {answer.status} {answer.body[:300]!r}")
    cprs = [line for line in lines.lines if CPR_SHAPED.search(line)]
    tracebacks = [line for line in lines.lines if "Traceback" in line]
    print(f"{count} hostile requests, {sum('5xx' in f for f in failures)} answered 5xx, {len(cprs)} CPRs in logs")
    assert not failures, "\n".join(failures[:40])
    assert not cprs, cprs[:5]
    assert not tracebacks, tracebacks[:2]
    assert count > 500  # the suite reaches every field of every operation


def _problem(answer: hostile.Answer) -> str | None:
    if answer.status >= 500:
        return f"5xx {answer.status} {answer.body[:300]!r}"
    if answer.status < 400:
        return None
    try:
        body = json.loads(answer.body)
    except ValueError:
        return f"not JSON: {answer.body[:200]!r}"
    if not (isinstance(body, dict) and set(body) == {"fejlkode", "fejltekst", "beskrivelse"}):
        return f"not a catalogue body: {body}"
    if answer.status == 400 and body["fejlkode"] != 1014:
        return f"400 without 1014: {body}"
    return None


# --- the SOAP endpoint ----------------------------------------------------------------------------
ENVELOPE = ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/'
            'envelope/"><soap:Body>{}</soap:Body></soap:Envelope>')
BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol4;</soap:Body>'
        '</soap:Envelope>')
XXE = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       + ENVELOPE.split("?>", 1)[1].format("&xxe;"))


def soap_attacks() -> Iterator[tuple[str, str]]:
    yield "not XML", "hello"
    yield "empty", ""
    yield "no Body", '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"/>'
    yield "not an envelope", "<Envelope><Body/></Envelope>"
    yield "unknown operation", ENVELOPE.format('<x:Nothing xmlns:x="urn:x"/>')
    yield "entity bomb", BOMB
    yield "external entity", XXE
    yield "nested 5000 deep", ENVELOPE.format("<a>" * 5000 + "</a>" * 5000)  # (within the size limit)
    citizen = encode.citizen(BorgerKontekst(OVER_SOAP, "40404", 1, 1))
    valid = contract.envelope(encode.interview_options(BorgerKontekst(OVER_SOAP, "40404", 1, 1))).decode()
    yield "cpr with newline", valid.replace(OVER_SOAP, "1111701234\n")
    timeslots = contract.envelope(g.GetSelfbookTimeslots(
        **citizen, interview_option_id=TILBUD_INFOMOEDE, **encode.search(
            dt.datetime(2026, 12, 2, tzinfo=dt.UTC), dt.datetime(2026, 12, 9, tzinfo=dt.UTC),
            None, None))).decode()
    for label, instant in (("year 1 with an offset", "0001-01-01T00:00:00+01:00"),
                           ("year 9999 with an offset", "9999-12-31T23:30:00-01:00"),
                           ("no offset", "2026-12-02T00:00:00")):
        yield label, timeslots.replace("2026-12-02T00:00:00Z", instant).replace("2026-12-02T00:00:00+00:00", instant)


def _client_fault(answer: hostile.Answer) -> bool:
    try:
        tree = etree.fromstring(answer.body)
    except etree.XMLSyntaxError:
        return False
    return tree.findtext(".//faultcode") == "soap:Client" and tree.findtext(f".//{{{contract.JB}}}ErrorCode") is not None

