"""Abuse limits: write rate per client and per citizen (429, 8309, Retry-After) and a cap on how
many future bookings one citizen can hold (8310)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from jobnet.app import create_app
from jobnet.config import Settings
from jobnet.demo import IKKE_TILMELDT, INDKALDT, SELVBOOKER, TILBUD_INFOMOEDE
from jobnet.edge.ratelimit import TokenBucket, WriteLimits
from jobnet.errors import RateLimited
from jobnet.store.ratebuckets import shared_buckets
from tests.support.api import Api, fejl

CPR, OTHER = SELVBOOKER, INDKALDT


@pytest.fixture
def limited(services: Any, tmp_path: Any, auth_dir: Any, token: str, request: Any) -> Any:
    """An API whose services carry the limits the test asks for (indirect parametrization)."""
    asked = dict(request.param)
    if isinstance(asked.get("limits"), WriteLimits):  # fresh buckets for each backend's run, shared on PostgreSQL
        shared = lambda: shared_buckets(services.db)  # noqa: E731
        asked["limits"] = WriteLimits(*(None if b is None else TokenBucket(b.capacity, b.period, b.name, shared)
                                        for b in (asked["limits"].per_client, asked["limits"].per_citizen)))
    app = create_app(Settings(database=tmp_path / "x.db", validate_responses=True, auth_config=auth_dir / "issuers.json"),
                     services=replace(services, **asked))
    with app.test_client() as client:
        yield Api(client, token)


def report(api: Api, cpr: str) -> Any:
    return api.post("/fejlmelding", cpr, json={"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T09:00:00+01:00"})


def sessions(db: Any) -> list[str]:
    import datetime as dt

    from jobnet.clock import COPENHAGEN

    rows = db.conn.execute("SELECT start FROM planner_faellesmoeder WHERE moedetilbud_id = ? AND ledige_pladser > 1 ORDER BY start",
                           [TILBUD_INFOMOEDE]).fetchall()
    return [dt.datetime.fromisoformat(r[0]).astimezone(COPENHAGEN).isoformat() for r in rows]


@pytest.mark.parametrize("limited", [{"limits": WriteLimits(None, TokenBucket(2, 60))}], indirect=True)
def test_a_citizen_is_limited_and_told_when_to_retry(demo: Any, limited: Api) -> None:
    assert [report(limited, CPR).status_code for _ in range(2)] == [204, 204]
    response = report(limited, CPR)
    fejl(response, 8309, 429)
    assert 1 <= int(response.headers["Retry-After"]) <= 30
    assert report(limited, OTHER).status_code == 204  # another citizen is not held back
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == (3,)


@pytest.mark.parametrize("limited", [{"limits": WriteLimits(TokenBucket(3, 60), None)}], indirect=True)
def test_a_client_is_limited_across_citizens(demo: Any, limited: Api) -> None:
    assert [report(limited, c).status_code for c in (CPR, OTHER, CPR)] == [204, 204, 204]
    fejl(report(limited, OTHER), 8309, 429)
    assert limited.get("/borgerstatus", CPR).status_code == 200  # reads are not rate limited


@pytest.mark.parametrize("limited", [{"max_future_bookings": 1}], indirect=True)
def test_a_cap_on_future_bookings(demo: Any, limited: Api) -> None:
    first, second = sessions(demo)[:2]
    book = lambda start: limited.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", IKKE_TILMELDT,  # noqa: E731 - a one-line helper
                                      json={"moedeStarttidspunkt": start, "samtaleformType": 1})
    assert book(first).status_code == 201
    seats = demo.conn.execute("SELECT sum(ledige_pladser) FROM planner_faellesmoeder").fetchone()
    fejl(book(second), 8310, 409)
    assert demo.conn.execute("SELECT count(*) FROM bookinger WHERE cpr = '0909951234'").fetchone() == (1,)
    assert demo.conn.execute("SELECT sum(ledige_pladser) FROM planner_faellesmoeder").fetchone() == seats  # undone


def test_the_bucket_refills_evenly() -> None:
    bucket = TokenBucket(2, 10)
    bucket.take("k", now=0.0)
    bucket.take("k", now=0.0)
    with pytest.raises(RateLimited) as info:
        bucket.take("k", now=1.0)
    assert info.value.retry_after == 4  # one token per 5 s; 4 s to go
    bucket.take("k", now=5.0)
    default = TokenBucket.parse(None, "20/60")
    assert TokenBucket.parse("off", "1/1") is None and (default.capacity, default.period) == (20, 60.0)
