"""A small bounded load generator for the reliability tests: a real server process with several
workers, many concurrent citizens booking, rebooking and cancelling on shared times, and the
database invariants checked afterwards."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.net import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
LOAD_CITIZENS = [f"{d:02d}0180{5000 + d}" for d in range(1, 29)]


def extra_citizens(n: int = 28) -> dict[str, Any]:
    """Enrolled citizens of job centre 10101 without deadlines, for load tests (loader format)."""
    return {"borgere": [{"cpr": c, "jobcenter": "10101", "kontaktgruppe": 1, "klientkategori": 1}
                        for c in LOAD_CITIZENS[:n]]}


class Server:
    """The production command (``python -m jobnet.serve``, N workers) in its own process group, on 127.0.0.1."""

    def __init__(self, db: Path, workers: int = 2, auth_dir: Path | None = None) -> None:
        self.db, self.workers, self.port = db, workers, free_port()
        self.auth_dir = auth_dir
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: Any = subprocess.DEVNULL  # where the server's stderr goes (a file to read it)

    def start(self) -> None:
        # the load tests judge integrity under contention, not the abuse limits (tested in test_api_limits)
        env = {**os.environ, "JOBNET_DB": str(self.db), "JOBNET_RATE_CLIENT": "off", "JOBNET_RATE_CITIZEN": "off",
               **({"JOBNET_AUTH_CONFIG": str(self.auth_dir / "issuers.json")} if self.auth_dir else {"JOBNET_AUTH": "off"})}
        env.update(JOBNET_HOST="127.0.0.1", JOBNET_PORT=str(self.port), JOBNET_WORKERS=str(self.workers))
        self.proc = subprocess.Popen([sys.executable, "-m", "jobnet.serve"],  # the production command
                                     cwd=ROOT, env=env, start_new_session=True, stderr=self.log)
        wait_until_serving(self.base, self.proc)

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handlers, no flushing."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)

    def terminate(self, timeout: float = 60) -> tuple[float, int]:
        """SIGTERM to the server (its master only, as an orchestrator stops it); the seconds until it
        exited and its exit code."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        return time.monotonic() - started, code


