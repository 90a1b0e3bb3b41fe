"""Helpers of the SOAP planner tests (issue 3); their own tests are tests/soap/test_soap_fake.py.

- ``Rig``: this service on 127.0.0.1 (uvicorn in a thread, a FixedClock, its own SQLite file), so the
  API and its embedded planner's SOAP endpoint are reached over real HTTP;
- ``FakePlanner``: a tiny planner on 127.0.0.1 that misbehaves on demand (refuses, resets, is slow,
  answers 5xx, faults, garbage) and otherwise forwards to the rig's real SOAP endpoint;
- ``Citizen``: the REST API over HTTP for one CPR; ``left_behind``: what a failed call left behind.

Test modules import from here: ``from tests.support.soap import ...``, the ``fake`` fixture (one FakePlanner
per module; tests/soap/conftest.py gives it to every module there) and ``fjernplan`` (job centre 60606, whose
planner is the fake) too.
"""
from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from lxml import etree

from jobnet.clock import FixedClock
from jobnet.config import Settings
from jobnet.context import Services
from jobnet.errors import ContractBreach
from jobnet.planner.soap import contract
from jobnet.store import Database
from tests.support.backends import PgServer
from tests.support.clock import START
from tests.support.net import free_port
from tests.support.store import SEALER

XML = "text/xml; charset=utf-8"


# --- this service, served on 127.0.0.1 -----------------------------------------------------------
@dataclass
class Rig:
    db: Database
    clock: FixedClock
    base: str

    @property
    def soap_url(self) -> str:
        return self.base + contract.PATH

    def citizen(self, cpr: str) -> BorgerApi:
        return BorgerApi(self.base, cpr)


@dataclass
class LiveServer:
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(db: Database, clock: FixedClock, port: int, auth_config: Path | None = None) -> LiveServer:
    """The whole app (API and /planner/soap) on 127.0.0.1:port, in a thread of this process; without
    ``auth_config`` no caller authentication (the SOAP seam is under test; callers are tested in
    test_api_auth.py and test_soap_auth.py)."""
    from jobnet.app import create_app
    from jobnet.planner import planner_for

    services = Services(db=db, clock=clock, planner_for=lambda jc: planner_for(db, jc, clock))
    settings = Settings(database=db.location, validate_responses=True, auth_config=auth_config,
                        auth_disabled=auth_config is None, public_url=f"http://127.0.0.1:{port}")
    app = create_app(settings, services=services)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    return LiveServer(server, thread)


def rig(tmp: Path, load_data: Callable[[Database, FixedClock, str], None],
        request: pytest.FixtureRequest | None = None) -> Iterator[Rig]:
    """A module's rig: a fresh database (of the backend ``request.param`` when the module's fixture
    is parametrized with ``params=selected()``, else SQLite), ``load_data(db, clock, base_url)``, the
    server on a free port."""
    if request is not None and getattr(request, "param", "sqlite") == "postgresql":
        yield from _rig_on(request.getfixturevalue("pg_server"), load_data)
        return
    yield from _serve_rig(tmp / "jobnet.db", load_data)


def _rig_on(server: PgServer, load_data: Callable[[Database, FixedClock, str], None]) -> Iterator[Rig]:
    url = server.fresh()
    try:
        yield from _serve_rig(url, load_data)
    finally:
        server.drop(url)


def _serve_rig(where: Path | str, load_data: Callable[[Database, FixedClock, str], None]) -> Iterator[Rig]:
    clock = FixedClock(START)
    db = Database(where, clock=clock, sealer=SEALER)
    db.migrate()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    load_data(db, clock, base)
    live = serve(db, clock, port)
    try:
        yield Rig(db, clock, base)
    finally:
        live.stop()
        db.dispose()


class BorgerApi:
    """The REST API over HTTP for one citizen (a fresh x-requestId on every write); ``headers`` are
    sent on every call (e.g. a bearer token)."""

    def __init__(self, base: str, cpr: str, headers: dict[str, str] | None = None) -> None:
        self.client = httpx.Client(base_url=f"{base}/v1", timeout=20, trust_env=False,
                                   headers={"x-civilRegistrationIdentifier": cpr, **(headers or {})})

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params)

    def post(self, path: str, body: Any = None) -> httpx.Response:
        return self.client.post(path, json=body, headers={"x-requestId": str(uuid.uuid4())})

    def delete(self, path: str) -> httpx.Response:
        return self.client.delete(path, headers={"x-requestId": str(uuid.uuid4())})


# --- what a failed call may leave behind ---------------------------------------------------------
@dataclass(frozen=True)
class Traces:
    bookings: int  # live bookings of the citizen in the register
    planner_bookings: int  # live bookings of the citizen at the (embedded) planner
    seats: tuple[tuple[str, int], ...]  # (session start, free seats) of every planner session
    intents: int  # planner changes in flight for the citizen


def traces(db: Database, cpr: str) -> Traces:
    conn = db.conn
    def one(sql):
        return int(conn.execute(sql, [cpr]).fetchone()[0])
    return Traces(
        bookings=one("SELECT count(*) FROM bookinger WHERE cpr = ? AND state != 'cancelled'"),
        planner_bookings=one("SELECT count(*) FROM planner_bookinger WHERE cpr = ? AND state != 'cancelled'"),
        seats=tuple(conn.execute("SELECT start, ledige_pladser FROM planner_faellesmoeder ORDER BY id").fetchall()),
        intents=one("SELECT count(*) FROM planner_intents WHERE cpr = ?"),
    )


# --- the misbehaving planner ---------------------------------------------------------------------
Behaviour = Callable[["_Handler", bytes], None]


