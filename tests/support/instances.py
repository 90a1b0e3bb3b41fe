"""Several real instances (``python -m jobnet.serve`` processes on their own ports) on one PostgreSQL
server of their own (jobnet/devpg.py; its own, so a test may restart it), with the demo data and
the load citizens: the ``scaled_out`` fixture of tests/system/test_scaleout.py."""
from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from jobnet.clock import COPENHAGEN, SystemClock, local_datetime, today
from jobnet.demo import demo_data
from jobnet.devpg import Cluster
from jobnet.loader import load
from jobnet.scaleout import start_instances, stop
from jobnet.store import Database
from tests.support.loadgen import extra_citizens
from tests.support.net import free_port

INSTANCES = 2
RATE_CITIZEN = "20/600"  # reached in a test (20 writes), per citizen across all instances; above the load tests


@dataclass
class ScaledOut:
    cluster: Cluster
    url: str
    bases: list[str]
    token: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def client(self, i: int) -> httpx.Client:
        return httpx.Client(base_url=f"{self.bases[i]}/v1", timeout=15,
                            headers={"Authorization": f"Bearer {self.token}"})

    def load(self, data: dict[str, object]) -> None:
        db = Database(self.url)
        try:
            load(db, data)
        finally:
            db.dispose()

    def restart(self, i: int) -> None:
        """Start instance ``i`` again (after a kill) on its port."""
        port = int(self.bases[i].rsplit(":", 1)[1])
        self.procs[i] = start_instances(self.url, "127.0.0.1", [port], self.env)[0]


def weekday_at(days: int, hour: int) -> str:
    """The first weekday at least ``days`` from today, at hh:00 Copenhagen, as RFC 3339."""
    day = today(SystemClock()) + dt.timedelta(days=days)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return local_datetime(day, hour).astimezone(COPENHAGEN).isoformat()


@pytest.fixture(scope="module")
def scaled_out(auth_dir: Path, token: str) -> Iterator[ScaledOut]:
    cluster = Cluster.temporary()
    cluster.start()
    try:
        url = cluster.create_database("jobnet")
        db = Database(url)
        db.migrate()
        load(db, demo_data(today(db.clock)))
        load(db, extra_citizens())
        db.dispose()
        ports = [free_port() for _ in range(INSTANCES)]
        env = {"JOBNET_AUTH_CONFIG": str(auth_dir / "issuers.json"), "JOBNET_RATE_CITIZEN": RATE_CITIZEN,
               "JOBNET_DB_TIMEOUT": "2", "JOBNET_RECOVERY_SECONDS": "0", "JOBNET_LOG_LEVEL": "WARNING"}
        procs = start_instances(url, "127.0.0.1", ports, env)
        world = ScaledOut(cluster, url, [f"http://127.0.0.1:{p}" for p in ports], token, procs, env)
        try:
            yield world
        finally:
            stop(world.procs)
    finally:
        cluster.destroy()
