"""The ceiling: the same stack (connexion 3 FlaskApp on uvicorn) with one operation that returns a
precomputed response, byte for byte a real timeslot-search answer (``BENCH_BARE_PAYLOAD`` names the
file; without it, a JSON document of ``BENCH_BARE_BYTES`` bytes).

    BENCH_BARE_PAYLOAD=body.json uvicorn bench.bare_app:app --workers 2

The operation takes the same header and query parameters as GetSelvbookingMoedetider, so connexion
routes and validates a request of the same shape, but no handler work, store or planner runs.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import connexion
import flask

BARE_PATH = "/v1/bare/moedetilbud/{moedetilbudId}/moedetider"

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "bench bare endpoint", "version": "1.0.0"},
    "paths": {
        "/bare/moedetilbud/{moedetilbudId}/moedetider": {
            "get": {
                "operationId": "bench.bare_app.moedetider",
                "parameters": [
                    {"name": "x-civilRegistrationIdentifier", "in": "header", "required": True,
                     "schema": {"type": "string", "pattern": "^[0-9]{10}$"}},
                    {"name": "moedetilbudId", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "startMoedetidsinterval", "in": "query", "required": True, "schema": {"type": "string"}},
                    {"name": "slutMoedetidsinterval", "in": "query", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "the precomputed answer",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }
        }
    },
}


def _payload() -> bytes:
    path = os.environ.get("BENCH_BARE_PAYLOAD")
    if path:
        return Path(path).read_bytes()
    size = int(os.environ.get("BENCH_BARE_BYTES", "20000"))
    filler = "x" * max(0, size - len('{"filler":""}'))
    return json.dumps({"filler": filler}).encode()


PAYLOAD = _payload()


def moedetider(**_: Any) -> flask.Response:
    return flask.Response(PAYLOAD, status=200, mimetype="application/json")


def create_app() -> connexion.FlaskApp:
    app = connexion.FlaskApp(__name__)
    app.add_api(SPEC, base_path="/v1", strict_validation=True, swagger_ui_options=None)
    return app


app = create_app()
