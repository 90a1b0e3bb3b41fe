"""Request ids (x-requestId): a replayed id within 7 days is refused (412 at the edge)."""
from __future__ import annotations

import datetime as dt
import sqlite3

from jobnet.store import codec

REPLAY_WINDOW = dt.timedelta(days=7)


class RequestRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def claim(self, request_id: str, operation: str, now: dt.datetime) -> bool:
        """Record the id; False when it was already recorded within the last 7 days."""
        self._conn.execute(
            "DELETE FROM request_ids WHERE claimed_at <= ?", [codec.ts(now - REPLAY_WINDOW)]
        )
        cur = self._conn.execute(
            "INSERT INTO request_ids (request_id, operation, claimed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (request_id) DO NOTHING",
            [request_id, operation, codec.ts(now)],
        )
        return cur.rowcount == 1

    def release(self, request_id: str) -> None:
        """Forget the id (e.g. the request failed before doing anything, so a retry is allowed)."""
        self._conn.execute("DELETE FROM request_ids WHERE request_id = ?", [request_id])
