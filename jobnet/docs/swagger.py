"""Swagger UI's options: connexion's bundled UI with our page (jobnet/docs/swagger_index.j2), which
gives every write a fresh x-requestId. connexion reads the page and the UI's static files from one
folder; it is made once per process of links to the installed bundle plus our page."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from connexion.options import SwaggerUIOptions

PAGE = Path(__file__).with_name("swagger_index.j2")


@cache
def template_dir() -> Path:
    from swagger_ui_bundle import swagger_ui_path

    folder = Path(tempfile.mkdtemp(prefix="jobnet-swagger-ui-"))
    atexit.register(shutil.rmtree, folder, True)
    for item in Path(swagger_ui_path).iterdir():
        if item.name != "index.j2":
            (folder / item.name).symlink_to(item)
    (folder / "index.j2").symlink_to(PAGE)
    return folder


def options() -> SwaggerUIOptions:
    return SwaggerUIOptions(swagger_ui=True, swagger_ui_template_dir=str(template_dir()))
