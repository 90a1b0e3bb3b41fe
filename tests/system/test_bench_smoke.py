"""Smoke test of the benchmark suite (bench/): no timed assertions, only that it works.

The generator at a tiny scale is deterministic (same seed and anchor → the same rows, whether the
chunks are built in a helper process or not) and its data load through the service's loader; the
load driver runs for about two seconds against the real server process and returns figures with
the right keys; the bare baseline app answers with its precomputed bytes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench import cache, ceilings, checks, driver, generate, storelimit
from bench import teams as teams_module
from bench.server import Server, bare_server, jobnet_server
from jobnet.demo import SELVBOOKER

SCALE = 0.002
ANCHOR = dt.date(2026, 11, 30)  # a Monday; the data are relative to it


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("bench") / "bench.db"
    meta = generate.generate(path, SCALE, seed=7, anchor=generate.default_anchor(), parallel=False)
    return path, meta


def test_generator_is_deterministic_and_loads(tmp_path: Path) -> None:
    first = generate.generate(tmp_path / "a.db", SCALE, seed=3, anchor=ANCHOR, parallel=True)
    second = generate.generate(tmp_path / "b.db", SCALE, seed=3, anchor=ANCHOR, parallel=False)
    generate.generate(tmp_path / "c.db", SCALE, seed=4, anchor=ANCHOR, parallel=False)
    assert first["counts"] == second["counts"]
    assert cache.table_digest(tmp_path / "a.db") == cache.table_digest(tmp_path / "b.db")
    assert cache.table_digest(tmp_path / "a.db")["bookinger"] != cache.table_digest(tmp_path / "c.db")["bookinger"]
    counts = checks.counts(tmp_path / "a.db")
    assert counts["borgere"] == first["counts"]["borgere"] > 0
    assert counts["bookinger"] == counts["planner_bookinger"] == first["counts"]["bookinger"] > 0
    assert counts["frister"] >= counts["borgere"]
    assert first["probe"]["caseworkers"] == 30
    anchor = dt.datetime.combine(ANCHOR, dt.time(), tzinfo=dt.UTC)
    consistency = checks.consistency(tmp_path / "a.db", since=anchor, now=anchor)
    assert {k: v for k, v in consistency.items() if k != "new_bookings"} == dict.fromkeys(
        ("double_booked_caseworker_times", "sessions_with_wrong_seats", "register_without_planner_booking",
         "planner_without_register_booking", "citizens_with_two_future_jobsamtaler"), 0)


def test_the_cache_keeps_one_database_and_its_metadata(tmp_path: Path) -> None:
    path, meta, was_cached = cache.cached(tmp_path, SCALE, seed=3, anchor=ANCHOR)
    assert not was_cached and meta["counts"]["bookinger"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, path.with_suffix(".json").name]
    assert cache.cached(tmp_path, SCALE, seed=3, anchor=ANCHOR) == (path, meta, True)
    cache.remove_db(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.with_suffix(".json").name]


def test_plan_scales_every_count() -> None:
    small, national = generate.plan(0.1), generate.plan(1.0)
    assert len({t.kode for t in national}) == 94
    assert sum(t.caseworkers for t in national) == 3000 and sum(t.citizens for t in national) == 150_000
    assert sum(t.citizens for t in small) == 15_000
    assert national[0].caseworkers == small[0].caseworkers == 30


def test_ten_times_the_data_is_ten_countries_not_bigger_centres() -> None:
    """A request's work must not grow with the scale: the largest centre of 10× is the largest of 1×."""
    def largest(teams: list[teams_module.Team]) -> int:
        sizes: dict[str, int] = {}
        for t in teams:
            sizes[t.kode] = sizes.get(t.kode, 0) + t.caseworkers
        return max(sizes.values())

    national, ten = generate.plan(1.0), generate.plan(10.0)
    assert len({t.kode for t in ten}) == 940 and sum(t.caseworkers for t in ten) == 30_000
    assert largest(ten) == largest(national)


@pytest.fixture(scope="module")
def server(dataset: tuple[Path, dict[str, Any]]) -> Iterator[Server]:
    s = jobnet_server(dataset[0], workers=1)
    s.start("/v1/openapi.json")
    try:
        yield s
    finally:
        s.stop()


