"""No CPR number in any log line, tracebacks included.

Every log record of the process passes ``RedactCpr`` before a handler sees it: its message (with its
arguments merged in) and its traceback text have every CPR-shaped value (``DDMMYY`` + four digits,
with or without a hyphen) replaced by ``<cpr>``. The filter sits on the root logger and on each of
its handlers, and wraps the record factory, so records of loggers that do not propagate to the root
(uvicorn's, for one) are redacted too.
"""
from __future__ import annotations

import logging
import re
import traceback
from typing import Any

CPR_SHAPED = re.compile(r"(?<![0-9])(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}(?![0-9])")
MASK = "<cpr>"


def redact(text: str) -> str:
    return CPR_SHAPED.sub(MASK, text)


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
