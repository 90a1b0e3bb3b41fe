"""/v1/docs/: ReDoc from the installed bundle, the error catalogue, the code lists and the provenance
list as HTML and JSON; Swagger UI gives every write a fresh x-requestId."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from jobnet.docs.published import redoc_bundle
from jobnet.specfiles import SPECS

CATALOGUE = yaml.safe_load((SPECS / "errors.yaml").read_text(encoding="utf-8"))["errors"]
CODELISTS = yaml.safe_load((SPECS / "codelists.yaml").read_text(encoding="utf-8"))["codelists"]


@pytest.fixture(scope="module")
def client(module_app: Any) -> Any:
    with module_app.test_client() as c:
        yield c


def test_redoc_is_served_from_the_installed_package_not_from_the_repository(client: Any) -> None:
    page = client.get("/v1/docs/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'src="redoc.standalone.js"' in page.text and "../openapi.json" in page.text
    for link in ("fejlkatalog.html", "kodelister.html", "kilder.html"):
        assert f'href="{link}"' in page.text
    bundle = client.get("/v1/docs/redoc.standalone.js")
    assert bundle.status_code == 200 and bundle.content == redoc_bundle().read_bytes()
    assert "site-packages" in str(redoc_bundle()) or "dist-packages" in str(redoc_bundle())
    assert client.get("/v1/docs", follow_redirects=False).status_code == 308
    assert client.get("/v1/docs/nothing-here").status_code == 404


def test_the_catalogue_page_and_json_list_every_code_with_both_texts(client: Any) -> None:
    page = client.get("/v1/docs/fejlkatalog.html").text
    data = client.get("/v1/docs/fejlkatalog.json").json()["fejlkoder"]
    assert [e["fejlkode"] for e in data] == sorted(e["fejlkode"] for e in CATALOGUE)
    for e in CATALOGUE:
        row = re.search(rf'<tr id="fejlkode-{e["fejlkode"]}">(.*?)</tr>', page, re.S)
        assert row, e["fejlkode"]
        cells = row.group(1)
        assert f"<td>{e['http_status']}" in cells
        for text in (e["fejltekst"], e["fejltekst_en"]):
            assert text.replace("'", "&#x27;") in cells, (e["fejlkode"], text)


def test_the_code_list_page_and_json_list_every_value(client: Any) -> None:
    page = client.get("/v1/docs/kodelister.html").text
    data = client.get("/v1/docs/kodelister.json").json()["kodelister"]
    assert data == CODELISTS
    for name, spec in CODELISTS.items():
        assert f'<h2 id="{name}">' in page
        for v in spec["values"]:
            assert f"<code>{v['id']}</code></td><td>{v['navn']}" in page.replace("&#x27;", "'"), (name, v["id"])


def test_the_provenance_page_counts_and_lists(client: Any) -> None:
    data = client.get("/v1/docs/kilder.json").json()
    assert data["optaelling"]["operation"] == {"star": 11, "forslag": 2, "udvidelse": 1}
    assert "CreateStraksbooking" in client.get("/v1/docs/kilder.html").text


def test_swagger_ui_sends_a_fresh_request_id_with_every_write(client: Any, tmp_path: Any) -> None:
    page = client.get("/v1/ui/")
    assert page.status_code == 200
    fresh = re.search(r"(function freshId\(\) \{.*?\n    \})", page.text, re.S)
    interceptor = re.search(r"requestInterceptor: (function \(request\) \{.*?return request;\s*\})", page.text, re.S)
    assert fresh and interceptor, "the interceptor is missing"
    node = shutil.which("node")
    assert node, "node is needed to run Swagger UI's interceptor (Debian package nodejs)"
    program = tmp_path / "interceptor.js"
    program.write_text("var window = globalThis;\n" + fresh.group(1) + "\nvar withFreshRequestId = "
                       + interceptor.group(1) + ";" + """
const a = withFreshRequestId({method: "post", headers: {"x-requestId": "5e0c7a3d"}});
const b = withFreshRequestId({method: "DELETE", headers: {"x-requestId": "5e0c7a3d"}});
const g = withFreshRequestId({method: "GET", headers: {}});
console.log(JSON.stringify([a.headers["x-requestId"], b.headers["x-requestId"], g.headers["x-requestId"] || null]));
""", encoding="utf-8")
    first, second, read = json.loads(subprocess.run([node, str(program)], capture_output=True, text=True,
                                                    check=True, timeout=30).stdout)
    assert first != second and "5e0c7a3d" not in (first, second) and len(first) == 36 and read is None
