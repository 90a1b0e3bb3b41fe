"""Online backup and restore, consistent while the service keeps writing.

    jobnet backup  --db var/jobnet.db --to backups/jobnet-2026-12-01.db
    jobnet restore --db var/jobnet.db --from backups/jobnet-2026-12-01.db
    jobnet backup  --db postgresql://jobnet@db/jobnet --to backups/jobnet-2026-12-01.dump
    jobnet restore --db postgresql://jobnet@db/jobnet --from backups/jobnet-2026-12-01.dump

SQLite: the backup API, page by page. PostgreSQL: ``pg_dump --format=custom`` (one snapshot of the
whole database) and ``pg_restore --clean --if-exists --single-transaction`` (the dump replaces what
is there, all or nothing), then ``VACUUM (FREEZE, ANALYZE)`` (settle: a restored database has no
planner statistics and no visibility map yet, so its first queries would plan blind and its first
readers would write hint bits); the tools are the machine's (or those of JOBNET_PG_BIN, or PyPI's
pgserver: jobnet.devpg.binaries). Restore into a database no server is using (stop the service first).
"""
from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from pathlib import Path

from jobnet.store.engine import is_url

PAGES_PER_STEP = 1024  # copy in steps so writers are not blocked for the whole copy


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
        (ok,) = dst.execute("PRAGMA integrity_check").fetchone()
        if ok != "ok":
            raise RuntimeError(f"the copy failed its integrity check: {ok}")
    finally:
        dst.close()
        src.close()


def _pg_tool(name: str) -> str:
    import shutil

    from jobnet.config import Settings
    from jobnet.devpg import binaries
    from jobnet.errors import PostgresUnavailable

    try:
        found = binaries(Settings.from_env().pg_bin) / name
        if found.exists():
            return str(found)
    except PostgresUnavailable:
        pass
    return shutil.which(name) or name


def _pg(tool: str, *args: str) -> None:
    done = subprocess.run([_pg_tool(tool), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip()}")


def backup(db: Path | str, to: Path) -> None:
    if is_url(db):
        to.parent.mkdir(parents=True, exist_ok=True)
        _pg("pg_dump", "--format=custom", "--no-owner", f"--file={to}", f"--dbname={db}")
        return
    db = Path(db)
    if not db.exists():
        raise FileNotFoundError(db)
    to.parent.mkdir(parents=True, exist_ok=True)
    _copy(db, to)


def settle(url: str) -> None:
    """Statistics, visibility map and frozen rows for a PostgreSQL database just filled in bulk (a restore,
    a COPY): without it autovacuum's first pass over the new tables runs while the service serves."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:  # VACUUM refuses to run inside a transaction
        conn.execute("VACUUM (FREEZE, ANALYZE)")


def restore(db: Path | str, source: Path) -> None:
    if not source.exists():
        raise FileNotFoundError(source)
    if is_url(db):
        _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={db}", str(source))
        settle(str(db))
        return
    _copy(source, Path(db))


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup", help="copy a live database")
    b.add_argument("--db", required=True, help="an SQLite file or a postgresql:// URL")
    b.add_argument("--to", type=Path, required=True)
    r = sub.add_parser("restore", help="put a backup in place (service stopped)")
    r.add_argument("--db", required=True, help="an SQLite file or a postgresql:// URL")
    r.add_argument("--from", dest="source", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "backup":
        backup(args.db, args.to)
        print(f"backed up {args.db} to {args.to}")
    else:
        restore(args.db, args.source)
        print(f"restored {args.db} from {args.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
