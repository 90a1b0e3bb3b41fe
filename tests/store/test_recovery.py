"""Recovery of planner changes a dead process left half-made (jobnet/recovery.py)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from jobnet.clock import COPENHAGEN
from jobnet.demo import TILBUD_INFOMOEDE
from jobnet.domain import Bookingoenske, BorgerKontekst
from jobnet.planner.embedded import EmbeddedPlanner
from jobnet.recovery import recover
from jobnet.store import Database
from jobnet.store.intents import HOST
from tests.support.clock import at

CPR = "0101901234"
KONTEKST = BorgerKontekst(cpr=CPR, jobcenter_kode="10101", kontaktgruppe=1, klientkategori=1)
DEAD = 2**22 + 7  # no such process


def first_session(db: Any) -> dt.datetime:
    (start,) = db.conn.execute("SELECT start FROM planner_faellesmoeder WHERE moedetilbud_id = ? ORDER BY start LIMIT 1",
                               [TILBUD_INFOMOEDE]).fetchone()
    return dt.datetime.fromisoformat(start)


def intent(db: Any, booking_id: str, action: str, clock: Any, pid: int = DEAD, host: str = HOST) -> None:
    db.conn.execute("INSERT INTO planner_intents (indkaldelse_id, action, jobcenter_kode, cpr, owner_pid, started_at, "
                    "owner_host) VALUES (?, ?, '10101', ?, ?, ?, ?)",
                    [booking_id, action, CPR, pid, clock.now().astimezone(dt.UTC).isoformat(), host])


def planner_state(db: Any, booking_id: str) -> str:
    return db.conn.execute("SELECT state FROM planner_bookinger WHERE indkaldelse_id = ?", [booking_id]).fetchone()[0]


def test_a_planner_booking_never_registered_is_cancelled(demo: Any, services: Any, clock: Any) -> None:
    planner = EmbeddedPlanner(demo, clock)
    planner.create_booking(KONTEKST, "b-orphan", TILBUD_INFOMOEDE, Bookingoenske(first_session(demo), 1), False)
    intent(demo, "b-orphan", "create", clock)  # the process died before registering it
    assert recover(demo, services.planner_for, clock) == ["b-orphan"]
    assert planner_state(demo, "b-orphan") == "cancelled"
    assert demo.conn.execute("SELECT count(*) FROM planner_intents").fetchone() == (0,)
    assert demo.conn.execute("SELECT action FROM audit WHERE entity_id = 'b-orphan' ORDER BY id DESC LIMIT 1"
                             ).fetchone() == ("recovered",)


def test_an_intent_of_a_live_process_is_left_alone(demo: Any, services: Any, clock: Any) -> None:
    import os

    intent(demo, "b-busy", "create", clock, pid=os.getpid())
    assert recover(demo, services.planner_for, clock) == []
    clock.advance(dt.timedelta(minutes=11))  # ... until it is stale
    assert recover(demo, services.planner_for, clock) == ["b-busy"]


def test_a_cancel_in_flight_is_finished_in_the_register(demo: Any, services: Any, clock: Any, api: Any) -> None:
    created = api.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", CPR,
                       json={"moedeStarttidspunkt": first_session(demo).astimezone(COPENHAGEN).isoformat(),
                             "samtaleformType": 1})
    booking_id = created.json()["indkaldelseId"]
    EmbeddedPlanner(demo, clock).cancel_booking(KONTEKST, booking_id)  # the planner cancelled, then a crash
    intent(demo, booking_id, "cancel", clock)
    recover(demo, services.planner_for, clock)
    assert demo.conn.execute("SELECT state FROM bookinger WHERE indkaldelse_id = ?", [booking_id]).fetchone() == ("cancelled",)


def test_a_move_in_flight_goes_back_even_without_caseworker_choice(demo: Any, services: Any, clock: Any,
                                                                   api: Any) -> None:
    from jobnet.demo import TILBUD_OPFOELGNING

    window = {"startMoedetidsinterval": at(1, 0), "slutMoedetidsinterval": at(8, 0)}  # tomorrow, for a week
    tider = api.get(f"/selvbooking/moedetilbud/{TILBUD_OPFOELGNING}/moedetider", CPR, params=window).json()
    first, other = tider["moedetidSamling"][0]["starttidspunkt"], tider["moedetidSamling"][-1]["starttidspunkt"]
    created = api.post(f"/selvbooking/moedetilbud/{TILBUD_OPFOELGNING}/booking", CPR,
                       json={"moedeStarttidspunkt": first, "samtaleformType": 1})
    booking_id = created.json()["indkaldelseId"]
    EmbeddedPlanner(demo, clock).reschedule_booking(  # the planner moved it, then the process died
        KONTEKST, booking_id, Bookingoenske(dt.datetime.fromisoformat(other), 1))
    intent(demo, booking_id, "reschedule", clock)
    assert recover(demo, services.planner_for, clock) == [booking_id]
    (start,) = demo.conn.execute("SELECT start FROM planner_bookinger WHERE indkaldelse_id = ?", [booking_id]).fetchone()
    assert dt.datetime.fromisoformat(start) == dt.datetime.fromisoformat(first)


def test_periodic_recovery_reconciles_without_a_restart(demo: Any, services: Any, clock: Any) -> None:
    import time

    from jobnet.recovery import PeriodicRecovery

    planner = EmbeddedPlanner(demo, clock)
    planner.create_booking(KONTEKST, "b-later", TILBUD_INFOMOEDE, Bookingoenske(first_session(demo), 1), False)
    intent(demo, "b-later", "create", clock)
    rounds = PeriodicRecovery(demo, services.planner_for, clock, every=0.05).start()
    try:
        deadline = time.monotonic() + 20  # a bound, not a speed: it normally takes one round
        while planner_state(demo, "b-later") != "cancelled":
            assert time.monotonic() < deadline, "the intent was not reconciled"
            time.sleep(0.05)
    finally:
        rounds.stop()
    assert demo.conn.execute("SELECT count(*) FROM planner_intents").fetchone() == (0,)


def test_the_service_reconciles_periodically_by_default(tmp_path: Any, monkeypatch: Any) -> None:
    import threading

    from jobnet.app import create_app
    from jobnet.config import Settings

    monkeypatch.delenv("JOBNET_RECOVERY_SECONDS", raising=False)
    assert Settings.from_env().recovery_seconds == 60
    monkeypatch.setenv("JOBNET_RECOVERY_SECONDS", "0")
    assert Settings.from_env().recovery_seconds == 0
    create_app(Settings(database=tmp_path / "jobnet.db", auth_disabled=True, recovery_seconds=3600))
    assert "jobnet-recovery" in {t.name for t in threading.enumerate()}


def test_an_intent_of_another_hosts_process_waits_until_it_is_stale(demo: Any, services: Any, clock: Any) -> None:
    """Its pid says nothing here: that instance may still finish it."""
    intent(demo, "b-elsewhere", "create", clock, pid=DEAD, host="another-host")
    assert recover(demo, services.planner_for, clock) == []
    clock.advance(dt.timedelta(minutes=11))
    assert recover(demo, services.planner_for, clock) == ["b-elsewhere"]


def test_instances_recovering_at_once_reconcile_each_intent_once(demo: Any, clock: Any) -> None:
    """Three instances (each its own Database on the same data) recover twelve orphaned intents at
    the same moment: every intent is reconciled by exactly one of them, the claim (SKIP LOCKED on
    PostgreSQL) keeping the others off it."""
    import threading

    from jobnet.planner import planner_for

    planner = EmbeddedPlanner(demo, clock)
    start = first_session(demo)
    ids = [f"b-orphan-{i}" for i in range(12)]
    for booking_id in ids:
        planner.create_booking(KONTEKST, booking_id, TILBUD_INFOMOEDE, Bookingoenske(start, 1), False)
        intent(demo, booking_id, "create", clock)
    instances = [Database(demo.location, clock=clock, sealer=demo.sealer) for _ in range(3)]
    barrier = threading.Barrier(len(instances))
    done: list[list[str]] = []

    def run(db: Database) -> None:
        barrier.wait()
        try:
            done.append(recover(db, lambda jc: planner_for(db, jc, clock), clock))
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(db,)) for db in instances]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for db in instances:
        db.dispose()
    reconciled = [booking_id for names in done for booking_id in names]
    assert sorted(reconciled) == sorted(ids)  # each once, none twice
    assert demo.conn.execute("SELECT count(*) FROM audit WHERE action = 'recovered'").fetchone() == (12,)
    assert demo.conn.execute("SELECT count(*) FROM planner_intents").fetchone() == (0,)
