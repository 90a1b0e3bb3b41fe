"""Concurrent bookings through the API: many citizens at once for the same joint-meeting seats or
the same individual time. Exactly as many succeed as there is room for; the rest get 4819 and
nothing of theirs is left behind."""
from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

import pytest

from jobnet.demo import IKKE_TILMELDT, JOBCENTER, RID, SELVBOOKER
from jobnet.loader import load
from tests.support.api import count
from tests.support.clock import at

THREADS = 12
CITIZENS = [f"{i + 1:02d}0180{5000 + i}" for i in range(THREADS)]  # born 1980, no deadlines
TIMEOUT_S = 30


AUTH: dict[str, str] = {}  # the session's bearer token, for the raw clients of the threads


@pytest.fixture(autouse=True)
def _bearer(token: str) -> None:
    AUTH["Authorization"] = f"Bearer {token}"


def offer(**fields: Any) -> dict[str, Any]:
    return {"moedetilbud_id": str(uuid.uuid4()), "jobcenter": JOBCENTER, "samtaletype": 9, "samtaleformer": [1],
            "varighed_minutter": 60, "moedetitel": "Informationsmøde",
            "moedested": {"adresse": {"vejnavn": "Torvet", "husnummer": "2", "postnummer": "9999",
                                      "bynavn": "Demoby"}},
            "sagsbehandlere": [RID[4]], **fields}


def warm_up(app: Any) -> None:
    """connexion builds its middleware stack on the first call; a server does that once at startup,
    so do it here before the threads race for it."""
    with app.test_client() as client:
        assert client.get("/v1/openapi.json").status_code == 200


def book_all_at_once(app: Any, tilbud: str, start: str, citizens: list[str] = CITIZENS,
                     request_id: str | None = None) -> list[tuple[int, int | None]]:
    """Every citizen books ``start`` in its own thread and client, released together (each call with a
    fresh x-requestId, or all with ``request_id``)."""
    return all_at_once(app, [(f"/v1/selvbooking/moedetilbud/{tilbud}/booking", {"moedeStarttidspunkt": start}, cpr)
                             for cpr in citizens], request_id)


def all_at_once(app: Any, calls: list[tuple[str, dict[str, Any], str]],
                request_id: str | None = None, barrier: threading.Barrier | None = None,
                ) -> list[tuple[int, int | None]]:
    """Each (path, JSON body, CPR) POSTed in its own thread and client, released together (with the
    callers of ``barrier`` too, when given)."""
    warm_up(app)
    barrier = barrier or threading.Barrier(len(calls))
    results: list[tuple[int, int | None]] = []
    lock = threading.Lock()

    def one(path: str, body: dict[str, Any], cpr: str) -> None:
        with app.test_client() as client:
            barrier.wait(timeout=TIMEOUT_S)
            r = client.post(path, json=body, headers={"x-civilRegistrationIdentifier": cpr,
                                                      "x-requestId": request_id or str(uuid.uuid4()), **AUTH})
            with lock:
                results.append((r.status_code, r.json().get("fejlkode") if r.content else None))

    threads = [threading.Thread(target=one, args=call, daemon=True) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT_S)
    assert not any(t.is_alive() for t in threads), "a booking thread hung"
    return sorted(results, key=lambda r: (r[0], r[1] or 0))


@pytest.mark.parametrize("seats", [1, 3])
def test_a_joint_meeting_with_k_seats_takes_exactly_k(app: Any, demo: Any, seats: int) -> None:
    joint = offer(moedeform=2, moedetider=[{"start": at(2, 10), "antal_pladser": seats}])
    load(demo, {"moedetilbud": [joint], "borgere": [{"cpr": c, "jobcenter": JOBCENTER} for c in CITIZENS]})
    results = book_all_at_once(app, joint["moedetilbud_id"], at(2, 10))
    assert results == [(201, None)] * seats + [(409, 4819)] * (THREADS - seats)
    tilbud = joint["moedetilbud_id"]
    assert count(demo, "SELECT ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ?", tilbud) == 0
    assert count(demo, "SELECT count(*) FROM bookinger WHERE moedetilbud_id = ?", tilbud) == seats
    assert count(demo, "SELECT count(*) FROM planner_bookinger WHERE moedetilbud_id = ? AND state != 'cancelled'",
                 tilbud) == seats
    assert count(demo, "SELECT count(DISTINCT cpr) FROM bookinger WHERE moedetilbud_id = ?", tilbud) == seats
    assert count(demo, "SELECT count(*) FROM planner_intents") == 0


