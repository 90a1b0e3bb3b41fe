"""Error reports (CreateFejlmelding) received from Jobnet or raised by DFDG itself."""
from __future__ import annotations

import uuid

from jobnet.clock import Clock
from jobnet.domain import Fejlmelding
from jobnet.store import codec
from jobnet.store.audit import AuditRepo, Repo
from jobnet.store.engine import Connection, Row


class FejlmeldingRepo(Repo):
    def __init__(self, conn: Connection, audit: AuditRepo, actor: str, clock: Clock) -> None:
        super().__init__(conn, audit, actor)
        self._clock = clock

    def add(self, fejlmelding: Fejlmelding) -> str:
        fejlmelding_id = str(uuid.uuid4())
        row = {"id": fejlmelding_id, **to_row(fejlmelding), "modtaget": codec.ts(self._clock.now())}
        self._conn.insert("fejlmeldinger", row)
        self._audit("create", "fejlmelding", fejlmelding_id, fejlmelding)
        return fejlmelding_id

    def get(self, fejlmelding_id: str) -> Fejlmelding | None:
        row = self._conn.fetch_one("SELECT * FROM fejlmeldinger WHERE id = ?", [fejlmelding_id])
        return None if row is None else from_row(row)


def to_row(f: Fejlmelding) -> dict[str, object]:
    return {
        "fejlkode": f.fejlkode,
        "fejl_ophav": f.fejl_ophav,
        "fejl_tidspunkt": codec.ts(f.fejl_tidspunkt),
        "moedetilbud_id": f.moedetilbud_id,
        "indkaldelse_id": f.indkaldelse_id,
        "fejltekst": f.fejltekst,
        "cpr": f.cpr,
    }


def from_row(row: Row) -> Fejlmelding:
    return Fejlmelding(
        fejlkode=row["fejlkode"],
        fejl_ophav=row["fejl_ophav"],
        fejl_tidspunkt=codec.instant(row["fejl_tidspunkt"]),
        moedetilbud_id=row["moedetilbud_id"],
        indkaldelse_id=row["indkaldelse_id"],
        fejltekst=row["fejltekst"],
        cpr=row["cpr"],
    )
