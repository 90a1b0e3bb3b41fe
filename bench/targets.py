"""The targets of a benchmark run (issue 14, with what issues 5 and 9 keep), judged within one run:
every ratio divides two figures measured in the same run (bench/ceilings.py)."""
from __future__ import annotations

import math
from typing import Any

TARGETS = {
    "published_flood_ratio": 1.5,  # a read's p50 under a document flood, to its p50 under the cheapest flood
    "booking_p50_to_bare_small": 3.0,  # session-mix booking p50, to the bare small answer's p50
    "bookings_to_store_limit": 0.50,  # bookings phase, to the store's limit
    "timeslot_throughput_ratio": 0.90,  # of the bare 100 KB endpoint
    "timeslot_p99_to_bare": 1.2,  # timeslot p99, to the bare endpoint's p99
    "edge_cpu_share": 5.0,  # % of on-CPU time on the timeslot search: size guard + access log
    "p50_growth_1_to_10": 0.30,
    "memory_mb_per_worker": 300.0,
}
OPS_ORDER = ("moedetider", "borgerstatus", "moedetilbud", "bookinger", "booking", "ombooking_moedetider", "ombook",
             "aflys")


def scale_of(results: dict[str, Any], scale: float) -> dict[str, Any] | None:
    found = results["scales"].get(str(scale))
    return found if found and "phases" in found else None


def op_of(results: dict[str, Any], scale: float, phase: str, op: str) -> dict[str, Any] | None:
    s = scale_of(results, scale)
    return None if s is None else s["phases"].get(phase, {}).get("ops", {}).get(op)


def bare_of(results: dict[str, Any], op: str = "bare") -> dict[str, Any] | None:
    found: dict[str, Any] | None = (results.get("baseline") or {}).get("ops", {}).get(op)
    return found


def p50_growth(results: dict[str, Any], ref: float) -> dict[str, tuple[float, float, float]]:
    """(growth, p50 at ref, p50 at 10 × ref) per operation measured at both scales."""
    found: dict[str, tuple[float, float, float]] = {}
    for phase in ("timeslots", "sessions"):
        small = (scale_of(results, ref) or {}).get("phases", {}).get(phase, {}).get("ops", {})
        large = (scale_of(results, ref * 10) or {}).get("phases", {}).get(phase, {}).get("ops", {})
        for op in small.keys() & large.keys():
            name = "timeslot search" if phase == "timeslots" else f"session {op}"
            a, b = small[op]["p50_ms"], large[op]["p50_ms"]
            found[name] = (b / a - 1, a, b)
    return dict(sorted(found.items()))


def edge_share(results: dict[str, Any], key: str = "moedetider") -> dict[str, float] | None:
    """The edge middleware's shares (%) of on-CPU time in the profile ``key`` (bench/profile.py)."""
    summary = ((results.get("profiles") or {}).get(key) or {}).get("summary") or {}
    found: dict[str, float] | None = summary.get("edge")
    return found


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**PASS**" if ok else "**FAIL**")


