"""One test (or a few) per item of the hardening issue (issue 9) that the hostile suite
(test_hostile.py) does not prove alone: tokens, CPRs in logs, the published documents, repeated
headers, the WSDL's address, and the headers of every answer."""
from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
import yaml

from jobnet import tokens
from jobnet.demo import IKKE_TILMELDT, INDKALDT, SELVBOOKER, TILBUD_INFOMOEDE
from jobnet.logs import CPR_SHAPED, RedactCpr
from jobnet.planner.soap import contract
from tests.support.api import fejl

SPECS = Path(__file__).resolve().parents[2] / "specs"
CPR = SELVBOOKER
REPORT = {"fejlkode": 4, "fejlOphav": 32, "fejlTidspunkt": "2026-12-01T08:00:00+01:00"}


def signed(auth_dir: Path, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": tokens.DEMO_ISSUER, "aud": tokens.AUDIENCE, "sub": "jobnet", "exp": now + 60, **claims}
    return jwt.encode(payload, (auth_dir / "issuer-private.pem").read_bytes(), algorithm="RS256")


# --- 1. never a 500: tokens, patterns, media types -------------------------------------------
@pytest.mark.parametrize("iss", [["a", "b"], {"a": 1}, 5, None])
def test_a_token_whose_issuer_is_not_a_string_is_401(demo: Any, api: Any, iss: Any) -> None:
    unsigned = jwt.encode({"iss": iss, "sub": "x", "exp": int(time.time()) + 60}, "k" * 32, algorithm="HS256")
    fejl(api.get("/borgerstatus", CPR, headers={"Authorization": f"Bearer {unsigned}"}), 8307, 401)


@pytest.mark.parametrize("scope", [None, 5, ["booking:read"]])
def test_a_signed_token_whose_scope_is_not_a_string_is_401(demo: Any, api: Any, auth_dir: Path, scope: Any) -> None:
    token = signed(auth_dir, scope=scope)
    fejl(api.get("/borgerstatus", CPR, headers={"Authorization": f"Bearer {token}"}), 8307, 401)


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_a_401_says_nothing_of_the_library_or_the_keys(demo: Any, api: Any, auth_dir: Path, token: str) -> None:
    body = fejl(api.get("/borgerstatus", CPR, headers={"Authorization": f"Bearer {token}"}), 8307, 401)
    for word in ("RS256", "ES256", "key", "Signature", "segments", "decode", "padding", "algorithm"):
        assert word.lower() not in body["beskrivelse"].lower(), body


@pytest.mark.parametrize("where", ["header", "query", "path", "body"])
def test_a_pattern_value_ending_in_a_newline_is_1014(demo: Any, api: Any, where: str) -> None:
    window = {"startMoedetidsinterval": "2026-12-02T00:00:00+01:00", "slutMoedetidsinterval": "2026-12-16T00:00:00+01:00"}
    if where == "header":
        r = api.get("/borgerstatus", CPR + "\n")
    elif where == "query":
        r = api.get(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/moedetider", CPR,
                    params={**window, "startMoedetidsinterval": window["startMoedetidsinterval"] + "\n"})
    elif where == "path":
        r = api.get(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}%0A/moedetider", CPR, params=window)
    else:
        r = api.post("/fejlmelding", CPR, json={**REPORT, "moedetilbudId": TILBUD_INFOMOEDE + "\n"})
    fejl(r, 1014, 400)


def test_a_json_body_without_a_content_type_is_1014(demo: Any, api: Any) -> None:
    fejl(api.post("/fejlmelding", CPR, content=json.dumps(REPORT).encode()), 1014, 400)
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == (0,)


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "Application/Json; Charset=UTF-8"])
def test_a_media_type_in_upper_case_is_json(demo: Any, api: Any, content_type: str) -> None:
    r = api.post("/fejlmelding", CPR, content=json.dumps(REPORT).encode(), headers={"Content-Type": content_type})
    assert r.status_code == 204, r.text


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00", "1899-12-31T23:00:00Z"])
def test_an_instant_outside_the_years_1900_2999_is_1014(demo: Any, api: Any, value: str) -> None:
    fejl(api.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", CPR,
                  json={"moedeStarttidspunkt": value}), 1014, 400)


# --- 2. no CPR in any log line ----------------------------------------------------------------
def test_no_cpr_reaches_the_log_from_a_refused_body(demo: Any, api: Any, caplog: pytest.LogCaptureFixture) -> None:
    body = {"tilmeldingOgBooking": {"personnummer": "0909951234\n", "klientkategori": 1}}
    with caplog.at_level(logging.DEBUG):
        fejl(api.post("/straksbooking/action/tilmeldogbook", IKKE_TILMELDT, json=body), 1014, 400)
    lines = [caplog.handler.format(r) for r in caplog.records]
    assert lines and not [line for line in lines if CPR_SHAPED.search(line)], lines


