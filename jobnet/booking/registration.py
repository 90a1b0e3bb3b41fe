"""The booking use cases at the planner and in the register: book, move, cancel, check what the
planner hands back. Each runs inside ``planner_change`` and takes its ``Change``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from generated.errors import Fejlkode
from jobnet import codelists, rules
from jobnet.booking.change import Change, planner_change
from jobnet.booking.lookups import citizen, new_id, planner_and_context
from jobnet.context import Kontekst
from jobnet.domain import (
    Booking,
    Bookingoenske,
    BookingState,
    Borger,
    BorgerKontekst,
    Fejlmelding,
    FejlOphav,
    Frist,
    Friststatus,
)
from jobnet.errors import Fejl, PlannerDataInvalid
from jobnet.planner.port import Planner
from jobnet.store import Tx
from jobnet.store.jobcentre import Jobcenter

Prepared = tuple[Planner, BorgerKontekst, Jobcenter]


def prepare_booking(ctx: Kontekst, borger: Borger, oenske: Bookingoenske) -> Prepared:
    """What a booking needs before it changes anything: the citizen alive (4405), the time not
    before today, the planner and what it is told of the citizen. Read before the write lock is
    taken (the register's own rules are checked again under it, in ``register_new_booking``)."""
    rules.require_alive(borger)
    rules.require_not_before_today(oenske.moede_start, ctx.now)
    return planner_and_context(ctx, borger)


def book_at_planner(ctx: Kontekst, change: Change, borger: Borger, moedetilbud_id: str,
                    oenske: Bookingoenske, straks: bool, prepared: Prepared | None = None,
                    plan: object | None = None) -> tuple[Planner, Booking]:
    """Take the time at the planner and check the booking it hands back; not yet registered here.
    ``plan``: the planner's ``plan_booking`` for this request, made before the write lock."""
    planner, kontekst, jc = prepared or prepare_booking(ctx, borger, oenske)
    indkaldelse_id = new_id()
    booking = change.at_planner(
        indkaldelse_id, "create", jc.kode, Fejlkode.TID_IKKE_LEDIG,
        lambda: planner.create_booking(kontekst, indkaldelse_id, moedetilbud_id, oenske, straks, plan))
    booking = replace(booking, indkaldelse_id=indkaldelse_id, cpr=ctx.cpr, jobcenter_kode=jc.kode,
                      straksbooking=straks, oprettet=ctx.now, oprettet_af="jobnet")
    if straks:
        booking = replace(booking, ombooking_mulig=False, ombookingsfrist=None,
                          aflysning_mulig=False, aflysningsfrist=None)
    require_valid_planner_booking(ctx, change, planner, booking,
                                  lambda: planner.cancel_booking(kontekst, indkaldelse_id))
    return planner, booking


def require_valid_planner_booking(ctx: Kontekst, change: Change, planner: Planner, booking: Booking,
                          undo: Callable[[], None]) -> None:
    """DFDG validates what the planner hands back before registering it (§6.3.2, §7.3). On a breach:
    undo at the planner and fail with the code; ``planner_change`` then keeps a record and reports
    it to the planner (origin 30, DFDG)."""
    codes = rules.planner_booking_violations(booking, ctx.now, **codelists.planner_validation_sets())
    if not codes:
        return
    change.compensate(booking.indkaldelse_id, undo, f"planner data broke {[int(c) for c in codes]}")
    report = Fejlmelding(fejlkode=codelists.FEJLTYPE_BOOKING_UGYLDIG, fejl_ophav=FejlOphav.DFDG,
                         fejl_tidspunkt=ctx.now, moedetilbud_id=booking.moedetilbud_id,
                         indkaldelse_id=booking.indkaldelse_id, cpr=ctx.cpr,
                         fejltekst=f"DFDG afviste bookingdata fra planneren: {', '.join(map(str, codes))}")
    raise PlannerDataInvalid(codes[0], "the booking data from the job centre's booking system failed validation",
                             report=report, planner=planner)


def register_new_booking(ctx: Kontekst, change: Change, planner: Planner, booking: Booking,
                         extra: Callable[[Tx], None] | None = None) -> Booking:
    """Register a booking the planner made, with the citizen rules checked inside the write
    transaction (so two concurrent calls cannot both pass them); ``extra`` runs first in it."""
    def write(tx: Tx) -> Booking:
        if extra is not None:
            extra(tx)
        borger = tx.borgere.get(booking.cpr)
        if borger is None:
            raise Fejl(Fejlkode.UKENDT_BORGER)
        rules.require_contact_group_allows(booking.samtaletype, codelists.rehab_allowed(borger.kontaktgruppe))
        live = tx.bookinger.for_borger(booking.cpr, live_only=True)
        rules.require_no_other_future(live, booking.samtaletype, ctx.now)
        rules.require_below_cap(live, ctx.now, ctx.services.max_future_bookings)
        frister = tx.frister.for_borger(booking.cpr)
        rules.require_within_deadline(frister, booking.samtaletype, booking.moede_start)
        tx.bookinger.add(booking)
        _fulfil(tx, frister, booking)
        return booking

    kontekst = _kontekst(booking)
    return change.register(booking.indkaldelse_id, write,
                           undo=lambda: planner.cancel_booking(kontekst, booking.indkaldelse_id))


def move_booking(ctx: Kontekst, change: Change, borger: Borger, booking: Booking, oenske: Bookingoenske) -> Booking:
    """Move the booking at the planner, check what it hands back, register it (undo on failure)."""
    indkaldelse_id = booking.indkaldelse_id
    planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
    moved = _as_moved(booking, change.at_planner(
        indkaldelse_id, "reschedule", booking.jobcenter_kode, Fejlkode.OMBOOKINGSTID_OPTAGET,
        lambda: planner.reschedule_booking(kontekst, indkaldelse_id, oenske)))
    back = way_back(booking)

    def undo() -> None:
        planner.reschedule_booking(kontekst, indkaldelse_id, back)

    require_valid_planner_booking(ctx, change, planner, moved, undo)

    def write(tx: Tx) -> Booking:
        current = tx.bookinger.get(indkaldelse_id)
        if current is None or current.state is BookingState.CANCELLED:
            raise Fejl(Fejlkode.UKENDT_BOOKING, "the booking was cancelled meanwhile")
        rules.require_no_other_future(tx.bookinger.for_borger(ctx.cpr), moved.samtaletype, ctx.now,
                                      except_id=indkaldelse_id)
        frister = tx.frister.for_borger(ctx.cpr)
        # a deadline this booking fulfils must still be met after the move
        own = [replace(f, status=Friststatus.AKTIV) if f.indfriet_af == indkaldelse_id else f for f in frister]
        rules.require_within_deadline(own, moved.samtaletype, moved.moede_start)
        tx.bookinger.update(moved)
        _fulfil(tx, frister, moved)
        return moved

    return change.register(indkaldelse_id, write, undo)


def cancel_booking(ctx: Kontekst, change: Change, borger: Borger, booking: Booking) -> None:
    """Cancel at the planner, then in the register (a cancellation is not undone: recovery finishes it)."""
    indkaldelse_id = booking.indkaldelse_id
    planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
    change.at_planner(indkaldelse_id, "cancel", booking.jobcenter_kode, Fejlkode.AFLYSNING_IKKE_TILLADT,
                      lambda: planner.cancel_booking(kontekst, indkaldelse_id))
    change.register(indkaldelse_id, lambda tx: register_cancellation(tx, indkaldelse_id))


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


def _fulfil(tx: Tx, frister: list[Frist], booking: Booking) -> None:
    """The open deadline this booking meets (if any) is fulfilled by it."""
    fulfilled = rules.fulfilled_deadline(frister, booking)
    if fulfilled is not None:
        tx.frister.set_status(fulfilled.id, Friststatus.INDFRIET, booking.indkaldelse_id)


def _kontekst(booking: Booking) -> BorgerKontekst:
    return BorgerKontekst(cpr=booking.cpr, jobcenter_kode=booking.jobcenter_kode, kontaktgruppe=None,
                          klientkategori=None)


def _as_moved(registered: Booking, from_planner: Booking) -> Booking:
    """The planner decides time, caseworker, place and policy; the register keeps who and why."""
    return replace(from_planner, indkaldelse_id=registered.indkaldelse_id, cpr=registered.cpr,
                   jobcenter_kode=registered.jobcenter_kode, indkalder=registered.indkalder,
                   selvbooket=registered.selvbooket, straksbooking=registered.straksbooking,
                   borger_skal_acceptere=registered.borger_skal_acceptere, accepteret=True,
                   state=BookingState.RESCHEDULED, oprettet=registered.oprettet,
                   oprettet_af=registered.oprettet_af)


def book(ctx: Kontekst, moedetilbud_id: str, oenske: Bookingoenske, straks: bool) -> Booking:
    """CreateSelvbooking and CreateStraksbooking: the calling citizen books a time of an offer."""
    borger = citizen(ctx)
    prepared = prepare_booking(ctx, borger, oenske)
    planner, kontekst, jc = prepared
    # what the planner can choose ahead is chosen before the write lock (port.PlansBookings)
    plan_ahead = getattr(planner, "plan_booking", None)
    plan = plan_ahead(kontekst, moedetilbud_id, oenske, straks) if plan_ahead is not None else None
    with planner_change(ctx, borger.jobcenter_kode, jc) as change:
        planner, booking = book_at_planner(ctx, change, borger, moedetilbud_id, oenske, straks, prepared, plan)
        return register_new_booking(ctx, change, planner, booking)
