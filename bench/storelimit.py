"""The store's limit: what the booking's SQL costs alone, without HTTP, from one thread.

1. *Record* (``record``): bookings made in-process on a copy of the benchmark database through the
   service's own use case (``jobnet.edge.dispatch.run`` and the CreateSelvbooking handler, so the
   request id, the rules and the embedded planner run as they do behind HTTP), one thread, every
   SQL statement and its parameters captured on the connection. That run's rate is the *use case
   in-process* figure: the service's Python and SQL, no HTTP, no other thread.
2. *Replay* (``replay``): on a fresh copy of the same database (the state the recording started
   from, less the bookings the server phases made), the recorded statements of each booking are
   executed again in order with plain sqlite3, on a connection set up as the service sets up its own
   (WAL, synchronous NORMAL, foreign keys; SQLite's automatic checkpoint inside the COMMIT that
   crosses its threshold, as in the service). The write transaction
   (``BEGIN IMMEDIATE`` … ``COMMIT``) is timed apart from the reads the request makes before it:
   its rate is **the store's limit**, since only one writer at a time can run it (one database
   file, one write lock), while the reads run in parallel in every worker.

Both run in a spawned process (``measure``), so the recording connection class never reaches the
benchmark's own process.
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import functools
import json
import multiprocessing as mp
import random
import sqlite3
import statistics
import time
import uuid
from pathlib import Path
from typing import Any
from unittest import mock

Statement = tuple[str, Any]
WARMUP = 50  # replayed bookings not counted: the connection's page cache fills


class RecordingConnection(sqlite3.Connection):
    """A sqlite3 connection that keeps every statement it executes, with its parameters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements: list[Statement] = []

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self.statements.append((sql, parameters))
        return super().execute(sql, parameters)


def bounds(statements: list[Statement]) -> tuple[int, int]:
    """The indices of the write transaction's BEGIN IMMEDIATE and of its COMMIT."""
    begin = next(i for i, (sql, _) in enumerate(statements) if sql == "BEGIN IMMEDIATE")
    return begin, next(i for i in range(begin, len(statements)) if statements[i][0] == "COMMIT")


