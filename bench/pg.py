"""The PostgreSQL run of the benchmark (issue 10), beside SQLite in the same run and on the same data:
``python -m bench.pg`` (``make bench`` runs it after ``python -m bench``).

The cached national data set of a scale (bench.cache) is measured twice: on a copy of its SQLite
file with one instance of the production command (``--workers`` workers), and copied into a throwaway
PostgreSQL (jobnet.devpg) with two instances of one worker each on two ports, the driver's clients
split between them. Phases: the timeslot search of the probe offer, and booking writes for fresh
citizens with collisions on purpose (bench.driver). After each run the invariants are checked in
the database (no time held twice, seats within their range, register = planner). The ratios of
issue 10's targets are printed and written to ``bench/results/pg.md`` and ``pg.json``.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from bench import cache, checks, driver
from bench.server import UNGUARDED, Server, jobnet_server
from jobnet.clock import COPENHAGEN
from jobnet.devpg import Cluster
from jobnet.store import Database
from jobnet.store.backup import settle

RESULTS = Path(__file__).with_name("results")
INVARIANTS = {
    "times_held_twice": "SELECT count(*) FROM (SELECT 1 FROM planner_bookinger WHERE state != 'cancelled' "
                        "AND session_id IS NULL GROUP BY sagsbehandler_nummer, start HAVING count(*) > 1) d",
    "seats_out_of_range": "SELECT count(*) FROM planner_faellesmoeder WHERE ledige_pladser < 0 "
                          "OR ledige_pladser > antal_pladser",
    "register_planner_disagree": "SELECT count(*) FROM bookinger b JOIN planner_bookinger p USING (indkaldelse_id) "
                                 "WHERE (b.state = 'cancelled') != (p.state = 'cancelled')",
    "orphan_planner_bookings": "SELECT count(*) FROM planner_bookinger p WHERE p.state != 'cancelled' AND NOT EXISTS "
                               "(SELECT 1 FROM bookinger b WHERE b.indkaldelse_id = p.indkaldelse_id "
                               "AND b.state != 'cancelled') AND p.oprettet > ?",
}


def copy_to_postgres(source: Path, url: str) -> dict[str, int]:
    """Every row of the SQLite file into the migrated PostgreSQL database (COPY, triggers off, so the
    version tables and the audit trail come over as they are); identity sequences moved past the rows;
    then settled (vacuumed, frozen, analyzed) so the phases do not share the cores with autovacuum."""
    Database(url).migrate()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    try:
        tables = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT IN ('schema_migrations', 'sqlite_sequence') ORDER BY name")]
        with psycopg.connect(url) as dst, dst.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
            for table in tables:
                columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
                names = ", ".join(columns)
                with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    n = 0
                    for row in src.execute(f"SELECT {names} FROM {table}"):
                        copy.write_row(row)
                        n += 1
                counts[table] = n
            for (sequence, table, column) in cur.execute(
                    "SELECT pg_get_serial_sequence(table_name, column_name), table_name, column_name "
                    "FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'").fetchall():
                cur.execute(f"SELECT setval('{sequence}', coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)")
    finally:
        src.close()
    settle(url)
    return counts


def invariants(location: Path | str, since: dt.datetime) -> dict[str, int]:
    db = Database(location)
    try:
        return {name: int(db.conn.execute(sql, [since.astimezone(dt.UTC).isoformat()] if "?" in sql else [])
                          .fetchone()[0]) for name, sql in INVARIANTS.items()}
    finally:
        db.dispose()


def combined(results: list[dict[str, Any]], op: str) -> dict[str, Any]:
    """The figures of parallel drivers as one: rates added, latencies the worst of them."""
    ops = [r["ops"].get(op, {}) for r in results]
    out: dict[str, Any] = {k: round(sum(o.get(k, 0) for o in ops), 1)
                           for k in ("requests", "ok", "conflicts", "errors", "throughput_rps", "ok_per_s")}
    out.update({k: max(o.get(k, 0) for o in ops) for k in ("p50_ms", "p99_ms")})
    return out


def measure(bases: list[str], probe: dict[str, Any], probe_cprs: list[str], booking: dict[str, Any],
            args: argparse.Namespace) -> dict[str, Any]:
    """The two phases against ``bases`` (the clients split between them)."""
    w = driver.window()
    path = f"/v1/selvbooking/moedetilbud/{probe['moedetilbud_id']}/moedetider"
    share = args.clients // len(bases)
    out: dict[str, Any] = {}
    with cf.ThreadPoolExecutor(len(bases)) as pool:
        searches = list(pool.map(driver.run_phase, [
            driver.phase("timeslots", "search", base, seconds=args.phase_seconds, clients=share, op="moedetider",
                         path=path, params=w, cprs=probe_cprs) for base in bases]))
        out["timeslots"] = combined(searches, "moedetider")
        citizens = booking["citizens"]
        specs = [driver.phase("bookings", "bookings", base, seconds=args.phase_seconds, clients=share, seed=args.seed,
                              warmup=1.0, citizens=citizens[i::len(bases)], offers=booking["offers"])
                 for i, base in enumerate(bases)]
        plans = list(pool.map(driver.run_plan, specs))
        planned = [{**s, "plan": p, "citizens": []} for s, p in zip(specs, plans, strict=True)]
        bookings = list(pool.map(driver.run_phase, planned))
    out["bookings"] = combined(bookings, "booking")
    return out


def booking_work(work: Path) -> dict[str, Any]:
    """Fresh citizens of the 8 largest centres and up to 3 bookable offers per centre (as bench.run)."""
    now = dt.datetime.now(COPENHAGEN)
    centres = checks.largest_centres(work, 8)
    pool = checks.fresh_citizens(work, now.date(), now, limit=60000, jobcentre=tuple(centres))
    offers: list[tuple[str, str]] = []
    for offer, jc in checks.bookable_offers(work, centres):
        if sum(1 for _, c in offers if c == jc) < 3:
            offers.append((offer, jc))
    first: dict[str, str] = {}
    for cpr, jc, _ in pool:
        first.setdefault(jc, cpr)
    return {"citizens": pool, "offers": [(o, jc, first[jc]) for o, jc in offers if jc in first]}


def say(message: str) -> None:
    print(f"[bench.pg] {message}", flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def run(args: argparse.Namespace, scale: float) -> dict[str, Any]:
    cache_dir = args.results / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    path, meta, was_cached = cache.cached(cache_dir, scale, args.seed, progress=say)
    say(f"{'cached' if was_cached else 'generated'} {path.name}")
    probe = meta["probe"]
    work = cache_dir / f"pg-work-s{scale:g}.db"
    cache.remove_db(work)
    shutil.copy(path, work)
    probe_cprs = checks.citizens_of(work, probe["jobcenter"])
    booking = booking_work(work)
    report: dict[str, Any] = {"scale": scale, "clients": args.clients, "phase_seconds": args.phase_seconds}

    started = dt.datetime.now(dt.UTC)
    server = jobnet_server(work, args.workers)
    server.start("/v1/openapi.json")
    try:
        report["sqlite"] = measure([server.base], probe, probe_cprs, booking, args)
    finally:
        server.stop()
    report["sqlite"]["layout"] = f"one instance, {args.workers} workers"
    report["sqlite"]["invariants"] = invariants(work, started)
    say(f"SQLite: {report['sqlite']}")

    cluster = Cluster.temporary("jobnet-bench-pg-")
    cluster.start()
    try:
        url = cluster.create_database("jobnet")
        t = time.monotonic()
        copied = copy_to_postgres(path, url)
        say(f"copied {sum(copied.values()):,} rows into PostgreSQL in {time.monotonic() - t:.0f} s")
        started = dt.datetime.now(dt.UTC)
        instances = [Server(app="jobnet.asgi:app", workers=1, production=True,
                            env={"JOBNET_DB": url, "JOBNET_VALIDATE_RESPONSES": "0", **UNGUARDED})
                     for _ in range(2)]
        for instance in instances:
            instance.start("/v1/openapi.json")
        try:
            report["postgresql"] = measure([i.base for i in instances], probe, probe_cprs, booking, args)
        finally:
            for instance in instances:
                instance.stop()
        report["postgresql"]["layout"] = "two instances, one worker each"
        report["postgresql"]["invariants"] = invariants(url, started)
        say(f"PostgreSQL: {report['postgresql']}")
    finally:
        cluster.destroy()
        cache.remove_db(work)
    sq, pg = report["sqlite"], report["postgresql"]
    report["targets"] = {
        "bookings_per_s_pg_over_sqlite": round(pg["bookings"]["ok_per_s"] / max(1e-9, sq["bookings"]["ok_per_s"]), 2),
        "timeslot_search_pg_over_sqlite": round(pg["timeslots"]["throughput_rps"]
                                                / max(1e-9, sq["timeslots"]["throughput_rps"]), 2),
        "double_bookings": {"sqlite": sq["invariants"]["times_held_twice"],
                            "postgresql": pg["invariants"]["times_held_twice"]},
    }
    return report


GROWTH_LIMIT = 0.30  # issue 10: p50 growth 1× → 10× data ≤ 30 % for every operation on PostgreSQL too
SECTION = ("<!-- bench.pg -->", "<!-- /bench.pg -->")  # its part of report.md, replaced by each run


def growth(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """p50 growth on PostgreSQL from the smallest to the largest scale measured (None: one scale)."""
    if len(runs) < 2:
        return {}
    first, last = runs[0], runs[-1]
    return {"from": first["scale"], "to": last["scale"],
            "ops": {phase: round(last["postgresql"][phase]["p50_ms"] / max(1e-9, first["postgresql"][phase]["p50_ms"])
                                 - 1, 3) for phase in ("timeslots", "bookings")}}


def markdown(runs: list[dict[str, Any]], level: str = "#") -> str:
    grown = growth(runs)
    scales = ", ".join(f"{r['scale']:g}×" for r in runs)
    out = [(f"{level} PostgreSQL beside SQLite (issue 10): {runs[0]['clients']} clients, "
            f"{runs[0]['phase_seconds']:g} s per phase, {scales}"), ""]
    for r in runs:
        t = r["targets"]
        out += [f"{level}# At {r['scale']:g}×", "", "| | SQLite | PostgreSQL |", "|---|---|---|",
                f"| layout | {r['sqlite']['layout']} | {r['postgresql']['layout']} |"]
        for phase, figures in (("timeslots", ("throughput_rps", "p50_ms", "p99_ms")),
                               ("bookings", ("ok_per_s", "conflicts", "errors", "p50_ms", "p99_ms"))):
            out += [f"| {phase} {key} | {r['sqlite'][phase][key]} | {r['postgresql'][phase][key]} |" for key in figures]
        out += [f"| invariant: {key} | {r['sqlite']['invariants'][key]} | {r['postgresql']['invariants'][key]} |"
                for key in INVARIANTS]
        out += ["", "| target | ratio | |", "|---|---|---|",
                (f"| bookings/s on PostgreSQL (two instances) ≥ SQLite's | {t['bookings_per_s_pg_over_sqlite']} | "
                 f"{verdict(t['bookings_per_s_pg_over_sqlite'] >= 1)} |"),
                (f"| timeslot search on PostgreSQL ≥ 80 % of SQLite's | {t['timeslot_search_pg_over_sqlite']} | "
                 f"{verdict(t['timeslot_search_pg_over_sqlite'] >= 0.8)} |"),
                (f"| 0 double bookings on both | {t['double_bookings']} | "
                 f"{verdict(not any(t['double_bookings'].values()))} |"), ""]
    if not grown:
        out += ["p50 growth on PostgreSQL: one scale measured (`--scales 1,10` measures the target's two ends).", ""]
    else:
        judged = (grown["from"], grown["to"]) == (1, 10)
        out += [f"{level}# p50 growth on PostgreSQL, {grown['from']:g}× → {grown['to']:g}×"
                + ("" if judged else " (an indication: the target is judged from 1× to 10×)"), "",
                "| operation | growth | |", "|---|---|---|"]
        out += [f"| {op} | {g:+.1%} | {verdict(g <= GROWTH_LIMIT) if judged else ''} |"
                for op, g in grown["ops"].items()]
        out.append("")
    return "\n".join(out)


def into_report(report_md: Path, section: str) -> None:
    """Put the section into the benchmark's report.md (``make bench`` runs ``python -m bench`` just
    before), in place of an earlier run's."""
    if not report_md.exists():
        return
    text = report_md.read_text()
    begin, end = SECTION
    if begin in text and end in text:
        text = text[:text.index(begin)] + text[text.index(end) + len(end):].lstrip("\n")
    report_md.write_text(f"{text.rstrip()}\n\n{begin}\n{section.rstrip()}\n{end}\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.pg", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scales", default="0.1", help="comma-separated data scales, e.g. 1,10 (growth: first to last)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=2, help="SQLite's instance's workers (PostgreSQL: two instances)")
    p.add_argument("--phase-seconds", type=float, default=8.0)
    p.add_argument("--results", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    runs = [run(args, float(scale)) for scale in args.scales.split(",")]
    (args.results / "pg.json").write_text(json.dumps({"runs": runs, "growth": growth(runs)}, indent=2))
    text = markdown(runs)
    (args.results / "pg.md").write_text(text)
    into_report(args.results / "report.md", markdown(runs, level="##"))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
