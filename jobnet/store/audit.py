"""The audit trail: one append-only row per change, written in the changing transaction."""
from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

from jobnet.clock import Clock
from jobnet.store import codec
from jobnet.store.sql import Row, fetch_all


class AuditRepo:
    def __init__(self, conn: sqlite3.Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock

    def record(
        self, action: str, entity: str, entity_id: str, actor: str, detail: dict[str, Any]
    ) -> None:
        self._conn.execute(
            "INSERT INTO audit (at, action, entity, entity_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
            [codec.ts(self._clock.now()), action, entity, entity_id, actor, codec.to_json(detail)],
        )

    def for_entity(self, entity: str, entity_id: str) -> list[Row]:
        rows = fetch_all(
            self._conn,
            "SELECT * FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, entity_id],
        )
        for row in rows:
            row["detail"] = codec.from_json(row["detail"])
        return rows


class Repo:
    """Base of the repositories that write: each change is audited by the repository itself."""

    def __init__(self, conn: sqlite3.Connection, audit: AuditRepo, actor: str) -> None:
        self._conn = conn
        self._audit_repo = audit
        self._actor = actor

    def _audit(self, action: str, entity: str, entity_id: str, detail: Any) -> None:
        """Audit a change; ``detail`` is a dataclass (recorded whole) or a dict."""
        if dataclasses.is_dataclass(detail) and not isinstance(detail, type):
            detail = codec.fields_of(detail)  # nested dataclasses are expanded when encoded
        self._audit_repo.record(action, entity, entity_id, self._actor, dict(detail))


class NotFound(LookupError):
    """An update or status change addressed a row that does not exist."""