@dataclass
class Call:
    operation: str  # local name of the Body's element
    body: bytes
    headers: dict[str, str]


def operation_of(body: bytes) -> str:
    try:
        return etree.QName(contract.body_child(body)).localname
    except ContractBreach:
        return "?"


class FakePlanner:
    """A planner on 127.0.0.1 that forwards to ``upstream`` unless told to misbehave (``behave``)."""

    def __init__(self, upstream: str | None = None) -> None:
        self.upstream = upstream
        self.calls: list[Call] = []
        self.stopping = threading.Event()
        self._rules: dict[str | None, Behaviour] = {}
        self._server = _QuietServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]  # the handler finds its fake here
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/planner/soap"

    def behave(self, behaviour: Behaviour, operation: str | None = None) -> None:
        """Misbehave on ``operation`` (every operation when None); the rest is forwarded."""
        self._rules[operation] = behaviour

    def reset(self) -> None:
        self._rules.clear()
        self.calls.clear()

    def operations(self) -> list[str]:
        return [c.operation for c in self.calls]

    def rule(self, operation: str) -> Behaviour:
        return self._rules.get(operation) or self._rules.get(None) or forward

    def forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        assert self.upstream, "this fake has no planner to forward to"
        answer = httpx.post(self.upstream, content=body, timeout=10, trust_env=False,
                            headers={"Content-Type": XML, "SOAPAction": headers.get("SOAPAction", '""')})
        return answer.status_code, answer.content

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client hung up on purpose (a timeout, an answer too large): nothing to report


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        fake: FakePlanner = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        operation = operation_of(body)
        fake.calls.append(Call(operation, body, dict(self.headers.items())))
        fake.rule(operation)(self, body)

    def reply(self, status: int, body: bytes, content_type: str = XML) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset_connection(self) -> None:
        """Close with RST: the client sees 'connection reset by peer'."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the socket was reset on purpose
            super().finish()


def forward(h: _Handler, body: bytes) -> None:
    status, answer = h.server.fake.forward(body, dict(h.headers.items()))
    h.reply(status, answer)


def reply(status: int, body: bytes | str, content_type: str = XML) -> Behaviour:
    data = body.encode() if isinstance(body, str) else body
    return lambda h, _: h.reply(status, data, content_type)


def reset() -> Behaviour:
    return lambda h, _: h.reset_connection()


def slow(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Answer after ``seconds`` (by default without acting: a late forward would book behind the
    back of a later test)."""
    def behaviour(h: _Handler, body: bytes) -> None:
        h.server.fake.stopping.wait(seconds)
        (then or reply(200, "too late"))(h, body)
    return behaviour


def trickle(interval: float, size: int = 2000) -> Behaviour:
    """Headers at once, then one byte per ``interval``: each read is quick, the whole is not."""
    def behaviour(h: _Handler, _: bytes) -> None:
        h.send_response(200)
        h.send_header("Content-Type", XML)
        h.send_header("Content-Length", str(size))
        h.end_headers()
        for _byte in range(size):
            if h.server.fake.stopping.wait(interval):
                return
            h.wfile.write(b" ")
            h.wfile.flush()
    return behaviour


def after_forwarding(then: Behaviour) -> Behaviour:
    """The planner does the work, then the answer goes wrong."""
    def behaviour(h: _Handler, body: bytes) -> None:
        h.server.fake.forward(body, dict(h.headers.items()))
        then(h, body)
    return behaviour


def tamper(change: Callable[[bytes], bytes]) -> Behaviour:
    """Forward, then change the planner's answer on the way back."""
    def behaviour(h: _Handler, body: bytes) -> None:
        status, answer = h.server.fake.forward(body, dict(h.headers.items()))
        h.reply(status, change(answer))
    return behaviour


def soap_fault(code: int | None, faultstring: str = "planner says no") -> bytes:
    detail = "" if code is None else (
        f'<detail><jb:Error xmlns:jb="{contract.JB}"><jb:ErrorCode>{code}</jb:ErrorCode>'
        f"<jb:ErrorText>x</jb:ErrorText><jb:ErrorDescription>y</jb:ErrorDescription></jb:Error></detail>")
    return (f'<soap:Envelope xmlns:soap="{contract.SOAP_ENV}"><soap:Body><soap:Fault>'
            f"<faultcode>soap:Client</faultcode><faultstring>{faultstring}</faultstring>{detail}"
            "</soap:Fault></soap:Body></soap:Envelope>").encode()


def envelope(inner: str) -> bytes:
    return (f'<soap:Envelope xmlns:soap="{contract.SOAP_ENV}" xmlns:eb="{contract.NS}" '
            f'xmlns:jb="{contract.JB}"><soap:Body>{inner}</soap:Body></soap:Envelope>').encode()


def load_demo(db: Database, clock: FixedClock, base: str) -> None:
    from jobnet import demo
    from jobnet.clock import today
    from jobnet.loader import load

    load(db, demo.demo_data(today(clock), base))


@pytest.fixture(scope="module")
def fake() -> Iterator[FakePlanner]:
    planner = FakePlanner()
    yield planner
    planner.close()


def fjernplan(fake: FakePlanner, timeout: float = 0.5, read_timeout: float = 2.0, **extra: Any) -> dict[str, Any]:
    """Job centre 60606 as a data-file record, its planner the fake at ``fake.url``."""
    return {"kode": "60606", "navn": "Jobcenter Fjernplan", "planner": "soap", "soap_url": fake.url,
            "connect_timeout": timeout, "read_timeout": read_timeout, **extra}
