"""Provenance in the contract: every operation, parameter and property of specs/openapi.yaml says
whether it is STAR's (x-kilde: star), a proposal for something STAR's specification lost or left
open (forslag) or an addition of this implementation (udvidelse); the reason of the last two is
shown in the description, and constraints STAR does not give are marked too. The catalogues carry
the same three words."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jobnet.docs.provenance import KILDER, entries

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "specs" / "openapi.yaml").read_text(encoding="utf-8"))
KEYWORDS = {"minimum", "maximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "interval"}


def _operations() -> list[tuple[str, dict[str, Any]]]:
    return [(op["operationId"], op) for item in SPEC["paths"].values() for op in item.values()]


def _properties() -> list[tuple[str, dict[str, Any]]]:
    return [(f"{s}.{p}", prop) for s, schema in SPEC["components"]["schemas"].items()
            for p, prop in (schema.get("properties") or {}).items()]


def _parameters() -> list[tuple[str, dict[str, Any]]]:
    return list(SPEC["components"]["parameters"].items())


def _check(where: str, node: dict[str, Any]) -> None:
    kilde = node.get("x-kilde")
    assert kilde in KILDER, (where, kilde)
    description = str(node.get("description", ""))
    if kilde != "star":
        assert f"Kilde: {kilde} — " in description, (where, description)
    for keyword, constraint_kilde in (node.get("x-kilde-begraensninger") or {}).items():
        assert keyword in KEYWORDS and constraint_kilde in ("forslag", "udvidelse"), (where, keyword)
        assert keyword == "interval" or keyword in node or keyword in node.get("schema", {}), (where, keyword)
        assert f"Begrænsning {keyword} ({constraint_kilde}): " in description, (where, keyword)


@pytest.mark.parametrize(("where", "node"), _operations() + _parameters() + _properties(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_operation_parameter_and_property_has_its_kilde(where: str, node: dict[str, Any]) -> None:
    _check(where, node)


def test_the_checker_refuses_a_missing_or_unexplained_kilde() -> None:
    with pytest.raises(AssertionError):
        _check("x", {"description": "d"})
    with pytest.raises(AssertionError):
        _check("x", {"x-kilde": "forslag", "description": "no reason"})
    with pytest.raises(AssertionError):
        _check("x", {"x-kilde": "star", "minimum": 1, "x-kilde-begraensninger": {"minimum": "udvidelse"}})


def test_known_inventions_are_marked() -> None:
    ops = dict(_operations())
    props = dict(_properties())
    assert ops["CreateStraksbooking"]["x-kilde"] == "udvidelse"
    assert ops["GetSelvbookingMoedetider"]["x-kilde"] == "star"
    assert props["Moedetilbud.varighedMinutter"]["x-kilde-begraensninger"] == {"minimum": "udvidelse"}
    assert props["Indkalder.organisationskode"]["x-kilde-begraensninger"] == {"maximum": "forslag"}
    assert props["GetBorgerstatusResponse.kanSelvbooke"]["x-kilde"] == "star"
    assert SPEC["components"]["parameters"]["StartMoedetidsinterval"]["x-kilde-begraensninger"] == {
        "interval": "udvidelse"}


def test_the_provenance_page_lists_every_thing_not_stars_and_counts_all() -> None:
    listed = entries()
    counts = {k: sum(1 for e in listed if e.kilde == k) for k in KILDER}
    not_star = [e for e in listed if e.kilde != "star"]
    assert all(e.grund for e in not_star)
    kinds = {e.art for e in listed}
    assert {"operation", "parameter", "egenskab", "begrænsning", "fejlkode", "kodelisteværdi"} <= kinds
    assert counts["star"] and counts["forslag"] and counts["udvidelse"]
    assert sum(1 for e in listed if e.art == "fejlkode") == 77
