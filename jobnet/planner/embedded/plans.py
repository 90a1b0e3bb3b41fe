"""A booking's choice made before the write lock, and checked again under it (issue 14).

On SQLite every write of the country queues for one lock, so whatever a booking reads and computes
while it holds the lock, every booking behind it waits for. Most of the embedded planner's part is
a choice: the offer, the form, the caseworkers to book, the free caseworker or the seat at the
chosen time. ``plan`` makes that choice in a read snapshot before the lock, together with the
versions the triggers of migration 0006 keep of everything it is made from: the offer, its
caseworkers and sessions (the offer's version), the caseworkers and their bookings (theirs).

Under the lock ``held_choice`` reads the versions again. Unchanged (and the time still ahead, the
one thing the choice takes from the clock), a fresh look would find the same offer, caseworkers and
free time, so only the writes are left: the seat's conditional UPDATE and the booking's row, with
the partial unique index on a caseworker's time as the last guard, as without a plan. Changed, the
choice is made again under the lock. The one thing a plan may see differently is the load
spreading between free caseworkers: a coming booking that has started meanwhile still counts.

A failed plan is no answer: the booking is then made under the lock as before, so its failure
comes in the order the operation defines (a repeated request id is 412 before the time is 4819).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generated.errors import Fejlkode
from jobnet.domain import Bookingoenske, BorgerKontekst
from jobnet.errors import PlannerError
from jobnet.planner.embedded.availability import Availability, utc
from jobnet.planner.embedded.checks import bookable_offer, choose_samtaleform, chosen_caseworkers
from jobnet.planner.embedded.models import PlannerBooking, PlannerSagsbehandler, PlannerTilbud
from jobnet.planner.embedded.sql import PlannerRepo

Request = tuple[BorgerKontekst, str, Bookingoenske, bool]  # citizen, offer, choice, immediate


@dataclass(frozen=True)
class Choice:
    """What a booking takes: the offer, the form, the caseworkers read, the caseworker and seat."""

    tilbud: PlannerTilbud
    samtaleform: int
    valgte: list[PlannerSagsbehandler]
    nummer: int
    session_id: int | None


@dataclass(frozen=True)
class BookingPlan:
    """A ``Choice`` made ahead for one request, with the versions it was made under."""

    request: Request
    versions: tuple[int | None, int]
    choice: Choice


def choose(repo: PlannerRepo, availability: Availability, request: Request) -> Choice:
    """The booking's choice, read through ``repo`` (8108, 4770, 4708, 9003, 4819 as create_booking)."""
    borger, moedetilbud_id, oenske, straks = request
    start = utc(oenske.moede_start)
    t = bookable_offer(repo, borger, moedetilbud_id, straks)
    o = t.tilbud
    if (o.foerste_moedetid and start < o.foerste_moedetid) or (o.sidste_moedetid and start > o.sidste_moedetid):
        raise PlannerError(Fejlkode.UDEN_FOR_TILBUDDETS_PERIODE, "the time is outside the offer's period")
    samtaleform = choose_samtaleform(t, oenske.samtaleform)
    valgte = chosen_caseworkers(repo, t, oenske.sagsbehandler_eksternt_id)
    nummer, session_id = availability.choose(repo, t, valgte, start, Fejlkode.TID_IKKE_LEDIG)
    return Choice(t, samtaleform, valgte, nummer, session_id)


def plan(repo: PlannerRepo, availability: Availability, request: Request) -> BookingPlan | None:
    """The choice for ``request`` in ``repo``'s snapshot, or None where it fails."""
    versions = repo.timeslot_versions(request[1])  # first: a plan is never newer than its versions
    try:
        return BookingPlan(request, versions, choose(repo, availability, request))
    except PlannerError:
        return None


def held_choice(p: object | None, repo: PlannerRepo, request: Request, now: dt.datetime) -> Choice | None:
    """``p``'s choice if ``p`` is a plan for ``request`` that still holds: the choice a fresh look
    through ``repo`` would make now. None: the choice is to be made again."""
    if (isinstance(p, BookingPlan) and p.request == request and utc(request[2].moede_start) > now
            and repo.timeslot_versions(request[1]) == p.versions):
        return p.choice
    return None


def booking_of_choice(valg: Choice, request: Request, indkaldelse_id: str, now: dt.datetime,
                      made_by: str | None) -> PlannerBooking:
    """The planner's booking of ``request`` at the caseworker and seat of ``valg``."""
    borger, _, oenske, straks = request
    start, t = utc(oenske.moede_start), valg.tilbud
    return PlannerBooking(
        indkaldelse_id=indkaldelse_id, cpr=borger.cpr, moedetilbud_id=t.id, start=start,
        slut=start + dt.timedelta(minutes=t.tilbud.varighed_minutter), sagsbehandler_nummer=valg.nummer,
        session_id=valg.session_id, samtaleform=valg.samtaleform, accepteret=not t.politik.borger_skal_acceptere,
        straks=straks, selvbooket=True, borger_skal_acceptere=t.politik.borger_skal_acceptere, oprettet=now,
        made_by=made_by,
    )