@contextmanager
def running(db: Path, workers: int = 2, auth_dir: Path | None = None) -> Iterator[Server]:
    server = Server(db, workers, auth_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Outcome:
    """What the clients were told: the acknowledged state of every booking they touched."""

    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    acknowledged: dict[str, str | None] = field(default_factory=dict)  # id → start, None = cancelled
    uncertain: set[str] = field(default_factory=set)  # a change was sent but its answer never came
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1


def _times(client: httpx.Client, cpr: str, offer: str, window: dict[str, str]) -> list[dict[str, Any]]:
    r = client.get(f"/selvbooking/moedetilbud/{offer}/moedetider", params=window,
                   headers={"x-civilRegistrationIdentifier": cpr})
    return list(r.json().get("moedetidSamling", [])) if r.status_code == 200 else []


def drive(base: str, offers: list[str], window: dict[str, str], citizens: list[str], seconds: float,
          max_requests: int, stop: threading.Event | None = None, seed: int = 7, token: str | None = None) -> Outcome:
    """Each thread is one citizen: book a random time of a random offer, sometimes rebook, sometimes
    cancel. Bounded by time and by request count; connection errors (a killed server) end a thread."""
    outcome = Outcome()
    stop = stop or threading.Event()
    deadline = time.monotonic() + seconds

    def citizen(cpr: str, rnd: random.Random) -> None:
        headers = {"x-civilRegistrationIdentifier": cpr}
        mine: list[str] = []
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        with httpx.Client(base_url=f"{base}/v1", timeout=10, headers=auth) as client:
            while not stop.is_set() and time.monotonic() < deadline and outcome.requests < max_requests:
                try:
                    offer = rnd.choice(offers)
                    tider = _times(client, cpr, offer, window)
                    if not tider:
                        continue
                    tid = rnd.choice(tider[: 8])  # crowd the first times: real contention
                    action = rnd.random()
                    target = rnd.choice(mine) if mine else None
                    if target and action < 0.25:
                        with outcome.lock:
                            outcome.uncertain.add(target)
                        r = client.delete(f"/indkaldelse/{target}", headers={**headers, "x-requestId": str(uuid.uuid4())})
                        outcome.count(r.status_code)
                        with outcome.lock:
                            outcome.uncertain.discard(target)
                            if r.status_code == 204:
                                outcome.acknowledged[target] = None
                        if r.status_code == 204:
                            mine.remove(target)
                    elif target and action < 0.45:
                        with outcome.lock:
                            outcome.uncertain.add(target)
                        r = client.post(f"/indkaldelse/{target}/action/ombook",
                                        json={"moedeStarttidspunkt": tid["starttidspunkt"],
                                              "samtaleformType": tid["samtaleformSamling"][0]},
                                        headers={**headers, "x-requestId": str(uuid.uuid4())})
                        outcome.count(r.status_code)
                        with outcome.lock:
                            outcome.uncertain.discard(target)
                            if r.status_code == 200:
                                outcome.acknowledged[target] = r.json()["bookingDetaljer"]["moedeStarttidspunkt"]
                    else:
                        r = client.post(f"/selvbooking/moedetilbud/{offer}/booking",
                                        json={"moedeStarttidspunkt": tid["starttidspunkt"],
                                              "samtaleformType": tid["samtaleformSamling"][0]},
                                        headers={**headers, "x-requestId": str(uuid.uuid4())})
                        outcome.count(r.status_code)
                        if r.status_code == 201:
                            body = r.json()
                            with outcome.lock:
                                outcome.acknowledged[body["indkaldelseId"]] = body["bookingDetaljer"]["moedeStarttidspunkt"]
                            mine.append(body["indkaldelseId"])
                except httpx.TransportError:
                    if stop.is_set():
                        return
                    time.sleep(0.05)

    threads = [threading.Thread(target=citizen, args=(c, random.Random(seed + i))) for i, c in enumerate(citizens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcome


_SESSIONS = ("SELECT s.id, s.antal_pladser, s.ledige_pladser, (SELECT count(*) FROM planner_bookinger b "
             "WHERE b.session_id = s.id AND b.state != 'cancelled') FROM planner_faellesmoeder s")


@contextmanager
def connected(db: Path | str) -> Iterator[Any]:
    """Statements on the database ``db`` (an SQLite file or a postgresql:// URL) from outside the server."""
    if isinstance(db, str) and db.startswith("postgresql://"):
        from jobnet.store import Database

        database = Database(db)
        try:
            yield database.conn
        finally:
            database.dispose()
        return
    conn = sqlite3.connect(db, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def seats_taken(db: Path | str) -> dict[str, tuple[int, int]]:
    """Per joint-meeting session: (free seats, live bookings) before a run. Seed data may hold seats
    for people outside this register, so a run is judged by its changes."""
    with connected(db) as conn:
        return {str(sid): (free, live) for sid, _, free, live in conn.execute(_SESSIONS).fetchall()}


def audit_mark(db: Path | str) -> int:
    with connected(db) as conn:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0])


def check_invariants(db: Path | str, outcome: Outcome, before: dict[str, tuple[int, int]], mark: int,
                     ) -> dict[str, int]:
    """Raise AssertionError on any broken invariant; return the figures checked (SQLite or PostgreSQL)."""
    with connected(db) as conn:
        return _check(conn, isinstance(db, str) and db.startswith("postgresql://"), outcome, before, mark)


def _check(conn: Any, pg: bool, outcome: Outcome, before: dict[str, tuple[int, int]], mark: int) -> dict[str, int]:
    import datetime as dt

    if not pg:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    sessions = conn.execute(_SESSIONS).fetchall()
    for sid, total, free, live in sessions:  # never negative nor oversold; every change a booking
        free_before, live_before = before.get(str(sid), (total, 0))
        assert 0 <= free <= total, ("seats out of range", sid, total, free)
        assert free_before - free == live - live_before, ("seats and bookings disagree", sid, free, live)
    doubles = conn.execute(
        "SELECT sagsbehandler_nummer, start, count(*) FROM planner_bookinger WHERE state != 'cancelled' "
        "AND session_id IS NULL GROUP BY 1, 2 HAVING count(*) > 1").fetchall()
    assert doubles == [], ("a time held twice", doubles)
    register = dict(conn.execute("SELECT indkaldelse_id, state FROM bookinger").fetchall())
    planner = dict(conn.execute("SELECT indkaldelse_id, state FROM planner_bookinger").fetchall())
    for booking_id, start in outcome.acknowledged.items():
        assert booking_id in register, ("acknowledged booking missing", booking_id)
        if booking_id in outcome.uncertain:  # a change in flight at the crash: either state, but whole
            continue
        if start is None:
            assert register[booking_id] == "cancelled", ("cancel lost", booking_id)
        else:
            assert register[booking_id] != "cancelled", ("acknowledged booking cancelled", booking_id)
            stored = conn.execute("SELECT moede_start FROM bookinger WHERE indkaldelse_id = ?", [booking_id]).fetchone()[0]
            assert dt.datetime.fromisoformat(stored) == dt.datetime.fromisoformat(start), ("time", booking_id)
    for booking_id, state in register.items():  # the register and the planner agree
        if booking_id in planner:
            assert (state == "cancelled") == (planner[booking_id] == "cancelled"), ("register/planner", booking_id)
    for booking_id, state in planner.items():
        if state != "cancelled":
            assert register.get(booking_id, "cancelled") != "cancelled", ("orphan planner booking", booking_id)
    state_of = "detail::jsonb ->> 'state'" if pg else "json_extract(detail, '$.state')"
    audited = dict(conn.execute(
        f"SELECT entity_id, {state_of} FROM audit WHERE id IN (SELECT max(id) FROM audit "
        "WHERE entity = 'booking' AND action IN ('create', 'update') GROUP BY entity_id)").fetchall())
    for booking_id, state in register.items():
        assert audited.get(booking_id) == state, ("audit does not match the row", booking_id)
    seat_audit = dict(conn.execute(
        "SELECT entity_id, sum(CASE WHEN action = 'take_seat' THEN 1 WHEN action = 'free_seat' THEN -1 ELSE 0 END) "
        "FROM audit "
        "WHERE entity = 'planner_session' AND id > ? GROUP BY entity_id", [mark]).fetchall())
    for sid, total, free, _ in sessions:  # every seat taken or freed in the run is audited
        change = before.get(str(sid), (total, 0))[0] - free
        assert seat_audit.get(str(sid), 0) == change, ("seat audit", sid, seat_audit.get(str(sid)), change)
    return {"bookings_checked": len(register), "acknowledged": len(outcome.acknowledged),
            "sessions_checked": len(sessions)}
