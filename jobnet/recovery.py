"""Reconcile planner changes a dead process left half-made (rows in planner_intents).

Runs when the service starts (each worker; idempotent), then every ``JOBNET_RECOVERY_SECONDS`` in
each worker (``PeriodicRecovery``: an intent a live worker keeps after an unknown planner outcome,
a timeout or a remote fault, is reconciled once it is stale, without waiting for a restart), and as
``python -m jobnet.recovery --db PATH``.
The register is the truth for what the citizen was told:
- create: no live booking in the register → cancel it at the planner;
- reschedule: move the planner back to the register's time;
- cancel: the citizen asked to cancel → finish it: cancel at the planner and in the register.
An intent whose owner process is alive is left alone unless it is older than ``STALE`` (a process of
another host, whose pid says nothing here, counts as alive). Before reconciling, a recovery claims
the intent (``IntentRepo.claim``), so instances recovering at once never reconcile one twice.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from generated.errors import Fejlkode
from jobnet.booking.registration import register_cancellation, way_back
from jobnet.clock import Clock, SystemClock
from jobnet.domain import BorgerKontekst
from jobnet.errors import Fejl
from jobnet.metrics import Metrics
from jobnet.periodic import Periodic
from jobnet.planner.port import Planner
from jobnet.store import Database, Jobcenter
from jobnet.store.intents import HOST, Intent

log = logging.getLogger("jobnet.recovery")
STALE = dt.timedelta(minutes=10)
# the planner is already where we want it (or has nothing to undo)
ALREADY = {Fejlkode.OMBOOKINGSTID_OPTAGET, Fejlkode.UKENDT_BOOKING}


def pid_alive(pid: int) -> bool:
    """True while the process runs; a zombie (killed, not yet reaped) counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def recover(db: Database, planner_for: Callable[[Jobcenter], Planner], clock: Clock,
            alive: Callable[[int], bool] = pid_alive, metrics: Metrics | None = None) -> list[str]:
    """Reconcile every orphaned intent; returns the booking ids reconciled."""
    with db.read() as r:
        intents = r.intents.all()
    if metrics is not None:
        metrics.recovery_rounds.inc()
    done = []
    claimer = f"{HOST}:{os.getpid()}"
    for intent in intents:
        if clock.now() - intent.started_at < STALE and (not intent.local or alive(intent.owner_pid)):
            continue  # its process may still finish it (another host's process: until it is stale)
        with db.transaction(actor="recovery") as tx:
            claimed = tx.intents.claim(intent.indkaldelse_id, claimer, clock.now(), STALE)
        if not claimed:
            continue  # another instance is reconciling it, or has done so
        try:
            _reconcile(db, planner_for, intent)
        except Fejl as exc:  # the planner cannot be reached now: try again next time
            log.warning("recovery of a %s postponed: %s", intent.action, exc.fejlkode)
            with db.transaction(actor="recovery") as tx:
                tx.intents.release(intent.indkaldelse_id)
            continue
        with db.transaction(actor="recovery") as tx:
            tx.audit.record("recovered", "booking", intent.indkaldelse_id, "recovery", {"action": intent.action})
            tx.intents.finish(intent.indkaldelse_id)
        done.append(intent.indkaldelse_id)
    if metrics is not None:
        metrics.pending_intents.set(len(intents) - len(done))
    return done


class PeriodicRecovery(Periodic):
    """``recover`` every ``every`` seconds in a daemon thread until ``stop()``."""

    def __init__(self, db: Database, planner_for: Callable[[Jobcenter], Planner], clock: Clock,
                 every: float, metrics: Metrics | None = None) -> None:
        super().__init__("jobnet-recovery", every, lambda: recover(db, planner_for, clock, metrics=metrics))


def _reconcile(db: Database, planner_for: Callable[[Jobcenter], Planner], intent: Intent) -> None:
    with db.read() as r:
        booking = r.bookinger.get(intent.indkaldelse_id)
        jobcenter = r.jobcentre.get(intent.jobcenter_kode)
        borger = r.borgere.get(intent.cpr)
    if jobcenter is None:
        return
    planner = planner_for(jobcenter)
    kontekst = BorgerKontekst(cpr=intent.cpr, jobcenter_kode=jobcenter.kode,
                              kontaktgruppe=borger.kontaktgruppe if borger else None,
                              klientkategori=borger.klientkategori if borger else None)
    live = booking is not None and booking.live
    if intent.action == "create" and not live:
        _tolerate(lambda: planner.cancel_booking(kontekst, intent.indkaldelse_id))
    elif intent.action == "reschedule" and booking is not None and live:
        _tolerate(lambda: planner.reschedule_booking(kontekst, intent.indkaldelse_id, way_back(booking)))
    elif intent.action == "cancel" and live:
        _tolerate(lambda: planner.cancel_booking(kontekst, intent.indkaldelse_id))
        with db.transaction(actor="recovery") as tx:
            register_cancellation(tx, intent.indkaldelse_id)


def _tolerate(call: Callable[[], object]) -> None:
    try:
        call()
    except Fejl as exc:
        if exc.fejlkode not in ALREADY:
            raise


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="the database: an SQLite file or a postgresql:// URL")
    args = parser.parse_args(argv)
    from jobnet.config import Settings
    from jobnet.planner import planner_for

    clock = SystemClock()
    db = Database(args.db, clock=clock, sealer=Settings.from_env().sealer())
    db.migrate()
    done = recover(db, lambda jc: planner_for(db, jc, clock), clock)
    db.dispose()
    print(f"reconciled {len(done)} planner change(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
