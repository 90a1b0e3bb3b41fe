"""Immediate booking: GetStraksbookingMoedetider, CreateStraksbooking, StraksbookOgTilmeld."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from generated import models as m
from generated.errors import Fejlkode
from handlers import _mapping
from handlers._queries import parse_instant, search_window
from jobnet import tilmelding
from jobnet.booking.change import planner_change
from jobnet.booking.lookups import citizen, jobcenter, new_id, planner_and_context
from jobnet.booking.registration import book, book_at_planner, register_new_booking
from jobnet.clock import COPENHAGEN, local_date
from jobnet.context import Kontekst
from jobnet.domain import Bookingoenske, Frist, Friststatus, Moedetid, Moedetider, Samtaletype, Tilmelding
from jobnet.errors import Fejl
from jobnet.store import Tx

FOERSTE_JOBSAMTALE_DAGE = 14  # proposal: the deadline an enrolment gives is not in the spec
STANDARD_KVITTERING = "Du er nu tilmeldt som ledig, og dit møde med jobcentret er booket."


def get_straksbooking_moedetider(ctx: Kontekst, start_moedetidsinterval: str | None = None,
                                 slut_moedetidsinterval: str | None = None,
                                 samtaleform_type: int | None = None,
                                 sagsbehandler_eksternt_id: str | None = None,
                                 ) -> m.GetStraksbookingMoedetiderResponse:
    """Times that meet the deadline the immediate booking is due to: its interview type, held
    by its date limit. A citizen who is not enrolled (and so may use StraksbookOgTilmeld) sees the
    times of a first Jobsamtale within FOERSTE_JOBSAMTALE_DAGE. Without an interval: from now to
    the end of that date limit."""
    borger = citizen(ctx)
    today = local_date(ctx.now)
    with ctx.db.read() as r:
        frist = _straks_frist(r.frister.for_borger(ctx.cpr))
        enrolled = any(t.slutdato is None or t.slutdato >= today for t in r.tilmeldinger.for_borger(ctx.cpr))
    if frist is not None:
        samtaletype, last_day = frist.samtaletype, frist.sidste_afholdelsesdato
    elif not enrolled:  # about to enrol with StraksbookOgTilmeld: the first Jobsamtale
        samtaletype, last_day = Samtaletype.JOBSAMTALE, today + dt.timedelta(days=FOERSTE_JOBSAMTALE_DAGE)
    else:
        raise Fejl(Fejlkode.INGEN_LEDIGE_TIDER, "the citizen has no deadline that requires an immediate booking")
    limit = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=COPENHAGEN)
    if start_moedetidsinterval and slut_moedetidsinterval:  # an interval as given must be one
        start, slut = search_window(ctx, start_moedetidsinterval, slut_moedetidsinterval)
    else:  # one bound or none: the other is now or the date limit (an empty window has no times)
        start = parse_instant(start_moedetidsinterval, "startMoedetidsinterval") if start_moedetidsinterval else ctx.now
        slut = parse_instant(slut_moedetidsinterval, "slutMoedetidsinterval") if slut_moedetidsinterval else limit
    start = max(start, ctx.now)
    slut = min(slut, limit, start + dt.timedelta(days=ctx.services.max_search_days))
    if slut <= start:
        raise Fejl(Fejlkode.INGEN_LEDIGE_TIDER)
    planner, kontekst, _ = planner_and_context(ctx, borger)
    found = planner.get_immediate_booking_timeslots(kontekst, samtaletype, start, slut)
    tider = _filter(found, samtaleform_type, sagsbehandler_eksternt_id)
    if not tider.tider:
        raise Fejl(Fejlkode.INGEN_LEDIGE_TIDER)
    return m.GetStraksbookingMoedetiderResponse(
        bookbar_sagsbehandler_samling=_mapping.bookbare_flere(tider.sagsbehandlere),
        moedetid_samling=[_mapping.straks_moedetid(t) for t in tider.tider])


def _straks_frist(frister: list[Frist]) -> Frist | None:
    return next((f for f in frister if f.straks and f.status == Friststatus.AKTIV), None)


def _filter(tider: Moedetider, samtaleform: int | None, rid: str | None) -> Moedetider:
    """The times with the chosen form; with a caseworker chosen, only times of offers that let the
    citizen choose (else booking gives 9003), each listing only that caseworker."""
    numre = {b.nummer for b in tider.sagsbehandlere
             if rid is None or any(s.eksternt_id == rid for s in b.sagsbehandlere)}
    kept = tuple(replace(t, sagsbehandler_numre=tuple(n for n in t.sagsbehandler_numre if n in numre))
                 for t in tider.tider
                 if (samtaleform is None or samtaleform in t.samtaleformer) and numre & set(t.sagsbehandler_numre)
                 and (rid is None or _may_choose(t)))
    used = {n for t in kept for n in t.sagsbehandler_numre}
    return replace(tider, tider=kept, sagsbehandlere=tuple(b for b in tider.sagsbehandlere if b.nummer in used))


def _may_choose(tid: Moedetid) -> bool:
    return tid.moedetilbud is not None and tid.moedetilbud.sagsbehandler_kan_vaelges


def create_straksbooking(ctx: Kontekst, moedetilbud_id: str, body: m.CreateStraksbookingRequest,
                         ) -> m.CreateStraksbookingResponse:
    oenske = Bookingoenske(body.moede_starttidspunkt, body.samtaleform_type, body.sagsbehandler_eksternt_id)
    booking = book(ctx, moedetilbud_id, oenske, straks=True)
    return m.CreateStraksbookingResponse(indkaldelse_id=booking.indkaldelse_id,
                                         booking_detaljer=_mapping.booking_detaljer(booking))


def straksbook_og_tilmeld(ctx: Kontekst, body: m.StraksbookOgTilmeldRequest) -> m.StraksbookOgTilmeldResponse:
    """Enrol and book in one go, all or nothing: the planner booking is undone if the enrolment
    or the registration fails."""
    t = body.tilmelding_og_booking
    if t.personnummer != ctx.cpr:
        raise Fejl(Fejlkode.VALIDERING, "personnummer must be the citizen of x-civilRegistrationIdentifier")
    borger = citizen(ctx)
    oenske = tilmelding.Tilmeldingsoenske(
        klientkategori=t.klientkategori, tilmeldingsdato=local_date(t.tilmeldingsdato),
        ledighedsgrad=t.ledighedsgrad,
        stillinger=tuple(tilmelding.Stillingsoenske(s.esco_koncept_uri, s.har_uddannelse, s.senest_aktiv_aar,
                                                    s.erfaring_maaneder, s.alias_id)
                         for s in t.stillingsbetegnelser or ()))
    today = local_date(ctx.now)
    with ctx.db.read() as r:
        tidligere = r.tilmeldinger.for_borger(ctx.cpr)
    kontaktgruppe = tilmelding.require_enrolment(borger, oenske, tidligere, today)
    enrolled = replace(borger, kontaktgruppe=kontaktgruppe, klientkategori=oenske.klientkategori)

    def enrol(tx: Tx) -> None:
        # re-checked under the write lock: two enrolments at once must not both pass 4316
        tilmelding.require_enrolment(borger, oenske, tx.tilmeldinger.for_borger(ctx.cpr), today)
        tx.tilmeldinger.add(Tilmelding(new_id(), ctx.cpr, oenske.tilmeldingsdato, None,
                                       oenske.klientkategori, oenske.ledighedsgrad))
        tx.borgere.update(enrolled)

    with planner_change(ctx, enrolled.jobcenter_kode) as change:
        planner, booking = book_at_planner(
            ctx, change, enrolled, t.moedetilbud_id,
            Bookingoenske(t.moede_starttidspunkt, t.samtaleform_type, t.sagsbehandler_eksternt_id), straks=True)
        booking = register_new_booking(ctx, change, planner, booking, extra=enrol)
    jc = jobcenter(ctx, booking.jobcenter_kode)
    return m.StraksbookOgTilmeldResponse(
        servicekvittering=m.Servicekvittering(registreringstidspunkt=ctx.now.astimezone(COPENHAGEN),
                                              registrerings_id=new_id()),
        kvitteringstekst=jc.kvitteringstekst or STANDARD_KVITTERING,
        jobcenter_telefonnummer=jc.telefon, jobcenter_faxnummer=jc.fax, booking_oprettet=True,
        booking_detaljer=_mapping.booking_detaljer(booking))
