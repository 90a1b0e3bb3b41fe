"""The profiles of a benchmark run: py-spy on one worker of the running server (bench/profile.py)."""
from __future__ import annotations

from typing import Any

from bench import driver
from bench import profile as spy
from bench.server import Server


def profile(self: Any, out: dict[str, Any], server: Server, timeslots: dict[str, Any],
            bookings: list[dict[str, Any]]) -> None:
    """py-spy on one worker while a dedicated phase drives one operation: the slowest one in the
    session phase (by p50) first; the timeslot search and the booking write are always profiled on
    CPU (--gil), and the booking write also in wall-clock time (--idle: where a request waits)."""
    sessions = out["phases"]["sessions"]["ops"]
    slowest = max(sessions, key=lambda op: sessions[op]["p50_ms"]) if sessions else "moedetider"
    self.results["profiles"]["slowest_in_sessions"] = {"op": slowest,
                                                       "p50_ms": sessions.get(slowest, {}).get("p50_ms")}
    runs = [("moedetider", timeslots, True), ("booking", bookings[0], True), ("booking-wall", bookings[1], False)]
    if slowest in ("booking", "ombook", "aflys"):
        runs = runs[1:] + runs[:1]
    seconds = 6.0
    for key, base_spec, gil in runs:
        spec = {**base_spec, "name": f"profile-{key}", "seconds": seconds, "warmup": 1.0}
        if spec["kind"] == "bookings":
            spec = self._planned(spec)
        raw = self.cache / f"profile-{key}.collapsed.txt"
        raw.unlink(missing_ok=True)
        pids = server.worker_pids()
        proc = spy.start(pids[0], seconds + 1.5, raw, gil=gil) if pids else None
        if proc is None:
            self.say("profile skipped: py-spy is not installed")
            return
        mode = "on-CPU, --gil" if gil else "wall clock, --idle"
        self.say(f"profiling {key} with py-spy ({mode}) on worker {pids[0]} ({seconds:g} s)")
        result = driver.run_phase(spec)
        message = spy.finish(proc)
        if not raw.exists():
            self.say(f"py-spy failed: {message[-500:]}")
            self.results["profiles"][key] = {"error": message[-2000:]}
            continue
        summary = spy.summarize(raw, requests_only=not gil)
        title = f"Profile of {key} at {self.args.reference:g}x ({spec['clients']} clients, worker {pids[0]})"
        text = spy.render(title, summary, mode=f"py-spy ({mode}{'' if gil else ', request threads only'})")
        (self.results_dir / f"profile-{key}.txt").write_text(text)
        self.results["profiles"][key] = {"summary": summary, "phase": result["ops"], "file": f"profile-{key}.txt",
                                         "mode": mode}
