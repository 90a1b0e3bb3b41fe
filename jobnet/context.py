"""What a handler gets: who is asking, the store, the clock and the way to the planner."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generated.errors import Fejlkode
from jobnet.clock import Clock
from jobnet.edge.ratelimit import WriteLimits
from jobnet.errors import Fejl
from jobnet.store.requests import caller_key

if TYPE_CHECKING:
    from jobnet.metrics import Metrics
    from jobnet.planner.port import Planner
    from jobnet.store import Database, Tx
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
    on_shutdown: list[Callable[[], None]] = field(default_factory=list)  # run when the server stops
    metrics: Metrics | None = None  # what the service counts (jobnet.metrics); None: a fresh one per app


@dataclass
class Kontekst:
    services: Services
    operation: str
    cpr: str
    client: str = "anonymous"  # the calling client: token issuer and subject
    request_id: str | None = None
    unknown_citizen: int = Fejlkode.UKENDT_BORGER  # the operation's code for an unknown CPR (x-ukendt-borger)
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

    @property
    def caller_key(self) -> str:
        """Whose request ids these are: the client and the citizen (jobnet.store.requests)."""
        return caller_key(self.client, self.cpr)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A write transaction whose audit rows name this request's operation as the actor, holding
        the citizen's row: the citizen's rules (one future Jobsamtale, the cap on future bookings)
        are checked and registered by one request at a time (BorgerRepo.lock)."""
        with self.db.transaction(actor=self.operation) as tx:
            tx.borgere.lock(self.cpr)
            yield tx

    def planner(self, jobcenter: Jobcenter) -> Planner:
        return self.services.planner_for(jobcenter)

    # --- x-requestId: a repeat within 7 days is 412/8302 and changes nothing (STAR) ---------
    # The edge refuses a known id before the handler runs (a read). The id is then recorded with
    # the request's first change: in its transaction (jobnet.booking.change), or in
    # one of its own just before it (claim()), so two concurrent requests with one id cannot
    # both change anything. ``claimed``: the record is committed (a failure must release it).
    claimed: bool = False

    def claim(self) -> None:
        """Record the request id in a transaction of its own (8302 if another request has it)."""
        if self.request_id is None or self.claimed:
            return
        with self.transaction() as tx:
            self.claim_in(tx)
        self.claimed = True

    def claim_in(self, tx: Tx) -> None:
        """Record the request id in ``tx``; the caller sets ``claimed`` once ``tx`` has committed."""
        if (self.request_id is not None and not self.claimed
                and not tx.requests.claim(self.caller_key, self.request_id, self.operation, self.now)):
            raise Fejl(Fejlkode.GENTAGET_REQUEST_ID, "the x-requestId has been received before")
