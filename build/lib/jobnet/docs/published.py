"""/v1/docs/: ReDoc reading /v1/openapi.json, with its standalone bundle taken from the installed
drf-spectacular-sidecar package (never a copy in this repository), and the catalogue pages beside
it. All made once at start-up and served like the other published documents (jobnet.edge.published)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from jobnet.docs import pages
from jobnet.edge.published import ASSET_CACHE, Document

REDOC_IN_PACKAGE = Path("static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
HTML, JSON = "text/html; charset=utf-8", "application/json"


def redoc_bundle() -> Path:
    """The bundle's path, found without importing the package (its __init__ imports Django)."""
    spec = importlib.util.find_spec("drf_spectacular_sidecar")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("drf-spectacular-sidecar is not installed (pyproject.toml): ReDoc cannot be served")
    path = Path(next(iter(spec.submodule_search_locations))) / REDOC_IN_PACKAGE
    if not path.is_file():
        raise RuntimeError(f"ReDoc's bundle is missing from drf-spectacular-sidecar: {path}")
    return path


def documents(base: str = "/v1/docs") -> dict[str, Document]:
    made = {
        "": (pages.redoc_html().encode(), HTML),
        "fejlkatalog.html": (pages.catalogue_html().encode(), HTML), "fejlkatalog.json": (pages.catalogue_json(), JSON),
        "kodelister.html": (pages.codelists_html().encode(), HTML), "kodelister.json": (pages.codelists_json(), JSON),
        "kilder.html": (pages.provenance_html().encode(), HTML), "kilder.json": (pages.provenance_json(), JSON),
    }
    docs = {f"{base}/{name}": Document(body, media) for name, (body, media) in made.items()}
    docs[f"{base}/redoc.standalone.js"] = Document(redoc_bundle().read_bytes(), "text/javascript", ASSET_CACHE)
    return docs
