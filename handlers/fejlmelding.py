"""CreateFejlmelding: Jobnet (32) or DFDG (30) reports an error about an offer or a booking."""
from __future__ import annotations

import logging

from generated import models as m
from generated.errors import Fejlkode
from jobnet import codelists
from jobnet.booking.change import planner_change
from jobnet.booking.lookups import citizen, own_booking, planner_and_context
from jobnet.context import Kontekst
from jobnet.domain import Borger, Fejlmelding
from jobnet.errors import Fejl

log = logging.getLogger("jobnet.handlers")



def create_fejlmelding(ctx: Kontekst, body: m.CreateFejlmeldingRequest) -> None:
    """Checked, passed on to the citizen's planner when it has one, and kept in the register."""
    borger = citizen(ctx)
    if not codelists.fejlophav_allowed(body.fejl_ophav):
        raise Fejl(Fejlkode.ULOVLIGT_OPHAV)
    if not codelists.fejltype_known(body.fejlkode):
        raise Fejl(Fejlkode.UKENDT_FEJLKODE)
    if body.indkaldelse_id is not None:
        own_booking(ctx, body.indkaldelse_id)
    report = Fejlmelding(fejlkode=body.fejlkode, fejl_ophav=body.fejl_ophav, fejl_tidspunkt=body.fejl_tidspunkt,
                         moedetilbud_id=body.moedetilbud_id, indkaldelse_id=body.indkaldelse_id,
                         fejltekst=body.fejltekst, cpr=ctx.cpr, jobcenter_kode=borger.jobcenter_kode)
    with planner_change(ctx, borger.jobcenter_kode):  # the request id first; one transaction when embedded
        passed_on = _pass_on(ctx, borger, report)
        if body.moedetilbud_id is not None and not passed_on:
            _require_offer_in_register(ctx, body.moedetilbud_id)
        with ctx.transaction() as tx:
            tx.fejlmeldinger.add(report)


def _pass_on(ctx: Kontekst, borger: Borger, report: Fejlmelding) -> bool:
    """Report to the planner, which knows its offers (self-booking and immediate-booking alike):
    8108 if it does not know the offer. False if it could not be told; the report is kept here."""
    try:
        planner, _, _ = planner_and_context(ctx, borger)
        planner.create_fejlmelding(report)
    except Fejl as exc:
        if exc.fejlkode == Fejlkode.UKENDT_MOEDETILBUD:
            raise
        log.warning("error report not passed on to the planner: %s", exc.fejlkode)
        return False
    return True


def _require_offer_in_register(ctx: Kontekst, moedetilbud_id: str) -> None:
    """Without a planner to ask, only the citizen's own bookings can vouch for the offer (else 8108)."""
    with ctx.db.read() as r:
        if any(b.moedetilbud_id == moedetilbud_id for b in r.bookinger.for_borger(ctx.cpr, live_only=False)):
            return
    raise Fejl(Fejlkode.UKENDT_MOEDETILBUD)
