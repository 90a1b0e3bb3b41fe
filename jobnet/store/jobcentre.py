"""Job centres and their planner routing ("skiftespor"): which planner serves each centre."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from jobnet.store.audit import AuditRepo, Repo
from jobnet.store.engine import Connection
from jobnet.store.sealing import Sealer, seal, unseal

PLANNER_EMBEDDED = "embedded"
PLANNER_SOAP = "soap"


@dataclass(frozen=True)
class Jobcenter:
    kode: str  # 5 digits
    navn: str
    planner: str | None = None  # "embedded", "soap" or None: not configured (9018)
    soap_url: str | None = None
    connect_timeout: float = 3.0  # seconds
    read_timeout: float = 10.0
    telefon: str | None = None
    fax: str | None = None
    kvitteringstekst: str | None = None
    organisationskode: int = 0
    # HTTP basic credentials for the SOAP planner (migration 0004); the password stays out of repr and audit
    soap_username: str | None = None
    soap_password: str | None = field(default=None, repr=False)


class JobcenterRepo(Repo):
    """The route password is stored sealed (jobnet.store.sealing) and opened when read."""

    def __init__(self, conn: Connection, audit: AuditRepo, actor: str, sealer: Sealer | None) -> None:
        super().__init__(conn, audit, actor)
        self._sealer = sealer

    def get(self, kode: str) -> Jobcenter | None:
        row = self._conn.fetch_one("SELECT * FROM jobcentre WHERE kode = ?", [kode])
        if row is None:
            return None
        return Jobcenter(**{**row, "soap_password": unseal(self._sealer, row["soap_password"])})

    def add(self, jobcenter: Jobcenter) -> None:
        self._conn.insert("jobcentre", {
            "kode": jobcenter.kode,
            "navn": jobcenter.navn,
            "planner": jobcenter.planner,
            "soap_url": jobcenter.soap_url,
            "connect_timeout": float(jobcenter.connect_timeout),
            "read_timeout": float(jobcenter.read_timeout),
            "telefon": jobcenter.telefon,
            "fax": jobcenter.fax,
            "kvitteringstekst": jobcenter.kvitteringstekst,
            "organisationskode": jobcenter.organisationskode,
            "soap_username": jobcenter.soap_username,
            "soap_password": seal(self._sealer, jobcenter.soap_password),
        })
        masked = "***" if jobcenter.soap_password is not None else None
        self._audit("create", "jobcenter", jobcenter.kode, replace(jobcenter, soap_password=masked))
