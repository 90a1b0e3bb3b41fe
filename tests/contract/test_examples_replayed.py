"""Every request example of specs/openapi.yaml works on the demo data: each operation's request,
built only from the examples beside its parameters and its body, is sent to the service with the
demo data loaded (on the day the examples are written for, conftest.START) and gets the status
the operation documents for it in x-eksempel-status."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "specs" / "openapi.yaml").read_text(encoding="utf-8"))
PARAMETERS = SPEC["components"]["parameters"]
OPERATIONS = {op["operationId"]: (path, method, op) for path, item in SPEC["paths"].items()
              for method, op in item.items()}


def example_request(operation_id: str) -> tuple[str, str, dict[str, str], dict[str, str], Any]:
    """(method, path, headers, query, body) from the examples of the spec alone."""
    path, method, op = OPERATIONS[operation_id]
    headers: dict[str, str] = {}
    query: dict[str, str] = {}
    for ref in op.get("parameters", []):
        p = PARAMETERS[ref["$ref"].rsplit("/", 1)[1]]
        value = str(p["example"])
        if p["in"] == "header":
            headers[p["name"]] = value
        elif p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", value)
        elif p["required"]:
            query[p["name"]] = value
    body = op["requestBody"]["content"]["application/json"]["example"] if "requestBody" in op else None
    return method.upper(), "/v1" + path, headers, query, body


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_the_example_request_gets_its_documented_status(api: Any, demo: Any, operation_id: str) -> None:
    method, path, headers, query, body = example_request(operation_id)
    expected = OPERATIONS[operation_id][2]["x-eksempel-status"]
    assert str(expected) in OPERATIONS[operation_id][2]["responses"], "the status must be documented"
    response = api.client.request(method, path, headers=headers, params=query,
                                  **({"json": body} if body is not None else {}))
    assert response.status_code == expected, (response.status_code, response.text[:500])
    if expected >= 400:
        assert response.json()["fejlkode"] in OPERATIONS[operation_id][2]["x-fejlkoder"]


def test_every_operation_has_a_replayable_example() -> None:
    assert all("x-eksempel-status" in op for _, _, op in OPERATIONS.values())
    for operation_id, (_, _, op) in OPERATIONS.items():
        if "requestBody" in op:
            assert "example" in op["requestBody"]["content"]["application/json"], operation_id
