"""Only configured planner clients may use this installation's SOAP planner endpoint (issue 4:
nobody who merely reaches the port may act as a citizen, at the planner either). HTTP basic
credentials, as a job centre's route sends them; the WSDL and schemas stay public."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from jobnet import demo, tokens
from jobnet.clock import FixedClock, today
from jobnet.demo import OVER_SOAP
from jobnet.domain import BorgerKontekst
from jobnet.edge.auth import TrustedIssuers, hash_secret
from jobnet.loader import load
from jobnet.planner.soap import contract, encode
from jobnet.store import Database
from tests.support.api import fejl
from tests.support.clock import START
from tests.support.net import free_port
from tests.support.soap import XML, serve
from tests.support.store import SEALER

NYBY = OVER_SOAP  # job centre 40404, routed over SOAP to this very service
OFFERS = contract.envelope(encode.interview_options(BorgerKontekst(NYBY, "40404", 1, 1)))


class Service:
    def __init__(self, db: Database, base: str, token: str, client: dict[str, str]) -> None:
        self.db, self.base, self.client = db, base, client
        self.api = httpx.Client(base_url=f"{base}/v1", timeout=20, trust_env=False,
                                headers={"Authorization": f"Bearer {token}", "x-civilRegistrationIdentifier": NYBY})

    def soap(self, auth: tuple[str, str] | None) -> httpx.Response:
        return httpx.post(self.base + contract.PATH, content=OFFERS, auth=auth, trust_env=False, timeout=20,
                          headers={"Content-Type": XML, "SOAPAction": f'"{contract.NS}/GetSelfbookInterviewOptions"'})


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, auth_dir: Path, token: str) -> Iterator[Service]:
    """This service with caller authentication on, its demo 40404 routed to itself with the demo
    planner client's credentials (as `make run` loads it)."""
    clock = FixedClock(START)
    db = Database(tmp_path_factory.mktemp("soap-auth") / "jobnet.db", clock=clock, sealer=SEALER)
    db.migrate()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    client = tokens.planner_client(auth_dir)
    load(db, demo.demo_data(today(clock), base, planner_client=client))
    live = serve(db, clock, port, auth_config=auth_dir / "issuers.json")
    try:
        yield Service(db, base, token, client)
    finally:
        live.stop()
        db.close()


def error_code(response: httpx.Response) -> int:
    found = etree.fromstring(response.content).find(f".//{{{contract.JB}}}ErrorCode")
    assert found is not None, response.text
    return int(found.text or 0)


@pytest.mark.parametrize("auth", [None, ("dfdg-demo", "wrong"), ("someone", "else")], ids=["none", "bad", "unknown"])
def test_the_soap_operations_need_a_planner_clients_credentials(service: Service, auth: Any) -> None:
    r = service.soap(auth)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Basic")
    assert error_code(r) == 8307


def test_a_planner_client_is_served(service: Service) -> None:
    r = service.soap((service.client["username"], service.client["password"]))
    assert r.status_code == 200, r.text
    assert b"InterviewOption" in r.content


def test_the_wsdl_and_schemas_stay_public(service: Service) -> None:
    assert httpx.get(service.base + contract.PATH + "?wsdl", trust_env=False).status_code == 200
    assert httpx.get(service.base + "/planner/externalbooking.xsd", trust_env=False).status_code == 200


def test_the_demo_route_to_itself_carries_the_credentials(service: Service) -> None:
    r = service.api.get("/selvbooking/moedetilbud")
    assert r.status_code == 200 and r.json()["moedetilbudSamling"], r.text


def test_a_route_with_a_wrong_password_is_9303_for_the_citizen(service: Service) -> None:
    with service.db.transaction(actor="test") as tx:
        tx.conn.execute("UPDATE jobcentre SET soap_password = 'wrong' WHERE kode = '40404'")
    try:
        fejl(service.api.get("/selvbooking/moedetilbud"), 9303, 502)
    finally:
        with service.db.transaction(actor="test") as tx:
            tx.conn.execute("UPDATE jobcentre SET soap_password = ? WHERE kode = '40404'",
                            [service.client["password"]])


def test_an_issuers_file_of_an_earlier_version_gets_the_planner_client(tmp_path: Path) -> None:
    config = tokens.init(tmp_path)
    data = json.loads(config.read_text())
    del data["planner_clients"]
    config.write_text(json.dumps(data))
    tokens.init(tmp_path)
    trusted = TrustedIssuers.load(config)
    client = tokens.planner_client(tmp_path)
    assert trusted.keys == data["issuers"]
    found = trusted.planner_client(client["username"], client["password"])
    assert found is not None and found.jobcentre == {"40404"}
    assert trusted.planner_client(client["username"], client["password"] + "x") is None
    assert client["password"] not in config.read_text()  # only its salted hash is kept


def test_a_stored_secret_is_salted() -> None:
    assert hash_secret("s") != hash_secret("s")
    assert hash_secret("s", "salt") == hash_secret("s", "salt")
