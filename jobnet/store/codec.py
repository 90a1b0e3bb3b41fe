"""Conversions between Python values and the text/int columns of the store.

Instants are stored as UTC ISO-8601 text (``2026-03-29T07:00:00+00:00``): one format for every
row, so text comparison in SQL orders instants correctly and equal instants give equal keys.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from typing import Any

UTC = dt.UTC


def ts(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: the store needs aware instants")
    return value.astimezone(UTC).isoformat()


def parse_ts(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value).astimezone(UTC)


def instant(value: str) -> dt.datetime:
    """A NOT NULL timestamp column back to an aware UTC datetime."""
    return dt.datetime.fromisoformat(value).astimezone(UTC)


def date_(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def parse_day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def flag(value: bool | None) -> int | None:
    return None if value is None else int(bool(value))


def parse_flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return ts(value) if value.tzinfo else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return fields_of(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def fields_of(value: Any) -> dict[str, Any]:
    """A dataclass instance as {field: value}, one level deep: the JSON encoder comes back here
    for nested dataclasses, so the text is the one ``dataclasses.asdict`` gives, without its deep
    copy of every value (an audit row per booking made that copy a large part of a booking)."""
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    return {name: getattr(value, name) for name in names}


_ENCODER = json.JSONEncoder(default=_default, ensure_ascii=False, sort_keys=True)


def to_json(value: Any) -> str:
    return _ENCODER.encode(value)


def from_json(value: str | None) -> Any:
    return None if value is None else json.loads(value)
