"""Steps every handler shares: find the citizen and the booking, reach the planner, book and undo."""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TypeVar

from generated.errors import Fejlkode
from jobnet import catalogue, clock, rules
from jobnet.context import Kontekst
from jobnet.domain import (
    Booking,
    Bookingoenske,
    BookingState,
    BorgerKontekst,
    Citizen,
    Fejlmelding,
    FejlOphav,
    Friststatus,
)
from jobnet.errors import Fejl, PlannerDataInvalid, PlannerError, PlannerOutcomeUnknown
from jobnet.planner.port import Planner
from jobnet.store import PLANNER_EMBEDDED, Tx
from jobnet.store.jobcentre import Jobcenter

log = logging.getLogger("jobnet.handlers")

T = TypeVar("T")


def new_id() -> str:
    return str(uuid.uuid4())


def citizen(ctx: Kontekst) -> Citizen:
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
    if kode is None:
        raise Fejl(Fejlkode.INGEN_PLANNER, "the citizen is not attached to a job centre")
    with ctx.db.read() as r:
        found = r.jobcentre.get(kode)
    if found is None or found.planner is None:
        raise Fejl(Fejlkode.INGEN_PLANNER)
    return found


def planner_and_context(ctx: Kontekst, borger: Citizen, jobcenter_kode: str | None = None,
                        ) -> tuple[Planner, BorgerKontekst, Jobcenter]:
    jc = jobcenter(ctx, jobcenter_kode or borger.jobcenter_kode)
    with ctx.db.read() as r:
        live = tuple(b.indkaldelse_id for b in r.bookinger.for_borger(ctx.cpr, live_only=True))
    kontekst = BorgerKontekst(cpr=borger.cpr, jobcenter_kode=jc.kode, kontaktgruppe=borger.kontaktgruppe,
                              klientkategori=borger.klientkategori, bookinger=live)
    return ctx.planner(jc), kontekst, jc


@contextmanager
def planner_change(ctx: Kontekst, jobcenter_kode: str | None) -> Iterator[None]:
    """A change at the planner and its registration here.

    With the embedded planner the calendar lives in this very database: both commit together in
    one write transaction (the steps inside become savepoints), so a failure anywhere leaves
    nothing on either side and nothing to compensate or recover. A remote planner is never called
    while the write lock is held: its steps keep their own transactions, intents and compensation.
    Booking data the planner handed back and we rejected is recorded after the change is undone.
    The request id is recorded first, in the same transaction where there is one (Kontekst.claim).
    """
    with ctx.db.read() as r:
        jc = r.jobcentre.get(jobcenter_kode) if jobcenter_kode else None
    rejected: PlannerDataInvalid | None = None
    if jc is None or jc.planner != PLANNER_EMBEDDED:  # (no planner: the steps inside say 9018)
        ctx.claim()
        try:
            yield
        except PlannerDataInvalid as exc:
            rejected = exc
    else:
        with ctx.db.transaction(actor=ctx.operation) as tx:
            ctx.claim_in(tx)
            try:
                yield
            except PlannerDataInvalid as exc:  # undone by compensation, as with a remote planner:
                rejected = exc                 # that is committed, so the report can name the booking
        ctx.claimed = ctx.request_id is not None
    if rejected is not None:
        _record_rejection(ctx, rejected)
        raise rejected


def _record_rejection(ctx: Kontekst, exc: PlannerDataInvalid) -> None:
    """Keep a record of rejected planner data, and report it to the planner (origin 30, DFDG)."""
    with ctx.db.transaction() as tx:
        tx.fejlmeldinger.add(exc.report)
    try:
        exc.planner.create_fejlmelding(exc.report)
    except PlannerError:
        log.warning("could not report rejected booking data to the planner")


def audit(ctx: Kontekst, action: str, entity_id: str, detail: dict[str, object], done: bool = False) -> None:
    """An audit row of its own; ``done`` also ends the booking's planner intent in the same transaction."""
    with ctx.db.transaction(actor=ctx.operation) as tx:
        tx.audit.record(action, "booking", entity_id, ctx.operation, detail)
        if done:
            tx.intents.finish(entity_id)


