"""The balancer's probes (jobnet/health.py): /health/live, /health/ready with the database's state."""
from __future__ import annotations

from typing import Any

import pytest

from jobnet.context import Services
from jobnet.devpg import free_port
from jobnet.store import Database
from tests.support.api import fejl


def test_live_and_ready_need_no_token_and_name_the_backend(app: Any, db: Database) -> None:
    with app.test_client() as client:
        live = client.get("/health/live")
        ready = client.get("/health/ready")
        assert (live.status_code, live.json()) == (200, {"status": "live"})
        assert (ready.status_code, ready.json()) == (200, {"status": "ready", "database": db.backend})
        assert ready.headers["cache-control"] == "no-store"
        assert client.head("/health/ready").status_code == 200


def test_a_write_to_a_probe_is_405_with_the_catalogue_body(app: Any) -> None:
    with app.test_client() as client:
        refused = client.post("/health/ready")
    fejl(refused, 8304, 405)
    assert refused.headers["allow"] == "GET, HEAD"


@pytest.fixture
def unreachable(app: Any, services: Services) -> Any:
    """The app's database is a PostgreSQL server where nothing listens."""
    gone = Database(f"postgresql://jobnet@127.0.0.1:{free_port()}/jobnet", clock=services.clock, timeout=1.0)
    app.app.extensions["jobnet"] = Services(db=gone, clock=services.clock, planner_for=services.planner_for)
    yield app
    gone.dispose()


def test_ready_is_503_with_the_catalogue_body_while_the_database_does_not_answer(unreachable: Any,
                                                                               token: str) -> None:
    with unreachable.test_client() as client:
        assert client.get("/health/live").status_code == 200  # the process itself is fine
        fejl(client.get("/health/ready"), 8311, 503)
        # and so is every call that needs the database: 503 / 8311, never a 500
        fejl(client.get("/v1/borgerstatus", headers={"Authorization": f"Bearer {token}",
                                                    "x-civilRegistrationIdentifier": "0101901234"}), 8311, 503)
