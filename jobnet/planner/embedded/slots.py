"""Timeslot generation for individual meetings: pure functions, no I/O.

Working hours are wall-clock times in Europe/Copenhagen. Each day's slots are laid out on the
wall clock (09:00, 09:45, …) and each start is converted to UTC on its own, so a 09:00 slot is
09:00 local on both sides of a DST change. A wall time that does not exist (the spring-forward
gap) is skipped, and so is a start that would overlap the meeting before it or run past the end
of the working hours in real time (only possible across the gap); an ambiguous wall time (the
autumn repeat) means its first occurrence.

A day's starts depend only on (day, working hours, duration), and caseworkers share a few
working-time profiles, so they are computed once per process and kept (``_day_starts``, an LRU
cache of immutable tuples). Starts come out in ascending order; busy intervals are matched
against them by binary search instead of checking every start against every interval.
"""
from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jobnet.clock import COPENHAGEN, local_date

UTC = dt.UTC
MAX_DAGE = 366  # an open-ended search never generates more than a year of days
_DAY_CACHE = 16_384  # (day, profile, duration) entries: years of days for dozens of profiles
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Arbejdstid:
    """A caseworker's working hours."""

    dage: frozenset[int]  # ISO weekdays, Monday = 1
    fra: dt.time
    til: dt.time


def to_utc(wall: dt.datetime) -> dt.datetime | None:
    """A naive Copenhagen wall time as a UTC instant; None if that wall time does not exist."""
    instant = wall.replace(tzinfo=COPENHAGEN, fold=0).astimezone(UTC)
    if instant.astimezone(COPENHAGEN).replace(tzinfo=None) != wall:
        return None
    return instant


@functools.lru_cache(maxsize=_DAY_CACHE)
def _day_starts(day: dt.date, arbejdstid: Arbejdstid, varighed_minutter: int) -> tuple[dt.datetime, ...]:
    if day.isoweekday() not in arbejdstid.dage or varighed_minutter <= 0:
        return ()
    step = dt.timedelta(minutes=varighed_minutter)
    wall = dt.datetime.combine(day, arbejdstid.fra)
    end = dt.datetime.combine(day, arbejdstid.til)
    starts: list[dt.datetime] = []
    free_from: dt.datetime | None = None  # the end of the last start kept, in real time
    while wall + step <= end:
        instant = to_utc(wall)
        # Across the spring gap a wall-clock step is an hour shorter in real time: keep a start
        # only if it begins after the meeting before it and ends (on the wall clock) by ``til``.
        if (instant is not None and (free_from is None or instant >= free_from)
                and _wall(instant + step) <= end):
            starts.append(instant)
            free_from = instant + step
        wall += step
    return tuple(starts)


def _wall(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(COPENHAGEN).replace(tzinfo=None)


def day_starts(day: dt.date, arbejdstid: Arbejdstid, varighed_minutter: int) -> list[dt.datetime]:
    """Every start on ``day``: from ``fra`` in steps of the duration, ending by ``til`` (ascending)."""
    return list(_day_starts(day, arbejdstid, varighed_minutter))


def candidate_starts(
    arbejdstid: Arbejdstid,
    varighed_minutter: int,
    fra: dt.datetime,
    til: dt.datetime,
    *,
    foerste: dt.datetime | None,
    sidste: dt.datetime | None,
    efter: dt.datetime,
) -> list[dt.datetime]:
    """Starts in [fra, til) ∩ [foerste, sidste] that lie strictly after ``efter`` (now), ascending."""
    lo = max(fra, foerste) if foerste else fra
    hi_day_limit = min(til, sidste) if sidste else til
    if hi_day_limit < lo:
        return []
    first_day = local_date(max(lo, efter))
    last_day = min(local_date(hi_day_limit), first_day + dt.timedelta(days=MAX_DAGE))
    starts: list[dt.datetime] = []
    day = first_day
    while day <= last_day:
        todays = _day_starts(day, arbejdstid, varighed_minutter)
        if todays:
            if (todays[0] >= lo and todays[0] > efter and todays[-1] < til
                    and (sidste is None or todays[-1] <= sidste)):
                starts.extend(todays)  # the whole day lies inside every bound
            else:
                starts.extend(s for s in todays
                              if lo <= s < til and (sidste is None or s <= sidste) and s > efter)
        day += _ONE_DAY
    return starts


def overlaps(
    start: dt.datetime, varighed_minutter: int, busy: Iterable[tuple[dt.datetime, dt.datetime]]
) -> bool:
    slut = start + dt.timedelta(minutes=varighed_minutter)
    return any(b_start < slut and start < b_slut for b_start, b_slut in busy)


def blocked_indices(
    starts: Sequence[dt.datetime],
    varighed_minutter: int,
    busy: Iterable[tuple[dt.datetime, dt.datetime]],
) -> set[int]:
    """Indices into ``starts`` (ascending) whose meeting would overlap a busy interval.

    A meeting [s, s + d) overlaps [b_start, b_slut) exactly when b_start - d < s < b_slut, so the
    starts each interval blocks form one contiguous run, found by binary search.
    """
    varighed = dt.timedelta(minutes=varighed_minutter)
    blocked: set[int] = set()
    for b_start, b_slut in busy:
        i = bisect_right(starts, b_start - varighed)
        j = bisect_left(starts, b_slut, i)
        if i < j:
            blocked.update(range(i, j))
    return blocked
