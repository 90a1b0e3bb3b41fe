"""Before and after: the key figures of this run beside those of the run kept as *before*
(``bench/results/before-issue14.json``: the service as it was at the start of issue 14, main
87d9883, measured by this benchmark), each as measured and as a ratio within its own run."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.targets import bare_of, edge_share, op_of, scale_of

BEFORE = Path(__file__).resolve().parent / "results" / "before-issue14.json"
Figure = Callable[[dict[str, Any]], float | None]


def _op(phase: str, op: str, key: str) -> Figure:
    def get(r: dict[str, Any]) -> float | None:
        f = op_of(r, float(r["settings"].get("reference", 1.0)), phase, op)
        return None if f is None else float(f[key])
    return get


def _bare(op: str, key: str) -> Figure:
    def get(r: dict[str, Any]) -> float | None:
        f = bare_of(r, op)
        return None if f is None else float(f[key])
    return get


def _limit(key: str) -> Figure:
    def get(r: dict[str, Any]) -> float | None:
        found = (scale_of(r, float(r["settings"].get("reference", 1.0))) or {}).get("store_limit") or {}
        return None if found.get(key) is None else float(found[key])
    return get


def _div(a: Figure, b: Figure) -> Figure:
    def get(r: dict[str, Any]) -> float | None:
        x, y = a(r), b(r)
        return None if x is None or not y else x / y
    return get


def _edge(r: dict[str, Any]) -> float | None:
    e = edge_share(r)
    return None if e is None else e.get("size guard", 0.0) + e.get("access log", 0.0)


def _memory(r: dict[str, Any]) -> float | None:
    m = (scale_of(r, float(r["settings"].get("reference", 1.0))) or {}).get("memory")
    return None if not m else float(m["peak_rss_mb_max"])


ROWS: list[tuple[str, Figure, str]] = [
    ("session-mix booking p50 (ms)", _op("sessions", "booking", "p50_ms"), "{:.1f}"),
    ("… ÷ bare small p50 (target ≤ 3)", _div(_op("sessions", "booking", "p50_ms"), _bare("bare_small", "p50_ms")),
     "{:.2f}"),
    ("bookings phase, bookings/s", _op("bookings", "booking", "ok_per_s"), "{:.1f}"),
    ("store's limit, transactions/s", _limit("tx_per_s"), "{:.1f}"),
    ("bookings phase ÷ store's limit (target ≥ 0.5)", _div(_op("bookings", "booking", "ok_per_s"), _limit("tx_per_s")),
     "{:.2f}"),
    ("bookings phase p50 (ms)", _op("bookings", "booking", "p50_ms"), "{:.1f}"),
    ("timeslot search, req/s", _op("timeslots", "moedetider", "throughput_rps"), "{:.1f}"),
    ("… ÷ bare 100 KB req/s (target ≥ 0.9)",
     _div(_op("timeslots", "moedetider", "throughput_rps"), _bare("bare", "throughput_rps")), "{:.2f}"),
    ("timeslot p99 (ms)", _op("timeslots", "moedetider", "p99_ms"), "{:.1f}"),
    ("… ÷ bare p99 (target ≤ 1.2)", _div(_op("timeslots", "moedetider", "p99_ms"), _bare("bare", "p99_ms")), "{:.2f}"),
    ("edge: size guard + access log, % of on-CPU (target ≤ 5)", _edge, "{:.1f}"),
    ("bare 100 KB req/s", _bare("bare", "throughput_rps"), "{:.1f}"),
    ("bare small p50 (ms)", _bare("bare_small", "p50_ms"), "{:.1f}"),
    ("peak RSS per worker (MB, target ≤ 300)", _memory, "{:.1f}"),
]


def comparison(results: dict[str, Any], before_path: Path = BEFORE) -> list[str]:
    if not before_path.exists():
        return []
    before = json.loads(before_path.read_text())
    lines = ["", "## Before and after (issue 14)", "",
             (f"*Before*: `{before_path.name}`, the service of main 87d9883 (the start of issue 14) measured by "
              f"this benchmark on {before.get('started', '?')}; *after*: this run. Ratios are within each run."), "",
             "| figure | before | after | after ÷ before |", "|---|---|---|---|"]
    for name, get, fmt in ROWS:
        a, b = get(before), get(results)
        change = f"{b / a:.2f}" if a and b is not None else "–"
        lines.append(f"| {name} | {fmt.format(a) if a is not None else '–'} | "
                     f"{fmt.format(b) if b is not None else '–'} | {change} |")
    return lines
