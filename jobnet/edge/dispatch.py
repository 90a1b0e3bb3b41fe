"""Turns one HTTP call into one handler call: context in, generated model out.

The citizen is the CPR in ``x-civilRegistrationIdentifier``. On writes, a known ``x-requestId`` is
refused first (a repeat within 7 days is 412/8302 and changes nothing); the id is recorded with
the request's first change (Kontekst.claim) and released again if the operation fails, so a
failed call may be retried with the same id.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import connexion
import flask
from pydantic import BaseModel, ValidationError

from generated.errors import Fejlkode
from jobnet.context import Json, Kontekst, Services
from jobnet.errors import Fejl
from jobnet.logs import CURRENT

CPR_HEADER = "x-civilRegistrationIdentifier"
REQUEST_ID_HEADER = "x-requestId"
READ_SCOPE, WRITE_SCOPE = "booking:read", "booking:write"


def services() -> Services:
    found: Services = flask.current_app.extensions["jobnet"]
    return found


def dispatch(operation_id: str, status: int, write: bool, organisations: tuple[str, ...],
             call: Callable[[Kontekst], Any], response_headers: dict[str, str] | None = None,
             unknown_citizen: int = Fejlkode.UKENDT_BORGER) -> Any:
    """``organisations``: the spec's "Tilladte organisationer" of the operation (empty: any caller);
    ``response_headers``: sent with the success answer (fixed by the spec, e.g. Deprecation);
    ``unknown_citizen``: the operation's code for an unknown CPR (its ``x-ukendt-borger``)."""
    client = _authorise(WRITE_SCOPE if write else READ_SCOPE, organisations)
    info = CURRENT.get()
    if info is not None:
        info.client = client  # for the access line
    headers = connexion.request.headers
    ctx = Kontekst(services=services(), operation=operation_id, cpr=headers[CPR_HEADER], client=client,
                   request_id=headers.get(REQUEST_ID_HEADER) if write else None,
                   unknown_citizen=unknown_citizen)
    return _response(run(ctx, write, call), status, response_headers)


def run(ctx: Kontekst, write: bool, call: Callable[[Kontekst], Any]) -> Any:
    """The operation below HTTP: the write limits, the request id (refused if seen, recorded with
    the first change, released on failure), the handler; a read in one snapshot. The benchmark's
    in-process booking (bench/storelimit.py) runs this too."""
    if write and ctx.services.limits is not None:
        ctx.services.limits.take(ctx.client, ctx.cpr)
    if not write:  # a read sees one snapshot of the database from start to end
        with ctx.db.read():
            return call(ctx)
    if ctx.request_id is not None:
        _refuse_if_seen(ctx, ctx.request_id)
    try:
        result = call(ctx)
        ctx.claim()  # a write that needed no change is recorded too: a repeat is still 412
    except BaseException:
        if ctx.claimed and ctx.request_id is not None:
            _release(ctx, ctx.request_id)
        raise
    return result


M = TypeVar("M", bound=BaseModel)


def request_body(model: type[M], body: Any) -> M:
    """The body as its generated model. connexion has checked it against the same schema; should
    the model still refuse it, that is 1014 too, described without the values (they may be CPRs)."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}"
                          for e in exc.errors(include_url=False, include_input=False, include_context=False))
        raise Fejl(Fejlkode.VALIDERING, where[:500]) from None


def _response(result: Any, status: int, headers: dict[str, str] | None = None) -> Any:
    if result is None:
        return flask.Response(status=status, mimetype="application/json", headers=headers)
    if isinstance(result, BaseModel):  # pydantic's own serializer, straight to bytes
        result = Json(result.model_dump_json(by_alias=True, exclude_none=True).encode())
    if isinstance(result, Json):
        return flask.Response(result.body, status=status, mimetype="application/json", headers=headers)
    return result, status, headers or {}


def _authorise(scope: str, organisations: tuple[str, ...]) -> str:
    """The token (already verified by connexion) must carry the scope and, where the operation has
    allowed organisations, one of them. Returns the calling client (the token's issuer and subject;
    "anonymous" when authentication is switched off)."""
    from connexion.context import context

    token = context.get("token_info")
    if token is None:
        return "anonymous"
    if scope not in token.get("scope", ()):
        raise Fejl(Fejlkode.IKKE_AUTORISERET, f"the token lacks the scope {scope}")
    if organisations and token.get("org") not in organisations:
        raise Fejl(Fejlkode.IKKE_AUTORISERET, f"only for {', '.join(organisations)}")
    return f"{token.get('iss')} {token.get('sub')}"


def _refuse_if_seen(ctx: Kontekst, request_id: str) -> None:
    """8302 for an id recorded within 7 days, before anything is done (the record itself is
    written with the request's first change, see Kontekst.claim)."""
    with ctx.db.read() as r:
        seen = r.requests.seen(ctx.caller_key, request_id, ctx.now)
    if seen:
        raise Fejl(Fejlkode.GENTAGET_REQUEST_ID, "the x-requestId has been received before")


def _release(ctx: Kontekst, request_id: str) -> None:
    with ctx.transaction() as tx:
        tx.requests.release(ctx.caller_key, request_id)
