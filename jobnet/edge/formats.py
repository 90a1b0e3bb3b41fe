"""Format checks connexion leaves out: uuid and date (date-time comes from rfc3339-validator)."""
from __future__ import annotations

import datetime as dt
import re

from jsonschema import Draft4Validator

_checker = Draft4Validator.FORMAT_CHECKER
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@_checker.checks("uuid", raises=ValueError)
def is_uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(_UUID.match(value))


@_checker.checks("date", raises=ValueError)
def is_date(value: object) -> bool:
    return not isinstance(value, str) or (bool(_DATE.match(value)) and bool(dt.date.fromisoformat(value)))


if "date-time" not in _checker.checkers:  # pragma: no cover - install problem
    raise RuntimeError("rfc3339-validator is missing: connexion would not check date-time")