def begin_intent(ctx: Kontekst, indkaldelse_id: str, action: str, jobcenter_kode: str, busy_code: int) -> None:
    """Record a planner change in flight (see jobnet/recovery.py); one change per booking at a time."""
    with ctx.db.transaction(actor=ctx.operation) as tx:
        if not tx.intents.begin(indkaldelse_id, action, jobcenter_kode, ctx.cpr, ctx.now):
            raise Fejl(busy_code, "another change of the booking is in progress")


def at_planner(ctx: Kontekst, indkaldelse_id: str, call: Callable[[], T]) -> T:
    """Run a planner change; if it fails with a known outcome nothing was changed, so the intent
    goes; if the outcome is unknown (timeout, remote fault) it stays for recovery."""
    try:
        return call()
    except PlannerOutcomeUnknown:  # the planner may or may not have made the change
        raise
    except Fejl:
        with ctx.db.transaction(actor=ctx.operation) as tx:
            tx.intents.finish(indkaldelse_id)
        raise


def reject_invalid_planner_booking(ctx: Kontekst, planner: Planner, booking: Booking,
                                   undo: Callable[[], None]) -> None:
    """DFDG validates what the planner hands back before registering it (§6.3.2, §7.3). On a breach:
    undo at the planner and fail with the code; ``planner_change`` then keeps a record and reports
    it to the planner (origin 30, DFDG)."""
    codes = rules.planner_booking_violations(booking, ctx.now, **catalogue.planner_validation_sets())
    if not codes:
        return
    compensate(ctx, booking.indkaldelse_id, undo, f"planner data broke {[int(c) for c in codes]}")
    report = Fejlmelding(fejlkode=catalogue.FEJLTYPE_BOOKING_UGYLDIG, fejl_ophav=FejlOphav.DFDG,
                         fejl_tidspunkt=ctx.now, moedetilbud_id=booking.moedetilbud_id,
                         indkaldelse_id=booking.indkaldelse_id, cpr=ctx.cpr,
                         fejltekst=f"DFDG afviste bookingdata fra planneren: {', '.join(map(str, codes))}")
    raise PlannerDataInvalid(codes[0], "the booking data from the job centre's booking system failed validation",
                             report=report, planner=planner)


def compensate(ctx: Kontekst, indkaldelse_id: str, undo: Callable[[], None], reason: str) -> None:
    """Undo a planner change our side will not register, and leave a trace in the audit table."""
    try:
        undo()
        audit(ctx, "compensated", indkaldelse_id, {"reason": reason}, done=True)
    except Fejl as exc:  # the intent stays: recovery tries again
        log.error("compensation failed for a booking: %s", exc.fejlkode)
        audit(ctx, "compensation_failed", indkaldelse_id, {"reason": reason, "fejlkode": exc.fejlkode})


def book_at_planner(ctx: Kontekst, borger: Citizen, moedetilbud_id: str, oenske: Bookingoenske,
                    straks: bool) -> tuple[Planner, Booking]:
    """Take the time at the planner and check the booking it hands back; not yet registered here."""
    rules.require_alive(borger)
    rules.require_not_before_today(oenske.moede_start, ctx.now)
    planner, kontekst, jc = planner_and_context(ctx, borger)
    indkaldelse_id = new_id()
    begin_intent(ctx, indkaldelse_id, "create", jc.kode, busy_code=Fejlkode.TID_IKKE_LEDIG)
    booking = at_planner(ctx, indkaldelse_id,
                         lambda: planner.create_booking(kontekst, indkaldelse_id, moedetilbud_id, oenske, straks))
    booking = replace(booking, indkaldelse_id=indkaldelse_id, cpr=ctx.cpr, jobcenter_kode=jc.kode,
                      straksbooking=straks, oprettet=ctx.now, oprettet_af="jobnet")
    if straks:
        booking = replace(booking, ombooking_mulig=False, ombookingsfrist=None,
                          aflysning_mulig=False, aflysningsfrist=None)
    reject_invalid_planner_booking(ctx, planner, booking,
                                   lambda: planner.cancel_booking(kontekst, indkaldelse_id))
    return planner, booking


