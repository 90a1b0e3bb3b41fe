"""Caller authentication and authorisation: bearer JWTs from trusted issuers, scopes, organisation."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from jobnet import tokens
from jobnet.demo import IKKE_TILMELDT, SELVBOOKER, TILBUD_INFOMOEDE
from tests.support.api import fejl

CPR = SELVBOOKER


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def test_a_valid_token_is_let_in(demo: Any, api: Any) -> None:
    assert api.get("/borgerstatus", CPR).status_code == 200


def test_no_token_is_401(demo: Any, api: Any) -> None:
    api.token = None
    fejl(api.get("/borgerstatus", CPR), 8307, 401)


@pytest.mark.parametrize("mint", [
    pytest.param(lambda d: tokens.mint(d, ttl=-120), id="expired"),
    pytest.param(lambda d: tokens.mint(d, audience="another-service"), id="wrong-audience"),
    pytest.param(lambda d: tokens.mint(d, issuer="https://evil.example"), id="unknown-issuer"),
    pytest.param(lambda d: tokens.mint(d)[:-4] + "AAAA", id="bad-signature"),
    pytest.param(lambda d: jwt.encode({"iss": tokens.DEMO_ISSUER, "aud": tokens.AUDIENCE, "sub": "x",
                                       "exp": int(time.time()) + 60, "scope": tokens.ALL_SCOPES},
                                      "a-shared-secret-is-not-a-key-we-trust", algorithm="HS256"), id="hs256"),
    pytest.param(lambda d: "not-a-jwt", id="garbage"),
])
def test_bad_tokens_are_401(demo: Any, api: Any, auth_dir: Path, mint: Any) -> None:
    fejl(api.get("/borgerstatus", CPR, headers=bearer(mint(auth_dir))), 8307, 401)


def test_a_token_signed_by_another_key_is_401(demo: Any, api: Any, tmp_path: Path) -> None:
    tokens.init(tmp_path)  # same issuer name, a different key
    fejl(api.get("/borgerstatus", CPR, headers=bearer(tokens.mint(tmp_path))), 8307, 401)


def test_read_scope_cannot_write(demo: Any, api: Any, auth_dir: Path) -> None:
    api.token = tokens.mint(auth_dir, scope="booking:read")
    assert api.get("/borgerstatus", CPR).status_code == 200
    before = demo.conn.execute("SELECT count(*) FROM bookinger").fetchone()
    fejl(api.post(f"/selvbooking/moedetilbud/{TILBUD_INFOMOEDE}/booking", CPR,
                  json={"moedeStarttidspunkt": "2026-12-03T10:00:00+01:00"}), 8308, 403)
    assert demo.conn.execute("SELECT count(*) FROM bookinger").fetchone() == before


def test_write_scope_alone_cannot_read(demo: Any, api: Any, auth_dir: Path) -> None:
    api.token = tokens.mint(auth_dir, scope="booking:write")
    fejl(api.get("/borgerstatus", CPR), 8308, 403)


def test_straksbook_og_tilmeld_is_only_for_star(demo: Any, api: Any, auth_dir: Path) -> None:
    api.token = tokens.mint(auth_dir, org="JOBNET")
    body = {"tilmeldingOgBooking": {
        "personnummer": IKKE_TILMELDT, "klientkategori": 1, "tilmeldingsdato": "2026-12-01T08:00:00+01:00",
        "ledighedsgrad": 1, "moedeStarttidspunkt": "2026-12-03T09:00:00+01:00",
        "moedetilbudId": TILBUD_INFOMOEDE, "samtaleformType": 1}}
    fejl(api.post("/straksbooking/action/tilmeldogbook", IKKE_TILMELDT, json=body), 8308, 403)
    assert demo.conn.execute("SELECT count(*) FROM tilmeldinger WHERE cpr = '0909951234'").fetchone() == (0,)
    api.token = tokens.mint(auth_dir, org=None)  # no organisation claim at all
    fejl(api.post("/straksbooking/action/tilmeldogbook", IKKE_TILMELDT, json=body), 8308, 403)


def test_swagger_ui_and_the_spec_need_no_token(app: Any) -> None:
    with app.test_client() as client:
        assert client.get("/v1/ui/").status_code == 200
        assert client.get("/v1/openapi.json").json()["components"]["securitySchemes"]["jobnetToken"]["scheme"] == "bearer"
