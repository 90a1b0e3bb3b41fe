"""The formats the contract uses, checked as it means them: ``date-time`` (RFC 3339 with an offset),
``date`` and ``uuid``, each matched as a whole string and, for instants and dates, within
``jobnet.clock``'s years (FIRST_YEAR-LAST_YEAR) so that nothing after the edge can overflow.

``FORMATS`` is what request validation uses (jobnet.edge.validators). The same checks are also
registered on jsonschema's Draft 4 checker, which connexion's response validation uses."""
from __future__ import annotations

import datetime as dt
import re

from jsonschema import Draft4Validator, FormatChecker

from jobnet.clock import date_in_range, parse_instant

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_uuid(value: object) -> bool:
    return not isinstance(value, str) or _UUID.fullmatch(value) is not None


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if _DATE.fullmatch(value) is None:
        return False
    return date_in_range(dt.date.fromisoformat(value))


def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return parse_instant(value) is not None


FORMATS = FormatChecker()
for _name, _check in (("date-time", is_date_time), ("date", is_date), ("uuid", is_uuid)):
    FORMATS.checks(_name, raises=ValueError)(_check)
    Draft4Validator.FORMAT_CHECKER.checks(_name, raises=ValueError)(_check)
