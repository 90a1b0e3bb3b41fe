"""Serve a Planner as ExternalBookingService over SOAP 1.1, so this installation can be another's planner.

    POST /planner/soap                   one operation per request (the Body's element names it)
    GET  /planner/soap?wsdl              the WSDL, soap:address = JOBNET_PUBLIC_URL + /planner/soap
    GET  /planner/<name>.xsd             the schemas the WSDL imports
(the WSDL and the schemas are published documents: jobnet.app, jobnet.edge.published)

A business failure is a soap:Fault (HTTP 500, faultcode soap:Client) whose detail jb:Error holds the
catalogue code; a request that breaks the XSD is a Client fault with ErrorCode 1014; anything
unexpected is a Server fault without a code.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import flask

from generated import externalbooking as g
from generated.errors import KATALOG, Fejlkode
from jobnet.domain import Bookingoenske
from jobnet.edge.ratelimit import TokenBucket
from jobnet.errors import ContractBreach, Fejl, RateLimited
from jobnet.logs import CURRENT
from jobnet.metrics import Metrics
from jobnet.planner.port import Planner, PlannerClient
from jobnet.planner.soap import contract, decode, encode

log = logging.getLogger("jobnet.planner.soap")


def mount(app: flask.Flask, planner: Callable[[PlannerClient | None], Planner],
          authenticate: Callable[[str | None, str | None], PlannerClient | None] | None,
          jobcentre_of: Callable[[str], str | None], limit: TokenBucket | None = None,
          metrics: Metrics | None = None) -> None:
    """Add the SOAP endpoint of ``planner(client)`` (one instance per request) to ``app``.

    ``authenticate`` finds the planner client of a caller's HTTP basic credentials (None: no
    authentication, everyone acts as this installation). A planner client acts only for citizens
    the register knows (``jobcentre_of``) in the job centres it serves, sees only the bookings it
    made, and has its own rate limit (``limit``: 429, 8309)."""

    @app.route(contract.PATH, methods=["GET", "POST"], endpoint="planner_soap")
    def planner_soap() -> flask.Response:
        if flask.request.method == "GET":  # ?wsdl is a published document (jobnet.app)
            return flask.Response("POST SOAP 1.1 here; the WSDL is at ?wsdl\n", 200, mimetype="text/plain")
        client: PlannerClient | None = None
        if authenticate is not None:
            given = flask.request.authorization
            client = authenticate(given.username, given.password) if given and given.type == "basic" else None
            if client is None:
                return flask.Response(_fault(Fejlkode.IKKE_AUTENTIFICERET, "HTTP basic credentials of a planner client "
                                                                  "are required"), 401,
                                      content_type=contract.CONTENT_TYPE,
                                      headers={"WWW-Authenticate": 'Basic realm="ExternalBookingService"'})
            info = CURRENT.get()
            if info is not None:
                info.client = f"planner client {client.name}"  # for the access line
            try:
                if limit is not None:
                    limit.take(client.name)
            except RateLimited as exc:
                if metrics is not None:
                    metrics.rate_limited.labels(exc.limit).inc()
                return flask.Response(_fault(exc.fejlkode, exc.detail), 429, content_type=contract.CONTENT_TYPE,
                                      headers={"Retry-After": str(exc.retry_after)})
        admit = (lambda request: _admit(client, request, jobcentre_of)) if client is not None else None
        status, body = handle(flask.request.get_data(), planner(client), admit)
        return flask.Response(body, status, content_type=contract.CONTENT_TYPE)


def _admit(client: PlannerClient, request: Any, jobcentre_of: Callable[[str], str | None]) -> None:
    """Before anything is read or changed: the job centre is one the client serves (8308), and the
    citizen is one the register knows there (8111)."""
    kode = getattr(request, "job_center_code", None)
    if kode is not None and kode not in client.jobcentre:
        raise Fejl(Fejlkode.IKKE_AUTORISERET, "the planner client does not serve this job centre")
    cpr = getattr(request, "person_civil_registration_identifier", None)
    if cpr is not None:
        known = jobcentre_of(cpr)
        if known is None or known not in client.jobcentre or (kode is not None and known != kode):
            raise Fejl(Fejlkode.UKENDT_BORGER, "the citizen is not known in this job centre")


def handle(content: bytes, planner: Planner, admit: Callable[[Any], None] | None = None) -> tuple[int, bytes]:
    """One SOAP request → (HTTP status, envelope); ``admit`` may refuse the request before it runs."""
    try:
        element = contract.body_child(content)
        operation = _OPERATIONS.get(element.tag)
        if operation is None:
            raise ContractBreach(f"unknown operation {element.tag}")
        request_class, run = operation
        request = contract.read(element, request_class)
        if admit is not None:
            admit(request)
        result = run(planner, request)
    except ContractBreach as exc:
        return 500, _fault(Fejlkode.VALIDERING, str(exc))
    except Fejl as exc:
        return 500, _fault(exc.fejlkode, exc.detail)
    except Exception:
        log.exception("the SOAP planner failed")
        return 500, contract.fault_envelope("Server", "internal error in the planner", None)
    return 200, contract.envelope(result)


def _fault(code: int, detail: str) -> bytes:
    post = KATALOG.get(code)
    text = post.fejltekst if post else "Fejl i plannersystemet"
    description = detail or (post.fejltekst_en if post else "planner error")
    return contract.fault_envelope("Client", description, g.Error(error_code=code, error_text=text,
                                                                   error_description=description))


def _choice(r: Any) -> Bookingoenske:
    return Bookingoenske(decode.instant(r.booking_start_time), r.interview_contact_type_identifier,
                         r.case_worker_identifier)


def _selfbook_timeslots(p: Planner, r: g.GetSelfbookTimeslots) -> g.GetSelfbookTimeslotsResult:
    found = p.get_selfbook_timeslots(decode.citizen(r), r.interview_option_id,
                                     decode.instant(r.booking_option_interval_start_time),
                                     decode.instant(r.booking_option_interval_end_time),
                                     r.interview_contact_type_identifier,
                                     r.case_worker_identifier)
    return g.GetSelfbookTimeslotsResult(**encode.timeslots(found))


def _reschedule_timeslots(p: Planner, r: g.GetRescheduleTimeslots) -> g.GetRescheduleTimeslotsResult:
    found = p.get_reschedule_timeslots(decode.citizen(r), r.booking_identifier,
                                       decode.instant(r.booking_option_interval_start_time),
                                       decode.instant(r.booking_option_interval_end_time),
                                       r.interview_contact_type_identifier, r.case_worker_identifier)
    if found.samtaletype is None:
        raise ValueError("the planner did not name the booking's interview type")
    return g.GetRescheduleTimeslotsResult(**encode.timeslots(found, many=True),
                                          interview_type_identifier=found.samtaletype)


def _supervisors(p: Planner, r: g.GetRescheduleSupervisors) -> g.GetRescheduleSupervisorsResult:
    kan_vaelges, sagsbehandlere = p.get_reschedule_supervisors(decode.citizen(r), r.booking_identifier)
    return g.GetRescheduleSupervisorsResult(allow_choice_of_supervisor=kan_vaelges,
                                            supervisor_collection=encode.supervisors(sagsbehandlere))


def _cancel(p: Planner, r: g.CancelBooking) -> g.CancelBookingResult:
    p.cancel_booking(decode.citizen(r), r.booking_identifier)
    return g.CancelBookingResult()


def _accept(p: Planner, r: g.AcceptBooking) -> g.AcceptBookingResult:
    p.accept_booking(decode.citizen(r), r.booking_identifier)
    return g.AcceptBookingResult()


def _fejlmelding(p: Planner, r: g.CreateFejlmelding) -> g.CreateFejlmeldingResult:
    p.create_fejlmelding(decode.fejlmelding(r))
    return g.CreateFejlmeldingResult()


_Run = Callable[[Planner, Any], Any]
_RUNS: list[tuple[type[Any], _Run]] = [
        (g.GetSelfbookInterviewOptions,
         lambda p, r: encode.offers(p.get_selfbook_interview_options(decode.citizen(r)))),
        (g.GetSelfbookTimeslots, _selfbook_timeslots),
        (g.CreateBooking, lambda p, r: g.CreateBookingResult(planner_booking_details=encode.booking(
            p.create_booking(decode.citizen(r), r.booking_identifier, r.interview_option_id, _choice(r),
                             r.immediate_booking)))),
        (g.RescheduleBooking, lambda p, r: g.RescheduleBookingResult(planner_booking_details=encode.booking(
            p.reschedule_booking(decode.citizen(r), r.booking_identifier, _choice(r))))),
        (g.CancelBooking, _cancel),
        (g.AcceptBooking, _accept),
        (g.GetRescheduleSupervisors, _supervisors),
        (g.GetRescheduleTimeslots, _reschedule_timeslots),
        (g.GetImmediateBookingTimeslots, lambda p, r: encode.immediate_timeslots(p.get_immediate_booking_timeslots(
            decode.citizen(r), r.interview_type_identifier, decode.instant(r.booking_option_interval_start_time),
            decode.instant(r.booking_option_interval_end_time)))),
        (g.CreateFejlmelding, _fejlmelding),
]
_OPERATIONS: dict[str, tuple[type[Any], _Run]] = {contract.qname(cls): (cls, run) for cls, run in _RUNS}
