"""Shared fixtures: a temporary SQLite file, a clock the test sets, the app and an API client.

A test builds its state in two lines: take ``demo`` (the demo data, relative to the clock's today)
or load its own records with ``load``; then call the API through ``api`` (which also carries a valid
access token of a test issuer: Jobnet acting as STAR with every scope).
"""
from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from jobnet.clock import COPENHAGEN, FixedClock, local_datetime, today
from jobnet.config import Settings
from jobnet.context import Services
from jobnet.store.sealing import Sealer

# Tuesday 1 December 2026, 09:00 in Copenhagen: a working day with working days around it.
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=COPENHAGEN)
TODAY = START.date()
# The business tables a refused request must leave as they were; the planner's cancelled records
# are left out (an undone booking keeps one).
TABLES = ("bookings", "planner_bookings", "planner_sessions", "enrolments", "deadlines", "citizens",
          "planner_intents")
LIVE = {"planner_bookings": "WHERE state != 'cancelled'"}


SEALER = Sealer.generate()  # the tests' key for planner route passwords


def at(days: int, hour: int, minute: int = 0) -> str:
    """today + days at hh:mm Copenhagen wall time, as RFC 3339 with the local offset."""
    return local_datetime(TODAY + dt.timedelta(days=days), hour, minute).astimezone(COPENHAGEN).isoformat()


def state(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {t: db.conn.execute(f"SELECT * FROM {t} {LIVE.get(t, '')} ORDER BY 1").fetchall() for t in TABLES}


def count(db: Any, sql: str, *args: Any) -> int:
    return db.conn.execute(sql, args).fetchone()[0]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def db(tmp_path: Any, clock: FixedClock) -> Iterator[Any]:
    from jobnet.store import Database

    database = Database(tmp_path / "jobnet.db", clock=clock, sealer=SEALER)
    database.migrate()
    yield database
    database.close()


@pytest.fixture
def demo(db: Any, clock: FixedClock) -> Any:
    from jobnet.demo import demo_data
    from jobnet.loader import load

    load(db, demo_data(today(clock)))
    return db


@pytest.fixture
def services(db: Any, clock: FixedClock) -> Services:
    from jobnet.planner import planner_for

    return Services(db=db, clock=clock, planner_for=lambda jc: planner_for(db, jc, clock))


@pytest.fixture(scope="session")
def auth_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A test issuer (key pair + issuers file), the same way `make run` makes the demo one."""
    from jobnet import tokens

    directory = tmp_path_factory.mktemp("auth")
    tokens.init(directory)
    return directory


@pytest.fixture(scope="session")
def token(auth_dir: Any) -> str:
    """Jobnet-as-STAR with every scope: what most tests act as."""
    from jobnet import tokens

    return tokens.mint(auth_dir, ttl=24 * 3600)


@pytest.fixture(scope="module")
def module_app(tmp_path_factory: pytest.TempPathFactory, auth_dir: Any) -> Any:
    """One app per test module (building one costs ~0.3 s); ``app`` gives it each test's services."""
    from jobnet.app import create_app

    return create_app(Settings(database=tmp_path_factory.mktemp("app") / "unused.db", validate_responses=True,
                               auth_config=auth_dir / "issuers.json"))


@pytest.fixture
def app(module_app: Any, services: Services) -> Any:
    module_app.app.extensions["jobnet"] = services  # dispatch reads the services per request
    return module_app


class _Authenticated:
    """The test client with the bearer token added to every call that does not bring its own, so
    tests that send raw requests through ``api.client`` still get past authentication."""

    def __init__(self, client: Any, token: str | None) -> None:
        self._client, self._token = client, token

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if self._token is not None and not any(k.lower() == "authorization" for k in headers):
            headers["Authorization"] = f"Bearer {self._token}"
        return self._client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.request("DELETE", url, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class Api:
    """A client that speaks the service's conventions: CPR header on every call, a fresh
    x-requestId on every write unless one is given."""

    _ids = itertools.count()

    def __init__(self, client: Any, token: str | None = None) -> None:
        self.raw = client
        self.token = token

    @property
    def client(self) -> _Authenticated:
        return _Authenticated(self.raw, self.token)

    def call(self, method: str, path: str, cpr: str | None, request_id: str | None = None,
             write: bool = False, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if cpr is not None:
            headers["x-civilRegistrationIdentifier"] = cpr
        if write:
            headers["x-requestId"] = request_id or str(uuid.uuid4())
        return self.client.request(method, "/v1" + path, headers=headers, **kwargs)

    def get(self, path: str, cpr: str | None, **kwargs: Any) -> Any:
        return self.call("GET", path, cpr, **kwargs)

    def post(self, path: str, cpr: str | None, json: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, cpr, write=True, json=json, **kwargs)

    def delete(self, path: str, cpr: str | None, **kwargs: Any) -> Any:
        return self.call("DELETE", path, cpr, write=True, **kwargs)


@pytest.fixture
def api(app: Any, token: str) -> Iterator[Api]:
    with app.test_client() as client:
        yield Api(client, token)


def fejl(response: Any, fejlkode: int, status: int) -> dict[str, Any]:
    """Assert an error response: the status, the code and the catalogue body shape."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"fejlkode", "fejltekst", "beskrivelse"}, body
    assert body["fejlkode"] == fejlkode, body
    return body
