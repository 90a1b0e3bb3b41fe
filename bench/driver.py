"""The load driver: client threads with httpx in a separate process, bounded in time and count.

A *phase* is a picklable dict (see ``phase()``); ``run_phase(spec)`` runs it in a fresh process
(spawn) and returns per-operation figures: requests, ok, conflicts (a lost race for a time, 409 /
4819 or 4767, which is the right answer), errors (anything else that is not 2xx, and transport
errors), throughput (requests/s over the measured window), ok/s, and p50/p95/p99 latency in ms.
The first ``warmup`` seconds of every phase are driven but not counted.

Kinds of phase:

* ``search``   — one GET over and over (the bare endpoint, or the timeslot search of one offer);
* ``sessions`` — a citizen session each time: status → offers → timeslots (31 days) → book a time
  within the citizen's deadline → sometimes the bookings list, a rebooking (search + move) or a
  cancellation; every citizen is used once;
* ``bookings`` — booking writes only: before the clock starts, each offer's free times are read
  once; then every client books (offer, time[, caseworker]) for fresh citizens as fast as the
  server answers, with collisions between clients on purpose;
* ``published`` — ``readers`` clients read GetBorgerstatus over and over while the other clients
  fetch the published documents (the contract, Swagger UI and its bundle) without a token, as an
  anonymous flood would (issue 9 #3), or the ``paths`` given (an unknown path: the cheapest answer);
  with no other clients it is the same read at idle.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import threading
import time
from typing import Any

import httpx

from bench.measure import CPR, WINDOW_DAYS, Log, Stop, summarize, window
from bench.workloads import WORKLOADS, plan_bookings

__all__ = ["CPR", "FIGURE_KEYS", "WINDOW_DAYS", "drive", "phase", "plan", "run_phase", "run_plan", "window"]
FIGURE_KEYS = ("requests", "ok", "conflicts", "errors", "throughput_rps", "ok_per_s",
               "p50_ms", "p95_ms", "p99_ms", "max_ms")


def phase(name: str, kind: str, base: str, *, seconds: float, clients: int = 16, warmup: float = 1.5,
          max_requests: int = 500_000, seed: int = 1, **data: Any) -> dict[str, Any]:
    return {"name": name, "kind": kind, "base": base, "seconds": seconds, "clients": clients,
            "warmup": warmup, "max_requests": max_requests, "seed": seed, **data}


def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one phase in this process (client threads); returns its figures."""
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    setup: dict[str, Any] = {}
    if spec["kind"] == "bookings" and "plan" not in spec:
        with httpx.Client(base_url=spec["base"], timeout=30) as c:
            t = time.perf_counter()
            spec = {**spec, "plan": plan_bookings(spec, c)}
            setup = {"planned": len(spec["plan"]), "setup_s": round(time.perf_counter() - t, 2)}
    work = WORKLOADS[spec["kind"]]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    measure_from = t0 + spec["warmup"]
    deadline = measure_from + spec["seconds"]
    stop = Stop(deadline, spec["max_requests"])
    logs = [Log(t0, measure_from) for _ in range(spec["clients"])]
    failures: list[str] = []

    def client_thread(i: int) -> None:
        try:
            with httpx.Client(base_url=spec["base"], timeout=10, limits=limits) as client:
                work(spec, i, client, logs[i], stop)
        except Exception as exc:  # noqa: BLE001 (reported, not raised: the other clients go on)
            failures.append(f"client {i}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client_thread, args=(i,), daemon=True) for i in range(spec["clients"])]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=max(0.0, deadline - time.perf_counter()) + 15)
    ended = min(time.perf_counter(), deadline)
    client_cpu = time.process_time() - cpu0
    records = [r for log in logs for r in log.records]
    return {"name": spec["name"], "kind": spec["kind"], "clients": spec["clients"],
            "seconds": round(ended - measure_from, 2), "ops": summarize(records, measure_from, ended),
            "client_cpu_share": round(client_cpu / max(1e-9, time.perf_counter() - t0), 2),
            "client_cpu_s": round(time.process_time(), 2),
            "client_failures": failures[:5], "hung_clients": sum(th.is_alive() for th in threads),
            "clients_out_of_plan": sum(log.out_of_plan for log in logs), **setup}


def plan(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """The booking plan of a ``bookings`` phase (reads each offer's free times once)."""
    with httpx.Client(base_url=spec["base"], timeout=30) as c:
        return plan_bookings(spec, c)


def _in_process(fn: Any, spec: dict[str, Any], timeout: float) -> Any:
    """``fn(spec)`` in a fresh spawned process; killed if it has not answered within ``timeout``."""
    pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"))
    try:
        return pool.submit(fn, spec).result(timeout=timeout)
    except cf.TimeoutError:
        for proc in list(getattr(pool, "_processes", {}).values()):  # no public way to kill a stuck worker
            proc.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_plan(spec: dict[str, Any], timeout: float = 300) -> list[tuple[str, str, dict[str, Any]]]:
    """``plan(spec)`` in a separate process, so a phase (and a profile) can start with its plan ready."""
    found: list[tuple[str, str, dict[str, Any]]] = _in_process(plan, spec, timeout)
    return found


def run_phase(spec: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """``drive(spec)`` in a separate (spawned) process, so the clients never share the server's GIL."""
    found: dict[str, Any] = _in_process(drive, spec, timeout or spec["warmup"] + spec["seconds"] + 120)
    return found
