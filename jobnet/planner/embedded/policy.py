"""The booking policy: what a booking made from an offer says about rebooking and cancelling."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from generated.errors import Fejlkode
from jobnet.domain import Booking, Indkalder, Kontaktdetaljer, Moedetilbud, Sagsbehandler, Samtaleform
from jobnet.errors import PlannerOutcomeUnknown
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud
from jobnet.planner.embedded.sql import PlannerRepo


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
        gruppemoede=t.faelles,
        oprettet_af="jobnet" if pb.selvbooket else "jobcenter",
        oprettet=pb.oprettet,
    )


def public_offer(repo: PlannerRepo, t: PlannerTilbud) -> Moedetilbud:
    """The offer as shown to citizens: caseworkers only if they may choose one."""
    sagsbehandlere: tuple[Sagsbehandler, ...] = ()
    if t.tilbud.sagsbehandler_kan_vaelges:
        sagsbehandlere = tuple(c.sagsbehandler for c in repo.sagsbehandlere_for_tilbud(t.id))
    return dataclasses.replace(t.tilbud, sagsbehandlere=sagsbehandlere)


def booking_of(repo: PlannerRepo, t: PlannerTilbud, pb: PlannerBooking, now: dt.datetime,
               known: Iterable[PlannerSagsbehandler] = ()) -> Booking:
    """``booking_fra_tilbud`` with the booking's caseworker: one of ``known`` (read in the same
    transaction), else read from the planner's tables."""
    c = next((k for k in known if k.nummer == pb.sagsbehandler_nummer), None) or repo.sagsbehandler(
        pb.sagsbehandler_nummer)
    if c is None:  # the foreign key makes this impossible
        raise PlannerOutcomeUnknown(Fejlkode.PLANNERFEJL, f"caseworker {pb.sagsbehandler_nummer} vanished")
    return booking_fra_tilbud(t, pb, c.sagsbehandler, now)
