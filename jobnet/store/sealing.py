"""Secrets the store has to give back, sealed with a key that lives outside the database.

A job centre's planner route password is sent to the planner (HTTP basic), so it cannot be hashed;
it is stored as ``fernet:<token>`` (cryptography's Fernet: AES-128-CBC with an HMAC), and the key
is a file of its own (``JOBNET_SECRET_KEY_FILE``, made by ``make auth``), so the database file,
a backup or a dump of it does not reveal any password. A value without the prefix was stored in
clear by an earlier version; ``Database.migrate`` seals such values when it has the key.
"""
from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from jobnet.errors import SealingError
from jobnet.store.engine import Connection

PREFIX = "fernet:"


class Sealer:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def generate(cls) -> Sealer:
        return cls(Fernet.generate_key())

    @classmethod
    def from_file(cls, path: Path) -> Sealer:
        try:
            return cls(path.read_bytes().strip())
        except (OSError, ValueError) as exc:
            raise SealingError(f"cannot read the secret key {path}: {exc}") from None

    @staticmethod
    def create_key_file(path: Path) -> Path:
        """Write a new key to ``path`` (0600) unless the file exists."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(Fernet.generate_key())
        return path

    def seal(self, secret: str) -> str:
        return PREFIX + self._fernet.encrypt(secret.encode()).decode("ascii")

    def open(self, stored: str) -> str:
        if not is_sealed(stored):
            return stored  # stored in clear by an earlier version
        try:
            return self._fernet.decrypt(stored[len(PREFIX):].encode("ascii")).decode()
        except InvalidToken:
            raise SealingError("a stored secret was sealed with another key") from None


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(sealer: Sealer | None, secret: str | None) -> str | None:
    if secret is None:
        return None
    if sealer is None:
        raise SealingError("a planner route password needs the secret key: set JOBNET_SECRET_KEY_FILE "
                           "(`make auth` makes var/auth/secret.key)")
    return sealer.seal(secret)


def unseal(sealer: Sealer | None, stored: str | None) -> str | None:
    if stored is None or not is_sealed(stored):
        return stored
    if sealer is None:
        raise SealingError("the database holds sealed planner route passwords: set JOBNET_SECRET_KEY_FILE")
    return sealer.open(stored)


def seal_clear_passwords(conn: Connection, sealer: Sealer) -> None:
    """Seal the route passwords an earlier version stored in clear (in the caller's transaction)."""
    for kode, stored in conn.execute("SELECT kode, soap_password FROM jobcentre "
                                     "WHERE soap_password IS NOT NULL").fetchall():
        if not is_sealed(stored):
            conn.execute("UPDATE jobcentre SET soap_password = ? WHERE kode = ?", [sealer.seal(stored), kode])
