"""A booking (indkaldelse) the citizen has: CreateOmbooking, DeleteBooking, SaveIndkaldelsesaccept,
GetOmbookingSagsbehandlere, GetOmbookingMoedetider."""
from __future__ import annotations

from dataclasses import replace

from generated import models as m
from generated.errors import Fejlkode
from handlers import _mapping
from handlers._queries import caseworker_alias, search_window
from jobnet import codelists, rules
from jobnet.booking.change import planner_change
from jobnet.booking.lookups import citizen, own_booking, planner_and_context
from jobnet.booking.registration import cancel_booking, move_booking
from jobnet.context import Kontekst
from jobnet.domain import Bookingoenske
from jobnet.errors import Fejl, PlannerError


def create_ombooking(ctx: Kontekst, indkaldelse_id: str, body: m.CreateOmbookingRequest,
                     ) -> m.CreateOmbookingResponse:
    """Move the booking; a move also counts as the citizen's acceptance (§6.3.1)."""
    borger = citizen(ctx)
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_alive(borger)
    rules.require_reschedulable(booking, ctx.now)
    rules.require_not_before_today(body.moede_starttidspunkt, ctx.now)
    rules.require_contact_group_allows(booking.samtaletype, codelists.rehab_allowed(borger.kontaktgruppe))
    oenske = Bookingoenske(body.moede_starttidspunkt, body.samtaleform_type, body.sagsbehandler_eksternt_id)
    with planner_change(ctx, booking.jobcenter_kode) as change:
        moved = move_booking(ctx, change, borger, booking, oenske)
    return m.CreateOmbookingResponse(indkaldelse_id=indkaldelse_id,
                                     booking_detaljer=_mapping.booking_detaljer(moved))


def delete_booking(ctx: Kontekst, indkaldelse_id: str) -> None:
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_cancellable(booking, ctx.now)
    borger = citizen(ctx)
    with planner_change(ctx, booking.jobcenter_kode) as change:
        cancel_booking(ctx, change, borger, booking)


def save_indkaldelsesaccept(ctx: Kontekst, indkaldelse_id: str) -> None:
    borger = citizen(ctx)
    booking = own_booking(ctx, indkaldelse_id)
    rules.require_live(booking)
    if booking.accepteret:
        return
    with planner_change(ctx, booking.jobcenter_kode):
        planner, kontekst, _ = planner_and_context(ctx, borger, booking.jobcenter_kode)
        planner.accept_booking(kontekst, indkaldelse_id)
        with ctx.transaction() as tx:
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
    if kan_vaelges and codelists.joint_meeting(booking.moedeform):  # "For fællesmøder altid false"
        raise PlannerError(Fejlkode.KONTRAKTBRUD,
                           "the planner lets the citizen choose the caseworker of a joint meeting")
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
    return _mapping.ombooking_moedetider_response(
        tider, tider.samtaletype if tider.samtaletype is not None else booking.samtaletype)
