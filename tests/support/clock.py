"""The suite's one "now" and the time helpers every folder uses.

START is the instant of every test's FixedClock (tests/conftest.py ``clock``): Tuesday 1 December
2026, 09:00 in Copenhagen, a working day with working days around it; the demo data are relative
to it. (The store and planner tests of tests/store/ built on a fixed calendar around the spring
DST change run at their own STORE_NOW, tests/support/store.py.)
"""
from __future__ import annotations

import datetime as dt

from jobnet.clock import COPENHAGEN, Clock, local_datetime

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=COPENHAGEN)
TODAY = START.date()
AN_HOUR = dt.timedelta(hours=1)


def at(days: int, hour: int, minute: int = 0) -> str:
    """today + days at hh:mm Copenhagen wall time, as RFC 3339 with the local offset."""
    return local_datetime(TODAY + dt.timedelta(days=days), hour, minute).astimezone(COPENHAGEN).isoformat()


def search_window(source: Clock | dt.datetime, days: int = 14, ahead: dt.timedelta = AN_HOUR,
                  ) -> tuple[dt.datetime, dt.datetime]:
    """A timeslot search interval: from ``ahead`` after now (a clock's, or the instant given), ``days`` long."""
    now = source if isinstance(source, dt.datetime) else source.now()
    start = now.astimezone(COPENHAGEN) + ahead
    return start, start + dt.timedelta(days=days)


def window(source: Clock | dt.datetime, days: int = 14, ahead: dt.timedelta = AN_HOUR) -> dict[str, str]:
    """``search_window`` as the query parameters of the timeslot searches."""
    start, slut = search_window(source, days, ahead)
    return {"startMoedetidsinterval": start.isoformat(), "slutMoedetidsinterval": slut.isoformat()}
