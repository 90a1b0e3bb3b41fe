"""The published contract is lint-clean: Redocly's recommended rules and Spectral's spectral:oas
report no error and no warning on the document the service serves at /v1/openapi.json.

The linters are npm packages pinned in tools/lint/package.json (package-lock.json); `make test`
installs them (`make lint-tools`). Without them this test fails and says how to get them."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tools" / "lint"
BIN = LINT / "node_modules" / ".bin"
ENV = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}


def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{path} is missing: run `make lint-tools` (npm ci in tools/lint)"
    return str(path)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, module_app: Any) -> Path:
    with module_app.test_client() as client:
        response = client.get("/v1/openapi.json")
    assert response.status_code == 200, response.text
    path = tmp_path_factory.mktemp("lint") / "openapi.json"
    path.write_bytes(response.content)
    return path


def redocly(document: Path) -> dict[str, int]:
    done = subprocess.run([_tool("redocly"), "lint", "--config", str(LINT / "redocly.yaml"), "--format=json",
                           str(document)], check=False, capture_output=True, text=True, env=ENV, cwd=LINT, timeout=120)
    report = json.loads(done.stdout[done.stdout.index("{"):])
    return {k: int(v) for k, v in report["totals"].items()}


def spectral(document: Path) -> list[dict[str, Any]]:
    done = subprocess.run([_tool("spectral"), "lint", "-r", str(LINT / ".spectral.yaml"), "-f", "json", "-q",
                           "--fail-severity", "hint", str(document)],
                          check=False, capture_output=True, text=True, env=ENV, cwd=LINT, timeout=120)
    text = done.stdout.strip()
    return json.loads(text[text.index("["):]) if "[" in text else []


def test_redocly_recommended_finds_nothing_on_the_served_document(served: Path) -> None:
    totals = redocly(served)
    print("redocly", totals)
    assert (totals["errors"], totals["warnings"]) == (0, 0), totals


def test_spectral_oas_finds_nothing_on_the_served_document(served: Path) -> None:
    results = spectral(served)
    print("spectral", len(results))
    assert results == [], [(r["code"], r["path"], r["message"]) for r in results[:20]]


def test_the_linters_do_report_a_broken_document(tmp_path: Path, served: Path) -> None:
    doc = json.loads(served.read_text(encoding="utf-8"))
    del doc["info"]["license"]
    doc["paths"]["/borgerstatus"]["get"].pop("operationId")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    assert sum(redocly(broken).values()) > 0
    assert spectral(broken)
