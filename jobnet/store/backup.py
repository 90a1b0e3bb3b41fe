"""Online backup and restore with SQLite's backup API: consistent while the service keeps writing.

    python -m jobnet.store.backup backup  --db var/jobnet.db --to backups/jobnet-2026-12-01.db
    python -m jobnet.store.backup restore --db var/jobnet.db --from backups/jobnet-2026-12-01.db

Restore into a database no server is using (stop the service first).
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

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


def backup(db: Path, to: Path) -> None:
    if not db.exists():
        raise FileNotFoundError(db)
    to.parent.mkdir(parents=True, exist_ok=True)
    _copy(db, to)


def restore(db: Path, source: Path) -> None:
    if not source.exists():
        raise FileNotFoundError(source)
    _copy(source, db)


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup", help="copy a live database")
    b.add_argument("--db", type=Path, required=True)
    b.add_argument("--to", type=Path, required=True)
    r = sub.add_parser("restore", help="put a backup in place (service stopped)")
    r.add_argument("--db", type=Path, required=True)
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
