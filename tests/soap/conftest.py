"""Fixtures of the SOAP tests: one misbehaving planner (tests.support.soap.FakePlanner) per module."""
from tests.support.soap import fake  # noqa: F401  (the fixture)
