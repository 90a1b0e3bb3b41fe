"""GetBookings (deprecated in the spec, still served): the citizen's bookings from today on."""
from __future__ import annotations

from generated import models as m
from handlers import _mapping
from jobnet.booking.lookups import citizen
from jobnet.clock import local_date
from jobnet.context import Kontekst


def get_bookings(ctx: Kontekst) -> m.GetBookingsResponse:
    citizen(ctx)
    today = local_date(ctx.now)
    with ctx.db.read() as r:
        bookinger = r.bookinger.for_borger(ctx.cpr, live_only=True)
    current = sorted((b for b in bookinger if local_date(b.moede_start) >= today), key=lambda b: b.moede_start)
    return m.GetBookingsResponse(booking_detaljer_samling=[_mapping.booking_detaljer(b) for b in current] or None)
