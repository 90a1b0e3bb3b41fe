"""The OpenAPI document and the error catalogue tell the same story, and every operation has its handler."""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml

import generated.routes

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "specs" / "openapi.yaml").read_text(encoding="utf-8"))
CATALOGUE = {e["fejlkode"]: e for e in yaml.safe_load((ROOT / "specs" / "errors.yaml").read_text())["errors"]}
OPERATIONS = {op["operationId"]: op for item in SPEC["paths"].values() for op in item.values()
              if isinstance(op, dict) and "operationId" in op}


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_listed_codes_match_the_catalogue(operation_id: str) -> None:
    listed = set(OPERATIONS[operation_id]["x-fejlkoder"])
    in_catalogue = {code for code, e in CATALOGUE.items() if operation_id in (e.get("operationer") or ())}
    assert listed == in_catalogue, (listed - in_catalogue, in_catalogue - listed)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_code_has_its_status_documented_and_every_error_status_a_code(operation_id: str) -> None:
    op = OPERATIONS[operation_id]
    documented = {int(s) for s in op["responses"] if int(s) >= 400}
    needed = {CATALOGUE[c]["http_status"] for c in op["x-fejlkoder"]}
    assert needed == documented, (needed - documented, documented - needed)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_routes_to_its_handler(operation_id: str) -> None:
    _method, _path, target = generated.routes.OPERATIONS[operation_id]
    module, function = target.rsplit(".", 1)
    handler: Any = getattr(importlib.import_module(module), function)
    assert callable(handler) and handler.__module__ == module, target


def test_the_spec_lists_all_fourteen_operations_of_the_issue() -> None:
    assert set(OPERATIONS) == {
        "GetBorgerstatus", "GetSelvbookingMoedetilbud", "GetSelvbookingMoedetider", "CreateSelvbooking",
        "CreateOmbooking", "DeleteBooking", "SaveIndkaldelsesaccept", "GetOmbookingSagsbehandlere",
        "GetOmbookingMoedetider", "GetBookings", "GetStraksbookingMoedetider", "CreateStraksbooking",
        "CreateFejlmelding", "StraksbookOgTilmeld"}
    assert OPERATIONS["GetBookings"].get("deprecated") is True
