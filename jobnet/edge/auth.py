"""Caller authentication: OAuth2-style bearer access tokens (JWT) from trusted issuers.

The API is called by systems (Jobnet, STAR), never by citizens. A token is accepted when its
signature verifies with the public key configured for its issuer (``iss``), its audience is ours,
and it has not expired (401, 8307 otherwise). Its ``scope`` claim (space separated) must carry
``booking:read`` for reads and ``booking:write`` for writes, and its ``org`` claim must name an allowed
organisation where the operation has one (StraksbookOgTilmeld: STAR); both are checked in
``jobnet.edge.dispatch`` (403, 8308).

The trusted issuers live in a JSON file named by ``JOBNET_AUTH_CONFIG``:
``{"audience": "jobnet-selvbooking", "issuers": {"<iss>": "<PEM public key>", ...}}``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
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

    @classmethod
    def load(cls, path: Path) -> TrustedIssuers:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(audience=data["audience"], keys=dict(data["issuers"]))

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or OAuthProblem (401) with the reason."""
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
            key = self.keys.get(issuer) if isinstance(issuer, str) else None
            if key is None:
                raise OAuthProblem(detail="Token from an unknown issuer")
            return jwt.decode(token, key, algorithms=ALGORITHMS, audience=self.audience, issuer=issuer,
                              leeway=LEEWAY_SECONDS, options={"require": ["exp", "iss", "aud", "sub"]})
        except jwt.ExpiredSignatureError:
            raise OAuthProblem(detail="Token has expired") from None
        except jwt.PyJWTError as exc:
            raise OAuthProblem(detail=f"Token is not valid: {exc}") from None


_trusted: TrustedIssuers | None = None


def configure(trusted: TrustedIssuers | None) -> None:
    """Set the issuers this process trusts (create_app does this)."""
    global _trusted
    _trusted = trusted


def bearer_info(token: str) -> dict[str, Any]:
    """connexion's x-bearerInfoFunc: the token's claims (``scope`` as a list), or 401."""
    if _trusted is None:
        raise OAuthProblem(detail="No trusted token issuers are configured")
    claims = _trusted.verify(token)
    scope = claims.get("scope", "")
    return {**claims, "scope": scope.split() if isinstance(scope, str) else list(scope)}
