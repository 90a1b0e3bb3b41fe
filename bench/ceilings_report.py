"""The report's section on the ceilings of the run: the bare endpoints, the store's limit, and every
booking figure as a share of that limit (bench/ceilings.py measures them)."""
from __future__ import annotations

from typing import Any

from bench.targets import bare_of, scale_of

WRITES = ("booking", "ombook", "aflys")


def ceilings_section(results: dict[str, Any]) -> list[str]:
    ref = float(results["settings"].get("reference", 1.0))
    s1 = scale_of(results, ref) or {}
    limit = s1.get("store_limit")
    base = results.get("baseline") or {}
    lines = ["", f"## Ceilings of this run (at {ref:g}×)", "",
             ("Measured in the same run: the bare endpoints on the same server stack, driven like the service; "
              "the store's limit is the booking's SQL alone on the same database (recorded from in-process "
              "bookings of the service's own use case, replayed with plain sqlite3 from one thread, "
              "`bench/storelimit.py`); only its write transaction is serialized, so its rate is the limit."), "",
             "| ceiling | throughput | latency |", "|---|---|---|"]
    for op, what in (("bare", f"bare GET, the {base.get('bytes', 0):,}-byte timeslot answer"),
                     ("bare_small", f"bare POST of a booking's shape, a {base.get('small_bytes', 0):,}-byte answer")):
        f = bare_of(results, op)
        if f:
            lines.append(f"| {what} | {f['throughput_rps']:.1f} req/s | p50 {f['p50_ms']:.1f} ms, "
                         f"p99 {f['p99_ms']:.1f} ms |")
    if limit:
        lines += [
            (f"| **store's limit**: the booking's write transaction alone ({limit['statements_in_tx']:g} statements, "
            f"BEGIN IMMEDIATE … COMMIT) | **{limit['tx_per_s']:.1f} transactions/s** | "
            f"mean {limit['tx_ms_mean']:.3f} ms, p50 {limit['tx_ms_p50']:.3f} ms |"),
            (f"| the booking's whole SQL, with the {limit['statements_outside_tx']:g} statements before and after the "
            f"transaction | {limit['whole_per_s']:.1f} bookings/s | reads {limit['reads_ms_mean']:.3f} ms |"),
            (f"| the booking use case in-process (the service's Python and SQL, no HTTP, one thread) | "
            f"{limit['in_process_per_s']:.1f} bookings/s | p50 {limit['in_process_ms_p50']:.3f} ms |"),
            "",
            (f"{limit['booked']:,} bookings recorded ({limit['transactions']:,} replayed and counted after a warm-up, "
            f"{limit['failed']} failed on replay; refused while recording: {limit['refused'] or 'none'})."),
        ]
    else:
        lines.append("| store's limit | not measured | |")
        return lines
    lines += ["", ("Every booking figure as a share of the store's limit (throughput: successful changes per second "
              "÷ the limit; latency: p50 ÷ the transaction's mean time):"), "",
              "| scale | phase | operation | changes/s | share of the store's limit | p50 ms | p50 × transaction |",
              "|---|---|---|---|---|---|---|"]
    for key, s in sorted(results["scales"].items(), key=lambda kv: float(kv[0])):
        for phase_name, ph in s.get("phases", {}).items():
            for op in WRITES:
                f = ph.get("ops", {}).get(op)
                if f:
                    lines.append(f"| {float(key):g}× | {phase_name} | {op} | {f['ok_per_s']:.1f} | "
                                 f"{100 * f['ok_per_s'] / limit['tx_per_s']:.1f} % | {f['p50_ms']:.1f} | "
                                 f"{f['p50_ms'] / limit['tx_ms_mean']:.0f} × |")
    return lines
