"""One access line per request on the ``jobnet.access`` logger, and the request's id on every answer.

The request id is the caller's ``x-requestId`` (required on writes, optional on reads) or one made
here; it is set for every log line of the request (``jobnet.logs.CURRENT``), sent on to a SOAP
planner, and returned in the ``x-requestId`` header of every answer, so a call can be followed
through the logs and to the planner. The access line holds the operation, status, duration, the
calling client and the citizen only as a keyed pseudonym, never the CPR number itself; the same
numbers go to the metrics.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import time
from functools import lru_cache
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobnet.logs import CURRENT, RequestInfo
from jobnet.metrics import Metrics

log = logging.getLogger("jobnet.access")
_USABLE_ID = re.compile(rb"[\x21-\x7e]{1,46}")  # what may be echoed in a header: printable ASCII, 1-46


def pseudonym(key: bytes, cpr: str) -> str:
    """Stable for one key (JOBNET_LOG_KEY, shared by workers that must correlate); not reversible."""
    return hmac.new(key, cpr.encode(), hashlib.sha256).hexdigest()[:16]


class _Answer:
    """The send of one request: notes the status and adds the request id to the answer's headers.
    One small object per request (no closure); the body passes through untouched."""

    __slots__ = ("echo", "send", "status")

    def __init__(self, send: Send, echo: tuple[bytes, bytes]) -> None:
        self.send, self.echo, self.status = send, echo, 500

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            message = {**message, "headers": [*message.get("headers", ()), self.echo]}
        await self.send(message)


class AccessLog:
    """``key``: the pseudonym key (Settings.access_log_key); ``metrics``: where the numbers go too."""

    REQUEST_ID, CPR = b"x-requestid", b"x-civilregistrationidentifier"  # header names as the server gives them

    def __init__(self, app: ASGIApp, key: bytes, metrics: Metrics | None = None) -> None:
        self.app = app
        self.key = key
        self.metrics = metrics

        @lru_cache(maxsize=4096)
        def citizen(cpr: str) -> str:
            """A citizen's pseudonym is the same every time: made once while the CPR is among the recent."""
            return pseudonym(key, cpr)

        self.pseudonym = citizen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = cpr = None
        for name, value in scope["headers"]:
            if name == self.REQUEST_ID:
                given = value if given is None else given
            elif name == self.CPR:
                cpr = value if cpr is None else cpr
        rid = given.decode() if given is not None and _USABLE_ID.fullmatch(given) else os.urandom(16).hex()
        info = RequestInfo(rid)
        token = CURRENT.set(info)
        # routing writes the operation into scope["extensions"] of a copied scope; a dict made here is
        # shared by those copies, so the operation is visible below
        extensions = scope.setdefault("extensions", {})
        answer = _Answer(send, (self.REQUEST_ID, rid.encode()))
        try:
            await self.app(scope, receive, answer)
        finally:
            seconds = time.perf_counter() - started
            operation = extensions.get("connexion_routing", {}).get("operation_id")
            if self.metrics is not None:
                self.metrics.answered(operation, answer.status, seconds)
            if log.isEnabledFor(logging.INFO):
                entry = _entry(scope, info, operation, answer.status, seconds,
                               self.pseudonym(cpr.decode("latin-1")) if cpr else None)
                # made and handled as Logger.info would, less the look-up of the calling line
                log.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, "%s %s %s",
                                          (entry["method"], entry["path"], answer.status), None,
                                          extra={"access": entry}))
            CURRENT.reset(token)


def _entry(scope: Scope, info: RequestInfo, operation: str | None, status: int, seconds: float,
           citizen: str | None) -> dict[str, Any]:
    return {
        "request_id": info.request_id,
        "method": scope.get("method"),
        "path": scope.get("path"),
        "operation": operation,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "client": info.client,
        "citizen": citizen,
    }
