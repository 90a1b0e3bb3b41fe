"""Metrics (issue 11): GET /metrics of the production command with two workers, whose values add up
(prometheus-client's multiprocess mode). Only a token with the scope metrics:read may read them.
Scrape, make a known sequence of calls, scrape again: each counter moved by exactly that."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from jobnet import tokens
from jobnet.demo import (
    INDKALDT,
    OVER_SOAP,
    SELVBOOKER,
    SKAL_STRAKSBOOKE,
    SOAP_NEDE,
    TILBUD_INFOMOEDE,
    TILBUD_NYBY_JOBSAMTALE,
)
from tests.support.api import fejl
from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, auth_dir: Path) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("metrics")
    port = free_port()
    env = {**os.environ, "JOBNET_DB": str(tmp / "jobnet.db"), "JOBNET_HOST": "127.0.0.1", "JOBNET_PORT": str(port),
           "JOBNET_WORKERS": "2", "JOBNET_RECOVERY_SECONDS": "0", "JOBNET_AUTH_CONFIG": str(auth_dir / "issuers.json"),
           "JOBNET_SECRET_KEY_FILE": str(auth_dir / "secret.key"), "JOBNET_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "JOBNET_RATE_CITIZEN": "2/3600", "JOBNET_METRICS_DIR": str(tmp / "metrics")}
    subprocess.run([sys.executable, "-m", "jobnet.demo", "--db", env["JOBNET_DB"], "--reset", "--planner-client",
                    str(auth_dir / "planner-client.json")], cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "jobnet.serve"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/v1/openapi.json", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def scrape(base: str, token: str) -> Samples:
    r = httpx.get(base + "/metrics", headers={"Authorization": f"Bearer {token}"}, trust_env=False, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain"), r.text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    """How much the samples named ``name`` with (at least) ``labels`` moved, summed."""
    def total(samples: Samples) -> float:
        return sum(v for (n, ls), v in samples.items() if n == name and labels.items() <= dict(ls).items())
    return total(after) - total(before)


def test_metrics_need_the_scope_metrics_read(server: str, auth_dir: Path, token: str) -> None:
    fejl(httpx.get(server + "/metrics", trust_env=False), 8307, 401)
    fejl(httpx.get(server + "/metrics", headers={"Authorization": f"Bearer {token}"}, trust_env=False), 8308, 403)
    assert scrape(server, tokens.mint(auth_dir, scope="metrics:read"))


def test_each_counter_moves_by_exactly_the_calls_made(server: str, auth_dir: Path, token: str) -> None:
    reader = tokens.mint(auth_dir, scope="metrics:read")
    api = httpx.Client(base_url=server + "/v1", headers={"Authorization": f"Bearer {token}"}, trust_env=False,
                       timeout=30)

    def call(method: str, path: str, cpr: str, **kw: Any) -> httpx.Response:
        headers = {"x-civilRegistrationIdentifier": cpr, **({"x-requestId": str(uuid.uuid4())} if method != "GET" else {})}
        return api.request(method, path, headers=headers, **kw)

    window = {"startMoedetidsinterval": _at(1), "slutMoedetidsinterval": _at(20)}
    before = scrape(server, reader)
    for _ in range(3):
        assert call("GET", "/borgerstatus", SELVBOOKER).status_code == 200
    searches = [call("GET", f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/moedetider", SELVBOOKER, params=window)
                for _ in range(2)]
    last_seat = next(t["starttidspunkt"] for t in searches[0].json()["moedetidSamling"] if t.get("ledigePladser") == 1)
    booked = call("POST", f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", SELVBOOKER,
                  json={"moedeStarttidspunkt": last_seat})
    assert booked.status_code == 201, booked.text
    lost = call("POST", f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", INDKALDT,
                json={"moedeStarttidspunkt": last_seat})
    fejl(lost, 4819, 409)
    assert call("DELETE", f"/indkaldelse/{booked.json()['indkaldelseId']}", SELVBOOKER).status_code == 204
    nyby = call("GET", f"/selvbooking/moedetilbud/{TILBUD_NYBY_JOBSAMTALE}/moedetider", OVER_SOAP, params=window)
    assert nyby.status_code == 200  # over SOAP to this service's own planner (job centre 40404)
    fejl(call("GET", "/selvbooking/moedetilbud", SOAP_NEDE), 4769, 503)  # 30303: nothing listens
    refusals = [call("DELETE", f"/indkaldelse/{uuid.uuid4()}", SKAL_STRAKSBOOKE)
                for _ in range(6)]  # two writes an hour per citizen and worker: at least two are 429, the rest 4768
    limited = sum(r.status_code == 429 for r in refusals)
    assert limited >= 2 and {r.status_code for r in refusals} <= {404, 429}
    after = scrape(server, reader)

    assert moved(before, after, "jobnet_requests_total", operation="GetBorgerstatus", status="200") == 3
    assert moved(before, after, "jobnet_request_duration_seconds_count", operation="GetBorgerstatus") == 3
    assert moved(before, after, "jobnet_requests_total", operation="CreateSelvbooking", status="201") == 1
    assert moved(before, after, "jobnet_requests_total", operation="DeleteBooking", status="429") == limited
    assert moved(before, after, "jobnet_bookings_total", change="created") == 1
    assert moved(before, after, "jobnet_bookings_total", change="cancelled") == 1
    assert moved(before, after, "jobnet_bookings_total", change="rebooked") == 0
    assert moved(before, after, "jobnet_lost_races_total", fejlkode="4819") == 1
    assert moved(before, after, "jobnet_rate_limited_total", limit="citizen") == limited
    assert moved(before, after, "jobnet_kept_answers_total") == 2 + 1  # two searches here, one behind SOAP
    # the booking's choice made before the write lock held under it; the lost race had none (no free seat)
    assert moved(before, after, "jobnet_booking_plans_total", result="held") == 1
    assert moved(before, after, "jobnet_booking_plans_total", result="made_again") == 0
    assert moved(before, after, "jobnet_planner_calls_total", operation="plan_booking") == 0  # not STAR's operation
    assert moved(before, after, "jobnet_planner_calls_total", jobcentre="40404", outcome="ok") == 1
    assert moved(before, after, "jobnet_planner_calls_total", jobcentre="30303", outcome="4769") == 1
    assert moved(before, after, "jobnet_planner_calls_total", jobcentre="10101", operation="create_booking",
                 outcome="business_fault") == 1  # the lost race, as the planner answered it
    assert after[("jobnet_recovery_rounds_total", ())] == 2  # one at the start of each worker
    print(f"\nmetrics moved: requests {moved(before, after, 'jobnet_requests_total'):g}, "
          f"planner calls {moved(before, after, 'jobnet_planner_calls_total'):g}, rate-limited {limited}")


def _at(days: int) -> str:
    import datetime as dt

    from jobnet.clock import COPENHAGEN

    day = dt.datetime.now(COPENHAGEN).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, tzinfo=COPENHAGEN).isoformat()
