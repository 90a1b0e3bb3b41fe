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
import datetime as dt
import math
import multiprocessing as mp
import random
import threading
import time
import uuid
from collections import defaultdict
from typing import Any

import httpx

from generated.errors import Fejlkode
from jobnet.clock import COPENHAGEN

CPR = "x-civilRegistrationIdentifier"
# the time was taken by someone else meanwhile: a correct answer
LOST_RACE = {Fejlkode.TID_IKKE_LEDIG, Fejlkode.OMBOOKINGSTID_OPTAGET}
WINDOW_DAYS = 31
FIGURE_KEYS = ("requests", "ok", "conflicts", "errors", "throughput_rps", "ok_per_s",
               "p50_ms", "p95_ms", "p99_ms", "max_ms")


def phase(name: str, kind: str, base: str, *, seconds: float, clients: int = 16, warmup: float = 1.5,
          max_requests: int = 500_000, seed: int = 1, **data: Any) -> dict[str, Any]:
    return {"name": name, "kind": kind, "base": base, "seconds": seconds, "clients": clients,
            "warmup": warmup, "max_requests": max_requests, "seed": seed, **data}


def window(days: int = WINDOW_DAYS, now: dt.datetime | None = None) -> dict[str, str]:
    """A search interval from the next whole hour for ``days`` days, in Copenhagen time."""
    start = (now or dt.datetime.now(COPENHAGEN)).astimezone(COPENHAGEN).replace(minute=0, second=0, microsecond=0)
    start += dt.timedelta(hours=1)
    return {"startMoedetidsinterval": start.isoformat(),
            "slutMoedetidsinterval": (start + dt.timedelta(days=days)).isoformat()}


# --- measuring ---------------------------------------------------------------------------------
class _Log:
    """One client's records: (start, op, latency ms, outcome)."""

    def __init__(self, clock_start: float, measure_from: float) -> None:
        self.records: list[tuple[float, str, float, str]] = []
        self.t0 = clock_start
        self.measure_from = measure_from
        self.out_of_plan = False

    def call(self, client: httpx.Client, op: str, method: str, url: str, **kw: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = client.request(method, url, **kw)
        except httpx.HTTPError:
            self.records.append((started, op, (time.perf_counter() - started) * 1000, "error"))
            return None
        ms = (time.perf_counter() - started) * 1000
        self.records.append((started, op, ms, _outcome(response)))
        return response


def _outcome(response: httpx.Response) -> str:
    if response.status_code < 300:
        return "ok"
    if response.status_code == 409:
        try:
            if int(response.json().get("fejlkode", 0)) in LOST_RACE:
                return "conflict"
        except ValueError:
            pass
    return "error"


def _percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, max(0, math.ceil(q * len(sorted_ms)) - 1))]


def summarize(records: list[tuple[float, str, float, str]], measure_from: float, measure_to: float,
              ) -> dict[str, dict[str, Any]]:
    seconds = max(1e-9, measure_to - measure_from)
    by_op: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for started, op, ms, outcome in records:
        if measure_from <= started < measure_to:
            by_op[op].append((started, ms, outcome))
    out: dict[str, dict[str, Any]] = {}
    for op, rows in by_op.items():
        times = sorted(r[1] for r in rows)
        ok = sum(1 for r in rows if r[2] == "ok")
        per_second: dict[int, int] = defaultdict(int)
        for started, _, outcome in rows:
            if outcome == "ok":
                per_second[int(started - measure_from)] += 1
        full = [per_second.get(s, 0) for s in range(int(seconds))]
        out[op] = {
            "requests": len(rows), "ok": ok,
            "conflicts": sum(1 for r in rows if r[2] == "conflict"),
            "errors": sum(1 for r in rows if r[2] == "error"),
            "throughput_rps": round(len(rows) / seconds, 1), "ok_per_s": round(ok / seconds, 1),
            "min_ok_per_full_s": min(full) if full else 0,
            "p50_ms": round(_percentile(times, 0.50), 2), "p95_ms": round(_percentile(times, 0.95), 2),
            "p99_ms": round(_percentile(times, 0.99), 2), "max_ms": round(times[-1], 2) if times else float("nan"),
        }
    return out


