"""National-scale benchmark data, loaded through the loader the demo uses (``jobnet.loader.load``).

    python -m bench.generate --scale 1 --seed 1 --db PATH [--anchor YYYY-MM-DD]

At scale 1: 94 job centres, 3,000 caseworkers, 150,000 citizens with deadlines and enrolments,
about 300,000 bookings (26 weeks of history and 13 weeks ahead), offers of every kind and
bookable times for 13 weeks after the anchor day. A scale factor multiplies every count (0.1×,
1×, 10×, or 0.002× for a smoke test); the density per caseworker stays the same, and above 1× the
94 centres' sizes repeat (10× is ten countries of Denmark's shape), so a request costs the same work
at every scale and only the size of the tables grows.

Shape. Each job centre's caseworkers form teams of at most 30 (the first team of the largest
centre always has exactly 30: the probe offer of the targets). Each team has a full set of offers:
an individual Jobsamtale with caseworker choice (45 min, contact types 1/2/8), an Opfølgningssamtale
without choice for contact groups 1 and 2 (30 min), a Fælles jobsamtale (17, 60 min, no rebooking),
an immediate-booking Jobsamtale, and a joint Informationsmøde (90 min, 25 seats, Tuesday and
Thursday 10:00); the first team also has an inactive offer. Caseworkers work one of four
working-time profiles. Citizens are spread over the centres by size; each has an enrolment, a
Jobsamtale deadline (fulfilled by their future Jobsamtale if they have one, otherwise open; 1 %
immediate), 20 % also an Opfølgningssamtale deadline, and 0-4 bookings (past 65 %, future 35 %;
8 % cancelled, 6 % rescheduled; 25 % summons that must be accepted).

Consistency. Individual bookings lie on the planner's slot grid inside the caseworker's working
hours and never overlap a live booking of the same caseworker (any offer, any duration); joint
bookings take seats of existing sessions and never more than the session has; a citizen never has
two live future bookings of type 7 or of type 4 (8273/9220). The loader checks overlaps and seats
again and refuses the chunk otherwise.

Determinism. Every value comes from ``random.Random`` seeded with (seed, centre, team) and the
anchor day; the loader runs with a ``FixedClock`` at the anchor, so the same seed, scale and anchor
give the same rows (audit timestamps included). The anchor defaults to the Monday of the current
week (Copenhagen), so a cached database stays usable for that week.

Loading. ``load(db, data)`` validates a whole file and writes it in one transaction. The data are
loaded per team (a team's caseworkers, offers, its citizens and their bookings: about 1,500
citizens and 3,000 bookings at any scale), the job centre itself with its first team; before
issue 5 this kept the loader's once quadratic overlap check cheap. Chunks are produced in a second
process while the main process loads, which keeps both cores busy.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import multiprocessing as mp
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.population import BASE, GENERATOR_VERSION, KOMMUNER, TEAM
from bench.teams import Team, local, offer_id, team_chunk
from jobnet.clock import COPENHAGEN, FixedClock
from jobnet.loader import load
from jobnet.store import Database


# --- the plan: sizes of centres and teams, no randomness -----------------------------------------
def _spread(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: total - sum(out)]:
        out[i] += 1
    return out


def plan(scale: float) -> list[Team]:
    """Job centres sized like Danish municipalities (Zipf 0.9 over 94, repeated above 1×), split into
    teams of at most 30."""
    n_jc = max(1, round(BASE["job_centres"] * scale))
    n_cw = max(TEAM, round(BASE["caseworkers"] * scale))
    n_cit = max(10, round(BASE["citizens"] * scale))
    # Denmark's 94 centres, tiled: 10× is ten such countries, not centres ten times as big, so a
    # request's work stays the same and only the tables grow (a Zipf over 940 centres made the
    # largest six times bigger: its citizens were offered 486 meetings instead of 81).
    weights = [(i % BASE["job_centres"] + 1) ** -0.9 for i in range(n_jc)]
    per_centre = [max(4, n) for n in _spread(n_cw, weights)]
    per_centre[0] = max(TEAM, per_centre[0])  # the probe offer needs 30 caseworkers
    citizens = _spread(n_cit, [float(n) for n in per_centre])
    teams: list[Team] = []
    nummer, citizen = 1, 0
    for c, (n, cit) in enumerate(zip(per_centre, citizens, strict=True)):
        kode = f"{11000 + 10 * c:05d}"
        navn = KOMMUNER[c % len(KOMMUNER)] + ("" if c < len(KOMMUNER) else f" {c // len(KOMMUNER) + 1}")
        sizes = [TEAM] * (n // TEAM) + ([n % TEAM] if n % TEAM else [])
        for t, (size, team_cit) in enumerate(zip(sizes, _spread(cit, [float(s) for s in sizes]), strict=True)):
            teams.append(Team(c, t, kode, navn, nummer, size, citizen, team_cit))
            nummer += size
            citizen += team_cit
    return teams


def default_anchor(today: dt.date | None = None) -> dt.date:
    """The Monday of this week in Copenhagen."""
    day = today or dt.datetime.now(COPENHAGEN).date()
    return day - dt.timedelta(days=day.weekday())


def probe(seed: int, scale: float) -> dict[str, Any]:
    """The offer the timeslot target is measured on: centre 0, team 0, its Jobsamtale (30 caseworkers)."""
    first = plan(scale)[0]
    return {"jobcenter": first.kode, "moedetilbud_id": offer_id(seed, first.kode, 0, "jobsamtale"),
            "caseworkers": first.caseworkers}


# --- producing and loading -----------------------------------------------------------------------
def _produce(seed: int, teams: list[Team], anchor: dt.date, queue: Any) -> None:
    for team in teams:
        queue.put(team_chunk(seed, team, anchor))
    queue.put(None)


def chunks(seed: int, teams: list[Team], anchor: dt.date, parallel: bool = True) -> Iterator[dict[str, Any]]:
    """The teams' chunks in order; built in a child process when ``parallel``."""
    if not parallel:
        for team in teams:
            yield team_chunk(seed, team, anchor)
        return
    ctx = mp.get_context("spawn")
    queue = ctx.Queue(maxsize=4)
    proc = ctx.Process(target=_produce, args=(seed, teams, anchor, queue), daemon=True)
    proc.start()
    try:
        while (chunk := queue.get(timeout=600)) is not None:
            yield chunk
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=10)


