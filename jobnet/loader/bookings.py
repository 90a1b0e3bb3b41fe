"""The data file's bookings: their defaults from the offer, the caseworker's free time, the seats."""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Container
from typing import TYPE_CHECKING, Any

from jobnet.domain import Borger, Sagsbehandler
from jobnet.errors import LoadError
from jobnet.loader.fields import GUID, JOBCENTER, Felter
from jobnet.loader.records import ParsedBooking, booking_record, parse_person
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import PLANNER_EMBEDDED, Jobcenter, Tx

if TYPE_CHECKING:
    from jobnet.loader.records import Tilbud


class BookingSections:
    """The booking section of ``Parser`` (which provides the lookups and the parsed sections)."""

    tx: Tx
    repo: PlannerRepo
    now: dt.datetime
    tilbud: dict[str, Tilbud]
    jobcentre: dict[str, Jobcenter]
    bookinger: dict[str, ParsedBooking]
    _busy: dict[str, list[tuple[dt.datetime, dt.datetime, int, str]]]
    booking_ids: set[str]
    _booking_count: int
    _seats: dict[tuple[str, dt.datetime], list[Any]]

    def jobcenter(self, f: Felter, name: str, kode: str) -> Jobcenter:
        raise NotImplementedError  # Parser's
    def sagsbehandler(self, f: Felter, name: str, rid: str) -> PlannerSagsbehandler:
        raise NotImplementedError  # Parser's
    def borger(self, f: Felter, name: str = "cpr") -> Borger:
        raise NotImplementedError  # Parser's
    def offer(self, moedetilbud_id: str) -> tuple[PlannerTilbud, list[str]] | None:
        raise NotImplementedError  # Parser's
    def stored_jobcenter(self, kode: str) -> Jobcenter | None:
        raise NotImplementedError  # Parser's

    def stored_caseworker(self, rid: str) -> PlannerSagsbehandler | None:
        raise NotImplementedError  # Parser's
    def _unique(self, f: Felter, name: str, key: str, seen: Container[str], in_db: bool) -> None:
        raise NotImplementedError  # Parser's

    def _booking(self, f: Felter) -> None:
        bid = f.text("indkaldelse_id", pattern=GUID, hint="a guid")
        self._unique(f, "indkaldelse_id", bid, self.booking_ids, self.tx.bookinger.get(bid) is not None)
        borger = self.borger(f)
        start = f.instant("moede_start")
        tilbud_id = f.text("moedetilbud_id", False, GUID, "a guid")
        found = self.offer(tilbud_id) if tilbud_id else None
        if found is None:
            kode = f.text("jobcenter", False, JOBCENTER, "a job centre code of 5 digits") or borger.jobcenter_kode
            if kode and self.jobcenter(f, "jobcenter", kode).planner == PLANNER_EMBEDDED:
                f.fail("moedetilbud_id",
                       "a booking of an embedded job centre needs an offer of this file or the database")
        rid, sagsbehandler = self._booking_sagsbehandler(f)
        booking = booking_record(f, bid, borger, start, tilbud_id, found[0] if found else None,
                                  sagsbehandler, self.now)
        jobcenter = self.jobcenter(f, "jobcenter", booking.jobcenter_kode)
        parsed = ParsedBooking(f.where, booking, rid=rid)
        if jobcenter.planner == PLANNER_EMBEDDED:
            parsed.planner = self._planner_booking(f, parsed, found)
        self.bookinger[bid] = parsed
        self.booking_ids.add(bid)
        self._booking_count += 1
        pb = parsed.planner
        if pb is not None and pb.live and self.faelles(pb.moedetilbud_id):
            self._seats.setdefault((pb.moedetilbud_id, pb.start), [0, ""])[0] += 1
            self._seats[(pb.moedetilbud_id, pb.start)][1] = f.where

    def _booking_sagsbehandler(self, f: Felter) -> tuple[str | None, Sagsbehandler]:
        value = f.raw("sagsbehandler", True)
        if isinstance(value, str):
            return value, self.sagsbehandler(f, "sagsbehandler", value).sagsbehandler
        inner = f.mapping("sagsbehandler")
        assert inner is not None
        named = parse_person(inner, inner.text("eksternt_id", max_len=255))
        inner.done()
        return None, named

    def _planner_booking(
        self, f: Felter, parsed: ParsedBooking, found: tuple[PlannerTilbud, list[str]] | None
    ) -> PlannerBooking:
        b = parsed.booking
        assert found is not None  # checked in _booking
        t, rids = found
        if t.tilbud.jobcenter_kode != b.jobcenter_kode:
            f.fail("moedetilbud_id", "the offer belongs to another job centre")
        if parsed.rid is None or parsed.rid not in rids:
            f.fail("sagsbehandler", "must be the RID of one of the offer's caseworkers")
        if b.kontakt.samtaleform not in t.tilbud.samtaleformer:
            f.fail("samtaleform", "is not offered by the offer")
        if t.faelles and not self._session_exists(t.id, b.moede_start):
            f.fail("moede_start", "the joint offer has no session at this time")
        slut = b.moede_slut or b.moede_start + dt.timedelta(minutes=t.tilbud.varighed_minutter)
        if slut <= b.moede_start:
            f.fail("moede_slut", "must be after moede_start")
        pb = PlannerBooking(
            indkaldelse_id=b.indkaldelse_id, cpr=b.cpr, moedetilbud_id=t.id, start=b.moede_start, slut=slut,
            sagsbehandler_nummer=0, session_id=None, samtaleform=b.kontakt.samtaleform, state=b.state,
            accepteret=b.accepteret, straks=b.straksbooking, selvbooket=b.selvbooket,
            borger_skal_acceptere=b.borger_skal_acceptere, oprettet=b.oprettet,
        )
        if pb.live and not t.faelles:
            self._require_free_caseworker(f, parsed.rid, pb)
        return pb

    def _session_exists(self, tilbud_id: str, start: dt.datetime) -> bool:
        if tilbud_id in self.tilbud:
            return start in self.tilbud[tilbud_id].sessioner
        return self.repo.session_at(tilbud_id, start) is not None

    def _require_free_caseworker(self, f: Felter, rid: str, pb: PlannerBooking) -> None:
        """The caseworker must be free: no earlier live individual booking of the file and none in
        the database overlaps ``pb``. The file's bookings of a caseworker never overlap each other
        (each was checked on arrival), so sorted by start their ends are sorted too: the overlaps
        are the run that ends with the last booking starting before ``pb`` ends."""
        mine = self._busy.setdefault(rid, [])
        i = bisect.bisect_left(mine, (pb.slut,))  # the bookings that start before pb ends
        hits = []
        while i > 0 and mine[i - 1][1] > pb.start:
            i -= 1
            hits.append(mine[i])
        if hits:  # the first of them in the file, as a plain scan of the file would find
            f.fail("moede_start", f"the caseworker already has {min(hits, key=lambda h: h[2])[3]} at this time")
        stored = self.stored_caseworker(rid)
        if stored and self.repo.busy(stored.nummer, pb.start, pb.slut):
            f.fail("moede_start", "the caseworker already has a booking at this time in the database")
        bisect.insort(mine, (pb.start, pb.slut, self._booking_count, f.where))

    def faelles(self, tilbud_id: str) -> bool:
        found = self.offer(tilbud_id)
        return bool(found and found[0].faelles)

    def _require_free_seats(self) -> None:
        """Seats taken by the file's bookings must fit each session."""
        for (tilbud_id, start), (taken, last) in self._seats.items():
            if tilbud_id in self.tilbud:
                antal, ledige, where = self.tilbud[tilbud_id].sessioner[start]
                if taken + (ledige or 0) > antal:
                    raise LoadError(f"{last}.moede_start: the session at {where} has no free seat")
            else:
                session = self.repo.session_at(tilbud_id, start)
                if session is None or session.ledige_pladser < taken:
                    raise LoadError(f"{last}.moede_start: the session has no free seat")

    def nummer(self, rid: str, written: dict[str, int]) -> int:
        """The CaseWorkerID of a caseworker just written or already in the database."""
        if rid in written:
            return written[rid]
        stored = self.stored_caseworker(rid)
        assert stored is not None  # checked while parsing
        return stored.nummer

    def _count_file_seats(self, source: Any) -> dict[tuple[str, dt.datetime], int]:
        """The live bookings at each of the file's sessions that leave ledige_pladser to the file, counted
        from the raw booking records before the sessions are written (the bookings are checked later;
        a file whose bookings fail is refused whole, so the count only matters for one that passes)."""
        def embedded(kode: str) -> bool:
            jc = self.jobcentre.get(kode) or self.stored_jobcenter(kode)
            return jc is not None and jc.planner == PLANNER_EMBEDDED

        open_sessions = {(tid, start) for tid, t in self.tilbud.items() if embedded(t.tilbud.tilbud.jobcenter_kode)
                         for start, (_, ledige, _) in t.sessioner.items() if ledige is None}
        counts: dict[tuple[str, dt.datetime], int] = {}
        if not open_sessions:
            return counts
        for record in source.records("bookinger"):
            if not isinstance(record, dict) or record.get("state", "active") == "cancelled":
                continue
            start = record.get("moede_start")
            try:
                start = dt.datetime.fromisoformat(start) if isinstance(start, str) else start
            except ValueError:
                continue
            if not isinstance(start, dt.datetime) or start.tzinfo is None:
                continue
            key = (record.get("moedetilbud_id"), start.astimezone(dt.UTC))
            if key in open_sessions:
                counts[key] = counts.get(key, 0) + 1
        return counts

    def _sessioner(self, f: Felter, moedeform: int) -> dict[dt.datetime, tuple[int, int | None, str]]:
        records = f.records("moedetider")
        if moedeform == 1 and records:
            f.fail("moedetider", "only joint meetings (moedeform 2) have moedetider")
        if moedeform == 2 and not records:
            f.fail("moedetider", "a joint meeting needs at least one session")
        sessioner: dict[dt.datetime, tuple[int, int | None, str]] = {}
        for s in records:
            start = s.instant("start")
            if start in sessioner:
                s.fail("start", "two sessions at the same time")
            antal = s.integer("antal_pladser", minimum=1)
            ledige = s.integer("ledige_pladser", False, 0, antal)
            s.done()
            sessioner[start] = (antal, ledige, s.where)
        return sessioner
