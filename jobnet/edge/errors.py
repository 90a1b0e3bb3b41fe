"""Every error leaves the service as one catalogue body: {fejlkode, fejltekst, beskrivelse}."""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from connexion import FlaskApp
from connexion.exceptions import BadRequestProblem, ProblemException, UnsupportedMediaTypeProblem
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from generated.errors import KATALOG, Fejlkode
from jobnet.errors import Fejl, PlannerDataInvalid, RateLimited
from jobnet.metrics import Metrics

log = logging.getLogger("jobnet.edge")


_BY_STATUS = {404: Fejlkode.UKENDT_STI, 405: Fejlkode.METODE_IKKE_TILLADT, 413: Fejlkode.FOR_STOR,
              401: Fejlkode.IKKE_AUTENTIFICERET,
              403: Fejlkode.IKKE_AUTORISERET}


def fejl_body(fejlkode: int, detail: str = "", operation: str | None = None,
              plannerdata: bool = False) -> tuple[int, dict[str, object]]:
    """The catalogue body: the operation's Danish text; ``plannerdata``: raised on booking data the
    planner handed back (errors.yaml http_status_plannerdata)."""
    post = KATALOG[fejlkode]
    beskrivelse = f"{post.beskrivelse}: {detail}" if detail else post.beskrivelse
    status = (post.http_status_plannerdata or post.http_status) if plannerdata else post.http_status
    return status, {"fejlkode": fejlkode, "fejltekst": post.tekst(operation), "beskrivelse": beskrivelse}


def _operation(request: ConnexionRequest) -> str | None:
    operation = request.scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
    return operation if isinstance(operation, str) else None


def fejl_response(fejlkode: int, detail: str = "", headers: Mapping[str, str] | None = None,
                  operation: str | None = None, plannerdata: bool = False) -> ConnexionResponse:
    status, body = fejl_body(fejlkode, detail, operation, plannerdata)
    return ConnexionResponse(status_code=status, content_type="application/json",
                             headers=dict(headers or {}), body=json.dumps(body, ensure_ascii=False))


def _first_line(text: object) -> str:
    return str(text or "").splitlines()[0] if text else ""


def handle_bad_request(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    return fejl_response(Fejlkode.VALIDERING, _first_line(getattr(exc, "detail", "")))


def handle_problem(_request: ConnexionRequest, exc: ProblemException) -> ConnexionResponse:
    code = _BY_STATUS.get(exc.status)
    if code is None:
        log.error("unexpected problem %s: %s", exc.status, _first_line(exc.detail))
        code = Fejlkode.INTERN_FEJL
    return fejl_response(code, _first_line(exc.detail), getattr(exc, "headers", None))


def handle_fejl(request: ConnexionRequest, exc: Fejl) -> ConnexionResponse:
    retry_after = getattr(exc, "retry_after", None)  # 429: when the caller may try again
    return fejl_response(exc.fejlkode, exc.detail, {"Retry-After": str(retry_after)} if retry_after else None,
                         _operation(request), isinstance(exc, PlannerDataInvalid))


def handle_http(_request: ConnexionRequest, exc: HTTPException) -> ConnexionResponse:
    # keep exc.headers: a 405 must carry Allow
    code = _BY_STATUS.get(exc.status_code, Fejlkode.INTERN_FEJL)
    return fejl_response(code, "", getattr(exc, "headers", None))


def handle_unexpected(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    log.exception("unhandled error", exc_info=exc)
    return fejl_response(Fejlkode.INTERN_FEJL)


def register(app: FlaskApp, metrics: Metrics | None = None) -> None:
    """The error handlers; ``metrics`` counts the lost races and rate-limit refusals they answer."""

    def fejl_counted(request: ConnexionRequest, exc: Fejl) -> ConnexionResponse:
        if metrics is not None:
            metrics.refused(exc.fejlkode)
            if isinstance(exc, RateLimited):
                metrics.rate_limited.labels(exc.limit).inc()
        return handle_fejl(request, exc)

    app.add_error_handler(BadRequestProblem, handle_bad_request)
    app.add_error_handler(UnsupportedMediaTypeProblem, handle_bad_request)
    app.add_error_handler(ProblemException, handle_problem)
    app.add_error_handler(Fejl, fejl_counted)
    app.add_error_handler(HTTPException, handle_http)
    app.add_error_handler(Exception, handle_unexpected)
