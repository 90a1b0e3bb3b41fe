"""Keys from the identity provider (issue 11): an issuer configured by its OpenID Connect discovery
URL, served by a JWKS server on 127.0.0.1 that rotates its key in the middle of the test. Keys are
fetched once and kept; an unknown kid makes one bounded refresh (a flood of made-up kids costs one
fetch per interval); while the provider is down the kept keys stay in use; PEM issuers still work."""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from jobnet import tokens
from jobnet.app import create_app
from jobnet.config import Settings
from jobnet.edge.keys import RemoteKeys
from tests.support.api import fejl

ISSUER = "https://idp.test.local/realms/jobnet"
CPR = "0101901234"


class Provider:
    """An identity provider's discovery document and JWKS on 127.0.0.1; its key set can be changed
    and the provider switched off (every request is then 503)."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.published: list[str] = []
        self.up = True
        self.requests = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.requests += 1
                if not provider.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                body: dict[str, Any]
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": ISSUER, "jwks_uri": f"{provider.base}/jwks"}
                else:
                    body = {"keys": [{**json.loads(RSAAlgorithm.to_jwk(provider.keys[k].public_key())),
                                      "kid": k, "alg": "RS256", "use": "sig"} for k in provider.published]}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def new_key(self, kid: str) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def token(self, kid: str, key_of: str | None = None) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": tokens.AUDIENCE, "sub": "jobnet", "iat": now, "exp": now + 300,
                  "scope": "booking:read booking:write"}
        return jwt.encode(claims, self.keys[key_of or kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    p = Provider()
    p.new_key("key-a")
    p.published = ["key-a"]
    yield p
    p.server.shutdown()


@pytest.fixture
def idp_api(provider: Provider, tmp_path: Path, auth_dir: Path, services: Any) -> Iterator[Any]:
    demo_issuer = json.loads((auth_dir / "issuers.json").read_text())
    config = {"audience": tokens.AUDIENCE,
              "issuers": {ISSUER: {"discovery": f"{provider.base}/.well-known/openid-configuration", "min_refresh": 1},
                          **demo_issuer["issuers"]}}  # and the PEM issuer of the other tests
    (tmp_path / "issuers.json").write_text(json.dumps(config))
    app = create_app(Settings(database=tmp_path / "unused.db", auth_config=tmp_path / "issuers.json"),
                     services=services)
    with app.test_client() as client:
        yield client


def status(client: Any, token: str) -> int:
    r = client.get("/v1/borgerstatus", headers={"Authorization": f"Bearer {token}", "x-civilRegistrationIdentifier": CPR})
    return int(r.status_code)


@pytest.mark.backend("sqlite")  # about keys, not the database; its provider's keys rotate once per module
def test_keys_come_from_the_provider_and_follow_its_rotation(demo: Any, idp_api: Any, provider: Provider,
                                                              auth_dir: Path) -> None:
    before = provider.requests
    assert status(idp_api, provider.token("key-a")) == 200
    assert provider.requests - before == 2  # discovery, then the key set
    assert status(idp_api, provider.token("key-a")) == 200
    assert provider.requests - before == 2  # kept

    provider.new_key("key-b")  # rotation: both published for a while, then only the new one
    provider.published = ["key-a", "key-b"]
    time.sleep(1.1)
    assert status(idp_api, provider.token("key-b")) == 200  # an unknown kid: one refresh
    assert status(idp_api, provider.token("key-a")) == 200
    provider.published = ["key-b"]

    fetched = provider.requests
    provider.new_key("forged")  # never published
    for _ in range(50):  # a flood of forged tokens with made-up kids
        assert status(idp_api, provider.token(f"made-up-{uuid.uuid4()}", key_of="forged")) == 401
    assert provider.requests - fetched <= 2  # at most one refresh (discovery + set) in the interval

    provider.up = False  # the provider is down: the kept keys are still used
    time.sleep(1.1)
    assert status(idp_api, provider.token("key-b")) == 200
    fejl(idp_api.get("/v1/borgerstatus", headers={"Authorization": f"Bearer {provider.token('key-c', 'forged')}",
                                                  "x-civilRegistrationIdentifier": CPR}), 8307, 401)
    provider.up = True
    assert status(idp_api, tokens.mint(auth_dir)) == 200  # the PEM issuer beside it


def test_a_key_set_that_is_not_one_keeps_the_kept_keys(provider: Provider) -> None:
    source = RemoteKeys(jwks_uri=f"{provider.base}/jwks", min_refresh=0)
    assert len(source.keys(None)) == len(provider.published)
    provider.published = []  # an empty set is not taken
    assert source.keys("key-z") and source.fetches == 2  # an unknown kid: fetched again, nothing taken
    provider.published = ["key-b"]


def test_an_issuer_entry_must_be_a_key_or_a_url() -> None:
    from jobnet.edge.keys import key_source

    with pytest.raises(ValueError):
        key_source({"url": "https://x"})
    with pytest.raises(ValueError):
        RemoteKeys()
