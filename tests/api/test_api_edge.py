"""The HTTP edge: unknown paths and methods, size limits, control characters, internal errors and
the published documents. Every error is a catalogue body."""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import anyio
import pytest
import yaml

from jobnet.demo import BOOKING_INDKALDT, SELVBOOKER, TILBUD_INFOMOEDE
from tests.support.api import fejl

SPECS = Path(__file__).resolve().parents[2] / "specs"
BORGER = SELVBOOKER
LIMIT = 64 * 1024



def headers(**extra: str) -> dict[str, str]:
    return {"x-civilRegistrationIdentifier": BORGER, "x-requestId": str(uuid.uuid4()), **extra}


# --- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/ukendt", "/v1/borgerstatus/ekstra", "/v2/borgerstatus", "/",
                                  "/v1/selvbooking/moedetilbud/x/y/z", "/v1/specs/hemmelig.txt"])
def test_an_unknown_path_is_8303(api: Any, demo: Any, path: str) -> None:
    body = fejl(api.client.get(path, headers=headers()), 8303, 404)
    assert body["fejltekst"] == "Den forespurgte ressource findes ikke"


@pytest.mark.parametrize("method, path, allowed", [
    ("PUT", "/v1/borgerstatus", {"GET"}),
    ("POST", "/v1/bookinger", {"GET"}),
    ("GET", "/v1/fejlmelding", {"POST"}),
    ("PATCH", f"/v1/indkaldelse/{BOOKING_INDKALDT}", {"DELETE"}),
    ("GET", f"/v1/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", {"POST"}),
])
def test_a_wrong_method_is_8304_with_allow(api: Any, demo: Any, method: str, path: str, allowed: set[str]) -> None:
    r = api.client.request(method, path, headers=headers())
    fejl(r, 8304, 405)
    assert allowed <= {m.strip() for m in r.headers["allow"].split(",")}
    assert method not in r.headers["allow"]


def test_a_wrong_method_changes_nothing(api: Any, demo: Any) -> None:
    fejl(api.client.put(f"/v1/indkaldelse/{BOOKING_INDKALDT}/action/accepter", headers=headers()), 8304, 405)
    assert demo.conn.execute("SELECT accepteret FROM bookinger WHERE indkaldelse_id = ?",
                             [BOOKING_INDKALDT]).fetchone() == (0,)


# --- size limits --------------------------------------------------------------------------------


def big_report(size: int) -> bytes:
    head = b'{"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T08:00:00+01:00", "fejltekst": "'
    return head + b"x" * (size - len(head) - 2) + b'"}'


def test_a_body_over_64_kib_is_8306(api: Any, demo: Any) -> None:
    r = api.client.post("/v1/fejlmelding", content=big_report(LIMIT + 1),
                        headers=headers(**{"content-type": "application/json"}))
    fejl(r, 8306, 413)
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == (0,)


def asgi_post(app: Any, path: str, chunks: list[bytes], extra: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """Call the app as ASGI with the body in ``chunks`` (the test client cannot send such requests)."""
    pending = list(chunks)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if pending:
            return {"type": "http.request", "body": pending.pop(0), "more_body": bool(pending)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "server": ("testserver", 80), "client": ("127.0.0.1", 1),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers(**extra).items()]}
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body) if body else {}


def test_a_chunked_json_body_is_accepted(app: Any, demo: Any, token: str) -> None:
    """connexion 3.3 alone takes a body without content-length for none ('RequestBody is required');
    the size guard reads it whole and passes it on with its length."""
    report = b'{"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T08:00:00+01:00"}'
    status, body = asgi_post(app, "/v1/fejlmelding", [report[:30], report[30:]],
                             {"content-type": "application/json", "transfer-encoding": "chunked",
                              "authorization": f"Bearer {token}"})
    assert status == 204, body
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == (1,)


def test_a_chunked_body_over_64_kib_is_8306_while_its_chunks_arrive(app: Any, demo: Any, token: str) -> None:
    """Without a content-length, the limit holds while the chunks arrive. (A declared length within
    the limit is the server's to keep: tests/system/test_server_limits.py sends more than it declares.)"""
    data = big_report(LIMIT + 4096)
    chunks = [data[i:i + 8192] for i in range(0, len(data), 8192)]
    status, body = asgi_post(app, "/v1/fejlmelding", chunks, {"content-type": "application/json",
                                                              "authorization": f"Bearer {token}",
                                                              "transfer-encoding": "chunked"})
    assert (status, body["fejlkode"]) == (413, 8306), body
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == (0,)


