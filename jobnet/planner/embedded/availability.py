"""Availability search: the free times of an offer (individual starts or seats of joint meetings)
and taking one of them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jobnet.clock import Clock
from jobnet.domain import BookbarSagsbehandler, Moedetid, Moedetilbud
from jobnet.errors import PlannerError
from jobnet.planner.embedded import slots
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud, Session
from jobnet.planner.embedded.sql import PlannerRepo

UTC = dt.UTC
_EPSILON = dt.timedelta(microseconds=1)  # [start, start + ε) selects exactly one start


class Availability:
    """The times an offer has free now (``clock``), read through the planner's repository."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def free_starts(
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
            profiler.setdefault(working_time(c), []).append(c.nummer)
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

    def open_sessions(
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

    def times(
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
            return [tid(s.start, numre, s) for s in self.open_sessions(repo, t, fra, til) if s.start != eget]
        ledige = self.free_starts(repo, t, valgte, fra, til, undtagen.indkaldelse_id if undtagen else None)
        return [tid(start, tuple(sorted(n))) for start, n in sorted(ledige.items()) if start != eget]

    def take(self, repo: PlannerRepo, t: PlannerTilbud, valgte: list[PlannerSagsbehandler], start: dt.datetime,
             fejlkode: int, flyttes: PlannerBooking | None = None) -> tuple[int, int | None]:
        """Take ``start`` (a seat, or a caseworker's free time); returns (caseworker, session)."""
        nummer, session_id = self.choose(repo, t, valgte, start, fejlkode, flyttes)
        if session_id is not None:
            take_seat(repo, session_id, fejlkode)
        return nummer, session_id

    def choose(self, repo: PlannerRepo, t: PlannerTilbud, valgte: list[PlannerSagsbehandler], start: dt.datetime,
               fejlkode: int, flyttes: PlannerBooking | None = None) -> tuple[int, int | None]:
        """The caseworker (and session) ``take`` would take at ``start``, nothing written yet."""
        if t.faelles:
            session = repo.session_at(t.id, start)
            if (
                not valgte
                or session is None
                or session.id not in {s.id for s in self.open_sessions(repo, t, start, start + _EPSILON)}
            ):
                raise PlannerError(fejlkode, "no free seat at that time")
            return valgte[0].nummer, session.id
        undtagen = flyttes.indkaldelse_id if flyttes else None
        ledige = self.free_starts(repo, t, valgte, start, start + _EPSILON, undtagen).get(start)
        if not ledige:
            raise PlannerError(fejlkode, "the time is not free")
        if flyttes is not None and flyttes.sagsbehandler_nummer in ledige:
            return flyttes.sagsbehandler_nummer, None
        # No choice made: spread the load to the free caseworker with the fewest coming bookings.
        if len(ledige) == 1:
            return ledige[0], None
        counts = repo.live_counts(ledige, self._clock.now())
        return min(ledige, key=lambda n: (counts.get(n, 0), n)), None


def take_seat(repo: PlannerRepo, session_id: int, fejlkode: int) -> None:
    """One seat of the session (the conditional UPDATE makes this race-free), else ``fejlkode``."""
    if not repo.take_seat(session_id):
        raise PlannerError(fejlkode, "no free seat at that time")


def working_time(c: PlannerSagsbehandler) -> slots.Arbejdstid:
    return slots.Arbejdstid(frozenset(c.arbejdsdage), c.arbejdstid_fra, c.arbejdstid_til)


def next_minute(instant: dt.datetime) -> dt.datetime:
    """The instant itself on a whole minute, else the next whole minute."""
    whole = instant.replace(second=0, microsecond=0)
    return whole if whole == instant else whole + dt.timedelta(minutes=1)


def bookable_caseworkers(
    sagsbehandlere: Iterable[PlannerSagsbehandler], tider: Iterable[Moedetid]
) -> tuple[BookbarSagsbehandler, ...]:
    """The caseworkers that some listed time refers to."""
    brugte = {n for m in tider for n in m.sagsbehandler_numre}
    return tuple(
        BookbarSagsbehandler.en(c.nummer, c.sagsbehandler)
        for c in sorted(sagsbehandlere, key=lambda c: c.nummer) if c.nummer in brugte
    )


def utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: the planner needs aware instants")
    return value.astimezone(UTC)