def targets(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows."""
    ref = float(results["settings"].get("reference", 1.0))
    bare, small = bare_of(results), bare_of(results, "bare_small")
    ts1 = op_of(results, ref, "timeslots", "moedetider")
    s1 = scale_of(results, ref) or {}
    rows: list[tuple[str, str, str]] = []
    t = TARGETS

    bk = op_of(results, ref, "sessions", "booking")
    rows.append((f"Booking in the session mix: p50 ≤ {t['booking_p50_to_bare_small']:g} × the bare small answer's p50",
                 f"p50 {bk['p50_ms']:.1f} ms = {bk['p50_ms'] / small['p50_ms']:.2f} × {small['p50_ms']:.1f} ms"
                 if bk and small else "–",
                 _verdict(bk["p50_ms"] <= t["booking_p50_to_bare_small"] * small["p50_ms"] if bk and small else None)))

    phase = op_of(results, ref, "bookings", "booking")
    limit = (s1.get("store_limit") or {}).get("tx_per_s")
    cons = s1.get("consistency")
    if phase and limit and cons is not None:
        bad = {k: v for k, v in cons.items() if k != "new_bookings" and v}
        short = s1["phases"].get("bookings", {}).get("clients_out_of_plan", 0)
        share = phase["ok_per_s"] / limit
        rows.append(((f"Bookings phase ≥ {100 * t['bookings_to_store_limit']:.0f} % of the store's limit, "
                     "zero double bookings"),
                     f"{phase['ok_per_s']:.1f} bookings/s = {100 * share:.1f} % of {limit:.1f}/s "
                     f"(slowest full second {phase['min_ok_per_full_s']}"
                     + (f"; {short} clients ran out of planned bookings: a lower bound" if short else "")
                     + f"); {phase['conflicts']} lost races (409), {phase['errors']} errors; database after the run: "
                     + ("consistent, 0 double bookings" if not bad else f"INCONSISTENT {bad}"),
                     _verdict(share >= t["bookings_to_store_limit"] and not bad)))
    else:
        rows.append(("Bookings phase ≥ 50 % of the store's limit, zero double bookings", "–", _verdict(None)))

    rows.append(((f"Timeslot search (31 days, 30 caseworkers) ≥ {100 * t['timeslot_throughput_ratio']:.0f} % of the "
                 "bare 100 KB endpoint's throughput"),
                 f"{ts1['throughput_rps']:.1f} req/s = {100 * ts1['throughput_rps'] / bare['throughput_rps']:.1f} % of "
                 f"{bare['throughput_rps']:.1f} req/s" if ts1 and bare else "–",
                 _verdict(ts1["throughput_rps"] >= t["timeslot_throughput_ratio"] * bare["throughput_rps"]
                          if ts1 and bare else None)))
    rows.append((f"Timeslot search p99 ≤ {t['timeslot_p99_to_bare']:g} × the bare endpoint's p99",
                 f"p99 {ts1['p99_ms']:.1f} ms = {ts1['p99_ms'] / bare['p99_ms']:.2f} × {bare['p99_ms']:.1f} ms "
                 f"(p50 {ts1['p50_ms']:.1f} ms)" if ts1 and bare else "–",
                 _verdict(ts1["p99_ms"] <= t["timeslot_p99_to_bare"] * bare["p99_ms"] if ts1 and bare else None)))

    edge = edge_share(results)
    if edge is not None:
        both = edge.get("size guard", 0.0) + edge.get("access log", 0.0)
        rows.append(((f"Edge middleware (size guard + access log) ≤ {t['edge_cpu_share']:g} % of on-CPU time on the "
                     "timeslot search"),
                     (f"{both:.1f} % (size guard {edge.get('size guard', 0.0):.1f} %, access log "
                     f"{edge.get('access log', 0.0):.1f} %; privacy headers {edge.get('privacy headers', 0.0):.1f} %)"),
                     _verdict(both <= t["edge_cpu_share"])))
    else:
        rows.append(("Edge middleware ≤ 5 % of on-CPU time on the timeslot search", "–", _verdict(None)))

    ts10 = op_of(results, ref * 10, "timeslots", "moedetider")
    if ts1 and ts10:
        growth = p50_growth(results, ref)
        worst = max(growth, key=lambda k: growth[k][0])
        listed = ", ".join(f"{op} {100 * g:+.1f} %" for op, (g, _, _) in growth.items())
        rows.append((("p50 growth 1× → 10× data ≤ 30 % (every operation: the timeslot phase and each "
                     "operation of the session phase)"),
                     (f"worst {worst} {100 * growth[worst][0]:+.1f} % ({growth[worst][1]:.1f} → "
                     f"{growth[worst][2]:.1f} ms); {listed}"),
                     _verdict(all(g <= t["p50_growth_1_to_10"] for g, _, _ in growth.values()))))
    else:
        skipped = next((s for s in results.get("skipped", []) if s["scale"] == ref * 10), None)
        hint = f"10× skipped: {skipped['reason']}" if skipped else "10× not run"
        ts01 = op_of(results, ref / 10, "timeslots", "moedetider")
        if ts01 and ts1:
            hint += (f". Indication 0.1× → 1×: {100 * (ts1['p50_ms'] / ts01['p50_ms'] - 1):+.1f} % "
                     f"({ts01['p50_ms']:.1f} → {ts1['p50_ms']:.1f} ms)")
        rows.append(("p50 growth 1× → 10× data ≤ 30 %", hint, _verdict(None)))

    idle = op_of(results, ref, "reads_idle", "borgerstatus")
    cheap = op_of(results, ref, "reads_under_cheap_flood", "borgerstatus")
    flood = op_of(results, ref, "reads_under_published_flood", "borgerstatus")
    docs = op_of(results, ref, "reads_under_published_flood", "flood")
    if idle and cheap and flood and docs:
        ratio = flood["p50_ms"] / cheap["p50_ms"]
        rows.append((("GetBorgerstatus p50 while 8 anonymous clients fetch the contract and Swagger UI (issue 9 #3) "
                     "≤ 1.5 × its p50 while 8 clients fetch the cheapest answer (an unknown path); "
                     "ratio to idle reported"),
                     (f"{flood['p50_ms']:.1f} ms under the document flood ({docs['throughput_rps']:.0f} documents/s) "
                     f"vs {cheap['p50_ms']:.1f} ms under the cheap flood = ×{ratio:.2f}; idle {idle['p50_ms']:.1f} ms "
                     f"(×{flood['p50_ms'] / idle['p50_ms']:.1f} of idle; before the fix a read stalled at ×1,900)"),
                     _verdict(ratio <= t["published_flood_ratio"])))
    else:
        rows.append(("GetBorgerstatus p50 under a flood of published-document fetches", "–", _verdict(None)))
    mem = s1.get("memory")
    rows.append((f"Server memory at 1× ≤ {t['memory_mb_per_worker']:.0f} MB per worker",
                 f"peak RSS {mem['peak_rss_mb_max']:.1f} MB per worker ({mem['workers']} workers)" if mem else "–",
                 _verdict(mem["peak_rss_mb_max"] <= t["memory_mb_per_worker"] if mem else None)))
    return rows


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b or math.isnan(a) or math.isnan(b):
        return "–"
    return f"{a / b:.2f}"
