"""SQLite's WAL checkpoints away from the write lock.

A commit appends its pages to ``<database>-wal``; a *checkpoint* copies them back into the database
file and syncs it. By default SQLite runs one inside the COMMIT that takes the WAL past 1,000 pages,
so every few dozen bookings one of them did the copy and the fsync while it held the write lock,
and every writer of every worker waited (issue 14: the COMMIT of a booking took 2.0 ms on average
with it, 0.3 ms without). Here a thread of each process runs ``PRAGMA wal_checkpoint(PASSIVE)`` on
a connection of its own, woken every ``EVERY_COMMITS`` commits and at least every ``IDLE_SECONDS``:
a passive checkpoint copies what readers and writers no longer need and waits for none of them,
so writers go on while it runs. The connections keep SQLite's own checkpoint as a backstop at
``BACKSTOP_PAGES`` (40 MB of WAL), should this thread ever fall behind.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

BACKSTOP_PAGES = 10_000
EVERY_COMMITS = 32
IDLE_SECONDS = 1.0

log = logging.getLogger("jobnet.store")


class Checkpointer:
    """The checkpoint thread of one database file in this process: started by the first commit,
    stopped by ``stop`` (the next commit starts it again)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runs = 0  # checkpoints run, for tests and curiosity
        self._commits = 0
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        """A write transaction of this process has committed (called after the write lock is given back)."""
        self._commits += 1
        if self._thread is None:
            self._start()
        if self._commits % EVERY_COMMITS == 0:
            self._wake.set()

    def _start(self) -> None:
        with self._guard:
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="jobnet-checkpoint", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
        try:
            while not self._stop.is_set():
                self._wake.wait(IDLE_SECONDS)
                self._wake.clear()
                if self._stop.is_set():
                    break
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.runs += 1
                except sqlite3.Error as exc:  # e.g. the file was removed: the backstop still holds
                    log.warning("WAL checkpoint failed: %s", type(exc).__name__)
        finally:
            conn.close()

    def stop(self) -> None:
        with self._guard:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._stop.set()
            self._wake.set()
        thread.join(timeout=10)
