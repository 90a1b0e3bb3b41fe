"""The embedded planner's test calendar in START's week (tests/support/clock.py): caseworkers,
offers and sessions, the ``planner`` fixture over them, and the helpers its tests use.

The tests' now is START, Tuesday 09:00 (TIRSDAG), the first start of that working day; ONSDAG is
the next working day, whose 09:00 has its 24-hour deadline exactly at now; the joint meetings are
on Thursdays (TORSDAG and the two after it)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from jobnet.clock import COPENHAGEN, FixedClock, local_datetime
from jobnet.domain import Booking, Bookingoenske, BorgerKontekst, Moedetilbud, Sagsbehandler
from jobnet.errors import PlannerError
from jobnet.planner.embedded import EmbeddedPlanner
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud, Tilbudspolitik
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database
from tests.support.clock import TODAY, weekday
from tests.support.store import ANDEN_CPR, CPR, JC, NOW

UTC = dt.UTC
UGE = dt.timedelta(weeks=1)
TIRSDAG = weekday(2)  # today: NOW (START) is 09:00 local that day
ONSDAG = weekday(3)  # tomorrow
TORSDAG = weekday(4)  # the first joint meeting
FREDAG = weekday(5)
LOERDAG = weekday(6)
assert TIRSDAG == TODAY, "the planner calendar counts on START being a Tuesday"
FAELLES_SIDSTE = local_datetime(TIRSDAG + dt.timedelta(days=29), 23)  # the joint offer's last time, four weeks on
RID_A, RID_B, RID_C, RID_D, RID_X = "RID-A", "RID-B", "RID-C", "RID-D", "RID-X"

IND = "10000000-0000-4000-8000-000000000001"  # individual, choice, forms 1/2/8, 45 min, A+B
SOLO = "10000000-0000-4000-8000-000000000002"  # individual, no choice, form 1, 60 min, A
FAELLES = "10000000-0000-4000-8000-000000000003"  # joint, B, three sessions
STRAKS = "10000000-0000-4000-8000-000000000004"  # immediate booking only, type 7, B
INAKTIV = "10000000-0000-4000-8000-000000000005"
KG5 = "10000000-0000-4000-8000-000000000006"  # only contact group 5
ANDET_JC = "10000000-0000-4000-8000-000000000007"  # job centre 20202
SMAL = "10000000-0000-4000-8000-000000000008"  # only Wednesday 10:00-12:00
DST = "10000000-0000-4000-8000-000000000009"  # caseworker D works every day

BORGER = BorgerKontekst(CPR, JC, 1, 1)
ANDEN = BorgerKontekst(ANDEN_CPR, JC, 1, 1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return local_datetime(day, hour, minute)


def offer(moedetilbud_id: str, *, moedeform: int = 1, samtaleformer: tuple[int, ...] = (1,),
          varighed: int = 45, kan_vaelges: bool = False, jc: str = JC, samtaletype: int = 7,
          foerste: dt.datetime | None = None, sidste: dt.datetime | None = None, **kw: object) -> PlannerTilbud:
    tilbud = Moedetilbud(
        moedetilbud_id=moedetilbud_id, jobcenter_kode=jc, samtaletype=samtaletype, moedeform=moedeform,
        samtaleformer=samtaleformer, varighed_minutter=varighed, sagsbehandler_kan_vaelges=kan_vaelges,
        moedetitel=f"Tilbud {moedetilbud_id[-1]}", foerste_moedetid=foerste, sidste_moedetid=sidste,
    )
    politik = Tilbudspolitik(telefonnummer="70101010", digitalt_moedelink="https://m.example/1",
                             organisationskode=10101)
    return PlannerTilbud(tilbud=tilbud, politik=politik, **kw)  # type: ignore[arg-type]  # kw: PlannerTilbud's fields


@pytest.fixture
def planner(db: Database, clock: FixedClock) -> EmbeddedPlanner:
    with db.transaction(actor="setup") as tx:
        repo = PlannerRepo.of(tx)
        n = {}
        for rid, fornavn, jc, dage in [(RID_A, "Anne", JC, (1, 2, 3, 4, 5)), (RID_B, "Bo", JC, (1, 2, 3, 4, 5)),
                                        (RID_C, "Camilla", JC, (1, 2, 3, 4, 5)), (RID_X, "Xenia", "20202", (1,)),
                                        (RID_D, "Dennis", JC, tuple(range(1, 8)))]:
            n[rid] = repo.add_sagsbehandler(
                PlannerSagsbehandler(0, jc, Sagsbehandler(rid, fornavn, "Sagsbehandler"), arbejdsdage=dage))
        offers = {
            IND: (offer(IND, samtaleformer=(1, 2, 8), kan_vaelges=True, foerste=NOW - dt.timedelta(days=1)),
                  [RID_A, RID_B]),
            SOLO: (offer(SOLO, varighed=60, samtaletype=4), [RID_A]),
            FAELLES: (offer(FAELLES, moedeform=2, varighed=90, samtaletype=9, sidste=FAELLES_SIDSTE),
                      [RID_B]),
            STRAKS: (offer(STRAKS, straks=True), [RID_B]),
            INAKTIV: (offer(INAKTIV, aktiv=False), [RID_A]),
            KG5: (offer(KG5, kontaktgrupper=(5,)), [RID_A]),
            ANDET_JC: (offer(ANDET_JC, jc="20202"), [RID_X]),
            SMAL: (offer(SMAL, foerste=at(ONSDAG, 10), sidste=at(ONSDAG, 12), samtaletype=12), [RID_C]),
            DST: (offer(DST, varighed=60, samtaletype=10), [RID_D]),
        }
        for t, rids in offers.values():
            repo.add_tilbud(t)
            for rid in rids:
                repo.link(t.id, n[rid])
        repo.add_session(FAELLES, at(TORSDAG, 10), 3, 3)
        repo.add_session(FAELLES, at(TORSDAG + UGE, 10), 5, 0)  # full
        repo.add_session(FAELLES, at(TORSDAG + 2 * UGE, 10), 5, 5)
    return EmbeddedPlanner(db, clock)


def fejl(code: int, call: Callable[[], object]) -> None:
    with pytest.raises(PlannerError) as info:
        call()
    assert info.value.fejlkode == code, info.value


def oenske(start: dt.datetime, form: int | None = 1, rid: str | None = None) -> Bookingoenske:
    return Bookingoenske(moede_start=start, samtaleform=form, sagsbehandler_eksternt_id=rid)


def book(planner: EmbeddedPlanner, bid: str, tilbud: str, start: dt.datetime, form: int | None = 1,
         rid: str | None = None, borger: BorgerKontekst = BORGER, straks: bool = False) -> Booking:
    return planner.create_booking(borger, bid, tilbud, oenske(start, form, rid), straks)


def bid(n: int) -> str:
    return f"b0000000-0000-4000-8000-{n:012d}"


def local(ts: dt.datetime) -> str:
    return ts.astimezone(COPENHAGEN).strftime("%a %H:%M")


def day_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return at(day, 0), at(day + dt.timedelta(days=1), 0)


def planner_row(db: Database, indkaldelse_id: str) -> PlannerBooking:
    with db.read() as tx:
        pb = PlannerRepo.of(tx).booking(indkaldelse_id)
    assert pb is not None
    return pb
