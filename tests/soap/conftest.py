"""Fixtures of the SOAP tests: one misbehaving planner (tests.support.soap.FakePlanner) per module."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.soap import FakePlanner


@pytest.fixture(scope="module")
def fake() -> Iterator[FakePlanner]:
    planner = FakePlanner()
    yield planner
    planner.close()
