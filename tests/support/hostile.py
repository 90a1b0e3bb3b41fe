"""Hostile requests generated from specs/openapi.yaml (issue 9): for every operation, every
parameter and every body field, values chosen by the field's type and facets, and whole-request
attacks (deep nesting, duplicate keys, odd Content-Types, repeated headers). Used by test_hostile.py.

A ``Request`` is what a client may send, as raw as the test client allows: a raw JSON text (so
lone surrogates, 4,301-digit integers and duplicate keys reach the server as written) and a list
of header pairs (so a header can be repeated).
"""
from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import anyio
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "openapi.yaml"
_HOLE = "\x00HOSTILE\x00"


@dataclass(frozen=True)
class Raw:
    """A JSON literal put into a body as written (not re-encoded)."""

    text: str


@dataclass
class Request:
    label: str
    method: str
    path: str
    headers: list[tuple[str, str | bytes]]
    query: dict[str, str] = field(default_factory=dict)
    body: str | None = None


_SPEC: dict[str, Any] = {}


def spec_cache() -> dict[str, Any]:
    if not _SPEC:
        _SPEC.update(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))
    return _SPEC


def schema_of(node: Any) -> Any:
    """``node`` with its ``$ref`` (local, to the spec's components) followed."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec_cache()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


# --- values by type and facets ------------------------------------------------------------------
def hostile_strings(schema: dict[str, Any], valid: str) -> Iterator[tuple[str, str | Raw]]:
    yield "newline", valid + "\n"
    yield "crlf", valid + "\r\n"
    yield "spaces", f" {valid} "
    yield "arabic-digits", valid.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    yield "nul", valid[:1] + "\x00" + valid[1:]
    yield "surrogate", Raw('"' + json.dumps(valid)[1:-1] + '\\ud800"')
    yield "10000-chars", "9" * 10_000
    if schema.get("format") == "date-time":
        yield from (("year-1", "0001-01-01T00:00:00+01:00"), ("year-9999", "9999-12-31T23:30:00-01:00"),
                         ("leap-second", "2026-12-31T23:59:60Z"), ("lower-t-z", "2026-12-01t08:00:00z"),
                         ("offset-24", "2026-12-01T08:00:00+24:00"))
    if schema.get("format") == "date":
        yield "year-1", "0001-01-01"
        yield "year-9999", "9999-12-31"
        yield "feb-30", "2026-02-30"


def hostile_numbers() -> Iterator[tuple[str, Raw]]:
    yield "beyond-64-bits", Raw(str(2**64))
    yield "negative-beyond-64-bits", Raw(str(-(2**64)))
    yield "4301-digits", Raw("9" * 4301)
    yield "huge-float", Raw("1e400")
    yield "string", Raw('"1"')


def hostile_values(schema: dict[str, Any], valid: Any) -> Iterator[tuple[str, Any]]:
    kind = schema.get("type")
    if kind == "string" or (kind is None and isinstance(valid, str)):
        yield from hostile_strings(schema, valid if isinstance(valid, str) else "x")
    elif kind in ("integer", "number"):
        yield from hostile_numbers()
    elif kind == "boolean":
        yield "string", "true"
        yield "number", 1
    yield "null", None
    yield "object", {"a": 1}


# --- the operations ------------------------------------------------------------------------------
@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    parameters: list[dict[str, Any]]
    body_schema: dict[str, Any] | None
    body_example: Any

    @property
    def write(self) -> bool:
        return self.method in ("post", "delete")


def operations() -> list[Operation]:
    root = spec_cache()
    found = []
    for path, item in root["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            params = [schema_of(p) for p in op.get("parameters", [])]
            content = (op.get("requestBody") or {}).get("content", {}).get("application/json")
            found.append(Operation(op["operationId"], method, path, params,
                                   schema_of(content["schema"]) if content else None,
                                   copy.deepcopy(content.get("example")) if content else None))
    return found


def body_fields(schema: dict[str, Any], example: Any, prefix: tuple[Any, ...] = ()) -> Iterator[
        tuple[tuple[Any, ...], dict[str, Any], Any]]:
    """(path, schema, example value) of every field below ``schema``, arrays through item 0."""
    schema = schema_of(schema)
    if schema.get("type") == "array" or "items" in schema:
        item = example[0] if isinstance(example, list) and example else None
        yield from body_fields(schema["items"], item, (*prefix, 0))
        return
    props = schema.get("properties")
    if not props:
        yield prefix, schema, example
        return
    for name, sub in props.items():
        value = example.get(name) if isinstance(example, dict) else None
        yield from body_fields(sub, value, (*prefix, name))


def with_value(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    body = copy.deepcopy(body) if body is not None else {}
    node = body
    for i, key in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(node, list):
            while len(node) <= key:
                node.append([] if isinstance(nxt, int) else {})
            node = node[key]
        else:
            if not isinstance(node.get(key), (dict, list)):
                node[key] = [] if isinstance(nxt, int) else {}
            node = node[key]
    last = path[-1]
    if isinstance(node, list):
        while len(node) <= last:
            node.append(None)
    node[last] = value
    return body


def dump(body: Any) -> str:
    """JSON text of ``body`` with a Raw value (at most one) spliced in as written."""
    raw: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, Raw):
            raw.append(value.text)
            return _HOLE
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(body), ensure_ascii=False)
    return text.replace(json.dumps(_HOLE, ensure_ascii=False), raw[0]) if raw else text


def quoted(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    return "" if value is None else str(value) if not isinstance(value, dict) else json.dumps(value)


def fresh_id() -> str:
    return str(uuid.uuid4())


def url(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", quote(value, safe="", errors="surrogatepass"))
    return "/v1" + path


# --- the requests --------------------------------------------------------------------------------
@dataclass
class Baseline:
    """A request of the operation the rest of which is valid: path values, CPR, query."""

    path: dict[str, str]
    cpr: str
    query: dict[str, str]


def requests_for(op: Operation, base: Baseline, token: str) -> Iterator[Request]:
    def make(label: str, path: dict[str, str] | None = None, headers: list[tuple[str, str | bytes]] | None = None,
             query: dict[str, str] | None = None, body: str | None = None, content_type: str | None = "json") -> Request:
        hdrs: list[tuple[str, str | bytes]] = headers if headers is not None else baseline_headers()
        if body is not None and content_type == "json":
            hdrs = [*hdrs, ("Content-Type", "application/json")]
        elif body is not None and content_type is not None:
            hdrs = [*hdrs, ("Content-Type", content_type)]
        if body is None and op.body_example is not None:
            body = dump(op.body_example)
            hdrs = [*hdrs, ("Content-Type", "application/json")]
        return Request(f"{op.operation_id} {label}", op.method.upper(), url(op.path, path or base.path), hdrs,
                       {**base.query, **(query or {})}, body)

    def baseline_headers(**replace: str | bytes) -> list[tuple[str, str | bytes]]:
        h: dict[str, str | bytes] = {"Authorization": f"Bearer {token}", "x-civilRegistrationIdentifier": base.cpr}
        if op.write:
            h["x-requestId"] = fresh_id()
        h.update(replace)
        return list(h.items())

    for p in op.parameters:
        schema = schema_of(p.get("schema", {}))
        name, where = p["name"], p["in"]
        valid = base.path.get(name) or base.query.get(name) or (base.cpr if "civil" in name else "x")
        for label, value in hostile_strings(schema, valid):
            text = json.loads(value.text) if isinstance(value, Raw) else value
            if where == "path":
                yield make(f"path {name} {label}", path={**base.path, name: text})
            elif where == "query":
                yield make(f"query {name} {label}", query={name: text})
            elif where == "header":
                raw = text.encode("utf-8", "surrogatepass")
                yield make(f"header {name} {label}", headers=baseline_headers(**{name: raw}))
    if op.body_schema is not None:
        for path, schema, example in body_fields(op.body_schema, op.body_example):
            for label, value in hostile_values(schema, example):
                yield make(f"body {'.'.join(map(str, path))} {label}",
                           body=dump(with_value(op.body_example, path, value)))
        yield make("body nested 10000 deep", body="[" * 10_000 + "]" * 10_000)
        yield make("body field nested 10000 deep", body=dump(with_value(op.body_example, ("x",), Raw(
            "[" * 10_000 + "]" * 10_000))))
        first = next(iter(op.body_example or {"a": 1}))
        yield make("body duplicate keys", body=dump(op.body_example)[:-1] + f', "{first}": null}}')
        for ct in (None, "APPLICATION/JSON", "application/json; charset=foo", "text/plain", "application/xml",
                   "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "*/*"):
            yield make(f"content-type {ct}", body=dump(op.body_example), content_type=ct)
    for header in ("x-civilRegistrationIdentifier", "x-requestId", "Authorization"):
        if header == "x-requestId" and not op.write:
            continue
        yield make(f"repeated {header}", headers=[*baseline_headers(), (header, dict(baseline_headers())[header])])


def _quote(value: str, safe: str = "", encoding: str | None = None, errors: str | None = None) -> str:
    return quote(value, safe=safe, errors="surrogatepass")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def asgi_call(app: Any, request: Request) -> Answer:
    """Send ``request`` to the ASGI ``app`` as a server would hand it over (any header bytes)."""
    body = request.body.encode("utf-8", "surrogatepass") if request.body is not None else b""
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(k.lower().encode(), v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass"))
               for k, v in request.headers]
    if body:
        headers.append((b"content-length", str(len(body)).encode()))
    raw_path = request.path.encode("utf-8", "surrogatepass")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": request.method,
             "scheme": "http", "path": unquote(request.path), "raw_path": raw_path, "root_path": "",
             "query_string": urlencode(request.query, quote_via=_quote).encode(),  # type: ignore[arg-type]  # _quote takes quote's arguments; the stub wants its overloads "server": ("testserver", 80),
             "client": ("127.0.0.1", 1), "headers": headers}
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return Answer(start["status"], {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]},
                  b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
