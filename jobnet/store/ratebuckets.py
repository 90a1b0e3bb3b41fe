"""Write-rate buckets kept in the database, so every instance and worker on one PostgreSQL counts
against the same limit (the table rate_buckets, migration 0010).

One statement per take, atomic on its own (an upsert: the row is locked for its length): the
bucket is refilled by the time since it was last counted, at ``capacity / period`` tokens a second up
to ``capacity``, and one token is spent if there is one. The time is the database server's
(``clock_timestamp()``), so instances on hosts whose clocks differ still agree.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jobnet.store.engine import Connection

if TYPE_CHECKING:
    from jobnet.store.database import Database

PURGE_EVERY_S = 300.0  # how often a process removes buckets idle for longer than their period

_TAKE = """
INSERT INTO rate_buckets AS b (name, key, tokens, at, granted)
VALUES (?, ?, ? - 1, extract(epoch FROM clock_timestamp()), 1)
ON CONFLICT (name, key) DO UPDATE SET
    tokens = CASE WHEN least(?, b.tokens + (excluded.at - b.at) * ?) >= 1
                  THEN least(?, b.tokens + (excluded.at - b.at) * ?) - 1
                  ELSE least(?, b.tokens + (excluded.at - b.at) * ?) END,
    granted = CASE WHEN least(?, b.tokens + (excluded.at - b.at) * ?) >= 1 THEN 1 ELSE 0 END,
    at = excluded.at
RETURNING tokens, granted
"""


@dataclass
class SharedBuckets:
    """The buckets of one database; ``take`` answers None (granted) or the seconds to wait."""

    conn: Connection
    _purged: float = field(default=0.0)

    def take(self, name: str, key: str, capacity: int, period: float) -> float | None:
        rate = capacity / period
        row = self.conn.execute(_TAKE, [name, key, float(capacity), *([float(capacity), rate] * 4)]).fetchone()
        self._purge(period)
        tokens, granted = float(row[0]), bool(row[1])
        return None if granted else (1 - tokens) / rate

    def _purge(self, period: float) -> None:
        now = time.monotonic()
        if now - self._purged < PURGE_EVERY_S:
            return
        self._purged = now
        self.conn.execute("DELETE FROM rate_buckets WHERE at < extract(epoch FROM clock_timestamp()) - ?",
                          [max(period, PURGE_EVERY_S)])


def shared_buckets(db: Database) -> SharedBuckets | None:
    """The database's buckets where instances share it (PostgreSQL); None: count in the process."""
    if db.backend != "postgresql":
        return None
    return db.memo("rate_buckets", lambda: SharedBuckets(db.engine.connection()))
