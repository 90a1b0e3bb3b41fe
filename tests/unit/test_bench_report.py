"""The benchmark's report reads its figures right (bench/targets.py, bench/profile.py): the edge
middleware's own time is told apart from the app below it, and the targets are judged by ratios
within one run."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import profile, report
from bench.targets import targets

GUARD = "RequestGuard.__call__ (/x/jobnet/edge/guards.py:60)"
LOG = "AccessLog.__call__ (/x/jobnet/edge/accesslog.py:70)"


def test_edge_time_is_its_own_frames_and_helpers_not_the_app_below_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text("\n".join([
        f"run (asyncio/events.py:80);{LOG};{GUARD} 10",  # the guard itself
        f"run (asyncio/events.py:80);{LOG};{GUARD};__call__ (connexion/middleware/routing.py:150) 50",  # the app
        f"run (asyncio/events.py:80);{LOG};info (logging/__init__.py:1477);format (/x/jobnet/logs.py:110) 20",
        f"run (asyncio/events.py:80);{LOG};send (uvicorn/protocols/http/httptools_impl.py:500) 10",  # the server
        "run (asyncio/events.py:80);get (/x/handlers/selvbooking.py:30) 10",
    ]) + "\n")
    summary: dict[str, Any] = profile.summarize(raw)
    assert summary["edge"] == {"size guard": 10.0, "access log": 20.0, "privacy headers": 0.0}


def results(booking_p50: float, bookings_per_s: float) -> dict[str, Any]:
    def op(p50: float, rps: float, p99: float) -> dict[str, Any]:
        return {"p50_ms": p50, "p95_ms": p99, "p99_ms": p99, "throughput_rps": rps, "ok_per_s": rps,
                "requests": 10, "errors": 0, "conflicts": 0, "min_ok_per_full_s": rps}

    return {
        "started": "now", "machine": {"cores": 2, "python": "3.11"}, "elapsed_seconds": 1.0, "skipped": [],
        "settings": {"reference": 1.0, "budget_seconds": 1.0, "seed": 1, "workers": 2, "clients": 16,
                     "phase_seconds": 10.0, "session_seconds": 12.0},
        "baseline": {"ops": {"bare": op(10.0, 1000.0, 50.0), "bare_small": op(10.0, 1000.0, 20.0)}, "bytes": 100,
                     "small_bytes": 10, "memory": {"workers": 2, "peak_rss_mb_max": 50.0, "peak_rss_mb_sum": 100.0}},
        "profiles": {"moedetider": {"file": "profile-moedetider.txt", "mode": "on-CPU, --gil", "summary": {
            "samples": 100, "by_library": [], "inclusive": [], "self_incl_calls": [], "hot_lines": [],
            "edge": {"size guard": 1.0, "access log": 2.0}}}},
        "scales": {"1.0": {"scale": 1.0, "phases": {
            "timeslots": {"ops": {"moedetider": op(12.0, 950.0, 55.0)}},
            "sessions": {"ops": {"booking": op(booking_p50, 40.0, 60.0)}},
            "bookings": {"ops": {"booking": op(20.0, bookings_per_s, 60.0)}, "clients_out_of_plan": 0}},
            "store_limit": {"tx_per_s": 1000.0, "tx_ms_mean": 1.0, "tx_ms_p50": 0.9, "statements_in_tx": 25,
                            "statements_outside_tx": 15, "whole_per_s": 900.0, "reads_ms_mean": 0.1,
                            "in_process_per_s": 400.0, "in_process_ms_p50": 2.5, "booked": 100,
                            "transactions": 50, "failed": 0, "refused": {}},
            "consistency": {"double_booked_caseworker_times": 0, "new_bookings": 5},
            "memory": {"workers": 2, "peak_rss_mb_max": 150.0, "peak_rss_mb_sum": 300.0}}},
    }


def verdicts(r: dict[str, Any]) -> dict[str, str]:
    return {name.split(":")[0].split(" (")[0]: verdict for name, _, verdict in targets(r)}


def test_targets_are_judged_by_ratios_within_the_run() -> None:
    good = verdicts(results(booking_p50=29.0, bookings_per_s=600.0))
    both = "Bookings phase ≥ 50 % of the store's limit, zero double bookings"
    assert good["Booking in the session mix"] == good[both] == "**PASS**"
    assert good["Timeslot search"] == good["Edge middleware"] == "**PASS**"
    bad = verdicts(results(booking_p50=31.0, bookings_per_s=400.0))
    assert bad["Booking in the session mix"] == "**FAIL**"
    assert bad["Bookings phase ≥ 50 % of the store's limit, zero double bookings"] == "**FAIL**"


def test_the_report_shows_the_ceilings_and_every_booking_figure_as_a_share_of_the_store_limit() -> None:
    text = report.markdown(results(booking_p50=29.0, bookings_per_s=600.0))
    assert "**1000.0 transactions/s**" in text and "| 1× | bookings | booking | 600.0 | 60.0 % |" in text
    assert "bare POST of a booking's shape" in text
