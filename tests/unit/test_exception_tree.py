"""One exception tree (jobnet/errors.py): no other module defines an exception class, and code
that must know whether the planner made a change tells it by type, not by a set of codes."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generated.errors import Fejlkode
from jobnet import errors

ROOT = Path(__file__).resolve().parents[2]


def _exception_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = {b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in node.bases}
            if any(b.endswith(("Error", "Exception")) or b in {"Fejl", "JobnetError", "LookupError"} for b in bases):
                found.append(node.name)
    return found


def test_no_module_but_jobnet_errors_defines_an_exception() -> None:
    outside = {str(p.relative_to(ROOT)): _exception_classes(p)
               for d in ("jobnet", "handlers", "bench") for p in (ROOT / d).rglob("*.py")
               if p != ROOT / "jobnet" / "errors.py"}
    assert {p: c for p, c in outside.items() if c} == {}


def test_every_exception_of_the_service_is_a_jobnet_error() -> None:
    for name in ("Fejl", "RateLimited", "PlannerError", "PlannerOutcomeUnknown", "PlannerDataInvalid",
                 "ContractBreach", "TooSlow", "LoadError", "NotFound", "SealingError"):
        assert issubclass(getattr(errors, name), errors.JobnetError), name
    # what callers caught before still catches them
    assert issubclass(errors.LoadError, ValueError) and issubclass(errors.NotFound, LookupError)
    assert issubclass(errors.SealingError, RuntimeError) and issubclass(errors.RateLimited, errors.Fejl)


def test_an_unknown_planner_outcome_is_a_type_with_exactly_its_three_codes() -> None:
    for code in (Fejlkode.INGEN_KONTAKT_MED_PLANNER, Fejlkode.PLANNERFEJL, Fejlkode.KONTRAKTBRUD):
        assert isinstance(errors.PlannerOutcomeUnknown(code), errors.PlannerError)
    with pytest.raises(ValueError):
        errors.PlannerOutcomeUnknown(Fejlkode.TID_IKKE_LEDIG)


def test_the_soap_seam_raises_unknown_outcomes_by_type() -> None:
    import httpx

    from jobnet.planner.soap import faults

    with pytest.raises(errors.PlannerOutcomeUnknown) as caught, faults.seam():
        raise httpx.ConnectError("refused")
    assert caught.value.fejlkode == Fejlkode.INGEN_KONTAKT_MED_PLANNER
    with pytest.raises(errors.PlannerOutcomeUnknown) as caught, faults.seam():
        raise errors.ContractBreach("not XML")
    assert caught.value.fejlkode == Fejlkode.KONTRAKTBRUD
