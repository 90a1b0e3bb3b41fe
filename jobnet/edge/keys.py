"""Where a token issuer's verification keys come from: PEM files, or the identity provider itself.

An issuer is configured with its public key(s) in PEM, with a JWKS URL (``jwks_uri``), or with its
OpenID Connect discovery URL (``discovery``, whose ``jwks_uri`` is read). Keys from a URL are
fetched and kept; every key of the set is used, so several may be valid at once while the
provider rotates them. A token whose ``kid`` is not among the kept keys makes the set be fetched
again, at most once per ``min_refresh`` seconds and by one thread at a time, so a flood of tokens
with made-up ``kid``s costs the provider one request per interval, not one per token. The kept set
is also fetched again after ``max_age`` seconds. When the provider cannot be reached, or answers
something that is not a key set, the kept keys stay in use.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import jwt
from jwt.algorithms import get_default_algorithms

log = logging.getLogger("jobnet.edge.keys")
FETCH_TIMEOUT_S = 3.0
MAX_SET_BYTES = 256 * 1024


class KeySource(Protocol):
    def keys(self, kid: str | None) -> list[Any]:
        """The keys a token with this ``kid`` (None: the token names none) may be signed with."""


@dataclass
class StaticKeys:
    """Keys given in the configuration (PEM)."""

    pems: list[str]
    _keys: list[Any] = field(init=False)

    def __post_init__(self) -> None:
        self._keys = [_load_pem(p) for p in self.pems]

    def keys(self, kid: str | None) -> list[Any]:
        return list(self._keys)


def _load_pem(pem: str) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return load_pem_public_key(pem.encode())


class RemoteKeys:
    """A JWKS (by URL or by OpenID Connect discovery), kept and refreshed as the module says."""

    def __init__(self, jwks_uri: str | None = None, discovery: str | None = None, min_refresh: float = 30.0,
                 max_age: float = 3600.0, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if (jwks_uri is None) == (discovery is None):
            raise ValueError("give either jwks_uri or discovery")
        self._jwks_uri, self._discovery = jwks_uri, discovery
        self._min_refresh, self._max_age = min_refresh, max_age
        self._http = http or httpx.Client(timeout=FETCH_TIMEOUT_S, trust_env=False, follow_redirects=False)
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str | None, Any] = {}  # kid → key (None: a key without kid)
        self._fetched_at: float | None = None  # when the kept set was fetched
        self._tried_at: float | None = None  # when a fetch was last tried, successful or not
        self.fetches = 0  # fetch attempts (for tests and metrics)

    def keys(self, kid: str | None) -> list[Any]:
        now = self._clock()
        stale = self._fetched_at is None or now - self._fetched_at >= self._max_age
        if stale or (kid is not None and kid not in self._keys):
            self._refresh(now)
        if kid is not None and kid in self._keys:
            return [self._keys[kid]]
        return list(self._keys.values())

    def _refresh(self, now: float) -> None:
        # another thread is fetching: use what is kept, or wait for the first set
        first = self._fetched_at is None
        if not self._lock.acquire(timeout=2 * FETCH_TIMEOUT_S if first else 0):
            return
        if first and self._fetched_at is not None:  # it arrived while this thread waited
            self._lock.release()
            return
        try:
            if self._tried_at is not None and now - self._tried_at < self._min_refresh:
                return
            self._tried_at = now
            self.fetches += 1
            fetched = self._fetch()
            if fetched:
                self._keys, self._fetched_at = fetched, now
        finally:
            self._lock.release()

    def _fetch(self) -> dict[str | None, Any] | None:
        try:
            uri = self._jwks_uri or self._get(self._discovery or "").get("jwks_uri")
            if not isinstance(uri, str):
                raise ValueError("the discovery document names no jwks_uri")
            document = self._get(uri)
            keys: dict[str | None, Any] = {}
            algorithms = get_default_algorithms()
            for entry in document.get("keys", []):
                if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                    continue
                name = entry.get("alg") or {"RSA": "RS256", "EC": "ES256"}.get(str(entry.get("kty")), "")
                algorithm = algorithms.get(str(name))
                if algorithm is None:
                    continue
                kid = entry.get("kid")
                keys[kid if isinstance(kid, str) else None] = algorithm.from_jwk(entry)
            if not keys:
                raise ValueError("no usable signing key in the set")
            return keys
        except (httpx.HTTPError, ValueError, TypeError, KeyError, jwt.PyJWTError) as exc:
            log.warning("could not fetch the keys of a token issuer (%s): keeping %d kept key(s)",
                        type(exc).__name__, len(self._keys))
            return None

    def _get(self, url: str) -> dict[str, Any]:
        response = self._http.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        if len(response.content) > MAX_SET_BYTES:
            raise ValueError("answer too large")
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        return document


def key_source(entry: Any) -> KeySource:
    """An issuer's key source from its entry in the issuers file: a PEM string, a list of PEM
    strings, or an object with ``jwks_uri`` or ``discovery`` (and optionally ``min_refresh``)."""
    if isinstance(entry, str):
        return StaticKeys([entry])
    if isinstance(entry, list) and all(isinstance(p, str) for p in entry):
        return StaticKeys(entry)
    if isinstance(entry, dict) and ("jwks_uri" in entry or "discovery" in entry):
        return RemoteKeys(jwks_uri=entry.get("jwks_uri"), discovery=entry.get("discovery"),
                          min_refresh=float(entry.get("min_refresh", 30.0)),
                          max_age=float(entry.get("max_age", 3600.0)))
    raise ValueError("an issuer is a PEM key, a list of PEM keys, or {\"jwks_uri\": ...} / {\"discovery\": ...}")
