"""SoapPlanner: the Planner port for a job centre routed to a SOAP planner (ExternalBookingService).

The route comes from the job centre's row (``jobcentre``): ``soap_url``, ``connect_timeout`` and
``read_timeout`` in seconds, and HTTP basic credentials ``soap_username`` / ``soap_password``.
The whole answer must arrive within connect + read timeout, however the planner trickles it.
"""
from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from generated import externalbooking as g
from jobnet.domain import (
    Booking,
    Bookingoenske,
    BookingState,
    BorgerKontekst,
    Fejlmelding,
    Moedetider,
    Moedetilbud,
    Sagsbehandler,
)
from jobnet.errors import ContractBreach, TooSlow
from jobnet.logs import current_request_id
from jobnet.planner.soap import contract, decode, encode, faults
from jobnet.store import Jobcenter

T = TypeVar("T")
R = TypeVar("R")
MAX_ANSWER_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Route:
    url: str
    connect_timeout: float
    read_timeout: float
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def of(cls, jobcenter: Jobcenter) -> Route:
        """The job centre's SOAP route (9018 when it has no usable URL)."""
        if not jobcenter.soap_url:
            raise faults.no_routing(jobcenter.kode)
        try:
            url = httpx.URL(jobcenter.soap_url)
        except httpx.InvalidURL:
            raise faults.no_routing(jobcenter.kode) from None
        if url.scheme not in ("http", "https") or not url.host:
            raise faults.no_routing(jobcenter.kode)
        return cls(jobcenter.soap_url, jobcenter.connect_timeout, jobcenter.read_timeout,
                   jobcenter.soap_username, jobcenter.soap_password)


@functools.cache
def _http() -> httpx.Client:
    # No keep-alive: a POST on a connection the planner has silently closed must not be sent twice.
    # No proxies from the environment: the route is the job centre's, nobody else's.
    return httpx.Client(trust_env=False, follow_redirects=False,
                        limits=httpx.Limits(max_keepalive_connections=0))


def post(route: Route, body: bytes, action: str) -> tuple[int, bytes]:
    """POST one envelope; (status, answer). Raises httpx.TransportError or TooSlow."""
    deadline = time.monotonic() + route.connect_timeout + route.read_timeout
    timeout = httpx.Timeout(connect=route.connect_timeout, read=route.read_timeout,
                            write=route.read_timeout, pool=route.connect_timeout)
    auth = httpx.BasicAuth(route.username, route.password or "") if route.username else None
    headers = {"Content-Type": contract.CONTENT_TYPE, "SOAPAction": f'"{action}"'}
    request_id = current_request_id()
    if request_id is not None:  # the caller's request followed to the planner (and its logs)
        headers["x-requestId"] = request_id
    with _http().stream("POST", route.url, content=body, headers=headers, timeout=timeout, auth=auth) as response:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                raise TooSlow(f"no complete answer within {route.connect_timeout + route.read_timeout} s")
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise ContractBreach(f"answer larger than {MAX_ANSWER_BYTES} bytes")
            chunks.append(chunk)
        return response.status_code, b"".join(chunks)


