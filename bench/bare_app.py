"""The ceilings: the same stack (connexion 3 FlaskApp on uvicorn) with two operations that return a
precomputed response and do nothing else.

- ``GET /v1/bare/moedetilbud/{id}/moedetider``: byte for byte a real timeslot-search answer
  (``BENCH_BARE_PAYLOAD`` names the file; without it, a JSON document of ``BENCH_BARE_BYTES`` bytes),
  with the same header and query parameters as GetSelvbookingMoedetider: the ceiling of a large read.
- ``POST /v1/bare/moedetilbud/{id}/booking``: a small JSON answer (``SMALL``, the size of a booking's
  answer) to a request of CreateSelvbooking's shape (CPR and request id headers, a JSON body checked
  against a schema like the booking's): the ceiling of a write, or of any small answer.

    BENCH_BARE_PAYLOAD=body.json uvicorn bench.bare_app:app --workers 2

connexion routes and validates requests of the same shape, but no handler work, store or planner runs.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import connexion
import flask

BARE_PATH = "/v1/bare/moedetilbud/{moedetilbudId}/moedetider"
SMALL_PATH = "/v1/bare/moedetilbud/{moedetilbudId}/booking"
_CPR = {"name": "x-civilRegistrationIdentifier", "in": "header", "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]{10}$"}}
# the shape and size of a booking's answer (CreateSelvbookingResponse), made up
SMALL = json.dumps({
    "indkaldelseId": "5f0b1c3e-8d2a-4c1e-9b7a-2d4e6f8a0b1c",
    "bookingDetaljer": {
        "moedetilbudId": "JC10101-JOBSAMTALE", "samtaleType": 7, "moedeform": 1,
        "moedeStarttidspunkt": "2026-12-08T10:00:00+01:00", "moedeSluttidspunkt": "2026-12-08T10:30:00+01:00",
        "samtaleformType": 1, "moedetitel": "Jobsamtale", "moedebeskrivelse": "Samtale om dine jobmål",
        "moedested": {"adresse": "Jobcentervej 1", "postnummer": "1000", "by": "København K"},
        "sagsbehandler": {"sagsbehandlerEksterntId": "CW-000123", "fornavn": "Anne", "efternavn": "Jensen"},
        "ombookingMulig": True, "ombookingsfrist": "2026-12-07T10:00:00+01:00",
        "aflysningMulig": True, "aflysningsfrist": "2026-12-07T10:00:00+01:00",
        "moedepligt": True, "borgerSkalAcceptere": False, "erGruppemoede": False,
    },
}, ensure_ascii=False, separators=(",", ":")).encode()

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "bench bare endpoint", "version": "1.0.0"},
    "paths": {
        "/bare/moedetilbud/{moedetilbudId}/moedetider": {
            "get": {
                "operationId": "bench.bare_app.moedetider",
                "parameters": [
                    _CPR,
                    {"name": "moedetilbudId", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "startMoedetidsinterval", "in": "query", "required": True, "schema": {"type": "string"}},
                    {"name": "slutMoedetidsinterval", "in": "query", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "the precomputed answer",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }
        },
        "/bare/moedetilbud/{moedetilbudId}/booking": {
            "post": {
                "operationId": "bench.bare_app.booking",
                "parameters": [
                    _CPR,
                    {"name": "x-requestId", "in": "header", "required": True,
                     "schema": {"type": "string", "minLength": 1, "maxLength": 46}},
                    {"name": "moedetilbudId", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": False, "required": ["moedeStarttidspunkt"],
                    "properties": {"moedeStarttidspunkt": {"type": "string", "format": "date-time"},
                                   "samtaleformType": {"type": "integer", "minimum": 1},
                                   "sagsbehandlerEksterntId": {"type": "string", "maxLength": 46}}}}}},
                "responses": {"201": {"description": "a small precomputed answer",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }
        },
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


def booking(**_: Any) -> flask.Response:
    return flask.Response(SMALL, status=201, mimetype="application/json")


def create_app() -> connexion.FlaskApp:
    app = connexion.FlaskApp(__name__)
    app.add_api(SPEC, base_path="/v1", strict_validation=True, swagger_ui_options=None)
    return app


app = create_app()
