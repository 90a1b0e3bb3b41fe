"""Caller authentication: OAuth2-style bearer access tokens (JWT) from trusted issuers.

The API is called by systems (Jobnet, STAR), never by citizens. A token is accepted when its
signature verifies with the public key configured for its issuer (``iss``), its audience is ours,
and it has not expired (401, 8307 otherwise). Its ``scope`` claim (space separated) must carry
``booking:read`` for reads and ``booking:write`` for writes, and its ``org`` claim must name an allowed
organisation where the operation has one (StraksbookOgTilmeld: STAR); both are checked in
``jobnet.edge.dispatch`` (403, 8308).

The trusted issuers live in a JSON file named by ``JOBNET_AUTH_CONFIG``:
``{"audience": "jobnet-selvbooking", "issuers": {"<iss>": "<PEM public key>", ...},
"planner_clients": {"<username>": "sha256$<salt>$<digest>", ...}}``.

``planner_clients`` are the other installations allowed to use this one's embedded planner over
SOAP (``/planner/soap``, HTTP basic authentication, as a job centre's route sends it). Their
passwords are long random secrets (``python -m jobnet.tokens init`` makes 32 random bytes), so a
salted SHA-256 is enough to keep them out of the file; none configured: nobody gets in.
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

ALGORITHMS = ["RS256", "ES256"]
LEEWAY_SECONDS = 30


@dataclass(frozen=True)
class TrustedIssuers:
    audience: str
    keys: dict[str, str]  # iss → PEM public key
    planner_clients: dict[str, str] = field(default_factory=dict)  # username → hash_secret(password)

    @classmethod
    def load(cls, path: Path) -> TrustedIssuers:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(audience=data["audience"], keys=dict(data["issuers"]),
                   planner_clients=dict(data.get("planner_clients", {})))

    def admits_planner_client(self, username: str | None, password: str | None) -> bool:
        """Whether HTTP basic credentials name a configured planner client with its password."""
        stored = self.planner_clients.get(username or "")
        return stored is not None and password is not None and _matches(stored, password)

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or OAuthProblem (401) with the reason. The reasons are ours: a
        library's message could tell a caller about the keys."""
        issuer = unverified_issuer(token)
        key = self.keys.get(issuer) if issuer is not None else None
        if key is None:
            raise OAuthProblem(detail="Token from an unknown issuer")
        try:
            claims: dict[str, Any] = jwt.decode(token, key, algorithms=ALGORITHMS, audience=self.audience,
                                                issuer=issuer, leeway=LEEWAY_SECONDS,
                                                options={"require": ["exp", "iss", "aud", "sub"]})
        except jwt.ExpiredSignatureError:
            raise OAuthProblem(detail="Token has expired") from None
        except Exception:  # noqa: BLE001 - any refusal of the library (or of a key it cannot use) is 401
            raise OAuthProblem(detail="Token is not valid") from None
        if not isinstance(claims.get("sub"), str) or not isinstance(claims.get("scope", ""), str):
            raise OAuthProblem(detail="Token is not valid: sub and scope must be strings")
        return claims


def unverified_issuer(token: str) -> str | None:
    """The ``iss`` a token claims (not yet verified), or None when it is not a JWT or names none."""
    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except Exception:  # noqa: BLE001 - whatever the bytes are, they are not a token from an issuer
        return None
    return issuer if isinstance(issuer, str) else None


def hash_secret(secret: str, salt: str | None = None) -> str:
    """``sha256$<salt>$<digest>`` of a planner client's password."""
    salt = salt or secrets.token_hex(16)
    return f"sha256${salt}${hashlib.sha256((salt + secret).encode()).hexdigest()}"


def _matches(stored: str, secret: str) -> bool:
    kind, _, rest = stored.partition("$")
    salt, _, _ = rest.partition("$")
    return kind == "sha256" and hmac.compare_digest(hash_secret(secret, salt), stored)


_trusted: list[TrustedIssuers] = []


def configure(trusted: TrustedIssuers) -> None:
    """Trust these issuers in this process (create_app does this). One process normally serves one
    app; where several live side by side (tests), each app's issuers are trusted."""
    if trusted not in _trusted:
        _trusted.append(trusted)


def bearer_info(token: str) -> dict[str, Any]:
    """connexion's x-bearerInfoFunc: the token's claims (``scope`` as a list), or 401."""
    issuer = unverified_issuer(token)
    candidates = [t for t in _trusted if issuer is not None and issuer in t.keys]
    if not candidates:
        raise OAuthProblem(detail="Token from an unknown issuer")
    claims: dict[str, Any] | None = None
    for trusted in candidates:  # an issuer may be configured with more than one key (rotation)
        try:
            claims = trusted.verify(token)
            break
        except OAuthProblem:
            if trusted is candidates[-1]:
                raise
    assert claims is not None
    return {**claims, "scope": claims.get("scope", "").split()}
