"""Planner changes in flight (the table planner_intents), so a crash between the planner's change
and the register's cannot leave half-made state behind unnoticed."""
from __future__ import annotations

import datetime as dt
import os
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


class IntentRepo:
    def __init__(self, conn: Connection, audit: AuditRepo, actor: str) -> None:
        self._conn = conn
        self._audit = audit
        self._actor = actor

    def begin(self, indkaldelse_id: str, action: str, jobcenter_kode: str, cpr: str, now: dt.datetime) -> bool:
        """Mark a change in flight; False if another change of the same booking is in flight."""
        cur = self._conn.execute(
            "INSERT INTO planner_intents (indkaldelse_id, action, jobcenter_kode, cpr, owner_pid, started_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (indkaldelse_id) DO NOTHING",
            [indkaldelse_id, action, jobcenter_kode, cpr, os.getpid(), codec.ts(now)])
        return cur.rowcount == 1

    def finish(self, indkaldelse_id: str) -> None:
        self._conn.execute("DELETE FROM planner_intents WHERE indkaldelse_id = ?", [indkaldelse_id])

    def all(self) -> list[Intent]:
        rows = self._conn.execute(
            "SELECT indkaldelse_id, action, jobcenter_kode, cpr, owner_pid, started_at FROM planner_intents "
            "ORDER BY started_at").fetchall()
        return [Intent(r[0], r[1], r[2], r[3], r[4], codec.instant(r[5])) for r in rows]
