"""The contract as written is what is published: /v1/openapi.yaml is specs/openapi.yaml byte for byte,
and /v1/openapi.json is the same document (with its $refs and components), not an inlined copy."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = (ROOT / "specs" / "openapi.yaml").read_bytes()


def test_the_served_yaml_is_the_repositorys_file(module_app: Any) -> None:
    with module_app.test_client() as client:
        response = client.get("/v1/openapi.yaml")
    assert response.status_code == 200
    assert response.content == WRITTEN


def test_the_served_json_is_the_repositorys_document(module_app: Any) -> None:
    with module_app.test_client() as client:
        response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served == yaml.safe_load(WRITTEN)
    assert "$ref" in response.text and len(served["components"]["schemas"]) >= 30
