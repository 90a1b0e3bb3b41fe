"""Caller authentication: OAuth2-style bearer access tokens (JWT) from trusted issuers.

The API is called by systems (Jobnet, STAR), never by citizens. A token is accepted when its
signature verifies with the public key configured for its issuer (``iss``), its audience is ours,
and it has not expired (401, 8307 otherwise). Its ``scope`` claim (space separated) must carry
``booking:read`` for reads and ``booking:write`` for writes, and its ``org`` claim must name an allowed
organisation where the operation has one (StraksbookOgTilmeld: STAR); both are checked in
``jobnet.edge.dispatch`` (403, 8308).

The trusted issuers live in a JSON file named by ``JOBNET_AUTH_CONFIG``:
``{"audience": "jobnet-selvbooking", "issuers": {"<iss>": "<PEM public key>" | ["<PEM>", ...] |
{"jwks_uri": "https://..."} | {"discovery": "https://.../.well-known/openid-configuration"}, ...},
"planner_clients": {"<username>": {"secret": "sha256$<salt>$<digest>", "jobcentre": ["40404"]}, ...}}``.

``planner_clients`` are the other installations allowed to use this one's embedded planner over
SOAP (``/planner/soap``, HTTP basic authentication, as a job centre's route sends it), each for
the job centres it serves (jobnet.planner.port.PlannerClient). Their passwords are long random
secrets (``jobnet token init`` makes 32 random bytes), so a salted SHA-256 is enough to
keep them out of the file; none configured: nobody gets in.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from connexion.exceptions import OAuthProblem
from connexion.lifecycle import ConnexionRequest
from starlette.types import ASGIApp, Receive, Scope, Send

from jobnet.edge.keys import KeySource, key_source
from jobnet.planner.port import PlannerClient

ALGORITHMS = ["RS256", "ES256"]
LEEWAY_SECONDS = 30


@dataclass(frozen=True)
class TrustedIssuers:
    audience: str
    keys: dict[str, Any]  # iss → its entry: PEM key(s), or {"jwks_uri": ...} / {"discovery": ...} (jobnet.edge.keys)
    # username → (hash_secret(password), the job centres it serves)
    planner_clients: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    sources: dict[str, KeySource] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", {iss: key_source(entry) for iss, entry in self.keys.items()})

    @classmethod
    def load(cls, path: Path) -> TrustedIssuers:
        data = json.loads(path.read_text(encoding="utf-8"))
        clients = {name: _planner_client(path, name, entry) for name, entry in data.get("planner_clients", {}).items()}
        return cls(audience=data["audience"], keys=dict(data["issuers"]), planner_clients=clients)

    def planner_client(self, username: str | None, password: str | None) -> PlannerClient | None:
        """The planner client HTTP basic credentials name, if the password is its own."""
        stored = self.planner_clients.get(username or "")
        if stored is None or password is None or not _matches(stored[0], password):
            return None
        return PlannerClient(name=username or "", jobcentre=stored[1])

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or OAuthProblem (401) with the reason. The reasons are ours: a
        library's message could tell a caller about the keys."""
        issuer = unverified_issuer(token)
        source = self.sources.get(issuer) if issuer is not None else None
        if source is None:
            raise OAuthProblem(detail="Token from an unknown issuer")
        claims: dict[str, Any] | None = None
        for key in source.keys(_kid(token)):  # several while the issuer rotates its keys
            try:
                claims = jwt.decode(token, key, algorithms=ALGORITHMS, audience=self.audience, issuer=issuer,
                                    leeway=LEEWAY_SECONDS, options={"require": ["exp", "iss", "aud", "sub"]})
                break
            except jwt.ExpiredSignatureError:
                raise OAuthProblem(detail="Token has expired") from None
            except Exception:  # noqa: BLE001 - any refusal of the library (or a key it cannot use): the next key
                continue
        if claims is None:
            raise OAuthProblem(detail="Token is not valid")
        if not isinstance(claims.get("sub"), str) or not isinstance(claims.get("scope", ""), str):
            raise OAuthProblem(detail="Token is not valid: sub and scope must be strings")
        return claims


def _kid(token: str) -> str | None:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except Exception:  # noqa: BLE001 - not a JWT header: no kid
        return None
    return kid if isinstance(kid, str) else None


def unverified_issuer(token: str) -> str | None:
    """The ``iss`` a token claims (not yet verified), or None when it is not a JWT or names none."""
    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except Exception:  # noqa: BLE001 - whatever the bytes are, they are not a token from an issuer
        return None
    return issuer if isinstance(issuer, str) else None


def _planner_client(path: Path, name: str, entry: object) -> tuple[str, frozenset[str]]:
    if not (isinstance(entry, dict) and isinstance(entry.get("secret"), str)
            and isinstance(entry.get("jobcentre"), list) and all(isinstance(j, str) for j in entry["jobcentre"])):
        raise ValueError(f"{path}: planner_clients.{name} must be {{\"secret\": \"sha256$...\", "
                         f"\"jobcentre\": [\"<code>\", ...]}} (run `make auth` to update the demo file)")
    return entry["secret"], frozenset(entry["jobcentre"])


def hash_secret(secret: str, salt: str | None = None) -> str:
    """``sha256$<salt>$<digest>`` of a planner client's password."""
    salt = salt or secrets.token_hex(16)
    return f"sha256${salt}${hashlib.sha256((salt + secret).encode()).hexdigest()}"


def _matches(stored: str, secret: str) -> bool:
    kind, _, rest = stored.partition("$")
    salt, _, _ = rest.partition("$")
    return kind == "sha256" and hmac.compare_digest(hash_secret(secret, salt), stored)


SCOPE_KEY = "jobnet.trusted_issuers"  # where TrustedCallers puts the app's issuers in the ASGI scope


class TrustedCallers:
    """ASGI middleware: hands this app's trusted issuers to ``bearer_info`` with each request, so
    no module holds them (several apps in one process, as in the tests, each trust their own)."""

    def __init__(self, app: ASGIApp, trusted: TrustedIssuers) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[SCOPE_KEY] = self.trusted
        await self.app(scope, receive, send)


def bearer_info(token: str, request: ConnexionRequest) -> dict[str, Any]:
    """connexion's x-bearerInfoFunc: the token's claims (``scope`` as a list), or 401; verified
    against the issuers of the app that serves ``request`` (TrustedCallers)."""
    trusted: TrustedIssuers | None = request.scope.get(SCOPE_KEY)
    if trusted is None:
        raise OAuthProblem(detail="Token from an unknown issuer")
    claims = trusted.verify(token)
    return {**claims, "scope": claims.get("scope", "").split()}
