"""The embedded planner: the Planner port served from this service's own SQLite file.

It keeps its calendars in the planner_* tables (migration 0002) and never reads DFDG's tables.
Seats of joint meetings are taken with a conditional UPDATE; individual times are taken inside
BEGIN IMMEDIATE after a fresh overlap check, with a partial UNIQUE index as the last guard.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterable

from generated.errors import Fejlkode
from jobnet.clock import Clock
from jobnet.domain import (
    BookbarSagsbehandler,
    Booking,
    Bookingoenske,
    BookingState,
    BorgerKontekst,
    Fejlmelding,
    Indkalder,
    Kontaktdetaljer,
    Moedetid,
    Moedetider,
    Moedetilbud,
    Sagsbehandler,
    Samtaleform,
)
from jobnet.errors import PlannerError, PlannerOutcomeUnknown
from jobnet.planner import slots
from jobnet.planner.memo import Memo, valid_until
from jobnet.planner.port import PlannerClient
from jobnet.store import Database
from jobnet.store.planner_models import (
    PlannerBooking,
    PlannerSagsbehandler,
    PlannerTilbud,
    Session,
)
from jobnet.store.planner_repo import PlannerRepo

UTC = dt.timezone.utc
_EPSILON = dt.timedelta(microseconds=1)  # [start, start + ε) selects exactly one start

# Planner business faults (domain.md §4, §6.4)


class EmbeddedPlanner:
    def __init__(self, db: Database, clock: Clock, actor: str = "planner", client: PlannerClient | None = None) -> None:
        """``client``: the planner client this planner serves over SOAP (None: this DFDG itself)."""
        self._db = db
        self._clock = clock
        self._actor = actor
        self._client = client
        # Answers of self-booking searches with what they were checked against (see memo.py).
        self._memo: Memo[tuple[PlannerTilbud, Moedetider]] = db.memo("planner.selfbook_timeslots", Memo)

    # --- offers and times ------------------------------------------------------------------
    def get_selfbook_interview_options(self, borger: BorgerKontekst) -> list[Moedetilbud]:
        self._admit(borger)
        now = self._clock.now()
        with self._db.read() as tx:
            repo = PlannerRepo.of(tx)
            return [
                self._offentlig(repo, t)
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
            fra, til = _utc(start), _utc(slut)
            # An individual offer's times start on whole minutes (working hours HH:MM, durations in
            # minutes, whole-hour UTC offsets), so windows that differ within a minute select the
            # same times and share one answer; a joint meeting's times come from data: exact window.
            minute = (moedetilbud_id, versions, sagsbehandler_eksternt_id, _next_minute(fra), _next_minute(til))
            exact = (moedetilbud_id, versions, sagsbehandler_eksternt_id, fra, til)
            now = self._clock.now()
            kept = self._memo.get(now, minute, exact)
            if kept is not None:  # checked against the same offer, caseworker choice and data
                t, svar = kept
                _tjek_bookbart(t, borger, straks=False)
                _tjek_samtaleform(t, samtaleform)
                return svar
            t = self._bookbart_tilbud(repo, borger, moedetilbud_id, straks=False)
            _tjek_samtaleform(t, samtaleform)
            valgte = self._valgte(repo, t, sagsbehandler_eksternt_id)
            key = exact if t.faelles else minute
            tider = tuple(self._tider(repo, t, valgte, key[3], key[4], straks=False))
            svar = Moedetider(sagsbehandlere=_bookbare(valgte, tider), tider=tider)
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
            t = _tilbud_af(repo, pb)
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
            t = _tilbud_af(repo, pb)
            _tjek_samtaleform(t, samtaleform)
            valgte = self._valgte(repo, t, sagsbehandler_eksternt_id)
            tider = self._tider(repo, t, valgte, _utc(start), _utc(slut), straks=pb.straks, undtagen=pb)
            return Moedetider(
                sagsbehandlere=_bookbare(valgte, tider), tider=tuple(tider),
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
                tider += self._tider(
                    repo, t, valgte, _utc(start), _utc(slut), straks=True,
                    tilbud=self._offentlig(repo, t),
                )
            tider.sort(key=lambda m: (m.starttidspunkt, m.moedetilbud.moedetilbud_id if m.moedetilbud else ""))
            return Moedetider(sagsbehandlere=_bookbare(alle.values(), tider), tider=tuple(tider))

    # --- bookings --------------------------------------------------------------------------
    def create_booking(
        self,
        borger: BorgerKontekst,
        indkaldelse_id: str,
        moedetilbud_id: str,
        oenske: Bookingoenske,
        straks: bool,
    ) -> Booking:
        self._admit(borger)
        start = _utc(oenske.moede_start)
        with self._db.transaction(self._actor) as tx:
            repo = PlannerRepo.of(tx)
            t = self._bookbart_tilbud(repo, borger, moedetilbud_id, straks=straks)
            o = t.tilbud
            if (o.foerste_moedetid and start < o.foerste_moedetid) or (
                o.sidste_moedetid and start > o.sidste_moedetid
            ):
                raise PlannerError(Fejlkode.UDEN_FOR_TILBUDDETS_PERIODE, "the time is outside the offer's period")
            samtaleform = _vaelg_samtaleform(t, oenske.samtaleform)
            valgte = self._valgte(repo, t, oenske.sagsbehandler_eksternt_id)
            if repo.booking(indkaldelse_id) is not None:
                raise PlannerError(Fejlkode.TID_IKKE_LEDIG, "indkaldelse_id is already booked")
            nummer, session_id = self._tag_tid(repo, t, valgte, start, Fejlkode.TID_IKKE_LEDIG)
            pb = PlannerBooking(
                indkaldelse_id=indkaldelse_id,
                cpr=borger.cpr,
                moedetilbud_id=t.id,
                start=start,
                slut=start + dt.timedelta(minutes=o.varighed_minutter),
                sagsbehandler_nummer=nummer,
                session_id=session_id,
                samtaleform=samtaleform,
                accepteret=not t.politik.borger_skal_acceptere,
                straks=straks,
                selvbooket=True,
                borger_skal_acceptere=t.politik.borger_skal_acceptere,
                oprettet=self._clock.now(),
                made_by=self._client.name if self._client else None,
            )
            try:
                repo.add_booking(pb)
            except sqlite3.IntegrityError as exc:  # the partial unique index: someone was faster
                raise PlannerError(Fejlkode.TID_IKKE_LEDIG, "the time was taken") from exc
            return self._booking(repo, t, pb)

    def reschedule_booking(
        self, borger: BorgerKontekst, indkaldelse_id: str, oenske: Bookingoenske
    ) -> Booking:
        start = _utc(oenske.moede_start)
        with self._db.transaction(self._actor) as tx:
            repo = PlannerRepo.of(tx)
            pb = self._egen_booking(repo, borger, indkaldelse_id)
            t = _tilbud_af(repo, pb)
            samtaleform = pb.samtaleform if oenske.samtaleform is None else oenske.samtaleform
            _tjek_samtaleform(t, samtaleform)
            valgte = self._valgte(repo, t, oenske.sagsbehandler_eksternt_id)
            if start == pb.start:
                raise PlannerError(Fejlkode.OMBOOKINGSTID_OPTAGET, "the booking already has this time")
            nummer, session_id = self._tag_tid(repo, t, valgte, start, Fejlkode.OMBOOKINGSTID_OPTAGET, pb)
            if pb.session_id is not None:
                repo.free_seat(pb.session_id)
            ny = dataclasses.replace(
                pb, start=start, slut=start + dt.timedelta(minutes=t.tilbud.varighed_minutter),
                sagsbehandler_nummer=nummer, session_id=session_id, samtaleform=samtaleform,
                state=BookingState.RESCHEDULED, accepteret=True,  # a reschedule is also an acceptance
            )
            try:
                repo.save_booking(ny, "reschedule")
            except sqlite3.IntegrityError as exc:
                raise PlannerError(Fejlkode.OMBOOKINGSTID_OPTAGET, "the time was taken") from exc
            return self._booking(repo, t, ny)

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

    def _bookbart_tilbud(
        self, repo: PlannerRepo, borger: BorgerKontekst, moedetilbud_id: str, straks: bool
    ) -> PlannerTilbud:
        """The offer, if this citizen may book it now (8108 otherwise)."""
        t = repo.tilbud(moedetilbud_id)
        _tjek_bookbart(t, borger, straks)
        assert t is not None
        return t

    def _valgte(
        self, repo: PlannerRepo, t: PlannerTilbud, eksternt_id: str | None
    ) -> list[PlannerSagsbehandler]:
        """The offer's caseworkers, or only the chosen one (4822 unknown, 9003 not allowed)."""
        linked = repo.sagsbehandlere_for_tilbud(t.id)
        if eksternt_id is None:
            return linked
        valgt = repo.sagsbehandler_by_rid(eksternt_id)
        if valgt is None:
            raise PlannerError(Fejlkode.UKENDT_SAGSBEHANDLER, "unknown caseworker")
        if not t.tilbud.sagsbehandler_kan_vaelges or valgt.nummer not in {c.nummer for c in linked}:
            raise PlannerError(Fejlkode.SAGSBEHANDLER_IKKE_TILLADT, "caseworker not allowed for this offer")
        return [valgt]

    def _ledige(
        self,
        repo: PlannerRepo,
        t: PlannerTilbud,
        valgte: Iterable[PlannerSagsbehandler],
        fra: dt.datetime,
        til: dt.datetime,
        undtagen: str | None = None,
    ) -> dict[dt.datetime, list[int]]:
        """Free individual starts in [fra, til) → the caseworker numbers free at each.

        Caseworkers share a few working-time profiles: the candidate starts are laid out once per
        profile, the busy times of all caseworkers come in one query, and each busy interval
        blocks its run of starts by binary search (slots.blocked_indices).
        """
        o = t.tilbud
        varighed = dt.timedelta(minutes=o.varighed_minutter)
        now = self._clock.now()
        profiler: dict[slots.Arbejdstid, list[int]] = {}
        for c in valgte:
            profiler.setdefault(_arbejdstid(c), []).append(c.nummer)
        grids: list[tuple[list[dt.datetime], list[int]]] = []
        for arbejdstid, numre in profiler.items():
            starts = slots.candidate_starts(
                arbejdstid, o.varighed_minutter, fra, til,
                foerste=o.foerste_moedetid, sidste=o.sidste_moedetid, efter=now,
            )
            if starts:
                grids.append((starts, numre))
        if not grids:
            return {}
        lo = min(starts[0] for starts, _ in grids)
        hi = max(starts[-1] for starts, _ in grids) + varighed
        busy = repo.busy_many([n for _, numre in grids for n in numre], lo, hi, undtagen)
        ledige: dict[dt.datetime, list[int]] = {}
        for starts, numre in grids:
            blocked: dict[int, set[int]] = {}  # index into starts -> caseworkers busy then
            for n in numre:
                if n in busy:
                    for i in slots.blocked_indices(starts, o.varighed_minutter, busy[n]):
                        blocked.setdefault(i, set()).add(n)
            for i, start in enumerate(starts):
                optaget = blocked.get(i)
                frie = numre if optaget is None else [n for n in numre if n not in optaget]
                if frie:
                    found = ledige.get(start)
                    if found is None:
                        ledige[start] = list(frie)
                    else:
                        found.extend(frie)
        return ledige

    def _aabne_sessioner(
        self, repo: PlannerRepo, t: PlannerTilbud, fra: dt.datetime, til: dt.datetime
    ) -> list[Session]:
        o = t.tilbud
        now = self._clock.now()
        return [
            s for s in repo.sessions(t.id, fra, til)
            if s.start > now and s.ledige_pladser > 0
            and (o.foerste_moedetid is None or s.start >= o.foerste_moedetid)
            and (o.sidste_moedetid is None or s.start <= o.sidste_moedetid)
        ]

    def _tider(
        self,
        repo: PlannerRepo,
        t: PlannerTilbud,
        valgte: list[PlannerSagsbehandler],
        fra: dt.datetime,
        til: dt.datetime,
        *,
        straks: bool,
        undtagen: PlannerBooking | None = None,
        tilbud: Moedetilbud | None = None,
    ) -> list[Moedetid]:
        """Bookable times of one offer; ``undtagen``'s own time is left out (rescheduling)."""
        p = t.politik
        now = self._clock.now()
        former = t.tilbud.samtaleformer
        # The same policy the booking would get (see booking_fra_tilbud): possible while the
        # deadline (start minus the hours) has not passed, i.e. for starts from now plus the hours.
        ombook_fra = now + dt.timedelta(hours=p.ombooking_frist_timer) if p.ombooking_mulig and not straks else None
        aflys_fra = now + dt.timedelta(hours=p.aflysning_frist_timer) if p.aflysning_mulig and not straks else None

        def tid(start: dt.datetime, numre: tuple[int, ...], s: Session | None = None) -> Moedetid:
            return Moedetid(
                starttidspunkt=start,
                samtaleformer=former,
                ombooking_mulig=ombook_fra is not None and start >= ombook_fra,
                aflysning_mulig=aflys_fra is not None and start >= aflys_fra,
                sagsbehandler_numre=numre,
                maksimalt_antal=s.antal_pladser if s else None,
                ledige_pladser=s.ledige_pladser if s else None,
                moedetilbud=tilbud,
            )

        eget = undtagen.start if undtagen else None
        if t.faelles:
            numre = tuple(c.nummer for c in valgte)
            if not numre:
                return []
            return [tid(s.start, numre, s) for s in self._aabne_sessioner(repo, t, fra, til) if s.start != eget]
        ledige = self._ledige(repo, t, valgte, fra, til, undtagen.indkaldelse_id if undtagen else None)
        return [tid(start, tuple(sorted(n))) for start, n in sorted(ledige.items()) if start != eget]

    def _tag_tid(
        self,
        repo: PlannerRepo,
        t: PlannerTilbud,
        valgte: list[PlannerSagsbehandler],
        start: dt.datetime,
        fejlkode: int,
        flyttes: PlannerBooking | None = None,
    ) -> tuple[int, int | None]:
        """Take ``start`` (a seat, or a caseworker's free time); returns (caseworker, session)."""
        if t.faelles:
            session = repo.session_at(t.id, start)
            if (
                not valgte
                or session is None
                or session not in self._aabne_sessioner(repo, t, start, start + _EPSILON)
                or not repo.take_seat(session.id)
            ):
                raise PlannerError(fejlkode, "no free seat at that time")
            return valgte[0].nummer, session.id
        undtagen = flyttes.indkaldelse_id if flyttes else None
        ledige = self._ledige(repo, t, valgte, start, start + _EPSILON, undtagen).get(start)
        if not ledige:
            raise PlannerError(fejlkode, "the time is not free")
        if flyttes is not None and flyttes.sagsbehandler_nummer in ledige:
            return flyttes.sagsbehandler_nummer, None
        # No choice made: spread the load to the free caseworker with the fewest coming bookings.
        if len(ledige) == 1:
            return ledige[0], None
        counts = repo.live_counts(ledige, self._clock.now())
        return min(ledige, key=lambda n: (counts.get(n, 0), n)), None

    def _offentlig(self, repo: PlannerRepo, t: PlannerTilbud) -> Moedetilbud:
        """The offer as shown to citizens: caseworkers only if they may choose one."""
        sagsbehandlere: tuple[Sagsbehandler, ...] = ()
        if t.tilbud.sagsbehandler_kan_vaelges:
            sagsbehandlere = tuple(c.sagsbehandler for c in repo.sagsbehandlere_for_tilbud(t.id))
        return dataclasses.replace(t.tilbud, sagsbehandlere=sagsbehandlere)

    def _booking(self, repo: PlannerRepo, t: PlannerTilbud, pb: PlannerBooking) -> Booking:
        return booking_fra_tilbud(t, pb, _sagsbehandler(repo, pb.sagsbehandler_nummer), self._clock.now())


