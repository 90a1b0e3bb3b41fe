"""One command (issue 11): `jobnet` with its subcommands, each with --help; the Makefile calls it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
