"""Planner changes in flight (the table planner_intents), so a crash between the planner's change
and the register's cannot leave half-made state behind unnoticed."""
from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from jobnet.store import codec
from jobnet.store.audit import AuditRepo
from jobnet.store.engine import Connection


@dataclass(frozen=True)
class Intent:
    indkaldelse_id: str
    action: str  # create | reschedule | cancel
    jobcenter_kode: str
    cpr: str
    owner_pid: int
    started_at: dt.datetime
    owner_host: str = ""  # the host of the process that made it ('' before migration 0010)

    @property
    def local(self) -> bool:
        """Made by a process of this host (so its pid says whether it still runs)."""
        return self.owner_host in ("", HOST)


HOST = socket.gethostname()


class IntentRepo:
    def __init__(self, conn: Connection, audit: AuditRepo, actor: str) -> None:
        self._conn = conn
        self._audit = audit
        self._actor = actor

    def begin(self, indkaldelse_id: str, action: str, jobcenter_kode: str, cpr: str, now: dt.datetime) -> bool:
        """Mark a change in flight; False if another change of the same booking is in flight."""
        cur = self._conn.execute(
            "INSERT INTO planner_intents (indkaldelse_id, action, jobcenter_kode, cpr, owner_pid, owner_host, "
            "started_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (indkaldelse_id) DO NOTHING",
            [indkaldelse_id, action, jobcenter_kode, cpr, os.getpid(), HOST, codec.ts(now)])
        return cur.rowcount == 1

    def finish(self, indkaldelse_id: str) -> None:
        self._conn.execute("DELETE FROM planner_intents WHERE indkaldelse_id = ?", [indkaldelse_id])

    def all(self) -> list[Intent]:
        rows = self._conn.execute(
            "SELECT indkaldelse_id, action, jobcenter_kode, cpr, owner_pid, started_at, owner_host "
            "FROM planner_intents ORDER BY started_at").fetchall()
        return [Intent(r[0], r[1], r[2], r[3], r[4], codec.instant(r[5]), r[6]) for r in rows]

    def release(self, indkaldelse_id: str) -> None:
        """Give a claim back (its reconciling was postponed), so the next round may take it at once."""
        self._conn.execute("UPDATE planner_intents SET claimed_by = NULL, claimed_at = NULL WHERE indkaldelse_id = ?",
                           [indkaldelse_id])

    def claim(self, indkaldelse_id: str, claimer: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Take the intent for reconciling, unless another recovery holds it (a claim younger than
        ``lease``) or it is gone; True if this one may reconcile it. PostgreSQL: the row is locked
        with ``FOR UPDATE SKIP LOCKED``, so recoveries running at once on several instances skip
        each other's rows instead of queuing on them; SQLite: the write lock orders them."""
        cur = self._conn.execute(
            "UPDATE planner_intents SET claimed_by = ?, claimed_at = ? WHERE indkaldelse_id IN ("
            "SELECT indkaldelse_id FROM planner_intents WHERE indkaldelse_id = ? "
            f"AND (claimed_at IS NULL OR claimed_at <= ?){self._conn.skip_locked})",
            [claimer, codec.ts(now), indkaldelse_id, codec.ts(now - lease)])
        return cur.rowcount == 1
