"""A client nobody here wrote: openapi-python-client generates a Python client from the document the
real server process serves at /v1/openapi.json, without a warning and with one model class per
schema of specs/openapi.yaml, and drives the self-booking flow through it (status, offers, times,
book, rebook, cancel); an error answer decodes into the one shared error class, Fejl."""
from __future__ import annotations

import ast
import datetime as dt
import importlib
import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from jobnet.clock import COPENHAGEN
from jobnet.demo import SELVBOOKER, UDEN_PLANNER
from tests.support.server import TOKEN

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = yaml.safe_load((ROOT / "specs" / "openapi.yaml").read_text(encoding="utf-8"))["components"]["schemas"]
CPR = SELVBOOKER


class Generated:
    def __init__(self, root: Path, package: str, output: str) -> None:
        self.root, self.package, self.output = root, package, output

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{name}")

    def model_classes(self) -> list[str]:
        found = []
        for path in sorted((self.root / self.package / "models").glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        return found


@pytest.fixture(scope="module")
def generated(server: str, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    work = tmp_path_factory.mktemp("client")
    document = work / "openapi.json"
    document.write_bytes(httpx.get(f"{server}/v1/openapi.json", timeout=10).content)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(Path(sys.executable).parent / "openapi-python-client"), "generate", "--path",
                           str(document), "--output-path", str(work / "out"), "--overwrite"],
                          check=False, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (package,) = [p.name for p in (work / "out").iterdir() if (p / "client.py").exists()]
    sys.path.insert(0, str(work / "out"))
    return Generated(work / "out", package, done.stdout + done.stderr)


def test_generation_gives_no_warning_and_one_class_per_schema(generated: Generated) -> None:
    assert "warning" not in generated.output.lower(), generated.output
    classes = generated.model_classes()
    print(f"generated client: {len(classes)} model classes for {len(SCHEMAS)} schemas")
    assert sorted(classes) == sorted(SCHEMAS), sorted(set(classes) ^ set(SCHEMAS))


def _call(generated: Generated, operation: str, **kwargs: Any) -> Any:
    tag, name = operation.split(".")
    client = generated.module("client").AuthenticatedClient(
        base_url=kwargs.pop("base_url"), token=TOKEN["Authorization"].removeprefix("Bearer "),
        raise_on_unexpected_status=True)
    with client as c:
        return generated.module(f"api.{tag}.{name}").sync_detailed(client=c, **kwargs)


def test_the_self_booking_flow_through_the_generated_client(server: str, generated: Generated) -> None:
    base = f"{server}/v1"
    m = generated.module("models")
    who = {"base_url": base, "x_civil_registration_identifier": CPR}
    status = _call(generated, "borgerstatus.get_borgerstatus", **who).parsed
    assert isinstance(status, m.GetBorgerstatusResponse) and status.kan_selvbooke
    offers = _call(generated, "selvbooking.get_selvbooking_moedetilbud", **who).parsed
    offer = next(o for o in offers.moedetilbud_samling if o.samtale_type == 7 and o.sagsbehandler_kan_vaelges)
    start = dt.datetime.now(COPENHAGEN).replace(microsecond=0) + dt.timedelta(hours=1)
    times = _call(generated, "selvbooking.get_selvbooking_moedetider", moedetilbud_id=offer.moedetilbud_id,
                  start_moedetidsinterval=start, slut_moedetidsinterval=start + dt.timedelta(days=14), **who).parsed
    movable = [t for t in times.moedetid_samling if t.ombooking_mulig and t.aflysning_mulig]
    first, later = movable[0], movable[-1]
    created = _call(generated, "selvbooking.create_selvbooking", moedetilbud_id=offer.moedetilbud_id,
                    body=m.CreateSelvbookingRequest(moede_starttidspunkt=later.starttidspunkt, samtaleform_type=2),
                    x_request_id=str(uuid.uuid4()), **who)
    assert created.status_code == 201 and isinstance(created.parsed, m.CreateSelvbookingResponse)
    booking = created.parsed.indkaldelse_id
    moved = _call(generated, "indkaldelse.create_ombooking", indkaldelse_id=booking,
                  body=m.CreateOmbookingRequest(moede_starttidspunkt=first.starttidspunkt, samtaleform_type=1),
                  x_request_id=str(uuid.uuid4()), **who)
    assert moved.status_code == 200 and moved.parsed.booking_detaljer.accepteret is True
    cancelled = _call(generated, "indkaldelse.delete_booking", indkaldelse_id=booking,
                      x_request_id=str(uuid.uuid4()), **who)
    assert cancelled.status_code == 204


def test_an_error_answer_decodes_into_the_shared_error_class(server: str, generated: Generated) -> None:
    m = generated.module("models")
    answer = _call(generated, "selvbooking.get_selvbooking_moedetilbud", base_url=f"{server}/v1",
                   x_civil_registration_identifier=UDEN_PLANNER)
    assert answer.status_code == 503 and type(answer.parsed) is m.Fejl
    assert (answer.parsed.fejlkode, answer.parsed.fejltekst) == (9018, "Der er ikke kontakt med jobcentrets bookingsystem")
