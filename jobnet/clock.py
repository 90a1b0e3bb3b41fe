"""Time: instants in UTC, "today" in Europe/Copenhagen, and a clock tests can set."""
from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware UTC."""


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


class FixedClock:
    """A clock that stands still until moved; for tests and for replaying scenarios."""

    def __init__(self, instant: dt.datetime) -> None:
        self.set(instant)

    def set(self, instant: dt.datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = instant.astimezone(dt.timezone.utc)

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
        dt.timezone.utc
    )