# --- the workloads (each runs in one client thread) --------------------------------------------
def _search(spec: dict[str, Any], i: int, client: httpx.Client, log: _Log, stop: _Stop) -> None:
    cprs = spec["cprs"]
    n = i
    while stop.go():
        log.call(client, spec["op"], "GET", spec["path"], params=spec["params"],
                 headers={CPR: cprs[n % len(cprs)]})
        n += spec["clients"]


PUBLISHED = ("/v1/openapi.json", "/v1/ui/", "/v1/ui/swagger-ui-bundle.js", "/v1/openapi.yaml")


def _published(spec: dict[str, Any], i: int, client: httpx.Client, log: _Log, stop: _Stop) -> None:
    cprs = spec["cprs"]
    n = i
    while stop.go():
        if i < spec["readers"]:
            log.call(client, "borgerstatus", "GET", "/v1/borgerstatus", headers={CPR: cprs[n % len(cprs)]})
        else:
            paths = spec.get("paths") or PUBLISHED
            log.call(client, "flood", "GET", paths[n % len(paths)])
        n += spec["clients"]


def _times(response: httpx.Response | None) -> list[dict[str, Any]]:
    if response is None or response.status_code != 200:
        return []
    return list(response.json().get("moedetidSamling") or [])


def _start(t: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(t["starttidspunkt"])


def _eligible(times: list[dict[str, Any]], last_day: dt.date | None, earliest: dt.datetime,
              ) -> list[dict[str, Any]]:
    return [t for t in times if _start(t) >= earliest
            and (last_day is None or _start(t).astimezone(COPENHAGEN).date() <= last_day)]


def _post(log: _Log, client: httpx.Client, op: str, url: str, body: dict[str, Any]) -> httpx.Response | None:
    return log.call(client, op, "POST", url, json=body, headers={"x-requestId": str(uuid.uuid4())})


def _sessions(spec: dict[str, Any], i: int, client: httpx.Client, log: _Log, stop: _Stop) -> None:
    rng = random.Random(f"{spec['seed']}:{i}")
    citizens = spec["citizens"][i::spec["clients"]]
    for cpr in citizens:
        if not stop.go():
            return
        client.headers[CPR] = cpr
        _one_session(spec, rng, client, log)


def _one_session(spec: dict[str, Any], rng: random.Random, client: httpx.Client, log: _Log) -> None:
    status = log.call(client, "borgerstatus", "GET", "/v1/borgerstatus")
    last_day = None
    if status is not None and status.status_code == 200:
        for frist in status.json().get("frister") or []:
            if frist.get("samtaleType") == 7 and frist.get("friststatusType") in (1, 3):
                last_day = dt.date.fromisoformat(frist["sidsteAfholdelsesdato"])
    offers = log.call(client, "moedetilbud", "GET", "/v1/selvbooking/moedetilbud")
    if offers is None or offers.status_code != 200:
        return
    choices = [o for o in offers.json().get("moedetilbudSamling") or []
               if o.get("samtaleType") == 7 and o.get("sagsbehandlerKanVaelges")]
    if not choices:
        return
    offer = rng.choice(choices)["moedetilbudId"]
    w = window()
    times = _times(log.call(client, "moedetider", "GET", f"/v1/selvbooking/moedetilbud/{offer}/moedetider", params=w))
    if rng.random() < 0.1:
        log.call(client, "bookinger", "GET", "/v1/bookinger")
    now = dt.datetime.now(COPENHAGEN)
    eligible = _eligible(times, last_day, now + dt.timedelta(hours=26))  # movable: 24 h rebooking deadline
    booking_id = None
    for _ in range(2):  # one retry when someone else took the time
        if not eligible:
            return
        t = rng.choice(eligible[:40])
        created = _post(log, client, "booking", f"/v1/selvbooking/moedetilbud/{offer}/booking",
                        {"moedeStarttidspunkt": t["starttidspunkt"],
                         "samtaleformType": rng.choice(t["samtaleformSamling"])})
        if created is not None and created.status_code == 201:
            booking_id = created.json()["indkaldelseId"]
            current = t["starttidspunkt"]
            break
        eligible.remove(t)
    if booking_id is None:
        return
    r = rng.random()
    if r < 0.2:
        moved = _times(log.call(client, "ombooking_moedetider", "GET",
                                f"/v1/indkaldelse/{booking_id}/ombooking/moedetider", params=w))
        targets = [t for t in _eligible(moved, last_day, now + dt.timedelta(hours=26))
                   if t["starttidspunkt"] != current]
        if targets:
            t = rng.choice(targets[:40])
            _post(log, client, "ombook", f"/v1/indkaldelse/{booking_id}/action/ombook",
                  {"moedeStarttidspunkt": t["starttidspunkt"], "samtaleformType": rng.choice(t["samtaleformSamling"])})
    elif r < 0.3:
        log.call(client, "aflys", "DELETE", f"/v1/indkaldelse/{booking_id}",
                 headers={"x-requestId": str(uuid.uuid4())})


def _plan_bookings(spec: dict[str, Any], client: httpx.Client) -> list[tuple[str, str, dict[str, Any]]]:
    """Before the clock starts: each offer's free times once, then (citizen, offer, body) for every
    citizen, times drawn at random from the first 60 eligible ones so that clients collide."""
    rng = random.Random(f"{spec['seed']}:plan")
    w = window()
    free: dict[str, list[tuple[str, list[dict[str, Any]], dict[int, str]]]] = defaultdict(list)
    for offer, jobcenter, cpr in spec["offers"]:
        r = client.get(f"/v1/selvbooking/moedetilbud/{offer}/moedetider", params=w, headers={CPR: cpr})
        if r.status_code == 200:
            body = r.json()
            rids = {b["sagsbehandlerNummer"]: b["sagsbehandler"]["sagsbehandlerEksterntId"]
                    for b in body.get("bookbarSagsbehandlerSamling") or []}
            free[jobcenter].append((offer, body.get("moedetidSamling") or [], rids))
    earliest = dt.datetime.now(COPENHAGEN) + dt.timedelta(hours=2)
    plan = []
    for cpr, jobcenter, last_day in spec["citizens"]:
        if not free.get(jobcenter):
            continue
        offer, times, rids = rng.choice(free[jobcenter])
        eligible = _eligible(times, dt.date.fromisoformat(last_day), earliest)[:60]
        if not eligible:
            continue
        t = rng.choice(eligible)
        body = {"moedeStarttidspunkt": t["starttidspunkt"], "samtaleformType": rng.choice(t["samtaleformSamling"])}
        if rng.random() < 0.5 and t.get("sagsbehandlerNummerSamling"):
            body["sagsbehandlerEksterntId"] = rids[rng.choice(t["sagsbehandlerNummerSamling"])]
        plan.append((cpr, offer, body))
    return plan


def _bookings(spec: dict[str, Any], i: int, client: httpx.Client, log: _Log, stop: _Stop) -> None:
    for cpr, offer, body in spec["plan"][i::spec["clients"]]:
        if not stop.go():
            return
        log.call(client, "booking", "POST", f"/v1/selvbooking/moedetilbud/{offer}/booking", json=body,
                 headers={CPR: cpr, "x-requestId": str(uuid.uuid4())})
    log.out_of_plan = True  # this client stopped before the deadline: the rate is a lower bound


WORKLOADS = {"search": _search, "sessions": _sessions, "bookings": _bookings, "published": _published}


class _Stop:
    """Shared bound of a phase: a deadline and a request budget."""

    def __init__(self, deadline: float, max_requests: int) -> None:
        self.deadline = deadline
        self.left = max_requests
        self.lock = threading.Lock()

    def go(self) -> bool:
        if time.perf_counter() >= self.deadline:
            return False
        with self.lock:
            self.left -= 1
            return self.left >= 0


def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one phase in this process (client threads); returns its figures."""
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    setup: dict[str, Any] = {}
    if spec["kind"] == "bookings" and "plan" not in spec:
        with httpx.Client(base_url=spec["base"], timeout=30) as c:
            t = time.perf_counter()
            spec = {**spec, "plan": _plan_bookings(spec, c)}
            setup = {"planned": len(spec["plan"]), "setup_s": round(time.perf_counter() - t, 2)}
    work = WORKLOADS[spec["kind"]]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    measure_from = t0 + spec["warmup"]
    deadline = measure_from + spec["seconds"]
    stop = _Stop(deadline, spec["max_requests"])
    logs = [_Log(t0, measure_from) for _ in range(spec["clients"])]
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
        return _plan_bookings(spec, c)


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
