"""The unit-of-work object handed out by ``Database.transaction()`` and ``Database.read()``."""
from __future__ import annotations

from jobnet.clock import Clock
from jobnet.store.audit import AuditRepo
from jobnet.store.bookings import BookingRepo
from jobnet.store.citizens import BorgerRepo, FristRepo, TilmeldingRepo
from jobnet.store.engine import Connection
from jobnet.store.fejlmeldinger import FejlmeldingRepo
from jobnet.store.intents import IntentRepo
from jobnet.store.jobcentre import JobcenterRepo
from jobnet.store.requests import PurgeSchedule, RequestRepo
from jobnet.store.sealing import Sealer


class Tx:
    """Repositories bound to one open transaction on one connection."""

    def __init__(self, conn: Connection, clock: Clock, actor: str,
                 purges: PurgeSchedule | None = None, sealer: Sealer | None = None) -> None:
        self.conn = conn
        self.clock = clock
        self.actor = actor
        self.audit = AuditRepo(conn, clock)
        self.borgere = BorgerRepo(conn, self.audit, actor)
        self.tilmeldinger = TilmeldingRepo(conn, self.audit, actor)
        self.frister = FristRepo(conn, self.audit, actor)
        self.bookinger = BookingRepo(conn, self.audit, actor, clock)
        self.jobcentre = JobcenterRepo(conn, self.audit, actor, sealer)
        self.fejlmeldinger = FejlmeldingRepo(conn, self.audit, actor, clock)
        self.requests = RequestRepo(conn, purges)
        self.intents = IntentRepo(conn, self.audit, actor)
