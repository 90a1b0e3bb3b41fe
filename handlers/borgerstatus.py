"""GetBorgerstatus: may the citizen self-book, which deadlines, must they book immediately."""
from __future__ import annotations

from generated import models as m
from handlers import _mapping
from jobnet import rules
from jobnet.booking.lookups import citizen
from jobnet.clock import local_date
from jobnet.context import Kontekst
from jobnet.domain import Friststatus


def get_borgerstatus(ctx: Kontekst) -> m.GetBorgerstatusResponse:
    borger = citizen(ctx)
    with ctx.db.read() as r:
        frister = r.frister.for_borger(ctx.cpr)
    today = local_date(ctx.now)
    shown = [f for f in frister if f.status != Friststatus.ANNULLERET]
    return m.GetBorgerstatusResponse(
        kan_selvbooke=borger.kan_selvbooke and borger.levende,
        frister=[_mapping.frist(f, rules.shown_status(f, today)) for f in shown] or None,
        straksbooking_paakraevet=any(f.straks and f.status == Friststatus.AKTIV for f in frister),
    )
