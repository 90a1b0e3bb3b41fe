"""The embedded planner: the Planner port served from this service's own SQLite file.

It keeps its calendars in the planner_* tables (migration 0002) and never reads DFDG's tables.
Seats of joint meetings are taken with a conditional UPDATE; individual times are taken inside
BEGIN IMMEDIATE after a fresh overlap check, with a partial UNIQUE index as the last guard.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from generated.errors import Fejlkode
from jobnet.clock import Clock
from jobnet.domain import (
    Booking,
    Bookingoenske,
    BookingState,
    BorgerKontekst,
    Fejlmelding,
    Moedetid,
    Moedetider,
    Moedetilbud,
    Sagsbehandler,
)
from jobnet.errors import ConstraintViolation, PlannerError
from jobnet.planner.embedded import plans
from jobnet.planner.embedded.availability import Availability, bookable_caseworkers, next_minute, take_seat, utc
from jobnet.planner.embedded.checks import (
    bookable_offer,
    chosen_caseworkers,
    offer_of,
    require_bookable,
    require_samtaleform,
)
from jobnet.planner.embedded.memo import Memo, valid_until
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud
from jobnet.planner.embedded.policy import booking_of, public_offer
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.planner.port import PlannerClient
from jobnet.store import Database


class EmbeddedPlanner:
    def __init__(self, db: Database, clock: Clock, actor: str = "planner", client: PlannerClient | None = None,
                 kept_answer: Callable[[bool], None] | None = None,
                 booking_plan: Callable[[bool], None] | None = None) -> None:
        """``client``: the planner client this planner serves over SOAP (None: this DFDG itself);
        ``kept_answer``: told of each timeslot search whether a kept answer served it (metrics);
        ``booking_plan``: told of each booking with a plan whether the plan held (metrics)."""
        self._db = db
        self._clock = clock
        self._actor = actor
        self._client = client
        self._kept_answer = kept_answer
        self._booking_plan = booking_plan
        self._availability = Availability(clock)
        # Answers of self-booking searches with what they were checked against (see memo.py).
        self._memo: Memo[tuple[PlannerTilbud, Moedetider]] = db.memo("planner.selfbook_timeslots", Memo)

    # --- offers and times ------------------------------------------------------------------
    def get_selfbook_interview_options(self, borger: BorgerKontekst) -> list[Moedetilbud]:
        self._admit(borger)
        now = self._clock.now()
        with self._db.read() as tx:
            repo = PlannerRepo.of(tx)
            return [
                public_offer(repo, t)
                for t in repo.tilbud_for_jobcenter(borger.jobcenter_kode)
                if t.aktiv and not t.straks and t.tillader(borger.kontaktgruppe)
                and (t.tilbud.sidste_moedetid is None or t.tilbud.sidste_moedetid > now)
            ]

    def get_selfbook_timeslots(
        self,
        borger: BorgerKontekst,
        moedetilbud_id: str,
        start: dt.datetime,
        slut: dt.datetime,
        samtaleform: int | None,
        sagsbehandler_eksternt_id: str | None,
    ) -> Moedetider:
        self._admit(borger)
        with self._db.read() as tx:
            repo = PlannerRepo.of(tx)
            # The versions are read first: an answer is never kept under versions newer than its data.
            versions = repo.timeslot_versions(moedetilbud_id)
            fra, til = utc(start), utc(slut)
            # An individual offer's times start on whole minutes (working hours HH:MM, durations in
            # minutes, whole-hour UTC offsets), so windows that differ within a minute select the
            # same times and share one answer; a joint meeting's times come from data: exact window.
            minute = (moedetilbud_id, versions, sagsbehandler_eksternt_id, next_minute(fra), next_minute(til))
            exact = (moedetilbud_id, versions, sagsbehandler_eksternt_id, fra, til)
            now = self._clock.now()
            kept = self._memo.get(now, minute, exact)
            if self._kept_answer is not None:
                self._kept_answer(kept is not None)
            if kept is not None:  # checked against the same offer, caseworker choice and data
                t, svar = kept
                require_bookable(t, borger, straks=False)
                require_samtaleform(t, samtaleform)
                return svar
            t = bookable_offer(repo, borger, moedetilbud_id, straks=False)
            require_samtaleform(t, samtaleform)
            valgte = chosen_caseworkers(repo, t, sagsbehandler_eksternt_id)
            key = exact if t.faelles else minute
            tider = tuple(self._availability.times(repo, t, valgte, key[3], key[4], straks=False))
            svar = Moedetider(sagsbehandlere=bookable_caseworkers(valgte, tider), tider=tider)
            p = t.politik
            self._memo.put(key, (t, svar), computed=self._clock.now(),
                           valid_until=valid_until(tider, p.ombooking_frist_timer, p.aflysning_frist_timer))
            return svar

    def get_reschedule_supervisors(
        self, borger: BorgerKontekst, indkaldelse_id: str
    ) -> tuple[bool, list[Sagsbehandler]]:
        with self._db.read() as tx:
            repo = PlannerRepo.of(tx)
            pb = self._egen_booking(repo, borger, indkaldelse_id)
            t = offer_of(repo, pb)
            return t.tilbud.sagsbehandler_kan_vaelges, [
                c.sagsbehandler for c in repo.sagsbehandlere_for_tilbud(t.id)
            ]

    def get_reschedule_timeslots(
        self,
        borger: BorgerKontekst,
        indkaldelse_id: str,
        start: dt.datetime,
        slut: dt.datetime,
        samtaleform: int | None,
        sagsbehandler_eksternt_id: str | None,
    ) -> Moedetider:
        with self._db.read() as tx:
            repo = PlannerRepo.of(tx)
            pb = self._egen_booking(repo, borger, indkaldelse_id)
            t = offer_of(repo, pb)
            require_samtaleform(t, samtaleform)
            valgte = chosen_caseworkers(repo, t, sagsbehandler_eksternt_id)
            tider = self._availability.times(repo, t, valgte, utc(start), utc(slut), straks=pb.straks, undtagen=pb)
            return Moedetider(
                sagsbehandlere=bookable_caseworkers(valgte, tider), tider=tuple(tider),
                samtaletype=t.tilbud.samtaletype,
            )

    def get_immediate_booking_timeslots(
        self, borger: BorgerKontekst, samtaletype: int, start: dt.datetime, slut: dt.datetime
    ) -> Moedetider:
        self._admit(borger)
        with self._db.read() as tx:
            repo = PlannerRepo.of(tx)
            tider: list[Moedetid] = []
            alle: dict[int, PlannerSagsbehandler] = {}
            for t in repo.tilbud_for_jobcenter(borger.jobcenter_kode, samtaletype):
                if not (t.aktiv and t.tillader(borger.kontaktgruppe)):
                    continue
                valgte = repo.sagsbehandlere_for_tilbud(t.id)
                alle.update((c.nummer, c) for c in valgte)
                tider += self._availability.times(
                    repo, t, valgte, utc(start), utc(slut), straks=True,
                    tilbud=public_offer(repo, t),
                )
            tider.sort(key=lambda m: (m.starttidspunkt, m.moedetilbud.moedetilbud_id if m.moedetilbud else ""))
            return Moedetider(sagsbehandlere=bookable_caseworkers(alle.values(), tider), tider=tuple(tider))

    # --- bookings --------------------------------------------------------------------------
    def plan_booking(self, borger: BorgerKontekst, moedetilbud_id: str, oenske: Bookingoenske,
                     straks: bool) -> plans.BookingPlan | None:
        """The choice ``create_booking`` makes, made ahead in a read snapshot (plans.py) for the caller
        to hand back to it. None where the choice fails (``create_booking`` then fails the same way),
        for a planner client, or where writers do not queue for one lock (nothing to gain)."""
        if not self._db.one_writer or self._client is not None:
            return None
        with self._db.read() as tx:
            return plans.plan(PlannerRepo.of(tx), self._availability, (borger, moedetilbud_id, oenske, straks))

    def create_booking(
        self,
        borger: BorgerKontekst,
        indkaldelse_id: str,
        moedetilbud_id: str,
        oenske: Bookingoenske,
        straks: bool,
        plan: object | None = None,
    ) -> Booking:
        """``plan``: what ``plan_booking`` returned for the same request; used if it still holds."""
        self._admit(borger)
        request: plans.Request = (borger, moedetilbud_id, oenske, straks)
        with self._db.transaction(self._actor) as tx:
            repo = PlannerRepo.of(tx)
            valg = plans.held_choice(plan, repo, request, self._clock.now())
            if plan is not None and self._booking_plan is not None:
                self._booking_plan(valg is not None)
            if valg is None:
                valg = plans.choose(repo, self._availability, request)
            if valg.session_id is not None:
                take_seat(repo, valg.session_id, Fejlkode.TID_IKKE_LEDIG)
            pb = plans.booking_of_choice(valg, request, indkaldelse_id, self._clock.now(),
                                         self._client.name if self._client else None)
            try:
                repo.add_booking(pb)
            except ConstraintViolation as exc:  # the unique time index (someone was faster), or the primary key
                raise PlannerError(Fejlkode.TID_IKKE_LEDIG, "indkaldelse_id is already booked"  # (no query first)
                                   if "indkaldelse_id" in str(exc) else "the time was taken") from exc
            return booking_of(repo, valg.tilbud, pb, self._clock.now(), valg.valgte)

    def reschedule_booking(
        self, borger: BorgerKontekst, indkaldelse_id: str, oenske: Bookingoenske
    ) -> Booking:
        start = utc(oenske.moede_start)
        with self._db.transaction(self._actor) as tx:
            repo = PlannerRepo.of(tx)
            pb = self._egen_booking(repo, borger, indkaldelse_id)
            t = offer_of(repo, pb)
            samtaleform = pb.samtaleform if oenske.samtaleform is None else oenske.samtaleform
            require_samtaleform(t, samtaleform)
            valgte = chosen_caseworkers(repo, t, oenske.sagsbehandler_eksternt_id)
            if start == pb.start:
                raise PlannerError(Fejlkode.OMBOOKINGSTID_OPTAGET, "the booking already has this time")
            nummer, session_id = self._availability.take(repo, t, valgte, start, Fejlkode.OMBOOKINGSTID_OPTAGET, pb)
            if pb.session_id is not None:
                repo.free_seat(pb.session_id)
            ny = dataclasses.replace(
                pb, start=start, slut=start + dt.timedelta(minutes=t.tilbud.varighed_minutter),
                sagsbehandler_nummer=nummer, session_id=session_id, samtaleform=samtaleform,
                state=BookingState.RESCHEDULED, accepteret=True,  # a reschedule is also an acceptance
            )
            try:
                repo.save_booking(ny, "reschedule")
            except ConstraintViolation as exc:
                raise PlannerError(Fejlkode.OMBOOKINGSTID_OPTAGET, "the time was taken") from exc
            return booking_of(repo, t, ny, self._clock.now())

    def cancel_booking(self, borger: BorgerKontekst, indkaldelse_id: str) -> None:
        with self._db.transaction(self._actor) as tx:
            repo = PlannerRepo.of(tx)
            pb = self._egen_booking(repo, borger, indkaldelse_id, live=False)
            if not pb.live:
                return
            if pb.session_id is not None:
                repo.free_seat(pb.session_id)
            repo.save_booking(dataclasses.replace(pb, state=BookingState.CANCELLED), "cancel")

    def accept_booking(self, borger: BorgerKontekst, indkaldelse_id: str) -> None:
        with self._db.transaction(self._actor) as tx:
            repo = PlannerRepo.of(tx)
            pb = self._egen_booking(repo, borger, indkaldelse_id)
            if not pb.accepteret:
                repo.save_booking(dataclasses.replace(pb, accepteret=True), "accept")

    def create_fejlmelding(self, fejlmelding: Fejlmelding) -> None:
        """8108 unless a named offer is one of the citizen's job centre (and, for a planner
        client, of a job centre it serves); 4768 unless a named booking is known (to the client)."""
        jobcentre = self._client.jobcentre if self._client else None
        if fejlmelding.jobcenter_kode is not None:
            jobcentre = frozenset({fejlmelding.jobcenter_kode}) & (jobcentre or {fejlmelding.jobcenter_kode})
        with self._db.transaction(self._actor) as tx:
            repo = PlannerRepo.of(tx)
            if fejlmelding.moedetilbud_id:
                t = repo.tilbud(fejlmelding.moedetilbud_id)
                if t is None or (jobcentre is not None and t.tilbud.jobcenter_kode not in jobcentre):
                    raise PlannerError(Fejlkode.UKENDT_MOEDETILBUD, "unknown moedetilbud_id")
            if fejlmelding.indkaldelse_id:
                pb = repo.booking(fejlmelding.indkaldelse_id)
                if pb is None or not self._sees(pb):
                    raise PlannerError(Fejlkode.UKENDT_BOOKING, "unknown indkaldelse_id")
            repo.add_fejlmelding(fejlmelding)

    # --- helpers ---------------------------------------------------------------------------
    def _admit(self, borger: BorgerKontekst) -> None:
        """A planner client acts only for the job centres it serves (8308, nothing read)."""
        if self._client is not None and borger.jobcenter_kode not in self._client.jobcentre:
            raise PlannerError(Fejlkode.IKKE_AUTORISERET, "the planner client does not serve this job centre")

    def _sees(self, pb: PlannerBooking) -> bool:
        """A planner client sees only the bookings it made; this DFDG sees every booking."""
        return self._client is None or pb.made_by == self._client.name

    def _egen_booking(
        self, repo: PlannerRepo, borger: BorgerKontekst, indkaldelse_id: str, live: bool = True
    ) -> PlannerBooking:
        """The citizen's own planner booking, seen by this caller (4768 unknown or cancelled,
        8107 someone else's)."""
        self._admit(borger)
        pb = repo.booking(indkaldelse_id)
        if pb is None or (live and not pb.live) or not self._sees(pb):
            raise PlannerError(Fejlkode.UKENDT_BOOKING, "unknown booking")
        if pb.cpr != borger.cpr:
            raise PlannerError(Fejlkode.ANDEN_BORGERS_BOOKING, "the booking belongs to another citizen")
        return pb
