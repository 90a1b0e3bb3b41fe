"""Shared fixtures: a temporary SQLite file, a clock the test sets, the app and an API client.

A test builds its state in two lines: take ``demo`` (the demo data, relative to the clock's today)
or load its own records with ``load``; then call the API through ``api`` (which also carries a valid
access token of a test issuer: Jobnet acting as STAR with every scope). The helpers are in
tests/support/ (``from tests.support.api import fejl`` ...); the clock is at tests.support.clock.START.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jobnet.clock import FixedClock, today
from jobnet.config import Settings
from jobnet.context import Services
from tests.support.api import Api
from tests.support.backends import location, pg_server, selected  # noqa: F401  (pg_server: a fixture)
from tests.support.clock import START
from tests.support.server import server  # noqa: F401  (a fixture: the production server with the demo data)
from tests.support.store import SEALER


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture(params=selected())
def db(request: pytest.FixtureRequest, tmp_path: Any, clock: FixedClock) -> Iterator[Any]:
    """A fresh database of each backend this run covers (tests/support/backends.py)."""
    from jobnet.store import Database

    for where in location(request, tmp_path):
        database = Database(where, clock=clock, sealer=SEALER)
        database.migrate()
        yield database
        database.dispose()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backend(name): the test is about this database backend only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the copies of a ``backend``-marked test that run on another backend."""
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        marker = item.get_closest_marker("backend")
        param = getattr(item, "callspec", None)
        backend = param.params.get("db") if param is not None else None
        (drop if marker is not None and backend is not None and backend not in marker.args else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


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
def module_app(tmp_path_factory: pytest.TempPathFactory, auth_dir: Any) -> Iterator[Any]:
    """One app per test module (building one costs ~0.3 s); ``app`` gives it each test's services."""
    from jobnet.app import create_app

    made = create_app(Settings(database=tmp_path_factory.mktemp("app") / "unused.db", validate_responses=True,
                               auth_config=auth_dir / "issuers.json"))
    own = made.app.extensions["jobnet"]
    yield made
    for stop in own.on_shutdown:  # its background threads (checkpoints, recovery) end with the module
        stop()


@pytest.fixture
def app(module_app: Any, services: Services) -> Any:
    module_app.app.extensions["jobnet"] = services  # dispatch reads the services per request
    return module_app


@pytest.fixture
def api(app: Any, token: str) -> Iterator[Api]:
    with app.test_client() as client:
        yield Api(client, token)
