"""The suite's one "now" and the time helpers every folder uses.

START is the instant of every test's FixedClock (tests/conftest.py ``clock``, and
tests/support/store.py's for the store tests): Tuesday 1 December 2026, 09:00 in Copenhagen, a
working day with working days around it; the demo data and every date of the tests are relative to
it. ``weekday()`` names a day of START's week (or of a week before or after it); a test about a DST
change finds the next real one after START with ``next_spring_forward()`` / ``next_fall_back()``.
"""
from __future__ import annotations

import datetime as dt

from jobnet.clock import COPENHAGEN, Clock, local_date, local_datetime

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=COPENHAGEN)
TODAY = START.date()
AN_HOUR = dt.timedelta(hours=1)
A_DAY = dt.timedelta(days=1)


def weekday(isoweekday: int, weeks: int = 0) -> dt.date:
    """The day of START's week (``weeks`` weeks on, or back) with this ISO weekday: 1 Monday ... 7 Sunday."""
    return TODAY + dt.timedelta(days=isoweekday - TODAY.isoweekday(), weeks=weeks)


def _next_day_of_length(after: dt.datetime, hours: int) -> dt.date:
    """The first Copenhagen day after ``after``'s (local) day that lasts ``hours`` hours (the zone's own data)."""
    day = local_date(after)
    for _ in range(370):  # Denmark changes its clocks twice a year
        day += A_DAY
        if local_datetime(day + A_DAY, 0) - local_datetime(day, 0) == dt.timedelta(hours=hours):
            return day
    raise AssertionError(f"no {hours}-hour day in Copenhagen within a year of {after}")


def next_spring_forward(after: dt.datetime) -> dt.date:
    """The next day after ``after`` on which Copenhagen's clocks go forward (02:00 -> 03:00): a 23-hour day
    whose 02:xx does not exist. After START: Sunday 28 March 2027."""
    return _next_day_of_length(after, 23)


def next_fall_back(after: dt.datetime) -> dt.date:
    """The next day after ``after`` on which Copenhagen's clocks go back (03:00 -> 02:00): a 25-hour day
    whose 02:xx happens twice. After START: Sunday 31 October 2027."""
    return _next_day_of_length(after, 25)


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
