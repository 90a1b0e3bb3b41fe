"""specs/ ships with the package (issue 13, item 10): a wheel holds the contract, the migrations and the
page templates, and jobnet.specfiles finds the contract where an installed copy has it."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted(p.name for p in (ROOT / "specs").iterdir() if p.suffix in (".yaml", ".xsd", ".wsdl", ".json"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    for name in ("jobnet", "handlers", "generated", "specs"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",  # as `pip install .` builds
                           "-w", str(out), str(src)], check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (found,) = out.glob("*.whl")
    return zipfile.ZipFile(found)


def test_the_wheel_carries_the_contract_migrations_and_templates(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    shipped = sorted(n.rsplit("/", 1)[1] for n in names if "/data/share/jobnet-selvbooking/specs/" in n)
    assert shipped == SPECS
    assert {"jobnet/specfiles.py", "jobnet/store/migrations/sqlite/0001_core.sql", "jobnet/store/migrations/postgresql/0001_core.sql", "jobnet/edge/swagger_ui.html",
            "generated/routes.py", "handlers/selvbooking.py"} <= set(names)


def test_an_installed_copy_reads_the_contract_from_its_prefix(tmp_path: Path) -> None:
    """jobnet/specfiles.py as an installed copy sees it: no specs/ beside the package, the contract
    under <prefix>/share/jobnet-selvbooking/specs."""
    site = tmp_path / "lib" / "site-packages"
    (site / "jobnet").mkdir(parents=True)
    shutil.copy(ROOT / "jobnet" / "specfiles.py", site / "jobnet" / "specfiles.py")
    shutil.copytree(ROOT / "specs", tmp_path / "share" / "jobnet-selvbooking" / "specs")
    code = ("import sys, importlib.util; sys.prefix = sys.argv[1]; "
            "spec = importlib.util.spec_from_file_location('specfiles', sys.argv[2]); "
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); "
            "print(m.SPECS); print(m.openapi()['info']['title'])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(site / "jobnet" / "specfiles.py")],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    where, title = done.stdout.splitlines()
    assert Path(where) == tmp_path / "share" / "jobnet-selvbooking" / "specs" and title
