"""One command (issue 11): `jobnet` with its subcommands, each with --help; the Makefile calls it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jobnet.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def jobnet(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jobnet.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, check=False)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str) -> None:
    done = jobnet(command, "--help")
    assert done.returncode == 0 and done.stdout.startswith(f"usage: jobnet {command} "), done.stdout + done.stderr


def test_migrate_demo_and_config_on_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "jobnet.db"
    assert "applied" in jobnet("migrate", JOBNET_DB=str(db)).stdout
    assert "borgere" in jobnet("demo", JOBNET_DB=str(db)).stdout
    shown = jobnet("config", JOBNET_DB=str(db), JOBNET_LOG_KEY="hemmelig").stdout
    assert str(db) in shown and "JOBNET_LOG_KEY" in shown and "hemmelig" not in shown


def test_a_wrong_setting_stops_every_command_with_one_line() -> None:
    for command in ("config", "serve"):
        done = jobnet(command, JOBNET_PORT="abc")
        assert done.returncode == 2 and done.stderr.strip().count("\n") == 0, done.stderr
        assert "JOBNET_PORT: 'abc' must be a whole number" in done.stderr


def test_the_makefile_calls_the_command() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "python -m jobnet." not in makefile and "$(BIN)/jobnet serve" in makefile


@pytest.mark.backend("postgresql")
def test_demo_reset_migrate_recover_and_config_on_postgresql(db: Any) -> None:
    """Every command takes a postgresql:// URL as JOBNET_DB; --reset empties its schema; config masks
    a password in the URL."""
    url = str(db.location)
    assert "borgere" in jobnet("demo", "--reset", JOBNET_DB=url).stdout
    again = jobnet("demo", "--reset", JOBNET_DB=url)  # the same data once more: only after the reset
    assert again.returncode == 0 and "borgere" in again.stdout, again.stderr
    assert "refused" in jobnet("demo", JOBNET_DB=url).stderr  # without it, the second load is refused
    assert jobnet("migrate", JOBNET_DB=url).stdout.startswith("applied 0 migration(s)")
    assert "reconciled 0" in jobnet("recover", JOBNET_DB=url).stdout
    with_password = url.replace("jobnet@", "jobnet:hemmelig@")
    shown = jobnet("config", JOBNET_DB=with_password).stdout
    assert "jobnet:***@" in shown and "hemmelig" not in shown
