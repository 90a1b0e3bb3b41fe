"""Settings from the environment (documented in the README)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jobnet.store.sealing import Sealer


@dataclass(frozen=True)
class Settings:
    database: Path = Path("var/jobnet.db")
    host: str = "127.0.0.1"
    port: int = 8080
    validate_responses: bool = False
    auth_config: Path | None = None  # trusted token issuers (jobnet.edge.auth); JOBNET_AUTH_CONFIG
    auth_disabled: bool = False  # JOBNET_AUTH=off: no caller authentication (local experiments only)
    rate_client: str = "200/1"  # writes per client (token sub): COUNT/SECONDS or off
    rate_citizen: str = "20/60"  # writes per citizen: COUNT/SECONDS or off
    rate_planner_client: str = "20/1"  # SOAP calls per planner client: COUNT/SECONDS or off
    max_future_bookings: int = 10  # live future bookings one citizen may hold (8310)
    recovery_seconds: float = 0.0  # reconcile stale planner intents this often (0: only at start-up)
    secret_key_file: Path | None = None  # the key that seals planner route passwords (jobnet.store.sealing)
    workers: int = 1  # server processes (jobnet.serve)
    request_timeout: float = 15.0  # seconds for a request to arrive whole, from its first byte
    keep_alive: float = 5.0  # seconds an idle keep-alive connection stays open
    max_connections: int = 1000  # connections per worker; one more is closed at once
    public_url: str = ""  # this service's base URL as others reach it (the WSDL's soap:address); "": http://host:port
    log_key: str = ""  # key of the citizen pseudonym in the access log (JOBNET_LOG_KEY); "": random per app

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database=Path(env.get("JOBNET_DB", cls.database)),
            host=env.get("JOBNET_HOST", cls.host),
            port=int(env.get("JOBNET_PORT", cls.port)),
            validate_responses=env.get("JOBNET_VALIDATE_RESPONSES", "0") == "1",
            auth_config=Path(env["JOBNET_AUTH_CONFIG"]) if env.get("JOBNET_AUTH_CONFIG") else None,
            auth_disabled=env.get("JOBNET_AUTH", "on") == "off",
            rate_client=env.get("JOBNET_RATE_CLIENT", cls.rate_client),
            rate_citizen=env.get("JOBNET_RATE_CITIZEN", cls.rate_citizen),
            rate_planner_client=env.get("JOBNET_RATE_PLANNER_CLIENT", cls.rate_planner_client),
            max_future_bookings=int(env.get("JOBNET_MAX_FUTURE_BOOKINGS", cls.max_future_bookings)),
            recovery_seconds=float(env.get("JOBNET_RECOVERY_SECONDS", "60")),
            workers=int(env.get("JOBNET_WORKERS", cls.workers)),
            request_timeout=float(env.get("JOBNET_REQUEST_TIMEOUT", cls.request_timeout)),
            keep_alive=float(env.get("JOBNET_KEEP_ALIVE", cls.keep_alive)),
            max_connections=int(env.get("JOBNET_MAX_CONNECTIONS", cls.max_connections)),
            public_url=env.get("JOBNET_PUBLIC_URL", ""),
            log_key=env.get("JOBNET_LOG_KEY", ""),
            secret_key_file=Path(env["JOBNET_SECRET_KEY_FILE"]) if env.get("JOBNET_SECRET_KEY_FILE") else None,
        )

    def access_log_key(self) -> bytes:
        return self.log_key.encode() or os.urandom(32)

    def sealer(self) -> Sealer | None:
        return Sealer.from_file(self.secret_key_file) if self.secret_key_file is not None else None

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
