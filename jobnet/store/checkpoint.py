"""SQLite's WAL checkpoints in a thread of their own, never inside a request's COMMIT.

By default SQLite checkpoints in the COMMIT that takes the write-ahead log past 1,000 pages: that
COMMIT copies the log into the database file and syncs both, while it still holds the write lock.
Measured on the 1× benchmark database (issue 14): a booking's COMMIT took 0.16 ms at p50 and 21 ms
at p99 (550 ms at worst), and 85 % of all COMMIT time was in those checkpoints, during which every
other writer of the country waited. So the served app checkpoints here instead: a daemon thread
with its own connection, every ``interval`` seconds,

1. runs a PASSIVE checkpoint beside the writers (PASSIVE takes no lock a writer or reader waits
   for): it copies the bulk of the log and syncs the files while bookings go on;
2. then, holding the file's write lock (jobnet.store.locks) for that moment only, a second one for
   the few pages committed meanwhile. Only a log checkpointed to its end between two writers is
   started again from its beginning by the next writer; without this step the log is never
   complete when a writer begins, so it grew to the backstop under steady writes (tried so in an
   earlier round and backed out for that).

The request connections checkpoint in their COMMIT only past ``SAFETY_PAGES``, should this thread
fall far behind. Other programs on the file (the CLI, the loader) keep SQLite's default.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Protocol

from jobnet.periodic import Periodic

log = logging.getLogger("jobnet.store")

INTERVAL_S = 0.2
SAFETY_PAGES = 10_000  # about 40 MB of log: a commit checkpoints only if this thread stalls


class Lock(Protocol):
    def acquire(self, timeout: float) -> bool: ...
    def release(self) -> None: ...


class Checkpointer(Periodic):
    """Checkpoints of ``path`` every ``interval`` seconds in a daemon thread until ``stop()``; the
    second of each pair while holding ``lock``, the writers' turn (None: no second one)."""

    def __init__(self, path: Path, lock: Lock | None, interval: float = INTERVAL_S) -> None:
        super().__init__("jobnet-checkpoint", interval, self._pass, finish=self._close)
        self.path = path
        self.lock = lock
        self.frames = 0  # the log's length at the last pass, in pages
        self.restarts = 0  # passes that found the log started again from its beginning
        self._conn: sqlite3.Connection | None = None  # the thread's own, opened in it

    def _pass(self) -> None:
        try:
            if self._conn is None:
                self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
            self._checkpoint(self._conn)
        except sqlite3.Error as exc:  # e.g. the file was replaced by a restore: try again later
            log.warning("background checkpoint failed: %s", exc)

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if 0 <= frames < self.frames:
            self.restarts += 1
        idle = frames == copied == self.frames  # nothing committed since the last pass
        self.frames = frames
        if self.lock is None or busy or frames <= 0 or idle or not self.lock.acquire(timeout=self.every):
            return
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            self.lock.release()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