def register_new_booking(ctx: Kontekst, planner: Planner, booking: Booking,
                         extra: Callable[[object], None] | None = None) -> Booking:
    """Register a booking the planner made, with the citizen rules checked inside the write
    transaction (so two concurrent calls cannot both pass them); undo at the planner on failure."""
    kontekst = BorgerKontekst(cpr=booking.cpr, jobcenter_kode=booking.jobcenter_kode,
                              kontaktgruppe=None, klientkategori=None)
    try:
        with ctx.db.transaction() as tx:
            if extra is not None:
                extra(tx)
            borger = tx.borgere.get(booking.cpr)
            if borger is None:
                raise Fejl(Fejlkode.UKENDT_BORGER)
            rules.require_contact_group_allows(booking.samtaletype,
                                               catalogue.rehab_allowed(borger.kontaktgruppe))
            live = tx.bookinger.for_borger(booking.cpr, live_only=True)
            rules.require_no_other_future(live, booking.samtaletype, ctx.now)
            rules.require_below_cap(live, ctx.now, ctx.services.max_future_bookings)
            frister = tx.frister.for_borger(booking.cpr)
            rules.require_within_deadline(frister, booking.samtaletype, booking.moede_start)
            tx.bookinger.add(booking)
            tx.intents.finish(booking.indkaldelse_id)
            fulfilled = rules.fulfilled_deadline(frister, booking)
            if fulfilled is not None:
                tx.frister.set_status(fulfilled.id, Friststatus.INDFRIET, booking.indkaldelse_id)
    except BaseException as exc:
        reason = f"registration failed: {getattr(exc, 'fejlkode', type(exc).__name__)}"
        compensate(ctx, booking.indkaldelse_id,
                   lambda: planner.cancel_booking(kontekst, booking.indkaldelse_id), reason)
        raise
    return booking


def parse_instant(value: str, name: str) -> dt.datetime:
    """An RFC 3339 date-time within the accepted range (already checked at the edge) as an aware instant."""
    parsed = clock.parse_instant(value)
    if parsed is None:
        raise Fejl(Fejlkode.VALIDERING, f"{name} is not a valid date-time")
    return parsed


def search_window(ctx: Kontekst, start: str, slut: str) -> tuple[dt.datetime, dt.datetime]:
    window = parse_instant(start, "startMoedetidsinterval"), parse_instant(slut, "slutMoedetidsinterval")
    rules.require_interval(*window, ctx.services.max_search_days)
    return window


def register_cancellation(tx: Tx, indkaldelse_id: str) -> None:
    """Mark the booking cancelled in the register and open again the deadline it fulfilled."""
    current = tx.bookinger.get(indkaldelse_id)
    if current is None or current.state is BookingState.CANCELLED:
        return
    tx.bookinger.update(replace(current, state=BookingState.CANCELLED))
    for frist in tx.frister.for_borger(current.cpr):
        if frist.indfriet_af == indkaldelse_id:
            tx.frister.set_status(frist.id, Friststatus.AKTIV, None)


def way_back(booking: Booking) -> Bookingoenske:
    """The request that moves a booking back to its registered time. The caseworker is not named:
    an offer without caseworker choice refuses a named one (9003), and the planner keeps the
    booking's own caseworker when they are free."""
    return Bookingoenske(booking.moede_start, booking.kontakt.samtaleform, None)


def caseworker_alias(sagsbehandler_eksternt_id: str | None, eksternt_id: str | None) -> str | None:
    """The caseworker filter of the timeslot searches by either name: STAR's table calls it EksterntId
    (domain.md §8 Q6); given both, sagsbehandlerEksterntId counts (no cross-field refusal)."""
    return sagsbehandler_eksternt_id if sagsbehandler_eksternt_id is not None else eksternt_id
