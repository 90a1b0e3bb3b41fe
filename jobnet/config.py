"""Every setting of the service, in one typed place.

A setting comes from, in this order (the later wins): its default here, the TOML file named by
``JOBNET_CONFIG`` (keys are the field names: ``port = 8081``), the environment (``JOBNET_PORT``).
Everything is checked when the settings are read, and a wrong value stops the start with a line
that names the setting and what is wrong (``ConfigError``). No other module reads the environment:
they are given a ``Settings``. ``jobnet config`` prints the effective settings, secrets masked, and
the README's table of settings is checked against ``FIELDS`` (tests/unit/test_config.py).
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobnet.errors import ConfigError
from jobnet.store.sealing import Sealer

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class Setting:
    env: str  # its environment variable
    doc: str  # what it is (the README's table of settings)
    secret: bool = False  # masked by ``jobnet config``


@dataclass(frozen=True)
class Settings:
    database: Path | str = Path("var/jobnet.db")  # a file (SQLite) or a postgresql:// URL
    db_pool_size: int = 16
    db_timeout: float = 5.0
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    validate_responses: bool = False
    auth_config: Path | None = None
    auth_disabled: bool = False
    rate_client: str = "200/1"
    rate_citizen: str = "20/60"
    rate_planner_client: str = "20/1"
    max_future_bookings: int = 10
    recovery_seconds: float = 60.0
    secret_key_file: Path | None = None
    request_timeout: float = 15.0
    keep_alive: float = 5.0
    max_connections: int = 1000
    public_url: str = ""
    log_key: str = ""
    log_level: str = "INFO"
    metrics_dir: Path | None = None
    pg_bin: Path | None = None

    def __post_init__(self) -> None:
        _check(self)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The defaults, then the TOML file of ``JOBNET_CONFIG``, then the environment."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        if env.get("JOBNET_CONFIG"):
            values.update(_toml(Path(env["JOBNET_CONFIG"])))
        for f in FIELDS:
            raw = env.get(SETTINGS[f.name].env)
            if raw is not None:
                values[f.name] = _parse(f, raw, SETTINGS[f.name].env)
        return cls(**values)

    def access_log_key(self) -> bytes:
        return self.log_key.encode() or os.urandom(32)

    def sealer(self) -> Sealer | None:
        return Sealer.from_file(self.secret_key_file) if self.secret_key_file is not None else None

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def describe(self) -> Iterator[tuple[str, str, str]]:
        """(environment variable, effective value, what it is) of every setting, secrets masked."""
        for f in FIELDS:
            value, setting = getattr(self, f.name), SETTINGS[f.name]
            if f.name == "auth_disabled":
                shown = "off" if value else "on"
            elif f.name == "database" and isinstance(value, str):
                from jobnet.store.postgres import redacted

                shown = redacted(value)
            else:
                shown = "***" if setting.secret and value else _show(value)
            yield setting.env, shown, setting.doc


# Each field's environment variable and meaning (the README's table is checked against this).
SETTINGS: dict[str, Setting] = {
    "database": Setting(
        "JOBNET_DB",
        "the database: a file path (SQLite) or a `postgresql://` URL (PostgreSQL; shown without its password)"),
    "db_pool_size": Setting("JOBNET_DB_POOL", "PostgreSQL connections per worker process (the pool's largest size)"),
    "db_timeout": Setting(
        "JOBNET_DB_TIMEOUT",
        "seconds to wait for a PostgreSQL connection (connecting, or a free one of the pool); then 503 / 8311"),
    "host": Setting("JOBNET_HOST", "address to bind"),
    "port": Setting("JOBNET_PORT", "port"),
    "workers": Setting("JOBNET_WORKERS", "server processes of `jobnet serve`"),
    "validate_responses": Setting(
        "JOBNET_VALIDATE_RESPONSES",
        "`1` makes connexion validate every response against the spec (on in the tests)"),
    "auth_config": Setting(
        "JOBNET_AUTH_CONFIG",
        "trusted token issuers and planner clients (`var/auth/issuers.json` set by `make`; see *Keys from "
        "the identity provider*)"),
    "auth_disabled": Setting(
        "JOBNET_AUTH",
        "`off` serves without caller authentication (local experiments only; logged as a warning)"),
    "rate_client": Setting(
        "JOBNET_RATE_CLIENT",
        "writes per client (token issuer+subject), `COUNT/SECONDS` or `off`; per worker process on SQLite, "
        "shared by all instances on PostgreSQL"),
    "rate_citizen": Setting(
        "JOBNET_RATE_CITIZEN",
        "writes per citizen, `COUNT/SECONDS` or `off`; per worker on SQLite, shared on PostgreSQL"),
    "rate_planner_client": Setting(
        "JOBNET_RATE_PLANNER_CLIENT",
        "calls per planner client on the SOAP endpoint (429 / 8309), `COUNT/SECONDS` or `off`; per worker on "
        "SQLite, shared on PostgreSQL"),
    "max_future_bookings": Setting("JOBNET_MAX_FUTURE_BOOKINGS", "live future bookings one citizen can hold (8310)"),
    "recovery_seconds": Setting(
        "JOBNET_RECOVERY_SECONDS",
        "how often each worker reconciles planner changes left half-made (stale intents); `0`: only at "
        "start-up"),
    "secret_key_file": Setting(
        "JOBNET_SECRET_KEY_FILE",
        "the key that seals planner route passwords in the database (`var/auth/secret.key` set by `make`)"),
    "request_timeout": Setting(
        "JOBNET_REQUEST_TIMEOUT",
        "seconds a request has to arrive whole from its first byte (and a new connection to start one); "
        "then the connection is closed"),
    "keep_alive": Setting("JOBNET_KEEP_ALIVE", "seconds an idle keep-alive connection stays open"),
    "max_connections": Setting("JOBNET_MAX_CONNECTIONS", "connections per worker; one more is closed at once"),
    "public_url": Setting(
        "JOBNET_PUBLIC_URL",
        "this service's base URL as others reach it: the WSDL's `soap:address`, the demo's route of job "
        "centre 40404 (empty: `http://HOST:PORT`)"),
    "log_key": Setting(
        "JOBNET_LOG_KEY",
        "key of the citizen pseudonym in the access log (set it to correlate across workers; empty: "
        "random per process)",
        secret=True),
    "log_level": Setting("JOBNET_LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR"),
    "metrics_dir": Setting(
        "JOBNET_METRICS_DIR",
        "where the workers of `jobnet serve` keep their metrics (prometheus-client's multiprocess mode; "
        "`jobnet serve` sets it)"),
    "pg_bin": Setting(
        "JOBNET_PG_BIN",
        "PostgreSQL's server binaries for a throwaway local server (empty: the machine's, else PyPI's "
        "pgserver)"),
}
FIELDS = dataclasses.fields(Settings)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _parse(f: dataclasses.Field[Any], raw: Any, where: str) -> Any:
    """A value from the environment (a string) or the TOML file (a string, number or boolean)."""
    kind = str(f.type)
    text = str(raw).strip()
    try:
        if f.name == "auth_disabled":  # JOBNET_AUTH=on|off (auth_disabled = true|false in TOML)
            if isinstance(raw, bool):
                return raw
            if text not in ("on", "off"):
                raise ValueError("must be on or off")
            return text == "off"
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            if text not in ("0", "1", "true", "false"):
                raise ValueError("must be 0 or 1")
            return text in ("1", "true")
        if kind == "int":
            if isinstance(raw, bool) or (not isinstance(raw, int) and not text.lstrip("-").isdigit()):
                raise ValueError("must be a whole number")
            return int(text)
        if kind == "float":
            if isinstance(raw, bool):
                raise ValueError("must be a number")
            return float(text)
        if f.name == "database":
            if not text:
                raise ValueError("must be a file path or a postgresql:// URL")
            return text if text.startswith(("postgresql://", "postgres://")) else Path(text)
        if kind.startswith("Path"):
            return Path(text) if text else None
        return text
    except ValueError as exc:
        why = str(exc) if str(exc).startswith("must") else "must be a number"
        raise ConfigError(f"{where}: {raw!r} {why}") from None


def _toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"JOBNET_CONFIG: cannot read {path}: {exc}") from None
    names = {f.name: f for f in FIELDS}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            raise ConfigError(f"{path}: unknown setting {key!r} (settings: {', '.join(sorted(names))})")
        values[key] = _parse(names[key], value, f"{path}: {key}")
    return values


def _check(s: Settings) -> None:
    from jobnet.edge.ratelimit import TokenBucket

    def fail(name: str, why: str) -> None:
        raise ConfigError(f"{SETTINGS[name].env}: {getattr(s, name)!r} {why}")

    if not 0 < s.port < 65536:
        fail("port", "must be a port number (1-65535)")
    for name in ("workers", "max_connections", "max_future_bookings", "db_pool_size"):
        if getattr(s, name) < 1:
            fail(name, "must be at least 1")
    for name in ("request_timeout", "keep_alive", "db_timeout"):
        if getattr(s, name) <= 0:
            fail(name, "must be more than 0 seconds")
    if s.recovery_seconds < 0:
        fail("recovery_seconds", "must be 0 or more")
    if s.log_level.upper() not in LOG_LEVELS:
        fail("log_level", f"must be one of {', '.join(LOG_LEVELS)}")
    for name in ("rate_client", "rate_citizen", "rate_planner_client"):
        try:
            TokenBucket.parse(getattr(s, name), "off")
        except (ValueError, ZeroDivisionError):
            fail(name, "must be COUNT/SECONDS (e.g. 20/60) or off")
    if isinstance(s.database, str) and not s.database.startswith(("postgresql://", "postgres://")):
        fail("database", "must be a file path or a postgresql:// URL")
    if s.public_url and not s.public_url.startswith(("http://", "https://")):
        fail("public_url", "must be an http:// or https:// URL")


def markdown_table() -> str:
    """The README's table of settings (tests/unit/test_config.py checks that the README has it)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for env, value, doc in Settings().describe():
        rows.append(f"| `{env}` | {f'`{value}`' if value else '(empty)'} | {doc} |")
    return "\n".join(rows)
