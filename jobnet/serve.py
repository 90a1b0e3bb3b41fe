"""The production server: ``python -m jobnet.serve`` (settings from the environment, jobnet.config).

uvicorn (httptools, uvloop) serving ``jobnet.asgi:app`` with what uvicorn leaves out against slow
and idle connections (issue 9 #5):

- a request must arrive whole within ``JOBNET_REQUEST_TIMEOUT`` seconds (default 15) of its first
  byte, and a new connection must start one within the same time: a socket that stops in the
  middle of its headers (or never sends any) is closed. uvicorn itself has no such timeout; its
  keep-alive timeout starts only after a first response;
- an idle keep-alive connection is closed after ``JOBNET_KEEP_ALIVE`` seconds (default 5);
- each worker holds at most ``JOBNET_MAX_CONNECTIONS`` connections (default 1000); one more is
  closed at once (with a request timeout of 15 s, a host that opens that many stalled sockets
  holds them for 15 s at most);
- the open-file limit is raised to its hard limit, so the cap is reached before the descriptors run out.

Every log record is one JSON line on stderr (jobnet.logs), and the workers' metrics add up in one
directory (prometheus-client's multiprocess mode; jobnet.metrics).
"""
from __future__ import annotations

import asyncio
import gc
import os
import resource
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from jobnet.config import Settings
from jobnet.errors import ConfigError
from jobnet.logs import configure_logging

# prometheus-client's own name for the directory. It chooses its kind of values when it is first
# imported, so nothing here imports it: it must see the directory in the environment first.
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


@cache
def _settings() -> Settings:
    return Settings.from_env()  # in each worker process, as the app itself reads them


class GuardedHttpTools(HttpToolsProtocol):
    """httptools' protocol with a deadline for every request to arrive and a connection cap."""

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # uvicorn types it BaseTransport
        if len(self.connections) >= _settings().max_connections:
            transport.close()
            return
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:
            self._arm()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(_settings().request_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


# The collector in a worker (issue 14): with Python's default (a collection every 700 allocations) a
# worker spent 16 % of its CPU in the collector under the benchmark's load, in pauses of up to 270 ms.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    """In a worker once the app is made: what exists now (the app, the contract, the published
    documents, the imported modules) lives as long as the process, so the collector stops looking
    at it (gc.freeze); the youngest generation is collected after 50,000 allocations."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def raise_open_file_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return soft


def config(settings: Settings) -> dict[str, Any]:
    """uvicorn's settings for ``settings``."""
    return {"host": settings.host, "port": settings.port, "workers": settings.workers,
            "http": "jobnet.serve:GuardedHttpTools", "loop": "auto", "access_log": False,
            "timeout_keep_alive": settings.keep_alive, "timeout_graceful_shutdown": 30,
            "proxy_headers": False, "server_header": False}


def metrics_directory(settings: Settings) -> Path:
    """The directory the workers write their metrics to (JOBNET_METRICS_DIR, else a new one),
    emptied of an earlier run's files and named in the environment the workers inherit."""
    directory = settings.metrics_dir or Path(tempfile.mkdtemp(prefix="jobnet-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROCESS_ENV] = os.environ["JOBNET_METRICS_DIR"] = str(directory)
    return directory


def main(argv: list[str] | None = None) -> int:
    """``jobnet serve``: the settings from the environment (and JOBNET_CONFIG)."""
    try:
        settings = Settings.from_env()
    except ConfigError as exc:  # checked before anything starts: one line naming the setting
        print(f"jobnet serve: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    raise_open_file_limit()
    metrics_directory(settings)
    uvicorn.run("jobnet.asgi:app", **config(settings), log_config=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
