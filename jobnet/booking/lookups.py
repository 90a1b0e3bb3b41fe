"""Finding what a use case acts on: the calling citizen, their booking, their job centre and its planner."""
from __future__ import annotations

import uuid

from generated.errors import Fejlkode
from jobnet import clock, rules, tilmelding
from jobnet.context import Kontekst
from jobnet.domain import Booking, Borger, BorgerKontekst
from jobnet.errors import Fejl
from jobnet.planner.port import Planner
from jobnet.store import PLANNER_EMBEDDED
from jobnet.store.jobcentre import Jobcenter


def new_id() -> str:
    return str(uuid.uuid4())


def citizen(ctx: Kontekst) -> Borger:
    """The calling citizen, or the operation's own code for an unknown one (``x-ukendt-borger`` of the
    operation in specs/openapi.yaml: 1010, 4400, 4768 or 8111)."""
    with ctx.db.read() as r:
        found = r.borgere.get(ctx.cpr)
    if found is None:
        raise Fejl(ctx.unknown_citizen)
    return found


def own_booking(ctx: Kontekst, indkaldelse_id: str) -> Booking:
    """The booking, if it is the caller's: unknown 4768, another citizen's 8107 (no side effect)."""
    with ctx.db.read() as r:
        booking = r.bookinger.get(indkaldelse_id)
    if booking is None:
        raise Fejl(Fejlkode.UKENDT_BOOKING)
    rules.require_owner(booking, ctx.cpr)
    return booking


def jobcenter(ctx: Kontekst, kode: str | None) -> Jobcenter:
    """The job centre, if it has a planner (9018 otherwise)."""
    if kode is None:
        raise Fejl(Fejlkode.INGEN_PLANNER, "the citizen is not attached to a job centre")
    with ctx.db.read() as r:
        found = r.jobcentre.get(kode)
    if found is None or found.planner is None:
        raise Fejl(Fejlkode.INGEN_PLANNER)
    return found


def planner_and_context(ctx: Kontekst, borger: Borger, jobcenter_kode: str | None = None,
                        ) -> tuple[Planner, BorgerKontekst, Jobcenter]:
    """The planner of the citizen's job centre (or of ``jobcenter_kode``) and what it is told of them."""
    jc = jobcenter(ctx, jobcenter_kode or borger.jobcenter_kode)
    live: tuple[str, ...] = ()
    kategoriseret = None
    if jc.planner != PLANNER_EMBEDDED:  # only a remote planner is told them (the embedded one reads its own)
        with ctx.db.read() as r:
            live = tuple(b.indkaldelse_id for b in r.bookinger.for_borger(ctx.cpr, live_only=True))
            kategoriseret = tilmelding.kategoriseret(r.tilmeldinger.for_borger(ctx.cpr), borger.klientkategori,
                                                     clock.local_date(ctx.now))
    kontekst = BorgerKontekst(cpr=borger.cpr, jobcenter_kode=jc.kode, kontaktgruppe=borger.kontaktgruppe,
                              klientkategori=borger.klientkategori, bookinger=live, kategoriseret=kategoriseret)
    return ctx.planner(jc), kontekst, jc
