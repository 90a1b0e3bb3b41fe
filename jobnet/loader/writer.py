"""Writing a data file as it is checked, in the one transaction of the load (nothing is kept unless
the whole file passes): the small sections when they end, the large ones in batches, the seats last."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jobnet.errors import ConstraintViolation, LoadError
from jobnet.loader.fields import SECTIONS
from jobnet.loader.parser import Parser
from jobnet.loader.records import ParsedBooking
from jobnet.loader.source import MappingSource, YamlSource
from jobnet.planner.embedded.models import PlannerBooking
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database, Tx


class Writer:
    """Writes what ``Parser`` has checked; one audit row per record as always (collected and
    inserted per batch: tx.audit.deferred)."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.repo = PlannerRepo.of(tx)
        self.numre: dict[str, int] = {}  # RID -> CaseWorkerID of the file's caseworkers
        self.session_ids: dict[tuple[str, dt.datetime], int] = {}
        self.counts = dict.fromkeys((*SECTIONS[:3], "moedetider", *SECTIONS[3:]), 0)

    def flush(self, p: Parser, section: str) -> None:
        """Write the checked records of a large section that are still pending."""
        tx, n = self.tx, 0
        if section == "borgere":
            n = len(p.borgere)
            tx.borgere.add_many(list(p.borgere.values()))
            p.borgere.clear()
        elif section == "tilmeldinger":
            n = len(p.tilmeldinger)
            tx.tilmeldinger.add_many(p.tilmeldinger)
            p.tilmeldinger.clear()
        elif section == "bookinger":
            bookinger = list(p.bookinger.values())
            n = len(bookinger)
            tx.bookinger.add_many([b.booking for b in bookinger])
            self.repo.add_bookings([self._planner_booking(p, b) for b in bookinger if b.planner is not None])
            p.bookinger.clear()
        elif section == "frister":
            n = len(p.frister)
            tx.frister.add_many(p.frister)
            p.frister.clear()
        self.counts[section] += n
        tx.audit.flush()

    def end_section(self, p: Parser, section: str) -> None:
        repo = self.repo
        if section == "jobcentre":
            for jobcenter in p.jobcentre.values():
                self.tx.jobcentre.add(jobcenter)
            self.counts[section] = len(p.jobcentre)
        elif section == "sagsbehandlere":
            self.numre = {rid: repo.add_sagsbehandler(s) for rid, s in p.sagsbehandlere.items()}
            self.counts[section] = len(self.numre)
        elif section == "moedetilbud":
            for t in p.tilbud.values():
                repo.add_tilbud(t.tilbud)
                for rid in t.rids:
                    repo.link(t.tilbud.id, p.nummer(rid, self.numre))
                for start, (antal, ledige, _) in t.sessioner.items():
                    free = antal - p.file_seats.get((t.tilbud.id, start), 0) if ledige is None else ledige
                    self.session_ids[(t.tilbud.id, start)] = repo.add_session(t.tilbud.id, start, antal, free)
            self.counts[section], self.counts["moedetider"] = len(p.tilbud), len(self.session_ids)
        else:
            self.flush(p, section)
        self.tx.audit.flush()

    def finish(self, p: Parser) -> None:
        """The seats the file's live bookings take at sessions already in the database (checked to fit:
        Parser._require_free_seats), one by one; a session of the file was written with them taken."""
        for (tilbud_id, start), (taken, last) in p._seats.items():
            if tilbud_id in p.tilbud:
                continue
            stored = self.repo.session_at(tilbud_id, start)
            assert stored is not None  # checked while parsing
            for _ in range(taken):
                if not self.repo.take_seat(stored.id):
                    raise LoadError(f"{last}.moede_start: the session has no free seat")
        self.tx.audit.flush()

    def _planner_booking(self, p: Parser, b: ParsedBooking) -> PlannerBooking:
        """The planner booking to write for ``b``, with its caseworker's number and its session."""
        assert b.planner is not None and b.rid is not None
        pb = b.planner
        session_id = None
        if p.faelles(pb.moedetilbud_id):
            session_id = self.session_ids.get((pb.moedetilbud_id, pb.start))
            if session_id is None:  # a session already in the database
                stored = self.repo.session_at(pb.moedetilbud_id, pb.start)
                assert stored is not None
                session_id = stored.id
        return dataclasses.replace(pb, sagsbehandler_nummer=p.nummer(b.rid, self.numre), session_id=session_id)


def load(db: Database, data: dict[str, Any] | Path | str, progress: Callable[[int], None] | None = None,
         ) -> dict[str, int]:
    """Check the file record by record and write it as it goes, all in one transaction that keeps
    nothing unless every record passes; returns counts per section. ``data``: the sections, or a
    file (YAML is read as a stream, JSON whole; jobnet.loader.cli.read_file checks it first).
    ``progress`` is told the number of records checked so far, every 1,000 and at the end."""
    source: Any
    if isinstance(data, (str, Path)):
        path = Path(data)
        source = YamlSource(path) if path.suffix != ".json" else MappingSource(_json(path))
    else:
        source = MappingSource(data)
    try:
        with db.transaction(actor="loader") as tx, tx.audit.deferred():
            writer = Writer(tx)
            Parser(tx, progress, writer).parse(source)
            return writer.counts
    except ConstraintViolation as exc:  # a rule only the database knows; nothing is kept
        raise LoadError(f"the database refused the file: {exc}") from exc
    finally:
        if isinstance(source, YamlSource):
            source.close()


def _json(path: Path) -> Any:
    import json

    return json.loads(path.read_text(encoding="utf-8"))