def test_an_individual_time_is_taken_once(app: Any, demo: Any) -> None:
    single = offer()
    load(demo, {"moedetilbud": [single], "borgere": [{"cpr": c, "jobcenter": JOBCENTER} for c in CITIZENS]})
    results = book_all_at_once(app, single["moedetilbud_id"], at(3, 10))
    assert results == [(201, None)] + [(409, 4819)] * (THREADS - 1)
    tilbud = single["moedetilbud_id"]
    assert count(demo, "SELECT count(*) FROM bookinger WHERE moedetilbud_id = ?", tilbud) == 1
    assert count(demo, "SELECT count(*) FROM planner_bookinger WHERE moedetilbud_id = ? AND state != 'cancelled'",
                 tilbud) == 1
    assert count(demo, "SELECT count(*) FROM planner_intents") == 0


def test_one_request_id_sent_many_times_at_once_books_once(app: Any, demo: Any) -> None:
    """The id is refused up front only when already recorded; racing copies are stopped by the record
    written in the booking's own transaction (Kontekst.claim_in): one 201, the rest 412/8302."""
    joint = offer(moedeform=2, moedetider=[{"start": at(2, 10), "antal_pladser": THREADS}])
    load(demo, {"moedetilbud": [joint], "borgere": [{"cpr": CITIZENS[0], "jobcenter": JOBCENTER}]})
    results = book_all_at_once(app, joint["moedetilbud_id"], at(2, 10), [CITIZENS[0]] * THREADS,
                               request_id=str(uuid.uuid4()))
    assert results == [(201, None)] + [(412, 8302)] * (THREADS - 1)
    tilbud = joint["moedetilbud_id"]
    assert count(demo, "SELECT count(*) FROM bookinger WHERE moedetilbud_id = ?", tilbud) == 1
    assert count(demo, "SELECT ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ?", tilbud) == THREADS - 1


def test_one_request_id_of_many_citizens_at_once_books_for_each(app: Any, demo: Any) -> None:
    """An id belongs to its caller: the same id sent for other citizens is another request each."""
    joint = offer(moedeform=2, moedetider=[{"start": at(2, 10), "antal_pladser": THREADS}])
    load(demo, {"moedetilbud": [joint], "borgere": [{"cpr": c, "jobcenter": JOBCENTER} for c in CITIZENS]})
    results = book_all_at_once(app, joint["moedetilbud_id"], at(2, 10), request_id=str(uuid.uuid4()))
    assert results == [(201, None)] * THREADS
    assert count(demo, "SELECT count(*) FROM bookinger WHERE moedetilbud_id = ?", joint["moedetilbud_id"]) == THREADS


def test_one_error_report_request_id_sent_many_times_at_once_is_kept_once(app: Any, demo: Any) -> None:
    load(demo, {"borgere": [{"cpr": CITIZENS[0], "jobcenter": JOBCENTER}]})
    report = {"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T08:00:00+01:00"}
    results = all_at_once(app, [("/v1/fejlmelding", report, CITIZENS[0])] * THREADS, request_id=str(uuid.uuid4()))
    assert results == [(204, None)] + [(412, 8302)] * (THREADS - 1)
    assert count(demo, "SELECT count(*) FROM fejlmeldinger") == 1


