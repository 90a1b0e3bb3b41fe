"""SQLite's WAL checkpoints in a thread of their own, never inside a request's COMMIT.

By default SQLite checkpoints in the COMMIT that takes the write-ahead log past 1,000 pages: that
COMMIT copies the log into the database file and syncs both, while it still holds the write lock.
Measured on the 1× benchmark database (issue 14): a booking's COMMIT took 0.16 ms at p50 and 21 ms
at p99 (550 ms at worst), and 85 % of all COMMIT time was in those checkpoints, during which every
other writer of the country waited. So the served app checkpoints here instead: a daemon thread
with its own connection runs a PASSIVE checkpoint every ``interval`` seconds (PASSIVE takes no lock
a writer or reader waits for; it copies what no open read still needs), and the request
connections checkpoint themselves only past ``SAFETY_PAGES``, should this thread fall far behind.
Other programs on the file (the CLI, the loader) keep SQLite's default.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger("jobnet.store")

INTERVAL_S = 0.2
SAFETY_PAGES = 10_000  # about 40 MB of log: a commit checkpoints only if this thread stalls


class Checkpointer:
    """PASSIVE checkpoints of ``path`` every ``interval`` seconds in a daemon thread until ``stop()``."""

    def __init__(self, path: Path, interval: float = INTERVAL_S) -> None:
        self.path = path
        self.interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="jobnet-checkpoint", daemon=True)

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.interval + 30)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
        try:
            while not self._stopped.wait(self.interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as exc:  # e.g. the file was replaced by a restore: try again later
                    log.warning("background checkpoint failed: %s", exc)
        finally:
            conn.close()
