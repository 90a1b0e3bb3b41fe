"""CreateFejlmelding: Jobnet (32) or DFDG (30) reports an error about an offer or a booking."""
from __future__ import annotations

import logging

from generated import models as m
from handlers._common import citizen, own_booking, planner_and_context
from jobnet import catalogue
from jobnet.context import Kontekst
from jobnet.domain import Fejlmelding
from jobnet.errors import Fejl

log = logging.getLogger("jobnet.handlers")

ULOVLIGT_OPHAV = 8300
UKENDT_FEJLKODE = 8301


def create_fejlmelding(ctx: Kontekst, body: m.CreateFejlmeldingRequest) -> None:
    """Checked, kept in the register, and passed on to the citizen's planner when it has one."""
    borger = citizen(ctx, 8111)
    if not catalogue.fejlophav_allowed(body.fejl_ophav):
        raise Fejl(ULOVLIGT_OPHAV)
    if not catalogue.fejltype_known(body.fejlkode):
        raise Fejl(UKENDT_FEJLKODE)
    if body.indkaldelse_id is not None:
        own_booking(ctx, body.indkaldelse_id)
    report = Fejlmelding(fejlkode=body.fejlkode, fejl_ophav=body.fejl_ophav, fejl_tidspunkt=body.fejl_tidspunkt,
                         moedetilbud_id=body.moedetilbud_id, indkaldelse_id=body.indkaldelse_id,
                         fejltekst=body.fejltekst, cpr=ctx.cpr)
    if body.moedetilbud_id is not None:
        _require_known_offer(ctx, borger, body.moedetilbud_id)
    with ctx.db.transaction() as tx:
        tx.fejlmeldinger.add(report)
    try:
        planner, _, _ = planner_and_context(ctx, borger)
        planner.create_fejlmelding(report)
    except Fejl as exc:  # kept here; the planner hears of it when it can be reached
        log.warning("error report not passed on to the planner: %s", exc.fejlkode)


def _require_known_offer(ctx: Kontekst, borger: object, moedetilbud_id: str) -> None:
    """8108 unless the offer is one of the citizen's planner's offers or one of their bookings'."""
    with ctx.db.read() as r:
        if any(b.moedetilbud_id == moedetilbud_id for b in r.bookinger.for_borger(ctx.cpr, live_only=False)):
            return
    try:
        planner, kontekst, _ = planner_and_context(ctx, borger)  # type: ignore[arg-type]
        offers = planner.get_selfbook_interview_options(kontekst)
    except Fejl:  # no planner to ask: only the register can vouch for the offer
        offers = []
    if not any(o.moedetilbud_id == moedetilbud_id for o in offers):
        raise Fejl(8108)