def test_one_citizen_twice_at_once_gets_one_jobsamtale(app: Any, demo: Any) -> None:
    """The same citizen from several clients at once (double click): 8273 guards the register."""
    from jobnet.demo import TILBUD_JOBSAMTALE

    warm_up(app)
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def one(start: str) -> None:
        with app.test_client() as client:
            barrier.wait(timeout=TIMEOUT_S)
            r = client.post(f"/v1/selvbooking/moedetilbud/{TILBUD_JOBSAMTALE}/booking",
                            json={"moedeStarttidspunkt": start, "samtaleformType": 1},
                            headers={"x-civilRegistrationIdentifier": SELVBOOKER, "x-requestId": str(uuid.uuid4()), **AUTH})
            codes.append(r.status_code if r.status_code == 201 else r.json()["fejlkode"])

    threads = [threading.Thread(target=one, args=(at(d, 10, 30),), daemon=True) for d in (2, 3, 6, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT_S)
    assert sorted(codes) == [201, 8273, 8273, 8273]
    assert count(demo, "SELECT count(*) FROM bookinger WHERE cpr = '0101901234' AND state != 'cancelled'") == 1
    assert count(demo, "SELECT count(*) FROM planner_bookinger WHERE cpr = '0101901234' AND state != 'cancelled'") == 1


def test_one_citizen_enrolling_twice_at_once_is_enrolled_once(app: Any, demo: Any) -> None:
    """StraksbookOgTilmeld sent four times at once (different times): one enrolment and one booking; the
    others get 4316 (re-checked under the write lock) and their planner bookings are undone."""
    from jobnet.demo import TILBUD_STRAKS_JOBSAMTALE

    warm_up(app)
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def one(start: str) -> None:
        body = {"personnummer": IKKE_TILMELDT, "klientkategori": 3, "tilmeldingsdato": at(0, 8),
                "ledighedsgrad": 1, "moedeStarttidspunkt": start, "moedetilbudId": TILBUD_STRAKS_JOBSAMTALE,
                "samtaleformType": 1}
        with app.test_client() as client:
            barrier.wait(timeout=TIMEOUT_S)
            r = client.post("/v1/straksbooking/action/tilmeldogbook", json={"tilmeldingOgBooking": body},
                            headers={"x-civilRegistrationIdentifier": IKKE_TILMELDT, "x-requestId": str(uuid.uuid4()), **AUTH})
            codes.append(r.status_code if r.status_code == 201 else r.json()["fejlkode"])

    threads = [threading.Thread(target=one, args=(at(d, 9),), daemon=True) for d in (2, 3, 6, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT_S)
    assert sorted(codes) == [201, 4316, 4316, 4316]
    assert count(demo, "SELECT count(*) FROM tilmeldinger WHERE cpr = '0909951234'") == 1
    assert count(demo, "SELECT count(*) FROM bookinger WHERE cpr = '0909951234'") == 1
    assert count(demo, "SELECT count(*) FROM planner_bookinger WHERE cpr = '0909951234' AND state != 'cancelled'") == 1
    assert count(demo, "SELECT count(*) FROM planner_intents") == 0


def test_rebookings_between_sessions_bookings_and_cancellations_at_once_never_deadlock(app: Any, demo: Any,
                                                                                      api: Any) -> None:
    """Two sessions of one joint offer: four citizens move from the first to the second while four
    book the second and four cancel theirs in the first, all at once. Every call gets its own answer
    (PostgreSQL: each seat change locks the offer's version row first, so no two transactions wait
    for each other in a circle and none is answered 503 for a deadlock)."""
    first, second = at(2, 10), at(2, 14)
    joint = offer(moedeform=2, ombooking_mulig=True, aflysning_mulig=True,
                  moedetider=[{"start": first, "antal_pladser": THREADS}, {"start": second, "antal_pladser": THREADS}])
    load(demo, {"moedetilbud": [joint], "borgere": [{"cpr": c, "jobcenter": JOBCENTER} for c in CITIZENS]})
    tilbud = joint["moedetilbud_id"]
    booked = {}
    for cpr in CITIZENS[:8]:
        r = api.post(f"/selvbooking/moedetilbud/{tilbud}/booking", cpr, json={"moedeStarttidspunkt": first})
        assert r.status_code == 201, r.text
        booked[cpr] = r.json()["indkaldelseId"]
    calls = ([(f"/v1/indkaldelse/{booked[c]}/action/ombook", {"moedeStarttidspunkt": second}, c) for c in CITIZENS[:4]]
             + [(f"/v1/selvbooking/moedetilbud/{tilbud}/booking", {"moedeStarttidspunkt": second}, c)
                for c in CITIZENS[8:]])
    barrier = threading.Barrier(len(calls) + 4)
    cancelled: list[int] = []

    def cancel(cpr: str) -> None:
        with app.test_client() as client:
            barrier.wait(timeout=TIMEOUT_S)
            r = client.delete(f"/v1/indkaldelse/{booked[cpr]}", headers={
                "x-civilRegistrationIdentifier": cpr, "x-requestId": str(uuid.uuid4()), **AUTH})
            cancelled.append(r.status_code)

    cancellers = [threading.Thread(target=cancel, args=(c,)) for c in CITIZENS[4:8]]
    for t in cancellers:
        t.start()
    warm_up(app)
    results = all_at_once(app, calls, barrier=barrier)
    for t in cancellers:
        t.join(TIMEOUT_S)
    assert cancelled == [204] * 4
    assert results == [(200, None)] * 4 + [(201, None)] * 4
    assert count(demo, "SELECT ledige_pladser FROM planner_faellesmoeder WHERE moedetilbud_id = ? AND start = ?",
                 tilbud, dt.datetime.fromisoformat(first).astimezone(dt.UTC).isoformat()) == THREADS
