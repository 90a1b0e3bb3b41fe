"""Tests of the SOAP test helpers themselves (tests/support/soap.py)."""
from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.soap import FakePlanner, envelope, reply, reset, slow


@pytest.fixture(autouse=True)
def fresh(fake: FakePlanner) -> Iterator[None]:
    fake.reset()  # the module's fake starts each test as a new one would
    yield


# --- the helpers themselves ----------------------------------------------------------------------
def test_fake_replies_as_told_and_records_the_operation(fake: FakePlanner) -> None:
    fake.behave(reply(503, "busy", "text/plain"))
    answer = httpx.post(fake.url, content=envelope("<eb:CancelBooking/>"), trust_env=False)
    assert (answer.status_code, answer.text) == (503, "busy")
    assert fake.operations() == ["CancelBooking"]


def test_fake_resets_the_connection(fake: FakePlanner) -> None:
    fake.behave(reset())
    with pytest.raises(httpx.TransportError):
        httpx.post(fake.url, content=envelope("<eb:CancelBooking/>"), trust_env=False)


def test_fake_is_slow_until_closed() -> None:
    planner = FakePlanner()
    planner.behave(slow(30, reply(200, "late")))
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(planner.url, content=b"x", timeout=0.2, trust_env=False)
    started = time.monotonic()
    planner.close()
    assert time.monotonic() - started < 5
