"""No CPR number in any log line, tracebacks included.

Every log record of the process passes ``RedactCpr`` before a handler sees it: its message (with its
arguments merged in) and its traceback text have every CPR-shaped value (``DDMMYY`` + four digits,
with or without a hyphen) replaced by ``<cpr>``. The filter sits on the root logger and on each of
its handlers, and wraps the record factory, so records of loggers that do not propagate to the root
(uvicorn's, for one) are redacted too.

``configure_logging`` makes every record one JSON line (``JsonFormatter``) with the request's id.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import traceback
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

CPR_SHAPED = re.compile(r"(?<![0-9])(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}(?![0-9])")
MASK = "<cpr>"
# Found in every CPR-shaped value (a day's first digit is 0-3, a month's 0-1), and a quarter of the cost
# to look for: most lines (UUIDs, times) have none, and are left as they are without the full search.
_MAYBE = re.compile(r"[0-3][0-9][01][0-9]{3}-?[0-9]{4}")


def redact(text: str) -> str:
    return CPR_SHAPED.sub(MASK, text) if _MAYBE.search(text) else text


class RedactCpr(logging.Filter):
    """Rewrites the record in place (a filter that returns True): message, arguments, traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_cpr_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record whose arguments do not fit its format
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_info = None  # only the redacted text is left to format
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._cpr_redacted = True
        return True


_FILTER = RedactCpr()
_installed = False


def redact_cpr_in_logs() -> None:
    """Install the redaction for this process (idempotent; the app factory calls it)."""
    global _installed  # noqa: PLW0603 - logging is process-wide, so is whether the redaction is installed
    root = logging.getLogger()
    if _FILTER not in root.filters:
        root.addFilter(_FILTER)
    for handler in root.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    if _installed:
        return
    plain = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = plain(*args, **kwargs)
        _FILTER.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


# --- one JSON line per record, with the request's id ----------------------------------------------
@dataclass
class RequestInfo:
    """What the log lines of one request share: its id (the caller's ``x-requestId``, or one made
    for it) and, once known, the calling client. Set by the access log for the whole request,
    handler threads included (a2wsgi copies the context)."""

    request_id: str
    client: str | None = None


CURRENT: ContextVar[RequestInfo | None] = ContextVar("jobnet_request", default=None)


def current_request_id() -> str | None:
    info = CURRENT.get()
    return info.request_id if info is not None else None


class JsonFormatter(logging.Formatter):
    """``{"time": RFC 3339 UTC, "level", "logger", "message", "request_id", ...}``, one line each;
    an access record (``extra={"access": {...}}``) adds its fields; a traceback is ``"error"``. The
    whole line is redacted once more, so no CPR-shaped value in any field gets through."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        info = CURRENT.get()
        access = getattr(record, "access", None)
        if isinstance(access, dict):
            line.update(access)
        elif info is not None:
            line["request_id"] = info.request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["error"] = record.exc_text
        return redact(json.dumps(line, ensure_ascii=False, default=str))


def configure_logging(level: str) -> None:
    """This process's logging: every record (uvicorn's too) as one JSON line on stderr at ``level``."""
    redact_cpr_in_logs()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_FILTER)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "jobnet"):
        named = logging.getLogger(name)
        named.handlers[:] = []
        named.propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # the service's own access log says it all
    # what JsonFormatter never writes is not gathered for every record (logging's documented switches)
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
