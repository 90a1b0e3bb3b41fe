"""The write queue of a database file: the threads of a process on a lock of their own, the
processes on an exclusive ``flock`` of ``<database>-writelock`` (jobnet.store.database explains why)."""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import suppress

LOCK_SUFFIX = "-writelock"  # beside the database, like SQLite's -wal and -shm
MIGRATION_SUFFIX = "-migratelock"


class _WriteLock:
    """The turn to write to one database file: this process's threads queue on a thread lock,
    the processes on an exclusive ``flock`` of ``<database>-writelock``. Both wake the next
    writer as soon as the lock is free, where SQLite's busy handler sleeps and polls.

    The lock file is opened for each transaction and closed after it (no descriptor stays open
    between transactions). The kernel frees the flock of a process that dies. Waiting for it has
    no timeout of its own: it is held only for the length of one transaction of another process.
    """

    def __init__(self, path: str | None, suffix: str = LOCK_SUFFIX) -> None:
        self.path = None if path is None else path + suffix  # None: no file (an in-memory database)
        self.threads = threading.Lock()
        self.fd: int | None = None  # open while this process holds the lock

    def acquire(self, timeout: float) -> bool:
        if not self.threads.acquire(timeout=timeout):
            return False
        if self.path is None:
            return True
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:  # no lock file here (e.g. a read-only directory): BEGIN IMMEDIATE still guards
            self.close_file()
        except BaseException:
            self.close_file()
            self.threads.release()
            raise
        return True

    def release(self) -> None:
        try:
            self.close_file()
        finally:
            self.threads.release()

    def close_file(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)  # also when a forked child still has a copy of fd
            finally:
                os.close(fd)


# One write lock per database file and process (see the module docstring).
_WRITE_LOCKS: dict[str, _WriteLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def write_lock(key: str) -> _WriteLock:
    lock = _WRITE_LOCKS.get(key)
    if lock is None:
        with _WRITE_LOCKS_GUARD:
            if key.endswith(MIGRATION_SUFFIX):
                base = key.removesuffix(MIGRATION_SUFFIX)
                made = _WriteLock(None if base == ":memory:" else base, MIGRATION_SUFFIX)
            else:
                made = _WriteLock(None if key == ":memory:" else key)
            lock = _WRITE_LOCKS.setdefault(key, made)
    return lock


def migration_lock(key: str) -> _WriteLock:
    """The turn to migrate one database file (``<database>-migratelock``): instances starting
    together apply the migrations one after the other, and connect to a new file one at a time."""
    return write_lock(key + MIGRATION_SUFFIX)


def _forget_write_locks() -> None:
    """A forked child starts with fresh locks: a copy of a thread lock held by another thread
    would never open. (A copied lock file descriptor is closed here without unlocking: the
    parent's flock belongs to the parent.)"""
    global _WRITE_LOCKS_GUARD  # noqa: PLW0603 - one write lock per database file and process, renewed in a fork
    for lock in _WRITE_LOCKS.values():
        if lock.fd is not None:
            with suppress(OSError):
                os.close(lock.fd)
    _WRITE_LOCKS.clear()
    _WRITE_LOCKS_GUARD = threading.Lock()


os.register_at_fork(after_in_child=_forget_write_locks)
