"""The published documents: the contract as written, the catalogues, the planner's WSDL and
schemas, and Swagger UI — each made once at start-up and served from memory with an ETag.

Nobody needs a token to read them, so none may cost more than copying bytes: a document that
was re-serialized per request (457 KB of inlined OpenAPI) let anonymous clients stall every
other call. A repeat with ``If-None-Match`` is 304 without a body; a client that accepts gzip gets
the bytes gzipped once at start-up.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

import yaml
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

DOCUMENT_CACHE = "public, max-age=300"  # may change with a new release of the service
ASSET_CACHE = "public, max-age=86400"  # Swagger UI's own files
UI_FILES = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript",
            "swagger-ui-standalone-preset.js": "text/javascript", "favicon-32x32.png": "image/png",
            "favicon-16x16.png": "image/png", "oauth2-redirect.html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Document:
    """A document's bytes, and the same gzipped (both made once) for clients that accept it."""

    body: bytes
    content_type: str
    cache_control: str = DOCUMENT_CACHE
    etag: bytes = field(init=False)
    gzipped: bytes | None = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.body).hexdigest()[:32].encode()
        object.__setattr__(self, "etag", b'"' + digest + b'"')
        packed = gzip.compress(self.body, compresslevel=9, mtime=0) if len(self.body) > 1024 else None
        object.__setattr__(self, "gzipped", packed if packed is not None and len(packed) < len(self.body) else None)

    @property
    def gzip_etag(self) -> bytes:
        return self.etag[:-1] + b'-gzip"'


def openapi_documents(specs: Path, base: str = "/v1") -> dict[str, Document]:
    """The contract as written (YAML, and the same as JSON), the XSD and the catalogues."""
    text = (specs / "openapi.yaml").read_bytes()
    as_json = json.dumps(yaml.safe_load(text), ensure_ascii=False, default=str).encode()
    docs = {f"{base}/openapi.yaml": Document(text, "application/yaml"),
            f"{base}/openapi.json": Document(as_json, "application/json")}
    for name, media in (("jobnet-booking.xsd", "application/xml"), ("errors.yaml", "application/yaml"),
                        ("codelists.yaml", "application/yaml"), ("datafile.schema.json", "application/schema+json")):
        docs[f"{base}/specs/{name}"] = Document((specs / name).read_bytes(), media)
    return docs


def swagger_ui_documents(spec_url: str, ui_path: str = "/v1/ui") -> dict[str, Document]:
    """Swagger UI (the bundle connexion installs) reading ``spec_url``."""
    from swagger_ui_bundle import swagger_ui_path

    page = Template((Path(__file__).parent / "swagger_ui.html").read_text(encoding="utf-8"))
    docs = {f"{ui_path}/": Document(page.substitute(spec_url=spec_url).encode(), "text/html; charset=utf-8")}
    for name, media in UI_FILES.items():
        docs[f"{ui_path}/{name}"] = Document((Path(swagger_ui_path) / name).read_bytes(), media, ASSET_CACHE)
    return docs


class PublishedDocuments:
    """Serves ``documents`` by path (GET and HEAD; a query is part of the key where one is
    listed with it, as ``/planner/soap?wsdl``); everything else passes on."""

    def __init__(self, app: ASGIApp, documents: Mapping[str, Document],
                 redirects: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.documents = dict(documents)
        self.redirects = dict(redirects or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1").lower().rstrip("=")
        doc = self.documents.get(f"{path}?{query}") if query else None
        if doc is None and path in self.redirects:
            await _send(send, 308, [(b"location", self.redirects[path].encode())], b"")
            return
        doc = doc or self.documents.get(path)
        if doc is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405, headers={"Allow": "GET, HEAD"})
        packed = doc.gzipped is not None and _accepts_gzip(scope)
        etag = doc.gzip_etag if packed else doc.etag
        headers = [(b"etag", etag), (b"cache-control", doc.cache_control.encode()), (b"vary", b"accept-encoding")]
        if _matches(scope, etag):
            await _send(send, 304, headers, b"")
            return
        body = doc.gzipped if packed and doc.gzipped is not None else doc.body
        headers += [(b"content-type", doc.content_type.encode()), (b"content-length", str(len(body)).encode())]
        if packed:
            headers.append((b"content-encoding", b"gzip"))
        await _send(send, 200, headers, b"" if scope["method"] == "HEAD" else body)


def _accepts_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            for part in value.lower().split(b","):
                coding, _, params = part.strip().partition(b";")
                if coding.strip() == b"gzip":
                    q = params.strip().removeprefix(b"q=")
                    try:
                        return not params or float(q) > 0
                    except ValueError:
                        return False
    return False


def _matches(scope: Scope, etag: bytes) -> bool:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return value.strip() == b"*" or etag in [v.strip().removeprefix(b"W/") for v in value.split(b",")]
    return False


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    start: dict[str, Any] = {"type": "http.response.start", "status": status, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body})
