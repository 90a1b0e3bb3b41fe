"""Reading the query parameters of the timeslot searches (already checked against the spec at the edge)."""
from __future__ import annotations

import datetime as dt

from generated.errors import Fejlkode
from jobnet import clock, rules
from jobnet.context import Kontekst
from jobnet.errors import Fejl


def parse_instant(value: str, name: str) -> dt.datetime:
    """An RFC 3339 date-time within the accepted range (already checked at the edge) as an aware instant."""
    parsed = clock.parse_instant(value)
    if parsed is None:
        raise Fejl(Fejlkode.VALIDERING, f"{name} is not a valid date-time")
    return parsed


def search_window(ctx: Kontekst, start: str, slut: str) -> tuple[dt.datetime, dt.datetime]:
    window = parse_instant(start, "startMoedetidsinterval"), parse_instant(slut, "slutMoedetidsinterval")
    rules.require_interval(*window, ctx.services.max_search_days)
    return window


def caseworker_alias(sagsbehandler_eksternt_id: str | None, eksternt_id: str | None) -> str | None:
    """The caseworker filter of the timeslot searches by either name: STAR's table calls it EksterntId
    (docs/reference.md §8 Q6); given both, sagsbehandlerEksterntId counts (no cross-field refusal)."""
    return sagsbehandler_eksternt_id if sagsbehandler_eksternt_id is not None else eksternt_id
