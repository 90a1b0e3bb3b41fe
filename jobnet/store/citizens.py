"""Citizens, their enrolment periods (tilmeldinger) and their deadlines (frister)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jobnet.domain import Absence, Borger, Frist, Tilmelding
from jobnet.errors import NotFound
from jobnet.store import codec
from jobnet.store.audit import Repo
from jobnet.store.engine import Row

_CITIZEN_FLAGS = (
    "levende", "har_jobnet_cv", "udlandet", "midlertidig_udenlandsk_adresse",
    "kan_selvbooke", "straksbooking_paakraevet", "profil_komplet",
)


class BorgerRepo(Repo):
    def get(self, cpr: str) -> Borger | None:
        row = self._conn.fetch_one("SELECT * FROM borgere WHERE cpr = ?", [cpr])
        return None if row is None else _citizen(row)

    def lock(self, cpr: str) -> None:
        """Hold the citizen's row until the transaction ends, so two writes for one citizen run one
        after the other and the second sees what the first registered (PostgreSQL: ``FOR UPDATE`` in
        READ COMMITTED, where every statement sees what was committed before it; SQLite: nothing to
        do, its write transaction holds the whole database)."""
        if self._conn.lock_rows:
            self._conn.execute(f"SELECT cpr FROM borgere WHERE cpr = ?{self._conn.lock_rows}", [cpr])

    def add(self, borger: Borger) -> None:
        self._conn.insert("borgere", _citizen_row(borger))
        self._audit("create", "borger", borger.cpr, borger)

    def add_many(self, borgere: Sequence[Borger]) -> None:
        """Like ``add`` for each, with one executemany (bulk loads); one audit row each."""
        self._conn.insert_all("borgere", [_citizen_row(b) for b in borgere])
        for borger in borgere:
            self._audit("create", "borger", borger.cpr, borger)

    def update(self, borger: Borger) -> None:
        values = _citizen_row(borger)
        del values["cpr"]
        if self._conn.update("borgere", "cpr", borger.cpr, values) != 1:
            raise NotFound(f"borger {borger.cpr[:6]}xxxx")
        self._audit("update", "borger", borger.cpr, borger)


def _citizen_row(b: Borger) -> dict[str, Any]:
    row: dict[str, Any] = {
        "cpr": b.cpr,
        "jobcenter_kode": b.jobcenter_kode,
        "kontaktgruppe": b.kontaktgruppe,
        "klientkategori": b.klientkategori,
        "fravaer": Absence(b.fravaer).value,
    }
    row.update({name: codec.flag(getattr(b, name)) for name in _CITIZEN_FLAGS})
    return row


def _citizen(row: Row) -> Borger:
    return Borger(
        cpr=row["cpr"],
        jobcenter_kode=row["jobcenter_kode"],
        kontaktgruppe=row["kontaktgruppe"],
        klientkategori=row["klientkategori"],
        fravaer=Absence(row["fravaer"]),
        **{name: bool(row[name]) for name in _CITIZEN_FLAGS},
    )


class TilmeldingRepo(Repo):
    def for_borger(self, cpr: str) -> list[Tilmelding]:
        rows = self._conn.fetch_all("SELECT * FROM tilmeldinger WHERE cpr = ? ORDER BY startdato, id", [cpr]
        )
        return [
            Tilmelding(
                id=r["id"],
                cpr=r["cpr"],
                startdato=codec.date_(r["startdato"]),
                slutdato=codec.parse_day(r["slutdato"]),
                klientkategori=r["klientkategori"],
                ledighedsgrad=r["ledighedsgrad"],
            )
            for r in rows
        ]

    def add(self, tilmelding: Tilmelding) -> None:
        self.add_many([tilmelding])

    def add_many(self, tilmeldinger: Sequence[Tilmelding]) -> None:
        """Insert the enrolments with one executemany; one audit row each."""
        self._conn.insert_all("tilmeldinger", [{
            "id": t.id,
            "cpr": t.cpr,
            "startdato": codec.day(t.startdato),
            "slutdato": codec.day(t.slutdato),
            "klientkategori": t.klientkategori,
            "ledighedsgrad": t.ledighedsgrad,
        } for t in tilmeldinger])
        for t in tilmeldinger:
            self._audit("create", "tilmelding", t.id, t)


class FristRepo(Repo):
    def for_borger(self, cpr: str) -> list[Frist]:
        rows = self._conn.fetch_all("SELECT * FROM frister WHERE cpr = ? ORDER BY fristdato, id", [cpr]
        )
        return [_frist(r) for r in rows]

    def add(self, frist: Frist) -> None:
        self.add_many([frist])

    def add_many(self, frister: Sequence[Frist]) -> None:
        """Insert the deadlines with one executemany; one audit row each."""
        self._conn.insert_all("frister", [{
            "id": f.id,
            "cpr": f.cpr,
            "samtaletype": f.samtaletype,
            "fristdato": codec.day(f.fristdato),
            "sidste_afholdelsesdato": codec.day(f.sidste_afholdelsesdato),
            "status": f.status,
            "straks": codec.flag(f.straks),
            "indfriet_af": f.indfriet_af,
        } for f in frister])
        for f in frister:
            self._audit("create", "frist", f.id, f)

    def set_status(self, frist_id: str, status: int, indfriet_af: str | None) -> None:
        values = {"status": status, "indfriet_af": indfriet_af}
        if self._conn.update("frister", "id", frist_id, values) != 1:
            raise NotFound(f"frist {frist_id}")
        self._audit("set_status", "frist", frist_id, values)


def _frist(r: Row) -> Frist:
    return Frist(
        id=r["id"],
        cpr=r["cpr"],
        samtaletype=r["samtaletype"],
        fristdato=codec.date_(r["fristdato"]),
        sidste_afholdelsesdato=codec.date_(r["sidste_afholdelsesdato"]),
        status=r["status"],
        straks=bool(r["straks"]),
        indfriet_af=r["indfriet_af"],
    )
