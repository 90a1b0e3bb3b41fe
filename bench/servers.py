"""The ASGI server choice, measured in the same run (issue 14): the service's app and the bare
100 KB endpoint under granian, driven exactly as under uvicorn (the production command), so the
report can set them side by side. Which server ``jobnet serve`` uses is decided in the README
(*Packages beyond the design card*): the faster one only if tests/system/test_server_limits.py
holds for it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import driver
from bench.server import Server, bare_server, granian_server

Phase = Callable[[dict[str, Any], dict[str, Any], Server], dict[str, Any]]


def granian(work: Path, payload: Path, workers: int, search: dict[str, Any], seconds: float, phase: Phase,
            say: Callable[[str], None]) -> dict[str, Any]:
    """The timeslot phase ``search`` (its spec) against the app under granian, then the bare endpoint."""
    found: dict[str, Any] = {}
    say("--- servers: the same app and the bare endpoint under granian")
    for key, server, spec in (
            ("timeslots", granian_server(work, workers), search),
            ("bare", bare_server(payload, workers, server="granian"), None)):
        server.start("/v1/openapi.json")
        try:
            run = spec or driver.phase("bare", "search", server.base, seconds=seconds, clients=search["clients"],
                                       op="bare", path="/v1/bare/moedetilbud/x/moedetider", params=driver.window(),
                                       cprs=["0101901234"])
            found[key] = phase({"phases": {}}, {**run, "base": server.base, "name": f"granian_{key}"}, server)
        finally:
            server.stop()
    return found


def section(results: dict[str, Any]) -> list[str]:
    """The report's table: uvicorn (the production command) and granian, same phases, same run."""
    ref = float(results["settings"].get("reference", 1.0))
    s1 = results["scales"].get(str(ref)) or {}
    gr = s1.get("servers", {}).get("granian")
    if not gr:
        return []
    uv_ts = s1.get("phases", {}).get("timeslots", {}).get("ops", {}).get("moedetider")
    uv_bare = (results.get("baseline") or {}).get("ops", {}).get("bare")
    lines = ["", f"## The ASGI server (at {ref:g}×, same run)", "",
             "| server | timeslot search req/s | p50 | p99 | bare 100 KB req/s | p50 | p99 |",
             "|---|---|---|---|---|---|---|"]
    for name, ts, bare in (("uvicorn (httptools, uvloop; `python -m jobnet.serve`)", uv_ts, uv_bare),
                           ("granian (asgi, HTTP/1)", gr["timeslots"]["ops"].get("moedetider"),
                            gr["bare"]["ops"].get("bare"))):
        if ts and bare:
            lines.append(f"| {name} | {ts['throughput_rps']:.1f} | {ts['p50_ms']:.1f} ms | {ts['p99_ms']:.1f} ms | "
                         f"{bare['throughput_rps']:.1f} | {bare['p50_ms']:.1f} ms | {bare['p99_ms']:.1f} ms |")
    return lines
