"""Where the contract's files are, and the facts the code takes from them rather than restating.

``SPECS`` is ``specs/`` beside the package in the repository (and an editable install), or
``<prefix>/share/jobnet-selvbooking/specs`` in an installed copy (pyproject.toml's data-files).
"""
from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_HERE = Path(__file__).resolve().parent


def _specs_dir() -> Path:
    for candidate in (_HERE.parent / "specs", Path(sys.prefix) / "share" / "jobnet-selvbooking" / "specs"):
        if (candidate / "openapi.yaml").is_file():
            return candidate
    raise RuntimeError(f"specs/ not found beside {_HERE} nor under {sys.prefix}/share (a broken installation)")


SPECS = _specs_dir()


@cache
def openapi() -> dict[str, Any]:
    """specs/openapi.yaml as data (read once)."""
    found: dict[str, Any] = yaml.safe_load((SPECS / "openapi.yaml").read_text(encoding="utf-8"))
    return found


@cache
def pattern(schema: str, prop: str) -> re.Pattern[str]:
    """The ``pattern`` of property ``prop`` of ``components.schemas[schema]`` in the OpenAPI document."""
    found: str = openapi()["components"]["schemas"][schema]["properties"][prop]["pattern"]
    return re.compile(found)
