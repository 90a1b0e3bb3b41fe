"""The audit trail: one append-only row per change, written in the changing transaction."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jobnet.clock import Clock
from jobnet.store import codec
from jobnet.store.engine import Connection, Row

_INSERT = "INSERT INTO audit (at, action, entity, entity_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?)"


class AuditRepo:
    def __init__(self, conn: Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        self._pending: list[list[Any]] | None = None  # rows of a deferred() block

    def record(
        self, action: str, entity: str, entity_id: str, actor: str, detail: dict[str, Any]
    ) -> None:
        row = [codec.ts(self._clock.now()), action, entity, entity_id, actor, codec.to_json(detail)]
        if self._pending is not None:
            self._pending.append(row)
        else:
            self._conn.execute(_INSERT, row)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Collect the audit rows of a bulk write and insert them together at the end, in the order
        they were recorded, in the same transaction (one row per change, as always)."""
        if self._pending is not None:  # already collecting
            yield
            return
        self._pending = []
        try:
            yield
            if self._pending:
                self._conn.executemany(_INSERT, self._pending)
        finally:
            self._pending = None

    def flush(self) -> None:
        """Insert the rows a deferred() block has collected so far (it goes on collecting)."""
        if self._pending:
            self._conn.executemany(_INSERT, self._pending)
            self._pending.clear()

    def for_entity(self, entity: str, entity_id: str) -> list[Row]:
        rows = self._conn.fetch_all("SELECT * FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, entity_id],
        )
        for row in rows:
            row["detail"] = codec.from_json(row["detail"])
        return rows


class Repo:
    """Base of the repositories that write: each change is audited by the repository itself."""

    def __init__(self, conn: Connection, audit: AuditRepo, actor: str) -> None:
        self._conn = conn
        self._audit_repo = audit
        self._actor = actor

    def _audit(self, action: str, entity: str, entity_id: str, detail: Any) -> None:
        """Audit a change; ``detail`` is a dataclass (recorded whole) or a dict."""
        if dataclasses.is_dataclass(detail) and not isinstance(detail, type):
            detail = codec.fields_of(detail)  # nested dataclasses are expanded when encoded
        self._audit_repo.record(action, entity, entity_id, self._actor, dict(detail))


