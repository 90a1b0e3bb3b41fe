"""Object-level authorization everywhere: a citizen can only ever reach their own bookings.

Citizen A (0101901234) and citizen B (0202852345) are both at job centre 10101. The demo (clock:
Tue 2026-12-01 09:00 Copenhagen) has B summoned (BOOKING_INDKALDT, today + 10 at 10:30, may be
rebooked, not cancelled, not yet accepted) and 0404754567 with an immediate booking (BOOKING_STRAKS).
Each test also lets B self-book a seat at the information meeting (rebookable and cancellable).

Every operation that takes an indkaldelseId is tried by A on another citizen's booking: it must be
8107 (403), the answer must say nothing about the booking, and the database must be BYTE-FOR-BYTE
what it was (``iterdump`` of the whole file: every table, including request_ids, since a failed
write releases its x-requestId, the audit trail and sqlite_sequence). B then makes the same call
on their own booking and is not refused as a stranger: the 8107 is about ownership, nothing else.

The operations that take a moedetilbudId are tried by A with the offers of another job centre
(40404, where 1111701234 has a booking): 8108 (404), nothing of the other centre or citizen in the
answer, the database unchanged.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from jobnet.demo import (
    BOOKING_INDKALDT,
    BOOKING_STRAKS,
    INDKALDT,
    JOBCENTER_SOAP,
    OVER_SOAP,
    RID,
    RID_NYBY,
    SELVBOOKER,
    STRAKSBOOKET,
    TILBUD_INFOMOEDE,
    TILBUD_JOBSAMTALE,
    TILBUD_NYBY_INFOMOEDE,
    TILBUD_NYBY_JOBSAMTALE,
)
from jobnet.loader import load
from tests.support.api import fejl
from tests.support.clock import at

A = SELVBOOKER  # the caller throughout: may self-book, open Jobsamtale deadline
B = INDKALDT  # the other citizen: summoned (BOOKING_INDKALDT)
STRAKS = STRAKSBOOKET  # a third citizen, with an immediate booking (BOOKING_STRAKS)
NYBY = OVER_SOAP  # a citizen of job centre 40404


def dump(db: Any) -> str:
    """The whole database file as SQL: schema and every row of every table."""
    return "\n".join(repr(t) for t in db.dump())


def count(db: Any, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def assert_unchanged(db: Any, before: str) -> None:
    after = dump(db)
    if after != before:  # show what changed, not two walls of SQL
        old, new = set(before.splitlines()), set(after.splitlines())
        pytest.fail(f"the database changed:\n- {sorted(old - new)}\n+ {sorted(new - old)}")


def assert_says_nothing_about(response: Any, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in response.text, (secret, response.text)


def self_book(api: Any, cpr: str, tilbud: str, start: str, **fields: Any) -> str:
    r = api.post(f"/selvbooking/moedetilbud/{tilbud}/booking", cpr, json={"moedeStarttidspunkt": start, **fields})
    assert r.status_code == 201, r.text
    return r.json()["indkaldelseId"]


# --- the bookings A must not reach ------------------------------------------------------------
# Each kind: (owner, how to get its id, its meeting time, a rebooking target the owner could take).


def _indkaldt(api: Any) -> str:
    return BOOKING_INDKALDT


def _selvbooket(api: Any) -> str:
    return self_book(api, B, TILBUD_INFOMOEDE, at(3, 10))  # Fri 4 Dec 10:00, rebookable and cancellable


def _aflyst(api: Any) -> str:
    bid = _selvbooket(api)
    assert api.delete(f"/indkaldelse/{bid}", B).status_code == 204
    return bid


def _straks(api: Any) -> str:
    return BOOKING_STRAKS


BOOKINGS: dict[str, tuple[str, Callable[[Any], str], str, dict[str, Any]]] = {
    "B's summons": (B, _indkaldt, at(10, 10, 30), {"moedeStarttidspunkt": at(9, 10, 30), "samtaleformType": 1}),
    "B's self-booking": (B, _selvbooket, at(3, 10), {"moedeStarttidspunkt": at(17, 10)}),
    "B's cancelled self-booking": (B, _aflyst, at(3, 10), {"moedeStarttidspunkt": at(17, 10)}),
    "another citizen's immediate booking": (STRAKS, _straks, at(5, 9), {"moedeStarttidspunkt": at(6, 10),
                                                                       "samtaleformType": 1}),
}


def _ombook(api: Any, bid: str, cpr: str, target: dict[str, Any], rid: str | None = None) -> Any:
    return api.post(f"/indkaldelse/{bid}/action/ombook", cpr, request_id=rid, json=target)


def _delete(api: Any, bid: str, cpr: str, target: dict[str, Any], rid: str | None = None) -> Any:
    return api.delete(f"/indkaldelse/{bid}", cpr, request_id=rid)


def _accept(api: Any, bid: str, cpr: str, target: dict[str, Any], rid: str | None = None) -> Any:
    return api.post(f"/indkaldelse/{bid}/action/accepter", cpr, request_id=rid)


def _sagsbehandlere(api: Any, bid: str, cpr: str, target: dict[str, Any], rid: str | None = None) -> Any:
    return api.get(f"/indkaldelse/{bid}/ombooking/sagsbehandlere", cpr)


def _moedetider(api: Any, bid: str, cpr: str, target: dict[str, Any], rid: str | None = None) -> Any:
    return api.get(f"/indkaldelse/{bid}/ombooking/moedetider", cpr,
                   params={"startMoedetidsinterval": at(1, 0), "slutMoedetidsinterval": at(20, 0)})


def _fejlmelding(api: Any, bid: str, cpr: str, target: dict[str, Any], rid: str | None = None) -> Any:
    return api.post("/fejlmelding", cpr, request_id=rid, json={
        "indkaldelseId": bid, "fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": at(0, 8)})


OPERATIONS = {
    "CreateOmbooking": _ombook,
    "DeleteBooking": _delete,
    "SaveIndkaldelsesaccept": _accept,
    "GetOmbookingSagsbehandlere": _sagsbehandlere,
    "GetOmbookingMoedetider": _moedetider,
    "CreateFejlmelding": _fejlmelding,
}


@pytest.mark.parametrize("kind", BOOKINGS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_citizen_cannot_touch_another_citizens_booking(api: Any, demo: Any, operation: str, kind: str) -> None:
    owner, make, start, target = BOOKINGS[kind]
    bid = make(api)
    call = OPERATIONS[operation]
    before = dump(demo)

    r = call(api, bid, A, target)

    fejl(r, 8107, 403)  # and the body is exactly the catalogue's {fejlkode, fejltekst, beskrivelse}
    assert_says_nothing_about(r, bid, owner, start, start[:10], RID[1], RID[4], "Anne", "Dennis", "Informationsm")
    assert_unchanged(demo, before)

    # The refusal is about whose booking it is: the owner making the same call is no stranger (it
    # succeeds, or meets a rule of the booking itself: 4820 not cancellable, 4768 cancelled, 9130).
    own = call(api, bid, owner, target)
    assert own.status_code != 403, own.text


WRITES = ["CreateOmbooking", "DeleteBooking", "SaveIndkaldelsesaccept", "CreateFejlmelding"]


@pytest.mark.parametrize("operation", WRITES)
def test_the_request_id_of_a_refused_write_is_free_again(api: Any, demo: Any, operation: str) -> None:
    """Spelled out, though the byte-for-byte comparison above covers it: the claim of a refused
    write is released, so A's own next booking may use the same x-requestId."""
    rid = str(uuid.uuid4())
    fejl(OPERATIONS[operation](api, BOOKING_INDKALDT, A, BOOKINGS["B's summons"][3], rid), 8107, 403)
    assert count(demo, "request_ids") == 0
    r = api.post(f"/selvbooking/moedetilbud/{TILBUD_JOBSAMTALE}/booking", A, request_id=rid,
                 json={"moedeStarttidspunkt": at(2, 10, 30), "samtaleformType": 1})
    assert r.status_code == 201, r.text
    assert count(demo, "request_ids") == 1


