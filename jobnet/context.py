"""What a handler gets: who is asking, the store, the clock and the way to the planner."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jobnet.clock import Clock
from jobnet.edge.ratelimit import WriteLimits

if TYPE_CHECKING:
    from jobnet.planner.port import Planner
    from jobnet.store import Database
    from jobnet.store.jobcentre import Jobcenter


@dataclass(frozen=True)
class Json:
    """An answer already serialized to JSON; a handler may return it in place of a model."""

    body: bytes


@dataclass(frozen=True)
class Services:
    db: Database
    clock: Clock
    planner_for: Callable[[Jobcenter], Planner]
    max_search_days: int = 93
    limits: WriteLimits | None = None
    max_future_bookings: int = 10


@dataclass
class Kontekst:
    services: Services
    operation: str
    cpr: str
    request_id: str | None = None
    _now: dt.datetime | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def now(self) -> dt.datetime:
        """One instant per request, so every rule in a request sees the same time."""
        if self._now is None:
            self._now = self.services.clock.now()
        return self._now

    def planner(self, jobcenter: Jobcenter) -> Planner:
        return self.services.planner_for(jobcenter)
