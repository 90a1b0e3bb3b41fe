"""/v1/docs/ as a reader sees it: headless Chromium (Debian's `chromium`; `make test` installs it where
it can) loads the pages from the real server process, runs ReDoc, and the rendered page shows all 14
operations; the error catalogue page shows every code. Without Chromium this fails and says how."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "specs" / "openapi.yaml").read_text(encoding="utf-8"))
OPERATIONS = sorted(op["operationId"] for item in SPEC["paths"].values() for op in item.values())
CODES = [e["fejlkode"] for e in yaml.safe_load((ROOT / "specs" / "errors.yaml").read_text(encoding="utf-8"))["errors"]]


def rendered(url: str, tmp: Path) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "Chromium is missing: `make browser` installs Debian's package (apt-get install chromium)"
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           f"--user-data-dir={tmp}", "--virtual-time-budget=20000", "--dump-dom", url],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_redoc_renders_all_fourteen_operations(server: str, tmp_path: Path) -> None:
    dom = rendered(f"{server}/v1/docs/", tmp_path)
    shown = sorted(set(re.findall(r'id="operation/([A-Za-z]+)"', dom)))
    assert len(OPERATIONS) == 14 and shown == OPERATIONS, set(OPERATIONS) ^ set(shown)
    for title in ("Jobnet selvbooking", "GetBookings (GetBookings)"):
        assert title in dom
    assert 'href="fejlkatalog.html"' in dom and 'href="kodelister.html"' in dom


def test_the_catalogue_page_renders_every_code(server: str, tmp_path: Path) -> None:
    dom = rendered(f"{server}/v1/docs/fejlkatalog.html", tmp_path)
    assert sorted(int(c) for c in re.findall(r'<tr id="fejlkode-(\d+)">', dom)) == sorted(CODES)


@pytest.mark.parametrize("page", ["kodelister.html", "kilder.html"])
def test_the_other_pages_render(server: str, tmp_path: Path, page: str) -> None:
    dom = rendered(f"{server}/v1/docs/{page}", tmp_path)
    assert "<table>" in dom and "<h1>" in dom
