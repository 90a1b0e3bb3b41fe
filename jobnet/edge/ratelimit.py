"""Abuse limits on writes: a token bucket per calling client and per citizen (429, 8309, Retry-After).

On PostgreSQL the buckets are rows of the shared database (jobnet/store/ratebuckets.py), so a limit
holds across every instance and worker; on SQLite they live in the worker process (each uvicorn
worker counts for itself, so the effective limit is the configured one times the number of workers).
Configured as ``COUNT/SECONDS``: JOBNET_RATE_CLIENT (default 200/1: 200 writes a second per client,
bursts up to 200) and JOBNET_RATE_CITIZEN (default 20/60: 20 writes a minute per citizen); ``off`` disables one.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from jobnet.errors import RateLimited
from jobnet.store.ratebuckets import SharedBuckets


@dataclass
class TokenBucket:
    """``capacity`` tokens refilled evenly over ``period`` seconds, per key."""

    capacity: int
    period: float
    name: str = ""  # which limit this is (client, citizen, planner_client), for the metrics
    shared: Callable[[], SharedBuckets | None] | None = None  # the database's buckets, where instances share one
    _state: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def parse(cls, spec: str | None, default: str, name: str = "",
              shared: Callable[[], SharedBuckets | None] | None = None) -> TokenBucket | None:
        spec = (spec or default).strip()
        if spec == "off":
            return None
        count, seconds = spec.split("/")
        bucket = cls(int(count), float(seconds), name, shared)
        if bucket.capacity < 1 or not bucket.period > 0:
            raise ValueError(f"a rate limit needs a count of at least 1 and seconds above 0: {spec!r}")
        return bucket

    def take(self, key: str, now: float | None = None) -> None:
        """Spend one token for ``key`` or raise RateLimited with the seconds until one is back."""
        buckets = self.shared() if self.shared is not None else None
        if buckets is not None:
            wait = buckets.take(self.name, key, self.capacity, self.period)
            if wait is not None:
                raise RateLimited(wait, self.name)
            return
        now = time.monotonic() if now is None else now
        rate = self.capacity / self.period
        with self._lock:
            tokens, last = self._state.get(key, (float(self.capacity), now))
            tokens = min(self.capacity, tokens + (now - last) * rate)
            if tokens < 1:
                self._state[key] = (tokens, now)
                raise RateLimited((1 - tokens) / rate, self.name)
            self._state[key] = (tokens - 1, now)
            if len(self._state) > 100_000:  # forget idle keys rather than grow without bound
                self._state = {k: v for k, v in self._state.items() if now - v[1] < self.period}


@dataclass(frozen=True)
class WriteLimits:
    per_client: TokenBucket | None
    per_citizen: TokenBucket | None

    def take(self, client: str, cpr: str) -> None:
        if self.per_client is not None:
            self.per_client.take(client)
        if self.per_citizen is not None:
            self.per_citizen.take(cpr)
