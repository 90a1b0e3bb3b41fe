"""``python -m bench`` (``make bench``): the whole benchmark in one run, within a time budget.

    python -m bench [--scales 0.1,1,10] [--seed 1] [--budget-seconds 540] [--clients 16]

1. Data: the databases of each scale are taken from bench/results/cache/ (keyed by scale, seed,
   anchor week and a hash of the migrations and the generator) or generated there through the
   service's loader; load times are measured. 0.1× is always run; each larger scale only if its
   projected load time (from the smaller scales) plus its measurement fits the remaining budget.
   A skipped scale is printed with the reason and the command that includes it.
2. Per scale, on a copy of the cached database: the real server (``uvicorn jobnet.asgi:app
   --workers N``, N = cores) on 127.0.0.1; a timeslot-search phase (31-day window of the offer
   with 30 caseworkers, 16 clients) and a citizen-session phase; at 1× also a booking-write phase,
   the consistency checks of the database afterwards, and a py-spy profile of the slowest operation.
3. The ceilings: the bare connexion/uvicorn app serving the very bytes of a 1× timeslot answer and
   a small answer to a booking-shaped POST, driven the same way; and at 1× the store's limit (the
   booking's SQL alone, no HTTP, one thread, bench/storelimit.py). Every figure is also given as a
   ratio to them.
4. bench/results/report.md, latency_vs_scale.png, results.json and profile-*.txt.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from bench.run import Bench

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=lambda s: [float(x) for x in s.split(",")], default=[0.1, 1.0, 10.0])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--anchor", type=dt.date.fromisoformat, default=None,
                   help="day the data are relative to (default: Monday of this week)")
    p.add_argument("--reference", type=float, default=1.0,
                   help="the scale the targets are judged at (bookings phase, profile); growth is to 10x it")
    p.add_argument("--budget-seconds", type=float, default=540.0)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="uvicorn workers (default: cores)")
    p.add_argument("--phase-seconds", type=float, default=10.0, help="timeslot, booking and baseline phases")
    p.add_argument("--session-seconds", type=float, default=12.0)
    p.add_argument("--store-seconds", type=float, default=8.0,
                   help="in-process bookings recorded for the store's limit (at the reference scale)")
    p.add_argument("--no-profile", action="store_true")
    p.add_argument("--no-servers", action="store_true", help="skip the same phases under granian")
    p.add_argument("--results", type=Path, default=RESULTS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
