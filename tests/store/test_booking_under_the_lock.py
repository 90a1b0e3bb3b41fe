"""What a booking does while it holds the write lock (issue 14): only what must be checked there.

The planner and what it is told of the citizen (its job centre; a remote planner also the live
bookings and enrolments, which the embedded one never reads) are read before the lock, and so is
the embedded planner's choice of caseworker (jobnet/planner/embedded/plans.py: only its versions
are read again in the transaction); an indkaldelse id already booked is found by its primary key,
not by a query first.
"""
from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from generated import models
from handlers.selvbooking import create_selvbooking, get_selvbooking_moedetider
from jobnet.context import Kontekst, Services
from jobnet.demo import SELVBOOKER, TILBUD_JOBSAMTALE
from jobnet.edge.dispatch import run
from tests.support.clock import at


@pytest.mark.backend("sqlite")  # SQLite's write lock (BEGIN IMMEDIATE), traced by sqlite3's callback
def test_the_write_transaction_of_a_booking_reads_only_what_it_must_check_under_the_lock(
        demo: Any, services: Services) -> None:
    raw = demo.conn.raw  # this thread's sqlite3 connection, which the units of work use too
    searched: list[str] = []
    raw.set_trace_callback(searched.append)
    try:
        found = run(Kontekst(services, "GetSelvbookingMoedetider", SELVBOOKER), False,
                    lambda c: get_selvbooking_moedetider(c, TILBUD_JOBSAMTALE, at(1, 8), at(19, 16)))
    finally:
        raw.set_trace_callback(None)
    # what only a remote planner is told (the citizen's live bookings, enrolments) is not read for the embedded one
    assert not any("FROM bookinger" in s or "FROM tilmeldinger" in s for s in searched)
    tid = json.loads(found.body)["moedetidSamling"][0]
    body = models.CreateSelvbookingRequest.model_validate(
        {"moedeStarttidspunkt": tid["starttidspunkt"], "samtaleformType": tid["samtaleformSamling"][0]})
    statements: list[str] = []
    raw.set_trace_callback(statements.append)
    try:
        run(Kontekst(services, "CreateSelvbooking", SELVBOOKER, request_id="lock-1"), True,
            functools.partial(lambda o, b, c: create_selvbooking(c, o, b), TILBUD_JOBSAMTALE, body))
    finally:
        raw.set_trace_callback(None)
    assert statements.count("BEGIN IMMEDIATE") == 1
    inside = statements[statements.index("BEGIN IMMEDIATE"):statements.index("COMMIT") + 1]
    for read_before in ("FROM jobcentre", "FROM tilmeldinger", "FROM planner_sagsbehandlere WHERE nummer",
                        "FROM planner_bookinger WHERE indkaldelse_id",
                        # the planner's choice is made before the lock (plans.py), its versions checked in it
                        "FROM planner_moedetilbud WHERE", "FROM planner_bookinger WHERE sagsbehandler_nummer"):
        assert not any(read_before in s for s in inside), read_before
    assert sum("FROM bookinger WHERE cpr" in s for s in inside) == 1  # the register's rules, under the lock
    assert not any("FROM tilmeldinger" in s for s in statements)
    assert demo.conn.execute("SELECT count(*) FROM planner_bookinger WHERE indkaldelse_id IN "
                             "(SELECT indkaldelse_id FROM bookinger WHERE cpr = ?)", [SELVBOOKER]).fetchone()[0] >= 1
