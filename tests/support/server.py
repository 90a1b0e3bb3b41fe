"""The production command (``python -m jobnet.serve``) on 127.0.0.1 with the demo data, loaded
by the same command `make run` uses, relative to the real today: the ``server`` fixture (its
base URL; ``TOKEN`` holds the Authorization header) for the end-to-end, browser and client tests."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.net import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]


TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, auth_dir: Path) -> Iterator[str]:
    from jobnet import tokens

    db = tmp_path_factory.mktemp("e2e") / "jobnet.db"
    env = {**os.environ, "JOBNET_DB": str(db), "JOBNET_VALIDATE_RESPONSES": "1",
           "JOBNET_AUTH_CONFIG": str(auth_dir / "issuers.json")}
    TOKEN["Authorization"] = f"Bearer {tokens.mint(auth_dir)}"
    subprocess.run([sys.executable, "-m", "jobnet.demo", "--db", str(db), "--reset"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "jobnet.serve"], cwd=ROOT,  # the production command
                            env={**env, "JOBNET_HOST": "127.0.0.1", "JOBNET_PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
