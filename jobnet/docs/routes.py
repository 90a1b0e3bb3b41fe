"""/v1/docs/: ReDoc (its standalone bundle from the drf-spectacular-sidecar package, served from
the installed package, never a copy in this repository) reading /v1/openapi.json, and the
catalogue pages beside it. Everything is rendered once, at start-up."""
from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import flask

from jobnet.docs import pages

REDOC_IN_PACKAGE = Path("static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")


def redoc_bundle() -> Path:
    """The bundle's path, found without importing the package (its __init__ imports Django)."""
    spec = importlib.util.find_spec("drf_spectacular_sidecar")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("drf-spectacular-sidecar is not installed (pyproject.toml): ReDoc cannot be served")
    path = Path(next(iter(spec.submodule_search_locations))) / REDOC_IN_PACKAGE
    if not path.is_file():
        raise RuntimeError(f"ReDoc's bundle is missing from drf-spectacular-sidecar: {path}")
    return path


def mount(app: flask.Flask) -> None:
    html, js = "text/html; charset=utf-8", "application/json"
    made: dict[str, tuple[Callable[[], str | bytes], str]] = {
        "": (pages.redoc_html, html),
        "fejlkatalog.html": (pages.catalogue_html, html), "fejlkatalog.json": (pages.catalogue_json, js),
        "kodelister.html": (pages.codelists_html, html), "kodelister.json": (pages.codelists_json, js),
        "kilder.html": (pages.provenance_html, html), "kilder.json": (pages.provenance_json, js),
    }
    rendered = {name: (make(), mimetype) for name, (make, mimetype) in made.items()}
    bundle = redoc_bundle().read_bytes()

    @app.route("/v1/docs")
    def docs_root() -> flask.Response:
        return flask.redirect("/v1/docs/", code=308)

    @app.route("/v1/docs/", defaults={"name": ""})
    @app.route("/v1/docs/<name>")
    def docs_page(name: str) -> flask.Response:
        if name == "redoc.standalone.js":
            response = flask.Response(bundle, mimetype="application/javascript")
        elif name in rendered:
            body, mimetype = rendered[name]
            response = flask.Response(body, mimetype=mimetype)
        else:
            flask.abort(404)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response