def booking_fra_tilbud(
    t: PlannerTilbud, pb: PlannerBooking, sagsbehandler: Sagsbehandler, now: dt.datetime
) -> Booking:
    """The booking as the planner reports it: times from ``pb``, everything else from the offer.

    Rebooking and cancellation follow the offer's policy, except for immediate bookings, and
    except when the deadline (start minus the offer's hours) has already passed at ``now``:
    then the booking simply cannot be rebooked or cancelled any more.
    """
    o, p = t.tilbud, t.politik
    ombookingsfrist = pb.start - dt.timedelta(hours=p.ombooking_frist_timer)
    aflysningsfrist = pb.start - dt.timedelta(hours=p.aflysning_frist_timer)
    ombooking = p.ombooking_mulig and not pb.straks and ombookingsfrist >= now
    aflysning = p.aflysning_mulig and not pb.straks and aflysningsfrist >= now
    return Booking(
        indkaldelse_id=pb.indkaldelse_id,
        cpr=pb.cpr,
        moedetilbud_id=o.moedetilbud_id,
        jobcenter_kode=o.jobcenter_kode,
        samtaletype=o.samtaletype,
        moedeform=o.moedeform,
        moede_start=pb.start,
        moede_slut=pb.slut,
        moedetitel=o.moedetitel,
        moedebeskrivelse=o.moedebeskrivelse,
        moedested=o.moedested,
        sagsbehandler=sagsbehandler,
        kontakt=Kontaktdetaljer(
            samtaleform=pb.samtaleform,
            digitalt_moedelink=p.digitalt_moedelink if pb.samtaleform == Samtaleform.DIGITALT else None,
            telefonnummer=p.telefonnummer,
            borger_ringer_op=p.borger_ringer_op if pb.samtaleform == Samtaleform.TELEFONISK else None,
        ),
        indkalder=Indkalder(p.organisationskode, p.organisationstype),
        state=pb.state,
        selvbooket=pb.selvbooket,
        straksbooking=pb.straks,
        borger_skal_acceptere=pb.borger_skal_acceptere,
        accepteret=pb.accepteret,
        ombooking_mulig=ombooking,
        ombookingsfrist=ombookingsfrist if ombooking else None,
        aflysning_mulig=aflysning,
        aflysningsfrist=aflysningsfrist if aflysning else None,
        moedepligt=p.moedepligt,
        oprettet_af="jobnet" if pb.selvbooket else "jobcenter",
        oprettet=pb.oprettet,
    )


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: the planner needs aware instants")
    return value.astimezone(UTC)


