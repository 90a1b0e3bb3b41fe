"""One benchmark run: data per scale (cached), the server, the phases, the profiles, the report."""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import httpx

from bench import cache, ceilings, checks, driver, generate, profiling, report, servers
from bench.server import Server, jobnet_server, machine_busy_seconds
from jobnet.clock import COPENHAGEN

MEASURE_RESERVE = 20.0  # seconds kept for the report and stopping processes


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.started = time.monotonic()
        self.results: dict[str, Any] = {
            "started": dt.datetime.now(COPENHAGEN).isoformat(timespec="seconds"),
            "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
            "settings": {k: v for k, v in vars(args).items() if k != "results"},
            "scales": {}, "skipped": [], "baseline": None, "profiles": {},
        }
        self.results_dir: Path = args.results
        self.cache = self.results_dir / "cache"  # databases, the bare answer, raw profiles: not for git
        self.anchor = args.anchor or generate.default_anchor()
        self.cache.mkdir(parents=True, exist_ok=True)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return float(self.args.budget_seconds) - self.elapsed()

    def say(self, message: str) -> None:
        print(f"[{self.elapsed():6.1f} s] {message}", flush=True)

    # --- the run ----------------------------------------------------------------------------
    def run(self) -> int:
        scales = sorted(self.args.scales)
        self.say(f"benchmark: scales {', '.join(f'{s:g}x' for s in scales)}, seed {self.args.seed}, "
                 f"anchor {self.anchor}, budget {self.args.budget_seconds:.0f} s, {os.cpu_count()} cores")
        measured_cost: dict[float, float] = {}
        for i, scale in enumerate(scales):
            reason, need = (None, 0.0) if i == 0 else self._too_big(scale, measured_cost)
            if reason:
                self.skip(scale, reason, need)
                continue
            t = time.monotonic()
            try:
                self.scale(scale)
            except Exception as exc:  # noqa: BLE001 (reported; the other scales still count)
                self.say(f"scale {scale:g}x FAILED: {type(exc).__name__}: {exc}")
                self.results["scales"][str(scale)] = {"scale": scale, "failed": traceback.format_exc()[-3000:]}
            measured_cost[scale] = time.monotonic() - t - self.results["scales"].get(str(scale), {}).get(
                "data", {}).get("load_seconds_this_run", 0.0)
            if self.results["baseline"] is None and (scale >= self.args.reference or i == len(scales) - 1):
                self.baseline()
        if self.results["baseline"] is None:
            self.baseline()
        self.results["elapsed_seconds"] = round(self.elapsed(), 1)
        paths = report.write(self.results, self.results_dir)
        self.say("wrote " + ", ".join(str(p.relative_to(Path.cwd()) if p.is_relative_to(Path.cwd()) else p)
                                      for p in paths))
        print()
        print(paths[0].read_text())
        return 0

    def _too_big(self, scale: float, measured_cost: dict[float, float]) -> tuple[str | None, float]:
        """Why ``scale`` does not fit into the rest of the budget (None: it fits), and the seconds it needs."""
        path = cache.cache_path(self.cache, scale, self.args.seed, self.anchor)
        done = {float(k): v for k, v in self.results["scales"].items() if "data" in v}
        if not done:
            return None, 0.0
        below = max(done)
        meta = done[below]["data"]
        factor = scale / below
        # per-record load cost grows with the database; assume the growth seen from 0.1x to 1x repeats
        growth = 1.0
        small = [s for s in done if s < below]
        if small:
            lo = done[max(small)]["data"]
            per_lo = lo["load_seconds"] / max(1e-9, lo["scale"])
            per_hi = meta["load_seconds"] / max(1e-9, meta["scale"])
            growth = max(1.0, per_hi / per_lo)
        load = 0.0 if path.exists() else meta["load_seconds"] * factor * growth
        copy = meta["db_bytes"] * factor / 400e6  # seconds, at about 400 MB/s
        measure = measured_cost.get(below, 60.0) * 1.3 + copy
        need = load + measure + (0 if self.results["baseline"] else 30) + MEASURE_RESERVE
        if need <= self.left():
            return None, need
        what = "cached" if path.exists() else (
            f"projected load {load:,.0f} s (= {meta['load_seconds']:.0f} s at {below:g}x x {factor:g} x per-record "
            f"growth {growth:.2f}), about {meta['db_bytes'] * factor / 1e9:.0f} GB")
        return (f"needs about {need:,.0f} s ({what}; measuring ~{measure:.0f} s) but only {max(0, self.left()):.0f} s "
                f"of the {self.args.budget_seconds:.0f} s budget are left"), need

    def skip(self, scale: float, reason: str, need: float) -> None:
        budget = int(math.ceil((self.elapsed() + need) / 100.0) * 100)
        scales = ",".join(f"{s:g}" for s in sorted(self.args.scales))
        cmd = (f"python -m bench --scales {scales} --budget-seconds {budget} (the generated database is cached in "
               f"{self.cache.name}/, so later runs only pay for measuring)")
        self.say(f"SKIPPED {scale:g}x: {reason}. To include it: {cmd}")
        self.results["skipped"].append({"scale": scale, "reason": reason, "how": cmd})

    def scale(self, scale: float) -> None:
        out: dict[str, Any] = {"scale": scale, "phases": {}}
        self.results["scales"][str(scale)] = out
        self.say(f"--- scale {scale:g}x: data")
        t = time.monotonic()
        path, meta, was_cached = cache.cached(self.cache, scale, self.args.seed, self.anchor, progress=self.say)
        meta = {**meta, "cached": was_cached, "load_seconds_this_run": 0.0 if was_cached else time.monotonic() - t}
        out["data"] = meta
        self.say(f"{'cached' if was_cached else 'generated'} {path.name}: "
                 + ", ".join(f"{k} {v:,}" for k, v in meta["counts"].items())
                 + f"; load {meta['load_seconds']:.0f} s{' (when generated)' if was_cached else ''}, "
                 f"{meta['db_bytes'] / 1e6:,.0f} MB")
        work = self.cache / f"work-s{scale:g}.db"
        cache.remove_db(work)
        t = time.monotonic()
        shutil.copyfile(path, work)
        self.say(f"working copy in {time.monotonic() - t:.1f} s")
        try:
            self._measure(scale, work, meta, out)
            if scale == self.args.reference and not self.args.no_servers:
                out["servers"] = {"granian": servers.granian(
                    work, self.cache / "bare_payload.json", self.args.workers, out["timeslot_spec"],
                    self.args.phase_seconds, self._phase, self.say)}
            if scale == self.args.reference:
                if self.results["baseline"] is None:  # before the store limit, whose database copy the disk
                    self.baseline()                   # writes back for a while after it
                out["store_limit"] = ceilings.store_limit(work, path, self.cache, self.args.seed,
                                                          self.args.store_seconds, self.say)
        finally:
            cache.remove_db(work)

    def _measure(self, scale: float, work: Path, meta: dict[str, Any], out: dict[str, Any]) -> None:
        a = self.args
        now = dt.datetime.now(COPENHAGEN)
        probe = meta["probe"]
        reference = scale == self.args.reference
        pool = checks.fresh_citizens(work, now.date(), now, limit=20000)
        probe_cprs = checks.citizens_of(work, probe["jobcenter"])
        session_cprs = [c[0] for c in pool[::2]]
        booking_pool = pool[1::2]
        self.say(f"{len(pool):,} citizens may book a Jobsamtale now; probe offer {probe['moedetilbud_id']} "
                 f"({probe['caseworkers']} caseworkers, job centre {probe['jobcenter']})")
        server = jobnet_server(work, a.workers)
        bare: ceilings.Baseline | None = None
        started_at = dt.datetime.now(dt.UTC)
        t = time.monotonic()
        server.start("/v1/openapi.json")
        out["server_start_seconds"] = round(time.monotonic() - t, 1)
        try:
            w = driver.window()
            search_path = f"/v1/selvbooking/moedetilbud/{probe['moedetilbud_id']}/moedetider"
            answer = httpx.get(server.base + search_path, params=w, timeout=30,
                               headers={driver.CPR: probe_cprs[0]})
            out["timeslot_answer"] = {"status": answer.status_code, "bytes": len(answer.content),
                                      "times": len(answer.json().get("moedetidSamling") or [])
                                      if answer.status_code == 200 else 0}
            if reference or not (self.cache / "bare_payload.json").exists():
                (self.cache / "bare_payload.json").write_bytes(answer.content)
            if reference and self.results["baseline"] is None:  # measured between the phases it is compared with
                bare = ceilings.Baseline(self.cache / "bare_payload.json", a.workers, a.clients, a.phase_seconds,
                                         self._phase, self.say)
            self.say(f"server up in {out['server_start_seconds']} s ({len(server.worker_pids())} workers); "
                     f"timeslot answer {answer.status_code}, {len(answer.content):,} bytes, "
                     f"{out['timeslot_answer']['times']} times")
            timeslots = driver.phase("timeslots", "search", server.base, seconds=a.phase_seconds,
                                     clients=a.clients, op="moedetider", path=search_path, params=w, cprs=probe_cprs)
            out["timeslot_spec"] = timeslots
            if bare is not None:
                bare.big()
            self._phase(out, timeslots, server)
            self._phase(out, driver.phase("sessions", "sessions", server.base, seconds=a.session_seconds,
                                          clients=a.clients, seed=a.seed, citizens=session_cprs), server)
            if bare is not None:
                self.results["baseline"], bare = bare.small(), None
            if reference:
                for name, clients, paths in (("reads_idle", 2, None), ("reads_under_cheap_flood", 10, ["/v1/ukendt"]),
                                             ("reads_under_published_flood", 10, None)):
                    self._phase(out, driver.phase(name, "published", server.base, seconds=a.phase_seconds,
                                                  clients=clients, readers=2, cprs=probe_cprs, paths=paths), server)
                centres = checks.largest_centres(work, 8)
                # All of the centres' citizens who may book (not the session phase's), so that the
                # plan outlasts the phase even at several hundred bookings per second.
                taken = set(session_cprs)
                booking_pool = [c for c in checks.fresh_citizens(work, now.date(), now, limit=60000,
                                                                 jobcentre=tuple(centres)) if c[0] not in taken]
                offers: list[tuple[str, str]] = []
                for offer, jc in checks.bookable_offers(work, centres):  # at most 3 offers per centre
                    if sum(1 for _, c in offers if c == jc) < 3:
                        offers.append((offer, jc))
                first_cpr: dict[str, str] = {}
                for cpr, jc, _ in booking_pool:
                    first_cpr.setdefault(jc, cpr)
                citizens = [c for c in booking_pool if c[1] in centres]
                third = len(citizens) // 3
                spec = driver.phase("bookings", "bookings", server.base, seconds=a.phase_seconds, clients=a.clients,
                                    seed=a.seed, warmup=1.0, citizens=citizens[:third],
                                    offers=[(o, jc, first_cpr[jc]) for o, jc in offers if jc in first_cpr])
                self._phase(out, self._planned(spec), server)
                if not a.no_profile:
                    self._profile(out, server, timeslots, [{**spec, "citizens": citizens[third:2 * third]},
                                                           {**spec, "citizens": citizens[2 * third:]}])
            out["memory"] = server.memory()
            self.say(f"server memory: peak RSS {out['memory']['peak_rss_mb_max']} MB per worker "
                     f"({out['memory']['workers']} workers, {out['memory']['peak_rss_mb_sum']} MB together)")
        finally:
            if bare is not None:
                bare.stop()
            server.stop()
            tail = server.log_tail()
            if "Traceback" in tail or "ERROR" in tail:
                out["server_log_tail"] = tail
        t = time.monotonic()
        out["consistency"] = checks.consistency(work, started_at)
        out["consistency_seconds"] = round(time.monotonic() - t, 1)
        self.say(f"database after the run: {out['consistency']}")

    def _phase(self, out: dict[str, Any], spec: dict[str, Any], server: Server) -> dict[str, Any]:
        self.say(f"phase {spec['name']}: {spec['clients']} clients, {spec['seconds']:g} s "
                 f"(+{spec['warmup']:g} s warm-up)")
        t, busy, srv = time.monotonic(), machine_busy_seconds(), server.cpu_seconds()
        load = os.getloadavg()[0]
        result = driver.run_phase(spec)
        wall = time.monotonic() - t
        total = (machine_busy_seconds() - busy) / wall
        server_cores = (server.cpu_seconds() - srv) / wall
        client_cores = result.get("client_cpu_s", 0.0) / wall
        result["cpu_cores"] = {"machine": round(total, 2), "server": round(server_cores, 2),
                               "client": round(client_cores, 2),
                               "others": round(max(0.0, total - server_cores - client_cores), 2),
                               "loadavg_1min_before": round(load, 2)}
        out["phases"][spec["name"]] = result
        for op, f in sorted(result["ops"].items()):
            self.say(f"  {op:22} {f['requests']:6d} req {f['errors']:4d} err {f['conflicts']:4d} confl "
                     f"{f['throughput_rps']:8.1f} req/s  p50 {f['p50_ms']:8.1f}  p95 {f['p95_ms']:8.1f}  "
                     f"p99 {f['p99_ms']:8.1f} ms")
        c = result["cpu_cores"]
        self.say(f"  cores busy: server {c['server']}, driver {c['client']}, other processes {c['others']} "
                 f"(of {os.cpu_count()})")
        if result.get("client_failures"):
            self.say(f"  client failures: {result['client_failures']}")
        return result

    def _planned(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A bookings phase with its plan made beforehand (each offer's free times read once), so
        neither the phase's figures nor a profile include the planning."""
        t = time.monotonic()
        plan = driver.run_plan(spec)
        self.say(f"planned {len(plan):,} bookings for {spec['name']} in {time.monotonic() - t:.1f} s")
        return {**spec, "plan": plan, "citizens": []}

    def _profile(self, out: dict[str, Any], server: Server, timeslots: dict[str, Any],
                 bookings: list[dict[str, Any]]) -> None:
        profiling.profile(self, out, server, timeslots, bookings)

    def baseline(self) -> None:
        self.results["baseline"] = ceilings.baseline(self.cache / "bare_payload.json", self.args.workers,
                                                     self.args.clients, self.args.phase_seconds, self._phase, self.say)