def test_driver_returns_figures_for_every_operation(server: Server, dataset: tuple[Path, dict[str, Any]]) -> None:
    path, meta = dataset
    probe = meta["probe"]
    cprs = checks.citizens_of(path, probe["jobcenter"], limit=20)
    search = driver.run_phase(driver.phase(
        "timeslots", "search", server.base, seconds=2, warmup=0.5, clients=2, op="moedetider",
        path=f"/v1/selvbooking/moedetilbud/{probe['moedetilbud_id']}/moedetider", params=driver.window(), cprs=cprs))
    assert set(driver.FIGURE_KEYS) <= set(search["ops"]["moedetider"])
    assert search["ops"]["moedetider"]["requests"] > 0 and search["hung_clients"] == 0

    now = dt.datetime.now(dt.UTC)
    citizens = [c[0] for c in checks.fresh_citizens(path, now.date(), now, limit=50)]
    sessions = driver.run_phase(driver.phase("sessions", "sessions", server.base, seconds=2, warmup=0.5, clients=2,
                                             citizens=citizens))
    assert {"borgerstatus", "moedetilbud", "moedetider"} <= set(sessions["ops"])
    for figures in sessions["ops"].values():
        assert set(driver.FIGURE_KEYS) <= set(figures)
    assert sessions["ops"]["borgerstatus"]["errors"] == 0

    fresh = [c for c in checks.fresh_citizens(path, now.date(), now, limit=200) if c[0] not in set(citizens)]
    spec = driver.phase("bookings", "bookings", server.base, seconds=4, warmup=0.2, clients=2,
                        citizens=fresh[:4], offers=[(probe["moedetilbud_id"], probe["jobcenter"], cprs[0])])
    few = driver.run_phase({**spec, "plan": driver.run_plan(spec), "citizens": []})
    assert few["clients_out_of_plan"] == 2  # four bookings do not last four seconds: the report must say so


def test_bare_app_serves_its_precomputed_answer(tmp_path: Path) -> None:
    payload = tmp_path / "answer.json"
    payload.write_bytes(b'{"moedetidSamling":[]}')
    s = bare_server(payload, workers=1)
    s.start("/v1/openapi.json")
    try:
        r = httpx.get(f"{s.base}/v1/bare/moedetilbud/x/moedetider", headers={driver.CPR: SELVBOOKER},
                      params=driver.window(), timeout=10)
        assert r.status_code == 200 and r.content == payload.read_bytes()
        small = driver.run_phase(driver.phase(
            "bare_small", "post", s.base, seconds=1, warmup=0.2, clients=2, op="bare_small",
            path="/v1/bare/moedetilbud/x/booking", body=ceilings.BOOKING_BODY, cprs=[SELVBOOKER]))
        assert small["ops"]["bare_small"]["requests"] > 0 and small["ops"]["bare_small"]["errors"] == 0
        assert s.memory()["workers"] == 1
    finally:
        s.stop()
    g = bare_server(payload, workers=1, server="granian")  # the server compared with uvicorn (bench/servers.py)
    g.start("/v1/openapi.json")
    try:
        r = httpx.get(f"{g.base}/v1/bare/moedetilbud/x/moedetider", headers={driver.CPR: SELVBOOKER},
                      params=driver.window(), timeout=10)
        assert r.status_code == 200 and r.content == payload.read_bytes()
    finally:
        g.stop()


def test_the_store_limit_replays_the_sql_of_real_bookings(dataset: tuple[Path, dict[str, Any]],
                                                          tmp_path: Path) -> None:
    """Bookings made in-process through the use case are recorded statement by statement and replay
    on a fresh copy of the same database without a failure; the write transaction is timed apart."""
    import shutil

    path, _ = dataset
    record, replay = tmp_path / "record.db", tmp_path / "replay.db"
    shutil.copyfile(path, record)
    shutil.copyfile(path, replay)
    now = dt.datetime.now(dt.UTC)
    centres = checks.largest_centres(record, 8)
    citizens = checks.fresh_citizens(record, now.date(), now, limit=40, jobcentre=centres)
    found = storelimit.measure(record, replay, citizens, checks.bookable_offers(record, centres), seconds=3)
    assert found["booked"] > 0 and found["failed"] == 0 and found["transactions"] > 0
    assert found["tx_per_s"] > 0 and found["in_process_per_s"] > 0
    assert found["statements_in_tx"] > 5  # the booking's reads, inserts and audit rows under the lock
    assert checks.counts(replay)["bookinger"] == checks.counts(record)["bookinger"]