def _arbejdstid(c: PlannerSagsbehandler) -> slots.Arbejdstid:
    return slots.Arbejdstid(frozenset(c.arbejdsdage), c.arbejdstid_fra, c.arbejdstid_til)


def _sagsbehandler(repo: PlannerRepo, nummer: int) -> Sagsbehandler:
    c = repo.sagsbehandler(nummer)
    if c is None:  # the foreign key makes this impossible
        raise PlannerOutcomeUnknown(Fejlkode.PLANNERFEJL, f"caseworker {nummer} vanished")
    return c.sagsbehandler



def _tilbud_af(repo: PlannerRepo, pb: PlannerBooking) -> PlannerTilbud:
    t = repo.tilbud(pb.moedetilbud_id)
    if t is None:  # the foreign key makes this impossible
        raise PlannerError(Fejlkode.UKENDT_BOOKING, "the booking's offer vanished")
    return t


def _next_minute(instant: dt.datetime) -> dt.datetime:
    """The instant itself on a whole minute, else the next whole minute."""
    whole = instant.replace(second=0, microsecond=0)
    return whole if whole == instant else whole + dt.timedelta(minutes=1)


def _tjek_bookbart(t: PlannerTilbud | None, borger: BorgerKontekst, straks: bool) -> None:
    """8108 unless the offer exists, is active, belongs to the citizen's job centre and contact
    group, and (when not an immediate booking) is not an immediate-booking offer."""
    if (
        t is None
        or not t.aktiv
        or t.tilbud.jobcenter_kode != borger.jobcenter_kode
        or not t.tillader(borger.kontaktgruppe)
        or (t.straks and not straks)  # immediate-booking offers are not self-bookable
    ):
        raise PlannerError(Fejlkode.UKENDT_MOEDETILBUD, "the interview offer is unknown or not active")


