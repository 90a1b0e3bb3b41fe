"""Writing a checked data file, in one transaction."""
from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any

from jobnet.errors import LoadError
from jobnet.loader.parser import Parser
from jobnet.loader.records import ParsedBooking
from jobnet.planner.embedded.models import PlannerBooking
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database, Tx


def write(tx: Tx, p: Parser) -> dict[str, int]:
    """Write the checked file: the large sections with one executemany per table, and one audit
    row per record as always, inserted together at the end of the file (same transaction)."""
    repo = p.repo
    with tx.audit.deferred():
        for jobcenter in p.jobcentre.values():
            tx.jobcentre.add(jobcenter)
        numre = {rid: repo.add_sagsbehandler(s) for rid, s in p.sagsbehandlere.items()}
        sessions = 0
        session_ids: dict[tuple[str, dt.datetime], int] = {}
        for t in p.tilbud.values():
            repo.add_tilbud(t.tilbud)
            for rid in t.rids:
                repo.link(t.tilbud.id, p.nummer(rid, numre))
            for start, (antal, ledige, _) in t.sessioner.items():
                free = antal - p.taken(t.tilbud.id, start) if ledige is None else ledige
                session_ids[(t.tilbud.id, start)] = repo.add_session(t.tilbud.id, start, antal, free)
                sessions += 1
        tx.borgere.add_many(list(p.borgere.values()))
        tx.tilmeldinger.add_many(p.tilmeldinger)
        bookinger = list(p.bookinger.values())
        tx.bookinger.add_many([b.booking for b in bookinger])
        repo.add_bookings([_planner_booking(repo, p, b, numre, session_ids)
                           for b in bookinger if b.planner is not None])
        tx.frister.add_many(p.frister)
    return {
        "jobcentre": len(p.jobcentre), "sagsbehandlere": len(p.sagsbehandlere), "moedetilbud": len(p.tilbud),
        "moedetider": sessions, "borgere": len(p.borgere), "tilmeldinger": len(p.tilmeldinger),
        "frister": len(p.frister), "bookinger": len(p.bookinger),
    }


def _planner_booking(
    repo: PlannerRepo, p: Parser, b: ParsedBooking, numre: dict[str, int],
    session_ids: dict[tuple[str, dt.datetime], int],
) -> PlannerBooking:
    """The planner booking to write for ``b``; on a session already in the database it takes a seat."""
    assert b.planner is not None and b.rid is not None
    pb = b.planner
    nummer = p.nummer(b.rid, numre)
    session_id = None
    if p.faelles(pb.moedetilbud_id):
        session_id = session_ids.get((pb.moedetilbud_id, pb.start))
        if session_id is None:  # a session already in the database: take a seat the normal way
            stored = repo.session_at(pb.moedetilbud_id, pb.start)
            assert stored is not None
            session_id = stored.id
            if pb.live and not repo.take_seat(session_id):
                raise LoadError(f"{b.where}.moede_start: the session has no free seat")
    return dataclasses.replace(pb, sagsbehandler_nummer=nummer, session_id=session_id)


def load(db: Database, data: dict[str, Any], progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Check the whole file, then write it in one transaction; returns counts per section.
    ``progress`` is told the number of records checked so far, every 1,000 and at the end."""
    with db.transaction(actor="loader") as tx:
        parser = Parser(tx, progress)
        parser.parse(data)
        try:
            return write(tx, parser)
        except sqlite3.IntegrityError as exc:  # a rule only the database knows; nothing is kept
            raise LoadError(f"the database refused the file: {exc}") from exc
