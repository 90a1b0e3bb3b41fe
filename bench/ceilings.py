"""The ceilings every figure of a run is compared with, measured in the same run:

- the bare endpoints (bench/bare_app.py) on the same server stack: the ~100 KB timeslot answer
  (``bare``, a read's ceiling) and a small JSON answer to a booking-shaped POST (``bare_small``,
  a write's or any small answer's ceiling), driven like the service;
- the store's limit (bench/storelimit.py): the booking's SQL alone on the same database, one thread.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import cache, checks, driver, storelimit
from bench.server import Server, bare_server
from jobnet.clock import COPENHAGEN

Phase = Callable[[dict[str, Any], dict[str, Any], Server], dict[str, Any]]
BOOKING_BODY = {"moedeStarttidspunkt": "2026-12-08T10:00:00+01:00", "samtaleformType": 1}


def baseline(payload: Path, workers: int, clients: int, seconds: float, phase: Phase,
             say: Callable[[str], None]) -> dict[str, Any] | None:
    """Both bare endpoints on one bare server: {"bare": figures, "bare_small": figures, ...}."""
    if not payload.exists():
        say("baseline skipped: no timeslot answer was captured")
        return None
    say(f"--- baseline: bare connexion FlaskApp + uvicorn, precomputed {payload.stat().st_size:,}-byte answer "
        "and a small answer to a booking-shaped POST")
    server = bare_server(payload, workers)
    server.start("/v1/openapi.json")
    try:
        big = phase({"phases": {}}, driver.phase(
            "bare", "search", server.base, seconds=seconds, clients=clients, op="bare",
            path="/v1/bare/moedetilbud/x/moedetider", params=driver.window(), cprs=["0101901234"]), server)
        small = phase({"phases": {}}, driver.phase(
            "bare_small", "post", server.base, seconds=seconds, clients=clients, op="bare_small",
            path="/v1/bare/moedetilbud/x/booking", body=BOOKING_BODY, cprs=["0101901234"]), server)
        from bench.bare_app import SMALL

        return {**big, "ops": {**big["ops"], **small["ops"]}, "bytes": payload.stat().st_size,
                "small_bytes": len(SMALL), "cpu_cores_small": small["cpu_cores"], "memory": server.memory()}
    finally:
        server.stop()


class Baseline:
    """Both bare endpoints on a bare server started beside the service's, each driven right after the
    phase it is compared with (the 100 KB GET after the timeslot phase, the small POST after the
    session phase), so that a ceiling and its figure share the machine's conditions. The two servers
    never take load at the same time."""

    def __init__(self, payload: Path, workers: int, clients: int, seconds: float, phase: Phase,
                 say: Callable[[str], None]) -> None:
        self.payload, self.clients, self.seconds, self.phase = payload, clients, seconds, phase
        self.server: Server | None = bare_server(payload, workers)
        say(f"--- baseline beside the service: bare connexion FlaskApp + uvicorn, the "
            f"{payload.stat().st_size:,}-byte answer and a small answer to a booking-shaped POST")
        self.server.start("/v1/openapi.json")
        self.found: dict[str, Any] = {}

    def big(self) -> None:
        assert self.server is not None
        self.found["big"] = self.phase({"phases": {}}, driver.phase(
            "bare", "search", self.server.base, seconds=self.seconds, clients=self.clients, op="bare",
            path="/v1/bare/moedetilbud/x/moedetider", params=driver.window(), cprs=["0101901234"]), self.server)

    def small(self) -> dict[str, Any]:
        """The small POST's phase; then the server stops and the baseline is complete."""
        assert self.server is not None
        small = self.phase({"phases": {}}, driver.phase(
            "bare_small", "post", self.server.base, seconds=self.seconds, clients=self.clients, op="bare_small",
            path="/v1/bare/moedetilbud/x/booking", body=BOOKING_BODY, cprs=["0101901234"]), self.server)
        big = self.found["big"]
        from bench.bare_app import SMALL

        found = {**big, "ops": {**big["ops"], **small["ops"]}, "bytes": self.payload.stat().st_size,
                 "small_bytes": len(SMALL), "cpu_cores_small": small["cpu_cores"], "memory": self.server.memory(),
                 "interleaved": True}
        self.stop()
        return found

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def store_limit(work: Path, fresh: Path, cache_dir: Path, seed: int, seconds: float,
                say: Callable[[str], None]) -> dict[str, Any]:
    """The booking's SQL alone: recorded in-process on ``work`` (after the server has stopped),
    replayed on a fresh copy of ``fresh`` (the cached database of the same scale)."""
    now = dt.datetime.now(COPENHAGEN)
    centres = checks.largest_centres(work, 8)
    citizens = checks.fresh_citizens(work, now.date(), now, limit=6000, jobcentre=tuple(centres))
    offers: list[tuple[str, str]] = []
    for offer, jc in checks.bookable_offers(work, centres):
        if sum(1 for _, c in offers if c == jc) < 3:
            offers.append((offer, jc))
    copy = cache_dir / "storelimit-replay.db"
    cache.remove_db(copy)
    t = time.monotonic()
    shutil.copyfile(fresh, copy)
    with copy.open("rb+") as f:  # the copy's writeback must not slow the replay's commits
        os.fsync(f.fileno())
    say(f"store limit: replay copy in {time.monotonic() - t:.1f} s; recording in-process bookings "
        f"for {seconds:g} s on the run's database, then replaying their SQL")
    try:
        found = storelimit.measure(work, copy, citizens, offers, seconds=seconds, seed=seed)
    finally:
        cache.remove_db(copy)
    say(f"store limit: {found['tx_per_s']} booking transactions/s ({found['tx_ms_mean']} ms each, "
        f"{found['statements_in_tx']} statements; with the reads before it {found['whole_per_s']}/s); "
        f"the use case in-process {found['in_process_per_s']}/s (p50 {found['in_process_ms_p50']} ms), "
        f"{found['booked']} bookings, {found['failed']} failed on replay")
    return found
