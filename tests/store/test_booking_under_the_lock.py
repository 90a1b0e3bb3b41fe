"""What a booking does while it holds the write lock (issue 14): only what must be checked there.

The planner and what it is told of the citizen (job centre, live bookings, enrolments) are read
before the lock; the booking's caseworker comes from the caseworkers read in the transaction; an
indkaldelse id already booked is found by its primary key, not by a query first. SQLite's WAL
checkpoint runs after the lock is released, never inside a COMMIT that other writers wait for.
"""
from __future__ import annotations

import functools
import json
import os
from typing import Any

import pytest

from generated import models
from handlers.selvbooking import create_selvbooking, get_selvbooking_moedetider
from jobnet.context import Kontekst, Services
from jobnet.demo import SELVBOOKER, TILBUD_JOBSAMTALE
from jobnet.edge.dispatch import run
from jobnet.store import database
from jobnet.store.locks import write_lock


def test_the_write_transaction_of_a_booking_reads_only_what_it_must_check_under_the_lock(
        demo: Any, services: Services) -> None:
    found = run(Kontekst(services, "GetSelvbookingMoedetider", SELVBOOKER), False,
                lambda c: get_selvbooking_moedetider(c, TILBUD_JOBSAMTALE, "2026-12-02T08:00:00+01:00",
                                                     "2026-12-20T16:00:00+01:00"))
    tid = json.loads(found.body)["moedetidSamling"][0]
    body = models.CreateSelvbookingRequest.model_validate(
        {"moedeStarttidspunkt": tid["starttidspunkt"], "samtaleformType": tid["samtaleformSamling"][0]})
    statements: list[str] = []
    demo.conn.set_trace_callback(statements.append)
    try:
        run(Kontekst(services, "CreateSelvbooking", SELVBOOKER, request_id="lock-1"), True,
            functools.partial(lambda o, b, c: create_selvbooking(c, o, b), TILBUD_JOBSAMTALE, body))
    finally:
        demo.conn.set_trace_callback(None)
    assert statements.count("BEGIN IMMEDIATE") == 1
    inside = statements[statements.index("BEGIN IMMEDIATE"):statements.index("COMMIT") + 1]
    for read_before in ("FROM job_centres", "FROM enrolments", "FROM planner_caseworkers WHERE nummer",
                        "FROM planner_bookings WHERE indkaldelse_id"):
        assert not any(read_before in s for s in inside), read_before
    assert sum("FROM bookings WHERE cpr" in s for s in inside) == 1  # the register's rules, under the lock
    assert demo.conn.execute("SELECT count(*) FROM planner_bookings WHERE indkaldelse_id IN "
                             "(SELECT indkaldelse_id FROM bookings WHERE cpr = ?)", [SELVBOOKER]).fetchone()[0] >= 1


def test_the_wal_is_checkpointed_after_the_write_lock_is_released(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "CHECKPOINT_ROWS", 5)
    lock = write_lock(os.path.realpath(db.path))
    seen: list[tuple[str, bool]] = []
    assert db.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)  # not inside a COMMIT
    db.conn.set_trace_callback(lambda sql: seen.append((sql, lock.threads.locked())))
    try:
        for i in range(4):
            with db.transaction() as tx:
                for j in range(3):
                    tx.audit.record("test", "thing", f"{i}-{j}", "test", {})
    finally:
        db.conn.set_trace_callback(None)
    checkpoints = [held for sql, held in seen if sql.startswith("PRAGMA wal_checkpoint")]
    assert len(checkpoints) == 2 and not any(checkpoints)  # every 5 rows, each with the lock free
    assert all(held for sql, held in seen if sql == "COMMIT")
