"""Privacy in operation: one JSON log line per request, and never a CPR number in clear text."""
from __future__ import annotations

import json
import logging

import pytest

from jobnet.demo import SELVBOOKER
from jobnet.logs import JsonFormatter

CPR = SELVBOOKER


def test_one_json_line_per_request_without_the_cpr(demo: object, api: object, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, so a CPR leaking through any of them is caught
    api.get("/borgerstatus", CPR)  # type: ignore[attr-defined]  # the fixture is typed object
    api.get("/borgerstatus", "31129912x4")  # type: ignore[attr-defined]  # the fixture is typed object  # invalid: echoed in 1014 detail
    api.post("/selvbooking/moedetilbud/00000000-0000-4000-8000-000000000000/booking", CPR,  # type: ignore[attr-defined]  # the fixture is typed object
             json={"moedeStarttidspunkt": "2026-12-02T09:00:00+01:00"}, request_id="req-1")
    records = [r for r in caplog.records if r.name == "jobnet.access"]
    access = [json.loads(JsonFormatter().format(r)) for r in records]  # the line as it is written
    assert [(e["operation"], e["status"]) for e in access] == [
        ("GetBorgerstatus", 200), ("GetBorgerstatus", 400), ("CreateSelvbooking", 404)]
    assert access[2]["request_id"] == "req-1" and access[0]["duration_ms"] >= 0
    assert access[0]["citizen"] == access[2]["citizen"] != CPR
    assert access[0]["client"] == "https://idp.demo.jobnet.local jobnet" and access[1]["client"] is None  # 400: before
    assert {"time", "level", "logger", "message"} <= set(access[0]) and access[0]["time"].endswith("Z")
    everything = caplog.text + "\n".join(r.getMessage() + JsonFormatter().format(r) for r in caplog.records)
    assert CPR not in everything and "31129912x4" not in everything


def test_the_operation_is_logged_when_the_server_gives_no_extensions(demo: object, app: object, token: str,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """uvicorn's scope has no "extensions" (the test client's has): the operation must still show."""
    import asyncio

    caplog.set_level(logging.INFO, logger="jobnet.access")
    scope = {"type": "http", "method": "GET", "path": "/v1/borgerstatus", "raw_path": b"/v1/borgerstatus",
             "root_path": "", "scheme": "http", "query_string": b"", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 1), "http_version": "1.1", "asgi": {"version": "3.0"},
             "headers": [(b"x-civilregistrationidentifier", CPR.encode()), (b"authorization", f"Bearer {token}".encode())]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[operator]  # the app fixture is typed object
    (entry,) = [r.access for r in caplog.records if r.name == "jobnet.access"]  # type: ignore[attr-defined]
    assert (entry["operation"], entry["status"]) == ("GetBorgerstatus", 200)
