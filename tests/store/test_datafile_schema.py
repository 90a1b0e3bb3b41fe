"""specs/datafile.schema.json, the published record shapes of the data file, is what the loader reads:
the same fields per record, the same required ones, the same types, patterns, bounds and choices."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jobnet.clock import FixedClock
from jobnet.demo import demo_data
from jobnet.loader import load, read_file
from jobnet.store import Database
from tests.support.clock import START, TODAY
from tests.support.fieldspy import ALL_BRANCHES, spy
from tests.support.store import SEALER

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "specs" / "datafile.schema.json").read_text(encoding="utf-8"))
TYPES = {"text": "string", "integer": "integer", "number": "number", "boolean": "boolean", "instant": "string",
         "date": "string", "clock_time": "string", "integers": "array"}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value


def _files() -> list[dict[str, Any]]:
    demo = json.loads(json.dumps(demo_data(TODAY), default=_jsonable))
    return [demo, read_file(ROOT / "examples" / "datafile.yaml"), ALL_BRANCHES]


@pytest.fixture(scope="module")
def reads(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], list[tuple[str, dict[str, Any]]]]:
    found: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    with spy() as calls:
        for i, data in enumerate(_files()):
            db = Database(tmp_path_factory.mktemp(f"f{i}") / "j.db",
                          clock=FixedClock(START), sealer=SEALER)
            db.migrate()
            load(db, data)
            db.close()
        for record, field, method, params in calls:
            found.setdefault((record, field), []).append((method, params))
    return found


def _prop(record: str, field: str) -> dict[str, Any]:
    return SCHEMA["$defs"][record]["properties"][field]


def _types(prop: dict[str, Any]) -> set[str]:
    t = prop.get("type", [])
    return {t} if isinstance(t, str) else set(t)


def test_the_schema_is_a_json_schema_and_the_files_we_ship_follow_it() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for data in _files():
        assert [e.message for e in validator.iter_errors(data)] == []
    assert list(validator.iter_errors({"borgere": [{"cpr": "0101901234", "ukendt": 1}]}))  # unknown field
    assert list(validator.iter_errors({"naboer": []}))  # unknown section


def test_the_loader_reads_exactly_the_fields_of_the_schema(reads: dict[tuple[str, str], Any]) -> None:
    declared = {(record, field) for record, d in SCHEMA["$defs"].items() for field in d["properties"]}
    assert set(reads) == declared
    assert set(SCHEMA["properties"]) == {record for record in SCHEMA["$defs"] if "." not in record}


def test_required_types_patterns_bounds_and_choices_agree(reads: dict[tuple[str, str], Any]) -> None:
    for (record, field), uses in reads.items():
        prop, where = _prop(record, field), f"{record}.{field}"
        required = field in SCHEMA["$defs"][record].get("required", [])
        # required in the schema: required in every read (a field some records need, e.g. samtaletype of a
        # booking without an offer, is optional in the schema; kontaktgrupper is read only when given)
        typed = [p["required"] for m, p in uses if m != "raw" and "required" in p]
        always = typed or [p["required"] for m, p in uses if m == "raw"]  # a field read raw: its raw reads
        if field != "kontaktgrupper":
            assert (bool(always) and all(always)) == required, where
        for method, p in uses:
            if method in ("raw", "mapping", "records"):
                continue
            assert method == "choice" or TYPES[method] in _types(prop), where
            if method == "text":
                assert prop.get("pattern") == (p["pattern"].pattern if p["pattern"] is not None else None), where
                assert prop.get("maxLength") == p["max_len"], where
            if method == "integer":  # ledige_pladser's maximum is its session's antal_pladser
                maximum = None if where == "moedetilbud.moedetider.ledige_pladser" else p["maximum"]
                assert (prop.get("minimum"), prop.get("maximum")) == (p["minimum"], maximum), where
            if method == "integers":
                assert (prop["items"].get("minimum"), prop["items"].get("maximum")) == (p["minimum"], p["maximum"]), where
            if method == "choice":
                assert [c for c in prop["enum"] if c is not None] == list(p["choices"]), where
            if method in ("instant", "date"):
                assert prop["format"] == ("date-time" if method == "instant" else "date"), where


def test_a_file_the_schema_refuses_the_loader_refuses(tmp_path: Path) -> None:
    from jobnet.errors import LoadError

    bad = {"borgere": [{"cpr": "01019012", "jobcenter": None}]}  # too short for the pattern
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert list(validator.iter_errors(bad))
    db = Database(tmp_path / "j.db", sealer=SEALER)
    db.migrate()
    with pytest.raises(LoadError, match=r"borgere\[0\].cpr: must be a CPR number of 10 digits"):
        load(db, bad)
