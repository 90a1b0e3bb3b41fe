"""Request ids (x-requestId): an id a caller sent again within 7 days is refused (412 at the edge).

An id belongs to its caller: the calling client (token issuer and subject) and the citizen the
call is made for. Another caller may use the same id. Rows are keyed on ``caller_key``, a digest
of the two, so the table holds no CPR number; rows from before migration 0007 have ``'*'`` and
refuse every caller until they expire.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from jobnet.store import codec
from jobnet.store.engine import Connection

REPLAY_WINDOW = dt.timedelta(days=7)
PURGE_BATCH = 1000  # expired ids removed per purge; a full batch makes the next claim purge again


class PurgeSchedule:
    """When this process last removed expired request ids: at most once per ``every``, and again
    at once while a purge left expired rows behind or when the clock went back."""

    def __init__(self, every: dt.timedelta = dt.timedelta(minutes=1)) -> None:
        self.every = every
        self._last: dt.datetime | None = None

    def due(self, now: dt.datetime) -> bool:
        last = self._last
        return last is None or now < last or now - last >= self.every

    def done(self, now: dt.datetime, complete: bool) -> None:
        self._last = now if complete else None


def caller_key(client: str, cpr: str) -> str:
    return hashlib.sha256(f"{client}\x1f{cpr}".encode()).hexdigest()[:32]


class RequestRepo:
    def __init__(self, conn: Connection, purges: PurgeSchedule | None = None) -> None:
        self._conn = conn
        self._purges = purges  # None: purge on every claim

    def claim(self, caller: str, request_id: str, operation: str, now: dt.datetime) -> bool:
        """Record the id; False when it was already recorded within the last 7 days.

        An expired row of the same id is taken over by the upsert, so the answer never depends on
        whether the housekeeping purge has run; the purge only keeps the table small.
        """
        cutoff = codec.ts(now - REPLAY_WINDOW)
        if self._purges is None or self._purges.due(now):
            deleted = self._conn.execute(
                "DELETE FROM request_ids WHERE (caller_key, request_id) IN (SELECT caller_key, request_id "
                "FROM request_ids WHERE claimed_at <= ? ORDER BY claimed_at LIMIT ?)",
                [cutoff, PURGE_BATCH],
            ).rowcount
            if self._purges is not None:
                self._purges.done(now, complete=deleted < PURGE_BATCH)
        cur = self._conn.execute(
            "INSERT INTO request_ids (caller_key, request_id, operation, claimed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (caller_key, request_id) DO UPDATE SET operation = excluded.operation, "
            "claimed_at = excluded.claimed_at WHERE request_ids.claimed_at <= ?",
            [caller, request_id, operation, codec.ts(now), cutoff],
        )
        return cur.rowcount == 1

    def seen(self, caller: str, request_id: str, now: dt.datetime) -> bool:
        """Whether the caller's id was recorded within the last 7 days."""
        return self._conn.execute(
            "SELECT 1 FROM request_ids WHERE caller_key IN (?, '*') AND request_id = ? AND claimed_at > ?",
            [caller, request_id, codec.ts(now - REPLAY_WINDOW)],
        ).fetchone() is not None

    def release(self, caller: str, request_id: str) -> None:
        """Forget the id (e.g. the request failed before doing anything, so a retry is allowed)."""
        self._conn.execute("DELETE FROM request_ids WHERE caller_key = ? AND request_id = ?", [caller, request_id])
