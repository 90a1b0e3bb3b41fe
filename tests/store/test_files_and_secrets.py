"""Files and secrets (issue 9 #8): the data directory is 0700, the database and its WAL 0600, and
planner route passwords are sealed in the database with a key kept outside it."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from jobnet import tokens
from jobnet.errors import SealingError
from jobnet.loader import load
from jobnet.store import Database
from jobnet.store.sealing import Sealer

ROUTE = {"jobcentre": [{"kode": "50505", "navn": "Jobcenter Rute", "planner": "soap",
                        "soap_url": "https://planner.example/soap", "soap_username": "dfdg",
                        "soap_password": "meget-hemmelig-adgangskode"}]}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_directory_are_private(tmp_path: Path) -> None:
    db = Database(tmp_path / "var" / "data" / "jobnet.db")
    db.migrate()
    assert mode(tmp_path / "var") == 0o700 and mode(tmp_path / "var" / "data") == 0o700
    for suffix in ("", "-wal", "-shm"):
        assert mode(Path(f"{db.path}{suffix}")) == 0o600, suffix
    db.close()


def test_an_existing_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Database(path).migrate()
    path.chmod(0o644)
    Database(path).migrate()
    assert mode(path) == 0o600


def test_the_auth_directory_is_private_and_holds_the_key(tmp_path: Path) -> None:
    tokens.init(tmp_path / "var" / "auth")
    assert mode(tmp_path / "var") == 0o700 and mode(tmp_path / "var" / "auth") == 0o700
    assert mode(tmp_path / "var" / "auth" / "secret.key") == 0o600
    Sealer.from_file(tmp_path / "var" / "auth" / "secret.key")  # a usable key


def test_a_route_password_is_sealed_in_the_database(tmp_path: Path) -> None:
    sealer = Sealer.generate()
    db = Database(tmp_path / "j.db", sealer=sealer)
    db.migrate()
    load(db, ROUTE)
    stored = db.conn.execute("SELECT soap_password FROM jobcentre WHERE kode = '50505'").fetchone()[0]
    assert stored.startswith("fernet:") and "meget-hemmelig" not in stored
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"meget-hemmelig" not in (tmp_path / "j.db").read_bytes()
    with db.read() as r:
        assert r.jobcentre.get("50505").soap_password == "meget-hemmelig-adgangskode"
    db.close()
    with pytest.raises(SealingError, match="JOBNET_SECRET_KEY_FILE"), \
            Database(tmp_path / "j.db").read() as r:  # without the key
        r.jobcentre.get("50505")
    with pytest.raises(SealingError, match="another key"), \
            Database(tmp_path / "j.db", sealer=Sealer.generate()).read() as r:
        r.jobcentre.get("50505")


def test_a_route_password_needs_the_key_to_be_stored(tmp_path: Path) -> None:
    db = Database(tmp_path / "j.db")
    db.migrate()
    with pytest.raises(SealingError):
        load(db, ROUTE)
    assert db.conn.execute("SELECT count(*) FROM jobcentre").fetchone() == (0,)


def test_a_password_an_earlier_version_stored_in_clear_is_sealed_on_migrate(tmp_path: Path) -> None:
    sealer = Sealer.generate()
    db = Database(tmp_path / "j.db", sealer=sealer)
    db.migrate()
    load(db, {"jobcentre": [{**ROUTE["jobcentre"][0], "soap_password": None, "soap_username": "dfdg"}]})
    db.conn.execute("UPDATE jobcentre SET soap_password = 'i-klartekst' WHERE kode = '50505'")
    db.migrate()
    stored = db.conn.execute("SELECT soap_password FROM jobcentre").fetchone()[0]
    assert stored.startswith("fernet:") and sealer.open(stored) == "i-klartekst"
