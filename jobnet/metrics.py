"""What the service counts, for Prometheus: ``GET /metrics`` in the text format (prometheus-client).

One ``Metrics`` per app, with its own registry. Under ``python -m jobnet.serve`` every worker writes
its values to files in one directory (prometheus-client's multiprocess mode, the directory set in
the environment before the workers start: ``jobnet.serve``), and a scrape of any worker adds up
all of them. ``/metrics`` is not public: it needs a bearer token with the scope ``metrics:read``
(Prometheus sends one with ``authorization: {credentials_file: ...}``); with caller authentication
switched off it is open, like the API.

    jobnet_requests_total{operation,status}              every answer (operation "" off the contract)
    jobnet_request_duration_seconds{operation}           latency histogram
    jobnet_bookings_total{change}                        created, rebooked, cancelled, accepted
    jobnet_lost_races_total{fejlkode}                    4819 (time taken) and 4767 (rebooking time taken)
    jobnet_planner_calls_total{jobcentre,operation,outcome}  ok, 4769, 9303, 9329, 9018, business_fault
    jobnet_planner_call_duration_seconds{jobcentre,operation}
    jobnet_rate_limited_total{limit}                     client, citizen, planner_client
    jobnet_recovery_rounds_total, jobnet_planner_intents_pending
    jobnet_kept_answers_total{result}                    kept timeslot answers: hit, miss
    jobnet_booking_plans_total{result}                   bookings' choices made before the write lock: held, made_again
    jobnet_db_pool_connections{state}                    in_use, idle, waiting (where there is a pool)
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import anyio
from connexion.exceptions import Forbidden, OAuthProblem
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CHANGES = {("CreateSelvbooking", 201): "created", ("CreateStraksbooking", 201): "created",
           ("StraksbookOgTilmeld", 201): "created", ("CreateOmbooking", 200): "rebooked",
           ("DeleteBooking", 204): "cancelled", ("SaveIndkaldelsesaccept", 204): "accepted"}
LOST_RACES = frozenset({4819, 4767})
SEAM_OUTCOMES = frozenset({4769, 9303, 9329, 9018})


class Metrics:
    """``multiprocess_dir``: where the workers keep their values (Settings.metrics_dir), or None."""

    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("jobnet_requests", "Answers by operation and HTTP status",
                                ["operation", "status"], registry=r)
        self.latency = Histogram("jobnet_request_duration_seconds", "Time to answer, by operation",
                                 ["operation"], buckets=LATENCY_BUCKETS, registry=r)
        self.bookings = Counter("jobnet_bookings", "Booking changes made", ["change"], registry=r)
        self.lost_races = Counter("jobnet_lost_races", "Times taken by someone else meanwhile (4819, 4767)",
                                  ["fejlkode"], registry=r)
        self.planner_calls = Counter("jobnet_planner_calls", "Calls to a job centre's planner by outcome",
                                     ["jobcentre", "operation", "outcome"], registry=r)
        self.planner_latency = Histogram("jobnet_planner_call_duration_seconds", "Time a planner took to answer",
                                         ["jobcentre", "operation"], buckets=LATENCY_BUCKETS, registry=r)
        self.rate_limited = Counter("jobnet_rate_limited", "Calls refused by a rate limit (8309)", ["limit"],
                                    registry=r)
        self.recovery_rounds = Counter("jobnet_recovery_rounds", "Rounds of the recovery of planner changes",
                                       registry=r)
        self.pending_intents = Gauge("jobnet_planner_intents_pending", "Planner changes in flight or left half-made",
                                     registry=r, multiprocess_mode="mostrecent")
        self.kept_answers = Counter("jobnet_kept_answers", "Kept timeslot answers reused (hit) or computed (miss)",
                                    ["result"], registry=r)
        self.booking_plans = Counter("jobnet_booking_plans", "Bookings' choices made before the write lock that held "
                                     "under it (held) or were made again there (made_again)", ["result"], registry=r)
        self._answers: dict[tuple[str, int], tuple[Counter, Histogram, Counter | None]] = {}
        self.pool = Gauge("jobnet_db_pool_connections", "Database pool connections by state", ["state"],
                          registry=r, multiprocess_mode="livesum")
        self.pool_source: Callable[[], dict[str, int] | None] | None = None  # Database.pool_use
        self._pool_seen = 0.0

    def observe_pool(self) -> None:
        """The pool gauge from ``pool_source``: at each scrape, and at most once a second from each
        worker's answers (in multiprocess mode a worker writes only its own value)."""
        self._pool_seen = time.monotonic()
        use = self.pool_source() if self.pool_source is not None else None
        for state, count in (use or {}).items():
            self.pool.labels(state).set(count)

    def answered(self, operation: str | None, status: int, seconds: float) -> None:
        key = (operation or "", status)
        found = self._answers.get(key)
        if found is None:  # the labelled series of an (operation, status), looked up once
            change = CHANGES.get(key)
            found = self._answers.setdefault(key, (
                self.requests.labels(key[0], str(status)), self.latency.labels(key[0]),
                None if change is None else self.bookings.labels(change)))
        requests, latency, bookings = found
        if self.pool_source is not None and time.monotonic() - self._pool_seen > 1.0:
            self.observe_pool()
        requests.inc()
        latency.observe(seconds)
        if bookings is not None:
            bookings.inc()

    def refused(self, fejlkode: int) -> None:
        """A catalogue error was answered: count the lost races."""
        if fejlkode in LOST_RACES:
            self.lost_races.labels(str(fejlkode)).inc()

    def planner_call(self, jobcentre: str, operation: str, fejlkode: int | None, seconds: float) -> None:
        outcome = "ok" if fejlkode is None else str(fejlkode) if fejlkode in SEAM_OUTCOMES else "business_fault"
        self.planner_calls.labels(jobcentre, operation, outcome).inc()
        self.planner_latency.labels(jobcentre, operation).observe(seconds)

    def kept_answer(self, hit: bool) -> None:
        self.kept_answers.labels("hit" if hit else "miss").inc()

    def booking_plan(self, held: bool) -> None:
        self.booking_plans.labels("held" if held else "made_again").inc()

    def exposition(self) -> bytes:
        """The text format: every worker's values in multiprocess mode, else this registry's."""
        self.observe_pool()
        if self.multiprocess_dir is not None:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]  # untyped upstream
            return bytes(generate_latest(registry))
        return bytes(generate_latest(self.registry))


CONTENT_TYPE = CONTENT_TYPE_LATEST
READ_SCOPE = "metrics:read"


class MetricsEndpoint:
    """``GET /metrics``: ``metrics.exposition()`` for a caller ``admits`` (None: anyone), else 401/403."""

    def __init__(self, app: ASGIApp, metrics: Metrics, admits: Callable[[bytes | None], bool | None] | None) -> None:
        self.app, self.metrics, self.admits = app, metrics, admits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/metrics":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405, headers={"Allow": "GET, HEAD"})
        if self.admits is not None:
            verdict = self.admits(next((v for k, v in scope["headers"] if k == b"authorization"), None))
            if verdict is None:
                raise OAuthProblem(detail="a bearer token with the scope metrics:read is required")
            if not verdict:
                raise Forbidden(detail="the token lacks the scope metrics:read")
        body = await anyio.to_thread.run_sync(self.metrics.exposition)
        headers = [(b"content-type", CONTENT_TYPE.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
