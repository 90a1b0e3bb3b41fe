"""Measuring a phase: the log of every request, its outcome, percentiles per operation; the stop signal."""
from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import defaultdict
from typing import Any

import httpx

from generated.errors import Fejlkode
from jobnet.clock import COPENHAGEN

CPR = "x-civilRegistrationIdentifier"
# the time was taken by someone else meanwhile: a correct answer
LOST_RACE = {Fejlkode.TID_IKKE_LEDIG, Fejlkode.OMBOOKINGSTID_OPTAGET}
WINDOW_DAYS = 31


def window(days: int = WINDOW_DAYS, now: dt.datetime | None = None) -> dict[str, str]:
    """A search interval from the next whole hour for ``days`` days, in Copenhagen time."""
    start = (now or dt.datetime.now(COPENHAGEN)).astimezone(COPENHAGEN).replace(minute=0, second=0, microsecond=0)
    start += dt.timedelta(hours=1)
    return {"startMoedetidsinterval": start.isoformat(),
            "slutMoedetidsinterval": (start + dt.timedelta(days=days)).isoformat()}


# --- measuring ---------------------------------------------------------------------------------
class Log:
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
        self.records.append((started, op, ms, outcome(response)))
        return response


def outcome(response: httpx.Response) -> str:
    if response.status_code < 300:
        return "ok"
    if response.status_code == 409:
        try:
            if int(response.json().get("fejlkode", 0)) in LOST_RACE:
                return "conflict"
        except ValueError:
            pass
    return "error"


def percentile(sorted_ms: list[float], q: float) -> float:
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
            "p50_ms": round(percentile(times, 0.50), 2), "p95_ms": round(percentile(times, 0.95), 2),
            "p99_ms": round(percentile(times, 0.99), 2), "max_ms": round(times[-1], 2) if times else float("nan"),
        }
    return out


class Stop:
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
