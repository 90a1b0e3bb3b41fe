"""Work repeated every few seconds in a daemon thread of the served app until it stops: the
periodic recovery of planner changes (jobnet.recovery) and SQLite's checkpoints (jobnet.store.checkpoint)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Self

log = logging.getLogger("jobnet")


class Periodic:
    """``work()`` every ``every`` seconds until ``stop()``; a failure is logged and the next round
    comes as usual. ``finish()`` runs in the thread once it stops (e.g. to close its connection)."""

    def __init__(self, name: str, every: float, work: Callable[[], object],
                 finish: Callable[[], None] | None = None) -> None:
        self.name = name
        self.every = every
        self._work = work
        self._finish = finish
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.every + 30)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        try:
            while not self._stopped.wait(self.every):
                try:
                    self._work()
                except Exception:
                    log.exception("%s failed", self.name)
        finally:
            if self._finish is not None:
                self._finish()
