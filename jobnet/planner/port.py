"""The planner port: the only way handlers reach calendars.

Its methods mirror STAR's ExternalBookingService (docs/reference.md §7). Adapters raise
``jobnet.errors.PlannerError`` with a catalogue code: 9018 no planner configured,
4769 no connection or timeout, 9303 unhandled remote fault, 9329 response that breaks
the contract, or the planner's own business code (4767, 4770, 4819, 8108, 8109, 9003,
4822, 4708, ...).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from jobnet.domain import Booking, Bookingoenske, BorgerKontekst, Fejlmelding, Moedetider, Moedetilbud, Sagsbehandler


@dataclass(frozen=True)
class PlannerClient:
    """Another installation allowed to use this one's embedded planner over SOAP: it acts only for
    the job centres it serves, and sees and changes only the bookings it made itself."""

    name: str
    jobcentre: frozenset[str]


class Planner(Protocol):
    def get_selfbook_interview_options(self, borger: BorgerKontekst) -> list[Moedetilbud]:
        """GetSelfbookInterviewOptions: the offers the citizen may self-book."""

    def get_selfbook_timeslots(
        self,
        borger: BorgerKontekst,
        moedetilbud_id: str,
        start: dt.datetime,
        slut: dt.datetime,
        samtaleform: int | None,
        sagsbehandler_eksternt_id: str | None,
    ) -> Moedetider:
        """GetSelfbookTimeslots: free times of one offer within [start, slut)."""

    def create_booking(
        self,
        borger: BorgerKontekst,
        indkaldelse_id: str,
        moedetilbud_id: str,
        oenske: Bookingoenske,
        straks: bool,
        plan: object | None = None,
    ) -> Booking:
        """CreateBooking: take the time at the planner; returns the booking as the planner has it.
        ``plan`` (not STAR's): what a ``PlansBookings`` planner worked out for this request."""

    def reschedule_booking(
        self, borger: BorgerKontekst, indkaldelse_id: str, oenske: Bookingoenske
    ) -> Booking:
        """RescheduleBooking: move the booking to another free time of its offer."""

    def cancel_booking(self, borger: BorgerKontekst, indkaldelse_id: str) -> None:
        """CancelBooking: free the time (also used to compensate a failed registration)."""

    def accept_booking(self, borger: BorgerKontekst, indkaldelse_id: str) -> None:
        """AcceptBooking: the citizen accepts a summons."""

    def get_reschedule_supervisors(
        self, borger: BorgerKontekst, indkaldelse_id: str
    ) -> tuple[bool, list[Sagsbehandler]]:
        """GetRescheduleSupervisors: (choice allowed, every possible caseworker)."""

    def get_reschedule_timeslots(
        self,
        borger: BorgerKontekst,
        indkaldelse_id: str,
        start: dt.datetime,
        slut: dt.datetime,
        samtaleform: int | None,
        sagsbehandler_eksternt_id: str | None,
    ) -> Moedetider:
        """GetRescheduleTimeslots: free times the booking can move to."""

    def get_immediate_booking_timeslots(
        self,
        borger: BorgerKontekst,
        samtaletype: int,
        start: dt.datetime,
        slut: dt.datetime,
    ) -> Moedetider:
        """GetImmediateBookingTimeslots: times of the given interview type, each with its offer."""

    def create_fejlmelding(self, fejlmelding: Fejlmelding) -> None:
        """CreateFejlmelding: report an error about an offer or booking to the planner."""


class PlansBookings(Protocol):
    """Not in STAR's service: a planner that can work out ahead of ``create_booking``, before the
    write lock is taken, what it will do for the same request (the embedded planner: its choice of
    caseworker or seat, jobnet/planner/embedded/plans.py). A remote planner decides at its end."""

    def plan_booking(
        self, borger: BorgerKontekst, moedetilbud_id: str, oenske: Bookingoenske, straks: bool
    ) -> object | None:
        """The plan to hand to ``create_booking``; None: nothing to plan, or the planner would refuse
        the request (``create_booking`` refuses it then, after the request id has been claimed)."""