def _plan(run: Any, ctx_for: Any, citizens: list[tuple[str, str, str]], offers: list[tuple[str, str]],
          seed: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(cpr, offer, body) for the citizens: each offer's free times read once, each time used at
    most once per caseworker offering it, within the citizen's deadline."""
    from bench.measure import window
    from bench.workloads import eligible_times
    from handlers.selvbooking import get_selvbooking_moedetider
    from jobnet.clock import COPENHAGEN

    first_cpr = {jc: cpr for cpr, jc, _ in reversed(citizens)}
    free: dict[str, list[tuple[str, list[dict[str, Any]]]]] = {}
    w = window()
    for offer, jc in offers:
        if jc not in first_cpr:
            continue
        body = run(ctx_for(first_cpr[jc], "GetSelvbookingMoedetider", None), False,
                   lambda c, o=offer: get_selvbooking_moedetider(c, o, w["startMoedetidsinterval"],
                                                                 w["slutMoedetidsinterval"]))
        times = json.loads(body.body).get("moedetidSamling") or []
        for t in times:
            t["left"] = len(t.get("sagsbehandlerNummerSamling") or [1])
        free.setdefault(jc, []).append((offer, times))
    rng = random.Random(f"{seed}:storelimit")
    earliest = dt.datetime.now(COPENHAGEN) + dt.timedelta(hours=2)
    days = {offer: [(dt.datetime.fromisoformat(t["starttidspunkt"]).astimezone(COPENHAGEN).date(), t)
                    for t in eligible_times(times, None, earliest)]
            for offers_of in free.values() for offer, times in offers_of}  # each time's day, once
    plan = []
    for cpr, jc, last_day in citizens:
        if not free.get(jc):
            continue
        offer, _ = rng.choice(free[jc])
        limit = dt.date.fromisoformat(last_day)
        open_times: list[dict[str, Any]] = []
        for day, t in days[offer]:  # in time order: the first 60 still open within the deadline
            if day > limit or len(open_times) == 60:
                break
            if t["left"] > 0:
                open_times.append(t)
        if not open_times:
            continue
        t = rng.choice(open_times)
        t["left"] -= 1
        plan.append((cpr, offer, {"moedeStarttidspunkt": t["starttidspunkt"],
                                  "samtaleformType": t["samtaleformSamling"][0]}))
    return plan


def record(db_path: Path, citizens: list[tuple[str, str, str]], offers: list[tuple[str, str]], seconds: float,
           seed: int = 1) -> dict[str, Any]:
    """Book in-process on ``db_path`` for up to ``seconds``; the statements of every booking made."""
    from generated import models
    from handlers.selvbooking import create_selvbooking
    from jobnet.clock import SystemClock
    from jobnet.context import Kontekst, Services
    from jobnet.edge.dispatch import run
    from jobnet.errors import Fejl
    from jobnet.planner import planner_for
    from jobnet.store import Database
    from jobnet.store.sqlite import SqliteConnection

    clock = SystemClock()
    with mock.patch.object(sqlite3, "connect", functools.partial(sqlite3.connect, factory=RecordingConnection)):
        db = Database(db_path, clock=clock)
        adapter = db.conn
        assert isinstance(adapter, SqliteConnection), "the store's limit is measured on SQLite"
        conn = adapter.raw  # this thread's sqlite3 connection: a RecordingConnection
    assert isinstance(conn, RecordingConnection)
    services = Services(db=db, clock=clock, planner_for=lambda jc: planner_for(db, jc, clock))

    def ctx_for(cpr: str, operation: str, request_id: str | None) -> Kontekst:
        return Kontekst(services=services, operation=operation, cpr=cpr, request_id=request_id)

    plan = _plan(run, ctx_for, citizens, offers, seed)
    bookings: list[list[Statement]] = []
    took: list[float] = []
    refused: dict[str, int] = {}
    deadline = time.perf_counter() + seconds
    for cpr, offer, body in plan:
        if time.perf_counter() >= deadline:
            break
        conn.statements = []
        request = models.CreateSelvbookingRequest.model_validate(body)
        started = time.perf_counter()
        try:
            run(ctx_for(cpr, "CreateSelvbooking", str(uuid.uuid4())), True,
                functools.partial(_book, create_selvbooking, offer, request))
        except Fejl as exc:
            refused[str(exc.fejlkode)] = refused.get(str(exc.fejlkode), 0) + 1
            continue
        took.append(time.perf_counter() - started)
        bookings.append(conn.statements)
    db.close()
    return {"bookings": bookings, "seconds": took, "planned": len(plan), "refused": refused}


def _book(create: Any, offer: str, request: Any, ctx: Any) -> Any:
    return create(ctx, offer, request)


def replay(db_path: Path, bookings: list[list[Statement]], warmup: int = WARMUP) -> dict[str, Any]:
    """Execute each booking's recorded statements again on ``db_path``, timing the write
    transaction and the reads apart; the first ``warmup`` bookings are not counted."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    for pragma in ("busy_timeout = 30000", "foreign_keys = ON", "journal_mode = wal", "synchronous = NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    tx_s: list[float] = []
    reads_s: list[float] = []
    failed = 0
    for i, statements in enumerate(bookings):
        begin, end = bounds(statements)
        marks = []
        try:
            for part in (statements[:begin], statements[begin:end + 1], statements[end + 1:]):
                marks.append(time.perf_counter())
                for sql, params in part:
                    conn.execute(sql, params).fetchall()
            marks.append(time.perf_counter())
        except sqlite3.Error:
            failed += 1
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            continue
        if i >= warmup:
            tx_s.append(marks[2] - marks[1])
            reads_s.append((marks[1] - marks[0]) + (marks[3] - marks[2]))
    conn.close()
    n = len(tx_s)
    tx_total, all_total = sum(tx_s), sum(tx_s) + sum(reads_s)
    return {"transactions": n, "failed": failed,
            "tx_per_s": round(n / tx_total, 1) if tx_total else None,
            "tx_ms_p50": round(1000 * statistics.median(tx_s), 3) if tx_s else None,
            "tx_ms_mean": round(1000 * tx_total / n, 3) if n else None,
            "whole_per_s": round(n / all_total, 1) if all_total else None,
            "reads_ms_mean": round(1000 * sum(reads_s) / n, 3) if n else None}


def _run(spec: dict[str, Any]) -> dict[str, Any]:
    recorded = record(Path(spec["record_db"]), spec["citizens"], spec["offers"], spec["seconds"], spec["seed"])
    bookings: list[list[Statement]] = recorded["bookings"]
    took: list[float] = recorded["seconds"]
    counts = [(len(b), e - s + 1) for b in bookings for s, e in [bounds(b)]]
    replayed = replay(Path(spec["replay_db"]), bookings, warmup=min(WARMUP, len(bookings) // 4))
    return {
        "planned": recorded["planned"], "booked": len(bookings), "refused": recorded["refused"],
        "in_process_per_s": round(len(took) / sum(took), 1) if took else None,
        "in_process_ms_p50": round(1000 * statistics.median(took), 3) if took else None,
        "statements_in_tx": round(statistics.mean(i for _, i in counts), 1) if counts else None,
        "statements_outside_tx": round(statistics.mean(n - i for n, i in counts), 1) if counts else None,
        **replayed,
    }


def measure(record_db: Path, replay_db: Path, citizens: list[tuple[str, str, str]],
            offers: list[tuple[str, str]], seconds: float = 8.0, seed: int = 1) -> dict[str, Any]:
    """Record on ``record_db``, replay on ``replay_db`` (a fresh copy), in a spawned process."""
    spec = {"record_db": str(record_db), "replay_db": str(replay_db), "citizens": citizens, "offers": offers,
            "seconds": seconds, "seed": seed}
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        found: dict[str, Any] = pool.submit(_run, spec).result(timeout=seconds + 300)
    return found