def test_a_length_and_a_transfer_coding_together_are_1014(app: Any, demo: Any, token: str) -> None:
    report = b'{"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T08:00:00+01:00"}'
    status, body = asgi_post(app, "/v1/fejlmelding", [report], {
        "content-type": "application/json", "authorization": f"Bearer {token}", "transfer-encoding": "chunked",
        "content-length": str(len(report))})
    assert (status, body["fejlkode"]) == (400, 1014), body
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == (0,)


def test_a_body_of_exactly_64_kib_is_read_and_validated(api: Any, demo: Any) -> None:
    r = api.client.post("/v1/fejlmelding", content=big_report(LIMIT),
                        headers=headers(**{"content-type": "application/json"}))
    fejl(r, 1014, 400)  # read, then refused by the schema: fejltekst is at most 500 characters


def test_oversized_headers_are_8306(api: Any, demo: Any) -> None:
    fejl(api.client.get("/v1/borgerstatus", headers=headers(**{"x-fyld": "x" * (17 * 1024)})), 8306, 413)


# --- the path -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["%0A", "%00", "%7F", "%1B", "abc%0D%0Aset-cookie:x"])
def test_a_control_character_in_the_path_is_1014(api: Any, demo: Any, raw: str) -> None:
    fejl(api.client.get(f"/v1/indkaldelse/{raw}/ombooking/sagsbehandlere", headers=headers()), 1014, 400)


def test_a_control_character_in_a_write_path_changes_nothing(api: Any, demo: Any) -> None:
    fejl(api.client.delete(f"/v1/indkaldelse/{BOOKING_INDKALDT}%0A", headers=headers()), 1014, 400)
    assert demo.conn.execute("SELECT state FROM bookinger WHERE indkaldelse_id = ?",
                             [BOOKING_INDKALDT]).fetchone() == ("active",)


# --- an unexpected failure ------------------------------------------------------------------------


def test_an_internal_error_is_8305_without_details(api: Any, demo: Any, monkeypatch: Any) -> None:
    import handlers.borgerstatus

    def boom(ctx: Any) -> Any:
        raise RuntimeError("secret stack detail")

    monkeypatch.setattr(handlers.borgerstatus, "get_borgerstatus", boom)
    body = fejl(api.client.get("/v1/borgerstatus", headers=headers()), 8305, 500)
    assert "secret" not in json.dumps(body)


def test_an_internal_error_on_a_write_releases_the_request_id(api: Any, demo: Any, monkeypatch: Any) -> None:
    import handlers.fejlmelding

    real = handlers.fejlmelding.create_fejlmelding
    monkeypatch.setattr(handlers.fejlmelding, "create_fejlmelding", lambda ctx, body: 1 / 0)
    sent = headers(**{"content-type": "application/json"})
    report = b'{"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T08:00:00+01:00"}'
    fejl(api.client.post("/v1/fejlmelding", content=report, headers=sent), 8305, 500)
    monkeypatch.setattr(handlers.fejlmelding, "create_fejlmelding", real)
    assert api.client.post("/v1/fejlmelding", content=report, headers=sent).status_code == 204


# --- published documents ------------------------------------------------------------------------


def test_swagger_ui(api: Any) -> None:
    r = api.client.get("/v1/ui/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "swagger" in r.text.lower()


def test_the_openapi_document(api: Any) -> None:
    r = api.client.get("/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    source = yaml.safe_load((SPECS / "openapi.yaml").read_text(encoding="utf-8"))
    assert spec["openapi"] == "3.0.3" and spec["info"]["version"] == source["info"]["version"]
    assert set(spec["paths"]) == set(source["paths"])


@pytest.mark.parametrize("name, media", [("errors.yaml", "application/yaml"), ("codelists.yaml", "application/yaml"),
                                         ("jobnet-booking.xsd", "application/xml"),
                                         ("datafile.schema.json", "application/schema+json")])
def test_the_published_specs(api: Any, name: str, media: str) -> None:
    r = api.client.get(f"/v1/specs/{name}")
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert r.content == (SPECS / name).read_bytes()


def test_the_published_error_catalogue_parses(api: Any) -> None:
    catalogue = yaml.safe_load(api.client.get("/v1/specs/errors.yaml").text)
    assert {e["fejlkode"] for e in catalogue["errors"]} >= {1014, 8303, 8304, 8305, 8306}


@pytest.mark.parametrize("name", ["..%2Fopenapi.yaml", "%2E%2E%2Fpyproject.toml", "..%5Cerrors.yaml"])
def test_the_specs_route_does_not_leave_its_folder(api: Any, name: str) -> None:
    assert api.client.get(f"/v1/specs/{name}").status_code == 404