def _tjek_samtaleform(t: PlannerTilbud, samtaleform: int | None) -> None:
    if samtaleform is not None and samtaleform not in t.tilbud.samtaleformer:
        raise PlannerError(Fejlkode.UGYLDIG_SAMTALEFORM, "samtaleform not offered")


def _vaelg_samtaleform(t: PlannerTilbud, samtaleform: int | None) -> int:
    """The chosen form; with none chosen, the offer's only form (4708 when there are several)."""
    former = t.tilbud.samtaleformer
    if samtaleform is None:
        if len(former) == 1:
            return former[0]
        raise PlannerError(Fejlkode.UGYLDIG_SAMTALEFORM, "samtaleform must be chosen")
    _tjek_samtaleform(t, samtaleform)
    return samtaleform


def _bookbare(
    sagsbehandlere: Iterable[PlannerSagsbehandler], tider: Iterable[Moedetid]
) -> tuple[BookbarSagsbehandler, ...]:
    """The caseworkers that some listed time refers to."""
    brugte = {n for m in tider for n in m.sagsbehandler_numre}
    return tuple(
        BookbarSagsbehandler(c.nummer, c.sagsbehandler)
        for c in sorted(sagsbehandlere, key=lambda c: c.nummer) if c.nummer in brugte
    )