# --- GetBookings: only one's own ----------------------------------------------------------------


def test_get_bookings_shows_only_the_callers_own_bookings(api: Any, demo: Any) -> None:
    b_selv = _selvbooket(api)
    a_own = self_book(api, A, TILBUD_JOBSAMTALE, at(2, 10, 30), samtaleformType=1)
    b_ids = {BOOKING_INDKALDT, b_selv}
    before = dump(demo)

    r = api.get("/bookinger", A)

    assert r.status_code == 200, r.text
    assert [b["indkaldelseId"] for b in r.json()["bookingDetaljerSamling"]] == [a_own]
    assert_says_nothing_about(r, *b_ids, BOOKING_STRAKS, B, STRAKS)
    assert_unchanged(demo, before)

    # and the other way round: B sees B's bookings and not A's
    shown = {b["indkaldelseId"] for b in api.get("/bookinger", B).json()["bookingDetaljerSamling"]}
    assert shown == b_ids


def test_get_bookings_of_a_citizen_without_bookings_shows_nobody_elses(api: Any, demo: Any) -> None:
    _selvbooket(api)
    before = dump(demo)
    r = api.get("/bookinger", A)
    assert r.status_code == 200, r.text
    assert "bookingDetaljerSamling" not in r.json()
    assert_unchanged(demo, before)


