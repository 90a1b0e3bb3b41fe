"""Self-booking: GetSelvbookingMoedetilbud, GetSelvbookingMoedetider, CreateSelvbooking."""
from __future__ import annotations

from generated import models as m
from generated.errors import Fejlkode
from handlers import _mapping
from handlers._queries import caseworker_alias, search_window
from jobnet.booking.lookups import citizen, planner_and_context
from jobnet.booking.registration import book
from jobnet.context import Json, Kontekst
from jobnet.domain import Bookingoenske
from jobnet.errors import Fejl


def get_selvbooking_moedetilbud(ctx: Kontekst) -> m.GetSelvbookingMoedetilbudResponse:
    borger = citizen(ctx)
    planner, kontekst, _ = planner_and_context(ctx, borger)
    tilbud = planner.get_selfbook_interview_options(kontekst)
    return m.GetSelvbookingMoedetilbudResponse(
        moedetilbud_samling=[_mapping.moedetilbud(t) for t in tilbud] or None)


def get_selvbooking_moedetider(ctx: Kontekst, moedetilbud_id: str, start_moedetidsinterval: str,
                               slut_moedetidsinterval: str, samtaleform_type: int | None = None,
                               sagsbehandler_eksternt_id: str | None = None, eksternt_id: str | None = None,
                               ) -> Json:
    sagsbehandler_eksternt_id = caseworker_alias(sagsbehandler_eksternt_id, eksternt_id)
    start, slut = search_window(ctx, start_moedetidsinterval, slut_moedetidsinterval)
    borger = citizen(ctx)
    planner, kontekst, _ = planner_and_context(ctx, borger)
    tider = planner.get_selfbook_timeslots(kontekst, moedetilbud_id, start, slut, samtaleform_type,
                                           sagsbehandler_eksternt_id)
    if not tider.tider:
        raise Fejl(Fejlkode.INGEN_LEDIGE_TIDER)
    return _mapping.moedetider_json(tider)


def create_selvbooking(ctx: Kontekst, moedetilbud_id: str, body: m.CreateSelvbookingRequest,
                       ) -> m.CreateSelvbookingResponse:
    oenske = Bookingoenske(body.moede_starttidspunkt, body.samtaleform_type, body.sagsbehandler_eksternt_id)
    booking = book(ctx, moedetilbud_id, oenske, straks=False)
    return m.CreateSelvbookingResponse(indkaldelse_id=booking.indkaldelse_id,
                                       booking_detaljer=_mapping.booking_detaljer(booking))
