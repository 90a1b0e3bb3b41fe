"""Calling the API as the tests do, and checking what a call left behind."""
from __future__ import annotations

import itertools
import uuid
from typing import Any

# The business tables a refused request must leave as they were; the planner's cancelled records
# are left out (an undone booking keeps one).
TABLES = ("bookinger", "planner_bookinger", "planner_faellesmoeder", "tilmeldinger", "frister", "borgere",
          "planner_intents")
LIVE = {"planner_bookinger": "WHERE state != 'cancelled'"}


def state(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {t: db.conn.execute(f"SELECT * FROM {t} {LIVE.get(t, '')} ORDER BY 1").fetchall() for t in TABLES}


def count(db: Any, sql: str, *args: Any) -> int:
    return db.conn.execute(sql, args).fetchone()[0]


class _Authenticated:
    """The test client with the bearer token added to every call that does not bring its own, so
    tests that send raw requests through ``api.client`` still get past authentication."""

    def __init__(self, client: Any, token: str | None) -> None:
        self._client, self._token = client, token

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if self._token is not None and not any(k.lower() == "authorization" for k in headers):
            headers["Authorization"] = f"Bearer {self._token}"
        return self._client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.request("DELETE", url, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class Api:
    """A client that speaks the service's conventions: CPR header on every call, a fresh
    x-requestId on every write unless one is given."""

    _ids = itertools.count()

    def __init__(self, client: Any, token: str | None = None) -> None:
        self.raw = client
        self.token = token

    @property
    def client(self) -> _Authenticated:
        return _Authenticated(self.raw, self.token)

    def call(self, method: str, path: str, cpr: str | None, request_id: str | None = None,
             write: bool = False, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if cpr is not None:
            headers["x-civilRegistrationIdentifier"] = cpr
        if write:
            headers["x-requestId"] = request_id or str(uuid.uuid4())
        return self.client.request(method, "/v1" + path, headers=headers, **kwargs)

    def get(self, path: str, cpr: str | None, **kwargs: Any) -> Any:
        return self.call("GET", path, cpr, **kwargs)

    def post(self, path: str, cpr: str | None, json: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, cpr, write=True, json=json, **kwargs)

    def delete(self, path: str, cpr: str | None, **kwargs: Any) -> Any:
        return self.call("DELETE", path, cpr, write=True, **kwargs)


def fejl(response: Any, fejlkode: int, status: int) -> dict[str, Any]:
    """Assert an error response: the status, the code and the catalogue body shape."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"fejlkode", "fejltekst", "beskrivelse"}, body
    assert body["fejlkode"] == fejlkode, body
    return body
