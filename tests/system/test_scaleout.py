"""Several real instances on one PostgreSQL (issue 10): races from all instances, request ids, rate
limits and kept timeslot answers shared, an instance killed and the database restarted under load.
Bounded in time; figures are printed (run with -s to see them)."""
from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from typing import Any

import httpx
import pytest

from jobnet.clock import COPENHAGEN
from jobnet.demo import JOBCENTER, RID, TILBUD_INFOMOEDE, TILBUD_JOBSAMTALE
from tests.support.clock import window as search_window
from tests.support.instances import ScaledOut, scaled_out, weekday_at
from tests.support.loadgen import LOAD_CITIZENS, Outcome, audit_mark, check_invariants, drive, seats_taken

__all__ = ["scaled_out"]  # fixture
RACERS = [f"{d:02d}0290{6000 + d}" for d in range(1, 13)]  # born 1990, loaded per test


def citizens(world: ScaledOut, cprs: list[str]) -> None:
    world.load({"borgere": [{"cpr": c, "jobcenter": JOBCENTER} for c in cprs]})


def offer(world: ScaledOut, **fields: Any) -> str:
    tilbud = str(uuid.uuid4())
    world.load({"moedetilbud": [{"moedetilbud_id": tilbud, "jobcenter": JOBCENTER, "samtaletype": 9,
                                 "samtaleformer": [1], "varighed_minutter": 60, "moedetitel": "Informationsmøde",
                                 "moedested": {"adresse": {"vejnavn": "Torvet", "husnummer": "2", "postnummer": "9999",
                                                           "bynavn": "Demoby"}},
                                 "sagsbehandlere": [RID[4]], **fields}]})
    return tilbud