class SoapPlanner:
    def __init__(self, route: Route) -> None:
        self._route = route

    def _call(self, request: Any, expect: type[T], convert: Callable[[T], R]) -> R:
        body = contract.envelope(request)
        action = f"{contract.NS}/{type(request).__name__}"  # the request element is named after the operation
        with faults.seam():
            status, content = post(self._route, body, action)
            return convert(faults.answer(status, content, expect))

    def get_selfbook_interview_options(self, borger: BorgerKontekst) -> list[Moedetilbud]:
        return self._call(encode.interview_options(borger), g.GetSelfbookInterviewOptionsResult,
                          lambda r: decode.offers(r, borger.jobcenter_kode))

    def get_selfbook_timeslots(self, borger: BorgerKontekst, moedetilbud_id: str, start: dt.datetime,
                               slut: dt.datetime, samtaleform: int | None,
                               sagsbehandler_eksternt_id: str | None) -> Moedetider:
        request = g.GetSelfbookTimeslots(**encode.citizen(borger), interview_option_id=moedetilbud_id,
                                         **encode.search(start, slut, samtaleform, sagsbehandler_eksternt_id))
        return self._call(request, g.GetSelfbookTimeslotsResult, decode.timeslots)

    def create_booking(self, borger: BorgerKontekst, indkaldelse_id: str, moedetilbud_id: str,
                       oenske: Bookingoenske, straks: bool, plan: object | None = None) -> Booking:
        request = g.CreateBooking(**encode.citizen(borger), booking_identifier=indkaldelse_id,
                                  interview_option_id=moedetilbud_id, immediate_booking=straks,
                                  **encode.choice(oenske.moede_start, oenske.samtaleform,
                                                  oenske.sagsbehandler_eksternt_id))
        return self._call(request, g.CreateBookingResult,
                          lambda r: decode.booking(r.planner_booking_details, borger, BookingState.ACTIVE))

    def reschedule_booking(self, borger: BorgerKontekst, indkaldelse_id: str, oenske: Bookingoenske) -> Booking:
        request = g.RescheduleBooking(**encode.citizen(borger), booking_identifier=indkaldelse_id,
                                      **encode.choice(oenske.moede_start, oenske.samtaleform,
                                                      oenske.sagsbehandler_eksternt_id))
        return self._call(request, g.RescheduleBookingResult,
                          lambda r: decode.booking(r.planner_booking_details, borger, BookingState.RESCHEDULED))

    def cancel_booking(self, borger: BorgerKontekst, indkaldelse_id: str) -> None:
        self._call(g.CancelBooking(**encode.citizen(borger), booking_identifier=indkaldelse_id),
                   g.CancelBookingResult, _nothing)

    def accept_booking(self, borger: BorgerKontekst, indkaldelse_id: str) -> None:
        self._call(g.AcceptBooking(**encode.citizen(borger), booking_identifier=indkaldelse_id),
                   g.AcceptBookingResult, _nothing)

    def get_reschedule_supervisors(self, borger: BorgerKontekst,
                                   indkaldelse_id: str) -> tuple[bool, list[Sagsbehandler]]:
        return self._call(g.GetRescheduleSupervisors(**encode.citizen(borger), booking_identifier=indkaldelse_id),
                          g.GetRescheduleSupervisorsResult,
                          lambda r: (r.allow_choice_of_supervisor, list(decode.supervisors(r.supervisor_collection))))

    def get_reschedule_timeslots(self, borger: BorgerKontekst, indkaldelse_id: str, start: dt.datetime,
                                 slut: dt.datetime, samtaleform: int | None,
                                 sagsbehandler_eksternt_id: str | None) -> Moedetider:
        request = g.GetRescheduleTimeslots(**encode.citizen(borger), booking_identifier=indkaldelse_id,
                                           **encode.search(start, slut, samtaleform, sagsbehandler_eksternt_id))
        return self._call(request, g.GetRescheduleTimeslotsResult,
                          lambda r: decode.timeslots(r, r.interview_type_identifier))

    def get_immediate_booking_timeslots(self, borger: BorgerKontekst, samtaletype: int, start: dt.datetime,
                                        slut: dt.datetime) -> Moedetider:
        request = g.GetImmediateBookingTimeslots(
            **encode.citizen(borger), interview_type_identifier=samtaletype,
            booking_option_interval_start_time=encode.instant(start),
            booking_option_interval_end_time=encode.instant(slut))
        return self._call(request, g.GetImmediateBookingTimeslotsResult,
                          lambda r: decode.immediate_timeslots(r, borger.jobcenter_kode))

    def create_fejlmelding(self, fejlmelding: Fejlmelding) -> None:
        self._call(encode.fejlmelding(fejlmelding), g.CreateFejlmeldingResult, _nothing)


def _nothing(_: object) -> None:
    return None
