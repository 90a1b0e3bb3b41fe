"""The demo data set: it loads, and it holds the cases the service is shown with."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from jobnet import demo
from jobnet.clock import COPENHAGEN, FixedClock, today
from jobnet.domain import BookingState, BorgerKontekst, Samtaletype
from jobnet.errors import PlannerError
from jobnet.loader import load
from jobnet.planner import planner_for
from jobnet.planner.embedded import EmbeddedPlanner
from jobnet.planner.embedded.sql import PlannerRepo
from jobnet.store import Database
from tests.support.clock import START, TODAY, next_fall_back, next_spring_forward
from tests.support.store import SEALER, clock, db

__all__ = ["clock", "db"]  # fixtures

DAG = dt.timedelta(days=1)


@pytest.fixture
def loaded(db: Database, clock: FixedClock) -> Database:
    load(db, demo.demo_data(today(clock)))
    return db


def test_demo_data_is_plain_json() -> None:
    data = demo.demo_data(TODAY)
    assert json.loads(json.dumps(data)) == data


def test_all_listed_citizens_are_there(loaded: Database) -> None:
    with loaded.read() as tx:
        for cpr in demo.BORGERE:
            assert tx.borgere.get(cpr) is not None, cpr
        assert tx.borgere.get("0505701678").jobcenter_kode == "20202"
        assert tx.borgere.get("1010601234").jobcenter_kode == "30303"
        assert tx.borgere.get("1111701234").jobcenter_kode == "40404"
        assert tx.borgere.get("0606652789").levende is False
        assert tx.borgere.get("0303803456").straksbooking_paakraevet is True
        assert tx.borgere.get("0808553901").jobcenter_kode is None
        kendt = tx.borgere.get("0909951234")
        assert kendt.jobcenter_kode == "10101" and kendt.har_jobnet_cv
        assert tx.tilmeldinger.for_borger("0909951234") == [] and tx.tilmeldinger.for_borger("0808553901") == []
        for cpr in demo.TILMELDTE:
            [tilmelding] = tx.tilmeldinger.for_borger(cpr)
            assert tilmelding.slutdato is None
            borger = tx.borgere.get(cpr)
            assert (borger.kontaktgruppe, borger.klientkategori) == (1, 1)


def test_job_centres_and_their_planners(loaded: Database, clock: FixedClock) -> None:
    with loaded.read() as tx:
        centres = {k: tx.jobcentre.get(k) for k in ("10101", "20202", "30303", "40404")}
    assert centres["10101"].navn == "Jobcenter Demoby"
    assert isinstance(planner_for(loaded, centres["10101"], clock), EmbeddedPlanner)
    assert centres["20202"].planner is None
    assert (centres["30303"].planner, centres["30303"].soap_url) == ("soap", "http://127.0.0.1:9/planner/soap")
    assert centres["40404"].planner == "soap" and centres["40404"].soap_url.endswith("/planner/soap")
    with pytest.raises(PlannerError) as info:
        planner_for(loaded, centres["20202"], clock)
    assert info.value.fejlkode == 9018


def test_deadlines_and_bookings(loaded: Database, clock: FixedClock) -> None:
    dag0 = today(clock)
    with loaded.read() as tx:
        [frist] = tx.frister.for_borger("0101901234")
        assert (frist.samtaletype, frist.fristdato, frist.sidste_afholdelsesdato) == (
            Samtaletype.JOBSAMTALE, dag0 + 7 * DAG, dag0 + 21 * DAG)
        [straks] = tx.frister.for_borger("0303803456")
        assert straks.straks and straks.samtaletype == Samtaletype.JOBSAMTALE
        [indkaldt] = tx.bookinger.for_borger("0202852345")
        assert indkaldt.moede_start.astimezone(COPENHAGEN).date() == dag0 + 10 * DAG
        assert not indkaldt.selvbooket and indkaldt.borger_skal_acceptere and not indkaldt.accepteret
        assert indkaldt.ombooking_mulig and indkaldt.ombookingsfrist is not None
        assert indkaldt.moedetilbud_id == demo.TILBUD_JOBSAMTALE and indkaldt.state is BookingState.ACTIVE
        [straksbooking] = tx.bookinger.for_borger("0404754567")
        assert straksbooking.straksbooking and not straksbooking.ombooking_mulig
        assert straksbooking.moede_start.astimezone(COPENHAGEN).date() == dag0 + 5 * DAG
        repo = PlannerRepo.of(tx)
        assert repo.booking(demo.BOOKING_INDKALDT) is not None and repo.booking(demo.BOOKING_STRAKS) is not None


def test_offers_of_job_centre_10101(loaded: Database, clock: FixedClock) -> None:
    with loaded.read() as tx:
        repo = PlannerRepo.of(tx)
        offers = {t.id: t for t in repo.tilbud_for_jobcenter("10101")}
        assert len(repo.sagsbehandlere_for_tilbud(demo.TILBUD_JOBSAMTALE)) >= 2
        assert len({c.nummer for t in offers for c in repo.sagsbehandlere_for_tilbud(t)}) >= 4
        sessions = repo.sessions(demo.TILBUD_INFOMOEDE, clock.now(), clock.now() + 60 * DAG)
        seats = sorted(s.ledige_pladser for s in sessions)
    job = offers[demo.TILBUD_JOBSAMTALE]
    assert job.tilbud.samtaletype == 7 and job.tilbud.sagsbehandler_kan_vaelges
    assert job.tilbud.samtaleformer == (1, 2, 8) and job.tilbud.varighed_minutter == 45
    assert job.politik.ombooking_mulig and job.politik.aflysning_mulig
    assert (job.politik.ombooking_frist_timer, job.politik.aflysning_frist_timer) == (24, 24)
    assert offers[demo.TILBUD_INFOMOEDE].faelles and 1 in seats and len(seats) >= 3
    assert not offers[demo.TILBUD_OPFOELGNING].tilbud.sagsbehandler_kan_vaelges
    assert offers[demo.TILBUD_OPFOELGNING].tilbud.samtaletype == 4
    straks = offers[demo.TILBUD_STRAKS_JOBSAMTALE]
    assert straks.straks and straks.tilbud.samtaletype == 7
    faelles = offers[demo.TILBUD_FAELLES_JOBSAMTALE]
    assert faelles.tilbud.samtaletype == 17 and not faelles.politik.ombooking_mulig


def test_the_demo_can_be_used_through_the_planner(loaded: Database, clock: FixedClock) -> None:
    planner = EmbeddedPlanner(loaded, clock)
    borger = BorgerKontekst("0101901234", "10101", 1, 1)
    options = {o.moedetilbud_id for o in planner.get_selfbook_interview_options(borger)}
    assert demo.TILBUD_JOBSAMTALE in options and demo.TILBUD_STRAKS_JOBSAMTALE not in options
    now = clock.now()
    times = planner.get_selfbook_timeslots(borger, demo.TILBUD_JOBSAMTALE, now, now + 7 * DAG, None, None)
    assert times.tider and len(times.sagsbehandlere) == 3
    straks = planner.get_immediate_booking_timeslots(BorgerKontekst("0303803456", "10101", 1, 1), 7,
                                                    clock.now(), clock.now() + 14 * DAG)
    assert demo.TILBUD_STRAKS_JOBSAMTALE in {t.moedetilbud.moedetilbud_id for t in straks.tider}
    summoned = BorgerKontekst("0202852345", "10101", 1, 1)
    assert planner.get_reschedule_timeslots(summoned, demo.BOOKING_INDKALDT, clock.now(), clock.now() + 14 * DAG,
                                            None, None).tider


# days whose weeks ahead cross the next spring and autumn DST changes after START, and the last of START's year
@pytest.mark.parametrize("dag0", [next_spring_forward(START) - 4 * DAG, next_fall_back(START) - 3 * DAG,
                                  dt.date(TODAY.year, 12, 31)])
def test_demo_loads_on_any_day(tmp_path: Path, dag0: dt.date) -> None:
    database = Database(tmp_path / "d.db", clock=FixedClock(dt.datetime.combine(dag0, dt.time(7), dt.UTC)), sealer=SEALER)
    database.migrate()
    assert load(database, demo.demo_data(dag0))["borgere"] == len(demo.BORGERE)
    database.dispose()


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "var" / "demo.db"
    assert demo.main(["--db", str(path), "--reset"]) == 0
    assert "borgere: 10" in capsys.readouterr().out
    assert demo.main(["--db", str(path)]) == 1
    assert "--reset" in capsys.readouterr().err
    assert demo.main(["--db", str(path), "--reset"]) == 0

