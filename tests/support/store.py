"""Builders of store records, and the fixtures the store, planner, loader and demo tests of
tests/store/ take explicitly (``from tests.support.store import clock, db``): the suite's one now
(NOW is START, tests/support/clock.py, as the UTC instant the store writes) and a fresh database
of each backend with a sealing key of its own. Their dates are relative to START's day (TODAY).
SEALER is the tests' sealing key.
"""
from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobnet.clock import FixedClock, local_datetime
from jobnet.domain import Adresse, Booking, Borger, Indkalder, Kontaktdetaljer, Moedested, Sagsbehandler
from jobnet.store import Database, Jobcenter
from jobnet.store.engine import MIGRATIONS  # the real files (migrated_until patches the module's)
from jobnet.store.sealing import Sealer
from tests.support.backends import location, selected
from tests.support.clock import START, TODAY

UTC = dt.UTC
SEALER = Sealer.generate()  # the tests' key for planner route passwords
# The suite's START (Tuesday 09:00 in Copenhagen, CET) in UTC: the store's text of it, and UTC arithmetic on it.
NOW = START.astimezone(UTC)
CPR = "0101901234"
ANDEN_CPR = "0202852345"
JC = "10101"


@pytest.fixture
def clock() -> FixedClock:
    """The suite's clock: START, as tests/conftest.py's."""
    return FixedClock(NOW)


@pytest.fixture(params=selected())
def db(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[Database]:
    """A fresh database of each backend (tests/support/backends.py)."""
    for where in location(request, tmp_path):
        database = Database(where, clock=clock, sealer=Sealer.generate())
        database.migrate()
        yield database
        database.dispose()


def jobcenter(kode: str = JC, planner: str | None = "embedded") -> Jobcenter:
    return Jobcenter(kode=kode, navn=f"Jobcenter {kode}", planner=planner, telefon="70101010",
                     organisationskode=int(kode))


def citizen(cpr: str = CPR, kode: str | None = JC) -> Borger:
    return Borger(cpr=cpr, jobcenter_kode=kode, kontaktgruppe=1, klientkategori=1)


def booking(indkaldelse_id: str = "11111111-1111-4111-8111-111111111111", cpr: str = CPR,
            start: dt.datetime | None = None) -> Booking:
    start = start or local_datetime(TODAY + dt.timedelta(days=8), 10)  # eight days on (a Wednesday), 10:00
    return Booking(
        indkaldelse_id=indkaldelse_id,
        cpr=cpr,
        moedetilbud_id="22222222-2222-4222-8222-222222222222",
        jobcenter_kode=JC,
        samtaletype=7,
        moedeform=1,
        moede_start=start,
        moede_slut=start + dt.timedelta(minutes=45),
        moedetitel="Jobsamtale",
        sagsbehandler=Sagsbehandler("RID-1", "Anne", "Jensen", mellemnavn="Marie"),
        kontakt=Kontaktdetaljer(samtaleform=8, digitalt_moedelink="https://m.example/x",
                                telefonnummer="70101010", borger_ringer_op=False),
        indkalder=Indkalder(10101, 2),
        moedebeskrivelse="Om din jobsøgning",
        moedested=Moedested("2. sal", Adresse("Rådhuspladsen", "1", "9999", "Demoby", etage="2")),
        ombooking_mulig=True,
        ombookingsfrist=start - dt.timedelta(hours=24),
        aflysning_mulig=True,
        aflysningsfrist=start - dt.timedelta(hours=24),
        oprettet=NOW,
    )


def seed_dfdg(database: Database) -> None:
    """Job centre 10101 with two citizens."""
    with database.transaction() as tx:
        tx.jobcentre.add(jobcenter())
        tx.borgere.add(citizen())
        tx.borgere.add(citizen(ANDEN_CPR))


def migrated_until(database: Database, before: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Migrate ``database`` with the migrations named before ``before`` only (as an installation of
    an earlier version has it); returns the folder to copy the later ones into, one by one."""
    mine = folder / "migrations" / database.backend
    mine.mkdir(parents=True)
    for sql in sorted((MIGRATIONS / database.backend).glob("*.sql")):
        if sql.name < before:
            shutil.copy(sql, mine)
    monkeypatch.setattr("jobnet.store.engine.MIGRATIONS", mine.parent)
    database.migrate()
    return mine


# Job centre 10101 and the two citizens of seed_dfdg, under the table names before 0011 (the
# repositories write the Danish names, so an older schema gets its rows in SQL).
OLD_DFDG = [
    ("INSERT INTO job_centres (kode, navn, planner, telefon, organisationskode) "
     f"VALUES ('{JC}', 'Jobcenter {JC}', 'embedded', '70101010', {int(JC)})"),
    *((f"INSERT INTO citizens (cpr, jobcenter_kode, kontaktgruppe, klientkategori, levende, har_jobnet_cv, udlandet, "
       "midlertidig_udenlandsk_adresse, fravaer, kan_selvbooke, straksbooking_paakraevet, profil_komplet) "
       f"VALUES ('{cpr}', '{JC}', 1, 1, 1, 1, 0, 0, 'none', 1, 0, 1)") for cpr in (CPR, ANDEN_CPR)),
]
