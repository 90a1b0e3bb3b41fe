"""Time: instants in UTC, "today" in Europe/Copenhagen, and a clock tests can set."""
from __future__ import annotations

import datetime as dt
import re
from typing import Protocol
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware UTC."""


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and for replaying scenarios."""

    def __init__(self, instant: dt.datetime) -> None:
        self.set(instant)

    def set(self, instant: dt.datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = instant.astimezone(dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        self._now += delta

    def now(self) -> dt.datetime:
        return self._now


def local_date(instant: dt.datetime) -> dt.date:
    """The calendar date of an instant in Copenhagen."""
    return instant.astimezone(COPENHAGEN).date()


def today(clock: Clock) -> dt.date:
    return local_date(clock.now())


def local_datetime(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in Copenhagen on ``day`` as an aware UTC instant (DST-correct)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN).astimezone(
        dt.UTC
    )


# Every instant and date the service accepts lies in the years 1900-2999 of its own wall clock
# (1014 otherwise), checked before any arithmetic: far enough for any meeting or report, and far
# from the ends of Python's calendar, where an offset or a search window would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def date_in_range(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


# RFC 3339 §5.6 with the upper-case T and Z (what every client sends); no leap second (:60)
_DATE_TIME = re.compile(r"(?P<wall>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(\.(?P<fraction>[0-9]{1,9}))?"
                        r"(?P<offset>Z|[+-](?P<hours>[0-9]{2}):[0-9]{2})")


def parse_instant(value: str) -> dt.datetime | None:
    """An RFC 3339 date-time as an aware instant within the range, or None."""
    m = _DATE_TIME.fullmatch(value)
    if m is None or int(m["hours"] or 0) > 23:
        return None
    fraction = f".{m['fraction'][:6]:0<6}" if m["fraction"] else ""  # microseconds: as fine as Python goes
    offset = "+00:00" if m["offset"] == "Z" else m["offset"]
    try:
        parsed = dt.datetime.fromisoformat(m["wall"] + fraction + offset)
    except ValueError:  # no such day or time
        return None
    return parsed if date_in_range(parsed.date()) else None
