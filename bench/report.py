"""The report of a benchmark run: report.md (Markdown tables), latency_vs_scale.png, results.json."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.ceilings_report import ceilings_section
from bench.compare import comparison
from bench.servers import section as servers_section
from bench.targets import OPS_ORDER, targets
from bench.targets import ratio as _ratio


def _f(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
    return str(value)


def markdown(results: dict[str, Any]) -> str:
    st = results["settings"]
    bare = (results.get("baseline") or {}).get("ops", {}).get("bare")
    lines = [
        "# Benchmark report — Jobnet self-booking service",
        "",
        (f"Run {results['started']} on {results['machine']['cores']} cores (Python {results['machine']['python']}), "
        f"{results.get('elapsed_seconds', 0):.0f} s of a {st['budget_seconds']:.0f} s budget. "
        f"Seed {st['seed']}; server `uvicorn jobnet.asgi:app --workers {st['workers']}` on 127.0.0.1; "
        f"{st['clients']} concurrent clients (threads with httpx in a separate process); "
        f"phases of {st['phase_seconds']:g} s (sessions {st['session_seconds']:g} s) after a warm-up."),
        "",
        f"## Targets (at {float(st.get('reference', 1.0)):g}×)",
        "",
        "| target | measured | result |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in targets(results)]
    lines += ["", "## Data and load time (through `jobnet.loader.load`, one chunk per team of ≤ 30 caseworkers)", "",
              ("| scale | job centres | caseworkers | offers | sessions | citizens | deadlines | bookings | "
               "load time | database |"), "|---|---|---|---|---|---|---|---|---|---|"]
    for key, s in sorted(results["scales"].items(), key=lambda kv: float(kv[0])):
        d = s.get("data")
        if not d:
            continue
        c = d["counts"]
        lines.append(f"| {float(key):g}× | {c.get('jobcentre', 0):,} | {c.get('sagsbehandlere', 0):,} | "
                     f"{c.get('moedetilbud', 0):,} | {c.get('moedetider', 0):,} | {c.get('borgere', 0):,} | "
                     f"{c.get('frister', 0):,} | {c.get('bookinger', 0):,} | {d['load_seconds']:.0f} s"
                     f"{' (cached)' if d.get('cached') else ''} | {d['db_bytes'] / 1e6:,.0f} MB |")
    for s in results.get("skipped", []):
        lines.append(f"| {s['scale']:g}× | skipped | | | | | | | | |")
    lines += ["", "## Per operation", "",
              ("Throughput is requests per second over the measured window (all operations of a phase share the "
              "server); *× bare* divides by the bare baseline's throughput, *p50 × bare* by its p50. "
              "Conflicts are lost races for a time (409 / 4819 or 4767), a correct answer; errors are everything "
              "else that is not 2xx."), "",
              ("| scale | phase | operation | requests | errors | conflicts | req/s | × bare | p50 ms | p95 ms | "
              "p99 ms | p50 × bare | p50 × bare small |"), "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    small = (results.get("baseline") or {}).get("ops", {}).get("bare_small")
    for name, f, what in (("bare", bare, f"bare endpoint ({(results.get('baseline') or {}).get('bytes', 0):,} bytes)"),
                          ("bare_small", small, (f"bare small answer to a POST "
                           f"({(results.get('baseline') or {}).get('small_bytes', 0):,} bytes)"))):
        if f:
            lines.append(f"| – | {name} | {what} | {f['requests']:,} | {f['errors']} | {f['conflicts']} | "
                         f"{f['throughput_rps']:.1f} | "
                         f"{_ratio(f['throughput_rps'], bare and bare['throughput_rps'])} | "
                         f"{f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['p99_ms']:.1f} | "
                         f"{_ratio(f['p50_ms'], bare and bare['p50_ms'])} | "
                         f"{_ratio(f['p50_ms'], small and small['p50_ms'])} |")
    for key, s in sorted(results["scales"].items(), key=lambda kv: float(kv[0])):
        for phase_name, ph in s.get("phases", {}).items():
            ops = ph.get("ops", {})
            for op in sorted(ops, key=lambda o: OPS_ORDER.index(o) if o in OPS_ORDER else 99):
                f = ops[op]
                lines.append(
                    f"| {float(key):g}× | {phase_name} | {op} | {f['requests']:,} | {f['errors']} | {f['conflicts']} | "
                    f"{f['throughput_rps']:.1f} | {_ratio(f['throughput_rps'], bare and bare['throughput_rps'])} | "
                    f"{f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['p99_ms']:.1f} | "
                    f"{_ratio(f['p50_ms'], bare and bare['p50_ms'])} | "
                    f"{_ratio(f['p50_ms'], small and small['p50_ms'])} |")
    lines += ceilings_section(results)
    lines += servers_section(results)
    lines += comparison(results)
    lines += ["", f"## CPU during the phases (cores of {results['machine']['cores']}, approximate)", "",
              ("Server = uvicorn master and workers, driver = the load-driver process, others = everything else "
              "on the machine (e.g. other people's test runs), from /proc."), "",
              "| scale | phase | server | driver | other processes | load average before |",
              "|---|---|---|---|---|---|"]
    rows = [("–", "bare", (results.get("baseline") or {}).get("cpu_cores")),
            ("–", "bare_small", (results.get("baseline") or {}).get("cpu_cores_small"))]
    for key, s in sorted(results["scales"].items(), key=lambda kv: float(kv[0])):
        rows += [(f"{float(key):g}×", name, ph.get("cpu_cores")) for name, ph in s.get("phases", {}).items()]
    for scale_txt, name, c in rows:
        if c:
            lines.append(f"| {scale_txt} | {name} | {c['server']:.2f} | {c['client']:.2f} | {c['others']:.2f} | "
                         f"{c['loadavg_1min_before']:.2f} |")
    lines += ["", "## Server memory and database consistency", "",
              ("| scale | workers | peak RSS per worker | all workers | double-booked times | wrong seat counts | "
              "register ≠ planner | 2 future Jobsamtaler | bookings made |"), "|---|---|---|---|---|---|---|---|---|"]
    for key, s in sorted(results["scales"].items(), key=lambda kv: float(kv[0])):
        m, c = s.get("memory"), s.get("consistency")
        if not m and not c:
            continue
        m = m or {}
        c = c or {}
        lines.append(f"| {float(key):g}× | {m.get('workers', '–')} | {_f(m.get('peak_rss_mb_max'))} MB | "
                     f"{_f(m.get('peak_rss_mb_sum'))} MB | {c.get('double_booked_caseworker_times', '–')} | "
                     f"{c.get('sessions_with_wrong_seats', '–')} | "
                     f"{c.get('register_without_planner_booking', 0) + c.get('planner_without_register_booking', 0)} | "
                     f"{c.get('citizens_with_two_future_jobsamtaler', '–')} | {c.get('new_bookings', '–')} |")
    if results.get("baseline"):
        m = results["baseline"]["memory"]
        lines.append(f"| bare | {m['workers']} | {m['peak_rss_mb_max']:.1f} MB | {m['peak_rss_mb_sum']:.1f} MB "
                     "| | | | | |")
    if results.get("skipped"):
        lines += ["", "## Skipped", ""]
        lines += [f"- **{s['scale']:g}×**: {s['reason']}. To include it: `{s['how']}`" for s in results["skipped"]]
    failed = [(k, s["failed"]) for k, s in results["scales"].items() if "failed" in s]
    if failed:
        lines += ["", "## Failed", ""]
        lines += [f"- {float(k):g}×:\n\n```\n{tb}\n```" for k, tb in failed]
    profiles = results.get("profiles") or {}
    if any(isinstance(v, dict) and "summary" in v for v in profiles.values()):
        slow = profiles.get("slowest_in_sessions", {})
        lines += ["", (f"## Profile at {float(st.get('reference', 1.0)):g}× "
                      "(py-spy on one worker, a dedicated phase of 16 clients each)"), "",
                  f"Slowest operation in the session phase by p50: **{slow.get('op')}** ({_f(slow.get('p50_ms'))} ms).",
                  ""]
        for op, p in profiles.items():
            if not isinstance(p, dict) or "summary" not in p:
                continue
            summary = p["summary"]
            wall = "wall" in p.get("mode", "")
            edge = summary.get("edge") or {}
            lines += [f"**{op}** — {p.get('mode', 'on-CPU, --gil')}, {summary['samples']} samples (full listing in "
                      f"`{p['file']}`); by library: "
                      + ", ".join(f"{k} {v:.0f} %" for k, v in summary["by_library"][:6]) + "; edge middleware's own "
                      "time: " + ", ".join(f"{k} {v:.1f} %" for k, v in edge.items()) + ".", "",
                      ("| project function, inclusive (where requests wait) | share | | innermost project line "
                       "| share |"
                       if wall else
                       "| project function (own time + direct library calls) | share | | innermost project line "
                       "| share |"),
                      "|---|---|---|---|---|"]
            funcs = (summary["inclusive"][2:10] if wall else summary["self_incl_calls"][:8])
            hot = summary.get("hot_lines", [])[:8]
            for i in range(max(len(funcs), len(hot))):
                f = funcs[i] if i < len(funcs) else ("", None)
                h = hot[i] if i < len(hot) else ("", None)
                lines.append(f"| {'`' + f[0] + '`' if f[0] else ''} | {_f(f[1])} % | | "
                             f"{'`' + h[0] + '`' if h[0] else ''} | {_f(h[1])} % |")
            lines.append("")
    lines += ["", "## How to read this", ""]
    base = results.get("baseline") or {}
    if bare and base.get("cpu_cores"):
        lines.append(f"- The ceiling is the ceiling of this set-up: the bare endpoint reached "
                     f"{bare['throughput_rps']:.0f} "
                     f"req/s with the driver itself using {base['cpu_cores']['client']:.2f} of the "
                     f"{results['machine']['cores']} cores, so the server had the rest; its own p99 at "
                     f"{st['clients']} clients was {bare['p99_ms']:.1f} ms for a {base['bytes']:,}-byte answer.")
    if base.get("interleaved"):
        lines.append("- The bare endpoints ran on their own server beside the service's, the 100 KB GET right after "
                     "the timeslot phase and the small POST right after the session phase, so each ceiling shares the "
                     "machine's conditions with the figures divided by it (the servers never took load at once).")
    lines += [("- Client and server share the machine; latency is measured at the client, for the baseline the same "
              "way."),
              ("- Every database is a copy of the cached one (bench/results/cache/), so each run starts from the "
              "same rows; the consistency checks run on that copy after the server stopped."),
              ("- Chart: latency_vs_scale.png (p50/p95/p99 of the timeslot search and p50 of the session operations "
              "against data scale, with the bare baseline and the 50 ms target)."), ""]
    return "\n".join(lines)


def write(results: dict[str, Any], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "report.md"
    md.write_text(markdown(results))
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=str))
    paths = [md, out_dir / "results.json"]
    from bench.chart import chart  # here: the chart reads this module's tables

    png = chart(results, out_dir / "latency_vs_scale.png")
    if png:
        paths.append(png)
    return paths
