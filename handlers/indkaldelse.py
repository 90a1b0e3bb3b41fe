"""A booking (indkaldelse) the citizen has: CreateOmbooking, DeleteBooking, SaveIndkaldelsesaccept,
GetOmbookingSagsbehandlere, GetOmbookingMoedetider."""
from __future__ import annotations

from dataclasses import replace

from generated import models as m
from generated.errors import Fejlkode
from handlers import _mapping
from handlers._common import (
    at_planner,
    begin_intent,
    caseworker_alias,
    citizen,
    compensate,
    own_booking,
    planner_and_context,
    planner_change,
    register_cancellation,
    reject_invalid_planner_booking,
    search_window,
    way_back,
)
from jobnet import catalogue, rules
from jobnet.context import Kontekst
from jobnet.domain import Booking, Bookingoenske, BookingState, Citizen, Friststatus
from jobnet.errors import Fejl


def create_ombooking(ctx: Kontekst, indkaldelse_id: str, body: m.CreateOmbookingRequest,
                     ) -> m.CreateOmbookingResponse:
    """Move the booking; a move also counts as the citizen's acceptance (§6.3.1)."""
    borger = citizen(ctx)
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_alive(borger)
    rules.require_reschedulable(booking, ctx.now)
    rules.require_not_before_today(body.moede_starttidspunkt, ctx.now)
    rules.require_contact_group_allows(booking.samtaletype, catalogue.rehab_allowed(borger.kontaktgruppe))
    oenske = Bookingoenske(body.moede_starttidspunkt, body.samtaleform_type, body.sagsbehandler_eksternt_id)
    with planner_change(ctx, booking.jobcenter_kode):
        moved = _move(ctx, borger, booking, oenske)
    return m.CreateOmbookingResponse(indkaldelse_id=indkaldelse_id,
                                     booking_detaljer=_mapping.booking_detaljer(moved))


def _move(ctx: Kontekst, borger: Citizen, booking: Booking, oenske: Bookingoenske) -> Booking:
    """Move the booking at the planner, check what it hands back, register it (undo on failure)."""
    indkaldelse_id = booking.indkaldelse_id
    planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
    begin_intent(ctx, indkaldelse_id, "reschedule", booking.jobcenter_kode, busy_code=Fejlkode.OMBOOKINGSTID_OPTAGET)
    moved = _as_registered(booking, at_planner(
        ctx, indkaldelse_id, lambda: planner.reschedule_booking(kontekst, indkaldelse_id, oenske)))
    back = way_back(booking)

    def undo() -> None:
        planner.reschedule_booking(kontekst, indkaldelse_id, back)

    reject_invalid_planner_booking(ctx, planner, moved, undo)
    try:
        with ctx.db.transaction() as tx:
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
            tx.intents.finish(indkaldelse_id)
            fulfilled = rules.fulfilled_deadline(frister, moved)
            if fulfilled is not None:
                tx.frister.set_status(fulfilled.id, Friststatus.INDFRIET, indkaldelse_id)
    except BaseException as exc:
        compensate(ctx, indkaldelse_id, undo, f"registration failed: {getattr(exc, 'fejlkode', exc)}")
        raise
    return moved


def _as_registered(registered: Booking, from_planner: Booking) -> Booking:
    """The planner decides time, caseworker, place and policy; the register keeps who and why."""
    return replace(from_planner, indkaldelse_id=registered.indkaldelse_id, cpr=registered.cpr,
                   jobcenter_kode=registered.jobcenter_kode, indkalder=registered.indkalder,
                   selvbooket=registered.selvbooket, straksbooking=registered.straksbooking,
                   borger_skal_acceptere=registered.borger_skal_acceptere, accepteret=True,
                   state=BookingState.RESCHEDULED, oprettet=registered.oprettet,
                   oprettet_af=registered.oprettet_af)


def delete_booking(ctx: Kontekst, indkaldelse_id: str) -> None:
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_cancellable(booking, ctx.now)
    borger = citizen(ctx)
    with planner_change(ctx, booking.jobcenter_kode):
        planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
        begin_intent(ctx, indkaldelse_id, "cancel", booking.jobcenter_kode, busy_code=Fejlkode.AFLYSNING_IKKE_TILLADT)
        at_planner(ctx, indkaldelse_id, lambda: planner.cancel_booking(kontekst, indkaldelse_id))
        with ctx.db.transaction(actor=ctx.operation) as tx:
            register_cancellation(tx, indkaldelse_id)
            tx.intents.finish(indkaldelse_id)


def save_indkaldelsesaccept(ctx: Kontekst, indkaldelse_id: str) -> None:
    borger = citizen(ctx)
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_live(booking)
    if booking.accepteret:
        return
    with planner_change(ctx, booking.jobcenter_kode):
        planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
        planner.accept_booking(kontekst, indkaldelse_id)
        with ctx.db.transaction() as tx:
            current = tx.bookinger.get(indkaldelse_id)
            if current is not None and not current.accepteret:
                tx.bookinger.update(replace(current, accepteret=True))


def get_ombooking_sagsbehandlere(ctx: Kontekst, indkaldelse_id: str) -> m.GetOmbookingSagsbehandlereResponse:
    borger = citizen(ctx)
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_live(booking)
    if booking.moede_start < ctx.now:
        raise Fejl(Fejlkode.MOEDETID_FOER_I_DAG)
    planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
    kan_vaelges, sagsbehandlere = planner.get_reschedule_supervisors(kontekst, indkaldelse_id)
    if not sagsbehandlere:
        raise Fejl(Fejlkode.INGEN_LEDIGE_TIDER)
    return m.GetOmbookingSagsbehandlereResponse(
        sagsbehandler_kan_vaelges=kan_vaelges,
        sagsbehandler_samling=[_mapping.sagsbehandler(s) for s in sagsbehandlere])


def get_ombooking_moedetider(ctx: Kontekst, indkaldelse_id: str, start_moedetidsinterval: str,
                             slut_moedetidsinterval: str, samtaleform_type: int | None = None,
                             sagsbehandler_eksternt_id: str | None = None, eksternt_id: str | None = None,
                             ) -> m.GetOmbookingMoedetiderResponse:
    sagsbehandler_eksternt_id = caseworker_alias(sagsbehandler_eksternt_id, eksternt_id)
    start, slut = search_window(ctx, start_moedetidsinterval, slut_moedetidsinterval)
    borger = citizen(ctx)
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_reschedulable(booking, ctx.now)
    planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
    tider = planner.get_reschedule_timeslots(kontekst, indkaldelse_id, start, slut, samtaleform_type,
                                             sagsbehandler_eksternt_id)
    if not tider.tider:
        raise Fejl(Fejlkode.INGEN_LEDIGE_TIDER)
    found = _mapping.moedetider_response(tider)
    return m.GetOmbookingMoedetiderResponse(
        bookbar_sagsbehandler_samling=found.bookbar_sagsbehandler_samling,
        moedetid_samling=found.moedetid_samling,
        samtale_type=tider.samtaletype if tider.samtaletype is not None else booking.samtaletype)