# --- offers of another job centre ---------------------------------------------------------------


@pytest.fixture
def nyby_booking(demo: Any, clock: Any) -> str:
    """1111701234's Jobsamtale at job centre 40404 (Thu 3 Dec 10:30 with Emil Larsen): taken in
    40404's planner the way its SOAP endpoint takes it, and registered here."""
    from jobnet.domain import Bookingoenske, BorgerKontekst
    from jobnet.planner.embedded import EmbeddedPlanner

    bid = str(uuid.uuid4())
    EmbeddedPlanner(demo, clock).create_booking(
        BorgerKontekst(cpr=NYBY, jobcenter_kode=JOBCENTER_SOAP, kontaktgruppe=1, klientkategori=1), bid,
        TILBUD_NYBY_JOBSAMTALE, Bookingoenske(dt.datetime.fromisoformat(at(2, 10, 30)), 1, RID_NYBY[5]),
        straks=False)
    load(demo, {"bookinger": [{"indkaldelse_id": bid, "cpr": NYBY, "moedetilbud_id": TILBUD_NYBY_JOBSAMTALE,
                               "moede_start": at(2, 10, 30), "sagsbehandler": RID_NYBY[5]}]})
    assert demo.conn.execute("SELECT cpr FROM planner_bookinger WHERE indkaldelse_id = ?", [bid]).fetchone() == (NYBY,)
    assert demo.conn.execute("SELECT cpr FROM bookinger WHERE indkaldelse_id = ?", [bid]).fetchone() == (NYBY,)
    return bid


OFFERS = {  # an offer of 40404 and a time it has (the other citizen's own time, or a seat)
    "Jobsamtale i Nyby": (TILBUD_NYBY_JOBSAMTALE, at(2, 10, 30), {"samtaleformType": 1}),
    "Informationsmøde i Nyby": (TILBUD_NYBY_INFOMOEDE, at(4, 13), {}),  # Mon 7 Dec 13:00
}

OFFER_OPERATIONS = {
    "GetSelvbookingMoedetider": lambda api, tilbud, start, extra: api.get(
        f"/selvbooking/moedetilbud/{tilbud}/moedetider", A,
        params={"startMoedetidsinterval": at(1, 0), "slutMoedetidsinterval": at(20, 0)}),
    "CreateSelvbooking": lambda api, tilbud, start, extra: api.post(
        f"/selvbooking/moedetilbud/{tilbud}/booking", A, json={"moedeStarttidspunkt": start, **extra}),
    "CreateStraksbooking": lambda api, tilbud, start, extra: api.post(
        f"/straksbooking/moedetilbud/{tilbud}/booking", A, json={"moedeStarttidspunkt": start, **extra}),
}


@pytest.mark.parametrize("offer", OFFERS)
@pytest.mark.parametrize("operation", OFFER_OPERATIONS)
def test_an_offer_of_another_job_centre_is_unknown_and_changes_nothing(
        api: Any, demo: Any, nyby_booking: str, operation: str, offer: str) -> None:
    tilbud, start, extra = OFFERS[offer]
    before = dump(demo)

    r = OFFER_OPERATIONS[operation](api, tilbud, start, extra)

    fejl(r, 8108, 404)
    assert_says_nothing_about(r, nyby_booking, NYBY, RID_NYBY[5], RID_NYBY[6], "Emil", "Freja", "Nyby", start)
    assert_unchanged(demo, before)
