"""Wired in one place (issue 13, item 8): create_app builds every component from its settings;
nothing is kept in a module or read from the environment at import time."""
from __future__ import annotations

import importlib
import logging
from typing import Any

import pytest

from jobnet.config import Settings
from jobnet.demo import SELVBOOKER

CPR = SELVBOOKER


def _app(tmp_path: Any, auth_dir: Any, **settings: Any) -> Any:
    from jobnet.app import create_app

    return create_app(Settings(database=tmp_path / "jobnet.db", auth_config=auth_dir / "issuers.json",
                               recovery_seconds=0, **settings))


def test_each_app_trusts_only_its_own_issuers(tmp_path: Any, auth_dir: Any, token: str) -> None:
    from jobnet import tokens

    other_dir = tmp_path / "other-auth"
    tokens.init(other_dir)
    ours, theirs = _app(tmp_path, auth_dir), _app(tmp_path, other_dir)
    headers = {"Authorization": f"Bearer {token}", "x-civilRegistrationIdentifier": CPR}
    with ours.test_client() as client:
        assert client.get("/v1/borgerstatus", headers=headers).status_code == 404  # in, and nobody is known
    with theirs.test_client() as client:
        refused = client.get("/v1/borgerstatus", headers=headers)
    assert refused.status_code == 401 and refused.json()["fejlkode"] == 8307


def test_no_module_keeps_trusted_issuers() -> None:
    from jobnet.edge import auth

    assert not [name for name, value in vars(auth).items() if isinstance(value, list | dict | set)
                and not name.startswith("__") and name != "ALGORITHMS"]


def test_the_access_log_key_comes_from_the_settings(tmp_path: Any, auth_dir: Any, token: str,
                                                    caplog: pytest.LogCaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from jobnet.edge import accesslog

    monkeypatch.setenv("JOBNET_LOG_KEY", "changed after import")
    importlib.reload(accesslog)  # importing reads nothing from the environment
    assert not any(isinstance(v, bytes) for v in vars(accesslog).values())
    caplog.set_level(logging.INFO, logger="jobnet.access")
    headers = {"Authorization": f"Bearer {token}", "x-civilRegistrationIdentifier": CPR}
    for app in (_app(tmp_path, auth_dir, log_key="shared"), _app(tmp_path, auth_dir, log_key="shared"),
                _app(tmp_path, auth_dir, log_key="another")):
        with app.test_client() as client:
            client.get("/v1/borgerstatus", headers=headers)
    citizens = [r.access["citizen"] for r in caplog.records if r.name == "jobnet.access"]  # type: ignore[attr-defined]
    assert len(citizens) == 3 and citizens[0] == citizens[1] != citizens[2]
    assert citizens[0] == accesslog.pseudonym(b"shared", CPR)


def test_the_served_app_checkpoints_in_a_thread_that_its_shutdown_stops(tmp_path: Any, auth_dir: Any) -> None:
    import threading

    from jobnet.store.checkpoint import SAFETY_PAGES

    def checkpointers() -> int:
        return sum(1 for t in threading.enumerate() if t.name == "jobnet-checkpoint")

    before = checkpointers()
    app = _app(tmp_path, auth_dir)
    services = app.app.extensions["jobnet"]
    assert checkpointers() == before + 1
    assert services.db.engine.connection().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == SAFETY_PAGES
    for stop in services.on_shutdown:
        stop()
    assert checkpointers() == before
