"""A change at the planner and its registration here, all or nothing: two strategies, one interface.

- ``EmbeddedChange``: the calendar lives in this very database, so the planner's change and its
  registration (and the request id) commit together in one write transaction; the steps inside
  become savepoints. A failure anywhere rolls everything back: nothing to compensate or recover.
- ``RemoteChange``: a remote planner is never called while the write lock is held. The request
  id is recorded first; each planner call is an intent (``planner_intents``, see
  jobnet/recovery.py) begun before and ended when its outcome is known; a registration that fails
  is compensated at the planner and the compensation is written to the audit table.

Either way, booking data the planner handed back and we rejected (``PlannerDataInvalid``) is
undone at the planner, kept in the register's error reports and reported to the planner.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from jobnet.context import Kontekst
from jobnet.errors import Fejl, PlannerDataInvalid, PlannerError, PlannerOutcomeUnknown
from jobnet.store import PLANNER_EMBEDDED, Tx
from jobnet.store.jobcentre import Jobcenter

log = logging.getLogger("jobnet.booking")
T = TypeVar("T")


class Change(ABC):
    """One change at the planner and its registration; ``planner_change`` picks the strategy."""

    def __init__(self, ctx: Kontekst) -> None:
        self.ctx = ctx

    @abstractmethod
    def scope(self) -> Iterator[None]:
        """Around the whole change (a generator for ``contextmanager``)."""

    @abstractmethod
    def at_planner(self, indkaldelse_id: str, action: str, jobcenter_kode: str, busy_code: int,
                   call: Callable[[], T]) -> T:
        """Make the change at the planner (``action``: create, reschedule or cancel)."""

    @abstractmethod
    def register(self, indkaldelse_id: str, write: Callable[[Tx], T],
                 undo: Callable[[], None] | None = None) -> T:
        """Register the planner's change here (``write`` in a transaction); ``undo`` takes it back
        at the planner should the registration fail."""

    @abstractmethod
    def _ended(self, tx: Tx, indkaldelse_id: str) -> None:
        """The planner change of the booking is over (registered or compensated)."""

    def compensate(self, indkaldelse_id: str, undo: Callable[[], None], reason: str) -> None:
        """Undo a planner change our side will not register, and leave a trace in the audit table."""
        ctx = self.ctx
        try:
            undo()
            with ctx.transaction() as tx:
                tx.audit.record("compensated", "booking", indkaldelse_id, ctx.operation, {"reason": reason})
                self._ended(tx, indkaldelse_id)
        except Fejl as exc:  # a remote change's intent stays: recovery tries again
            log.error("compensation failed for a booking: %s", exc.fejlkode)
            with ctx.transaction() as tx:
                tx.audit.record("compensation_failed", "booking", indkaldelse_id, ctx.operation,
                                {"reason": reason, "fejlkode": exc.fejlkode})


class EmbeddedChange(Change):
    """One write transaction from the first step to the commit."""

    def scope(self) -> Iterator[None]:
        ctx = self.ctx
        with ctx.transaction() as tx:
            ctx.claim_in(tx)
            yield
        ctx.claimed = ctx.request_id is not None

    def at_planner(self, indkaldelse_id: str, action: str, jobcenter_kode: str, busy_code: int,
                   call: Callable[[], T]) -> T:
        # no intent: the write lock is held until the commit, so no other change of the booking is
        # in flight, and a crash rolls the planner's change back with ours
        return call()

    def register(self, indkaldelse_id: str, write: Callable[[Tx], T],
                 undo: Callable[[], None] | None = None) -> T:
        with self.ctx.transaction() as tx:  # a failure rolls the planner's change back too
            return write(tx)

    def _ended(self, tx: Tx, indkaldelse_id: str) -> None:
        """Nothing to end: no intent was begun."""


class RemoteChange(Change):
    """Intents around the planner's calls, compensation when the registration fails."""

    def scope(self) -> Iterator[None]:
        self.ctx.claim()
        yield

    def at_planner(self, indkaldelse_id: str, action: str, jobcenter_kode: str, busy_code: int,
                   call: Callable[[], T]) -> T:
        """A failure with a known outcome changed nothing, so the intent goes; with an unknown
        outcome (timeout, remote fault) it stays for recovery."""
        ctx = self.ctx
        with ctx.transaction() as tx:
            if not tx.intents.begin(indkaldelse_id, action, jobcenter_kode, ctx.cpr, ctx.now):
                raise Fejl(busy_code, "another change of the booking is in progress")
        try:
            return call()
        except PlannerOutcomeUnknown:  # the planner may or may not have made the change
            raise
        except Fejl:
            with ctx.transaction() as tx:
                tx.intents.finish(indkaldelse_id)
            raise

    def register(self, indkaldelse_id: str, write: Callable[[Tx], T],
                 undo: Callable[[], None] | None = None) -> T:
        try:
            with self.ctx.transaction() as tx:
                result = write(tx)
                tx.intents.finish(indkaldelse_id)
        except BaseException as exc:
            if undo is not None:
                self.compensate(indkaldelse_id, undo,
                                f"registration failed: {getattr(exc, 'fejlkode', type(exc).__name__)}")
            raise
        return result

    def _ended(self, tx: Tx, indkaldelse_id: str) -> None:
        tx.intents.finish(indkaldelse_id)


@contextmanager
def planner_change(ctx: Kontekst, jobcenter_kode: str | None, jc: Jobcenter | None = None) -> Iterator[Change]:
    """The change strategy of the job centre's planner, around the steps of one change. A job
    centre without a planner gets the remote one (its steps fail with 9018). ``jc``: the job
    centre as the caller has just read it (else it is read here)."""
    if jc is None or jc.kode != jobcenter_kode:
        with ctx.db.read() as r:
            jc = r.jobcentre.get(jobcenter_kode) if jobcenter_kode else None
    change: Change = EmbeddedChange(ctx) if jc is not None and jc.planner == PLANNER_EMBEDDED else RemoteChange(ctx)
    rejected: PlannerDataInvalid | None = None
    with contextmanager(change.scope)():
        try:
            yield change
        except PlannerDataInvalid as exc:  # undone by compensation, which is kept (committed), so
            rejected = exc                 # the report below can name the booking
    if rejected is not None:
        _record_rejection(ctx, rejected)
        raise rejected


def _record_rejection(ctx: Kontekst, exc: PlannerDataInvalid) -> None:
    """Keep a record of rejected planner data, and report it to the planner (origin 30, DFDG)."""
    with ctx.transaction() as tx:
        tx.fejlmeldinger.add(exc.report)
    try:
        exc.planner.create_fejlmelding(exc.report)
    except PlannerError:
        log.warning("could not report rejected booking data to the planner")