def test_the_redaction_covers_arguments_and_tracebacks() -> None:
    try:
        raise ValueError("input_value='0909951234\\n'")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "for %s and 010190-1234", (SELVBOOKER,),
                                   exc_info=sys.exc_info())
    RedactCpr().filter(record)
    text = logging.Formatter().format(record)
    assert "Traceback" in text and not CPR_SHAPED.search(text), text
    assert not CPR_SHAPED.search("1796154640")  # an epoch second is no CPR (month 96)


# --- 3. the published documents --------------------------------------------------------------
@pytest.mark.parametrize("path, file", [("/v1/openapi.yaml", "openapi.yaml"), ("/v1/specs/errors.yaml", "errors.yaml"),
                                        ("/v1/specs/jobnet-booking.xsd", "jobnet-booking.xsd")])
def test_a_published_document_is_the_file_with_an_etag(api: Any, path: str, file: str) -> None:
    r = api.client.get(path)
    assert r.status_code == 200 and r.content == (SPECS / file).read_bytes()
    assert r.headers["cache-control"].startswith("public") and r.headers["etag"]
    again = api.client.get(path, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_the_json_contract_is_the_yaml_as_written(api: Any) -> None:
    served = api.client.get("/v1/openapi.json").json()
    assert served == json.loads(json.dumps(yaml.safe_load((SPECS / "openapi.yaml").read_text()), default=str))
    assert "components" in served and "$ref" in json.dumps(served)


def test_swagger_ui_reads_the_contract_and_makes_a_fresh_request_id(api: Any) -> None:
    page = api.client.get("/v1/ui/")
    assert page.status_code == 200 and '"/v1/openapi.json"' in page.text and "x-requestid" in page.text.lower()
    assert api.client.get("/v1/ui/swagger-ui-bundle.js").status_code == 200
    assert api.client.get("/v1/ui", follow_redirects=False).status_code == 308


def test_a_published_document_cannot_be_posted_to(api: Any) -> None:
    r = api.client.post("/v1/openapi.json")
    fejl(r, 8304, 405)
    assert "GET" in r.headers["allow"]


# --- 7. repeated headers ----------------------------------------------------------------------
@pytest.mark.parametrize("header", ["x-civilRegistrationIdentifier", "x-requestId", "Authorization"])
def test_a_repeated_single_header_is_1014_and_changes_nothing(demo: Any, api: Any, token: str, header: str) -> None:
    values = {"x-civilRegistrationIdentifier": [SELVBOOKER, INDKALDT],
              "x-requestId": [str(uuid.uuid4()), str(uuid.uuid4())],
              "Authorization": [f"Bearer {token}", f"Bearer {token}"]}
    headers = [("Authorization", f"Bearer {token}"), ("x-civilRegistrationIdentifier", CPR),
               ("x-requestId", str(uuid.uuid4())), ("Content-Type", "application/json")]
    headers = [(k, v) for k, v in headers if k != header] + [(header, v) for v in values[header]]
    r = api.raw.post("/v1/fejlmelding", content=json.dumps(REPORT).encode(), headers=headers)
    fejl(r, 1014, 400)
    assert demo.conn.execute("SELECT count(*) FROM fejlmeldinger").fetchone() == (0,)


# --- 9. the WSDL's address --------------------------------------------------------------------
def test_the_wsdl_address_is_the_configured_one_whatever_the_host_header(api: Any) -> None:
    r = api.client.get(f"{contract.PATH}?wsdl", headers={"Host": "evil.example:666"})
    assert r.status_code == 200 and b"evil.example" not in r.content
    assert b'location="http://127.0.0.1:8080/planner/soap"' in r.content  # Settings' host and port


# --- 11. the headers of every answer ----------------------------------------------------------
@pytest.mark.parametrize("call", [lambda api: api.get("/borgerstatus", CPR),
                                  lambda api: api.get("/borgerstatus", "0000000001"),
                                  lambda api: api.client.get("/v1/ukendt")])
def test_answers_with_personal_data_are_not_stored_and_not_sniffed(demo: Any, api: Any, call: Any) -> None:
    r = call(api)
    assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"


def test_published_documents_are_not_sniffed_either(api: Any) -> None:
    assert api.client.get("/v1/openapi.json").headers["x-content-type-options"] == "nosniff"
