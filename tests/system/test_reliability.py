"""Nothing lost or doubled under load, and nothing lost in a crash: the real server with two
workers, many concurrent citizens on shared group times and single times, invariants checked in
the database afterwards. Bounded in time; figures are printed (run with -s to see them)."""
from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from jobnet.clock import COPENHAGEN, today
from jobnet.demo import SELVBOOKER, TILBUD_INFOMOEDE, TILBUD_JOBSAMTALE, demo_data
from jobnet.loader import load
from jobnet.store import Database
from tests.support.clock import window as search_window_params
from tests.support.loadgen import (
    LOAD_CITIZENS,
    audit_mark,
    check_invariants,
    drive,
    extra_citizens,
    running,
    seats_taken,
)

OFFERS = [TILBUD_INFOMOEDE, TILBUD_JOBSAMTALE]


@pytest.fixture
def live_db(tmp_path: Path) -> Path:
    path = tmp_path / "live.db"
    db = Database(path)
    db.migrate()
    load(db, demo_data(today(db.clock)))
    load(db, extra_citizens())
    db.close()
    return path


def window() -> dict[str, str]:
    return search_window_params(dt.datetime.now(COPENHAGEN).replace(microsecond=0), days=28, ahead=dt.timedelta(days=2))


def test_no_lost_or_double_booking_under_load(live_db: Path, auth_dir: Path, token: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before, mark = seats_taken(live_db), audit_mark(live_db)
    with running(live_db, workers=2, auth_dir=auth_dir) as server:
        outcome = drive(server.base, OFFERS, window(), LOAD_CITIZENS[:16], seconds=8, max_requests=1500, token=token)
    figures = check_invariants(live_db, outcome, before, mark)
    with capsys.disabled():  # the figures belong in the test run's output
        print(f"\nload: {outcome.requests} writes driven, statuses {dict(sorted(outcome.statuses.items()))}, {figures}")
    assert outcome.statuses.get(201, 0) > 0 and outcome.statuses.get(409, 0) > 0  # real contention happened
    assert 500 not in outcome.statuses


def test_acknowledged_bookings_survive_sigkill(live_db: Path, auth_dir: Path, token: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before, mark = seats_taken(live_db), audit_mark(live_db)
    stop = threading.Event()
    result: dict[str, Any] = {}
    with running(live_db, workers=2, auth_dir=auth_dir) as server:
        worker = threading.Thread(target=lambda: result.update(outcome=drive(
            server.base, OFFERS, window(), LOAD_CITIZENS[:16], seconds=20, max_requests=3000, stop=stop, token=token)))
        worker.start()
        time.sleep(3)
        server.kill()  # mid-load, SIGKILL to master and workers
        stop.set()
        worker.join()
    outcome = result["outcome"]
    with running(live_db, workers=1, auth_dir=auth_dir) as restarted:  # recovery runs as it starts
        import httpx

        assert httpx.get(f"{restarted.base}/v1/borgerstatus", headers={
            "x-civilRegistrationIdentifier": SELVBOOKER, "Authorization": f"Bearer {token}"}).status_code == 200
    figures = check_invariants(live_db, outcome, before, mark)
    with capsys.disabled():
        print(f"\ncrash: {outcome.requests} writes before SIGKILL, {len(outcome.acknowledged)} acknowledged "
              f"bookings all present after restart, {figures}, crashes survived: 1")
    assert outcome.acknowledged
