"""jobnet.periodic: the daemon thread behind the periodic recovery and the checkpoints."""
from __future__ import annotations

import logging
import threading

import pytest

from jobnet.periodic import Periodic


def test_a_failing_round_is_logged_and_the_next_one_comes(caplog: pytest.LogCaptureFixture) -> None:
    rounds: list[int] = []
    third = threading.Event()
    finished: list[str] = []

    def work() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("the first round fails")
        if len(rounds) == 3:
            third.set()

    caplog.set_level(logging.ERROR, logger="jobnet")
    periodic = Periodic("jobnet-test", 0.01, work, finish=lambda: finished.append(threading.current_thread().name))
    assert periodic.start() is periodic
    assert third.wait(5)
    periodic.stop()
    assert not periodic.alive and finished == ["jobnet-test"]  # finish ran once, in the thread
    assert [r.getMessage() for r in caplog.records] == ["jobnet-test failed"]
    failed = caplog.records[0]  # the traceback is kept: as exc_info, or as the redacted text jobnet.logs makes of it
    assert failed.exc_info is not None or "RuntimeError: the first round fails" in (failed.exc_text or "")
