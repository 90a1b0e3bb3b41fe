"""Timeslot answers kept per process and reused while nothing they were computed from has changed.

On a Monday morning thousands of citizens of one job centre open the same offer's times. A search
reads the offer's and its caseworkers' versions (one indexed query; triggers of migration 0006 move
them in the same transaction as any change to the planner's data), and an answer is reused only
for the same versions, the same search, and a moment in [computed, valid until): "valid until" is
the first instant at which the passing of time alone would change the answer (a time starts, or
its rebooking or cancellation deadline passes; times never appear by time passing). So a reused
answer is exactly what a fresh computation would give; a booking still takes its time under the
write lock, so even a stale list could only cost the citizen a 4819, never a double booking.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from jobnet.domain import Moedetid

T = TypeVar("T")
FOREVER = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    computed: dt.datetime
    valid_until: dt.datetime


class Memo(Generic[T]):
    """A bounded, thread-safe LRU of values that are valid for an interval of time."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, _Entry[T]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, now: dt.datetime, *keys: Hashable) -> T | None:
        """The value of the first of ``keys`` kept and valid at ``now`` (one hit or one miss)."""
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None and entry.computed <= now < entry.valid_until:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return entry.value
            self.misses += 1
            return None

    def put(self, key: Hashable, value: T, computed: dt.datetime, valid_until: dt.datetime) -> None:
        with self._lock:
            self._entries[key] = _Entry(value, computed, valid_until)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def valid_until(tider: tuple[Moedetid, ...], ombooking_frist_timer: int, aflysning_frist_timer: int,
                ) -> dt.datetime:
    """The first instant at which time alone changes these times: one of them starts (and is no
    longer offered), or a rebooking/cancellation deadline passes (its flag turns false)."""
    ombook, aflys = dt.timedelta(hours=ombooking_frist_timer), dt.timedelta(hours=aflysning_frist_timer)
    until = FOREVER
    for t in tider:
        until = min(until, t.starttidspunkt,
                    t.starttidspunkt - ombook if t.ombooking_mulig else FOREVER,
                    t.starttidspunkt - aflys if t.aflysning_mulig else FOREVER)
    return until
