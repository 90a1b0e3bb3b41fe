"""Schemathesis checks for the service's conventions (registered once; imported by the fuzz tests).

- every error is the catalogue body, and 400 always carries fejlkode 1014;
- a request the schema accepts is never rejected with 1014, unless it breaks one of the
  documented rules the schema cannot express (the search interval, the body CPR of
  StraksbookOgTilmeld that must equal the header, and instants and dates in the years 1900-2999);
- nothing answers 500.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import schemathesis

from jobnet.clock import FIRST_YEAR, LAST_YEAR

MAX_SEARCH_DAYS = 93
CPR_HEADER = "x-civilRegistrationIdentifier"


def _is_positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _json(response: Any) -> Any:
    try:
        return response.json()
    except Exception:  # noqa: BLE001 - any non-JSON body fails the checks below
        return None


def _instant(value: Any) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value).upper())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


_DATE_LIKE = re.compile(r"([0-9]{4})-[0-9]{2}-[0-9]{2}(T.*)?")


def _outside_the_years(value: Any) -> bool:
    """Whether any date or date-time in ``value`` (walked) lies outside the accepted years."""
    if isinstance(value, dict):
        return any(_outside_the_years(v) for v in value.values())
    if isinstance(value, list):
        return any(_outside_the_years(v) for v in value)
    m = _DATE_LIKE.fullmatch(value) if isinstance(value, str) else None
    return m is not None and not FIRST_YEAR <= int(m[1]) <= LAST_YEAR


def breaks_cross_field_rule(case: Any) -> bool:
    if _outside_the_years(case.body) or _outside_the_years(case.query or {}):
        return True
    query = case.query or {}
    start, slut = query.get("startMoedetidsinterval"), query.get("slutMoedetidsinterval")
    if start is not None or slut is not None:
        s, e = _instant(start), _instant(slut)
        if s is not None and e is not None and (e <= s or e - s > dt.timedelta(days=MAX_SEARCH_DAYS)):
            return True
    body = case.body if isinstance(case.body, dict) else {}
    tilmelding = body.get("tilmeldingOgBooking")
    return bool(isinstance(tilmelding, dict) and tilmelding.get("personnummer") != (case.headers or {}).get(CPR_HEADER))


@schemathesis.check
def catalogue_error_body(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code < 400:
        return
    body = _json(response)
    assert isinstance(body, dict) and set(body) == {"fejlkode", "fejltekst", "beskrivelse"}, body
    assert isinstance(body["fejlkode"], int), body
    if response.status_code == 400:
        assert body["fejlkode"] == 1014, body


@schemathesis.check
def valid_request_not_rejected_as_invalid(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code == 400 and _is_positive(case) and not breaks_cross_field_rule(case):
        raise AssertionError(f"A request valid per the schema got 1014: {_json(response)}")


@schemathesis.check
def never_500(ctx: Any, response: Any, case: Any) -> None:
    assert response.status_code != 500, _json(response)
