"""Typed access to one record of the data file; every problem becomes a LoadError naming the field."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, NoReturn

from jobnet.errors import LoadError
from jobnet.specfiles import pattern

SECTIONS = ("jobcentre", "sagsbehandlere", "moedetilbud", "borgere", "tilmeldinger", "frister", "bookinger")
# the contract's own patterns (specs/openapi.yaml), where the data file has the same field
GUID = pattern("Moedetilbud", "moedetilbudId")
TELEFON = pattern("Kontaktdetaljer", "telefonnummer")
POSTNUMMER = pattern("Adresse", "postnummer")
# the register's own: a CPR number of the data file is any 10 digits, a job centre code 5
CPR = re.compile(r"^[0-9]{10}$")
JOBCENTER = re.compile(r"^[0-9]{5}$")
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
SOAP_URL = re.compile(r"^https?://[^\s]+$")
MISSING: Any = object()


class Felter:
    """Typed access to one record's fields; every problem becomes a LoadError naming the field."""

    def __init__(self, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise LoadError(f"{where}: must be a mapping")
        self.where = where
        self._data: dict[str, Any] = data
        self._read: set[str] = set()

    def fail(self, name: str, message: str) -> NoReturn:
        raise LoadError(f"{self.where}.{name}: {message}")

    def has(self, name: str) -> bool:
        return self._data.get(name) is not None

    def raw(self, name: str, required: bool) -> Any:
        self._read.add(name)
        value = self._data.get(name)
        if value is None:
            if required:
                self.fail(name, "is required")
            return MISSING
        return value

    def text(self, name: str, required: bool = True, pattern: re.Pattern[str] | None = None,
             hint: str = "", max_len: int | None = None, default: str | None = None) -> Any:
        value = self.raw(name, required)
        if value is MISSING:
            return default
        if not isinstance(value, str) or (pattern and not pattern.match(value)):
            self.fail(name, f"must be {hint or 'a string'}")
        if max_len is not None and not 1 <= len(value) <= max_len:
            self.fail(name, f"must be 1 to {max_len} characters")
        if not value:
            self.fail(name, "must not be empty")
        return value

    def integer(self, name: str, required: bool = True, minimum: int | None = 0,
                maximum: int | None = None, default: int | None = None) -> Any:
        value = self.raw(name, required)
        if value is MISSING:
            return default
        ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            kind = {None: "an integer", 0: "a non-negative integer", 1: "a positive integer"}.get(
                minimum, f"an integer >= {minimum}")
            self.fail(name, f"must be {kind}" + (f" <= {maximum}" if maximum is not None else ""))
        return value

    def number(self, name: str, default: float) -> float:
        value = self.raw(name, False)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            self.fail(name, "must be a positive number")
        return float(value)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name, False)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str | None) -> Any:
        value = self.raw(name, False)
        if value is MISSING:
            return default
        if value not in choices:
            self.fail(name, f"must be one of {', '.join(choices)}")
        return value

    def instant(self, name: str, required: bool = True) -> Any:
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                self.fail(name, "must be an ISO-8601 date-time with an offset")
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            self.fail(name, "must be an ISO-8601 date-time with an offset")
        return value.astimezone(dt.UTC)

    def date(self, name: str, required: bool = True) -> Any:
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                self.fail(name, "must be a date YYYY-MM-DD")
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.fail(name, "must be a date YYYY-MM-DD")
        return value

    def clock_time(self, name: str, default: dt.time) -> dt.time:
        value = self.raw(name, False)
        if value is MISSING:
            return default
        if not isinstance(value, str) or not HHMM.match(value):
            self.fail(name, 'must be a clock time "HH:MM"')
        return dt.time.fromisoformat(value)

    def integers(self, name: str, required: bool = True, default: Any = None,
                 minimum: int = 0, maximum: int | None = None) -> Any:
        value = self.raw(name, required)
        if value is MISSING:
            return default
        if not isinstance(value, list) or not value or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= minimum
            and (maximum is None or v <= maximum) for v in value
        ):
            bound = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
            self.fail(name, f"must be a non-empty list of integers {bound}")
        return tuple(value)

    def mapping(self, name: str) -> Felter | None:
        value = self.raw(name, False)
        return None if value is MISSING else Felter(f"{self.where}.{name}", value)

    def records(self, name: str) -> list[Felter]:
        value = self.raw(name, False)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.fail(name, "must be a list")
        return [Felter(f"{self.where}.{name}[{i}]", v) for i, v in enumerate(value)]

    def done(self) -> None:
        unknown = sorted(set(self._data) - self._read)
        if unknown:
            self.fail(unknown[0], "unknown field")
