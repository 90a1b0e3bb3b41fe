"""Graceful shutdown (issue 11): SIGTERM under load. The server stops accepting, lets the requests
in flight finish (within uvicorn's 30 s bound), stops the periodic recovery, and exits 0; every
request was either answered or never acknowledged, and the database holds every acknowledged
booking with its invariants (no time held twice, seats never oversold, register = planner)."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.loadgen import LOAD_CITIZENS, Server, audit_mark, check_invariants, drive, seats_taken
from tests.system.test_reliability import OFFERS, live_db, window  # noqa: F401 - live_db is a fixture


def test_sigterm_under_load_finishes_what_was_acknowledged(live_db: Path, auth_dir: Path, token: str,
                                                           tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before, mark = seats_taken(live_db), audit_mark(live_db)
    server = Server(live_db, workers=2, auth_dir=auth_dir)
    log = (tmp_path / "server.log").open("wb")
    server.log = log
    server.start()
    stop = threading.Event()
    result: dict[str, Any] = {}
    try:
        worker = threading.Thread(target=lambda: result.update(outcome=drive(
            server.base, OFFERS, window(), LOAD_CITIZENS[:16], seconds=20, max_requests=3000, stop=stop, token=token)))
        worker.start()
        time.sleep(3)
        seconds, code = server.terminate()
        stop.set()
        worker.join()
    finally:
        server.stop()
        log.close()
    outcome = result["outcome"]
    figures = check_invariants(live_db, outcome, before, mark)
    text = (tmp_path / "server.log").read_text(errors="replace")
    with capsys.disabled():
        print(f"\nshutdown: {outcome.requests} writes driven, SIGTERM after 3 s, exited {code} in {seconds:.1f} s, "
              f"{len(outcome.acknowledged)} acknowledged bookings present, {figures}")
    assert code == 0 and seconds < 35
    assert "Traceback" not in text and text.count("background work stopped") == 2  # each worker's lifespan ran
    assert outcome.acknowledged and 500 not in outcome.statuses