def generate(db_path: str | Path, scale: float, seed: int, anchor: dt.date | None = None, *,
             parallel: bool = True, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Create ``db_path`` (must not exist), migrate it and load the data; returns the metadata."""
    anchor = anchor or default_anchor()
    path = Path(db_path)
    if path.exists():
        raise FileExistsError(f"{path} exists; generate into a new file")
    path.parent.mkdir(parents=True, exist_ok=True)
    teams = plan(scale)
    started = time.perf_counter()
    db = Database(path, clock=FixedClock(local(anchor, 0, 0)))
    counts: dict[str, int] = {}
    try:
        db.migrate()
        conn = db.conn  # bulk-load settings of this connection only; the file stays in WAL mode
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        last = time.perf_counter()
        for i, chunk in enumerate(chunks(seed, teams, anchor, parallel)):
            for name, n in load(db, chunk).items():
                counts[name] = counts.get(name, 0) + n
            if progress and (time.perf_counter() - last > 10 or i == len(teams) - 1):
                last = time.perf_counter()
                progress(f"  scale {scale:g}: {i + 1}/{len(teams)} teams, {counts.get('bookinger', 0):,} bookings, "
                         f"{last - started:.0f} s")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    seconds = time.perf_counter() - started
    meta = {"scale": scale, "seed": seed, "anchor": anchor.isoformat(), "generator_version": GENERATOR_VERSION,
            "counts": counts, "job_centres": len({t.kode for t in teams}), "teams": len(teams),
            "load_seconds": round(seconds, 1), "db_bytes": path.stat().st_size, "probe": probe(seed, scale)}
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale (default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True, help="SQLite file to create (must not exist)")
    parser.add_argument("--anchor", type=dt.date.fromisoformat, default=None,
                        help="the day the data are relative to (default: Monday of this week)")
    parser.add_argument("--serial", action="store_true", help="build chunks in this process (no helper)")
    args = parser.parse_args(argv)
    meta = generate(args.db, args.scale, args.seed, args.anchor, parallel=not args.serial,
                    progress=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