def race(world: ScaledOut, calls: list[tuple[str, dict[str, Any], str, str | None]]) -> list[tuple[int, int | None]]:
    """Each (path, body, CPR, x-requestId or None) POSTed in its own thread, alternately to each
    instance, released together; the answers sorted."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, int | None]] = []
    lock = threading.Lock()

    def one(i: int, path: str, body: dict[str, Any], cpr: str, request_id: str | None) -> None:
        with world.client(i % len(world.bases)) as client:
            client.get("/openapi.json")  # connected before the start
            barrier.wait(timeout=30)
            r = client.post(path, json=body, headers={"x-civilRegistrationIdentifier": cpr,
                                                      "x-requestId": request_id or str(uuid.uuid4())})
            with lock:
                results.append((r.status_code, r.json().get("fejlkode") if r.content else None))

    threads = [threading.Thread(target=one, args=(i, *call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == len(calls), "a call hung"
    return sorted(results, key=lambda r: (r[0], r[1] or 0))


def count(world: ScaledOut, sql: str, *args: Any) -> int:
    from tests.support.loadgen import connected

    with connected(world.url) as conn:
        return int(conn.execute(sql, list(args)).fetchone()[0])


def test_k_seats_raced_from_all_instances_are_taken_exactly_k_times(scaled_out: ScaledOut) -> None:
    citizens(scaled_out, RACERS)
    start = weekday_at(3, 10)
    tilbud = offer(scaled_out, moedeform=2, moedetider=[{"start": start, "antal_pladser": 3}])
    path = f"/selvbooking/moedetilbud/{tilbud}/booking"
    results = race(scaled_out, [(path, {"moedeStarttidspunkt": start}, c, None) for c in RACERS])
    assert results == [(201, None)] * 3 + [(409, 4819)] * 9
    assert count(scaled_out, "SELECT ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ?", tilbud) == 0
    assert count(scaled_out, "SELECT count(*) FROM bookinger WHERE moedetilbud_id = ?", tilbud) == 3


def test_one_individual_time_raced_from_all_instances_is_booked_once(scaled_out: ScaledOut) -> None:
    start = weekday_at(4, 10)
    tilbud = offer(scaled_out)
    path = f"/selvbooking/moedetilbud/{tilbud}/booking"
    results = race(scaled_out, [(path, {"moedeStarttidspunkt": start}, c, None) for c in RACERS])
    assert results == [(201, None)] + [(409, 4819)] * 11
    assert count(scaled_out, "SELECT count(*) FROM planner_bookinger WHERE moedetilbud_id = ? "
                             "AND state != 'cancelled'", tilbud) == 1


def test_one_request_id_sent_to_two_instances_at_once_changes_once(scaled_out: ScaledOut) -> None:
    start = weekday_at(5, 10)
    tilbud = offer(scaled_out, moedeform=2, moedetider=[{"start": start, "antal_pladser": 10}])
    cpr, request_id = "2802907001", str(uuid.uuid4())
    citizens(scaled_out, [cpr])
    path = f"/selvbooking/moedetilbud/{tilbud}/booking"
    results = race(scaled_out, [(path, {"moedeStarttidspunkt": start}, cpr, request_id)] * 2)
    assert results == [(201, None), (412, 8302)]
    assert count(scaled_out, "SELECT count(*) FROM bookinger WHERE moedetilbud_id = ?", tilbud) == 1


def test_a_citizens_write_rate_limit_holds_across_instances(scaled_out: ScaledOut) -> None:
    """JOBNET_RATE_CITIZEN 20/600 (tests/support/instances.py): twenty writes through either
    instance, the next refused wherever it arrives."""
    cpr = "2702907002"
    citizens(scaled_out, [cpr])
    report = {"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T09:00:00+01:00"}
    answers = []
    for i in range(22):
        with scaled_out.client(i % 2) as client:
            r = client.post("/fejlmelding", json=report,
                            headers={"x-civilRegistrationIdentifier": cpr, "x-requestId": str(uuid.uuid4())})
            answers.append((r.status_code, r.headers.get("retry-after") is not None))
    assert answers == [(204, False)] * 20 + [(429, True)] * 2


def test_a_booking_through_one_instance_leaves_the_others_next_answer(scaled_out: ScaledOut) -> None:
    tilbud = offer(scaled_out)
    cpr = "2602907003"
    citizens(scaled_out, [cpr])
    params = search_window(dt.datetime.now(COPENHAGEN).replace(microsecond=0), days=14, ahead=dt.timedelta(days=2))
    headers = {"x-civilRegistrationIdentifier": cpr}
    with scaled_out.client(0) as a, scaled_out.client(1) as b:
        path = f"/selvbooking/moedetilbud/{tilbud}/moedetider"
        before = [t["starttidspunkt"] for t in b.get(path, params=params, headers=headers).json()["moedetidSamling"]]
        assert before == [t["starttidspunkt"] for t in b.get(path, params=params, headers=headers).json()
                          ["moedetidSamling"]]  # B keeps its answer
        booked = a.post(f"/selvbooking/moedetilbud/{tilbud}/booking", json={"moedeStarttidspunkt": before[0]},
                        headers={**headers, "x-requestId": str(uuid.uuid4())})
        assert booked.status_code == 201
        after = [t["starttidspunkt"] for t in b.get(path, params=params, headers=headers).json()["moedetidSamling"]]
    assert before[0] not in after and after == before[1:]


def window() -> dict[str, str]:
    return search_window(dt.datetime.now(COPENHAGEN).replace(microsecond=0), days=28, ahead=dt.timedelta(days=2))


def load_both(world: ScaledOut, seconds: float, stop: threading.Event) -> list[Outcome]:
    """drive() against each instance with half the load citizens, in parallel."""
    outcomes: list[Outcome] = []

    def one(i: int) -> None:
        outcomes.append(drive(world.bases[i], [TILBUD_INFOMOEDE, TILBUD_JOBSAMTALE], window(),
                              LOAD_CITIZENS[i * 8:(i + 1) * 8], seconds=seconds, max_requests=600, stop=stop,
                              token=world.token, seed=11 + i))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(world.bases))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_sigkill_of_one_instance_under_load(scaled_out: ScaledOut, capsys: pytest.CaptureFixture[str]) -> None:
    before, mark = seats_taken(scaled_out.url), audit_mark(scaled_out.url)
    stop = threading.Event()
    killer = threading.Timer(3.5, scaled_out.procs[0].kill)  # SIGKILL, mid-load
    killer.start()
    outcomes = load_both(scaled_out, 7, stop)
    killer.join()
    try:
        with scaled_out.client(1) as b:  # the other instance kept serving
            assert b.get("/borgerstatus", headers={"x-civilRegistrationIdentifier": LOAD_CITIZENS[9]}).status_code == 200
        for outcome in outcomes:
            figures = check_invariants(scaled_out.url, outcome, before, mark)
            assert 500 not in outcome.statuses
        with capsys.disabled():
            print(f"\nSIGKILL of one of two instances: statuses {[dict(sorted(o.statuses.items())) for o in outcomes]}, "
                  f"{figures}")
        assert all(o.statuses.get(201, 0) > 0 for o in outcomes)  # both served (the killed one until the kill)
    finally:
        scaled_out.restart(0)


def test_postgresql_restarted_under_load(scaled_out: ScaledOut, capsys: pytest.CaptureFixture[str]) -> None:
    """While the server is down every call answers 503 with the catalogue body (8311) within the
    pool's timeout, never a 500 or a hang; afterwards the instances reconnect by themselves."""
    before, mark = seats_taken(scaled_out.url), audit_mark(scaled_out.url)
    stop = threading.Event()
    outage: list[tuple[int, int | None, float]] = []

    def restart() -> None:
        time.sleep(1.5)
        scaled_out.cluster.stop("fast")
        for i in range(4):  # calls during the outage
            with scaled_out.client(i % 2) as client:
                t0 = time.monotonic()
                r = client.get("/borgerstatus", headers={"x-civilRegistrationIdentifier": LOAD_CITIZENS[i]})
                outage.append((r.status_code, r.json().get("fejlkode"), time.monotonic() - t0))
            ready = httpx.get(f"{scaled_out.bases[i % 2]}/health/ready", timeout=15)
            outage.append((ready.status_code, ready.json().get("fejlkode"), 0.0))
        scaled_out.cluster.start()

    restarter = threading.Thread(target=restart)
    restarter.start()
    outcomes = load_both(scaled_out, 9, stop)
    restarter.join()
    assert all(status == 503 and code == 8311 and took < 10 for status, code, took in outage), outage
    for base in scaled_out.bases:  # back by themselves
        deadline = time.monotonic() + 30
        while httpx.get(f"{base}/health/ready", timeout=15).status_code != 200:
            assert time.monotonic() < deadline, "an instance did not reconnect"
            time.sleep(0.5)
    for outcome in outcomes:
        assert 500 not in outcome.statuses, outcome.statuses
        figures = check_invariants(scaled_out.url, outcome, before, mark)
    with capsys.disabled():
        print(f"\nPostgreSQL restarted under load: statuses {[dict(sorted(o.statuses.items())) for o in outcomes]}, "
              f"outage answers {[(s, c) for s, c, _ in outage]}, {figures}")
    assert sum(o.statuses.get(503, 0) for o in outcomes) > 0  # the outage was felt
